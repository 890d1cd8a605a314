"""The profile form on the form engine: onboarding after consent (name, school, subjects, the
years) with a summary to confirm, and the correction of one field from /profile later."""

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from core.choices import Option, paginate
from core.errors import InvalidInput, StaleAction
from core.forms import (
    SUMMARY,
    Act,
    Context,
    Field,
    Form,
    Kind,
    Step,
    at_summary,
    begin,
    current,
    summary_of,
)
from core.models import Person, PersonSubject, Role, School, SchoolSubject, Subject
from core.people.viewer import ProfileView, load_person, person_subjects, profile, set_pending
from core.screens import BLANK, Button, Screen, Text, text
from core.validation import clean_full_name, parse_birth_year, parse_started_year

NO_SCHOOL_ROLES = frozenset({Role.METHODIST, Role.ADMIN})
NO_SCHOOL = -1  # «Не работаю в школе»
SKIP = 0  # the birth year's «Пропустить»
RECENT_YEARS = 6
TEACHING = ("subjects", "started", "birth", "community")  # asked of people at a school only
LATER = ("community",)  # not asked at registration: added from /profile
YES, NO = 1, 2  # «Да» / «Нет»; SKIP: not said


class ProfileForm(Form[Person]):
    name = "profile"
    code = "p"
    fields = (
        Field("name", Kind.TEXT),
        Field("school", Kind.CHOICE),
        Field("subjects", Kind.MULTI),
        Field("started", Kind.CHOICE, typed=True),
        Field("birth", Kind.CHOICE, typed=True),
        Field("community", Kind.CHOICE),
    )

    async def load(self, session: AsyncSession, person: Person, target: int | None) -> Person:
        return person

    def target(self, draft: Person) -> int | None:
        return None  # the person themself

    def needed(self, draft: Person, field: str, ctx: Context) -> bool:
        if field in LATER and draft.registered_at is None:
            return False
        if field == "school":
            return not draft.school_preset or draft.registered_at is not None
        return field not in TEACHING or draft.school_id is not None

    def editable(self, draft: Person, field: str, ctx: Context) -> bool:
        return field == "school" or self.needed(draft, field, ctx)

    def resting(self, draft: Person) -> bool:
        return draft.registered_at is not None

    async def typed(
        self, session: AsyncSession, draft: Person, field: str, value: str, ctx: Context
    ) -> None:
        if field == "name":
            draft.full_name = clean_full_name(value)
        elif field == "started":
            draft.started_year = parse_started_year(value, ctx.now.year)
        else:
            draft.birth_year = parse_birth_year(value, ctx.now.year)

    async def chosen(
        self, session: AsyncSession, draft: Person, field: str, value: int, key: str, ctx: Context
    ) -> None:
        if field == "started":
            draft.started_year = parse_started_year(str(value), ctx.now.year)
        elif field == "community" and value in (SKIP, YES, NO):
            draft.community_member = {SKIP: None, YES: True, NO: False}[value]
        elif field == "birth" and value == SKIP:
            draft.birth_year = None
        elif field == "birth":
            draft.birth_year = parse_birth_year(str(value), ctx.now.year)
        elif field == "school" and value == NO_SCHOOL and _staff(draft):
            draft.school_id = None
            (await person_subjects(draft)).clear()
        elif field == "school":
            school = await session.get(School, value)
            if school is None or school.municipality_id != draft.municipality_id:
                raise StaleAction()
            draft.school_id = school.id
        else:
            raise StaleAction()

    async def ticked(
        self, session: AsyncSession, draft: Person, field: str, item: int, on: bool
    ) -> None:
        if await session.get(Subject, item) is None:
            raise StaleAction()
        subjects = await person_subjects(draft)
        chosen = next((s for s in subjects if s.subject_id == item), None)
        if on and chosen is None:
            subjects.append(PersonSubject(subject_id=item))
        elif not on and chosen is not None:
            subjects.remove(chosen)

    async def finished(self, session: AsyncSession, draft: Person, field: str) -> None:
        if not await person_subjects(draft) and await _subjects(session, draft):
            raise InvalidInput("subjects_empty")

    async def ask(
        self, session: AsyncSession, draft: Person, field: str, step: Step, ctx: Context
    ) -> Screen:
        rows = await _rows(session, draft, field, step, ctx)
        if step.edit:
            rows.append((step.button(Text("btn_cancel"), Act.BACK),))
        return Screen((Text(f"ask_{field}"),), tuple(rows))

    async def summary(
        self, session: AsyncSession, draft: Person, step: Step, ctx: Context
    ) -> Screen:
        shown = await profile(session, draft.id, ctx.now.year)
        confirming = draft.registered_at is None
        title = Text("summary_title" if confirming else "profile_title")
        editable = [f.name for f in self.fields if f.name in ("name", "school") or shown.school]
        edits = [step.button(Text(f"btn_edit_{name}"), Act.EDIT, name) for name in editable]
        rows: list[tuple[Button, ...]] = []
        if confirming:
            rows.append((Button(Text("btn_confirm"), "profile.confirm"),))
        rows += [tuple(edits[i : i + 2]) for i in range(0, len(edits), 2)]
        if not confirming and shown.school is not None:  # a teacher: mentoring's own entry
            mentor = Role.MENTOR in shown.roles
            offer = Text("mp_btn_profile" if mentor else "mp_btn_volunteer")
            rows.append(
                (Button(offer, "mentoring.mprofile" if mentor else "mentoring.volunteer"),)
            )
        return Screen((title, BLANK, *profile_lines(shown)), tuple(rows))


