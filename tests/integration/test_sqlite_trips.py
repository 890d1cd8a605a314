"""SQLite connections that run a short statement on the event loop's thread and any other in
one trip to their own (core.sqlite_trips, core.sqlite_gate): the same results, errors and
transactions as aiosqlite's own, with fewer trips, and no wait that stops the loop."""

import asyncio
import sqlite3
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from core import db
from core.sqlite_trips import Connection

LONG = "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) SELECT count(*) FROM n"


@pytest.fixture
async def engine(tmp_path: Path) -> AsyncIterator[AsyncEngine]:
    engine = db.create_engine(f"sqlite+aiosqlite:///{tmp_path / 'trips.sqlite3'}")
    async with engine.begin() as connection:
        await connection.execute(text("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT UNIQUE)"))
    yield engine
    await engine.dispose()


async def _driver(connection: AsyncConnection) -> Connection:
    raw = await connection.get_raw_connection()
    driver = raw.driver_connection
    assert isinstance(driver, Connection)
    return driver


async def test_a_short_statement_needs_no_trip_and_a_read_no_rollback(engine: AsyncEngine) -> None:
    async with engine.connect() as connection:
        driver = await _driver(connection)
        before = driver.sent
        rows = (await connection.execute(text("SELECT 1, 'а' UNION ALL SELECT 2, 'б'"))).all()
        assert [tuple(row) for row in rows] == [(1, "а"), (2, "б")]
        await connection.execute(text("INSERT INTO t (v) VALUES ('x')"))
        await connection.commit()
        assert driver.sent == before  # aiosqlite's own: cursor, execute, fetch, close, each
    async with engine.connect() as connection:  # the same pooled connection again
        assert await _driver(connection) is driver
        await connection.execute(text("SELECT 1"))
    assert driver.sent == before  # the read left no transaction to roll back


async def test_writes_commit_roll_back_and_count_as_before(engine: AsyncEngine) -> None:
    async with engine.connect() as connection:
        inserted = await connection.execute(text("INSERT INTO t (v) VALUES ('x')"))
        assert inserted.lastrowid == 1
        await connection.rollback()
        await connection.execute(text("INSERT INTO t (v) VALUES ('y'), ('z')"))
        changed = await connection.execute(text("UPDATE t SET v = v || '!'"))
        assert changed.rowcount == 2
        await connection.commit()
    async with engine.connect() as connection:
        found = await connection.scalars(text("SELECT v FROM t ORDER BY v"))
        assert found.all() == ["y!", "z!"]  # the rolled back 'x' is not there


async def test_a_broken_constraint_is_the_usual_error(engine: AsyncEngine) -> None:
    async with engine.connect() as connection:
        await connection.execute(text("INSERT INTO t (v) VALUES ('x')"))
        with pytest.raises(IntegrityError):
            await connection.execute(text("INSERT INTO t (v) VALUES ('x')"))


async def test_a_statement_still_running_keeps_the_connection_busy(engine: AsyncEngine) -> None:
    """A caller that stops waiting (a cancelled update) leaves the statement running on the
    thread: until it ends, a rollback is not skipped on the word of `in_transaction`."""
    connection = await engine.connect()
    driver = await _driver(connection)
    raw = driver._conn
    running = asyncio.create_task(driver.cursor().execute(LONG))
    while driver.done == driver.sent:  # until the thread has it
        await asyncio.sleep(0.001)
    running.cancel()
    await asyncio.gather(running, return_exceptions=True)
    assert not driver.idle
    while driver.done < driver.sent:  # the long statement stops with an error on the thread
        raw.interrupt()  # (again: one that comes before the thread starts it does nothing)
        await asyncio.sleep(0.001)
    assert driver.idle
    await connection.invalidate()
    await connection.close()


async def test_rows_streamed_in_parts_come_in_order_and_all(engine: AsyncEngine) -> None:
    many = "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 250) "
    async with engine.connect() as connection:
        result = await connection.stream(text(many + "SELECT i FROM n"))
        parts = [list(part) async for part in result.partitions(100)]
        assert [len(part) for part in parts] == [100, 100, 50]
        assert [row[0] for part in parts for row in part] == list(range(1, 251))
        one = await connection.stream(text(many + "SELECT i FROM n"))
        assert (await one.fetchone())[0] == 1  # type: ignore[index]
        assert [row[0] for row in await one.fetchmany(3)] == [2, 3, 4]
        assert len(await one.all()) == 246


class Ticker:
    """Counts the turns the event loop takes while something else is waited for."""

    def __init__(self) -> None:
        self.turns = 0
        self.task = asyncio.create_task(self._tick())

    async def _tick(self) -> None:
        while True:
            await asyncio.sleep(0)
            self.turns += 1

    def stop(self) -> int:
        self.task.cancel()
        return self.turns


