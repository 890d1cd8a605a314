"""An update holds a database connection only while it works on the database, not while it
waits on Telegram: a slow reply leaves the pool to everyone else (the sender, the scheduled
jobs, the health check, other people's updates)."""

import asyncio

import pytest
from sqlalchemy import func, select, text

from bot.app import build_bot, build_dispatcher, release
from core import db
from core.config import Settings
from core.models import Municipality
from core.reads import end_reads, serving
from tests import factories
from tests.fake_telegram import FakeTelegram

pytestmark = pytest.mark.e2e
STRANGER = 777


async def test_a_slow_reply_does_not_hold_the_pool(
    server: FakeTelegram, settings: Settings, migrated_url: str
) -> None:
    engine = db.create_engine(migrated_url, pool_size=1)
    sessionmaker = db.create_sessionmaker(engine)
    bot = build_bot(settings)
    dp = build_dispatcher(settings, sessionmaker)
    server.inject("sendMessage", delay=2.0, chat_id=STRANGER)
    update = {**factories.message(STRANGER, "/help"), "update_id": server.next_update_id()}
    server.remember(update["message"])
    try:
        handling = asyncio.create_task(dp.feed_raw_update(bot, update))
        await server.wait_until(lambda: bool(server.calls_of("sendMessage")))
        async with sessionmaker() as session:  # the pool's only connection, at once
            assert await asyncio.wait_for(session.scalar(text("SELECT 1")), 1.0) == 1
        assert not handling.done()  # the reply is still on its way
        await handling
        assert server.chat(STRANGER), "the person got no reply"
    finally:
        await bot.session.close()
        await release(dp)
        await engine.dispose()


async def test_a_transaction_that_wrote_is_left_to_its_service(migrated_url: str) -> None:
    """Only reads end early: a write nobody committed is not committed on its way out, and
    the session's close rolls it back, as before."""
    engine = db.create_engine(migrated_url)
    sessionmaker = db.create_sessionmaker(engine)
    try:
        async with sessionmaker() as session:
            with serving(session):
                await session.scalar(select(func.count()).select_from(Municipality))
                await end_reads()
                assert not session.in_transaction()  # read only: ended, connection back
                session.add(Municipality(name="Не записанный", timezone="Europe/Moscow"))
                await session.flush()
                await end_reads()
                assert session.in_transaction()
        async with sessionmaker() as session:
            assert await session.scalar(select(func.count()).select_from(Municipality)) == 0
    finally:
        await engine.dispose()
