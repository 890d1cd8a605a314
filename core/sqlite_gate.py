"""What lets a SQLite statement run on the event loop's own thread without stopping it.

Handing each statement to a connection's thread costs the event loop's thread more than the
statement (a wake-up and a wait for the GIL after every hand-over), so `core.sqlite_trips`
runs short statements where they are asked for. Three things keep that from stopping the
loop:

- **One writer per database file in this process** (`gate`): a statement that writes first
  takes the file's asyncio lock and keeps it until its transaction ends, as SQLite keeps its
  write lock. A writer then never finds SQLite's lock held by another connection of this
  process: it waits for the gate, and the loop goes on meanwhile. A task that holds a write
  and writes through a second connection waits the busy timeout and fails, as it would in
  SQLite's busy handler.
- **No busy handler** (SQLite's own timeout is 0): a statement that meets the lock of another
  process (the command line) fails at once with SQLITE_BUSY, and `retrying` waits without
  blocking and runs it again, on SQLite's own schedule, until the busy timeout.
- **A budget for reads**: a SELECT that runs past `READ_BUDGET` steps on the loop's thread is
  stopped (no side effects to undo) and runs again on the connection's thread.

A single writing statement that is long (a large UPDATE) still runs on the loop's thread: it
cannot be stopped halfway without losing its transaction. The budget counts SQLite's steps,
not time, so a read whose one step is long (`count(*)` of a whole table, a blob of many
megabytes) also stays on the loop's thread: tens of milliseconds for a table of a million
rows or 40 MB. `executemany` always goes to the thread.
"""

import asyncio
import contextlib
import re
import sqlite3
import time
import weakref
from collections.abc import Awaitable, Callable
from functools import lru_cache
from typing import TypeVar

T = TypeVar("T")
READ, WRITE, OTHER = "read", "write", "other"
_WRITES = frozenset({"INSERT", "UPDATE", "DELETE", "REPLACE"})
_CHANGES = re.compile(r"\b(INSERT|UPDATE|DELETE|REPLACE)\b", re.IGNORECASE)
_BUSY = frozenset({sqlite3.SQLITE_BUSY, sqlite3.SQLITE_BUSY_RECOVERY, sqlite3.SQLITE_BUSY_TIMEOUT})
# SQLite's own busy handler sleeps like this between tries (sqliteDefaultBusyCallback)
_DELAYS = (0.001, 0.002, 0.005, 0.01, 0.015, 0.02, 0.025, 0.025, 0.025, 0.05, 0.05, 0.1)
PROGRESS_STEP = 1000  # SQLite instructions between two looks at a read's budget
READ_BUDGET = 100  # looks: about 100,000 instructions, a millisecond or two, on the loop

# what may stand before a statement's first word: blanks, brackets, comments
_LEAD = re.compile(r"(?:\s+|\(|--[^\n]*(?:\n|$)|/\*.*?(?:\*/|$))*", re.DOTALL)
_GATES: "weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, dict[str, asyncio.Lock]]"
_GATES = weakref.WeakKeyDictionary()


@lru_cache(maxsize=4096)
def kind(sql: str) -> str:
    """READ for a SELECT, WRITE for what may change rows, OTHER (PRAGMA, DDL, savepoints).
    A read must never be taken for a write's kin: a read is stopped past its budget, and a
    write stopped in a transaction takes the whole transaction with it. So a WITH that names
    a change anywhere is a write. Comments and brackets before the first word are skipped."""
    lead = _LEAD.match(sql)
    words = sql[lead.end() if lead else 0 :].split(None, 1)
    first = words[0].upper() if words else ""
    if first == "WITH":
        return WRITE if _CHANGES.search(sql) else READ
    if first == "SELECT":
        return READ
    return WRITE if first in _WRITES else OTHER


def shared(database: str) -> bool:
    """Other connections can open `database`: a file, or memory shared by its name."""
    memory = database in ("", ":memory:") or "mode=memory" in database or ":memory:" in database
    return not memory or "cache=shared" in database


def gate(database: str) -> asyncio.Lock:
    """The writers' lock of the database file `database` on the running event loop."""
    loop = asyncio.get_running_loop()
    gates = _GATES.get(loop)
    if gates is None:
        gates = _GATES[loop] = {}
    lock = gates.get(database)
    if lock is None:
        lock = gates[database] = asyncio.Lock()
    return lock


def give_back(lock: asyncio.Lock, loop: asyncio.AbstractEventLoop, later: bool = False) -> None:
    """Release `lock` of `loop`, from any thread. `later`: in a turn of the loop of its own,
    as a connection stopped by the garbage collector must (the collector may run in the
    middle of the lock's own code, or on another thread)."""
    try:
        here = asyncio.get_running_loop() is loop
    except RuntimeError:
        here = False
    if here and not later:
        lock.release()
    elif not loop.is_closed():  # a closed loop's locks are gone with it
        with contextlib.suppress(RuntimeError):  # it closed just now
            loop.call_soon_threadsafe(lock.release)


async def enter(lock: asyncio.Lock, timeout: float) -> None:
    """Take `lock`, waiting at most `timeout` seconds; past it, SQLite's own error."""
    try:
        async with asyncio.timeout(timeout):
            await lock.acquire()
    except TimeoutError:
        raise sqlite3.OperationalError("database is locked") from None


def busy(error: BaseException) -> bool:
    """SQLite met another connection's lock (not a stale snapshot, which waiting cannot help)."""
    return getattr(error, "sqlite_errorcode", None) in _BUSY


class Pauses:
    """Waits between tries on SQLite's own schedule, for at most `timeout` seconds in all
    from the first wait."""

    def __init__(self, timeout: float) -> None:
        self.timeout = timeout
        self.deadline: float | None = None
        self.tries = 0

    async def wait(self) -> bool:
        """Wait before the next try; False, at once, when the time is up."""
        now = time.monotonic()
        self.deadline = now + self.timeout if self.deadline is None else self.deadline
        if now >= self.deadline:
            return False
        await asyncio.sleep(min(_DELAYS[min(self.tries, len(_DELAYS) - 1)], self.deadline - now))
        self.tries += 1
        return True


async def retrying(attempt: Callable[[], Awaitable[T]], timeout: float) -> T:
    """`attempt()`, tried again while it finds the database busy, for at most `timeout`
    seconds: a statement that got SQLITE_BUSY changed nothing and may run again."""
    pauses = Pauses(timeout)
    while True:
        try:
            return await attempt()
        except sqlite3.OperationalError as error:
            if not busy(error) or not await pauses.wait():
                raise


class Budget:
    """A progress handler that stops a statement after `looks` calls (SQLITE_INTERRUPT)."""

    __slots__ = ("left",)

    def __init__(self, looks: int = READ_BUDGET) -> None:
        self.left = looks

    def __call__(self) -> int:
        self.left -= 1
        return self.left < 0

    @property
    def spent(self) -> bool:
        return self.left < 0
