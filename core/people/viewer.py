"""Who is talking to the bot, and what their profile says."""

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import bindparam, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import joinedload, lazyload

from core.errors import NotFound, StaleAction
from core.models import Municipality, Person, PersonSubject, Role, School, Subject
from core.timeutil import LocalClock, local_clock
from core.validation import is_young


@dataclass(frozen=True)
class Pending:
    """The input a person's chat awaits: a field of a form (or a questionnaire's typed
    answer), for which record, and whether it corrects one field of a summary."""

    form: str
    field: str
    target: int | None = None
    edit: bool = False


def pending_of(person: Person) -> Pending | None:
    if person.step_form is None or person.step_field is None:
        return None
    return Pending(person.step_form, person.step_field, person.step_target, person.step_edit)


def set_pending(person: Person, pending: Pending | None) -> None:
    """Set or clear (None) what the person's chat awaits; the caller commits. Unchanged, the
    person is left untouched, so the commit has nothing to flush (each answered item)."""
    if pending_of(person) == pending:
        return
    person.step_form = pending.form if pending else None
    person.step_field = pending.field if pending else None
    person.step_target = pending.target if pending else None
    person.step_edit = pending.edit if pending else False


@dataclass(frozen=True)
class Viewer:
    """The person behind an update, as handlers need it."""

    person_id: int | None
    telegram_id: int
    language: str
    roles: frozenset[Role]
    registered: bool
    pending: Pending | None
    municipality_id: int | None

    def awaits(self, form: str) -> bool:
        """Whether the chat awaits typed input for `form`."""
        return self.pending is not None and self.pending.form == form


@dataclass(frozen=True)
class ProfileView:
    full_name: str | None
    municipality: str
    school: str | None
    subjects: tuple[str, ...]
    started_year: int | None
    birth_year: int | None
    language: str
    roles: tuple[Role, ...]
    young: bool
    registered: bool
    community_member: bool | None = None  # in an РМО, ШМО or network community


# built once: the loader options cost more to build than the statement does to run
_BY_TELEGRAM_ID = (
    select(Person)
    .options(joinedload(Person.roles), lazyload(Person.subjects))
    .where(Person.telegram_id == bindparam("telegram_id"))
)


async def get_viewer(
    session: AsyncSession, telegram_id: int, fallback_language: str, bootstrap_admin: bool
) -> tuple[Viewer, Person | None]:
    """The viewer for a Telegram user, and their person row (None for unknown people, who get
    no person id and no stored roles).

    One statement: the person joined with their roles; subjects are left unloaded, for the
    few services that need them (`person_subjects`). While the caller holds the row, the
    session's identity map serves every later `load_person` of it without SQL.
    """
    found = await session.scalars(_BY_TELEGRAM_ID, {"telegram_id": telegram_id})
    person = found.unique().one_or_none()
    extra = frozenset({Role.ADMIN}) if bootstrap_admin else frozenset()
    if person is None:
        return Viewer(None, telegram_id, fallback_language, extra, False, None, None), None
    registered = person.registered_at is not None
    roles = frozenset(Role(r.role) for r in person.roles) if registered else frozenset()
    viewer = Viewer(
        person.id,
        telegram_id,
        person.language,
        roles | extra,
        registered,
        pending_of(person),
        person.municipality_id,
    )
    return viewer, person


async def person_subjects(person: Person) -> list[PersonSubject]:
    """The person's subject rows, loaded now if the person was loaded without them."""
    subjects: list[PersonSubject] = await person.awaitable_attrs.subjects
    return subjects


async def municipality_zone(session: AsyncSession, municipality_id: int) -> ZoneInfo:
    """The municipality's time zone, where people read and type times."""
    zone = await session.scalar(
        select(Municipality.timezone).where(Municipality.id == municipality_id)
    )
    return ZoneInfo(zone or "Europe/Moscow")


async def municipality_clock(
    session: AsyncSession, municipality_id: int, now: datetime, days: int, hour: int
) -> LocalClock:
    """The municipality's name and UTC offset, with an example moment `days` ahead."""
    town = await session.get(Municipality, municipality_id)
    zone = ZoneInfo(town.timezone if town else "Europe/Moscow")
    return local_clock(town.name if town else "", zone, now, days, hour)


async def load_person(session: AsyncSession, person_id: int) -> Person:
    """The person row, or NotFound if it was deleted meanwhile."""
    person = await session.get(Person, person_id)
    if person is None:
        raise NotFound("person_unknown")
    return person


async def profile(session: AsyncSession, person_id: int, this_year: int) -> ProfileView:
    """Everything shown on /profile and on the registration summary."""
    person = await load_person(session, person_id)
    municipality = await session.get(Municipality, person.municipality_id)
    school = await session.get(School, person.school_id) if person.school_id else None
    subjects = await session.scalars(
        select(Subject.name)
        .where(Subject.id.in_([s.subject_id for s in await person_subjects(person)]))
        .order_by(Subject.name)
    )
    return ProfileView(
        full_name=person.full_name,
        municipality=municipality.name if municipality else "",
        school=school.name if school else None,
        subjects=tuple(subjects),
        started_year=person.started_year,
        birth_year=person.birth_year,
        language=person.language,
        roles=tuple(sorted(Role(r.role) for r in person.roles)),
        young=is_young(person.started_year, person.birth_year, this_year),
        registered=person.registered_at is not None,
        community_member=person.community_member,
    )


async def set_language(session: AsyncSession, person_id: int, language: str) -> None:
    """Switch the interface language (ru or en)."""
    if language not in ("ru", "en"):
        raise StaleAction()
    person = await load_person(session, person_id)
    person.language = language
    await session.commit()


async def set_active(session: AsyncSession, telegram_id: int, active: bool) -> None:
    """Blocking the bot makes a person inactive (nothing is sent to them); unblocking undoes it."""
    await session.execute(
        update(Person).where(Person.telegram_id == telegram_id).values(active=active)
    )
    await session.commit()
