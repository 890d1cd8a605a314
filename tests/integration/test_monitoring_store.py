"""Indicators computed from the database and stored as a time series: values by hand on a
small municipality (a school with a roster headcount, one without), anonymous answers counted
by their kept demographics, a recomputed period replacing its rows, and publications that
keep a hidden cell hidden."""

import asyncio
import gc
import uuid
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from core.models import (
    AnonymousResponse,
    IndicatorRecord,
    Mentorship,
    Municipality,
    Person,
    PersonRole,
    Response,
    Role,
    School,
)
from core.monitoring import store
from core.monitoring.catalogue import ScopeType, load_catalogue
from core.monitoring.periods import school_year, week
from core.monitoring.publication import Selection, publish
from core.monitoring.rules import Thresholds
from core.texts import load_catalogues

CATALOGUE = load_catalogue()
RU = load_catalogues()["ru"]
NOW = datetime(2026, 11, 20, 9, tzinfo=UTC)  # Friday, 12:00 in Moscow
JOINED = datetime(2026, 11, 19, 9, tzinfo=UTC)  # the day before: whole days are counted
YEAR = school_year(date(2026, 11, 20))
Maker = async_sessionmaker[AsyncSession]


def _teacher(town: int, school: int | None, number: int, young: bool, *roles: Role) -> Person:
    started = 2025 if young else 2000
    return Person(
        telegram_id=9000 + number,
        municipality_id=town,
        school_id=school,
        full_name=f"Учитель {number}",
        started_year=started,
        birth_year=1970,
        language="ru",
        consent_at=JOINED,
        registered_at=JOINED,
        roles=[PersonRole(role=r) for r in (Role.TEACHER, *roles)],
    )


async def _town(maker: Maker) -> tuple[int, list[Person]]:
    """School A has a roster of 40; school B none. A: six teachers (three young), B: four
    (one young). A mentor in A guides a young teacher of A; another pair has ended."""
    async with maker() as session:
        town = Municipality(name="Город", timezone="Europe/Moscow")
        session.add(town)
        await session.flush()
        a = School(municipality_id=town.id, name="Школа А", teachers=40)
        b = School(municipality_id=town.id, name="Школа Б", teachers=0)
        session.add_all([a, b])
        await session.flush()
        people = [_teacher(town.id, a.id, i, i < 3) for i in range(6)]
        people += [_teacher(town.id, b.id, 10 + i, i == 0) for i in range(4)]
        people[5].roles.append(PersonRole(role=Role.MENTOR))
        for member in (people[0], people[1], people[7]):  # in an РМО or ШМО
            member.community_member = True
        session.add_all(people)
        await session.flush()
        session.add_all(
            [
                _pair(town.id, people[5], people[0], ended=None),
                _pair(town.id, people[4], people[1], ended=datetime(2026, 10, 1, tzinfo=UTC)),
            ]
        )
        await session.commit()
        return town.id, people


def _pair(town: int, mentor: Person, mentee: Person, ended: datetime | None) -> Mentorship:
    return Mentorship(
        municipality_id=town,
        mentor_id=mentor.id,
        mentee_id=mentee.id,
        started_at=datetime(2026, 9, 10, tzinfo=UTC),
        ends_on=date(2027, 5, 31),
        ended_at=ended,
        end_reason="other" if ended else None,
        last_activity_at=NOW,
    )


def _value(
    rows: list[IndicatorRecord], key: str, scope: ScopeType, scope_id: int | None
) -> tuple[int, int | None, str]:
    found = [
        r
        for r in rows
        if r.indicator == key
        and r.period_kind == "school_year"
        and r.scope_type == scope
        and r.scope_id == scope_id
    ]
    assert len(found) == 1, (key, scope, scope_id)
    return found[0].numerator, found[0].denominator, found[0].denominator_source


