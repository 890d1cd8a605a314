"""Delivering a claimed batch: a fixed number of workers take its rows in order.

A task per row (a thousand at a time in paid mode) cost the sender more than its database
work; workers cost a task each per batch. Each worker reserves a row's send slot when it takes
the row and waits for it. A row whose slot is further off than the workers' own lead (its chat
had a message a moment ago: one a second to a person) waits in a task of its own instead, so
that a person with several messages holds up no one else in the batch. The batch itself is
done only when that row is sent, and the sender keeps at most two batches unrecorded, so
many people with several messages each do slow the queue (three each, as the weekly summary
sends, at 25 a second: 10 a second). The workers of a batch start when the batch before has
handed out its last row, so two batches overlap only in the last requests of the first.

Each row's outcome is a `Result`; no exception of a send leaves this module.
"""

import asyncio
import logging
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import datetime, timedelta
from typing import cast

from core.messaging import outbox
from core.messaging.outbox import Outgoing, Result
from core.messaging.pacing import Pacer
from core.messaging.transport import Rejected, RetryAfter, Sent, Transient, Transport, Unreachable
from core.models import DeliveryStatus

logger = logging.getLogger(__name__)


class Lanes:
    def __init__(
        self,
        transport: Transport,
        pacer: Pacer,
        now: Callable[[], datetime],
        width: int,
        retries: tuple[int, float],  # the most attempts, and the first retry's wait in seconds
    ) -> None:
        self.transport = transport
        self.pacer = pacer
        self.now = now
        self.width = width
        self.max_attempts, self.retry_first = retries
        self._lead = width / pacer.limits.per_second  # how far ahead the workers reserve
        self._handed_out = asyncio.Event()
        self._handed_out.set()
        # requests at once, across the two batches that may overlap (see SenderConfig)
        self._in_flight = asyncio.Semaphore(width)
        self._file_ids: dict[int, str] = {}
        self._uploads: dict[int, asyncio.Lock] = {}

    async def deliver(self, rows: Sequence[Outgoing]) -> list[Result]:
        """The rows' results in the rows' order. Cancelled, it cancels its sends."""
        before, handed_out = self._handed_out, asyncio.Event()
        self._handed_out = handed_out
        results: list[Result | None] = [None] * len(rows)
        queue = iter(enumerate(rows))

        async def apart(position: int, row: Outgoing, slot: float) -> None:
            results[position] = await self._deliver(row, slot)

        async def work(group: asyncio.TaskGroup) -> None:
            for position, row in queue:
                slot = self.pacer.reserve(row.chat_id)
                if slot - self.pacer.clock() > self._lead:
                    group.create_task(apart(position, row, slot))
                else:
                    results[position] = await self._deliver(row, slot)
            handed_out.set()

        try:
            await before.wait()
            async with asyncio.TaskGroup() as group:
                for _ in range(min(self.width, len(rows))):
                    group.create_task(work(group))
        finally:
            handed_out.set()  # never holds up the next batch, also when cancelled
        return cast(list[Result], results)  # the group ended well: every row has its result

    async def _deliver(self, row: Outgoing, slot: float) -> Result:
        try:
            row = self._with_known_file(row)
            if slot > self.pacer.clock():  # a slot reserved now is never inside a pause
                await self.pacer.wait_turn(row.chat_id, slot)
            if row.attachment is None or row.attachment.file_id is not None:
                sent = await self._request(row)
            else:
                sent = await self._upload(row, row.attachment.id)
        except RetryAfter as exc:  # the pacer was paused by _request
            retry_at = self.now() + timedelta(seconds=exc.seconds)
            return Result(
                row.id, row.chat_id, DeliveryStatus.PENDING, None, "429", retry_at, counts=False
            )
        except Unreachable as exc:
            logger.info("delivery %s: chat unreachable", row.id)
            return Result(row.id, row.chat_id, DeliveryStatus.BLOCKED, error=str(exc)[:300])
        except Rejected as exc:
            logger.warning("delivery %s rejected by Telegram: %s", row.id, exc)
            return Result(row.id, row.chat_id, DeliveryStatus.FAILED, error=str(exc)[:300])
        except Transient as exc:
            return self._retry_or_fail(row, str(exc))
        except Exception as exc:  # a bug or an unforeseen answer: retried, then failed
            logger.exception("delivery %s: unexpected %s", row.id, type(exc).__name__)
            return self._retry_or_fail(row, f"unexpected {type(exc).__name__}")
        learned = None
        if row.attachment is not None and sent.file_id and row.attachment.file_id is None:
            learned = (row.attachment.id, sent.file_id)
        return Result(row.id, row.chat_id, DeliveryStatus.SENT, sent.message_id, file_id=learned)

    def _retry_or_fail(self, row: Outgoing, error: str) -> Result:
        if row.attempts >= self.max_attempts:
            logger.warning("delivery %s failed after %d attempts", row.id, row.attempts)
            return Result(row.id, row.chat_id, DeliveryStatus.FAILED, error=error[:300])
        retry_at = self.now() + outbox.backoff(row.attempts, self.retry_first)
        return Result(
            row.id, row.chat_id, DeliveryStatus.PENDING, error=error[:300], retry_at=retry_at
        )

    def _with_known_file(self, row: Outgoing) -> Outgoing:
        """Use a file id learned earlier in this run, so an attachment is uploaded once."""
        if row.attachment is None or row.attachment.file_id is not None:
            return row
        file_id = self._file_ids.get(row.attachment.id)
        if file_id is None:
            return row
        return replace(row, attachment=replace(row.attachment, file_id=file_id))

    async def _upload(self, row: Outgoing, attachment_id: int) -> Sent:
        """The first row of a file uploads it; the others wait and reuse its file id."""
        async with self._uploads.setdefault(attachment_id, asyncio.Lock()):
            row = self._with_known_file(row)
            sent = await self._request(row)
            if sent.file_id and row.attachment is not None and row.attachment.file_id is None:
                self._file_ids[attachment_id] = sent.file_id
            return sent

    async def _request(self, row: Outgoing) -> Sent:
        """The request itself, never inside a 429 window that began after the row's turn."""
        async with self._in_flight:
            if self.pacer.paused():
                await self.pacer.wait_turn(row.chat_id)
            try:
                return await self.transport.send(row)
            except RetryAfter as exc:  # paused before the next request may take this place
                self.pacer.pause(exc.seconds)
                raise
