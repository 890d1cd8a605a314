"""Scheduled jobs run alone: one job's exception never stops the others on that tick."""

import asyncio
import logging
from datetime import UTC, datetime

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from core.config import Settings
from core.scheduler import Job, JobContext, tick
from core.texts import load_catalogues

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


async def test_a_failing_job_is_logged_and_the_others_still_run(
    sessionmaker: async_sessionmaker[AsyncSession], caplog: pytest.LogCaptureFixture
) -> None:
    ran: list[str] = []

    async def broken(session: AsyncSession, now: datetime, context: JobContext) -> int:
        ran.append("broken")
        await session.execute(text("SELECT * FROM no_such_table"))
        return 1

    async def working(session: AsyncSession, now: datetime, context: JobContext) -> int:
        ran.append("working")
        assert (await session.execute(text("SELECT 1"))).scalar() == 1  # a usable session
        return 7

    context = JobContext(load_catalogues(), Settings(_env_file=None), {})
    jobs = (Job("broken", broken), Job("working", working), Job("broken", broken))
    caplog.set_level(logging.ERROR)
    assert await tick(sessionmaker, context, NOW, jobs) == 7
    assert ran == ["broken", "working", "broken"]
    failures = [r for r in caplog.records if "scheduled job 'broken' failed" in r.getMessage()]
    assert len(failures) == 2 and failures[0].exc_info is not None


async def test_a_hung_job_is_stopped_and_the_next_ticks_go_on(
    sessionmaker: async_sessionmaker[AsyncSession], caplog: pytest.LogCaptureFixture
) -> None:
    """A job waiting forever (a lock that never comes) would hold this tick and, as ticks
    never overlap, every later one: it is stopped after its time, its work rolled back."""
    ran: list[str] = []

    async def hung(session: AsyncSession, now: datetime, context: JobContext) -> int:
        await session.execute(text("INSERT INTO half_done (id) VALUES (1)"))
        ran.append("hung")
        await asyncio.Event().wait()
        return 1

    async def working(session: AsyncSession, now: datetime, context: JobContext) -> int:
        ran.append("working")
        return 7

    async with sessionmaker() as session:
        await session.execute(text("CREATE TABLE half_done (id INTEGER)"))
        await session.commit()
    context = JobContext(load_catalogues(), Settings(_env_file=None), {})
    jobs = (Job("hung", hung), Job("working", working))
    caplog.set_level(logging.ERROR)
    for _ in range(2):  # a test that would hang fails instead
        assert await asyncio.wait_for(tick(sessionmaker, context, NOW, jobs, limit=0.5), 30) == 7
    assert ran == ["hung", "working"] * 2
    stopped = [r for r in caplog.records if "scheduled job 'hung' stopped" in r.getMessage()]
    assert len(stopped) == 2
    async with sessionmaker() as session:  # the hung job's work did not stay
        found = await session.execute(text("SELECT 1 FROM half_done"))
        assert found.all() == []
