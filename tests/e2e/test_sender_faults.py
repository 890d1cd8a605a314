"""The sender keeps delivering whatever Telegram or the process throws at it (issue 8)."""

import asyncio
import logging
from collections import Counter
from collections.abc import Callable
from typing import Any

import pytest
from aiogram import Bot
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.sender import TelegramTransport
from core.messaging.broadcast import Progress, Watcher, new_broadcast, set_progress_message
from core.messaging.outbox import Notice, Outgoing, enqueue
from core.messaging.pacing import Limits
from core.messaging.sender import Sender, SenderConfig
from core.messaging.transport import Sent
from core.models import Delivery, DeliveryStatus
from core.supervisor import supervise
from core.texts import load_catalogues
from core.timeutil import utcnow
from tests.fake_telegram import FakeTelegram

pytestmark = pytest.mark.e2e
AUTHOR = 500


def fast_config(**changes: Any) -> SenderConfig:
    fast = {"retry_first": 0.1, "progress_every": 0.2, "idle_wait": 0.05}
    return SenderConfig(limits=Limits(per_second=100.0, person_interval=0.0), **fast | changes)


async def announce(
    sessionmaker: async_sessionmaker[AsyncSession], bot: Bot, tag: str, people: range
) -> int:
    """Queue an announcement with a progress message, as /announce does."""
    message = await bot.send_message(AUTHOR, f"Рассылка {tag}: отправлено 0 из {len(people)}…")
    async with sessionmaker() as session:
        broadcast_id = await new_broadcast(
            session, Watcher(None, AUTHOR, "ru"), len(people), utcnow()
        )
        await session.commit()
        await set_progress_message(session, broadcast_id, message.message_id)
        notices = [Notice(f"{tag}:{chat}", chat, f"{tag} для {chat}") for chat in people]
        await enqueue(session, notices, utcnow(), broadcast_id=broadcast_id)
        await session.commit()
    return message.message_id


def delivered(server: FakeTelegram, tag: str) -> Counter[int]:
    return Counter(m.chat_id for m in server.messages.values() if (m.text or "").startswith(tag))


async def running(sender: Sender) -> asyncio.Task[None]:
    return asyncio.create_task(supervise("sender", sender.run, pause=0.05))


async def stop(task: asyncio.Task[None]) -> None:
    task.cancel()
    await asyncio.gather(task, return_exceptions=True)


