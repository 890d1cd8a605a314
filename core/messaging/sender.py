"""The sender: claims due outbox rows, paces them within Telegram's limits, records results.

Batches are half a second of sending; the next one is claimed while the one before is still
sending (its slots follow on), so the queue does not wait for a batch's slowest answer or its
recording, and at most two batches (about one second of sending) are being sent and
unrecorded. A person's later messages, waiting apart for their turn (core.messaging.lanes),
do not hold that up; they are recorded together when the last of them in the batch is sent.

Policy for a crash (kill -9): rows claimed but not yet recorded stay "sending"; on restart
they are sent again (core.messaging.presence: with several instances, only those of senders
that are gone). So nothing is lost, and at most about one second of sending (and such later
messages of the last seconds) can reach people twice. A read timeout is retried the same way:
a lost notification is worse than a duplicate.

The loop never ends by itself: a batch that fails (the database away, a bug) is logged, its
rows are given back, and the loop goes on after a growing pause. Progress messages are a
courtesy: no error showing them can stop delivery.
"""

import asyncio
import contextlib
import logging
import time
from collections import Counter, deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from core.messaging import backlog, outbox
from core.messaging.broadcast import Reporter
from core.messaging.lanes import BATCH_SECONDS, Lanes, sent_only
from core.messaging.outbox import Outgoing, Result
from core.messaging.pacing import Limits, Pacer
from core.messaging.presence import Presence
from core.messaging.transport import Transport
from core.models import DeliveryStatus
from core.timeutil import utcnow

logger = logging.getLogger(__name__)
# seconds: a batch whose rows waiting apart for their turn are all due within this lets the
# next batches be claimed; a later turn keeps it counted, so claimed rows stay few (a lease
# runs out after five minutes: core.messaging.outbox.LEASE)
LINGER = 5.0


