"""Starting or resuming a questionnaire: self-service, seminar feedback, or a campaign's.

A campaign's invitation to a teacher who answered the same questionnaire recently offers to
count that answer (confidential campaigns) or says why it is asked again (anonymous ones: a
named answer copied into anonymous storage could be matched back to its person).
"""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute
from sqlalchemy.sql.elements import ColumnElement

from core.errors import StaleAction
from core.models import (
    Answer,
    Campaign,
    CampaignMember,
    Completion,
    Mentorship,
    Registration,
    Response,
    ResponseStatus,
)
from core.questionnaires.opened import campaign_open, feedback_open
from core.questionnaires.responses import FEEDBACK, Step, step_of
from core.timeutil import as_utc
from surveys.model import Instrument

RECENT = timedelta(days=30)
MENTORING = "mentoring_satisfaction"  # an answer this recent is offered to a campaign


@dataclass(frozen=True)
class Recent:
    """The person answered this questionnaire on `answered_on`: count it, or answer anew."""

    campaign_id: int
    answered_on: datetime
    reusable: bool  # False for an anonymous campaign: it is asked again, and why


async def begin(
    session: AsyncSession,
    person_id: int,
    key: str,
    now: datetime,
    registry: Mapping[str, Instrument],
) -> Step:
    """Resume the person's open response to `key`, or start one."""
    instrument = registry.get(key)
    if instrument is None or not instrument.self_service:
        raise StaleAction()
    return await _resume(session, person_id, instrument, now)


async def begin_feedback(
    session: AsyncSession,
    person_id: int,
    seminar_id: int,
    now: datetime,
    registry: Mapping[str, Instrument],
) -> Step:
    """The seminar-feedback questionnaire, for an attendee who has not given it yet."""
    due = await session.scalar(
        select(Registration.id).where(
            Registration.seminar_id == seminar_id,
            Registration.person_id == person_id,
            Registration.feedback_due.is_(True),
        )
    )
    if (
        due is None
        or FEEDBACK not in registry
        or not await feedback_open(session, seminar_id, now)
    ):
        raise StaleAction("survey_closed")
    return await _resume(session, person_id, registry[FEEDBACK], now, seminar_id=seminar_id)


async def begin_mentoring(
    session: AsyncSession,
    person_id: int,
    pair_id: int,
    now: datetime,
    registry: Mapping[str, Instrument],
) -> Step:
    """The mentoring-satisfaction questionnaire, for the mentee of a pair that has ended
    (anonymous, as the instrument says)."""
    pair = await session.get(Mentorship, pair_id)
    if pair is None or pair.mentee_id != person_id or pair.ended_at is None:
        raise StaleAction()
    if MENTORING not in registry:
        raise StaleAction("survey_closed")
    if await _answered_since(session, person_id, pair.ended_at):
        raise StaleAction("survey_already_done")
    return await _resume(session, person_id, registry[MENTORING], now)


async def _answered_since(session: AsyncSession, person_id: int, ended_at: datetime) -> bool:
    """Whether the mentee completed the questionnaire on or after the day the pair ended: the
    Completion row that every anonymous answer leaves (the day only, no tie to the answers
    or to the pair), so the offer of one pair is answered once."""
    day = as_utc(ended_at).replace(hour=0, minute=0, second=0, microsecond=0)
    found = await session.scalar(
        select(Completion.id)
        .where(
            Completion.person_id == person_id,
            Completion.instrument == MENTORING,
            Completion.completed_on >= day,
        )
        .limit(1)
    )
    return found is not None


async def begin_campaign(
    session: AsyncSession,
    person_id: int,
    campaign_id: int,
    now: datetime,
    registry: Mapping[str, Instrument],
    fresh: bool = False,
) -> Step | Recent:
    """A campaign's questionnaire, for an invited member while the campaign is open; first
    the offer of a recent answer, unless `fresh` (the person chose to answer anew)."""
    campaign, instrument = await _campaign_for(session, person_id, campaign_id, now, registry)
    if not fresh and not await _started(session, person_id, campaign_id):
        recent = await _recent(session, person_id, instrument, now)
        if recent is not None:
            return Recent(campaign_id, as_utc(recent.completed_at or now), not campaign.anonymous)
    return await _resume(
        session, person_id, instrument, now, campaign_id=campaign_id, anonymous=campaign.anonymous
    )


