"""The fake Bot API server behaves like Telegram where the bot can notice."""

import asyncio
from collections.abc import AsyncIterator

import aiohttp
import pytest
from aiogram import Bot
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.exceptions import (
    TelegramBadRequest,
    TelegramForbiddenError,
    TelegramNetworkError,
    TelegramRetryAfter,
    TelegramServerError,
)
from aiogram.types import BufferedInputFile

from tests import factories
from tests.conftest import NetworkGuard
from tests.fake_telegram import FakeTelegram

pytestmark = pytest.mark.e2e


@pytest.fixture
async def bot(server: FakeTelegram) -> AsyncIterator[Bot]:
    session = AiohttpSession(api=TelegramAPIServer.from_base(server.url))
    client = Bot("42:TEST", session=session)
    yield client
    await client.session.close()


async def test_unknown_method_and_wrong_token_answer_like_telegram(server: FakeTelegram) -> None:
    async with aiohttp.ClientSession() as http:
        async with http.post(f"{server.url}/bot42:TEST/sendTelepathy") as response:
            assert response.status == 404
            assert await response.json() == {
                "ok": False,
                "error_code": 404,
                "description": "Not Found",
            }
        async with http.post(f"{server.url}/bot1:WRONG/getMe") as response:
            assert response.status == 401


async def test_get_updates_confirms_by_offset_and_long_polls(
    server: FakeTelegram, bot: Bot
) -> None:
    first = server.push_update(factories.message(1, "one"))
    second = server.push_update(factories.message(1, "two"))
    assert [u.update_id for u in await bot.get_updates()] == [
        first["update_id"],
        second["update_id"],
    ]
    assert [u.update_id for u in await bot.get_updates(offset=second["update_id"])] == [
        second["update_id"]
    ]
    waiting = asyncio.create_task(bot.get_updates(offset=second["update_id"] + 1, timeout=20))
    await server.wait_for("getUpdates", count=3)
    assert not waiting.done()
    third = server.push_update(factories.message(1, "three"))
    assert [u.update_id for u in await waiting] == [third["update_id"]]


async def test_injected_faults_raise_what_aiogram_raises_for_telegram(
    server: FakeTelegram, bot: Bot
) -> None:
    server.inject("sendMessage", status=429, retry_after=7)
    with pytest.raises(TelegramRetryAfter) as too_many:
        await bot.send_message(1, "x")
    assert too_many.value.retry_after == 7
    server.inject("sendMessage", status=403, chat_id=2)
    with pytest.raises(TelegramForbiddenError, match="blocked by the user"):
        await bot.send_message(2, "x")
    await bot.send_message(3, "fault was only for chat 2")
    server.inject("sendMessage", status=400)
    with pytest.raises(TelegramBadRequest, match="chat not found"):
        await bot.send_message(1, "x")
    server.inject("sendMessage", status=500, times=2)
    for _ in range(2):
        with pytest.raises(TelegramServerError):
            await bot.send_message(1, "x")
    server.inject("sendMessage", delay=2.0)
    with pytest.raises(TelegramNetworkError):
        await bot.send_message(1, "slow", request_timeout=1)
    sent = await bot.send_message(1, "fine again")
    assert sent.text == "fine again"


async def test_chat_state_follows_sends_edits_deletes_and_files(
    server: FakeTelegram, bot: Bot
) -> None:
    sent = await bot.send_message(7, "<b>Hello</b> &amp; welcome", parse_mode="HTML")
    assert server.last(7).text == "Hello & welcome"
    with pytest.raises(TelegramBadRequest, match="can't parse entities"):
        await bot.send_message(7, "5 < 6", parse_mode="HTML")
    await bot.edit_message_text("Edited", chat_id=7, message_id=sent.message_id)
    assert server.last(7).text == "Edited"
    with pytest.raises(TelegramBadRequest, match="not modified"):
        await bot.edit_message_text("Edited", chat_id=7, message_id=sent.message_id)
    document = await bot.send_document(7, BufferedInputFile(b"\x00data", filename="a.json"))
    assert server.last(7).document == b"\x00data" and server.last(7).filename == "a.json"
    await bot.send_photo(7, BufferedInputFile(b"\x89PNG", filename="c.png"), caption="chart")
    assert server.last(7).photo == b"\x89PNG" and server.last(7).caption == "chart"
    await bot.delete_message(7, document.message_id)
    assert [m.text or m.caption for m in server.chat(7)] == ["Edited", "chart"]
    with pytest.raises(TelegramBadRequest, match="to edit not found"):
        await bot.edit_message_text("x", chat_id=7, message_id=999)


async def test_a_bot_aimed_beyond_loopback_fails_the_guard(network_guard: NetworkGuard) -> None:
    outside = Bot("42:TEST")  # would talk to api.telegram.org
    try:
        with pytest.raises(TelegramNetworkError):
            await outside.get_me()
    finally:
        await outside.session.close()
    assert network_guard.violations == ["look up 'api.telegram.org'"]
    network_guard.violations.clear()  # this test expects the guard to fire


async def test_limits_can_be_enforced_like_telegram(server: FakeTelegram, bot: Bot) -> None:
    server.enforce_limits(per_second=30, per_chat_interval=1.0)
    await bot.send_message(1, "first")
    with pytest.raises(TelegramRetryAfter):
        await bot.send_message(1, "too soon for the same chat")
    for chat in range(2, 31):
        await bot.send_message(chat, "fine")
    with pytest.raises(TelegramRetryAfter):
        await bot.send_message(99, "the 31st within a second")
