"""The seminar form on the form engine: title to audience, a card to check, every field
correctable; editing a published seminar tells everyone signed up what changed."""

from collections.abc import Sequence
from typing import Any

from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncSession

from core import audience as audiences
from core.audience import Audience
from core.errors import InvalidInput, StaleAction
from core.forms import (
    Act,
    Context,
    Field,
    Form,
    Kind,
    Step,
    audience_label,
    audience_question,
    begin,
    ticked,
)
from core.messaging.outbox import Notice
from core.models import Person, Seminar, SeminarStatus
from core.people.viewer import load_person, municipality_clock, municipality_zone
from core.screens import BLANK, Button, Screen, Text, text
from core.seminars.cards import card_lines
from core.seminars.listing import AREAS, FORMATS, taken, view
from core.seminars.notices import change_notices
from core.seminars.waitlist import fill_seats
from core.validation import bounded, parse_capacity, parse_link, parse_start

DURATIONS = (60, 90, 120, 180, 240)
CAPACITIES = (0, 10, 20, 30, 50, 100)  # 0: no limit
SKIP = -1  # the description's «Пропустить»
ANNOUNCED_CHANGES = frozenset({"title", "start", "duration", "format", "place", "link"})


class SeminarForm(Form[Seminar]):
    name = "seminar"
    code = "s"
    fields = (
        Field("title", Kind.TEXT),
        Field("description", Kind.CHOICE, typed=True),
        Field("start", Kind.TEXT),
        Field("duration", Kind.CHOICE),
        Field("format", Kind.CHOICE),
        Field("place", Kind.TEXT),
        Field("link", Kind.TEXT),
        Field("capacity", Kind.CHOICE, typed=True),
        Field("tags", Kind.MULTI),
        Field("audience", Kind.AUDIENCE),
    )

    async def load(self, session: AsyncSession, person: Person, target: int | None) -> Seminar:
        seminar = await session.get(Seminar, target) if target else None
        if seminar is None or seminar.organiser_id != person.id:
            raise StaleAction()
        if seminar.status == SeminarStatus.CANCELLED:
            raise StaleAction()
        return seminar

    def needed(self, draft: Seminar, field: str, ctx: Context) -> bool:
        if field == "place":
            return draft.format != "online"
        if field == "link":
            return draft.format != "in_person"
        return True

    def editable(self, draft: Seminar, field: str, ctx: Context) -> bool:
        published = draft.status == SeminarStatus.PUBLISHED
        return self.needed(draft, field, ctx) and not (field == "audience" and published)

    async def typed(
        self, session: AsyncSession, draft: Seminar, field: str, value: str, ctx: Context
    ) -> None:
        if field == "title":
            draft.title = bounded(value, 3, 200, "seminar_title_length")
        elif field == "description":
            draft.description = bounded(value, 1, 2000, "seminar_description_length")
        elif field == "start":
            zone = await municipality_zone(session, draft.municipality_id)
            draft.starts_at = parse_start(value, zone, ctx.now)
        elif field == "place":
            draft.place = bounded(value, 2, 300, "seminar_place_length")
        elif field == "link":
            draft.link = parse_link(value)
        else:
            draft.capacity = parse_capacity(value)

    async def chosen(
        self, session: AsyncSession, draft: Seminar, field: str, value: int, key: str, ctx: Context
    ) -> None:
        if field == "duration" and value in DURATIONS:
            draft.duration_minutes = value
        elif field == "format" and 0 <= value < len(FORMATS):
            draft.format = FORMATS[value]
        elif field == "capacity" and value in CAPACITIES:
            draft.capacity = value or None
        elif field == "description" and value == SKIP:
            draft.description = None
        else:
            raise StaleAction()

    async def ticked(
        self, session: AsyncSession, draft: Seminar, field: str, item: int, on: bool
    ) -> None:
        if not 1 <= item <= len(AREAS):
            raise StaleAction()
        area = AREAS[item - 1]
        tags = [tag for tag in draft.tags or [] if tag != area]
        draft.tags = tags + ([area] if on else [])  # +n adds, -n removes: idempotent

    def audience_place(self, draft: Seminar) -> tuple[dict[str, Any] | None, int]:
        return draft.audience, draft.municipality_id

    def set_audience(self, draft: Seminar, audience: Audience) -> None:
        draft.audience = audience.to_json()

    async def changed(
        self, session: AsyncSession, person: Person, draft: Seminar, field: str, ctx: Context
    ) -> list[Notice]:
        if field == "capacity":
            await session.flush()  # the row's write locks it: no sign-up counts seats meanwhile
            signed = await taken(session, draft.id)
            if draft.capacity is not None and draft.capacity < signed:
                raise InvalidInput("seminar_capacity_below_taken", taken=signed)  # kept as was
            return await fill_seats(session, draft, ctx.catalogues, ctx.now)
        if draft.status != SeminarStatus.PUBLISHED or field not in ANNOUNCED_CHANGES:
            return []
        return await change_notices(session, draft, field, ctx.now, ctx.catalogues)

    async def ask(
        self, session: AsyncSession, draft: Seminar, field: str, step: Step, ctx: Context
    ) -> Screen:
        if field == "audience":
            return await audience_question(
                session, step, draft.audience, draft.municipality_id, "semform_ask_audience"
            )
        clock = await municipality_clock(session, draft.municipality_id, ctx.now, 7, 15)
        question = text(
            f"semform_ask_{field}", place=clock.place, offset=clock.offset, example=clock.example
        )
        rows = [(button,) for button in _buttons(draft, field, step)]
        if step.edit:
            rows.append((step.button(Text("btn_cancel"), Act.BACK),))
        return Screen((question,), tuple(rows))

    async def summary(
        self, session: AsyncSession, draft: Seminar, step: Step, ctx: Context
    ) -> Screen:
        shown = await view(session, draft, None)
        audience = Audience.from_json(draft.audience)
        people = await audiences.recipients(
            session, draft.municipality_id, audience, ctx.now.year, draft.organiser_id
        )
        lines = [Text("semform_preview"), BLANK, *card_lines(shown, show_link=True), BLANK]
        lines.append(
            text("announce_recipients", audience=audience_label(audience), count=len(people))
        )
        published = draft.status == SeminarStatus.PUBLISHED
        first = Button(
            Text("btn_done" if published else "btn_publish"),
            "seminar.close" if published else "seminar.publish",
            (draft.id,),
        )
        edits = [
            step.button(Text(f"semfield_{f.name}"), Act.EDIT, f.name)
            for f in self.fields
            if self.editable(draft, f.name, ctx)
        ]
        rows: list[tuple[Button, ...]] = [(first,)]
        rows += [tuple(edits[i : i + 2]) for i in range(0, len(edits), 2)]
        if not published:
            rows.append((Button(Text("btn_discard"), "seminar.close", (draft.id,)),))
        return Screen(tuple(lines), tuple(rows))