def _staff(person: Person) -> bool:
    return bool({Role(r.role) for r in person.roles} & NO_SCHOOL_ROLES)


async def _rows(
    session: AsyncSession, draft: Person, field: str, step: Step, ctx: Context
) -> list[tuple[Button, ...]]:
    if field == "school":
        return await _school_rows(session, draft, step)
    if field == "subjects":
        chosen = {s.subject_id for s in await person_subjects(draft)}
        ticks = [
            step.button(
                _mark(o.label, o.id in chosen), Act.TICK, value=-o.id if o.id in chosen else o.id
            )
            for o in await _subjects(session, draft)
        ]
        rows = [tuple(ticks[i : i + 2]) for i in range(0, len(ticks), 2)]
        return rows + [(step.button(Text("btn_done"), Act.DONE),)]
    if field == "started":
        years = [ctx.now.year - n for n in range(RECENT_YEARS)]
        buttons = [step.button(str(y), Act.CHOOSE, value=y) for y in years]
        return [tuple(buttons[i : i + 3]) for i in range(0, len(buttons), 3)]
    if field == "birth":
        return [(step.button(Text("btn_skip"), Act.CHOOSE, value=SKIP),)]
    if field == "community":
        answers = ((Text("btn_yes_member"), YES), (Text("btn_not_member"), NO))
        row = tuple(step.button(label, Act.CHOOSE, value=v) for label, v in answers)
        return [row, (step.button(Text("btn_skip"), Act.CHOOSE, value=SKIP),)]
    return []


def _mark(label: str, selected: bool) -> str:
    return "✅ " + label if selected else label


async def _school_rows(
    session: AsyncSession, draft: Person, step: Step
) -> list[tuple[Button, ...]]:
    schools = list(
        await session.scalars(
            select(School)
            .where(School.municipality_id == draft.municipality_id)
            .order_by(School.name)
        )
    )
    chunk, page = paginate(schools, step.page)
    rows: list[tuple[Button, ...]] = [
        (step.button(_mark(s.name, s.id == draft.school_id), Act.CHOOSE, value=s.id),)
        for s in chunk
    ]
    pager = tuple(
        step.button(Text(key), Act.PAGE, value=n)
        for n, key in ((page.number - 1, "btn_prev"), (page.number + 1, "btn_next"))
        if 0 <= n < page.count
    )
    rows += [pager] if pager else []
    if _staff(draft):
        rows.append((step.button(Text("btn_no_school"), Act.CHOOSE, value=NO_SCHOOL),))
    return rows


async def _subjects(session: AsyncSession, person: Person) -> list[Option]:
    """The subjects of the person's school (every subject when the roster names none)."""
    at_school = list(
        await session.scalars(
            select(Subject)
            .join(SchoolSubject, SchoolSubject.subject_id == Subject.id)
            .where(SchoolSubject.school_id == person.school_id)
            .order_by(Subject.name)
        )
    )
    found = at_school or list(await session.scalars(select(Subject).order_by(Subject.name)))
    return [Option(s.id, s.name) for s in found]


def _membership(member: bool | None) -> Text:
    if member is None:
        return Text("value_none")
    return Text("value_yes" if member else "value_no")


def profile_lines(view: ProfileView) -> list[Text]:
    """The profile as labelled lines."""
    none = Text("value_none")
    roles: list[object] = [Text(f"role_{role}") for role in view.roles]
    if view.young:
        roles.append(Text("young_teacher"))
    rows: list[tuple[str, object]] = [
        ("field_name", view.full_name or none),
        ("field_municipality", view.municipality),
        ("field_school", view.school or none),
    ]
    if view.school is not None:
        rows += [
            ("field_subjects", list(view.subjects) or none),
            ("field_started", view.started_year or none),
            ("field_birth", view.birth_year or none),
            ("field_community", _membership(view.community_member)),
        ]
    rows += [
        ("field_roles", roles or none),
        ("field_language", Text(f"language_name_{view.language}")),
    ]
    return [text("profile_row", label=Text(label), value=value) for label, value in rows]


FORM = ProfileForm()


async def start(session: AsyncSession, person: Person, ctx: Context) -> Screen:
    """Onboarding after consent: the first question (the caller made the person)."""
    return await begin(session, person, FORM, person, ctx)


async def show(session: AsyncSession, person_id: int, ctx: Context) -> Screen:
    """/profile: the profile with a button per field, or the question onboarding is at."""
    person = await load_person(session, person_id)
    if person.step_form == FORM.name:
        return await current(session, person_id, {FORM.name: FORM}, ctx)
    return await summary_of(session, person, FORM, ctx)


async def confirm(session: AsyncSession, person_id: int, ctx: Context) -> ProfileView:
    """Finish registration after the summary."""
    person = await load_person(session, person_id)
    await at_summary(session, person, FORM, 0)
    set_pending(person, None)
    person.registered_at = ctx.now
    await session.commit()
    return await profile(session, person_id, ctx.now.year)


__all__ = ["FORM", "SUMMARY", "confirm", "show", "start"]
