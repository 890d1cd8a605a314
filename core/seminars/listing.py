"""Seminars for teachers: listing, registration with a waiting list, attendance, check-in."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from core.audience import Audience, AudienceKind, PersonFacts, includes
from core.errors import InvalidInput, PedPulseError, StaleAction
from core.models import (
    Person,
    Registration,
    RegistrationStatus,
    Seminar,
    SeminarStatus,
)
from core.people.viewer import load_person, municipality_zone, person_subjects
from core.timeutil import SHOWN, as_utc
from core.validation import is_young

AREAS = ("norm", "subject", "method", "upbringing", "developmental", "communication", "digital")
FORMATS = ("in_person", "online", "hybrid")


@dataclass(frozen=True)
class SeminarView:
    id: int
    title: str
    description: str | None
    starts: datetime  # in the municipality's time zone
    duration_minutes: int
    format: str
    place: str | None
    link: str | None
    capacity: int | None
    tags: tuple[str, ...]
    registered: int
    waitlist: int
    status: str
    mine: str | None  # the viewer's registration status

    @property
    def ends(self) -> datetime:
        return self.starts + timedelta(minutes=self.duration_minutes)


async def view(session: AsyncSession, seminar: Seminar, person_id: int | None) -> SeminarView:
    """The seminar as people see it, with counts and the viewer's own status."""
    zone = await municipality_zone(session, seminar.municipality_id)
    counts = dict(
        (
            await session.execute(
                select(Registration.status, func.count())
                .where(Registration.seminar_id == seminar.id)
                .group_by(Registration.status)
            )
        ).all()
    )
    mine = None
    if person_id is not None:
        mine = await session.scalar(
            select(Registration.status).where(
                Registration.seminar_id == seminar.id, Registration.person_id == person_id
            )
        )
    assert seminar.starts_at is not None
    return SeminarView(
        seminar.id,
        seminar.title or "",
        seminar.description,
        as_utc(seminar.starts_at).astimezone(zone),
        seminar.duration_minutes,
        seminar.format,
        seminar.place,
        seminar.link,
        seminar.capacity,
        tuple(seminar.tags or ()),
        counts.get(RegistrationStatus.REGISTERED, 0),
        counts.get(RegistrationStatus.WAITLIST, 0),
        seminar.status,
        mine,
    )


async def facts(session: AsyncSession, person: Person, year: int) -> PersonFacts:
    """What audience rules need to know about a person."""
    return PersonFacts(
        person.school_id,
        frozenset(s.subject_id for s in await person_subjects(person)),
        is_young(person.started_year, person.birth_year, year),
        frozenset(r.role for r in person.roles),
    )


async def upcoming(
    session: AsyncSession, person_id: int, now: datetime, limit: int = 10
) -> list[SeminarView]:
    """Published seminars ahead for the person: those aimed at them first, then by date."""
    person = await load_person(session, person_id)
    mine = await facts(session, person, now.year)
    seminars = await session.scalars(
        select(Seminar)
        .where(
            Seminar.municipality_id == person.municipality_id,
            Seminar.status == SeminarStatus.PUBLISHED,
            Seminar.starts_at > now,
        )
        .order_by(Seminar.starts_at)
    )
    chosen = []
    for seminar in seminars:
        audience = Audience.from_json(seminar.audience)
        if includes(audience, mine):
            aimed = audience is not None and audience.kind != AudienceKind.ALL
            chosen.append((0 if aimed else 1, seminar))
    chosen.sort(key=lambda pair: pair[0])  # stable: date order within each group
    return [await view(session, s, person_id) for _, s in chosen[:limit]]


async def locked(session: AsyncSession, seminar_id: int) -> Seminar | None:
    """The seminar, its row locked till the commit: FOR UPDATE on PostgreSQL. SQLite has no
    row locks (FOR UPDATE is left out) and reads outside a transaction: a write comes first,
    which takes the database's write lock, so a second sign-up waits for the first's commit
    instead of counting the same free seat."""
    if session.get_bind().dialect.name == "sqlite":
        await session.execute(
            update(Seminar)
            .where(Seminar.id == seminar_id)
            .values(id=Seminar.id)
            .execution_options(synchronize_session=False)
        )
    return await session.get(Seminar, seminar_id, with_for_update=True, populate_existing=True)