async def test_people_indicators_from_the_database(sessionmaker: Maker) -> None:
    town, people = await _town(sessionmaker)
    async with sessionmaker() as session:
        assert await store.aggregate(session, CATALOGUE, town, NOW, [YEAR]) > 0
        rows = list(await session.scalars(select(IndicatorRecord)))
    school_a, school_b = people[0].school_id, people[6].school_id
    # in a pair at the year's end: the mentor and mentee of the open pair (2); of 40 in A's
    # roster plus B's 4 registered: 44, a mixed denominator
    assert _value(rows, "mentoring_share", ScopeType.MUNICIPALITY, town) == (2, 44, "mixed")
    assert _value(rows, "mentoring_share", ScopeType.SCHOOL, school_a) == (2, 40, "headcount")
    assert _value(rows, "mentoring_share", ScopeType.SCHOOL, school_b) == (0, 4, "registered")
    # young: 3 in A + 1 in B of 10 registered; one of the 4 young has a mentor now
    assert _value(rows, "young_share", ScopeType.MUNICIPALITY, town)[:2] == (4, 10)
    assert _value(rows, "young_mentored", ScopeType.MUNICIPALITY, town)[:2] == (1, 4)
    # members of a methodical community: 2 in A of its roster of 40, 1 in B of its 4
    assert _value(rows, "community_share", ScopeType.MUNICIPALITY, town) == (3, 44, "mixed")
    assert _value(rows, "community_share", ScopeType.SCHOOL, school_b) == (1, 4, "registered")


async def _cbi(session: AsyncSession, town: int, person: Person | None, band: str) -> None:
    scores = {"scales": {}, "derived": {"overall": {"score": 0.0, "band": band}}}
    when = datetime(2026, 11, 18, 9, tzinfo=UTC)
    if person is not None:
        session.add(
            Response(
                person_id=person.id,
                instrument="cbi",
                version=1,
                status="completed",
                started_at=when,
                completed_at=when,
                scores=scores,
            )
        )
        return
    kept: dict[str, Any] = {"school_id": None, "subject_ids": [], "young": None}  # too few shared
    session.add(
        AnonymousResponse(
            id=uuid.uuid4(),
            instrument="cbi",
            version=1,
            municipality_id=town,
            released_on=when,
            scores=scores,
            **kept,
        )
    )


async def test_anonymous_answers_count_and_small_groups_stay_hidden(sessionmaker: Maker) -> None:
    town, people = await _town(sessionmaker)
    async with sessionmaker() as session:
        for person, band in zip(people[:6], ["high"] * 2 + ["low"] * 4, strict=True):
            await _cbi(session, town, person, band)
        for band in ["high"] * 3 + ["moderate"] * 3:
            await _cbi(session, town, None, band)
        await session.commit()
        this_week = week(date(2026, 11, 20))
        await store.aggregate(session, CATALOGUE, town, NOW, [this_week])
        rows = list(await session.scalars(select(IndicatorRecord)))
        # 6 confidential + 6 anonymous respondents this week, 2 + 3 of them high
        found = [
            r
            for r in rows
            if r.indicator == "burnout_high_risk" and r.scope_type == "municipality"
        ]
        assert (found[0].numerator, found[0].denominator) == (5, 12)
        # school A has 6 respondents: fewer than 10 for a sensitive indicator, hidden
        limits = Thresholds(5, 10, 3)
        shown = await publish(session, CATALOGUE, limits, town, Selection((this_week,)), RU)
        await session.commit()
        burnout = {
            (s.scope_type, s.scope_id): s
            for s in shown.shown
            if s.indicator == "burnout_high_risk"
        }
        assert people[0].school_id is not None
        school_a = burnout[(ScopeType.SCHOOL, people[0].school_id)]
        assert school_a.value is None and school_a.numerator is None and school_a.hidden
        assert all(v.hidden is None or v.value is None for v in shown.shown)
        # a recomputation replaces the week's rows, it does not add to them
        count = await session.scalar(select(func.count()).select_from(IndicatorRecord))
        await store.aggregate(session, CATALOGUE, town, NOW, [this_week])
        assert await session.scalar(select(func.count()).select_from(IndicatorRecord)) == count


async def test_two_aggregations_of_one_municipality_at_once_leave_one_series(
    sessionmaker: Maker,
) -> None:
    # the night's run and a summary's catch-up (or the CLI) at the same moment: both finish,
    # and each cell is stored once, as the later run counted it
    town, _ = await _town(sessionmaker)
    async with sessionmaker() as first, sessionmaker() as second:
        counted = await asyncio.gather(
            store.aggregate(first, CATALOGUE, town, NOW, [YEAR]),
            store.aggregate(second, CATALOGUE, town, NOW, [YEAR]),
        )
    async with sessionmaker() as session:
        rows = list(await session.scalars(select(IndicatorRecord)))
    assert counted[0] == counted[1] == len(rows) > 0
    assert _value(rows, "young_share", ScopeType.MUNICIPALITY, town)[:2] == (4, 10)
    assert gc.get_freeze_count() == 0  # both spared their rows the collector; all returned
