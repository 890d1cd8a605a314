"""Two instances sharing Redis: one person's updates wait for each other across them."""

import asyncio
import secrets

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.app import build_bot, build_dispatcher, release
from core.config import Settings
from tests import factories
from tests.fake_telegram import FakeTelegram

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.parametrize("database_url", ["sqlite"], indirect=True),  # Redis, not the database
]


async def _two_instances_answer(
    server: FakeTelegram,
    settings: Settings,
    sessionmaker: async_sessionmaker[AsyncSession],
    other: Settings | None = None,
) -> list[str]:
    """/help reaches the first instance and its reply is slow; /start then reaches the
    second (with `other` settings, if given): the person's replies in the order they
    arrived at Telegram."""
    user = 10_000 + secrets.randbelow(10**9)  # keys of its own in a shared Redis
    instances = [
        (build_dispatcher(each, sessionmaker), build_bot(each))
        for each in (settings, other or settings)
    ]
    server.inject("sendMessage", delay=1.5, chat_id=user)
    updates = []
    for text in ("/help", "/start"):
        update = {**factories.message(user, text), "update_id": server.next_update_id()}
        server.remember(update["message"])
        updates.append(update)
    (first, bot_a), (second, bot_b) = instances
    try:
        handling = [asyncio.create_task(first.feed_raw_update(bot_a, updates[0]))]
        await server.wait_until(lambda: bool(server.calls_of("sendMessage")))
        handling.append(asyncio.create_task(second.feed_raw_update(bot_b, updates[1])))
        await asyncio.gather(*handling)
    finally:
        for dp, bot in instances:
            await bot.session.close()
            await release(dp)
    return [m.text or "" for m in server.chat(user)]


async def test_with_redis_the_second_instance_waits_for_the_first(
    server: FakeTelegram,
    settings: Settings,
    sessionmaker: async_sessionmaker[AsyncSession],
    redis_url: str,
) -> None:
    shared = settings.model_copy(update={"redis_url": redis_url})
    replies = await _two_instances_answer(server, shared, sessionmaker)
    assert replies[0].startswith("Что умеет PedPulse")
    assert replies[1].startswith("Здравствуйте! Это PedPulse")


async def test_without_redis_two_instances_do_not_wait_for_each_other(
    server: FakeTelegram, settings: Settings, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    """What REDIS_URL is for: each instance alone keeps only its own updates in order."""
    replies = await _two_instances_answer(server, settings, sessionmaker)
    assert replies[0].startswith("Здравствуйте! Это PedPulse")  # the later one came first


async def test_two_deployments_on_one_redis_do_not_wait_for_each_other(
    server: FakeTelegram,
    settings: Settings,
    sessionmaker: async_sessionmaker[AsyncSession],
    redis_url: str,
) -> None:
    """REDIS_PREFIX: another deployment's instances on the same Redis lock keys of their own."""
    one = settings.model_copy(update={"redis_url": redis_url, "redis_prefix": "town-a"})
    other = one.model_copy(update={"redis_prefix": "town-b"})
    replies = await _two_instances_answer(server, one, sessionmaker, other=other)
    assert replies[0].startswith("Здравствуйте! Это PedPulse")  # nobody waited
