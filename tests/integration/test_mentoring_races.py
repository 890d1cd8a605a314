"""Two presses at once settle on one outcome (a double tap on «Согласен», accept against
withdraw, two methodists picking); an offer left unanswered returns to the queue; an extended
programme is not extended again by a second press."""

import asyncio
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from core.errors import StaleAction
from core.forms import Context
from core.mentoring import pairing, pairs, requests
from core.mentoring.nudges import nudge
from core.models import (
    Delivery,
    Mentorship,
    MentorshipRequest,
    Municipality,
    Person,
    PersonRole,
    RequestStatus,
    Role,
    School,
)
from core.texts import load_catalogues
from surveys.registry import load_all

NOW = datetime(2026, 11, 23, 9, tzinfo=UTC)
CTX = Context(NOW, load_catalogues(), load_all())
Maker = async_sessionmaker[AsyncSession]


def _person(town: int, school: int | None, chat: int, role: Role) -> Person:
    return Person(
        telegram_id=chat,
        municipality_id=town,
        school_id=school,
        full_name=f"Фамилия Имя{chat} Отчество",
        started_year=2025,
        language="ru",
        consent_at=NOW,
        registered_at=NOW,
        roles=[PersonRole(role=role)],
    )


async def _offered(maker: Maker, status: RequestStatus = RequestStatus.OFFERED) -> list[int]:
    """Ids of: a methodist, a second methodist, a mentor, a mentee, and her request."""
    async with maker() as session:
        town = Municipality(name="Город", timezone="Europe/Moscow")
        session.add(town)
        await session.flush()
        school = School(municipality_id=town.id, name="Школа", teachers=30)
        session.add(school)
        await session.flush()
        people = [
            _person(town.id, None, 1, Role.METHODIST),
            _person(town.id, None, 2, Role.METHODIST),
            _person(town.id, school.id, 3, Role.MENTOR),
            _person(town.id, school.id, 4, Role.TEACHER),
        ]
        session.add_all(people)
        await session.flush()
        offered = status == RequestStatus.OFFERED
        request = MentorshipRequest(
            mentee_id=people[3].id,
            municipality_id=town.id,
            areas=["method"],
            status=status,
            created_at=NOW - timedelta(days=5),
            submitted_at=NOW - timedelta(days=5),
            offered_to=people[2].id if offered else None,
            offered_at=NOW - timedelta(days=1) if offered else None,
        )
        session.add(request)
        await session.commit()
        return [p.id for p in people] + [request.id]


async def _both(maker: Maker, *calls: object) -> list[object]:
    async def run(call: object) -> object:
        async with maker() as session:
            try:
                return await call(session)  # type: ignore[operator]
            except StaleAction as exc:
                return exc

    return list(await asyncio.gather(*(run(c) for c in calls)))


async def _count(maker: Maker, model: type) -> int:
    async with maker() as session:
        return int(await session.scalar(select(func.count()).select_from(model)) or 0)


async def test_a_double_tap_on_accept_makes_one_pair(sessionmaker: Maker) -> None:
    *_, mentor, _, request = await _offered(sessionmaker)
    results = await _both(
        sessionmaker,
        lambda s: pairing.accept(s, mentor, request, CTX),
        lambda s: pairing.accept(s, mentor, request, CTX),
    )
    assert sum(isinstance(r, StaleAction) for r in results) == 1
    assert await _count(sessionmaker, Mentorship) == 1


async def test_accept_against_withdraw_settles_on_one(sessionmaker: Maker) -> None:
    *_, mentor, mentee, request = await _offered(sessionmaker)
    results = await _both(
        sessionmaker,
        lambda s: pairing.accept(s, mentor, request, CTX),
        lambda s: requests.withdraw(s, mentee, request, CTX),
    )
    assert sum(isinstance(r, StaleAction) for r in results) == 1
    async with sessionmaker() as session:
        status = await session.scalar(
            select(MentorshipRequest.status).where(MentorshipRequest.id == request)
        )
        pairs_made = await session.scalar(select(func.count()).select_from(Mentorship))
    assert (status, pairs_made) in (("paired", 1), ("withdrawn", 0))


async def test_two_methodists_picking_offer_it_once(sessionmaker: Maker) -> None:
    first, second, mentor, _, request = await _offered(sessionmaker, RequestStatus.WAITING)
    results = await _both(
        sessionmaker,
        lambda s: pairing.pick(s, first, request, mentor, CTX),
        lambda s: pairing.pick(s, second, request, mentor, CTX),
    )
    assert sum(isinstance(r, StaleAction) for r in results) == 1
    async with sessionmaker() as session:
        offers = await session.scalar(
            select(func.count()).select_from(Delivery).where(Delivery.key.like("mt:offer:%"))
        )
    assert offers == 1


async def test_an_unanswered_offer_returns_to_the_queue(sessionmaker: Maker) -> None:
    *_, mentor, _, request = await _offered(sessionmaker)
    async with sessionmaker() as session:  # offered a day ago: 3 days are allowed
        await nudge(session, NOW, CTX.catalogues, 30, 3)
        found = await session.get(MentorshipRequest, request)
        assert found is not None and found.status == "offered"
    later = NOW + timedelta(days=2, hours=1)  # three days and an hour since the offer
    async with sessionmaker() as session:
        await nudge(session, later, CTX.catalogues, 30, 3)
        found = await session.get(MentorshipRequest, request)
        assert found is not None and found.status == "waiting" and found.offered_to is None
        assert found.decline_reason == "no_answer" and found.declines == 1
        told = await session.scalar(select(Delivery.text).where(Delivery.key.like("mt:expired:%")))
        assert told is not None and "снято" in told
    with pytest.raises(StaleAction):  # the old «Согласен» does nothing now
        async with sessionmaker() as session:
            await pairing.accept(session, mentor, request, CTX)


async def test_a_second_press_on_extend_changes_nothing(sessionmaker: Maker) -> None:
    *_, mentor, _, request = await _offered(sessionmaker)
    async with sessionmaker() as session:
        await pairing.accept(session, mentor, request, CTX)
        pair = await session.scalar(select(Mentorship))
        assert pair is not None
        pair.ends_on, pair.overdue_asked_at = date(2026, 11, 20), NOW  # asked: overdue
        await session.commit()
        await pairs.extend(session, mentor, pair.id, CTX)
        with pytest.raises(StaleAction):
            await pairs.extend(session, mentor, pair.id, CTX)
        await session.refresh(pair)
        assert pair.ends_on == date(2027, 2, 23)  # three months from 23.11.2026, once