async def published(session: AsyncSession, seminar_id: int, now: datetime) -> Seminar:
    """A published seminar not started yet, locked for a registration change: the caller
    ends the transaction on every path (on SQLite the lock is the database's write lock, held
    otherwise while the bot talks to Telegram). A refusal ends it here."""
    seminar = await locked(session, seminar_id)
    refusal: PedPulseError | None = None
    if seminar is None or seminar.status != SeminarStatus.PUBLISHED:
        refusal = StaleAction()
    elif seminar.starts_at is None or as_utc(seminar.starts_at) <= now:
        refusal = InvalidInput("seminar_started")
    if refusal is not None:
        await session.rollback()
        raise refusal
    assert seminar is not None
    return seminar


async def register(
    session: AsyncSession,
    person_id: int,
    seminar_id: int,
    now: datetime,
    card_message_id: int | None = None,
) -> SeminarView:
    """A seat if one is free, the waiting list otherwise; registering twice changes nothing.

    `card_message_id`: the message the person pressed, brought up to date if a seat frees."""
    await _open_to(session, seminar_id, person_id, now)
    seminar = await published(session, seminar_id, now)
    registration = await registration_of(session, seminar_id, person_id)
    if registration is None or registration.status == RegistrationStatus.CANCELLED:
        waiting = await full(session, seminar)
        status = RegistrationStatus.WAITLIST if waiting else RegistrationStatus.REGISTERED
        if registration is None:
            registration = Registration(seminar_id=seminar_id, person_id=person_id, status=status)
            session.add(registration)
        registration.status, registration.created_at = status, now
        registration.card_message_id = card_message_id
    await session.commit()  # also when nothing changed: the lock ends before Telegram
    return await view(session, seminar, person_id)


async def taken(session: AsyncSession, seminar_id: int) -> int:
    """The seats taken: people signed up, not those waiting."""
    found = await session.scalar(
        select(func.count()).where(
            Registration.seminar_id == seminar_id,
            Registration.status == RegistrationStatus.REGISTERED,
        )
    )
    return found or 0


async def full(session: AsyncSession, seminar: Seminar) -> bool:
    """Every seat taken (a seminar without a capacity never is)."""
    return seminar.capacity is not None and await taken(session, seminar.id) >= seminar.capacity


async def _open_to(session: AsyncSession, seminar_id: int, person_id: int, now: datetime) -> None:
    """StaleAction unless `/seminars` shows the seminar to the person: their municipality's,
    aimed at them (a forged button names any id). Before the lock: nothing is held yet."""
    person = await load_person(session, person_id)
    seminar = await session.get(Seminar, seminar_id)
    if seminar is None or seminar.municipality_id != person.municipality_id:
        raise StaleAction()
    if not includes(Audience.from_json(seminar.audience), await facts(session, person, now.year)):
        raise StaleAction()


async def registration_of(
    session: AsyncSession, seminar_id: int, person_id: int
) -> Registration | None:
    return await session.scalar(
        select(Registration).where(
            Registration.seminar_id == seminar_id, Registration.person_id == person_id
        )
    )


def when(seminar: SeminarView) -> str:
    """Start date and time as people read them, in the municipality's time zone."""
    return seminar.starts.strftime(SHOWN)


async def signed_up(
    session: AsyncSession, seminar_id: int, statuses: Sequence[str]
) -> list[tuple[Registration, Person]]:
    """Active people whose registration has one of `statuses`, with their registration."""
    rows = await session.execute(
        select(Registration, Person)
        .join(Person, Person.id == Registration.person_id)
        .where(
            Registration.seminar_id == seminar_id,
            Registration.status.in_(statuses),
            Person.active.is_(True),
        )
    )
    return [(registration, person) for registration, person in rows]


async def organised_by(session: AsyncSession, organiser_id: int, seminar_id: int) -> Seminar:
    """The organiser's own seminar, not cancelled; StaleAction for anything else."""
    seminar = await session.get(Seminar, seminar_id)
    if seminar is None or seminar.organiser_id != organiser_id:
        raise StaleAction()
    if seminar.status == SeminarStatus.CANCELLED:
        raise StaleAction()
    return seminar
