"""Scheduled jobs: one municipality's bad data never stops the others."""

import logging
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from core.config import Settings
from core.models import Campaign, CampaignStatus, Municipality, SummarySetting
from core.scheduler import JobContext, tick
from core.texts import load_catalogues
from surveys.registry import load_all
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


async def test_a_failing_campaign_stops_only_itself(
    sessionmaker: Maker, caplog: pytest.LogCaptureFixture
) -> None:
    """Two campaigns fall due: the first's stored audience is one this version does not know
    (edited by hand, or left by a later version) and fails, logged by its id; the second
    still opens, this run and every later one."""
    now = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)
    async with sessionmaker() as session:
        town = Municipality(name="Город", timezone=MOSCOW)
        session.add(town)
        await session.flush()
        for kind in ("nobody_knows", "all"):
            campaign = Campaign(
                municipality_id=town.id,
                instrument="support_satisfaction",
                version=1,
                anonymous=True,
                status=CampaignStatus.SCHEDULED,
                opens_at=now - timedelta(hours=1),
                closes_at=now + timedelta(days=7),
                created_at=now - timedelta(days=1),
                audience={"kind": kind, "ids": []},
            )
            session.add(campaign)
        await session.commit()
    context = JobContext(load_catalogues(), Settings(_env_file=None), load_all())
    with caplog.at_level(logging.ERROR):
        for minute in range(2):
            await tick(sessionmaker, context, now + timedelta(minutes=minute))
    async with sessionmaker() as session:
        statuses = await session.execute(select(Campaign.status).order_by(Campaign.id))
        assert list(statuses.scalars()) == [CampaignStatus.SCHEDULED, CampaignStatus.OPEN]
    assert caplog.text.count("campaigns: campaign 1 failed") == 2  # each run, by id
