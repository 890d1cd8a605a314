"""Organisers' side of seminars: participants, attendance and the check-in code."""

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from core.errors import InvalidInput, StaleAction
from core.models import (
    AnonymousAnswer,
    AnonymousResponse,
    Person,
    Registration,
    RegistrationStatus,
    Response,
    ResponseStatus,
    Seminar,
    SeminarStatus,
)
from core.questionnaires.responses import FEEDBACK
from core.seminars.listing import SeminarView, organised_by, registration_of, view
from core.timeutil import as_utc
from surveys.engine import nps, top_box_share

CHECKIN_EARLY = timedelta(minutes=30)
CHECKIN_TRIES = 5  # wrong codes a person may send for one seminar
SATISFACTION_ITEM, RECOMMEND_ITEM = "q1", "q6"  # seminar_feedback.yaml


@dataclass(frozen=True)
class Participant:
    person_id: int
    name: str
    status: str
    attended: bool


async def organised(session: AsyncSession, person_id: int, now: datetime) -> list[SeminarView]:
    """The organiser's seminars that are ahead or ended within the last week."""
    seminars = await session.scalars(
        select(Seminar)
        .where(
            Seminar.organiser_id == person_id,
            Seminar.status == SeminarStatus.PUBLISHED,
            Seminar.starts_at > now - timedelta(days=7),
        )
        .order_by(Seminar.starts_at)
    )
    return [await view(session, s, None) for s in seminars]


async def participants(
    session: AsyncSession, organiser_id: int, seminar_id: int
) -> list[Participant]:
    """Registered people and the waiting list, for the organiser."""
    await organised_by(session, organiser_id, seminar_id)
    rows = await session.execute(
        select(Registration, Person.full_name)
        .join(Person, Person.id == Registration.person_id)
        .where(
            Registration.seminar_id == seminar_id,
            Registration.status != RegistrationStatus.CANCELLED,
        )
        .order_by(Registration.status, Person.full_name)
    )
    return [Participant(r.person_id, name or "", r.status, r.attended) for r, name in rows]


async def mark_attended(
    session: AsyncSession, organiser_id: int, seminar_id: int, person_id: int, attended: bool
) -> list[Participant]:
    """The organiser marks one registered person present or absent."""
    await organised_by(session, organiser_id, seminar_id)
    registration = await registration_of(session, seminar_id, person_id)
    if registration is None or registration.status != RegistrationStatus.REGISTERED:
        raise StaleAction()
    registration.attended = attended
    await session.commit()
    return await participants(session, organiser_id, seminar_id)


async def open_checkin(session: AsyncSession, organiser_id: int, seminar_id: int) -> str:
    """A four-digit code that attendees send to the bot during the seminar."""
    seminar = await organised_by(session, organiser_id, seminar_id)
    if seminar.checkin_code is None:
        seminar.checkin_code = f"{secrets.randbelow(9000) + 1000}"
        await session.commit()
    return seminar.checkin_code


async def check_in(session: AsyncSession, person_id: int, code: str, now: datetime) -> SeminarView:
    """Mark the person present at the seminar running now whose code they sent.

    Each wrong code counts against the person's seminars running now; after CHECKIN_TRIES
    wrong codes a seminar takes none from them (four digits must not be guessed).
    """
    rows = await session.execute(
        select(Registration, Seminar)
        .join(Seminar, Seminar.id == Registration.seminar_id)
        .where(
            Registration.person_id == person_id,
            Registration.status == RegistrationStatus.REGISTERED,
            Seminar.status == SeminarStatus.PUBLISHED,
            Seminar.starts_at <= now + CHECKIN_EARLY,
            Seminar.starts_at > now - timedelta(days=1),
        )
    )
    running = [(r, s) for r, s in rows if _running(s, now)]
    open_ = [(r, s) for r, s in running if r.checkin_failures < CHECKIN_TRIES]
    for registration, seminar in open_:
        if seminar.checkin_code is not None and seminar.checkin_code == code.strip():
            registration.attended = True
            await session.commit()
            return await view(session, seminar, person_id)
    for registration, _ in open_:
        registration.checkin_failures += 1
    await session.commit()
    raise InvalidInput("checkin_locked" if running and not open_ else "checkin_wrong")


def _running(seminar: Seminar, now: datetime) -> bool:
    assert seminar.starts_at is not None
    start = as_utc(seminar.starts_at)
    return start - CHECKIN_EARLY <= now <= start + timedelta(minutes=seminar.duration_minutes)


@dataclass(frozen=True)
class FeedbackSummary:
    answered: int  # released answers the figures are computed from
    any: bool  # someone answered (released or not yet)
    satisfied: float | None  # % answering 4 or 5 to "overall satisfaction"
    mean: float | None
    nps: float | None
    shown: bool  # False while fewer than `minimum` are released: no figures, no count
    minimum: int


async def feedback_summary(
    session: AsyncSession, seminar_id: int, minimum: int
) -> FeedbackSummary:
    """Satisfaction (top-2 box and mean) and NPS of a seminar's released feedback, from
    `minimum` answers on; before that, only whether anyone answered."""
    rows = await session.execute(
        select(AnonymousAnswer.item_id, AnonymousAnswer.value)
        .join(AnonymousResponse, AnonymousResponse.id == AnonymousAnswer.response_id)
        .where(
            AnonymousResponse.seminar_id == seminar_id,
            AnonymousResponse.instrument == FEEDBACK,
            AnonymousAnswer.item_id.in_((SATISFACTION_ITEM, RECOMMEND_ITEM)),
        )
    )
    values: dict[str, list[int]] = {SATISFACTION_ITEM: [], RECOMMEND_ITEM: []}
    for item_id, value in rows:
        if isinstance(value, int | float):
            values[item_id].append(int(value))
    answered = len(values[SATISFACTION_ITEM])
    if answered < minimum:
        held = await session.scalar(
            select(Response.id)
            .where(Response.seminar_id == seminar_id, Response.instrument == FEEDBACK)
            .where(Response.status == ResponseStatus.COMPLETED)
            .limit(1)
        )
        some = answered > 0 or held is not None
        return FeedbackSummary(0, some, None, None, None, shown=False, minimum=minimum)
    satisfaction = values[SATISFACTION_ITEM]
    return FeedbackSummary(
        answered,
        True,
        top_box_share(satisfaction),
        sum(satisfaction) / answered,
        nps(values[RECOMMEND_ITEM]),
        shown=True,
        minimum=minimum,
    )
