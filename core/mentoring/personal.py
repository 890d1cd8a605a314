"""A person's mentoring data: what /mydata shows, and what /forget does beyond the foreign
keys. A person who leaves ends their open pairs (the other side is told), a request offered
to them goes back to the methodists' queue, and what they wrote (a mentee's programme goals,
their meeting notes) goes with them; the pairs' dates and reasons stay for the registry."""

from typing import Any

from sqlalchemy import delete, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from core.forms import Context
from core.mentoring.pairs import end_pair
from core.models import (
    EndReason,
    MentorMeeting,
    MentorProfile,
    Mentorship,
    MentorshipRequest,
    ProgrammeGoal,
    RequestStatus,
)
from core.timeutil import as_utc


async def record(session: AsyncSession, person_id: int) -> dict[str, Any]:
    """The /mydata part: mentor profile, requests, pairs on either side, their meetings."""
    profile = await session.get(MentorProfile, person_id)
    requests = await session.scalars(
        select(MentorshipRequest)
        .where(MentorshipRequest.mentee_id == person_id)
        .order_by(MentorshipRequest.id)
    )
    offered = await session.scalars(
        select(MentorshipRequest.id).where(MentorshipRequest.offered_to == person_id)
    )
    pairs = await _pairs_of(session, person_id, open_only=False)
    return {
        "mentor_profile": None
        if profile is None
        else {"areas": profile.areas, "capacity": profile.capacity, "paused": profile.paused},
        "mentoring_requests": [
            {"areas": r.areas, "topic": r.topic, "mode": r.mode, "status": r.status}
            for r in requests
        ],
        "mentoring_requests_offered": [{"request": i} for i in offered],
        "mentoring_pairs_as_mentor": [
            await _pair_record(session, p) for p in pairs if p.mentor_id == person_id
        ],
        "mentoring_pairs_as_mentee": [
            await _pair_record(session, p) for p in pairs if p.mentee_id == person_id
        ],
    }


async def _pair_record(session: AsyncSession, pair: Mentorship) -> dict[str, Any]:
    goals = await session.scalars(
        select(ProgrammeGoal.goal)
        .where(ProgrammeGoal.mentorship_id == pair.id)
        .order_by(ProgrammeGoal.position)
    )
    meetings = await session.scalars(
        select(MentorMeeting)
        .where(MentorMeeting.mentorship_id == pair.id, MentorMeeting.logged_at.is_not(None))
        .order_by(MentorMeeting.held_on)
    )
    return {
        "pair": pair.id,
        "started_at": as_utc(pair.started_at).isoformat(),
        "ends_on": pair.ends_on.isoformat(),
        "ended_at": as_utc(pair.ended_at).isoformat() if pair.ended_at else None,
        "end_reason": pair.end_reason,
        "goals": list(goals),
        "meetings": [
            {"held_on": m.held_on.isoformat(), "mode": m.mode, "note": m.note} for m in meetings
        ],
    }


async def _pairs_of(session: AsyncSession, person_id: int, open_only: bool) -> list[Mentorship]:
    query = select(Mentorship).where(
        or_(Mentorship.mentor_id == person_id, Mentorship.mentee_id == person_id)
    )
    if open_only:
        query = query.where(Mentorship.ended_at.is_(None))
    return list(await session.scalars(query.order_by(Mentorship.id)))


async def leave(session: AsyncSession, person_id: int, ctx: Context) -> None:
    """Flushes, never commits: the caller deletes the person in the same transaction."""
    for pair in await _pairs_of(session, person_id, open_only=True):
        await end_pair(session, pair, EndReason.FORGOTTEN, person_id, ctx)
    every = await _pairs_of(session, person_id, open_only=False)
    as_mentee = [p.id for p in every if p.mentee_id == person_id]
    await session.execute(delete(ProgrammeGoal).where(ProgrammeGoal.mentorship_id.in_(as_mentee)))
    for pair in every:
        await session.execute(
            update(MentorMeeting)
            .where(
                MentorMeeting.mentorship_id == pair.id,
                MentorMeeting.by_mentor == (pair.mentor_id == person_id),
            )
            .values(note=None)
        )
    await session.execute(
        update(MentorshipRequest)
        .where(
            MentorshipRequest.offered_to == person_id,
            MentorshipRequest.status == RequestStatus.OFFERED,
        )
        .values(status=RequestStatus.WAITING, offered_to=None, offered_at=None)
    )
    await session.flush()