async def reuse_recent(
    session: AsyncSession,
    person_id: int,
    campaign_id: int,
    now: datetime,
    registry: Mapping[str, Instrument],
) -> Step:
    """Count the person's recent answer in a confidential campaign (a copy of it, tied to the
    campaign, so their own history keeps the original)."""
    campaign, instrument = await _campaign_for(session, person_id, campaign_id, now, registry)
    recent = await _recent(session, person_id, instrument, now)
    if campaign.anonymous or recent is None or await _started(session, person_id, campaign_id):
        raise StaleAction()
    copy = Response(
        person_id=person_id,
        instrument=instrument.key,
        version=instrument.version,
        anonymous=False,
        started_at=recent.started_at,
        campaign_id=campaign_id,
    )
    session.add(copy)
    await session.flush()
    answers = await session.execute(
        select(Answer.item_id, Answer.value, Answer.position).where(
            Answer.response_id == recent.id
        )
    )
    session.add_all(
        Answer(response_id=copy.id, item_id=item, value=value, position=position)
        for item, value, position in answers
    )
    await session.flush()
    return await step_of(session, person_id, copy, instrument, None, now)  # complete: the result


async def _campaign_for(
    session: AsyncSession,
    person_id: int,
    campaign_id: int,
    now: datetime,
    registry: Mapping[str, Instrument],
) -> tuple[Campaign, Instrument]:
    campaign = await session.get(Campaign, campaign_id)
    member = await session.scalar(
        select(CampaignMember).where(
            CampaignMember.campaign_id == campaign_id, CampaignMember.person_id == person_id
        )
    )
    if campaign is None or member is None or not campaign_open(campaign, now):
        raise StaleAction("survey_closed")
    if member.completed_on is not None:
        raise StaleAction("survey_already_done")
    instrument = registry.get(campaign.instrument)
    if instrument is None or instrument.version != campaign.version:
        raise StaleAction("survey_closed")
    return campaign, instrument


async def _started(session: AsyncSession, person_id: int, campaign_id: int) -> bool:
    found = await session.scalar(
        select(Response.id).where(
            Response.person_id == person_id, Response.campaign_id == campaign_id
        )
    )
    return found is not None


async def _recent(
    session: AsyncSession, person_id: int, instrument: Instrument, now: datetime
) -> Response | None:
    """The person's own latest confidential answer to this version, if within RECENT."""
    return await session.scalar(
        select(Response)
        .where(
            Response.person_id == person_id,
            Response.instrument == instrument.key,
            Response.version == instrument.version,
            Response.status == ResponseStatus.COMPLETED,
            Response.anonymous.is_(False),
            Response.completed_at >= now - RECENT,
        )
        .order_by(Response.completed_at.desc())
        .limit(1)
    )


def _same(column: InstrumentedAttribute[int | None], value: int | None) -> ColumnElement[bool]:
    return column.is_(None) if value is None else column == value


async def _resume(
    session: AsyncSession,
    person_id: int,
    instrument: Instrument,
    now: datetime,
    *,
    seminar_id: int | None = None,
    campaign_id: int | None = None,
    anonymous: bool | None = None,
) -> Step:
    """The person's open response to the instrument in this context, or a new one."""
    response = await session.scalar(
        select(Response).where(
            Response.person_id == person_id,
            Response.instrument == instrument.key,
            Response.status == ResponseStatus.IN_PROGRESS,
            _same(Response.seminar_id, seminar_id),
            _same(Response.campaign_id, campaign_id),
        )
    )
    if response is None:
        response = Response(
            person_id=person_id,
            instrument=instrument.key,
            version=instrument.version,
            anonymous=instrument.privacy == "anonymous" if anonymous is None else anonymous,
            started_at=now,
            seminar_id=seminar_id,
            campaign_id=campaign_id,
        )
        session.add(response)
        await session.flush()
    return await step_of(session, person_id, response, instrument, None, now)
