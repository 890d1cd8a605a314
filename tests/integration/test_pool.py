"""Pooled connections: a burst of work reuses the pool's few connections instead of opening
more; one idle for a while is checked before use, so a database that dropped it (a restart,
an idle timeout) costs no update an error; an advisory lock's connection is not one of them."""

import asyncio
from collections.abc import AsyncIterator

import pytest
from sqlalchemy import event, select, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine

from core import advisory, db
from core.models import Municipality, School

ONLY_POSTGRES = pytest.mark.parametrize(
    "database_url", [pytest.param("postgres", marks=pytest.mark.postgres)], indirect=True
)


async def _drop_pooled_connection(engine: AsyncEngine) -> None:
    """The server ends the pooled connection's session, as a restart would."""
    async with engine.connect() as used:
        pid = await used.scalar(text("SELECT pg_backend_pid()"))
    await _terminate(engine.url.render_as_string(hide_password=False), [pid])


async def _terminate(url: str, pids: list[int | None]) -> None:
    admin = db.create_engine(url)
    try:
        async with admin.connect() as connection:
            for pid in pids:
                # with a timeout, it returns once the backend is gone, not when it is signalled
                ended = text("SELECT pg_terminate_backend(:pid, 5000)")
                assert await connection.scalar(ended, {"pid": pid})
    finally:
        await admin.dispose()


@pytest.fixture
async def engine(migrated_url: str) -> AsyncIterator[AsyncEngine]:
    created = db.create_engine(migrated_url)
    yield created
    await created.dispose()


@ONLY_POSTGRES
async def test_a_connection_dropped_while_idle_is_replaced_unnoticed(
    engine: AsyncEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(db, "IDLE_PING_SECONDS", 0.0)
    await _drop_pooled_connection(engine)
    async with db.create_sessionmaker(engine)() as session:
        assert await session.scalar(text("SELECT 1")) == 1


@ONLY_POSTGRES
async def test_a_connection_used_a_moment_ago_is_not_pinged(
    engine: AsyncEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The check costs a round trip, so a busy pool skips it: a dropped connection then fails
    its first statement (and the pool replaces it), which a ping would have hidden."""
    monkeypatch.setattr(db, "IDLE_PING_SECONDS", 3600.0)
    await _drop_pooled_connection(engine)
    async with engine.connect() as connection:
        with pytest.raises(DBAPIError) as raised:
            await connection.execute(text("SELECT 1"))
    assert raised.value.connection_invalidated
    async with engine.connect() as connection:  # the pool has a new one
        assert await connection.scalar(text("SELECT 1")) == 1


@ONLY_POSTGRES
async def test_a_connection_found_dropped_renews_the_whole_pool(
    engine: AsyncEngine, migrated_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A restart drops every connection: the first one found dead (idle, pinged) makes the
    pool replace the others too, also one used a moment ago, which is not pinged."""
    monkeypatch.setattr(db, "IDLE_PING_SECONDS", 0.5)
    async with engine.connect() as idle, engine.connect() as busy:
        pids = [await c.scalar(text("SELECT pg_backend_pid()")) for c in (idle, busy)]
        await busy.close()  # back in the pool first, so `idle` comes out of it first
    await asyncio.sleep(0.6)  # both idle past the threshold ...
    async with engine.connect() as busy:  # ... but this one is used again now
        assert await busy.scalar(text("SELECT pg_backend_pid()")) == pids[1]
    await _terminate(migrated_url, pids)
    async with engine.connect() as first, engine.connect() as second:
        assert await first.scalar(text("SELECT 1")) == 1  # pinged: found dead
        assert await second.scalar(text("SELECT 1")) == 1  # replaced with the pool


async def test_a_burst_of_sessions_shares_the_pools_connections(migrated_url: str) -> None:
    """Twenty sessions at once, three times over, each writing: they take turns on the pool's
    three connections. (SQLAlchemy's overflow opened up to ten more for each burst and closed
    them after: a connect per update under load.)"""
    engine = db.create_engine(migrated_url, pool_size=3)
    opened: list[object] = []
    event.listen(engine.sync_engine, "connect", lambda *_: opened.append(1))
    sessionmaker = db.create_sessionmaker(engine)

    async def work(number: int) -> None:
        async with sessionmaker() as session:
            await session.scalar(text("SELECT 1"))
            await asyncio.sleep(0.01)  # the connection held, as while a handler works
            session.add(School(name=f"Школа {number}", municipality_id=town.id))
            await session.commit()

    try:
        async with sessionmaker() as session:
            town = Municipality(name="Город", timezone="Europe/Moscow")
            session.add(town)
            await session.commit()
        for burst in range(3):
            await asyncio.gather(*(work(burst * 100 + each) for each in range(20)))
        async with sessionmaker() as session:
            written = select(School.name).where(School.municipality_id == town.id)
            names = await session.scalars(written)
            assert len(set(names)) == 60
    finally:
        await engine.dispose()
    assert len(opened) == 3


@ONLY_POSTGRES
async def test_an_advisory_lock_leaves_the_pool_to_sessions(migrated_url: str) -> None:
    """The leader's and each sender's lock is held for hours on a connection of its own: with
    a pool of one, a session still gets that one at once."""
    engine = db.create_engine(migrated_url, pool_size=1)
    try:
        async with advisory.held(engine, 4242, 1) as connection:
            assert connection is not None
            async with db.create_sessionmaker(engine)() as session:
                assert await asyncio.wait_for(session.scalar(text("SELECT 1")), 5) == 1
    finally:
        await engine.dispose()
