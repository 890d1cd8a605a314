"""A pair and its programme in the database: made from the request on acceptance, shown to
both sides and to the methodist."""

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from core.errors import StaleAction
from core.forms import Context
from core.mentoring.notices import first_name
from core.mentoring.people import latest_bands
from core.mentoring.programme import ProgrammeDraft, draft_programme
from core.models import (
    MentorMeeting,
    Mentorship,
    MentorshipRequest,
    Person,
    ProgrammeGoal,
    RequestStatus,
    Role,
)
from core.people.viewer import load_person, municipality_zone
from core.screens import BLANK, Button, Screen, Text, text
from core.seminars.listing import upcoming
from core.texts import Texts
from core.timeutil import as_utc


async def create_pair(
    session: AsyncSession, request: MentorshipRequest, ctx: Context
) -> Mentorship:
    """The pair of an accepted request, with one goal per area and the topic (the mentee's
    language; either side may reword them)."""
    assert request.offered_to is not None
    mentee = await load_person(session, request.mentee_id)
    zone = await municipality_zone(session, mentee.municipality_id)
    start = as_utc(ctx.now).astimezone(zone).date()
    ahead = await upcoming(session, mentee.id, ctx.now, limit=100)
    seminars = {a: [s.id for s in ahead if a in s.tags][:3] for a in request.areas}
    draft = draft_programme(
        start, request.areas, request.topic, await latest_bands(session, mentee.id), seminars
    )
    pair = Mentorship(
        request_id=request.id,
        municipality_id=request.municipality_id,
        mentor_id=request.offered_to,
        mentee_id=mentee.id,
        mode=request.mode,
        started_at=ctx.now,
        ends_on=draft.ends_on,
        last_activity_at=ctx.now,
    )
    session.add(pair)
    await session.flush()
    t = ctx.catalogues[mentee.language]
    session.add_all(_goals(pair.id, draft, request.topic, t))
    request.status, request.offered_to = RequestStatus.PAIRED, None
    return pair


def _goals(
    pair_id: int, draft: ProgrammeDraft, topic: str | None, t: Texts
) -> list[ProgrammeGoal]:
    return [
        ProgrammeGoal(
            mentorship_id=pair_id,
            position=position,
            area=goal.area,
            goal=(t.plain(f"goal_{goal.area}") if goal.area else (topic or ""))[:500],
            steps={"advice": goal.advice, "seminars": list(goal.seminar_ids)},
            due_on=goal.due_on,
        )
        for position, goal in enumerate(draft.goals, start=1)
    ]


def side_of(pair: Mentorship, person: Person) -> bool:
    """True for the mentor, False for the mentee; StaleAction for anyone else (a methodist
    of the municipality reads a pair with `readable`)."""
    if pair.mentor_id == person.id:
        return True
    if pair.mentee_id == person.id:
        return False
    raise StaleAction()


async def member_pair(session: AsyncSession, person: Person, pair_id: int) -> Mentorship:
    """An open pair the person is in (StaleAction otherwise: a forged or old button)."""
    pair = await session.get(Mentorship, pair_id)
    if pair is None or pair.ended_at is not None:
        raise StaleAction("pair_closed")
    side_of(pair, person)
    return pair


async def partner(session: AsyncSession, pair: Mentorship, mentor: bool) -> Person | None:
    other = pair.mentee_id if mentor else pair.mentor_id
    return await session.get(Person, other) if other else None


async def pair_screen(session: AsyncSession, person_id: int, pair_id: int) -> Screen:
    """The pair as one side sees it: the partner, the programme, the journal; the actions."""
    person = await load_person(session, person_id)
    pair = await session.get(Mentorship, pair_id)
    if pair is None:
        raise StaleAction()
    methodist = Role.METHODIST in {r.role for r in person.roles}
    if pair.municipality_id != person.municipality_id or (
        not methodist and person.id not in (pair.mentor_id, pair.mentee_id)
    ):
        raise StaleAction()
    lines = [*await _heading(session, pair, person), BLANK, *await programme_lines(session, pair)]
    if pair.ended_at is not None or person.id not in (pair.mentor_id, pair.mentee_id):
        return Screen(tuple(lines))
    return Screen(tuple(lines), _actions(pair.id))


async def _heading(session: AsyncSession, pair: Mentorship, person: Person) -> list[Text]:
    mentor = await session.get(Person, pair.mentor_id) if pair.mentor_id else None
    mentee = await session.get(Person, pair.mentee_id) if pair.mentee_id else None
    meetings = await session.scalar(
        select(func.count())
        .select_from(MentorMeeting)
        .where(MentorMeeting.mentorship_id == pair.id)
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


async def programme_lines(session: AsyncSession, pair: Mentorship) -> list[Text]:
    goals = await session.scalars(
        select(ProgrammeGoal)
        .where(ProgrammeGoal.mentorship_id == pair.id)
        .order_by(ProgrammeGoal.position)
    )
    lines = [text("programme_head", until=pair.ends_on.strftime("%d.%m.%Y"))]
    for goal in goals:
        advice = goal.steps.get("advice")
        lines.append(
            text(
                "programme_goal",
                number=goal.position,
                goal=goal.goal,
                due=goal.due_on.strftime("%d.%m.%Y"),
                advice=Text(f"advice_{advice}") if advice else "",
            )
        )
    return lines


def _actions(pair_id: int) -> tuple[tuple[Button, ...], ...]:
    def b(key: str, action: str) -> Button:
        return Button(Text(key), action, (pair_id,))

    return (
        (b("btn_write", "mentoring.write"), b("btn_meeting", "mentoring.meeting")),
        (b("btn_contacts", "mentoring.contacts"), b("btn_problem", "mentoring.problem")),
        (b("btn_close_pair", "mentoring.close"),),
    )
