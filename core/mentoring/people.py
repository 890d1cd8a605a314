"""Who takes part in mentoring: mentors as ranking candidates, a mentee's deficit bands, the
open pair of a person, and how a request reads (never with questionnaire answers)."""

from collections.abc import Mapping
from typing import Any

from sqlalchemy import func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from core.db import insert
from core.errors import StaleAction
from core.mentoring.ranking import Candidate
from core.models import (
    MentorProfile,
    Mentorship,
    MentorshipRequest,
    Person,
    PersonRole,
    RequestStatus,
    Response,
    ResponseStatus,
    Role,
    Subject,
)
from core.people.viewer import person_subjects
from core.questionnaires.routes import DEFICITS
from core.screens import Text, text
from core.seminars.listing import AREAS

STRONG = "minimal"  # an area with a minimal deficit is a strength to offer


async def latest_bands(session: AsyncSession, person_id: int) -> dict[str, str]:
    """Area → band of the person's latest confidential self-assessment ({} before one)."""
    scores = await session.scalar(
        select(Response.scores)
        .where(
            Response.person_id == person_id,
            Response.instrument == DEFICITS,
            Response.status == ResponseStatus.COMPLETED,
            Response.anonymous.is_(False),
        )
        .order_by(Response.completed_at.desc(), Response.id.desc())
        .limit(1)
    )
    if not scores:
        return {}
    return {area: str(found["band"]) for area, found in scores["scales"].items() if found["band"]}


def strengths_of(bands: Mapping[str, str]) -> list[str]:
    return [area for area in AREAS if bands.get(area) == STRONG]


async def mentor_profile(session: AsyncSession, person: Person) -> MentorProfile:
    """A mentor's profile (made when the role was given; for a mentor from before that, made
    here, confirmed, with no areas until they choose them: areas taken from their own
    self-assessment would tell methodists its results)."""
    found = await session.get(MentorProfile, person.id)
    if found is not None:
        return found
    consented = person.registered_at or person.consent_at
    await session.execute(  # another screen may make it at the same moment: theirs stands
        insert(session, MentorProfile)
        .values(person_id=person.id, areas=[], volunteered_at=consented, confirmed_at=consented)
        .on_conflict_do_nothing(index_elements=[MentorProfile.person_id])
    )
    profile = await session.get(MentorProfile, person.id)
    assert profile is not None  # made here or by the other screen
    return profile


async def load_count(session: AsyncSession, mentor_id: int) -> int:
    """Open pairs and unanswered offers: the places a mentor has taken."""
    pairs = await session.scalar(
        select(func.count())
        .select_from(Mentorship)
        .where(Mentorship.mentor_id == mentor_id, Mentorship.ended_at.is_(None))
    )
    offers = await session.scalar(
        select(func.count())
        .select_from(MentorshipRequest)
        .where(
            MentorshipRequest.offered_to == mentor_id,
            MentorshipRequest.status == RequestStatus.OFFERED,
        )
    )
    return int(pairs or 0) + int(offers or 0)


async def candidates(session: AsyncSession, municipality_id: int) -> list[Candidate]:
    """Every active, registered mentor of the municipality, as the ranking sees them."""
    people = await session.scalars(
        select(Person)
        .join(PersonRole, PersonRole.person_id == Person.id)
        .where(
            PersonRole.role == Role.MENTOR,
            Person.municipality_id == municipality_id,
            Person.active.is_(True),
            Person.registered_at.is_not(None),
        )
        .order_by(Person.id)
    )
    found = []
    for person in people:
        profile = await mentor_profile(session, person)
        found.append(
            Candidate(
                person.id,
                person.full_name or "",
                person.municipality_id,
                person.school_id,
                frozenset(s.subject_id for s in await person_subjects(person)),
                tuple(profile.areas),
                profile.capacity,
                await load_count(session, person.id),
                profile.paused,
                profile.confirmed_at is not None,
            )
        )
    return found


async def open_pair_of(
    session: AsyncSession, person_id: int, mentee: bool | None = None
) -> Mentorship | None:
    """The person's open pair (as a mentee, as a mentor, or either when `mentee` is None)."""
    sides = {True: Mentorship.mentee_id == person_id, False: Mentorship.mentor_id == person_id}
    where = sides[mentee] if mentee is not None else or_(*sides.values())
    found: Mentorship | None = await session.scalar(
        select(Mentorship).where(where, Mentorship.ended_at.is_(None)).order_by(Mentorship.id)
    )
    return found


def area_tick(area: str, on: bool) -> Text:
    return text("area_tick", mark="✅ " if on else "", area=Text(f"area_{area}"))


async def request_lines(session: AsyncSession, request: MentorshipRequest) -> list[Text]:
    """What the mentee declared: areas, own topic, subject, how to meet."""
    subject = (
        await session.scalar(select(Subject.name).where(Subject.id == request.subject_id))
        if request.subject_id
        else None
    )
    areas = [Text(f"area_{a}") for a in request.areas] or [Text("none")]
    return [
        text("mentor_line_areas", areas=areas),
        text("mentor_line_topic", topic=request.topic or Text("none")),
        text("mentor_line_subject", subject=subject or Text("any_subject")),
        text("mentor_line_mode", mode=Text(f"mode_{request.mode}") if request.mode else "—"),
    ]


async def move_request(
    session: AsyncSession, request: MentorshipRequest, *still: Any, **values: Any
) -> None:
    """Move the request on only if it is still as it was read (`still`): of two presses at
    once (two methodists, a double tap, accept against withdraw) one moves it, the other
    gets StaleAction. A conditional UPDATE decides, on SQLite as on PostgreSQL."""
    moved = await session.execute(
        update(MentorshipRequest)
        .where(MentorshipRequest.id == request.id, *still)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    if moved.rowcount != 1:  # type: ignore[attr-defined]  # CursorResult of an UPDATE
        raise StaleAction()
    await session.refresh(request)
