"""One leader runs the scheduled jobs when several instances share one database.

On PostgreSQL the leader holds an advisory lock on a connection of its own (core.advisory).
The lock lives as long as that connection: when the leader's process dies the server frees it,
and another instance takes it at its next try, within `retry` seconds. The leader checks its
connection every `retry` seconds and stops leading when it broke, so two leaders overlap
for at most that long; the jobs are written to be safe when two runs overlap (outbox keys,
claims in the database, conditional updates). On SQLite there is one process, and it leads.
"""

import asyncio
import logging
from collections.abc import Awaitable, Callable

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from core import advisory

logger = logging.getLogger(__name__)
LOCK_KEY = 0x5065645075  # "PedPu": the advisory lock of the scheduled jobs
RETRY_SECONDS = 10.0
Lead = Callable[[], Awaitable[None]]


class Leadership:
    """Runs `lead` (until cancelled) only while this process holds the leader's lock."""

    def __init__(self, engine: AsyncEngine, retry: float = RETRY_SECONDS) -> None:
        self.engine, self.retry = engine, retry

    async def hold(self, lead: Lead) -> None:
        """Try for the lock every `retry` seconds; lead while it is held. Until cancelled."""
        if self.engine.dialect.name != "postgresql":
            await lead()
            return
        while True:
            try:
                await self._try(lead)
            except (SQLAlchemyError, OSError) as exc:
                logger.warning("leader: %s; trying again", type(exc).__name__)
            await asyncio.sleep(self.retry)

    async def _try(self, lead: Lead) -> None:
        async with advisory.held(self.engine, LOCK_KEY, wait=False) as connection:
            if connection is not None:
                logger.info("leader: this instance runs the scheduled jobs")
                await self._lead(connection, lead)

    async def _lead(self, connection: AsyncConnection, lead: Lead) -> None:
        """Lead until the connection (and with it the lock) is lost, or `lead` ends."""
        task: asyncio.Future[None] = asyncio.ensure_future(lead())
        try:
            while not task.done():
                await asyncio.wait({task}, timeout=self.retry)
                if not task.done():  # raises once it broke, times out if it hangs
                    await advisory.check(connection, self.retry)
        finally:
            task.cancel()
            outcome: BaseException | None = (await asyncio.gather(task, return_exceptions=True))[0]
            if isinstance(outcome, Exception):  # let go; the next try starts the jobs again
                logger.error("leader: the scheduled jobs failed: %s", type(outcome).__name__)
            logger.info("leader: this instance no longer runs the scheduled jobs")
