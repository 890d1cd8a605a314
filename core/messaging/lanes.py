"""Delivering a claimed batch: a fixed number of workers take its rows in order.

A task per row (a thousand at a time in paid mode) cost the sender more than its database
work; workers cost a task each per batch. Each worker reserves a row's send slot when it takes
the row and waits for it. A row whose slot is further off than the workers' own lead (its chat
had a message a moment ago: one a second to a person) waits in a task of its own instead, so
that a person with several messages holds up no one else; the workers' results come first,
so that the batch is recorded and the next one claimed without waiting for such rows (three
messages each, as the weekly summary sends, went at 10 a second of 25 while they held the
batch). The workers of a batch start when the batch before has handed out its last row, so
two batches overlap only in the last requests of the first.

A row deleted since its claim (a /forget) is not sent and has no outcome (core.messaging.watch).

Each row's outcome is a `Result`; no exception of a send leaves this module.
"""

import asyncio
import logging
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import datetime, timedelta

from core.messaging import outbox
from core.messaging.outbox import Outgoing, Result
from core.messaging.pacing import Pacer
from core.messaging.transport import Rejected, RetryAfter, Sent, Transient, Transport, Unreachable
from core.messaging.watch import Kept, Watch
from core.models import DeliveryStatus

BATCH_SECONDS = 0.5  # a claim is half a second of sending (core.messaging.sender)

logger = logging.getLogger(__name__)


class Lanes:
    def __init__(
        self,
        transport: Transport,
        pacer: Pacer,
        now: Callable[[], datetime],
        width: int,
        retries: tuple[int, float],  # the most attempts, and the first retry's wait in seconds
        kept: Kept,
    ) -> None:
        self.transport = transport
        self.kept = kept
        self.pacer = pacer
        self.now = now
        self.width = width
        self.max_attempts, self.retry_first = retries
        # how long a worker may wait for a row's turn: what the workers reserve ahead, at most
        # the half second a batch lasts
        self._lead = min(width / pacer.limits.per_second, BATCH_SECONDS)
        self._handed_out = asyncio.Event()
        self._handed_out.set()
        # requests at once, across the two batches that may overlap (see SenderConfig)
        self._in_flight = asyncio.Semaphore(width)
        self._file_ids: dict[int, str] = {}
        self._uploads: dict[int, asyncio.Lock] = {}

    async def deliver(
        self, rows: Sequence[Outgoing]
    ) -> tuple[list[Result], "asyncio.Future[list[Result | None]]", float]:
        """The results of the rows the workers sent, once they are done; to come, those of the
        rows waiting apart for their turn; and the latest of those turns (the pacer's clock).
        Cancelled, it cancels its sends. A row deleted since its claim has no result."""
        before, handed_out = self._handed_out, asyncio.Event()
        self._handed_out = handed_out
        done: list[Result | None] = []
        apart: list[asyncio.Task[Result | None]] = []
        furthest = 0.0
        queue, watch = iter(rows), Watch(self.kept, (row.id for row in rows))

        async def work() -> None:
            nonlocal furthest
            for row in queue:
                slot = self.pacer.reserve(row.chat_id)
                if slot - self.pacer.clock() > self._lead:
                    apart.append(asyncio.create_task(self._deliver(row, slot, watch)))
                    furthest = max(furthest, slot)
                else:
                    done.append(await self._deliver(row, slot, watch))
            handed_out.set()

        try:
            await before.wait()
            await watch.start()
            async with asyncio.TaskGroup() as group:
                for _ in range(min(self.width, len(rows))):
                    group.create_task(work())
        except BaseException:
            watch.stop()
            for task in apart:
                task.cancel()
            await asyncio.gather(*apart, return_exceptions=True)
            raise
        finally:
            handed_out.set()  # never holds up the next batch, also when cancelled
        return sent_only(done), watch.outlasting(apart), furthest

    async def _deliver(self, row: Outgoing, slot: float, watch: Watch) -> Result | None:
        try:
            row = self._with_known_file(row)
            if slot > self.pacer.clock():  # a slot reserved now is never inside a pause
                await self.pacer.wait_turn(row.chat_id, slot)
            if row.attachment is None or row.attachment.file_id is not None:
                sent = await self._request(row, watch)
            else:
                sent = await self._upload(row, row.attachment.id, watch)
        except _Gone:
            return None
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

    async def _upload(self, row: Outgoing, attachment_id: int, watch: Watch) -> Sent:
        """The first row of a file uploads it; the others wait and reuse its file id."""
        async with self._uploads.setdefault(attachment_id, asyncio.Lock()):
            row = self._with_known_file(row)
            sent = await self._request(row, watch)
            if sent.file_id and row.attachment is not None and row.attachment.file_id is None:
                self._file_ids[attachment_id] = sent.file_id
            return sent

    async def _request(self, row: Outgoing, watch: Watch) -> Sent:
        """The request itself, never inside a 429 window that began after the row's turn, and
        not for a row found deleted (after every wait: its turn, a file's upload, a place
        among the requests at once, a 429 pause)."""
        async with self._in_flight:
            if self.pacer.paused():
                await self.pacer.wait_turn(row.chat_id)
            if not watch.going(row.id):
                raise _Gone()
            try:
                return await self.transport.send(row)
            except RetryAfter as exc:  # paused before the next request may take this place
                self.pacer.pause(exc.seconds)
                raise


def sent_only(results: list[Result | None]) -> list[Result]:
    """The results of the rows sent (a row deleted since its claim has none)."""
    return [result for result in results if result is not None]


class _Gone(Exception):
    """The row was deleted since its claim: no request, no result."""
