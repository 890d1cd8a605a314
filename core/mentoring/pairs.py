"""Life inside a pair: relayed messages (copies: no content kept), contacts exchanged only when
both agree, a problem reported to the methodist, and leaving or closing the pair."""

from dataclasses import dataclass, replace
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from core.errors import PedPulseError, StaleAction
from core.forms import Context
from core.mentoring.notices import first_name, methodists, notice
from core.mentoring.programme import add_months
from core.mentoring.programme_store import member_pair, partner, readable_pair, side_of
from core.messaging.outbox import Bounce, enqueue
from core.models import Delivery, EndReason, Mentorship, Person, ProblemReport, Relay
from core.people.viewer import Pending, load_person, pending_of, set_pending
from core.screens import Button, Screen, Text, text
from core.timeutil import as_utc

RELAY = "relay"  # the pending step of a person about to write to their partner
CLOSE_REASONS = (EndReason.GOALS_MET, EndReason.MOVED, EndReason.OTHER)
SATISFACTION = "mentoring_satisfaction"
EXTENSION = 3  # months
REPORT_AGAIN = timedelta(days=1)  # a side's repeated «Сообщить о проблеме» is not sent sooner


@dataclass(frozen=True)
class Incoming:
    """A message to relay: where it is (Telegram copies it) and its kind (for the log)."""

    chat_id: int
    message_id: int
    kind: str  # text | photo | document | voice | other


STOP = 1  # «✅ Готово»: the messages that follow are no longer for the partner


async def write(session: AsyncSession, person_id: int, pair_id: int, stop: int) -> Screen:
    """The messages the person sends from now on go to their partner, until «Готово»."""
    person = await load_person(session, person_id)
    if stop == STOP:
        if awaits_relay(person) is not None:
            set_pending(person, None)
            await session.commit()
        return Screen((Text("relay_stopped"),), ((_open(pair_id),),))
    pair = await member_pair(session, person, pair_id)
    other = await partner(session, pair, side_of(pair, person))
    if other is None:
        raise StaleAction("pair_closed")
    set_pending(person, Pending(RELAY, "message", pair.id))
    await session.commit()
    return Screen((text("relay_ask", name=first_name(other.full_name)),), ((_done(pair.id),),))


def _done(pair_id: int) -> Button:
    return Button(Text("btn_relay_done"), "mentoring.write", (pair_id, STOP))


def _open(pair_id: int) -> Button:
    return Button(Text("btn_open_pair"), "mentoring.pair", (pair_id,))


def awaits_relay(person: Person) -> int | None:
    pending = pending_of(person)
    return pending.target if pending and pending.form == RELAY else None


async def relay(
    session: AsyncSession, person_id: int, pair_id: int, message: Incoming, ctx: Context
) -> Screen:
    """Copy the message to the partner under the sender's first name; only who, when and
    what kind are recorded. A partner who blocked the bot is reported back, now or later."""
    person = await load_person(session, person_id)
    try:
        pair = await member_pair(session, person, pair_id)
    except StaleAction:
        if awaits_relay(person) == pair_id:  # the pair closed meanwhile: stop writing to it
            set_pending(person, None)
            await session.commit()
        raise
    mentor = side_of(pair, person)
    other = await partner(session, pair, mentor)
    if other is None:
        raise StaleAction("pair_closed")
    name, to = first_name(person.full_name), first_name(other.full_name)
    if not other.active:
        await session.commit()
        raise PedPulseError("relay_unreachable", name=to)
    log = Relay(mentorship_id=pair.id, by_mentor=mentor, kind=message.kind, sent_at=ctx.now)
    session.add(log)
    pair.last_activity_at = ctx.now
    await session.flush()
    reply = Screen((), ((Button(text("btn_reply", name=name), "mentoring.write", (pair.id,)),),))
    t = ctx.catalogues[person.language]
    bounced = Bounce(person.telegram_id, t("relay_bounced", name=to), person.id, other.id)
    copy = replace(
        notice(f"relay:{log.id}", other, reply, ctx.catalogues, about_id=person.id),
        text=None,
        copy_of=(message.chat_id, message.message_id),
        bounce=bounced,
    )
    await enqueue(session, [copy], ctx.now)
    await session.commit()
    return Screen((text("relay_sent", name=to),), ((_done(pair.id),),))


