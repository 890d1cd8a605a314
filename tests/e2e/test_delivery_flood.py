"""A 429 is bot-wide flood control: it costs no attempt, and nothing is sent inside its window,
not even sends already scheduled or waiting for a connection when it arrives (issue 13)."""

import time
from collections.abc import AsyncIterator
from typing import Any

import pytest
from aiogram import Bot
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiohttp import web
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.sender import TelegramTransport
from core.messaging.outbox import Notice, enqueue
from core.messaging.pacing import Limits
from core.messaging.sender import Sender, SenderConfig
from core.models import Delivery, DeliveryStatus
from core.texts import load_catalogues
from core.timeutil import utcnow
from tests.fake_telegram import Call, FakeTelegram

pytestmark = pytest.mark.e2e
SLACK = 0.005  # seconds: the client learns of a 429 a moment after the server answered it


class WindowedTelegram(FakeTelegram):
    """The fake server, also noting when it answered each 429 and the window it announced."""

    windows: list[tuple[float, float]]

    async def _answer(self, call: Call) -> web.Response:
        response = await super()._answer(call)
        if response.status == 429:
            self.windows.append((time.monotonic(), time.monotonic() + 1.0))  # retry_after=1
        return response


@pytest.fixture
async def flood_server() -> AsyncIterator[WindowedTelegram]:
    fake = WindowedTelegram()
    fake.windows = []
    await fake.start()
    yield fake
    await fake.stop()


async def connect(server: FakeTelegram, connections: int = 100) -> Bot:
    """A Bot on the fake server with at most `connections` connections at once."""
    api = TelegramAPIServer.from_base(server.url)
    return Bot("42:TEST", session=AiohttpSession(api=api, limit=connections))


def config(rate: float, **changes: Any) -> SenderConfig:
    limits = Limits(per_second=rate, person_interval=0.0)
    return SenderConfig(limits=limits, retry_first=0.1, idle_wait=0.05, **changes)


async def queue(sessionmaker: async_sessionmaker[AsyncSession], people: range) -> None:
    async with sessionmaker() as session:
        await enqueue(session, [Notice(f"flood:{c}", c, f"Семинар {c}") for c in people], utcnow())
        await session.commit()


async def test_429s_then_a_server_error_do_not_fail_a_row_early(
    server: FakeTelegram, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    bot = await connect(server)
    transport = TelegramTransport(bot, load_catalogues(), False, request_timeout=1)
    sender = Sender(sessionmaker, transport, config(100.0, max_attempts=2))
    await queue(sessionmaker, range(5001, 5002))
    server.inject("sendMessage", status=429, retry_after=1, times=3)
    server.inject("sendMessage", status=500, times=1)
    try:
        await sender.drain()
    finally:
        await bot.session.close()
    assert [m.text for m in server.chat(5001)] == ["Семинар 5001"]
    async with sessionmaker() as session:
        row = await session.scalar(select(Delivery))
    assert row is not None and row.status == DeliveryStatus.SENT and row.attempts == 2


async def test_no_request_inside_a_retry_after_window_even_when_already_scheduled(
    flood_server: WindowedTelegram, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    server = flood_server
    bot = await connect(server, connections=8)
    transport = TelegramTransport(bot, load_catalogues(), True, request_timeout=5)
    sender = Sender(sessionmaker, transport, config(1000.0, max_in_flight=6, most_claimed=6))
    await queue(sessionmaker, range(1, 41))
    # the first send is answered 429 after 0.2 s; the second at once, so the next batch starts
    # and its rows take their turns before the 429 while the others, slow, hold the places in
    # flight: those rows are due and waiting for a place (unchecked, they would go at 0.2 s)
    server.inject("sendMessage", status=429, retry_after=1, chat_id=1, delay=0.2)
    server.inject("sendMessage", chat_id=2)
    server.inject("sendMessage", delay=0.5, seconds=0.3)
    try:
        await sender.drain()
    finally:
        await bot.session.close()
    assert len(server.windows) == 1
    start, end = server.windows[0]
    inside = [c for c in server.calls_of("sendMessage") if start + SLACK < c.at < end]
    assert [(round(c.at - start, 4), c.params.get("chat_id")) for c in inside] == []
    assert {m.chat_id for m in server.messages.values()} == set(range(1, 41))
