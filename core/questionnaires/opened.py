"""An in-progress response as an answer needs it: read with its answers in one statement.

Each answered item opens the response again (the person may have answered elsewhere, the
campaign may have closed), so this read is the answer path's main cost: the response, what
decides whether it still takes answers (its campaign, its seminar) and the answers given so
far come back as plain rows in one round trip, without ORM objects. The rules for whether a
campaign or a seminar's feedback takes answers live here too, for starting a response.
"""

from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import NamedTuple

from sqlalchemy import bindparam, select
from sqlalchemy.ext.asyncio import AsyncSession

from core.errors import StaleAction
from core.models import Answer, Campaign, CampaignStatus, Response, ResponseStatus, Seminar
from core.questionnaires.anonymity import FEEDBACK_WINDOW
from core.timeutil import as_utc
from surveys.engine import Value
from surveys.model import Instrument


class Opened(NamedTuple):
    """A response that takes answers: what the next step needs of it."""

    id: int
    anonymous: bool


def takes_answers(status: str | None, closes_at: datetime | None, now: datetime) -> bool:
    """Whether a campaign in `status`, closing at `closes_at`, takes answers now."""
    return status == CampaignStatus.OPEN and closes_at is not None and now < as_utc(closes_at)


def campaign_open(campaign: Campaign, now: datetime) -> bool:
    """Whether a campaign takes answers now."""
    return takes_answers(campaign.status, campaign.closes_at, now)


def takes_feedback(starts_at: datetime | None, duration_minutes: int, now: datetime) -> bool:
    """Feedback is taken for FEEDBACK_WINDOW after a seminar's end (then it is released)."""
    if starts_at is None:
        return False
    ends = as_utc(starts_at) + timedelta(minutes=duration_minutes)
    return now < ends + FEEDBACK_WINDOW


async def feedback_open(session: AsyncSession, seminar_id: int, now: datetime) -> bool:
    """Whether the seminar's feedback is taken now."""
    seminar = await session.get(Seminar, seminar_id)
    return seminar is not None and takes_feedback(seminar.starts_at, seminar.duration_minutes, now)


# built once; a row per answer given (one with no answer before the first)
_OPEN = (
    select(
        Response.person_id,
        Response.status,
        Response.instrument,
        Response.version,
        Response.anonymous,
        Response.campaign_id,
        Campaign.status.label("campaign_status"),
        Campaign.closes_at,
        Response.seminar_id,
        Seminar.starts_at,
        Seminar.duration_minutes,
        Answer.item_id,
        Answer.value,
    )
    .outerjoin(Campaign, Campaign.id == Response.campaign_id)
    .outerjoin(Seminar, Seminar.id == Response.seminar_id)
    .outerjoin(Answer, Answer.response_id == Response.id)
    .where(Response.id == bindparam("response_id"))
)


async def open_response(
    session: AsyncSession,
    person_id: int,
    response_id: int,
    now: datetime,
    registry: Mapping[str, Instrument],
) -> tuple[Opened, Instrument, dict[str, Value]]:
    """The person's response if it takes answers now, its instrument and its answers; a
    StaleAction otherwise (someone else's, finished, its campaign or feedback closed)."""
    rows = (await session.execute(_OPEN, {"response_id": response_id})).all()
    if not rows or rows[0].person_id != person_id:
        raise StaleAction()
    first = rows[0]
    if first.status != ResponseStatus.IN_PROGRESS:
        raise StaleAction("survey_closed")
    if first.campaign_id is not None and not takes_answers(
        first.campaign_status, first.closes_at, now
    ):  # late answers are refused
        raise StaleAction("survey_closed")
    if first.seminar_id is not None and not takes_feedback(
        first.starts_at, first.duration_minutes or 0, now
    ):
        raise StaleAction("survey_closed")
    instrument = registry.get(first.instrument)
    if instrument is None or instrument.version != first.version:
        raise StaleAction("survey_closed")
    given = {row.item_id: row.value for row in rows if row.item_id is not None}
    return Opened(response_id, first.anonymous), instrument, given
