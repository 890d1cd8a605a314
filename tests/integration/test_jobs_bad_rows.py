"""Review of the scheduled jobs: one municipality's bad data never stops the others."""

import logging

import pytest
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from core.models import Municipality, SummarySetting
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