def _buttons(draft: Seminar, field: str, step: Step) -> list[Button]:
    """The buttons of one field's question."""
    if field == "description":
        return [step.button(Text("btn_skip"), Act.CHOOSE, value=SKIP)]
    if field == "duration":
        return [step.button(text("minutes", minutes=m), Act.CHOOSE, value=m) for m in DURATIONS]
    if field == "format":
        return [
            step.button(Text(f"format_{f}"), Act.CHOOSE, value=i) for i, f in enumerate(FORMATS)
        ]
    if field == "capacity":
        return [
            step.button(Text("capacity_none") if n == 0 else str(n), Act.CHOOSE, value=n)
            for n in CAPACITIES
        ]
    if field == "tags":
        chosen = set(draft.tags or [])
        return [
            step.button(
                ticked(Text(f"area_{area}"), area in chosen),
                Act.TICK,
                value=-(i + 1) if area in chosen else i + 1,
            )
            for i, area in enumerate(AREAS)
        ] + [step.button(Text("btn_done"), Act.DONE)]
    return []


FORM = SeminarForm()


async def start(
    session: AsyncSession, person_id: int, ctx: Context, tags: Sequence[str] = ()
) -> Screen:
    """A new draft in the organiser's municipality (older drafts go); the title comes first.
    `tags`: competency areas ticked already (the weekly summary's «plan a seminar on …»)."""
    person = await load_person(session, person_id)
    await session.execute(
        delete(Seminar).where(
            Seminar.organiser_id == person_id, Seminar.status == SeminarStatus.DRAFT
        )
    )
    seminar = Seminar(
        municipality_id=person.municipality_id,
        organiser_id=person_id,
        created_at=ctx.now,
        tags=[area for area in AREAS if area in tags],
    )
    session.add(seminar)
    await session.flush()
    return await begin(session, person, FORM, seminar, ctx)
