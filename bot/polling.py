"""Long polling: the updates of different people handled at once, one person's in order.

An update is confirmed to Telegram (an offset above it, in the next call) only once it and
every update before it are handled, so no update is lost, not even by a crash (kill -9): a
restart gets the unconfirmed ones again, and those of them already handled (at most `BATCH`)
run a second time; handlers are idempotent where that matters. Updates run concurrently,
chained per person (the user, else the chat), so one person's fast taps are handled in the
order sent. After a call, the poller waits until the updates in hand are handled, but at
most REFETCH_SECONDS: then, with a few left (STRAGGLERS), it asks again (the unconfirmed ones
come back with any newer ones, and only the newer ones start), so a slow reply holds up the
others that long at most; unless BATCH updates are unconfirmed, when no newer one could come
back: then it waits until the oldest are handled. A stop (SIGINT, SIGTERM) lets the updates
in hand finish and confirms them before returning.
"""

import asyncio
import contextlib
import logging
from collections import deque
from collections.abc import Hashable
from signal import SIGINT, SIGTERM

from aiogram import Bot, Dispatcher
from aiogram.dispatcher.middlewares.user_context import UserContextMiddleware
from aiogram.exceptions import (
    TelegramConflictError,
    TelegramNetworkError,
    TelegramRetryAfter,
    TelegramServerError,
)
from aiogram.types import Update
from aiogram.utils.backoff import Backoff, BackoffConfig

logger = logging.getLogger(__name__)
BATCH = 100  # Telegram's most per call
POLL_SECONDS = 25
REFETCH_SECONDS = 0.25  # updates in hand for longer: ask for newer ones meanwhile ...
STRAGGLERS = 10  # ... when no more than this many are left in hand
BACKOFF = BackoffConfig(min_delay=1.0, max_delay=30.0, factor=1.5, jitter=0.1)
# another poller for a while (a restart overlapping) is a conflict: wait, as for the others
TRANSIENT = (TelegramNetworkError, TelegramServerError, TelegramRetryAfter, TelegramConflictError)


def person_of(update: Update) -> Hashable:
    """Whose update it is: the user, else the chat, else nobody's but its own."""
    context = UserContextMiddleware.resolve_event_context(update)
    if context.user is not None:
        return ("user", context.user.id)
    if context.chat is not None:
        return ("chat", context.chat.id)
    return ("update", update.update_id)


async def _handle(
    dp: Dispatcher, bot: Bot, update: Update, after: asyncio.Task[None] | None
) -> None:
    """Handle `update` once the same person's previous update (`after`) is done."""
    if after is not None:
        await asyncio.wait((after,))
    try:
        await dp.feed_update(bot, update)
    except (Exception, asyncio.CancelledError) as exc:  # the error handler already answered
        logger.error("update %d: %s", update.update_id, type(exc).__name__)


