"""Scheduled jobs: one municipality's bad data never stops the others."""

import logging
from datetime import timedelta

import pytest
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from core.models import Municipality, SummarySetting
from tests.integration import test_mentoring_nudges as nudges
from tests.integration.test_monitoring_jobs import (
    MOSCOW,
    MOSCOW_NINE,
    _aggregate,
    _aggregated,
    _summaries,
    _tick,
    _town,
    _week,
)

Maker = async_sessionmaker[AsyncSession]


async def _break_zone(maker: Maker, town: int) -> None:
    """A zone the tz database does not know (hand-edited, or dropped by a tzdata update)."""
    async with maker() as session:
        await session.execute(
            update(Municipality).where(Municipality.id == town).values(timezone="Mars/Olympus")
        )
        await session.commit()


async def test_an_unknown_zone_stops_only_its_own_aggregation(
    sessionmaker: Maker, caplog: pytest.LogCaptureFixture
) -> None:
    broken = (await _town(sessionmaker, "Сломанный район", MOSCOW)).id
    working = (await _town(sessionmaker, "Москва", MOSCOW)).id
    await _break_zone(sessionmaker, broken)
    caplog.set_level(logging.ERROR)
    assert await _aggregate(sessionmaker, MOSCOW_NINE) == 1
    assert await _aggregated(sessionmaker) == {(str(working), "2026-11-23")}
    messages = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
    assert any(f"municipality {broken}" in m for m in messages), messages
    assert not any("Сломанный" in m for m in messages)


async def test_an_unknown_zone_stops_only_its_own_weekly_summaries(
    sessionmaker: Maker, caplog: pytest.LogCaptureFixture
) -> None:
    broken = await _town(sessionmaker, "Сломанный район", MOSCOW)
    working = await _town(sessionmaker, "Москва", MOSCOW)
    await _break_zone(sessionmaker, broken.id)
    caplog.set_level(logging.ERROR)
    await _tick(sessionmaker, MOSCOW_NINE)
    assert await _summaries(sessionmaker) == {working.methodists[0]: _week("2026-W48")}
    messages = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
    assert any(f"municipality {broken.id}" in m for m in messages), messages


async def test_a_summary_setting_out_of_range_stops_only_that_methodist(
    sessionmaker: Maker, caplog: pytest.LogCaptureFixture
) -> None:
    town = await _town(sessionmaker, "Москва", MOSCOW, methodists=2)
    broken, working = town.methodists
    async with sessionmaker() as session:  # no check in the schema: an hour of 24 is stored
        session.add(SummarySetting(person_id=broken, enabled=True, weekday=0, hour=24))
        await session.commit()
    caplog.set_level(logging.ERROR)
    await _tick(sessionmaker, MOSCOW_NINE)
    assert await _summaries(sessionmaker) == {working: _week("2026-W48")}
    messages = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
    assert any(f"methodist {broken} failed" in m for m in messages), messages


async def test_an_unknown_zone_stops_only_its_own_mentoring_nudges(
    sessionmaker: Maker, caplog: pytest.LogCaptureFixture
) -> None:
    """Two programmes past their end: the one in a municipality with an unknown zone is
    left out (logged by id), the other is asked about as usual."""
    ended = nudges.NOW - timedelta(days=2)
    async with sessionmaker() as session:
        towns = [await nudges._town(session, name) for name in ("Первый", "Второй")]
        people = [
            await nudges._person(session, town, chat, f"Имя{chat} Фамилия")
            for town, chat in ((towns[0], 1), (towns[0], 2), (towns[1], 3), (towns[1], 4))
        ]
        for mentor, mentee in (people[:2], people[2:]):
            await nudges._pair(session, (mentor, mentee), nudges.NOW, ended.date())
        await session.commit()
    await _break_zone(sessionmaker, towns[0].id)
    with caplog.at_level(logging.ERROR):
        assert await nudges._tick(sessionmaker, nudges.NOW) == 2  # both sides of the second
    assert {chat for chat, *_ in await nudges._rows(sessionmaker)} == {3, 4}
    assert f"municipality {towns[0].id} has an unknown time zone" in caplog.text