async def test_errors_on_the_progress_edit_never_stop_delivery(
    server: FakeTelegram, bot: Bot, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    transport = TelegramTransport(bot, load_catalogues(), False, request_timeout=1)
    sender = Sender(sessionmaker, transport, fast_config())
    progress = await announce(sessionmaker, bot, "Первое", range(1001, 1102))
    server.inject("editMessageText", status=500, seconds=1.5)
    server.inject("editMessageText", status=429, retry_after=1, times=1)
    task = await running(sender)
    try:
        await server.wait_until(lambda: len(delivered(server, "Первое")) == 101, timeout=20)
        await announce(sessionmaker, bot, "Второе", range(2001, 2011))
        await server.wait_until(lambda: len(delivered(server, "Второе")) == 10, timeout=20)
        final = "Рассылка завершена: доставлено 101 из 101"
        await server.wait_until(
            lambda: (server.messages[(AUTHOR, progress)].text or "").startswith(final), 20
        )
    finally:
        await stop(task)
    assert set(delivered(server, "Первое").values()) == {1}
    assert server.calls_of("editMessageText")[0].status in (500, 429)


async def test_every_method_failing_for_a_while_loses_nothing(
    server: FakeTelegram, bot: Bot, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    transport = TelegramTransport(bot, load_catalogues(), False, request_timeout=1)
    sender = Sender(sessionmaker, transport, fast_config(max_attempts=10))
    await announce(sessionmaker, bot, "Всё", range(3001, 3061))
    server.inject("*", status=500, seconds=1.5)
    task = await running(sender)
    try:
        await server.wait_until(lambda: len(delivered(server, "Всё")) == 60, timeout=30)
        await all_recorded(sessionmaker)
    finally:
        await stop(task)
    assert set(delivered(server, "Всё").values()) == {1}


async def test_slow_answers_and_timeouts_are_retried(
    server: FakeTelegram, bot: Bot, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    transport = TelegramTransport(bot, load_catalogues(), False, request_timeout=1)
    sender = Sender(sessionmaker, transport, fast_config())
    await announce(sessionmaker, bot, "Медленно", range(4001, 4011))
    server.inject("sendMessage", delay=1.5, drop=True, times=3)  # the client gives up
    server.inject("editMessageText", delay=1.5, drop=True, times=2)
    task = await running(sender)
    try:
        await server.wait_until(lambda: len(delivered(server, "Медленно")) == 10, timeout=20)
    finally:
        await stop(task)


async def test_a_429_does_not_use_up_attempts(
    server: FakeTelegram, bot: Bot, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    transport = TelegramTransport(bot, load_catalogues(), False, request_timeout=1)
    sender = Sender(sessionmaker, transport, fast_config(max_attempts=2))
    async with sessionmaker() as session:
        await enqueue(session, [Notice("flood", 5001, "Подождите")], utcnow())
        await session.commit()
    server.inject("sendMessage", status=429, retry_after=1, times=3)
    await sender.drain()
    assert [m.text for m in server.chat(5001)] == ["Подождите"]


class Flaky:
    """A transport that raises an unforeseen error for some rows, once."""

    def __init__(self, inner: TelegramTransport, broken: set[int]) -> None:
        self.inner = inner
        self.broken = broken

    async def send(self, message: Outgoing) -> Sent:
        if message.chat_id in self.broken:
            self.broken.discard(message.chat_id)
            raise KeyError("an unforeseen bug")
        return await self.inner.send(message)

    async def show_progress(self, progress: Progress) -> None:
        await self.inner.show_progress(progress)


class FailingSessions:
    """Sessions that fail on chosen uses (1-based), as when the database is briefly away."""

    def __init__(self, real: async_sessionmaker[AsyncSession]) -> None:
        self.real = real
        self.kw = real.kw  # the engine, as the sender's presence finds it
        self.calls = 0
        self.fail: set[int] = set()

    def __call__(self) -> AsyncSession:
        self.calls += 1
        if self.calls in self.fail:
            raise ConnectionError("database away")
        return self.real()


async def test_an_exception_inside_a_batch_is_logged_and_delivery_goes_on(
    server: FakeTelegram,
    bot: Bot,
    sessionmaker: async_sessionmaker[AsyncSession],
    caplog: pytest.LogCaptureFixture,
) -> None:
    inner = TelegramTransport(bot, load_catalogues(), False, request_timeout=1)
    sessions = FailingSessions(sessionmaker)
    sender = Sender(sessions, Flaky(inner, {6003, 6007}), fast_config())  # type: ignore[arg-type]
    await queue(sessionmaker, "Сбой", range(6001, 6021))
    caplog.set_level(logging.INFO)
    task = await running(sender)
    try:
        await server.wait_until(lambda: len(delivered(server, "Сбой")) == 20, timeout=20)
        await all_recorded(sessionmaker)  # batches are recorded while the next ones send
        sessions.fail = {sessions.calls + n for n in (1, 2, 3)}  # the next claims fail
        await queue(sessionmaker, "Потом", range(7001, 7011))
        sender.wake()
        await server.wait_until(lambda: len(delivered(server, "Потом")) == 10, timeout=20)
        await all_recorded(sessionmaker)
    finally:
        await stop(task)
    assert "unexpected KeyError" in caplog.text and "batch failed" in caplog.text
    assert set(delivered(server, "Сбой").values()) == {1}
    assert set(delivered(server, "Потом").values()) == {1}


async def queue(sessionmaker: async_sessionmaker[AsyncSession], tag: str, people: range) -> None:
    async with sessionmaker() as session:
        await enqueue(session, [Notice(f"{tag}:{c}", c, f"{tag} {c}") for c in people], utcnow())
        await session.commit()


async def all_recorded(sessionmaker: async_sessionmaker[AsyncSession]) -> None:
    """Wait until every row is recorded as sent (a busy machine may take up to 30 s)."""
    deadline = asyncio.get_running_loop().time() + 30
    while asyncio.get_running_loop().time() < deadline:
        if await not_sent(sessionmaker) == 0:
            return
        await asyncio.sleep(0.05)
    raise AssertionError(f"{await not_sent(sessionmaker)} rows not recorded as sent")


async def not_sent(sessionmaker: async_sessionmaker[AsyncSession]) -> int:
    async with sessionmaker() as session:
        count = await session.scalar(
            select(func.count()).where(Delivery.status != DeliveryStatus.SENT)
        )
    return count or 0


async def test_a_loop_that_ends_or_crashes_is_restarted_and_logged(
    caplog: pytest.LogCaptureFixture,
) -> None:
    runs: list[str] = []

    async def loop() -> None:
        runs.append("run")
        if len(runs) == 1:
            return  # ended by itself
        if len(runs) == 2:
            raise RuntimeError("crashed")
        await asyncio.sleep(3600)

    caplog.set_level(logging.ERROR)
    task = asyncio.create_task(supervise("worker", loop, pause=0.01))
    await wait_for(lambda: len(runs) == 3)
    await stop(task)
    assert "worker stopped by itself" in caplog.text and "worker crashed" in caplog.text


async def wait_for(predicate: Callable[[], bool], timeout: float = 5.0) -> None:
    async def poll() -> None:
        while not predicate():
            await asyncio.sleep(0.01)

    await asyncio.wait_for(poll(), timeout)


async def test_the_health_line_shows_a_stuck_queue(
    server: FakeTelegram,
    bot: Bot,
    sessionmaker: async_sessionmaker[AsyncSession],
    caplog: pytest.LogCaptureFixture,
) -> None:
    transport = TelegramTransport(bot, load_catalogues(), False, request_timeout=1)
    config = fast_config(health_every=0.0)
    sender = Sender(sessionmaker, transport, config, now=lambda: utcnow() + config.stuck_after * 2)
    async with sessionmaker() as session:
        await enqueue(session, [Notice("later", 8001, "x")], utcnow() + config.stuck_after * 3)
        await session.commit()
        await enqueue(session, [Notice("now", 8002, "y")], utcnow())
        await session.commit()
    caplog.set_level(logging.INFO, logger="core.messaging.sender")
    await sender.run_batch()
    await sender.housekeeping()
    health = [r for r in caplog.records if r.getMessage().startswith("outbox:")]
    assert health and health[-1].levelno == logging.INFO
    assert "sent 1" in health[-1].getMessage() and "pending 1" in health[-1].getMessage()
    stuck = Sender(sessionmaker, transport, config, now=lambda: utcnow() + config.stuck_after * 5)
    await stuck.housekeeping()
    assert [r for r in caplog.records if r.getMessage().startswith("outbox:")][-1].levelno == (
        logging.WARNING
    )


async def test_a_stop_that_comes_with_a_wake_up_still_stops_the_sender(
    server: FakeTelegram,
    bot: Bot,
    sessionmaker: async_sessionmaker[AsyncSession],
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A job woke the idle sender as the stop came: the stop must not be lost in the wake-up
    (it was, and `python -m bot` then waited forever for the sender to end)."""
    transport = TelegramTransport(bot, load_catalogues(), False, request_timeout=1)
    sender = Sender(sessionmaker, transport, fast_config(idle_wait=60.0, health_every=0.0))
    caplog.set_level(logging.INFO, logger="core.messaging.sender")
    task = await running(sender)
    # its health line is the last step before it idles
    await wait_for(lambda: any(r.getMessage().startswith("outbox:") for r in caplog.records))
    sender.wake()
    async with asyncio.timeout(5):
        await stop(task)  # cancels it in the same turn as the wake-up
    assert task.cancelled()
