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
    ProblemReport,
    ProgrammeGoal,
    Relay,
    RequestStatus,
    Subject,
)
from core.timeutil import iso_utc


async def record(session: AsyncSession, person_id: int) -> dict[str, Any]:
    """The /mydata part: mentor profile, requests, pairs on either side, their meetings."""
    profile = await session.get(MentorProfile, person_id)
    offered = await session.execute(
        select(MentorshipRequest.id, MentorshipRequest.offered_at).where(
            MentorshipRequest.offered_to == person_id
        )
    )
    pairs = await _pairs_of(session, person_id, open_only=False)
    return {
        "mentor_profile": None if profile is None else _profile(profile),
        "mentoring_requests": await _requests(session, person_id),
        "mentoring_requests_offered": [
            {"request": i, "offered_at": iso_utc(at)} for i, at in offered
        ],
        "mentoring_pairs_as_mentor": [
            await _pair_record(session, p, True) for p in pairs if p.mentor_id == person_id
        ],
        "mentoring_pairs_as_mentee": [
            await _pair_record(session, p, False) for p in pairs if p.mentee_id == person_id
        ],
    }


def _profile(profile: MentorProfile) -> dict[str, Any]:
    return {
        "areas": profile.areas,
        "capacity": profile.capacity,
        "paused": profile.paused,
        "volunteered_at": iso_utc(profile.volunteered_at),
        "confirmed_at": iso_utc(profile.confirmed_at),
    }


async def _requests(session: AsyncSession, person_id: int) -> list[dict[str, Any]]:
    """Their requests for a mentor (not who they were offered to)."""
    found = await session.execute(
        select(MentorshipRequest, Subject.name)
        .outerjoin(Subject, Subject.id == MentorshipRequest.subject_id)
        .where(MentorshipRequest.mentee_id == person_id)
        .order_by(MentorshipRequest.id)
    )
    return [
        {
            "areas": r.areas,
            "topic": r.topic,
            "subject": subject,
            "mode": r.mode,
            "status": r.status,
            "created_at": iso_utc(r.created_at),
            "submitted_at": iso_utc(r.submitted_at),
            "declines": r.declines,
            "decline_reason": r.decline_reason,
        }
        for r, subject in found
    ]


async def _pair_record(session: AsyncSession, pair: Mentorship, mentor: bool) -> dict[str, Any]:
    """A pair from the person's side (`mentor`): its frame and programme, the journal, and
    what this side did (its sharing, messages relayed, problems reported, meeting drafts)."""
    goals = await session.scalars(
        select(ProgrammeGoal.goal)
        .where(ProgrammeGoal.mentorship_id == pair.id)
        .order_by(ProgrammeGoal.position)
    )
    return {
        "pair": pair.id,
        "mode": pair.mode,
        "started_at": iso_utc(pair.started_at),
        "ends_on": pair.ends_on.isoformat(),
        "ended_at": iso_utc(pair.ended_at),
        "end_reason": pair.end_reason,
        "i_share_contact": pair.mentor_shares_contact if mentor else pair.mentee_shares_contact,
        "i_share_notes": pair.mentor_shares_notes if mentor else pair.mentee_shares_notes,
        "goals": list(goals),
        **await _journal(session, pair.id, mentor),
    }


async def _journal(session: AsyncSession, pair_id: int, mentor: bool) -> dict[str, Any]:
    """The logged meetings (both sides see them in the pair), and this side's own records:
    its drafts with their notes, its relayed messages (when, what kind: never the content,
    which is not stored), its problem reports. The partner's drafts are not theirs."""
    meetings = list(
        await session.scalars(
            select(MentorMeeting)
            .where(MentorMeeting.mentorship_id == pair_id)
            .order_by(MentorMeeting.held_on, MentorMeeting.id)
        )
    )
    relays = await session.execute(
        select(Relay.sent_at, Relay.kind)
        .where(Relay.mentorship_id == pair_id, Relay.by_mentor.is_(mentor))
        .order_by(Relay.id)
    )
    problems = await session.scalars(
        select(ProblemReport.reported_at)
        .where(ProblemReport.mentorship_id == pair_id, ProblemReport.by_mentor.is_(mentor))
        .order_by(ProblemReport.id)
    )
    logged = [m for m in meetings if m.logged_at is not None]
    drafts = [m for m in meetings if m.logged_at is None and m.by_mentor == mentor]
    return {
        "meetings": [_meeting(m, mentor) for m in logged],
        "meeting_drafts": [_meeting(m, mentor) for m in drafts],
        "messages_sent": [{"sent_at": iso_utc(at), "kind": kind} for at, kind in relays],
        "problems_reported": [iso_utc(at) for at in problems],
    }


def _meeting(meeting: MentorMeeting, mentor: bool) -> dict[str, Any]:
    return {
        "held_on": meeting.held_on.isoformat(),
        "mode": meeting.mode,
        "logged_by_me": meeting.by_mentor == mentor,
        "logged_at": iso_utc(meeting.logged_at),
        "confirmed_at": iso_utc(meeting.confirmed_at),
        "note": meeting.note,
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
