"""An update's session gives its connection back before the update waits on the network.

An update's session lives as long as the update (`bot.middlewares`). Its first read (the
viewer) begins a transaction, which holds one of the pool's few connections until a service
commits. A handler that only read kept that connection while it talked to Telegram (a
slow answer, a large file): a few such updates held the whole pool, and the sender, the
scheduled jobs and the health check waited behind them.

So before each request to Telegram from the update's own task, a transaction that only read
is committed (nothing to write; the objects loaded stay usable) and its connection goes back
to the pool. One that wrote is left alone: a service commits its own work, and what it did
not commit is rolled back when the session closes.
"""

import asyncio
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from sqlalchemy import Connection, Engine, event
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

_SERVING: ContextVar[tuple[AsyncSession, asyncio.Task[Any] | None] | None] = ContextVar(
    "pedpulse_update_session", default=None
)
_WROTE = "pedpulse_wrote"  # in a connection's info: a statement other than SELECT ran
_HELD = "pedpulse_held"  # in a session's info: the info of its transaction's connection


class TrackedSession(Session):
    """A session whose transaction knows whether it wrote anything: every statement on its
    connection is seen (the ORM's, a flush's, and text through `session.connection()`)."""


@event.listens_for(Engine, "before_cursor_execute")
def _note_statement(conn: Connection, _cursor: Any, statement: str, *_: Any) -> None:
    if statement.lstrip()[:6].upper() != "SELECT":  # a write, a savepoint, a WITH: all count
        conn.info[_WROTE] = True


@event.listens_for(TrackedSession, "after_begin")
def _hold(session: Session, transaction: Any, connection: Connection) -> None:
    if transaction.parent is None:  # the outermost one, on a connection just taken
        connection.info[_WROTE] = False
        session.info[_HELD] = connection.info


@event.listens_for(TrackedSession, "after_transaction_end")
def _forget(session: Session, transaction: Any) -> None:
    if transaction.parent is None:  # the next transaction starts clean
        session.info.pop(_HELD, None)


@contextmanager
def serving(session: AsyncSession) -> Iterator[None]:
    """Marks `session` as the update's for the block, in the task running it."""
    token = _SERVING.set((session, asyncio.current_task()))
    try:
        yield
    finally:
        _SERVING.reset(token)


async def end_reads() -> None:
    """Commit the serving session's transaction if it only read (see the module's text).
    Another task (one the update started) never touches the update's session."""
    found = _SERVING.get()
    if found is None or found[1] is not asyncio.current_task():
        return
    session = found[0]
    held = session.info.get(_HELD)
    transaction = session.get_transaction()
    if held is None or held.get(_WROTE) or transaction is None or not transaction.is_active:
        return
    if session.new or session.dirty or session.deleted:
        return
    await session.commit()
