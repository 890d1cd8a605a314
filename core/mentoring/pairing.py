"""Pairing: the methodists' queue (oldest request first), ranked suggestions, the offer to a
mentor, and the mentor's answer; accepting makes the pair and its programme draft."""

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from core.errors import PedPulseError, StaleAction
from core.forms import Context
from core.mentoring.notices import first_name, methodists, notice
from core.mentoring.people import candidates, move_request, open_pair_of, request_lines
from core.mentoring.programme_store import create_pair
from core.mentoring.ranking import Suggestion, Wanted, eligible, rank
from core.messaging.outbox import enqueue
from core.models import MentorshipRequest, Person, RequestStatus, Role, School
from core.people.viewer import load_person, pending_of, set_pending
from core.screens import BLANK, Button, Screen, Text, text
from core.timeutil import as_utc

DECLINE_REASONS = ("capacity", "areas", "time", "other")


async def methodist_of(session: AsyncSession, person_id: int) -> Person:
    person = await load_person(session, person_id)
    if Role.METHODIST not in {r.role for r in person.roles}:
        raise PedPulseError("mentoring_methodists_only")
    return person


async def _waiting(session: AsyncSession, municipality_id: int) -> list[MentorshipRequest]:
    found = await session.scalars(
        select(MentorshipRequest)
        .where(
            MentorshipRequest.municipality_id == municipality_id,
            MentorshipRequest.status == RequestStatus.WAITING,
        )
        .order_by(MentorshipRequest.submitted_at, MentorshipRequest.id)
    )
    return list(found)


FIND = "mentor_find"  # the pending step of a methodist about to type a mentor's name
EXPORT = (  # under the queue: the open pairs, and the paperwork
    Button(Text("btn_mentoring_pairs"), "mentoring.pairs"),
    Button(Text("btn_mentoring_export"), "mentoring.export"),
)


async def _stop_finding(me: Person) -> Person:
    """No mentor's name is awaited any more (committed with the caller's next commit)."""
    if (pending := pending_of(me)) is not None and pending.form == FIND:
        set_pending(me, None)
    return me


async def queue(session: AsyncSession, person_id: int, offset: int, ctx: Context) -> Screen:
    """The request at `offset` in the queue (oldest first) with up to five mentors to pick.
    Coming back to it (/mentoring, «Отмена», the next request) stops awaiting a mentor's
    name: text typed later is not a search."""
    me = await _stop_finding(await methodist_of(session, person_id))
    waiting = await _waiting(session, me.municipality_id)
    if not waiting:
        await session.commit()  # the name no longer awaited
        return Screen((Text("mentoring_queue_empty"),), (EXPORT,))
    offset = offset % len(waiting)
    request = waiting[offset]
    lines = [
        text("mentoring_queue_head", number=offset + 1, total=len(waiting)),
        BLANK,
        *await _who(session, request, ctx.now),
        *await request_lines(session, request),
    ]
    if request.declines:
        reason = Text(f"decline_{request.decline_reason}")
        lines.append(text("mentoring_declined_before", count=request.declines, reason=reason))
    found = await suggestions(session, request)
    lines += [BLANK, Text("mentoring_suggest_head" if found else "mentoring_suggest_none")]
    lines += [_why(i + 1, s) for i, s in enumerate(found)]
    rows = [
        (
            Button(
                f"{i + 1}. {s.candidate.name}",
                "mentoring.pick",
                (request.id, s.candidate.person_id),
            ),
        )
        for i, s in enumerate(found)
    ]
    rows.append((Button(Text("btn_find_mentor"), "mentoring.find", (request.id,)),))
    if len(waiting) > 1:
        rows.append((Button(Text("btn_next_request"), "mentoring.queue", (offset + 1,)),))
    await session.commit()  # a profile made on first sight, the name no longer awaited
    return Screen(tuple(lines), (*rows, EXPORT))


async def _who(session: AsyncSession, request: MentorshipRequest, now: datetime) -> list[Text]:
    mentee = await load_person(session, request.mentee_id)
    school = await session.scalar(select(School.name).where(School.id == mentee.school_id))
    waited = (now - as_utc(request.submitted_at or now)).days
    return [
        text("mentoring_who", name=mentee.full_name or "—", school=school or "—"),
        text("mentoring_waiting", days=waited),
    ]


def _why(number: int, s: Suggestion) -> Text:
    reasons: list[Text] = []
    if s.covered:
        reasons.append(text("why_covers", areas=[Text(f"area_{a}") for a in s.covered]))
    if s.same_subject:
        reasons.append(Text("why_subject"))
    if s.same_school:
        reasons.append(Text("why_school"))
    elif s.same_municipality:
        reasons.append(Text("why_municipality"))
    reasons.append(text("why_free", free=s.candidate.free))
    return text("mentoring_why", number=number, name=s.candidate.name, why=reasons)


async def suggestions(session: AsyncSession, request: MentorshipRequest) -> list[Suggestion]:
    mentee = await load_person(session, request.mentee_id)
    pool = await candidates(session, request.municipality_id)
    return list(rank(pool, _wanted(request, mentee)))


async def waiting_request(
    session: AsyncSession, methodist: Person, request_id: int
) -> MentorshipRequest:
    """A request waiting in the methodist's own municipality (StaleAction otherwise)."""
    request = await session.get(MentorshipRequest, request_id)
    if request is None or request.status != RequestStatus.WAITING:
        raise StaleAction()
    if request.municipality_id != methodist.municipality_id:
        raise StaleAction()
    return request


