"""The one-writer gate of SQLite databases (core.sqlite_gate): given back however a
connection ends, kept per database file and event loop, and taken by every write."""

import asyncio
import gc
import sqlite3
import threading
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from core import db, sqlite_gate
from tests.integration.test_sqlite_trips import _driver


@pytest.fixture
async def engine(tmp_path: Path) -> AsyncIterator[AsyncEngine]:
    engine = db.create_engine(f"sqlite+aiosqlite:///{tmp_path / 'gate.sqlite3'}")
    async with engine.begin() as connection:
        await connection.execute(text("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)"))
    yield engine
    await engine.dispose()


async def _write_soon(engine: AsyncEngine, value: str) -> list[str]:
    """Write `value` waiting half a second at most for the lock; all values written."""
    async with engine.connect() as other:
        (await _driver(other)).busy_timeout = 0.5
        await other.execute(text("INSERT INTO t (v) VALUES (:v)"), {"v": value})
        await other.commit()
        return list((await other.scalars(text("SELECT v FROM t ORDER BY id"))).all())


async def test_a_connection_stopped_mid_write_gives_the_lock_back(engine: AsyncEngine) -> None:
    """SQLAlchemy stops a connection instead of closing it when a session is dropped without
    closing or its close is cancelled: the write it held must not lock out every other."""
    connection = await engine.connect()
    await connection.execute(text("INSERT INTO t (v) VALUES ('lost')"))
    driver = await _driver(connection)
    stopped = driver.stop()
    assert stopped is not None
    await stopped
    assert await _write_soon(engine, "kept") == ["kept"]
    await connection.invalidate()  # nothing left to close: no error either


async def test_a_dropped_session_gives_the_lock_back(engine: AsyncEngine) -> None:
    session = AsyncSession(engine)
    await session.execute(text("INSERT INTO t (v) VALUES ('lost')"))
    del session  # never closed: the pool's finalizer stops its connection
    with pytest.warns(Warning):  # SQLAlchemy says so
        for _ in range(3):
            gc.collect()
            await asyncio.sleep(0.01)
    assert await _write_soon(engine, "kept") == ["kept"]


async def test_databases_in_memory_do_not_share_a_lock() -> None:
    first = db.create_engine("sqlite+aiosqlite://")
    second = db.create_engine("sqlite+aiosqlite:///:memory:")
    try:
        async with first.connect() as one, second.connect() as other:
            await one.execute(text("CREATE TABLE t (v TEXT)"))
            await one.execute(text("INSERT INTO t VALUES ('one')"))
            await other.execute(text("CREATE TABLE t (v TEXT)"))
            (await _driver(other)).busy_timeout = 0.2
            await other.execute(text("INSERT INTO t VALUES ('other')"))  # no wait for `one`
            await other.commit()
            await one.commit()
    finally:
        await first.dispose()
        await second.dispose()


def test_an_engine_serves_one_event_loop_after_another(tmp_path: Path) -> None:
    """The command line runs each command in a new event loop with the same engine: writers
    that wait for each other in the second loop wait for that loop's lock."""
    engine = db.create_engine(f"sqlite+aiosqlite:///{tmp_path / 'loops.sqlite3'}")

    async def two_writers(first_value: str) -> None:
        async with engine.connect() as first, engine.connect() as second:
            if first_value == "a":
                await first.execute(text("CREATE TABLE IF NOT EXISTS t (v TEXT)"))
                await first.commit()
            await first.execute(text("INSERT INTO t VALUES (:v)"), {"v": first_value})
            waiting = asyncio.create_task(second.execute(text("INSERT INTO t VALUES ('w')")))
            await asyncio.sleep(0.01)
            await first.commit()
            await waiting
            await second.commit()

    async def dispose() -> None:
        await engine.dispose()

    asyncio.run(two_writers("a"))
    asyncio.run(two_writers("b"))
    asyncio.run(dispose())
    with sqlite3.connect(tmp_path / "loops.sqlite3") as check:
        assert [v for (v,) in check.execute("SELECT v FROM t")] == ["a", "w", "b", "w"]


@pytest.mark.parametrize(
    "sql",
    [
        "/* why */ INSERT INTO t (v) VALUES ('c')",
        "-- why\nUPDATE t SET v = 'c'",
        "  /* a */ -- b\n ( DELETE FROM t",
    ],
)
def test_a_write_after_a_comment_is_a_write(sql: str) -> None:
    assert sqlite_gate.kind(sql) == sqlite_gate.WRITE


def test_a_read_after_a_comment_is_a_read() -> None:
    assert sqlite_gate.kind("-- count\n/* all */ SELECT 1") == sqlite_gate.READ


async def test_the_privacy_checkpoint_waits_for_a_reader(
    engine: AsyncEngine, tmp_path: Path
) -> None:
    """After /forget the write-ahead log is emptied so no copy of the deleted rows stays in
    it; a reader in the middle of a read makes the checkpoint wait, not give up."""
    async with engine.begin() as connection:
        await connection.execute(text("INSERT INTO t (v) VALUES ('forgotten')"))
    reader = sqlite3.connect(
        tmp_path / "gate.sqlite3", isolation_level=None, check_same_thread=False
    )
    reader.execute("BEGIN")
    reader.execute("SELECT count(*) FROM t").fetchone()  # holds a snapshot
    later = threading.Timer(0.2, reader.execute, args=("COMMIT",))
    later.start()
    try:
        async with AsyncSession(engine) as session:
            assert await db.checkpoint(session) is True
    finally:
        later.join()
        reader.close()
    assert (tmp_path / "gate.sqlite3-wal").stat().st_size == 0


async def test_the_privacy_checkpoint_says_so_when_a_reader_outlasts_the_timeout(
    engine: AsyncEngine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """/forget then logs that the log could not be emptied at once (the next one empties it)."""
    monkeypatch.setattr(db, "SQLITE_BUSY_TIMEOUT_MS", 200)
    async with engine.begin() as connection:
        await connection.execute(text("INSERT INTO t (v) VALUES ('forgotten')"))
    reader = sqlite3.connect(tmp_path / "gate.sqlite3", isolation_level=None)
    reader.execute("BEGIN")
    reader.execute("SELECT count(*) FROM t").fetchone()
    try:
        async with AsyncSession(engine) as session:
            started = asyncio.get_running_loop().time()
            assert await db.checkpoint(session) is False
            assert asyncio.get_running_loop().time() - started >= 0.2
    finally:
        reader.close()
    async with AsyncSession(engine) as session:
        assert await db.checkpoint(session) is True
