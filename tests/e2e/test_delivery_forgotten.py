"""A message whose row is deleted after the sender claimed it (a /forget: the person's rows,
and rows about them, go with them) is not sent: checked when its batch starts sending and
every half second while it waits for its request."""

import asyncio

import pytest
from aiogram import Bot
from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from core.models import Delivery, DeliveryStatus
from tests.e2e.test_delivery_lanes import queue, sender
from tests.fake_telegram import FakeTelegram

pytestmark = pytest.mark.e2e
SENT, SENDING, PENDING = DeliveryStatus.SENT, DeliveryStatus.SENDING, DeliveryStatus.PENDING


async def forget_chat(sessionmaker: async_sessionmaker[AsyncSession], chat: int) -> list[str]:
    """Delete the chat's rows as /forget's cascade does; the statuses they had."""
    async with sessionmaker() as session:
        rows = select(Delivery.status).where(Delivery.chat_id == chat)
        statuses = [str(status) for status in await session.scalars(rows)]
        await session.execute(delete(Delivery).where(Delivery.chat_id == chat))
        await session.commit()
    return statuses


def chats_sent_to(server: FakeTelegram) -> list[int]:
    return [int(call.params["chat_id"]) for call in server.calls_of("sendMessage")]


async def test_messages_waiting_for_their_turn_are_not_sent_once_forgotten(
    server: FakeTelegram, bot: Bot, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    """Chat 1 has three messages a second apart; it is forgotten once the first went."""
    await queue(sessionmaker, [1, 1, 1, 2])
    draining = asyncio.create_task(sender(bot, sessionmaker, workers=1, batch=10).drain())
    while 1 not in chats_sent_to(server):
        await asyncio.sleep(0.01)
    statuses = await forget_chat(sessionmaker, 1)  # the first one's maybe not yet recorded
    assert statuses.count(DeliveryStatus.SENDING) >= 2  # claimed, waiting for their turn
    await asyncio.wait_for(draining, 10)
    await asyncio.sleep(1.5)  # past the turns the two had
    assert sorted(chats_sent_to(server)) == [1, 2]


async def test_a_claimed_batch_forgotten_before_it_sends_sends_nothing_of_it(
    server: FakeTelegram, bot: Bot, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    """Batches of two, each answer taking 0.3 s: the second batch is claimed while the first
    sends, and chat 4 is forgotten meanwhile."""
    await queue(sessionmaker, [1, 2, 3, 4, 5, 6])
    server.inject("sendMessage", delay=0.3, seconds=60)
    draining = asyncio.create_task(sender(bot, sessionmaker, workers=1, batch=2).drain())
    while not server.calls_of("sendMessage"):
        await asyncio.sleep(0.005)
    async with sessionmaker() as session:
        while await session.scalar(select(Delivery.status).where(Delivery.chat_id == 4)) != (
            DeliveryStatus.SENDING
        ):
            await session.rollback()
            await asyncio.sleep(0.005)
    assert len(chats_sent_to(server)) == 1  # the first batch is still sending
    assert await forget_chat(sessionmaker, 4) == [DeliveryStatus.SENDING]
    await asyncio.wait_for(draining, 20)
    assert sorted(chats_sent_to(server)) == [1, 2, 3, 5, 6]
    async with sessionmaker() as session:
        statuses = set(await session.scalars(select(Delivery.status)))
    assert statuses == {DeliveryStatus.SENT}


async def test_a_message_waiting_for_a_place_among_the_requests_is_looked_for_again(
    server: FakeTelegram, bot: Bot, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    """Two requests at once, both answered after two seconds; chat 1's second message has
    its turn after one second and then waits for a place: forgotten meanwhile, it does not
    go when the place comes."""
    await queue(sessionmaker, [1, 1, 2])
    server.inject("sendMessage", delay=2.0, seconds=1.0)
    draining = asyncio.create_task(sender(bot, sessionmaker, batch=10, workers=2).drain())
    await asyncio.sleep(1.2)  # its turn has come; both places are taken
    assert len(server.calls_of("sendMessage")) == 2
    async with sessionmaker() as session:
        second = select(func.max(Delivery.id)).where(Delivery.chat_id == 1)
        row_id = await session.scalar(second)
        await session.execute(delete(Delivery).where(Delivery.id == row_id))
        await session.commit()
    await asyncio.wait_for(draining, 10)
    assert sorted(chats_sent_to(server)) == [1, 2]


async def test_a_stopped_sender_gives_back_the_messages_waiting_for_their_turn_unsent(
    server: FakeTelegram, bot: Bot, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    """Chat 1 has three messages a second apart; the sender stops once the first went. The
    two waiting for their turn are given back and not sent by the stopped batch: the next
    sender sends each once."""
    await queue(sessionmaker, [1, 1, 1, 2])
    running = asyncio.create_task(sender(bot, sessionmaker, workers=1, batch=10).run())
    async with asyncio.timeout(10):  # stopped once the first two are sent and recorded
        while await _statuses(sessionmaker) != [SENT, SENDING, SENDING, SENT]:
            await asyncio.sleep(0.01)
    running.cancel()
    await asyncio.gather(running, return_exceptions=True)
    assert await _statuses(sessionmaker) == [SENT, PENDING, PENDING, SENT]  # given back
    await asyncio.sleep(2.2)  # past the turns the two had in the stopped batch
    assert sorted(chats_sent_to(server)) == [1, 2]
    await sender(bot, sessionmaker, workers=1, batch=10).drain()
    assert sorted(chats_sent_to(server)) == [1, 1, 1, 2]


async def _statuses(sessionmaker: async_sessionmaker[AsyncSession]) -> list[DeliveryStatus]:
    async with sessionmaker() as session:
        found = await session.scalars(select(Delivery.status).order_by(Delivery.id))
        return [DeliveryStatus(status) for status in found]
