"""Requests for support after a high burnout-risk result, and their handling by methodists."""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from core.errors import StaleAction
from core.messaging.outbox import Notice, enqueue
from core.models import Person, PersonRole, Response, ResponseStatus, Role, SupportRequest
from core.people.viewer import load_person
from core.texts import Texts

BURNOUT = "cbi"


@dataclass(frozen=True)
class OpenRequest:
    id: int
    name: str
    telegram_id: int
    created_at: datetime


def offers_support(instrument: str, scores: Mapping[str, object] | None) -> bool:
    """Whether a result should offer "please contact me": the overall burnout band is high."""
    if instrument != BURNOUT or not scores:
        return False
    derived = scores.get("derived")
    overall = derived.get("overall") if isinstance(derived, dict) else None
    return isinstance(overall, dict) and overall.get("band") == "high"


async def ask(
    session: AsyncSession,
    person_id: int,
    response_id: int,
    now: datetime,
    catalogues: Mapping[str, Texts],
) -> None:
    """Record the request (once while open) and tell the municipality's methodists."""
    response = await session.get(Response, response_id)
    if response is None or response.person_id != person_id or response.anonymous:
        raise StaleAction()  # an anonymous result must never be tied to a request
    if response.status != ResponseStatus.COMPLETED:
        raise StaleAction()
    if not offers_support(response.instrument, response.scores):
        raise StaleAction()
    person = await load_person(session, person_id)
    already = await session.scalar(
        select(SupportRequest.id).where(
            SupportRequest.person_id == person_id, SupportRequest.handled_at.is_(None)
        )
    )
    if already is not None:
        return
    request = SupportRequest(
        person_id=person_id, municipality_id=person.municipality_id, created_at=now
    )
    session.add(request)
    await session.flush()
    await enqueue(session, await _tell_methodists(session, person, request, catalogues), now)
    await session.commit()  # the request and the notices together


async def _tell_methodists(
    session: AsyncSession, person: Person, request: SupportRequest, catalogues: Mapping[str, Texts]
) -> list[Notice]:
    """A notice to each methodist of the person's municipality (it names the person, so
    forgetting them deletes it too)."""
    methodists = await session.scalars(
        select(Person)
        .join(PersonRole, PersonRole.person_id == Person.id)
        .where(
            Person.municipality_id == person.municipality_id,
            PersonRole.role == Role.METHODIST,
            Person.registered_at.is_not(None),
        )
    )
    return [
        Notice(
            f"support:{request.id}:{m.id}",
            m.telegram_id,
            catalogues[m.language](
                "support_new", name=person.full_name or "", id=person.telegram_id
            ),
            person_id=m.id,
            priority=1,
            about_id=person.id,
        )
        for m in methodists
    ]


async def open_requests(session: AsyncSession, municipality_id: int) -> list[OpenRequest]:
    """Requests not yet handled, oldest first."""
    rows = await session.execute(
        select(SupportRequest, Person)
        .join(Person, Person.id == SupportRequest.person_id)
        .where(
            SupportRequest.municipality_id == municipality_id,
            SupportRequest.handled_at.is_(None),
        )
        .order_by(SupportRequest.created_at)
    )
    return [OpenRequest(r.id, p.full_name or "", p.telegram_id, r.created_at) for r, p in rows]


async def mark_handled(
    session: AsyncSession, municipality_id: int, request_id: int, now: datetime
) -> list[OpenRequest]:
    """The methodist has contacted the person."""
    request = await session.get(SupportRequest, request_id)
    if request is None or request.municipality_id != municipality_id or request.handled_at:
        raise StaleAction()
    request.handled_at = now
    await session.commit()
    return await open_requests(session, municipality_id)