async def contacts(session: AsyncSession, person_id: int, pair_id: int, ctx: Context) -> Screen:
    """This side agrees to show its Telegram profile; once both agree, each gets the other's."""
    person = await load_person(session, person_id)
    pair = await member_pair(session, person, pair_id)
    mentor = side_of(pair, person)
    other = await partner(session, pair, mentor)
    if other is None:
        raise StaleAction("pair_closed")
    if mentor:
        pair.mentor_shares_contact = True
    else:
        pair.mentee_shares_contact = True
    if not (pair.mentor_shares_contact and pair.mentee_shares_contact):
        ask = Screen(
            (text("contacts_asked", name=first_name(person.full_name)),),
            ((Button(Text("btn_contacts"), "mentoring.contacts", (pair.id,)),),),
        )
        await enqueue(
            session,
            [
                notice(
                    f"mt:contacts:{pair.id}:{person.id}",
                    other,
                    ask,
                    ctx.catalogues,
                    about_id=person.id,
                )
            ],
            ctx.now,
        )
        await session.commit()
        return Screen((text("contacts_waiting", name=first_name(other.full_name)),))
    card = _card(person)
    await enqueue(
        session,
        [notice(f"mt:card:{pair.id}:{other.id}", other, card, ctx.catalogues, about_id=person.id)],
        ctx.now,
    )
    await session.commit()
    return _card(other)


def _card(person: Person) -> Screen:
    return Screen(
        (text("contacts_card", id=person.telegram_id, name=first_name(person.full_name)),)
    )


async def problem(session: AsyncSession, person_id: int, pair_id: int, ctx: Context) -> Screen:
    """The methodists of the municipality are asked to get in touch with this side."""
    person = await load_person(session, person_id)
    pair = await member_pair(session, person, pair_id)
    by_mentor = side_of(pair, person)
    if await _reported_lately(session, pair.id, by_mentor, ctx):
        return Screen((Text("problem_already_sent"),))
    report = ProblemReport(mentorship_id=pair.id, by_mentor=by_mentor, reported_at=ctx.now)
    session.add(report)
    await session.flush()
    role = Text("side_mentor" if report.by_mentor else "side_mentee")
    told = Screen(
        (text("problem_reported", number=pair.id, side=role, name=person.full_name or "—"),),
        ((Button(Text("btn_open_pair"), "mentoring.pair", (pair.id,)),),),
    )
    people = await methodists(session, pair.municipality_id)
    notices = [
        notice(f"mt:problem:{report.id}:{m.id}", m, told, ctx.catalogues, about_id=person.id)
        for m in people
    ]
    await enqueue(session, notices, ctx.now)
    await session.commit()
    return Screen((Text("problem_sent"),))


async def _reported_lately(
    session: AsyncSession, pair_id: int, by_mentor: bool, ctx: Context
) -> bool:
    """This side of the pair reported a problem within REPORT_AGAIN that no methodist marked
    handled yet: the methodists were told (a repeat is taken again after a while, in case
    nobody answered)."""
    found = await session.scalar(
        select(ProblemReport.id)
        .where(
            ProblemReport.mentorship_id == pair_id,
            ProblemReport.by_mentor.is_(by_mentor),
            ProblemReport.reported_at > ctx.now - REPORT_AGAIN,
            ProblemReport.handled_at.is_(None),
        )
        .limit(1)
    )
    return found is not None


