"""How a pair reads: for its two people (the programme, the journal, their actions) and for the
methodist, the curator, who lists the municipality's open pairs, reads any of them, marks a
pair's report of a problem handled and may end one. Meeting notes reach the methodist only
when both sides agreed."""

from sqlalchemy import ColumnElement, SQLColumnExpression, and_, exists, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from core.errors import StaleAction
from core.forms import Context
from core.mentoring.meetings import journal_lines
from core.mentoring.notices import first_name
from core.mentoring.programme_store import is_methodist, member_pair, readable_pair, side_of
from core.models import MentorMeeting, Mentorship, Person, ProblemReport, ProgrammeGoal
from core.people.viewer import load_person, municipality_zone
from core.screens import BLANK, Button, Screen, Text, text
from core.timeutil import shown

DATE = "%d.%m.%Y"
PAGE = 8  # pairs on one page of the methodist's list
NOTES_SHARE, NOTES_PRIVATE = 1, 2  # the state «📒» asks for (0: a button from before, refused)


async def pair_screen(session: AsyncSession, person_id: int, pair_id: int) -> Screen:
    """The pair as one side or the methodist sees it: the programme, the journal, actions."""
    person = await load_person(session, person_id)
    pair = await readable_pair(session, person, pair_id)
    member = person.id in (pair.mentor_id, pair.mentee_id)
    shared = pair.mentor_shares_notes and pair.mentee_shares_notes
    mentee = person.id == pair.mentee_id
    lines = [*await _heading(session, pair), BLANK, *await programme_lines(session, pair, mentee)]
    journal = await journal_lines(session, pair.id, notes=member or shared)
    if journal:
        lines += [BLANK, Text("journal_head"), *journal]
    if member:
        lines += [BLANK, Text("notes_state_shared" if shared else "notes_state_private")]
    if pair.ended_at is not None:
        return Screen(tuple(lines))
    if member:
        return Screen(tuple(lines), _actions(pair, side_of(pair, person)))
    problems = await _problem_lines(session, pair)
    rows = []
    if problems:  # while a report waits
        rows.append((Button(Text("btn_problem_handled"), "mentoring.handled", (pair.id,)),))
    rows.append((Button(Text("btn_close_pair"), "mentoring.close", (pair.id,)),))
    rows.append((Button(Text("btn_mentoring_pairs"), "mentoring.pairs"),))
    return Screen((*lines, *problems), tuple(rows))


async def _problem_lines(session: AsyncSession, pair: Mentorship) -> list[Text]:
    """For the methodist: the reports of a problem not yet marked handled, side and time."""
    waiting = select(ProblemReport).where(_unhandled(pair.id)).order_by(ProblemReport.id)
    reports = list(await session.scalars(waiting))
    if not reports:
        return []
    zone = await municipality_zone(session, pair.municipality_id)
    return [BLANK] + [
        text(
            "pair_problem_waiting",
            side=Text("side_mentor" if report.by_mentor else "side_mentee"),
            at=shown(report.reported_at, zone),
        )
        for report in reports
    ]


async def pairs_with_problems(session: AsyncSession, municipality_id: int) -> int:
    """How many open pairs of the municipality have a problem report no methodist marked
    handled: the weekly summary's alert (an ended pair's reports wait for nobody)."""
    found = await session.scalar(
        select(func.count())
        .select_from(Mentorship)
        .where(
            Mentorship.municipality_id == municipality_id,
            Mentorship.ended_at.is_(None),
            _has_waiting(),
        )
    )
    return int(found or 0)


def _unhandled(pair: int | SQLColumnExpression[int]) -> ColumnElement[bool]:
    """A report of `pair` (an id, or the pair's column in a query) no methodist marked handled."""
    return and_(ProblemReport.mentorship_id == pair, ProblemReport.handled_at.is_(None))


def _has_waiting() -> ColumnElement[bool]:
    """The pair of the query's row has a report waiting."""
    return exists().where(_unhandled(Mentorship.id))


async def mark_handled(
    session: AsyncSession, person_id: int, pair_id: int, ctx: Context
) -> Screen:
    """The methodist marks the pair's waiting reports handled: the side may report a new
    problem at once. Pressed again, there is nothing more to mark; only a methodist may."""
    person = await load_person(session, person_id)
    pair = await readable_pair(session, person, pair_id)
    if not is_methodist(person):
        raise StaleAction()
    if pair.ended_at is not None:
        raise StaleAction("pair_closed")
    await session.execute(
        update(ProblemReport).where(_unhandled(pair.id)).values(handled_at=ctx.now)
    )
    await session.commit()
    return await pair_screen(session, person_id, pair_id)


