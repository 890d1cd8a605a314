"""The types aiogram reads Telegram's answers through are built once per process, not again
after each garbage collection (bot.requests.ResponseTypesKept)."""

import gc
import weakref

import pytest
from aiogram.methods.base import Response
from aiogram.types import Message

from bot.app import build_bot
from core.config import Settings
from tests.fake_telegram import FakeTelegram

pytestmark = pytest.mark.e2e


async def test_an_answer_type_outlives_the_garbage_collector(server: FakeTelegram) -> None:
    settings = Settings(_env_file=None, bot_token="42:TEST", telegram_api_url=server.url)
    bot = build_bot(settings)
    try:
        await bot.send_message(1, "первое")
        used = weakref.ref(Response[Message])  # what send_message's answer was read through
        gc.collect()
        assert used() is not None, "the type would be built again for the next message"
        await bot.send_message(1, "второе")
        assert Response[Message] is used()
    finally:
        await bot.session.close()
    assert [m.text for m in server.chat(1)] == ["первое", "второе"]