async def test_a_long_read_goes_to_the_thread_and_the_loop_goes_on(engine: AsyncEngine) -> None:
    counted = LONG.replace("FROM n)", "FROM n WHERE i < 2000000)")
    async with engine.connect() as connection:
        driver = await _driver(connection)
        await connection.execute(text("INSERT INTO t (v) VALUES ('kept')"))
        before, ticker = driver.sent, Ticker()
        assert (await connection.execute(text(counted))).scalar() == 2_000_000
        assert ticker.stop() > 0  # the loop ran while the thread counted
        assert driver.sent == before + 1
        await connection.commit()  # the write before the stopped read is still there
        assert (await connection.execute(text("SELECT v FROM t"))).scalar() == "kept"


async def test_a_writer_waits_for_another_writer_of_the_process(engine: AsyncEngine) -> None:
    """The second writer waits for the first one's commit without stopping the loop, and
    without SQLite's "database is locked"."""
    async with engine.connect() as first, engine.connect() as second:
        await first.execute(text("INSERT INTO t (v) VALUES ('first')"))
        ticker = Ticker()
        waiting = asyncio.create_task(second.execute(text("INSERT INTO t (v) VALUES ('second')")))
        while ticker.turns < 50:
            await asyncio.sleep(0)
        assert not waiting.done()
        await first.commit()
        await waiting
        await second.commit()
        ticker.stop()
        found = await second.scalars(text("SELECT v FROM t ORDER BY id"))
        assert found.all() == ["first", "second"]


async def test_a_task_writing_on_two_connections_fails_instead_of_hanging(
    engine: AsyncEngine,
) -> None:
    async with engine.connect() as first, engine.connect() as second:
        await first.execute(text("INSERT INTO t (v) VALUES ('first')"))
        (await _driver(second)).busy_timeout = 0.1
        with pytest.raises(OperationalError, match="database is locked"):
            await second.execute(text("INSERT INTO t (v) VALUES ('second')"))
        await first.commit()  # the first one is unharmed
    async with engine.connect() as connection:  # and the lock was given back
        await connection.execute(text("INSERT INTO t (v) VALUES ('third')"))
        await connection.commit()
        found = await connection.scalars(text("SELECT v FROM t ORDER BY id"))
        assert found.all() == ["first", "third"]


async def test_a_connection_closed_mid_write_gives_the_lock_back(engine: AsyncEngine) -> None:
    connection = await engine.connect()
    await connection.execute(text("INSERT INTO t (v) VALUES ('lost')"))
    await connection.invalidate()
    await connection.close()
    async with engine.connect() as other:
        (await _driver(other)).busy_timeout = 0.5
        await other.execute(text("INSERT INTO t (v) VALUES ('kept')"))
        await other.commit()
        assert (await other.scalars(text("SELECT v FROM t"))).all() == ["kept"]


@pytest.mark.parametrize("released", [True, False])
async def test_another_process_lock_is_waited_for_without_stopping_the_loop(
    engine: AsyncEngine, tmp_path: Path, released: bool
) -> None:
    """Another process (the command line) holds the write lock: SQLite waits for nothing,
    the connection tries again between turns of the loop, until the busy timeout."""
    outside = sqlite3.connect(tmp_path / "trips.sqlite3", isolation_level=None)
    outside.execute("BEGIN IMMEDIATE")
    outside.execute("INSERT INTO t (v) VALUES ('outside')")
    async with engine.connect() as connection:
        (await _driver(connection)).busy_timeout = 5.0 if released else 0.2
        ticker = Ticker()
        waiting = asyncio.create_task(connection.execute(text("INSERT INTO t (v) VALUES ('in')")))
        while ticker.turns < 50 and not waiting.done():
            await asyncio.sleep(0)
        assert not waiting.done()
        if released:
            outside.execute("COMMIT")
            await waiting
            await connection.commit()
            found = await connection.scalars(text("SELECT v FROM t ORDER BY id"))
            assert found.all() == ["outside", "in"]
        else:
            with pytest.raises(OperationalError, match="database is locked"):
                await waiting
            outside.execute("ROLLBACK")
        ticker.stop()
    outside.close()


async def test_a_cancelled_write_gives_the_lock_back_once_rolled_back(engine: AsyncEngine) -> None:
    """An update cancelled while its write runs on the thread (many rows) leaves the lock
    held until the pool rolls the connection back; then others write at once."""
    rows = [(f"v{i}",) for i in range(300_000)]
    async with engine.connect() as connection:
        driver = await _driver(connection)
        writing = asyncio.create_task(
            driver.cursor().executemany("INSERT INTO t (v) VALUES (?)", rows)
        )
        while driver.done == driver.sent:  # until the thread has it
            await asyncio.sleep(0.001)
        writing.cancel()
        await asyncio.gather(writing, return_exceptions=True)
        while driver.done < driver.sent:
            await asyncio.sleep(0.001)
    async with engine.connect() as other:
        (await _driver(other)).busy_timeout = 0.5
        await other.execute(text("INSERT INTO t (v) VALUES ('after')"))
        await other.commit()
        assert (await other.scalars(text("SELECT v FROM t"))).all() == ["after"]
