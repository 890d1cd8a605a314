"""A pair and its programme in the database: made from the request on acceptance, shown to
both sides and to the methodist."""

from sqlalchemy.ext.asyncio import AsyncSession

from core.errors import StaleAction
from core.forms import Context
from core.mentoring.people import latest_bands
from core.mentoring.programme import ProgrammeDraft, draft_programme
from core.models import (
    Mentorship,
    MentorshipRequest,
    Person,
    ProgrammeGoal,
    Role,
)
from core.people.viewer import load_person, municipality_zone
from core.seminars.listing import upcoming
from core.texts import Texts
from core.timeutil import as_utc


async def create_pair(
    session: AsyncSession, request: MentorshipRequest, mentor_id: int, ctx: Context
) -> Mentorship:
    """The pair of an accepted request, with one goal per area and the topic (the mentee's
    language; either side may reword them)."""
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
        mentor_id=mentor_id,
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


async def readable_pair(session: AsyncSession, person: Person, pair_id: int) -> Mentorship:
    """A pair the person is in, or any pair of their municipality for its methodist (the
    curator); StaleAction for anyone else."""
    pair = await session.get(Mentorship, pair_id)
    if pair is None or pair.municipality_id != person.municipality_id:
        raise StaleAction()
    if person.id not in (pair.mentor_id, pair.mentee_id) and not is_methodist(person):
        raise StaleAction()
    return pair


def is_methodist(person: Person) -> bool:
    return Role.METHODIST in {r.role for r in person.roles}
