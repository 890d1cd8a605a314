"""A mentor's own profile on the form engine: the areas they help with and how many mentees
at once, each corrected from the profile's card, which also carries the pause button."""

from sqlalchemy.ext.asyncio import AsyncSession

from core.errors import InvalidInput, PedPulseError, StaleAction
from core.forms import Act, Context, Field, Form, Kind, Step
from core.mentoring.people import (
    area_tick,
    latest_bands,
    load_count,
    mentor_profile,
    strengths_of,
)
from core.models import MentorProfile, Person, Role
from core.screens import BLANK, Button, Screen, Text, text
from core.seminars.listing import AREAS

CAPACITIES = (1, 2, 3, 4, 5)


def is_mentor(person: Person) -> bool:
    return Role.MENTOR in {r.role for r in person.roles}


def areas_shown(areas: list[str]) -> list[Text] | Text:
    """The areas as catalogue entries («не выбраны» when there is none)."""
    return [Text(f"area_{a}") for a in areas] or Text("mp_areas_none")


class MentorProfileForm(Form[MentorProfile]):
    """A mentor's own profile: a resting form (like /profile), one field corrected at a time."""

    name = "mentor_profile"
    code = "o"
    fields = (Field("areas", Kind.MULTI), Field("capacity", Kind.CHOICE))

    async def load(
        self, session: AsyncSession, person: Person, target: int | None
    ) -> MentorProfile:
        if person.registered_at is None or not is_mentor(person):
            raise PedPulseError("mp_mentors_only")
        return await mentor_profile(session, person)

    def target(self, draft: MentorProfile) -> int | None:
        return None  # the person's own

    def resting(self, draft: MentorProfile) -> bool:
        return True

    async def chosen(
        self,
        session: AsyncSession,
        draft: MentorProfile,
        field: str,
        value: int,
        key: str,
        ctx: Context,
    ) -> None:
        if field != "capacity" or value not in CAPACITIES:
            raise StaleAction()
        draft.capacity = value

    async def ticked(
        self, session: AsyncSession, draft: MentorProfile, field: str, item: int, on: bool
    ) -> None:
        if not 1 <= item <= len(AREAS):
            raise StaleAction()
        area = AREAS[item - 1]
        rest = [a for a in draft.areas if a != area]
        draft.areas = [a for a in AREAS if a in rest or (on and a == area)]

    async def finished(self, session: AsyncSession, draft: MentorProfile, field: str) -> None:
        if not draft.areas:
            raise InvalidInput("mp_areas_empty")

    async def ask(
        self, session: AsyncSession, draft: MentorProfile, field: str, step: Step, ctx: Context
    ) -> Screen:
        rows: list[tuple[Button, ...]]
        if field == "areas":
            rows = [
                (step.button(area_tick(a, a in draft.areas), Act.TICK, value=_tick(draft, a)),)
                for a in AREAS
            ]
            rows.append((step.button(Text("btn_done"), Act.DONE),))
        else:
            choices = tuple(
                step.button(f"✅ {n}" if n == draft.capacity else str(n), Act.CHOOSE, value=n)
                for n in CAPACITIES
            )
            rows = [choices, (step.button(Text("btn_cancel"), Act.BACK),)]
        question = Text("mp_ask_areas" if field == "areas" else "mp_ask_capacity")
        strong = strengths_of(await latest_bands(session, draft.person_id))
        if field == "areas" and strong:  # their own results, shown to them alone
            hint = text("mp_strong_hint", areas=areas_shown(strong))
            return Screen((question, hint), tuple(rows))
        return Screen((question,), tuple(rows))

    async def summary(
        self, session: AsyncSession, draft: MentorProfile, step: Step, ctx: Context
    ) -> Screen:
        taken = await load_count(session, draft.person_id)
        lines: tuple[Text, ...] = (
            Text("mp_title"),
            BLANK,
            text("mp_line_areas", areas=areas_shown(draft.areas)),
            text("mp_line_capacity", capacity=draft.capacity, taken=taken),
            Text("mp_line_paused" if draft.paused else "mp_line_open"),
        )
        if draft.confirmed_at is None:  # volunteered, then given the role by an invite
            lines += (Text("mp_line_unconfirmed"),)
        edits = (
            step.button(Text("mp_btn_areas"), Act.EDIT, "areas"),
            step.button(Text("mp_btn_capacity"), Act.EDIT, "capacity"),
        )
        toggle = Text("mp_btn_unpause" if draft.paused else "mp_btn_pause")
        pause = Button(toggle, "mentoring.pause", (0, int(not draft.paused)))
        return Screen(lines, (edits, (pause,)))


def _tick(draft: MentorProfile, area: str) -> int:
    """A tick's value: +n to tick the n-th area, -n to untick it (a repeat changes nothing)."""
    number = AREAS.index(area) + 1
    return -number if area in draft.areas else number


FORM = MentorProfileForm()
