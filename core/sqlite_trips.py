"""SQLite connections that run a short statement on the event loop's thread, and any other
in one trip to their own thread.

aiosqlite runs every call of a connection on the connection's own thread and the event loop
waits for each: under SQLAlchemy a statement was four trips (make a cursor, execute, fetch
the rows, close the cursor), and every session's end one more (a rollback with no
transaction open). Each trip costs the event loop's thread a hand-over, a wake-up and a wait
for the GIL, more than a short statement itself. `Connection` runs a statement with its rows
where it is asked for when `core.sqlite_gate` says that cannot stop the loop, and otherwise
in one trip to its thread (the statement, its rows and the cursor's close together); it
skips a commit or rollback when no transaction is open and nothing is under way on its
thread (the only time the transaction state read from the event loop's thread is the real
one).
"""

import asyncio
import logging
import sqlite3
from collections import deque
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any

import aiosqlite
from sqlalchemy.engine import make_url

from core import sqlite_gate

Row = tuple[Any, ...]
_LOG = logging.getLogger("aiosqlite")  # off unless LOG_SQL (core.logs)


class Connection(aiosqlite.Connection):
    """An aiosqlite connection whose statements run on the event loop's thread when they are
    short (`core.sqlite_gate`), and otherwise in one trip to the connection's thread."""

    def __init__(
        self, connector: Callable[[], sqlite3.Connection], database: str, busy_timeout: float
    ) -> None:
        super().__init__(connector, iter_chunk_size=64)
        self._thread.daemon = True  # as SQLAlchemy makes aiosqlite's own: no hang at exit
        self.sent = 0  # trips handed to the thread (only the event loop's thread writes it)
        self.done = 0  # trips the thread finished (only the connection's thread writes it)
        self.busy_timeout = busy_timeout  # seconds a statement waits for a lock, at most
        self.database = database if sqlite_gate.shared(database) else None  # None: no gate
        self.held: tuple[asyncio.Lock, asyncio.AbstractEventLoop] | None = None  # the gate

    async def trip(self, work: "Work") -> Any:
        """Run `work`, again while the database is busy, for at most the busy timeout."""
        if not self._running or self._connection is None:
            raise ValueError("Connection closed")  # as aiosqlite says it, before queueing
        return await sqlite_gate.retrying(partial(self._attempt, work), self.busy_timeout)

    async def _attempt(self, work: "Work") -> Any:
        if work.kind == sqlite_gate.WRITE and self.held is None and self.database is not None:
            gate = sqlite_gate.gate(self.database)  # the running loop's: an engine may outlive it
            await sqlite_gate.enter(gate, self.busy_timeout)
            self.held = gate, asyncio.get_running_loop()
        try:
            if work.inline and self.done == self.sent:  # nothing left on the thread
                budget = sqlite_gate.Budget() if work.kind == sqlite_gate.READ else None
                found = self._here(work, budget)
                if budget is None or not budget.spent:
                    return found
            return await self._there(work)
        finally:
            self._leave()

    def _here(self, work: "Work", budget: "sqlite_gate.Budget | None") -> Any:
        """`work` on this thread; a read past its budget is stopped (returns None)."""
        connection = self._conn
        if _LOG.isEnabledFor(logging.DEBUG):  # as aiosqlite logs its thread's work (LOG_SQL)
            _LOG.debug("executing %r on the event loop's thread", work)
        if budget is None:
            return work(connection)
        connection.set_progress_handler(budget, sqlite_gate.PROGRESS_STEP)
        try:
            return work(connection)
        except sqlite3.OperationalError:
            if budget.spent:
                return None
            raise
        finally:
            connection.set_progress_handler(None, 0)

    async def _there(self, work: "Work") -> Any:
        """`work` on the connection's thread, counted so that `idle` knows."""
        self.sent += 1  # once queued, the thread runs it, even if the caller stops waiting
        return await self._execute(_Counted(self, work))  # type: ignore[no-untyped-call]

    def _leave(self) -> None:
        """Give the gate back once the transaction that wrote has ended."""
        connection = self._connection  # the thread's work is looked at first: it may begin one
        if self.held and self.done == self.sent and not (connection and connection.in_transaction):
            self._give_back()

    def _give_back(self, later: bool = False) -> None:
        if self.held is not None:
            (gate, loop), self.held = self.held, None
            sqlite_gate.give_back(gate, loop, later)

    @property
    def idle(self) -> bool:
        """No transaction open and nothing under way on the thread."""
        return self.done == self.sent and not self.in_transaction

    def cursor(self) -> "Cursor":  # type: ignore[override]
        return Cursor(self)

    async def commit(self) -> None:
        await self._end(COMMIT)

    async def rollback(self) -> None:
        await self._end(ROLLBACK)

    async def _end(self, ending: "Ending") -> None:
        if not self.idle:
            await self.trip(ending)
        else:  # a cancelled caller's write may have ended on the thread, gate still held
            self._leave()

    def stop(self) -> "asyncio.Future[Any] | None":
        """Stop the thread, closing the connection (`close` ends so, and SQLAlchemy drops a
        connection so): a transaction that wrote ends with it, and so does its hold on the
        gate, given back once the thread has closed the connection (a commit still queued
        there would otherwise meet the next writer)."""
        stopped = super().stop()
        if stopped is None:  # no event loop here (the garbage collector on another thread)
            self._give_back(later=True)
        else:
            stopped.add_done_callback(lambda _: self._give_back(later=True))
        return stopped


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
    """One statement's work. Its repr is what aiosqlite's DEBUG log prints, statement and
    parameters, as for its own calls (heard only with LOG_SQL)."""

    sql: str
    parameters: Any
    many: bool

    @property
    def kind(self) -> str:
        return sqlite_gate.kind(self.sql)

    @property
    def inline(self) -> bool:
        # many rows to write, or a PRAGMA, DDL, VACUUM that no budget bounds: the thread's work
        return not self.many and self.kind != sqlite_gate.OTHER

    def __call__(self, connection: sqlite3.Connection) -> tuple[Any, int, int | None, list[Row]]:
        cursor = connection.cursor()
        try:
            (cursor.executemany if self.many else cursor.execute)(self.sql, self.parameters)
            rows = cursor.fetchall() if cursor.description else []
            return cursor.description, cursor.rowcount, cursor.lastrowid, rows
        finally:
            cursor.close()


