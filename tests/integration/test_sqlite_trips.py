"""SQLite connections that run a statement in one trip to their thread (core.sqlite_trips):
the same results, errors and transactions as aiosqlite's own, with fewer trips."""

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError
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


async def test_a_statement_is_one_trip_and_a_read_needs_no_rollback(engine: AsyncEngine) -> None:
    async with engine.connect() as connection:
        driver = await _driver(connection)
        before = driver.sent
        rows = (await connection.execute(text("SELECT 1, 'а' UNION ALL SELECT 2, 'б'"))).all()
        assert [tuple(row) for row in rows] == [(1, "а"), (2, "б")]
        assert driver.sent == before + 1  # aiosqlite's own: cursor, execute, fetch, close
    async with engine.connect() as connection:  # the same pooled connection again
        assert await _driver(connection) is driver
        assert driver.sent == before + 1  # the read left no transaction to roll back


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
    raw.interrupt()  # the long statement stops with an error on the thread
    while driver.done < driver.sent:
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
