"""The sender's workers (core.messaging.lanes): a few take the rows in order, a person's next
message waits apart instead of holding a worker or the queue, and batches that overlap stay
within the requests allowed at once."""

import asyncio
import contextlib
import itertools

import pytest
from aiogram import Bot
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.sender import TelegramTransport
from core.messaging.outbox import Notice, enqueue
from core.messaging.pacing import Limits
from core.messaging.sender import Sender, SenderConfig
from core.models import Delivery, DeliveryStatus
from core.texts import load_catalogues
from core.timeutil import utcnow
from tests.fake_telegram import FakeTelegram

pytestmark = pytest.mark.e2e


def sender(
    bot: Bot, sessionmaker: async_sessionmaker[AsyncSession], workers: int, batch: int = 1000
) -> Sender:
    transport = TelegramTransport(bot, load_catalogues(), True, request_timeout=5)
    limits = Limits(per_second=1000.0, person_interval=1.0)
    config = SenderConfig(limits=limits, max_in_flight=workers, most_claimed=batch)
    return Sender(sessionmaker, transport, config)


async def queue(sessionmaker: async_sessionmaker[AsyncSession], chats: list[int]) -> None:
    notices = [Notice(f"lane:{i}", chat, f"Весть {i}") for i, chat in enumerate(chats)]
    async with sessionmaker() as session:
        await enqueue(session, notices, utcnow())
        await session.commit()


async def test_a_person_with_three_messages_holds_up_no_one_else(
    server: FakeTelegram, bot: Bot, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    """Two workers; chat 1's messages come first and must be a second apart: the other
    twenty people do not wait for them, and chat 1's wait used up no attempt."""
    await queue(sessionmaker, [1, 1, 1, *range(2, 22)])
    await sender(bot, sessionmaker, workers=2).drain()
    sends = [(int(c.params["chat_id"]), c.at) for c in server.calls_of("sendMessage")]
    to_one = sorted(at for chat, at in sends if chat == 1)
    others = [at for chat, at in sends if chat != 1]
    assert len(to_one) == 3 and to_one[1] - to_one[0] >= 0.9 and to_one[2] - to_one[1] >= 0.9
    assert len(others) == 20 and max(others) < to_one[1]  # all before chat 1's second
    assert len(server.messages) == 23
    async with sessionmaker() as session:
        attempts = await session.scalars(select(Delivery.attempts).where(Delivery.chat_id == 1))
    assert list(attempts) == [1, 1, 1]


async def test_overlapping_batches_keep_to_the_requests_allowed_at_once(
    server: FakeTelegram, bot: Bot, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    """Batches of 10 rows; each answer takes 0.2 s, so a batch's last requests are still out
    when the next batch starts: still no more than 4 at once, and every row recorded sent."""
    await queue(sessionmaker, list(range(1, 41)))
    server.inject("sendMessage", delay=0.2, seconds=60)
    await sender(bot, sessionmaker, workers=4, batch=10).drain()
    starts = sorted(c.at for c in server.calls_of("sendMessage"))
    at_once = max(sum(1 for s in starts if start <= s < start + 0.18) for start in starts)
    assert len(starts) == 40 and at_once == 4
    async with sessionmaker() as session:
        sent = await session.scalar(
            select(func.count()).where(Delivery.status == DeliveryStatus.SENT)
        )
    assert sent == 40


async def test_people_with_several_messages_do_not_hold_up_the_queue(
    server: FakeTelegram, bot: Bot, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    """Four messages each to four people come first (a person's are a second apart), then one
    each to forty-four others, at 40 a second (batches of 20): the others are not kept
    waiting for the four's later messages, and each person's stay a second apart."""
    await queue(sessionmaker, [chat for chat in range(1, 5) for _ in range(4)] + [*range(5, 49)])
    transport = TelegramTransport(bot, load_catalogues(), False, request_timeout=5)
    config = SenderConfig(limits=Limits(per_second=40.0, person_interval=1.0))
    await Sender(sessionmaker, transport, config).drain()
    sends = [(int(c.params["chat_id"]), c.at) for c in server.calls_of("sendMessage")]
    to_one = sorted(at for chat, at in sends if chat == 1)
    others = [at for chat, at in sends if chat > 4]
    assert len(to_one) == 4 and len(others) == 44 and len(server.messages) == 60
    assert max(others) < to_one[2]  # all before the four's third messages
    for chat in range(1, 5):
        times = sorted(at for sent_to, at in sends if sent_to == chat)
        assert all(later - earlier >= 0.9 for earlier, later in itertools.pairwise(times))
    async with sessionmaker() as session:
        rows = (await session.execute(select(Delivery.status, Delivery.attempts))).all()
    assert {(status, attempts) for status, attempts in rows} == {(DeliveryStatus.SENT, 1)}


async def test_a_group_with_many_messages_does_not_have_the_whole_queue_claimed(
    server: FakeTelegram, bot: Bot, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    """Sixty messages to one group, three seconds apart: their turns are far off, so each
    batch waits as a whole and no more than two (2 x 20 rows) are claimed, not all sixty
    (claimed rows not sent within the lease would be taken back and sent twice)."""
    await queue(sessionmaker, [-100] * 60)
    transport = TelegramTransport(bot, load_catalogues(), False, request_timeout=5)
    config = SenderConfig(limits=Limits(per_second=40.0), idle_wait=0.05)
    running = asyncio.create_task(Sender(sessionmaker, transport, config).run())
    await asyncio.sleep(1.5)
    async with sessionmaker() as session:
        claimed = await session.scalar(
            select(func.count()).where(Delivery.status == DeliveryStatus.SENDING)
        )
    running.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await running
    assert claimed == 39 and len(server.messages) == 1  # the first went; 19 + 20 wait
