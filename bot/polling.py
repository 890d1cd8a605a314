"""Long polling: the updates of different people handled at once, one person's in order.

Each `getUpdates` batch is handled whole before the next call's offset confirms it to
Telegram, so no update is lost, not even by a crash (kill -9): a restart gets the batch in
hand again, and its updates already handled (at most `BATCH`) run a second time; handlers
are idempotent where that matters. Within a batch the updates run concurrently, chained per
person (the user, else the chat), so one person's fast taps are handled in the order sent.
A stop (SIGINT, SIGTERM) lets the batch in hand finish and confirms it before returning.
"""

import asyncio
import contextlib
import logging
from collections.abc import Hashable, Sequence
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
BACKOFF = BackoffConfig(min_delay=1.0, max_delay=30.0, factor=1.5, jitter=0.1)
# another poller for a while (a restart overlapping) is a conflict: wait, as for the others
TRANSIENT = (TelegramNetworkError, TelegramServerError, TelegramRetryAfter, TelegramConflictError)


async def handle_batch(dp: Dispatcher, bot: Bot, updates: Sequence[Update]) -> None:
    """Handle every update of the batch: one chain per person, the chains at once."""
    chains: dict[Hashable, list[Update]] = {}
    for update in updates:
        chains.setdefault(person_of(update), []).append(update)
    await asyncio.gather(*(_in_order(dp, bot, chain) for chain in chains.values()))


def person_of(update: Update) -> Hashable:
    """Whose update it is: the user, else the chat, else nobody's but its own."""
    context = UserContextMiddleware.resolve_event_context(update)
    if context.user is not None:
        return ("user", context.user.id)
    if context.chat is not None:
        return ("chat", context.chat.id)
    return ("update", update.update_id)


async def _in_order(dp: Dispatcher, bot: Bot, chain: list[Update]) -> None:
    for update in chain:
        try:
            await dp.feed_update(bot, update)
        except Exception as exc:  # the error handler already answered; the next one goes on
            logger.error("update %d: %s", update.update_id, type(exc).__name__)


class Poller:
    """Polls until `stop()`; `run` returns once the batch in hand is handled and confirmed."""

    def __init__(self, dp: Dispatcher, bot: Bot, allowed_updates: list[str]) -> None:
        self.dp, self.bot, self.allowed = dp, bot, allowed_updates
        self.stopping = asyncio.Event()
        self.offset: int | None = None

    def stop(self) -> None:
        self.stopping.set()

    async def run(self) -> None:
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
            if updates:
                await handle_batch(self.dp, self.bot, updates)
                self.offset = updates[-1].update_id + 1
        await self._confirm()

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
            await asyncio.wait_for(self.stopping.wait(), seconds)

    async def _confirm(self) -> None:
        """Tell Telegram the last batch is done (an offset confirms every update below it)."""
        if self.offset is None:
            return
        try:
            await self.bot.get_updates(offset=self.offset, limit=1, timeout=0)
        except TRANSIENT as exc:  # the batch comes again on restart: handled twice, not lost
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