@dataclass(frozen=True)
class SenderConfig:
    limits: Limits = Limits()
    max_attempts: int = 6
    retry_first: float = 2.0  # seconds before the first retry; doubles each time
    idle_wait: float = 1.0  # seconds between looks at an empty outbox
    progress_every: float = 2.0  # seconds between progress edits of one broadcast
    health_every: float = 300.0  # seconds between health lines in the log
    stuck_after: timedelta = timedelta(minutes=10)  # an older pending row is a warning
    pause_cap: float = 60.0  # the longest pause after failing batches
    # requests at once: below aiogram's 100 connections, so that a send that passed the
    # 429 check never waits for a connection (and goes out late, inside a new window)
    max_in_flight: int = 80

    most_claimed: int = 1000  # rows in one claim, whatever the rate

    @property
    def batch(self) -> int:
        """Half a second of sending (at most `most_claimed` rows); two batches at once are the
        most a crash sends twice."""
        return max(1, min(self.most_claimed, int(self.limits.per_second * BATCH_SECONDS)))


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
        retries = (config.max_attempts, config.retry_first)
        self._lanes = Lanes(
            transport, self.pacer, now, config.max_in_flight, retries, self._still_there
        )
        self.reporter = Reporter(sessionmaker, transport, self.pacer, config.progress_every, now)
        self._outcomes: Counter[str] = Counter()
        # claimed, not yet recorded; each with an event set when only rows waiting apart
        # for their chat's turn are left
        self._batches: deque[tuple[asyncio.Task[int], asyncio.Event]] = deque()
        self._reporting = asyncio.Lock()
        self._last_health = clock()
        self.owner: int | None = None  # the id its claims carry while it runs

    def wake(self) -> None:
        self._wake.set()

    async def run(self) -> None:
        """Send forever, present as a sender (core.messaging.presence); first re-queue what
        senders that are gone left in flight."""
        async with Presence(self.sessionmaker.kw["bind"]) as presence:
            self.owner = presence.id
            await self._recover(presence)
            try:
                await self._loop(presence)
            finally:
                await self._abandon()
                self.owner = None

    async def _loop(self, presence: Presence) -> None:
        failures = 0
        while True:
            await presence.check()  # PresenceLost ends run(); the supervisor starts it again
            try:
                claimed = await self._step()
                await self.housekeeping()
                failures = 0
            except Exception:  # a background loop logs, backs off and goes on
                failures += 1
                pause = self._pause_after(failures)
                logger.exception(
                    "sender: batch failed (%d in a row), next try in %.1f s", failures, pause
                )
                await asyncio.sleep(pause)
                continue
            if claimed == 0:
                await self._idle()

    def _pause_after(self, failures: int) -> float:
        return min(self.config.pause_cap, self.config.retry_first * 2.0 ** (failures - 1))

    async def _recover(self, presence: Presence) -> None:
        while True:
            try:
                async with self.sessionmaker() as session:
                    recovered = await presence.recover(session, self.now())
                break
            except Exception:
                logger.exception("sender: cannot read the outbox at start; retrying")
                await asyncio.sleep(self.config.retry_first)
        if recovered:
            logger.warning("sender: re-sending %d deliveries left in flight by a stop", recovered)

    async def _idle(self) -> None:
        self._wake.clear()
        # not wait_for: before Python 3.12 it lost a stop that came with the wake-up
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(self.config.idle_wait):
                await self._wake.wait()

    async def drain(self) -> None:
        """Send everything due now, including retries that fall due while draining (tests)."""
        while True:
            if await self._step():
                continue
            await self._report(None)
            async with self.sessionmaker() as session:
                due = await backlog.next_due(session)
            if due is None:
                return
            await asyncio.sleep(max(0.0, (due - self.now()).total_seconds()))

    async def _step(self) -> int:
        """Claim the next batch while the one before is still sending (see `_room`); a
        batch's failure is raised here. Returns how many rows it claimed; with none due,
        waits for the batches in flight first."""
        await self._room()
        async with self.sessionmaker() as session:
            rows = await outbox.claim(session, self.now(), self.config.batch, self.owner)
        if rows:
            sending = asyncio.Event()
            self._batches.append((asyncio.create_task(self._complete(rows, sending)), sending))
            return len(rows)
        while self._batches:
            await self._batches.popleft()[0]
        return 0

    async def _room(self) -> None:
        """Wait until fewer than two batches have rows their workers still send (rows that
        wait apart for their chat's turn do not count: core.messaging.lanes)."""
        while True:
            while self._batches and self._batches[0][0].done():
                await self._batches.popleft()[0]
            busy = [sending for _, sending in self._batches if not sending.is_set()]
            if len(busy) < 2:
                return
            await busy[0].wait()

    async def _abandon(self) -> None:
        """The loop stops: batches in flight give their rows back (see _complete)."""
        tasks = [task for task, _ in self._batches]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        self._batches.clear()

    async def run_batch(self) -> int:
        """Claim, send and record one batch, alone; returns how many rows it claimed."""
        async with self.sessionmaker() as session:
            rows = await outbox.claim(session, self.now(), self.config.batch, self.owner)
        return await self._complete(rows) if rows else 0

    async def _complete(
        self, rows: list[outbox.Outgoing], sending: asyncio.Event | None = None
    ) -> int:
        """Send and record claimed rows: those the workers sent, then those that waited apart
        for their turn (`sending` is set in between, unless a turn is more than LINGER away:
        a long 429 pause, a group's many messages). Rows not recorded when anything fails
        are given back to be sent again, not stranded."""
        unrecorded = {row.id: row for row in rows}
        later: asyncio.Future[list[Result | None]] | None = None
        try:
            done, later, furthest = await self._lanes.deliver(rows)
            await self._record(done, unrecorded)
            if sending is not None and furthest - self.clock() <= LINGER:
                sending.set()
            await self._record(sent_only(await later), unrecorded)
        except BaseException:
            if later is not None:
                later.cancel()
            await self._release(list(unrecorded))
            raise
        finally:
            if sending is not None:
                sending.set()
        self.pacer.forget_idle()
        return len(rows)

    async def _record(self, results: list[Result], unrecorded: dict[int, Outgoing]) -> None:
        if not results:
            return
        async with self.sessionmaker() as session:
            await outbox.record(session, results, self.now())
        broadcasts = {unrecorded.pop(result.id).broadcast_id for result in results}
        self._outcomes.update(str(result.status) for result in results)
        await self._report(b for b in broadcasts if b is not None)

    async def _still_there(self, ids: list[int]) -> set[int]:
        async with self.sessionmaker() as session:
            return await backlog.still_there(session, ids)

    async def _report(self, broadcast_ids: Iterable[int] | None) -> None:
        async with self._reporting:  # batches finish concurrently; progress is shown in turn
            await self.reporter.report(broadcast_ids)

    async def _release(self, ids: list[int]) -> None:
        try:
            async with self.sessionmaker() as session:
                await outbox.release(session, ids, self.now())
        except Exception:  # the lease returns them later (outbox.requeue_expired)
            logger.exception("sender: could not give %d claimed rows back", len(ids))

    async def housekeeping(self) -> None:
        """Take back expired claims and retry unshown progress; a health line now and then."""
        await self._report(None)
        if self.clock() - self._last_health < self.config.health_every:
            return
        self._last_health = self.clock()
        async with self.sessionmaker() as session:
            expired = await outbox.requeue_expired(session, self.now())
            state = await backlog.health(session)
        if expired:
            logger.warning("sender: %d deliveries outlived their claim; due again", expired)
        age = (self.now() - state.oldest_pending).total_seconds() if state.oldest_pending else 0
        level = logging.WARNING if age > self.config.stuck_after.total_seconds() else logging.INFO
        done, self._outcomes = self._outcomes, Counter()
        logger.log(
            level,
            "outbox: sent %d, retried %d, failed %d, blocked %d since the last line; "
            "now pending %d, sending %d, failed in all %d, oldest pending %.0f s",
            done[DeliveryStatus.SENT],
            done[DeliveryStatus.PENDING],
            done[DeliveryStatus.FAILED],
            done[DeliveryStatus.BLOCKED],
            state.pending,
            state.sending,
            state.failed,
            age,
        )
