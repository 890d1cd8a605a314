"""The profile form: onboarding steps and field edits, kept in the database so nothing is lost."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from core.choices import Option, Page, paginate
from core.errors import InvalidInput, StaleAction
from core.models import Person, PersonSubject, Role, School, SchoolSubject, Subject
from core.people.viewer import ProfileView, load_person, profile
from core.validation import clean_full_name, parse_birth_year, parse_started_year

STEPS = ("name", "school", "subjects", "started", "birth", "confirm")
TEXT_STEPS = frozenset({"name", "started", "birth"})
EDITABLE = frozenset({"name", "school", "subjects", "started", "birth"})
NO_SCHOOL_ROLES = frozenset({Role.METHODIST, Role.ADMIN})
RECENT_YEARS = 6


@dataclass(frozen=True)
class Prompt:
    """What the person is asked next; `step` None means nothing is awaited."""

    step: str | None
    edit: bool = False
    options: tuple[Option, ...] = ()
    page: Page = Page(0, 1)
    can_skip_school: bool = False
    profile: ProfileView | None = None


def _needed(person: Person, step: str) -> bool:
    if step == "school":
        return not person.school_preset
    if step in ("subjects", "started", "birth"):
        return person.school_id is not None
    return True


def _advance(person: Person, done: str) -> None:
    if person.step_edit:
        person.step = None if person.registered_at else "confirm"
        person.step_edit = False
        return
    order = [step for step in STEPS if _needed(person, step)]
    person.step = order[order.index(done) + 1]


def _expect(person: Person, step: str) -> None:
    if person.step != step:
        raise StaleAction()


async def submit_text(session: AsyncSession, person_id: int, text: str, this_year: int) -> Prompt:
    """Take free text for the awaited step; InvalidInput keeps the step for another try."""
    person = await load_person(session, person_id)
    if person.step not in TEXT_STEPS:
        raise InvalidInput("use_buttons" if person.step else "no_text_expected")
    if person.step == "name":
        person.full_name = clean_full_name(text)
    elif person.step == "started":
        person.started_year = parse_started_year(text, this_year)
    else:
        person.birth_year = parse_birth_year(text, this_year)
    _advance(person, person.step)
    await session.commit()
    return await current_prompt(session, person_id, this_year)


async def choose_year(
    session: AsyncSession, person_id: int, step: str, year: int | None, this_year: int
) -> Prompt:
    """A year pressed on a button; `None` skips the optional birth year."""
    person = await load_person(session, person_id)
    _expect(person, step)
    if step == "started" and year is not None:
        person.started_year = parse_started_year(str(year), this_year)
    elif step == "birth":
        person.birth_year = None if year is None else parse_birth_year(str(year), this_year)
    else:
        raise StaleAction()
    _advance(person, step)
    await session.commit()
    return await current_prompt(session, person_id, this_year)


async def choose_school(
    session: AsyncSession, person_id: int, school_id: int | None, this_year: int
) -> Prompt:
    """Set the school (one of the person's municipality), or none for methodists and admins."""
    person = await load_person(session, person_id)
    _expect(person, "school")
    if school_id is None:
        if not {Role(r.role) for r in person.roles} & NO_SCHOOL_ROLES:
            raise StaleAction()
        person.subjects.clear()
    else:
        school = await session.get(School, school_id)
        if school is None or school.municipality_id != person.municipality_id:
            raise StaleAction()
    person.school_id = school_id
    _advance(person, "school")
    await session.commit()
    return await current_prompt(session, person_id, this_year)


async def mark_subject(
    session: AsyncSession, person_id: int, subject_id: int, selected: bool, this_year: int
) -> Prompt:
    """Select or unselect one subject; repeating the same press changes nothing."""
    person = await load_person(session, person_id)
    _expect(person, "subjects")
    if await session.get(Subject, subject_id) is None:
        raise StaleAction()
    chosen = next((s for s in person.subjects if s.subject_id == subject_id), None)
    if selected and chosen is None:
        person.subjects.append(PersonSubject(subject_id=subject_id))
    elif not selected and chosen is not None:
        person.subjects.remove(chosen)
    await session.commit()
    return await current_prompt(session, person_id, this_year)


async def finish_subjects(session: AsyncSession, person_id: int, this_year: int) -> Prompt:
    """Close the subject choice; at least one is needed when there is anything to choose."""
    person = await load_person(session, person_id)
    _expect(person, "subjects")
    if not person.subjects and await _subject_options(session, person):
        raise InvalidInput("subjects_empty")
    _advance(person, "subjects")
    await session.commit()
    return await current_prompt(session, person_id, this_year)


async def confirm(session: AsyncSession, person_id: int, now: datetime) -> ProfileView:
    """Finish registration after the summary."""
    person = await load_person(session, person_id)
    _expect(person, "confirm")
    person.step = None
    person.registered_at = now
    await session.commit()
    return await profile(session, person_id, now.year)


async def start_edit(session: AsyncSession, person_id: int, field: str, this_year: int) -> Prompt:
    """Ask again for one field, from the summary or from /profile."""
    person = await load_person(session, person_id)
    allowed = person.registered_at is not None or person.step == "confirm"
    if field not in EDITABLE or not allowed:
        raise StaleAction()
    if field != "school" and not _needed(person, field):
        raise StaleAction()
    person.step, person.step_edit = field, True
    await session.commit()
    return await current_prompt(session, person_id, this_year)


async def cancel_edit(session: AsyncSession, person_id: int, this_year: int) -> Prompt:
    """Leave a field edit unchanged."""
    person = await load_person(session, person_id)
    if not person.step_edit:
        raise StaleAction()
    person.step = None if person.registered_at else "confirm"
    person.step_edit = False
    await session.commit()
    return await current_prompt(session, person_id, this_year)


async def current_prompt(
    session: AsyncSession, person_id: int, this_year: int, page: int = 0
) -> Prompt:
    """The question the person is at, with its options."""
    person = await load_person(session, person_id)
    if person.step not in STEPS:  # nothing, or another form, awaits input: the profile
        return Prompt(None, profile=await profile(session, person_id, this_year))
    step, edit = person.step, person.step_edit
    if step == "school":
        return await _school_prompt(session, person, page)
    if step == "subjects":
        selected = {s.subject_id for s in person.subjects}
        options = tuple(
            Option(s.id, s.name, s.id in selected) for s in await _subject_options(session, person)
        )
        return Prompt(step, edit, options)
    if step == "started":
        years = range(this_year, this_year - RECENT_YEARS, -1)
        return Prompt(step, edit, tuple(Option(y, str(y)) for y in years))
    view = await profile(session, person_id, this_year) if step == "confirm" else None
    return Prompt(step, edit, profile=view)


async def _school_prompt(session: AsyncSession, person: Person, page: int) -> Prompt:
    schools = list(
        await session.scalars(
            select(School)
            .where(School.municipality_id == person.municipality_id)
            .order_by(School.name)
        )
    )
    chunk, shown = paginate(schools, page)
    options = tuple(Option(s.id, s.name, s.id == person.school_id) for s in chunk)
    can_skip = bool({Role(r.role) for r in person.roles} & NO_SCHOOL_ROLES)
    return Prompt("school", person.step_edit, options, shown, can_skip)


async def _subject_options(session: AsyncSession, person: Person) -> list[Subject]:
    at_school = list(
        await session.scalars(
            select(Subject)
            .join(SchoolSubject, SchoolSubject.subject_id == Subject.id)
            .where(SchoolSubject.school_id == person.school_id)
            .order_by(Subject.name)
        )
    )
    return at_school or list(await session.scalars(select(Subject).order_by(Subject.name)))
