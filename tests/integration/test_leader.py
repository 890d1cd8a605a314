"""Exactly one instance runs the scheduled jobs; another takes over when it dies."""

import asyncio
from collections.abc import AsyncIterator, Callable

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from core import db
from core.leader import LOCK_KEY, Leadership

RETRY = 0.2
ONLY_POSTGRES = pytest.mark.parametrize(
    "database_url", [pytest.param("postgres", marks=pytest.mark.postgres)], indirect=True
)


class Instance:
    """One process's leadership on its own engine, and whether it leads now."""

    def __init__(self, url: str) -> None:
        self.engine: AsyncEngine = db.create_engine(url)
        self.leading = False
        self.terms = 0
        self.task: asyncio.Task[None] | None = None

    async def lead(self) -> None:
        self.leading, self.terms = True, self.terms + 1
        try:
            await asyncio.Event().wait()
        finally:
            self.leading = False

    def start(self) -> None:
        self.task = asyncio.create_task(Leadership(self.engine, RETRY).hold(self.lead))

    async def stop(self) -> None:
        if self.task is not None:
            self.task.cancel()
            await asyncio.gather(self.task, return_exceptions=True)
        await self.engine.dispose()


@pytest.fixture
async def pair(migrated_url: str) -> AsyncIterator[tuple[Instance, Instance]]:
    first, second = Instance(migrated_url), Instance(migrated_url)
    yield first, second
    await first.stop()
    await second.stop()


async def _until(condition: Callable[[], bool], seconds: float = 5.0) -> None:
    async def wait() -> None:
        while not condition():
            await asyncio.sleep(0.02)

    await asyncio.wait_for(wait(), seconds)


@ONLY_POSTGRES
async def test_one_leads_and_the_other_takes_over_when_it_stops(
    pair: tuple[Instance, Instance],
) -> None:
    first, second = pair
    first.start()
    await _until(lambda: first.leading)
    second.start()
    await asyncio.sleep(RETRY * 5)  # several tries
    assert first.leading and not second.leading
    await first.stop()  # its connection closes with it: the server frees the lock
    await _until(lambda: second.leading, RETRY * 10)
    assert second.terms == 1


@ONLY_POSTGRES
async def test_a_leader_whose_connection_dies_stops_leading(
    pair: tuple[Instance, Instance], migrated_url: str
) -> None:
    first, second = pair
    first.start()
    await _until(lambda: first.leading)
    second.start()
    async with first.engine.connect() as admin:  # the server ends the leader's session
        await admin.execute(
            text(
                "SELECT pg_terminate_backend(pid) FROM pg_locks"
                " WHERE locktype = 'advisory' AND objid = :low AND granted"
            ),
            {"low": LOCK_KEY & 0xFFFFFFFF},
        )
    await _until(lambda: second.leading and not first.leading, RETRY * 15)
    await asyncio.sleep(RETRY * 5)
    assert not first.leading  # it tries again, and the lock is taken
    assert first.terms == 1 and second.terms == 1


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
async def test_on_sqlite_the_one_process_leads(migrated_url: str) -> None:
    alone = Instance(migrated_url)
    alone.start()
    try:
        await _until(lambda: alone.leading)
    finally:
        await alone.stop()
    assert not alone.leading