async def _heading(session: AsyncSession, pair: Mentorship) -> list[Text]:
    mentor = await session.get(Person, pair.mentor_id) if pair.mentor_id else None
    mentee = await session.get(Person, pair.mentee_id) if pair.mentee_id else None
    meetings = await session.scalar(
        select(func.count())
        .select_from(MentorMeeting)
        .where(MentorMeeting.mentorship_id == pair.id, MentorMeeting.logged_at.is_not(None))
    )
    state = Text("pair_open") if pair.ended_at is None else Text(f"end_{pair.end_reason}")
    return [
        text(
            "pair_head",
            number=pair.id,
            mentor=first_name(mentor.full_name) if mentor else Text("gone"),
            mentee=first_name(mentee.full_name) if mentee else Text("gone"),
            state=state,
        ),
        text("pair_meetings", count=int(meetings or 0)),
    ]


async def programme_lines(session: AsyncSession, pair: Mentorship, advice: bool) -> list[Text]:
    """The goals with their deadlines; the Р-201 advice only for the mentee, since it follows
    the level of their deficit (a questionnaire result the others must not read)."""
    goals = await session.scalars(
        select(ProgrammeGoal)
        .where(ProgrammeGoal.mentorship_id == pair.id)
        .order_by(ProgrammeGoal.position)
    )
    lines = [text("programme_head", until=pair.ends_on.strftime(DATE))]
    for goal in goals:
        if goal.done_at is not None:
            lines.append(text("programme_goal_done", number=goal.position, goal=goal.goal))
            continue
        given = goal.steps.get("advice") if advice else None
        lines.append(
            text(
                "programme_goal",
                number=goal.position,
                goal=goal.goal,
                due=goal.due_on.strftime(DATE),
                advice=Text(f"advice_{given}") if given else "",
            )
        )
    return lines


def _actions(pair: Mentorship, mentor: bool) -> tuple[tuple[Button, ...], ...]:
    def b(key: str, action: str) -> Button:
        return Button(Text(key), action, (pair.id,))

    sharing = pair.mentor_shares_notes if mentor else pair.mentee_shares_notes
    notes = Button(
        Text("btn_notes_private" if sharing else "btn_notes_share"),
        "mentoring.notes",
        (pair.id, NOTES_PRIVATE if sharing else NOTES_SHARE),
    )
    return (
        (b("btn_write", "mentoring.write"), b("btn_meeting", "mentoring.meeting")),
        (b("btn_goals", "mentoring.goal"), notes),
        (b("btn_contacts", "mentoring.contacts"), b("btn_problem", "mentoring.problem")),
        (b("btn_close_pair", "mentoring.close"),),
    )


async def set_notes(session: AsyncSession, person_id: int, pair_id: int, wanted: int) -> Screen:
    """This side lets the methodist see the meeting notes (NOTES_SHARE) or takes it back
    (NOTES_PRIVATE). The button names the state, so an old copy pressed again sets what it
    says instead of undoing the last press; a button without a state (0) is refused."""
    if wanted not in (NOTES_SHARE, NOTES_PRIVATE):
        raise StaleAction()
    person = await load_person(session, person_id)
    pair = await member_pair(session, person, pair_id)
    if side_of(pair, person):
        pair.mentor_shares_notes = wanted == NOTES_SHARE
    else:
        pair.mentee_shares_notes = wanted == NOTES_SHARE
    await session.commit()
    return await pair_screen(session, person_id, pair_id)


async def pairs_list(session: AsyncSession, person_id: int, offset: int) -> Screen:
    """The methodist's open pairs, a page at a time, each a button to its screen; those with
    a problem waiting first."""
    person = await load_person(session, person_id)
    if not is_methodist(person) or offset < 0:
        raise StaleAction()
    where = (Mentorship.municipality_id == person.municipality_id, Mentorship.ended_at.is_(None))
    total = int(
        await session.scalar(select(func.count()).select_from(Mentorship).where(*where)) or 0
    )
    if not total:
        return Screen((Text("mentoring_pairs_empty"),))
    waiting = _has_waiting().label("waiting")
    pairs = await session.execute(
        select(Mentorship, waiting)
        .where(*where)
        .order_by(waiting.desc(), Mentorship.id)  # those waiting for help first
        .offset(offset)
        .limit(PAGE)
    )
    rows = [(await _pair_button(session, pair, bool(flag)),) for pair, flag in pairs.all()]
    if offset + PAGE < total:
        rows.append((Button(Text("btn_more_pairs"), "mentoring.pairs", (offset + PAGE,)),))
    return Screen((text("mentoring_pairs_head", count=total),), tuple(rows))


async def _pair_button(session: AsyncSession, pair: Mentorship, waiting: bool) -> Button:
    """The pair's line in the list, «⚠️» first while a report of a problem waits."""
    names = []
    for side in (pair.mentor_id, pair.mentee_id):
        person = await session.get(Person, side) if side else None
        names.append(person.full_name or "—" if person else "—")
    key = "btn_pair_line_waiting" if waiting else "btn_pair_line"
    label = text(key, number=pair.id, mentor=names[0], mentee=names[1])
    return Button(label, "mentoring.pair", (pair.id,))
