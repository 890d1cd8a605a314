"""The meetings journal: one side logs a meeting (its day, in the pair's way of meeting),
the other confirms it with one button."""

from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from core.errors import StaleAction
from core.forms import Context
from core.mentoring.notices import first_name, notice
from core.mentoring.programme_store import member_pair, partner, side_of
from core.messaging.outbox import enqueue
from core.models import MeetingMode, MentorMeeting, Mentorship
from core.people.viewer import load_person, municipality_zone
from core.screens import Button, Screen, Text, text
from core.timeutil import as_utc

DAYS_BACK = 7  # «сегодня», «вчера» ... six days ago


def _day(days: int) -> Text:
    if days < 2:
        return Text("meeting_yesterday" if days else "meeting_today")
    return text("meeting_days_ago", days=days)


async def ask_day(session: AsyncSession, person_id: int, pair_id: int) -> Screen:
    pair = await member_pair(session, await load_person(session, person_id), pair_id)
    rows = [(Button(_day(days), "mentoring.met", (pair.id, days)),) for days in range(DAYS_BACK)]
    return Screen((Text("meeting_when"),), tuple(rows))


async def log_meeting(
    session: AsyncSession, person_id: int, pair_id: int, days_ago: int, ctx: Context
) -> Screen:
    if not 0 <= days_ago < DAYS_BACK:
        raise StaleAction()
    person = await load_person(session, person_id)
    pair = await member_pair(session, person, pair_id)
    mentor = side_of(pair, person)
    zone = await municipality_zone(session, pair.municipality_id)
    held_on = as_utc(ctx.now).astimezone(zone).date() - timedelta(days=days_ago)
    meeting = MentorMeeting(
        mentorship_id=pair.id,
        held_on=held_on,
        mode=pair.mode or MeetingMode.BOT,
        by_mentor=mentor,
        logged_at=ctx.now,
    )
    session.add(meeting)
    pair.last_activity_at = ctx.now
    await session.flush()
    other = await partner(session, pair, mentor)
    day = held_on.strftime("%d.%m.%Y")
    if other is not None and other.active:
        ask = Screen(
            (text("meeting_confirm_ask", name=first_name(person.full_name), day=day),),
            ((Button(Text("btn_confirm_meeting"), "mentoring.confirm", (meeting.id,)),),),
        )
        key = f"mt:meeting:{meeting.id}"
        await enqueue(
            session, [notice(key, other, ask, ctx.catalogues, about_id=person.id)], ctx.now
        )
    await session.commit()
    return Screen((text("meeting_logged", day=day),))


async def confirm(session: AsyncSession, person_id: int, meeting_id: int, ctx: Context) -> Screen:
    """The other side confirms; the one who logged it cannot confirm their own entry."""
    person = await load_person(session, person_id)
    meeting = await session.get(MentorMeeting, meeting_id)
    pair = await session.get(Mentorship, meeting.mentorship_id) if meeting else None
    if meeting is None or pair is None or meeting.confirmed_at is not None:
        raise StaleAction()
    if side_of(pair, person) == meeting.by_mentor:
        raise StaleAction()
    meeting.confirmed_at = ctx.now
    await session.commit()
    return Screen((text("meeting_confirmed", day=meeting.held_on.strftime("%d.%m.%Y")),))