@dataclass(frozen=True)
class Ending:
    """A transaction's commit or rollback: short, and it needs no gate to end a write."""

    end: Callable[[sqlite3.Connection], None]
    kind = sqlite_gate.OTHER
    inline = True

    def __call__(self, connection: sqlite3.Connection) -> None:
        self.end(connection)


COMMIT, ROLLBACK = Ending(sqlite3.Connection.commit), Ending(sqlite3.Connection.rollback)
Work = Statement | Ending


class _Counted:
    """`work` on `connection`'s thread, counted done however it ends."""

    def __init__(self, connection: Connection, work: Work):
        self.connection, self.work = connection, work

    def __call__(self) -> Any:
        try:
            return self.work(self.connection._conn)
        finally:
            self.connection.done += 1

    def __repr__(self) -> str:
        return repr(self.work)


def creator(url: str, busy_timeout: float) -> Callable[[], Awaitable[Connection]]:
    """SQLAlchemy's `async_creator` for `url`, connecting as its own dialect would, except
    that SQLite itself waits for no lock (`core.sqlite_gate` waits, `busy_timeout` seconds at
    most) and the connection may be used from the event loop's thread."""
    parsed = make_url(url)
    args, options = parsed.get_dialect()().create_connect_args(parsed)
    options.update(timeout=0, check_same_thread=False)
    database = str(args[0]) if args else ":memory:"

    async def connect() -> Connection:
        opening = partial(sqlite3.connect, *args, **options)
        connection = Connection(opening, database, busy_timeout)
        await connection
        return connection

    return connect
