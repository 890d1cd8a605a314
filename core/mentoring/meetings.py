"""The meetings journal: a previewed draft (core.mentoring.meeting_form) is logged, the other
side confirms it with one button; the pair's screen shows the latest entries."""

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from core.errors import StaleAction
from core.forms import Context, at_summary
from core.mentoring.meeting_form import FORM, meeting_lines
from core.mentoring.notices import first_name, notice
from core.mentoring.programme_store import member_pair, partner, side_of
from core.messaging.outbox import enqueue
from core.models import MentorMeeting, Mentorship
from core.people.viewer import load_person, set_pending
from core.screens import BLANK, Button, Screen, Text, text

DATE = "%d.%m.%Y"
SHOWN = 5  # the latest entries on the pair's screen


async def log(session: AsyncSession, person_id: int, meeting_id: int, ctx: Context) -> Screen:
    """The draft enters the journal; the partner is asked to confirm it."""
    person = await load_person(session, person_id)
    meeting = await at_summary(session, person, FORM, meeting_id)
    pair = await member_pair(session, person, meeting.mentorship_id)
    meeting.logged_at = ctx.now
    pair.last_activity_at = ctx.now
    set_pending(person, None)
    lines = await meeting_lines(session, meeting)
    other = await partner(session, pair, side_of(pair, person))
    if other is not None and other.active:
        ask = Screen(
            (text("meeting_confirm_ask", name=first_name(person.full_name)), BLANK, *lines),
            ((Button(Text("btn_confirm_meeting"), "mentoring.confirm", (meeting.id,)),),),
        )
        key = f"mt:meeting:{meeting.id}"
        await enqueue(
            session, [notice(key, other, ask, ctx.catalogues, about_id=person.id)], ctx.now
        )
    await session.commit()
    return Screen((text("meeting_logged", day=meeting.held_on.strftime(DATE)),))


async def confirm(session: AsyncSession, person_id: int, meeting_id: int, ctx: Context) -> Screen:
    """The other side confirms; the one who logged it cannot confirm their own entry."""
    person = await load_person(session, person_id)
    meeting = await session.get(MentorMeeting, meeting_id)
    pair = await session.get(Mentorship, meeting.mentorship_id) if meeting else None
    if meeting is None or pair is None or meeting.logged_at is None:
        raise StaleAction()
    if pair.ended_at is not None:
        raise StaleAction("pair_closed")
    if meeting.confirmed_at is not None or side_of(pair, person) == meeting.by_mentor:
        raise StaleAction()
    meeting.confirmed_at = ctx.now
    await session.commit()
    return Screen((text("meeting_confirmed", day=meeting.held_on.strftime(DATE)),))


async def journal_lines(session: AsyncSession, pair_id: int, notes: bool) -> list[Text]:
    """The latest logged meetings, newest first, confirmed or not; their notes if `notes`."""
    found = await session.scalars(
        select(MentorMeeting)
        .where(MentorMeeting.mentorship_id == pair_id, MentorMeeting.logged_at.is_not(None))
        .order_by(MentorMeeting.held_on.desc(), MentorMeeting.id.desc())
        .limit(SHOWN)
    )
    lines: list[Text] = []
    for meeting in found:
        mark = Text("journal_confirmed" if meeting.confirmed_at else "journal_unconfirmed")
        lines.append(
            text(
                "journal_entry",
                day=meeting.held_on.strftime(DATE),
                mode=Text(f"mode_{meeting.mode}"),
                mark=mark,
            )
        )
        if notes and meeting.note:
            lines.append(text("journal_note", note=meeting.note))
    return lines