async def wanted_by(session: AsyncSession, request: MentorshipRequest) -> Wanted:
    return _wanted(request, await load_person(session, request.mentee_id))


def _wanted(request: MentorshipRequest, mentee: Person) -> Wanted:
    return Wanted(
        mentee.id,
        request.municipality_id,
        mentee.school_id,
        request.subject_id,
        tuple(request.areas),
    )


async def pick(
    session: AsyncSession, person_id: int, request_id: int, mentor_id: int, ctx: Context
) -> Screen:
    """The methodist offers the request to a mentor, who is asked to accept or decline."""
    me = await methodist_of(session, person_id)
    request = await waiting_request(session, me, request_id)
    mentee = await load_person(session, request.mentee_id)
    chosen = next(
        (c for c in await candidates(session, me.municipality_id) if c.person_id == mentor_id),
        None,
    )
    if chosen is None or not eligible(chosen, _wanted(request, mentee)):
        raise PedPulseError("mentor_unavailable")
    await move_request(
        session,
        request,
        MentorshipRequest.status == RequestStatus.WAITING,
        status=RequestStatus.OFFERED,
        offered_to=mentor_id,
        offered_at=ctx.now,
    )
    mentor = await load_person(session, mentor_id)
    offer = await _offer(session, request, mentee)
    key = f"mt:offer:{request.id}:{request.declines}"
    await enqueue(
        session, [notice(key, mentor, offer, ctx.catalogues, about_id=mentee.id)], ctx.now
    )
    await session.commit()
    return Screen((text("mentoring_offered", name=mentor.full_name or "—"),))


async def _offer(session: AsyncSession, request: MentorshipRequest, mentee: Person) -> Screen:
    """What the mentor is shown: the mentee's declared needs, never their answers."""
    school = await session.scalar(select(School.name).where(School.id == mentee.school_id))
    return Screen(
        (
            text("mentor_offer", name=first_name(mentee.full_name), school=school or "—"),
            BLANK,
            *await request_lines(session, request),
            BLANK,
            Text("mentor_offer_privacy"),
        ),
        (
            (Button(Text("btn_accept"), "mentoring.accept", (request.id,)),),
            (Button(Text("btn_mentor_decline"), "mentoring.decline", (request.id,)),),
        ),
    )


async def _offered(session: AsyncSession, mentor_id: int, request_id: int) -> MentorshipRequest:
    request = await session.get(MentorshipRequest, request_id)
    if request is None or request.status != RequestStatus.OFFERED:
        raise StaleAction()
    if request.offered_to != mentor_id:
        raise StaleAction()
    return request


def _still_offered(mentor_id: int) -> tuple[Any, ...]:
    return (
        MentorshipRequest.status == RequestStatus.OFFERED,
        MentorshipRequest.offered_to == mentor_id,
    )


async def accept(session: AsyncSession, mentor_id: int, request_id: int, ctx: Context) -> Screen:
    """The pair begins with a draft programme; the mentee is told who their mentor is."""
    request = await _offered(session, mentor_id, request_id)
    if await open_pair_of(session, request.mentee_id, mentee=True) is not None:
        raise StaleAction()
    await move_request(
        session, request, *_still_offered(mentor_id), status=RequestStatus.PAIRED, offered_to=None
    )
    pair = await create_pair(session, request, mentor_id, ctx)
    mentor = await load_person(session, mentor_id)
    mentee = await load_person(session, request.mentee_id)
    told = Screen(
        (text("mentee_paired", name=first_name(mentor.full_name)), BLANK, Text("pair_privacy")),
        ((Button(Text("btn_open_pair"), "mentoring.pair", (pair.id,)),),),
    )
    await enqueue(
        session,
        [notice(f"mt:paired:{pair.id}", mentee, told, ctx.catalogues, about_id=mentor.id)],
        ctx.now,
    )
    await session.commit()
    return Screen(
        (text("mentor_accepted", name=first_name(mentee.full_name)),),
        ((Button(Text("btn_open_pair"), "mentoring.pair", (pair.id,)),),),
    )


async def ask_decline(session: AsyncSession, mentor_id: int, request_id: int) -> Screen:
    """Why the mentor declines (the methodists see the reason, the mentee does not)."""
    await _offered(session, mentor_id, request_id)
    rows = tuple(
        (Button(Text(f"decline_{reason}"), "mentoring.declined", (request_id, i)),)
        for i, reason in enumerate(DECLINE_REASONS)
    )
    return Screen((Text("mentor_decline_why"),), rows)


async def decline(
    session: AsyncSession, mentor_id: int, request_id: int, reason: int, ctx: Context
) -> Screen:
    """The request returns to the queue, flagged with the reason; the methodists are told."""
    if not 0 <= reason < len(DECLINE_REASONS):
        raise StaleAction()
    request = await _offered(session, mentor_id, request_id)
    await move_request(
        session,
        request,
        *_still_offered(mentor_id),
        status=RequestStatus.WAITING,
        offered_to=None,
        declines=request.declines + 1,
        decline_reason=DECLINE_REASONS[reason],
    )
    back = Screen(
        (text("mentoring_returned", reason=Text(f"decline_{request.decline_reason}")),),
        ((Button(Text("btn_open_queue"), "mentoring.queue"),),),
    )
    key = f"mt:declined:{request.id}:{request.declines}"
    people = await methodists(session, request.municipality_id)
    await enqueue(
        session, [notice(f"{key}:{m.id}", m, back, ctx.catalogues) for m in people], ctx.now
    )
    await session.commit()
    return Screen((Text("mentor_declined"),))
