"""The programme's goals, which either side of an open pair may reword, move or mark done.
A goal is edited on the form engine as a resting form (like the profile): its card, a button
per field, the partner told of each change."""

import re
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from core.errors import InvalidInput, StaleAction
from core.forms import SUMMARY, Act, Context, Field, Form, Kind, Step, begin
from core.mentoring.notices import first_name, notice
from core.mentoring.programme import add_months
from core.mentoring.programme_store import member_pair, partner, side_of
from core.messaging.outbox import Notice
from core.models import Mentorship, Person, ProgrammeGoal
from core.people.viewer import load_person, municipality_zone
from core.screens import Button, Screen, Text, text
from core.timeutil import as_utc
from core.validation import bounded

DATE = "%d.%m.%Y"
MONTHS = (1, 3, 6)  # due-date buttons; value 0 is the programme's end
LATEST = 730  # a deadline at most two years ahead
GOAL_DONE, GOAL_UNDONE = 1, 2  # the state «✅ N» / «↩️ N» asks for
TYPED_DAY = re.compile(r"^\s*(\d{1,2})\.(\d{1,2})\.(\d{4})\s*$")


async def _today(session: AsyncSession, pair: Mentorship, ctx: Context) -> date:
    zone = await municipality_zone(session, pair.municipality_id)
    return as_utc(ctx.now).astimezone(zone).date()


def _typed_due(value: str, today: date) -> date:
    found = TYPED_DAY.match(value)
    try:
        day = date(int(found[3]), int(found[2]), int(found[1])) if found else None
    except ValueError:
        day = None
    if day is None or not today <= day <= today + timedelta(days=LATEST):
        raise InvalidInput("goal_due_invalid")
    return day


class GoalForm(Form[ProgrammeGoal]):
    name = "mentor_goal"
    code = "g"
    fields = (Field("wording", Kind.TEXT), Field("due", Kind.CHOICE, typed=True))

    async def load(
        self, session: AsyncSession, person: Person, target: int | None
    ) -> ProgrammeGoal:
        goal = await session.get(ProgrammeGoal, target) if target else None
        if goal is None:
            raise StaleAction()
        await member_pair(session, person, goal.mentorship_id)
        return goal

    def resting(self, draft: ProgrammeGoal) -> bool:
        return True

    async def typed(
        self, session: AsyncSession, draft: ProgrammeGoal, field: str, value: str, ctx: Context
    ) -> None:
        if field == "wording":
            draft.goal = bounded(value, 3, 500, "goal_length")
            return
        pair = await _pair(session, draft)
        draft.due_on = _typed_due(value, await _today(session, pair, ctx))

    async def chosen(
        self,
        session: AsyncSession,
        draft: ProgrammeGoal,
        field: str,
        value: int,
        key: str,
        ctx: Context,
    ) -> None:
        if field != "due" or not (value == 0 or value in MONTHS):
            raise StaleAction()
        pair = await _pair(session, draft)
        today = await _today(session, pair, ctx)
        draft.due_on = add_months(today, value) if value else pair.ends_on

    async def ask(
        self, session: AsyncSession, draft: ProgrammeGoal, field: str, step: Step, ctx: Context
    ) -> Screen:
        rows: list[tuple[Button, ...]] = []
        if field == "due":
            pair = await _pair(session, draft)
            today = await _today(session, pair, ctx)
            for months in MONTHS:
                day = add_months(today, months).strftime(DATE)
                label = text("btn_due_months", months=months, day=day)
                rows.append((step.button(label, Act.CHOOSE, value=months),))
            end = text("btn_due_end", day=pair.ends_on.strftime(DATE))
            rows.append((step.button(end, Act.CHOOSE, value=0),))
        rows.append((step.button(Text("btn_cancel"), Act.BACK),))
        return Screen((Text(f"goalform_ask_{field}"),), tuple(rows))

    async def summary(
        self, session: AsyncSession, draft: ProgrammeGoal, step: Step, ctx: Context
    ) -> Screen:
        card = text(
            "goalform_summary",
            number=draft.position,
            goal=draft.goal,
            due=draft.due_on.strftime(DATE),
        )
        edits = tuple(
            step.button(Text(f"btn_goalform_{f.name}"), Act.EDIT, f.name) for f in self.fields
        )
        back = Button(Text("btn_goals"), "mentoring.goal", (draft.mentorship_id,))
        return Screen((card,), (edits, (back,)))

    async def changed(
        self, session: AsyncSession, person: Person, draft: ProgrammeGoal, field: str, ctx: Context
    ) -> list[Notice]:
        pair = await _pair(session, draft)
        other = await partner(session, pair, side_of(pair, person))
        if other is None or not other.active:
            return []
        told = text(
            "goal_changed",
            name=first_name(person.full_name),
            number=draft.position,
            goal=draft.goal,
            due=draft.due_on.strftime(DATE),
        )
        open_pair = Button(Text("btn_open_pair"), "mentoring.pair", (pair.id,))
        key = f"mt:goal:{draft.id}:{field}:{ctx.now.timestamp():.0f}"
        shown = Screen((told,), ((open_pair,),))
        return [notice(key, other, shown, ctx.catalogues, about_id=person.id)]


