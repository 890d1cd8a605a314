"""Logging a meeting, on the form engine: its day (a button for the last week, or typed), its
format, the goal worked on, a short note both sides see; then a preview and «Записать».
The draft is a journal row without `logged_at`; the journal and the paperwork skip drafts."""

import re
from datetime import date, datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from core.errors import InvalidInput, StaleAction
from core.forms import Act, Context, Field, Form, Kind, Step, begin
from core.mentoring.programme_store import member_pair, side_of
from core.models import MeetingMode, MentorMeeting, Mentorship, Person, ProgrammeGoal
from core.people.viewer import load_person, municipality_zone
from core.screens import BLANK, Button, Screen, Text, text
from core.timeutil import as_utc
from core.validation import bounded

DAYS_BACK = 7  # buttons for today and the six days before
OLDEST = 180  # a typed day may go back this many days
MODES = tuple(MeetingMode)
NONE = 0  # no goal in particular / no note
DATE = "%d.%m.%Y"
TYPED_DAY = re.compile(r"^\s*(\d{1,2})\.(\d{1,2})\.(\d{4})\s*$")


def day_label(days: int) -> Text:
    if days < 2:
        return Text("meeting_yesterday" if days else "meeting_today")
    return text("meeting_days_ago", days=days)


async def _today(session: AsyncSession, municipality_id: int, now: datetime) -> date:
    return as_utc(now).astimezone(await municipality_zone(session, municipality_id)).date()


def parse_day(value: str, today: date) -> date:
    """A typed day, «21.11.2026», in the last OLDEST days and not in the future."""
    found = TYPED_DAY.match(value)
    try:
        day = date(int(found[3]), int(found[2]), int(found[1])) if found else None
    except ValueError:
        day = None
    if day is None or not today - timedelta(days=OLDEST) <= day <= today:
        raise InvalidInput("meeting_day_invalid", days=OLDEST)
    return day


class MeetingForm(Form[MentorMeeting]):
    name = "mentor_meeting"
    code = "j"
    fields = (
        Field("day", Kind.CHOICE, typed=True),
        Field("mode", Kind.CHOICE),
        Field("goal", Kind.CHOICE),
        Field("note", Kind.CHOICE, typed=True),
    )

    async def load(
        self, session: AsyncSession, person: Person, target: int | None
    ) -> MentorMeeting:
        draft = await session.get(MentorMeeting, target) if target else None
        if draft is None or draft.logged_at is not None:
            raise StaleAction()
        pair = await member_pair(session, person, draft.mentorship_id)
        if side_of(pair, person) != draft.by_mentor:
            raise StaleAction()
        return draft

    async def typed(
        self, session: AsyncSession, draft: MentorMeeting, field: str, value: str, ctx: Context
    ) -> None:
        if field == "day":
            town = await _municipality(session, draft)
            draft.held_on = parse_day(value, await _today(session, town, ctx.now))
        else:
            draft.note = bounded(value, 2, 500, "meeting_note_length")

    async def chosen(
        self,
        session: AsyncSession,
        draft: MentorMeeting,
        field: str,
        value: int,
        key: str,
        ctx: Context,
    ) -> None:
        if field == "day" and 0 <= value < DAYS_BACK:
            today = await _today(session, await _municipality(session, draft), ctx.now)
            draft.held_on = today - timedelta(days=value)
        elif field == "mode" and 0 <= value < len(MODES):
            draft.mode = MODES[value]
        elif field == "goal":
            goals = dict(await _goals(session, draft.mentorship_id))
            if value != NONE and value not in goals:
                raise StaleAction()
            draft.goal_id = value or None
        elif field == "note" and value == NONE:
            draft.note = None
        else:
            raise StaleAction()

    async def ask(
        self, session: AsyncSession, draft: MentorMeeting, field: str, step: Step, ctx: Context
    ) -> Screen:
        rows = await _rows(session, draft, field, step)
        if step.edit:
            rows.append((step.button(Text("btn_cancel"), Act.BACK),))
        return Screen((Text(f"meeting_ask_{field}"),), tuple(rows))

    async def summary(
        self, session: AsyncSession, draft: MentorMeeting, step: Step, ctx: Context
    ) -> Screen:
        lines = [Text("meeting_preview"), BLANK, *await meeting_lines(session, draft)]
        edits = [step.button(Text(f"btn_meeting_{f.name}"), Act.EDIT, f.name) for f in self.fields]
        rows = (
            (Button(Text("btn_log_meeting"), "mentoring.met", (draft.id,)),),
            tuple(edits[:2]),
            tuple(edits[2:]),
            (Button(Text("btn_cancel"), "mentoring.pair", (draft.mentorship_id,)),),
        )
        return Screen(tuple(lines), rows)


