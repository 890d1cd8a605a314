"""An offer a mentor leaves unanswered does not hold the request for good: after the wait the
request returns to the methodists' queue (marked «не ответил вовремя», which the queue shows)
and the mentor is told the offer was withdrawn."""

from collections.abc import Mapping
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from core.errors import StaleAction
from core.mentoring.notices import notice
from core.mentoring.people import move_request
from core.messaging.outbox import Notice
from core.models import MentorshipRequest, Person, RequestStatus
from core.screens import Screen, Text
from core.texts import Texts

NO_ANSWER = "no_answer"  # the reason an expired offer is shown with in the queue


async def expire_offers(
    session: AsyncSession, now: datetime, catalogues: Mapping[str, Texts], days: int
) -> list[Notice]:
    """Offers older than `days` go back to the queue; the notices for their mentors."""
    stale = await session.scalars(
        select(MentorshipRequest)
        .where(
            MentorshipRequest.status == RequestStatus.OFFERED,
            MentorshipRequest.offered_at < now - timedelta(days=days),
        )
        .order_by(MentorshipRequest.id)
    )
    notices = []
    for request in list(stale):
        mentor = await session.get(Person, request.offered_to) if request.offered_to else None
        try:
            await move_request(
                session,
                request,
                MentorshipRequest.status == RequestStatus.OFFERED,
                MentorshipRequest.offered_to == request.offered_to,
                status=RequestStatus.WAITING,
                offered_to=None,
                declines=request.declines + 1,
                decline_reason=NO_ANSWER,
                flagged_at=None,  # the methodists are told it waits again
            )
        except StaleAction:  # answered at this very moment: nothing to expire
            continue
        if mentor is not None and mentor.active:
            told = Screen((Text("offer_expired"),))
            key = f"mt:expired:{request.id}:{request.declines}"
            notices.append(notice(key, mentor, told, catalogues))
    return notices