class Poller:
    """Polls until `stop()`; `run` returns once the updates in hand are handled and confirmed."""

    def __init__(self, dp: Dispatcher, bot: Bot, allowed_updates: list[str]) -> None:
        self.dp, self.bot, self.allowed = dp, bot, allowed_updates
        self.stopping = asyncio.Event()
        self.newest: int | None = None  # the newest update started
        self.in_hand: dict[int, asyncio.Task[None]] = {}  # started, not yet handled
        self.last: dict[Hashable, asyncio.Task[None]] = {}  # each person's latest update
        self.started: deque[int] = deque()  # started, maybe handled, not yet confirmed

    def stop(self) -> None:
        self.stopping.set()

    @property
    def offset(self) -> int | None:
        """The next call's offset: it confirms every update below it, all handled."""
        if self.in_hand:
            return min(self.in_hand)
        return None if self.newest is None else self.newest + 1

    async def run(self) -> None:
        try:
            await self._poll()
        finally:  # a stop, or an error no retry helps: the updates in hand finish first
            while self.in_hand:
                await asyncio.wait(tuple(self.in_hand.values()))
        await self._confirm()

    async def _poll(self) -> None:
        backoff = Backoff(BACKOFF)
        while not self.stopping.is_set():
            try:
                updates = await self._next()
            except TRANSIENT as exc:
                delay = max(next(backoff), getattr(exc, "retry_after", 0))
                logger.warning(
                    "getUpdates failed (%s), again in %.1f s", type(exc).__name__, delay
                )
                await self._pause(delay)
                continue
            backoff.reset()
            for update in updates:
                if self.newest is None or update.update_id > self.newest:
                    self._start(update)
            await self._settle()

    async def _settle(self) -> None:
        """Wait until the updates in hand are handled (the next call confirms them all), but
        ask again after REFETCH_SECONDS if only a few are left (a call brings back every
        unconfirmed update to be parsed again: worth it for stragglers, not while a busy
        batch is running) and a call could bring a newer update."""
        while self.in_hand and not self.stopping.is_set():
            await asyncio.wait(tuple(self.in_hand.values()), timeout=REFETCH_SECONDS)
            if len(self.in_hand) <= STRAGGLERS and self._room():
                return

    def _room(self) -> bool:
        """Whether a call now could bring an update not yet started: Telegram returns at most
        BATCH from the offset, and the unconfirmed ones, already started, come first."""
        offset = self.offset
        while self.started and offset is not None and self.started[0] < offset:
            self.started.popleft()
        return len(self.started) < BATCH

    def _start(self, update: Update) -> None:
        person = person_of(update)
        task = asyncio.create_task(_handle(self.dp, self.bot, update, self.last.get(person)))
        self.newest = update.update_id
        self.started.append(update.update_id)
        self.in_hand[update.update_id] = self.last[person] = task

        def handled(_: asyncio.Task[None]) -> None:
            del self.in_hand[update.update_id]
            if self.last.get(person) is task:
                del self.last[person]

        task.add_done_callback(handled)

    async def _next(self) -> list[Update]:
        """The next batch, or none when a stop comes while waiting for it."""
        call = asyncio.ensure_future(
            self.bot.get_updates(
                offset=self.offset, limit=BATCH, timeout=POLL_SECONDS,
                allowed_updates=self.allowed, request_timeout=POLL_SECONDS + 10,
            )
        )  # fmt: skip
        stopped = asyncio.ensure_future(self.stopping.wait())
        await asyncio.wait((call, stopped), return_when=asyncio.FIRST_COMPLETED)
        stopped.cancel()
        if not call.done():  # nothing taken: what waits stays with Telegram
            call.cancel()
            await asyncio.gather(call, return_exceptions=True)
            return []
        return call.result()

    async def _pause(self, seconds: float) -> None:
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(seconds):  # not wait_for: see core.messaging.sender
                await self.stopping.wait()

    async def _confirm(self) -> None:
        """Tell Telegram the updates in hand are done (an offset confirms every one below it)."""
        if self.offset is None:
            return
        try:
            await self.bot.get_updates(offset=self.offset, limit=1, timeout=0)
        except TRANSIENT as exc:  # they come again on restart: handled twice, not lost
            logger.warning("could not confirm the last updates (%s)", type(exc).__name__)


async def serve(dp: Dispatcher, bot: Bot) -> None:
    """Start the dispatcher (menus, sender, jobs), poll until SIGINT or SIGTERM, shut down."""
    poller = Poller(dp, bot, dp.resolve_used_update_types())
    loop = asyncio.get_running_loop()
    for signal in (SIGINT, SIGTERM):
        loop.add_signal_handler(signal, poller.stop)
    await dp.emit_startup(bot=bot, **dp.workflow_data)
    try:
        await poller.run()
    finally:
        await dp.emit_shutdown(bot=bot, **dp.workflow_data)
        for signal in (SIGINT, SIGTERM):
            loop.remove_signal_handler(signal)