FORM = MeetingForm()


async def _municipality(session: AsyncSession, draft: MentorMeeting) -> int:
    """The municipality whose calendar the pair's days are in."""
    pair = await session.get(Mentorship, draft.mentorship_id)
    if pair is None:
        raise StaleAction()
    return pair.municipality_id


async def _goals(session: AsyncSession, pair_id: int) -> list[tuple[int, str]]:
    found = await session.execute(
        select(ProgrammeGoal.id, ProgrammeGoal.goal)
        .where(ProgrammeGoal.mentorship_id == pair_id)
        .order_by(ProgrammeGoal.position)
    )
    return [(row.id, row.goal) for row in found]


async def _rows(
    session: AsyncSession, draft: MentorMeeting, field: str, step: Step
) -> list[tuple[Button, ...]]:
    if field == "day":
        days = [step.button(day_label(d), Act.CHOOSE, value=d) for d in range(DAYS_BACK)]
        return [tuple(days[:2]), tuple(days[2:5]), tuple(days[5:])]
    if field == "mode":
        return [
            (step.button(Text(f"mode_{m}"), Act.CHOOSE, value=i),) for i, m in enumerate(MODES)
        ]
    if field == "goal":
        goals = await _goals(session, draft.mentorship_id)
        rows = [(step.button(goal[:60], Act.CHOOSE, value=gid),) for gid, goal in goals]
        return [*rows, (step.button(Text("btn_no_goal"), Act.CHOOSE, value=NONE),)]
    return [(step.button(Text("btn_skip"), Act.CHOOSE, value=NONE),)]


async def meeting_lines(session: AsyncSession, meeting: MentorMeeting) -> list[Text]:
    """How a meeting reads in the preview, the partner's confirmation and the journal."""
    goal = await session.get(ProgrammeGoal, meeting.goal_id) if meeting.goal_id else None
    lines = [
        text("meeting_line_day", day=meeting.held_on.strftime(DATE)),
        text("meeting_line_mode", mode=Text(f"mode_{meeting.mode}")),
    ]
    if goal is not None:
        lines.append(text("meeting_line_goal", goal=goal.goal))
    if meeting.note:
        lines.append(text("meeting_line_note", note=meeting.note))
    return lines


async def start(session: AsyncSession, person_id: int, pair_id: int, ctx: Context) -> Screen:
    """A fresh draft (an older unfinished one of this side is dropped), asked field by field."""
    person = await load_person(session, person_id)
    pair = await member_pair(session, person, pair_id)
    mentor = side_of(pair, person)
    await session.execute(
        delete(MentorMeeting).where(
            MentorMeeting.mentorship_id == pair.id,
            MentorMeeting.by_mentor == mentor,
            MentorMeeting.logged_at.is_(None),
        )
    )
    draft = MentorMeeting(
        mentorship_id=pair.id,
        held_on=await _today(session, pair.municipality_id, ctx.now),
        mode=pair.mode or MeetingMode.BOT,
        by_mentor=mentor,
    )
    session.add(draft)
    await session.flush()
    return await begin(session, person, FORM, draft, ctx)
