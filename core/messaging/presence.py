"""Which senders are alive, so that a starting sender takes back only the rows of senders that
are gone, never rows another live instance is sending right now.

On PostgreSQL each sender picks a random id, holds an advisory lock named by it on a
connection of its own for as long as it runs, and marks its claims with the id; the lock
goes with the connection when the process dies. A starting sender takes back the rows left
"sending" whose sender's lock is free. On SQLite one process sends, and it takes back every
row left "sending" (by a stop or a crash before it).
"""

import secrets
import time
from contextlib import AsyncExitStack
from datetime import datetime
from types import TracebackType

from sqlalchemy import or_, select, text, update
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncSession

from core import advisory
from core.models import Delivery, DeliveryStatus

NAMESPACE = 20_261_203  # the first key of the senders' two-key advisory locks
CHECK_SECONDS = 10.0  # how often a running sender makes sure it still holds its lock
CHECK_TIMEOUT = 5.0  # a connection that does not answer by then is taken as broken


class PresenceLost(Exception):
    """The lock's connection broke: another sender may take back this one's rows now."""


class Presence:
    """This sender's id, held as a lock while it runs (`async with`)."""

    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine
        self.id = secrets.randbelow(2**31 - 2) + 1
        self.elected = engine.dialect.name == "postgresql"
        self._connection: AsyncConnection | None = None
        self._lock = AsyncExitStack()
        self._checked = time.monotonic()

    async def __aenter__(self) -> "Presence":
        if self.elected:
            self._connection = await self._lock.enter_async_context(
                advisory.held(self.engine, NAMESPACE, self.id)
            )
        return self

    async def __aexit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._connection = None
        await self._lock.aclose()  # the connection closes: the lock goes with it

    async def check(self) -> None:
        """PresenceLost when the lock's connection broke (looked at every CHECK_SECONDS): the
        sender must stop claiming under this id and start again with a new one."""
        if self._connection is None or time.monotonic() - self._checked < CHECK_SECONDS:
            return
        try:
            await advisory.check(self._connection, CHECK_TIMEOUT)
        except (SQLAlchemyError, OSError) as exc:
            raise PresenceLost(type(exc).__name__) from exc
        self._checked = time.monotonic()

    async def recover(self, session: AsyncSession, now: datetime) -> int:
        """Rows left "sending" by senders that are gone are due again now; how many."""
        sending = Delivery.status == DeliveryStatus.SENDING
        gone = [sending]
        if self.elected:
            owners = await session.scalars(select(Delivery.claimed_by).where(sending).distinct())
            dead = [o for o in owners if o is not None and await _gone(session, o)]
            gone.append(or_(Delivery.claimed_by.in_(dead), Delivery.claimed_by.is_(None)))
        result = await session.execute(
            update(Delivery)
            .where(*gone)
            .values(status=DeliveryStatus.PENDING, next_attempt_at=now)  # fmt: skip
        )
        await session.commit()
        return int(result.rowcount)  # type: ignore[attr-defined]  # CursorResult of an UPDATE


async def _gone(session: AsyncSession, owner: int) -> bool:
    """Whether the sender `owner` is gone: its lock is free (taken and given back at once)."""
    free = await session.scalar(
        text("SELECT pg_try_advisory_lock(:space, :id)"), {"space": NAMESPACE, "id": owner}
    )
    if free:
        await session.execute(
            text("SELECT pg_advisory_unlock(:space, :id)"), {"space": NAMESPACE, "id": owner}
        )
    return bool(free)
