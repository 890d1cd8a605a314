"""SQLite connections that run a statement in one trip to their thread.

aiosqlite runs every call of a connection on the connection's own thread and the event loop
waits for each: under SQLAlchemy a statement was four trips (make a cursor, execute, fetch
the rows, close the cursor), and every session's end one more (a rollback with no
transaction open). Each trip costs the event loop's thread a hand-over and a wake-up: about
13 per answered question, an eighth of the bot's CPU under load. `Connection` runs a
statement, its rows and the cursor's close in one trip, and skips a commit or rollback when
no transaction is open and nothing is under way on its thread (the only time the transaction
state read from the event loop's thread is the real one).
"""

import sqlite3
from collections import deque
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any

import aiosqlite
from sqlalchemy.engine import make_url

Row = tuple[Any, ...]


class Connection(aiosqlite.Connection):
    """An aiosqlite connection whose cursors make one trip per statement."""

    def __init__(self, connector: Callable[[], sqlite3.Connection]) -> None:
        super().__init__(connector, iter_chunk_size=64)
        self._thread.daemon = True  # as SQLAlchemy makes aiosqlite's own: no hang at exit
        self.sent = 0  # trips handed to the thread (only the event loop's thread writes it)
        self.done = 0  # trips the thread finished (only the connection's thread writes it)

    async def trip(self, work: Callable[[sqlite3.Connection], Any]) -> Any:
        """Run `work` on the connection's thread, counted so that `idle` knows."""
        if not self._running or self._connection is None:
            raise ValueError("Connection closed")  # as aiosqlite says it, before queueing
        self.sent += 1  # once queued, the thread runs it, even if the caller stops waiting
        return await self._execute(_Counted(self, work))  # type: ignore[no-untyped-call]

    @property
    def idle(self) -> bool:
        """No transaction open and nothing under way on the thread."""
        return self.done == self.sent and not self.in_transaction

    def cursor(self) -> "Cursor":  # type: ignore[override]
        return Cursor(self)

    async def commit(self) -> None:
        if not self.idle:
            await self.trip(sqlite3.Connection.commit)

    async def rollback(self) -> None:
        if not self.idle:
            await self.trip(sqlite3.Connection.rollback)


class Cursor:
    """What SQLAlchemy's adapter uses of an aiosqlite cursor: a statement runs, its rows are
    fetched and its sqlite3 cursor closed in one trip; the rows wait here."""

    arraysize = 1

    def __init__(self, connection: Connection) -> None:
        self.connection = connection
        self.description: Any = None
        self.rowcount = -1
        self.lastrowid: int | None = None
        self.rows: deque[Row] = deque()

    def __await__(self) -> Any:  # `await connection.cursor()`, as aiosqlite allows
        return self.__aenter__().__await__()

    async def __aenter__(self) -> "Cursor":
        return self

    async def __aexit__(self, *_: object) -> None:
        return None

    async def execute(self, sql: str, parameters: Any = ()) -> "Cursor":
        return await self._run(sql, parameters, many=False)

    async def executemany(self, sql: str, parameters: Sequence[Any]) -> "Cursor":
        return await self._run(sql, parameters, many=True)

    async def _run(self, sql: str, parameters: Any, many: bool) -> "Cursor":
        found = await self.connection.trip(Statement(sql, parameters, many))
        self.description, self.rowcount, self.lastrowid, rows = found
        self.rows = deque(rows)
        return self

    async def fetchall(self) -> list[Row]:
        rows, self.rows = list(self.rows), deque()
        return rows

    async def fetchmany(self, size: int | None = None) -> list[Row]:
        count = self.arraysize if size is None else size
        return [self.rows.popleft() for _ in range(min(count, len(self.rows)))]

    async def fetchone(self) -> Row | None:
        return self.rows.popleft() if self.rows else None

    async def close(self) -> None:
        self.rows.clear()


@dataclass(frozen=True)
class Statement:
    """One statement's work on the connection's thread. Its repr is what aiosqlite's DEBUG
    log prints, statement and parameters, as for its own calls (heard only with LOG_SQL)."""

    sql: str
    parameters: Any
    many: bool

    def __call__(self, connection: sqlite3.Connection) -> tuple[Any, int, int | None, list[Row]]:
        cursor = connection.cursor()
        try:
            (cursor.executemany if self.many else cursor.execute)(self.sql, self.parameters)
            rows = cursor.fetchall() if cursor.description else []
            return cursor.description, cursor.rowcount, cursor.lastrowid, rows
        finally:
            cursor.close()


class _Counted:
    """`work` on `connection`'s thread, counted done however it ends."""

    def __init__(self, connection: Connection, work: Callable[[sqlite3.Connection], Any]):
        self.connection, self.work = connection, work

    def __call__(self) -> Any:
        try:
            return self.work(self.connection._conn)
        finally:
            self.connection.done += 1

    def __repr__(self) -> str:
        return repr(self.work)


def creator(url: str) -> Callable[[], Awaitable[Connection]]:
    """SQLAlchemy's `async_creator` for `url`, connecting as its own dialect would."""
    parsed = make_url(url)
    args, options = parsed.get_dialect()().create_connect_args(parsed)

    async def connect() -> Connection:
        connection = Connection(lambda: sqlite3.connect(*args, **options))  # type: ignore[call-overload]
        await connection
        return connection

    return connect
