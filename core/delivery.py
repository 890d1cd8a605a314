"""The sender: claims due outbox rows, paces them within Telegram's limits, records results.

Policy for a crash (kill -9): rows claimed but not yet recorded stay "sending"; on restart
they are sent again. So nothing is lost, and at most one claimed batch (about one second of
sending) can reach people twice. A read timeout is treated the same way: retried, because
losing a notification is worse than a rare duplicate.
"""

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Protocol

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from core import outbox
from core.models import DeliveryStatus
from core.outbox import Outgoing, Progress, Result
from core.pacing import Limits, Pacer
from core.timeutil import utcnow

logger = logging.getLogger(__name__)


class RetryAfter(Exception):
    """Telegram answered 429: wait `seconds` before sending anything."""

    def __init__(self, seconds: float) -> None:
        super().__init__(f"retry after {seconds}")
        self.seconds = seconds


class Unreachable(Exception):
    """The person blocked the bot, was deactivated, or the chat does not exist."""


class Transient(Exception):
    """A server error, a timeout or a lost connection: worth retrying later."""


class Rejected(Exception):
    """Telegram refused the message itself (a 400 other than a missing chat): do not retry."""


@dataclass(frozen=True)
class Sent:
    message_id: int
    file_id: str | None = None


class Transport(Protocol):
    async def send(self, message: Outgoing) -> Sent: ...

    async def show_progress(self, progress: Progress) -> None: ...


@dataclass(frozen=True)
class SenderConfig:
    limits: Limits = Limits()
    max_attempts: int = 6
    retry_first: float = 2.0  # seconds before the first retry; doubles each time
    idle_wait: float = 1.0  # seconds between looks at an empty outbox
    progress_every: float = 2.0  # seconds between progress edits of one broadcast

    @property
    def batch(self) -> int:
        """About one second of sending: also the most that a crash can send twice."""
        return max(1, int(self.limits.per_second))


class Sender:
    """Runs until cancelled; `wake()` starts at once after new rows were enqueued."""

    def __init__(
        self,
        sessionmaker: async_sessionmaker[AsyncSession],
        transport: Transport,
        config: SenderConfig = SenderConfig(),
        now: Callable[[], datetime] = utcnow,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.sessionmaker = sessionmaker
        self.transport = transport
        self.config = config
        self.now = now
        self.pacer = Pacer(config.limits, clock)
        self.clock = clock
        self._wake = asyncio.Event()
        self._file_ids: dict[int, str] = {}
        self._uploads: dict[int, asyncio.Lock] = {}
        self._progress_shown: dict[int, float] = {}

    def wake(self) -> None:
        self._wake.set()

    async def run(self) -> None:
        """Send forever; first re-queue whatever a crash left in flight."""
        async with self.sessionmaker() as session:
            recovered = await outbox.recover_in_flight(session, self.now())
        if recovered:
            logger.warning("re-sending %d deliveries left in flight by a stop", recovered)
        while True:
            if await self.run_batch() == 0:
                self._wake.clear()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._wake.wait(), self.config.idle_wait)

    async def drain(self) -> None:
        """Send everything due now, including retries that fall due while draining (tests)."""
        while True:
            if await self.run_batch():
                continue
            async with self.sessionmaker() as session:
                due = await outbox.next_due(session)
            if due is None:
                return
            await asyncio.sleep(max(0.0, (due - self.now()).total_seconds()))

    async def run_batch(self) -> int:
        """Claim, send and record one batch; returns how many rows it claimed."""
        async with self.sessionmaker() as session:
            rows = await outbox.claim(session, self.now(), self.config.batch)
        if not rows:
            return 0
        results = await asyncio.gather(*(self._deliver(row) for row in rows))
        async with self.sessionmaker() as session:
            await outbox.record(session, results, self.now())
        await self._report({row.broadcast_id for row in rows if row.broadcast_id is not None})
        self.pacer.forget_idle()
        return len(rows)

    async def _deliver(self, row: Outgoing) -> Result:
        try:
            row = await self._with_known_file(row)
            await self.pacer.wait_turn(row.chat_id)
            sent = await self._send(row)
        except RetryAfter as exc:
            self.pacer.pause(exc.seconds)
            retry_at = self.now() + timedelta(seconds=exc.seconds)
            return Result(
                row.id, row.chat_id, DeliveryStatus.PENDING, error="429", retry_at=retry_at
            )
        except Unreachable as exc:
            logger.info("delivery %s: chat %s unreachable", row.id, row.chat_id)
            return Result(row.id, row.chat_id, DeliveryStatus.BLOCKED, error=str(exc)[:300])
        except Rejected as exc:
            logger.warning("delivery %s rejected: %s", row.id, exc)
            return Result(row.id, row.chat_id, DeliveryStatus.FAILED, error=str(exc)[:300])
        except Transient as exc:
            return self._retry_or_fail(row, str(exc))
        learned = None
        if row.attachment is not None and sent.file_id and row.attachment.file_id is None:
            learned = (row.attachment.id, sent.file_id)
        return Result(row.id, row.chat_id, DeliveryStatus.SENT, sent.message_id, file_id=learned)

    def _retry_or_fail(self, row: Outgoing, error: str) -> Result:
        if row.attempts >= self.config.max_attempts:
            logger.warning("delivery %s failed after %d attempts", row.id, row.attempts)
            return Result(row.id, row.chat_id, DeliveryStatus.FAILED, error=error[:300])
        retry_at = self.now() + outbox.backoff(row.attempts, self.config.retry_first)
        return Result(
            row.id, row.chat_id, DeliveryStatus.PENDING, error=error[:300], retry_at=retry_at
        )

    async def _with_known_file(self, row: Outgoing) -> Outgoing:
        """Use a file id learned earlier in this run, so an attachment is uploaded once."""
        if row.attachment is None or row.attachment.file_id is not None:
            return row
        file_id = self._file_ids.get(row.attachment.id)
        if file_id is None:
            return row
        return replace(row, attachment=replace(row.attachment, file_id=file_id))

    async def _send(self, row: Outgoing) -> Sent:
        attachment = row.attachment
        if attachment is None or attachment.file_id is not None:
            return await self.transport.send(row)
        lock = self._uploads.setdefault(attachment.id, asyncio.Lock())
        async with lock:  # the first row uploads; the others wait and reuse its file id
            row = await self._with_known_file(row)
            sent = await self.transport.send(row)
            if sent.file_id and row.attachment is not None and row.attachment.file_id is None:
                self._file_ids[attachment.id] = sent.file_id
            return sent

    async def _report(self, broadcast_ids: set[int]) -> None:
        if not broadcast_ids:
            return
        async with self.sessionmaker() as session:
            found = await outbox.progress(session, sorted(broadcast_ids))
        for item in found:
            last = self._progress_shown.get(item.broadcast_id, 0.0)
            if item.message_id is None:
                continue
            if not item.done and self.clock() - last < self.config.progress_every:
                continue
            self._progress_shown[item.broadcast_id] = self.clock()
            await self.pacer.wait_turn(item.chat_id)
            await self._show(item)
            if item.done:
                async with self.sessionmaker() as session:
                    await outbox.finish_broadcast(session, item.broadcast_id, self.now())

    async def _show(self, item: Progress) -> None:
        try:
            await self.transport.show_progress(item)
        except (RetryAfter, Unreachable, Transient, Rejected) as exc:
            # progress is a courtesy: the final count is shown on the next batch or asked for
            logger.info("progress of broadcast %s not shown: %s", item.broadcast_id, exc)