FORM = GoalForm()


async def _pair(session: AsyncSession, goal: ProgrammeGoal) -> Mentorship:
    pair = await session.get(Mentorship, goal.mentorship_id)
    if pair is None or pair.ended_at is not None:
        raise StaleAction("pair_closed")
    return pair


async def goals_screen(session: AsyncSession, person_id: int, pair_id: int) -> Screen:
    """The goals with ✏️ and ✅ buttons for each."""
    pair = await member_pair(session, await load_person(session, person_id), pair_id)
    goals = await session.scalars(
        select(ProgrammeGoal)
        .where(ProgrammeGoal.mentorship_id == pair.id)
        .order_by(ProgrammeGoal.position)
    )
    rows: list[tuple[Button, ...]] = []
    for goal in goals:
        tick = text("btn_goal_undone" if goal.done_at else "btn_goal_done", number=goal.position)
        wanted = GOAL_UNDONE if goal.done_at else GOAL_DONE
        rows.append(
            (
                Button(
                    text("btn_goal_edit", number=goal.position), "mentoring.goal", (0, goal.id)
                ),
                Button(tick, "mentoring.goaldone", (goal.id, wanted)),
            )
        )
    rows.append((Button(Text("btn_back_to_pair"), "mentoring.pair", (pair.id,)),))
    return Screen((Text("goals_head"),), tuple(rows))


async def goal_pressed(
    session: AsyncSession, person_id: int, pair_id: int, goal_id: int, ctx: Context
) -> Screen:
    """«🎯 Цели» (a pair) shows the goals; «✏️ N» (a goal) opens its card."""
    if not goal_id:
        return await goals_screen(session, person_id, pair_id)
    person = await load_person(session, person_id)
    goal = await FORM.load(session, person, goal_id)
    return await begin(session, person, FORM, goal, ctx, at=SUMMARY)


async def set_done(
    session: AsyncSession, person_id: int, goal_id: int, wanted: int, ctx: Context
) -> Screen:
    """«✅ N» marks the goal done, «↩️ N» takes the mark back. The button names the state, so
    an old copy (the partner ticked the goal meanwhile) changes nothing instead of undoing it;
    a button without a state (0) is refused."""
    if wanted not in (GOAL_DONE, GOAL_UNDONE):
        raise StaleAction()
    person = await load_person(session, person_id)
    goal = await FORM.load(session, person, goal_id)
    if wanted == GOAL_UNDONE:
        goal.done_at = None
    elif goal.done_at is None:  # done already: the first day it was done stays
        goal.done_at = ctx.now
    await session.commit()
    return await goals_screen(session, person_id, goal.mentorship_id)