async def ask_close(session: AsyncSession, person_id: int, pair_id: int) -> Screen:
    """Why the pair ends, with «Нет» to keep it (either side, or the methodist)."""
    pair = await readable_pair(session, await load_person(session, person_id), pair_id)
    if pair.ended_at is not None:
        raise StaleAction("pair_closed")
    rows = [
        (Button(Text(f"end_{reason}"), "mentoring.closed", (pair_id, i)),)
        for i, reason in enumerate(CLOSE_REASONS)
    ]
    rows.append((Button(Text("btn_no"), "mentoring.pair", (pair_id,)),))
    return Screen((Text("close_why"),), tuple(rows))


async def close(
    session: AsyncSession, person_id: int, pair_id: int, reason: int, ctx: Context
) -> Screen:
    """Either side (or a methodist of the municipality) ends the pair with a reason; the
    mentee is offered the anonymous satisfaction questionnaire."""
    if not 0 <= reason < len(CLOSE_REASONS):
        raise StaleAction()
    person = await load_person(session, person_id)
    pair = await session.get(Mentorship, pair_id, with_for_update=True)
    if pair is None or pair.ended_at is not None:
        raise StaleAction("pair_closed")
    await readable_pair(session, person, pair.id)
    await end_pair(session, pair, CLOSE_REASONS[reason], person.id, ctx)
    await session.commit()
    return Screen((text("pair_closed_by_you", reason=Text(f"end_{pair.end_reason}")),))


async def end_pair(
    session: AsyncSession, pair: Mentorship, reason: str, by: int | None, ctx: Context
) -> None:
    """End the pair; tell every side but `by`; offer the mentee the questionnaire."""
    pair.ended_at, pair.end_reason = ctx.now, reason
    for side_id in (pair.mentor_id, pair.mentee_id):
        if side_id is None or side_id == by:
            continue
        other = await session.get(Person, side_id)
        if other is None or not other.active:
            continue
        told = Screen((text("pair_ended", number=pair.id, reason=Text(f"end_{reason}")),))
        await enqueue(
            session,
            [notice(f"mt:ended:{pair.id}:{side_id}", other, told, ctx.catalogues)],
            ctx.now,
        )
    mentee = await session.get(Person, pair.mentee_id) if pair.mentee_id else None
    if mentee is not None and mentee.active and SATISFACTION in ctx.instruments:
        ask = Screen(
            (Text("satisfaction_offer"),),
            ((Button(Text("btn_take_survey"), "survey.mentoring", (pair.id,)),),),
        )
        await enqueue(
            session, [notice(f"mt:survey:{pair.id}", mentee, ask, ctx.catalogues)], ctx.now
        )


async def replied_pair(session: AsyncSession, chat_id: int, message_id: int) -> int | None:
    """The pair of a relayed copy that the person answers with Telegram's «Ответить»."""
    key = await session.scalar(
        select(Delivery.key).where(
            Delivery.chat_id == chat_id,
            Delivery.telegram_message_id == message_id,
            Delivery.key.like("relay:%"),
        )
    )
    if key is None:
        return None
    pair_id: int | None = await session.scalar(
        select(Relay.mentorship_id).where(Relay.id == int(key.split(":")[1]))
    )
    return pair_id


async def open_pairs(session: AsyncSession, mentor_id: int) -> list[int]:
    found = await session.scalars(
        select(Mentorship.id)
        .where(Mentorship.mentor_id == mentor_id, Mentorship.ended_at.is_(None))
        .order_by(Mentorship.id)
    )
    return list(found)


async def extend(session: AsyncSession, person_id: int, pair_id: int, ctx: Context) -> Screen:
    """Three more months for a programme whose end has come (either side may)."""
    pair = await member_pair(session, await load_person(session, person_id), pair_id)
    if pair.overdue_asked_at is None:  # not asked, or extended already (a second press)
        raise StaleAction()
    pair.ends_on = add_months(max(pair.ends_on, as_utc(ctx.now).date()), EXTENSION)
    pair.overdue_asked_at = None
    await session.commit()
    return Screen((text("pair_extended", until=pair.ends_on.strftime("%d.%m.%Y")),))
