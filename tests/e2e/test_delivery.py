"""The sender against the fake Bot API: faults, Telegram's limits, blocked people, progress."""

from collections import Counter

import pytest
from aiogram import Bot
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.app import build_bot
from bot.sender import TelegramTransport
from core.config import Settings
from core.messaging.broadcast import Watcher, new_broadcast
from core.messaging.outbox import Notice, enqueue
from core.messaging.pacing import Limits
from core.messaging.sender import Sender, SenderConfig
from core.models import Attachment, Delivery, DeliveryStatus, Municipality, Person
from core.texts import load_catalogues
from core.timeutil import utcnow
from tests import factories
from tests.e2e.conftest import Harness
from tests.fake_telegram import Call, FakeTelegram

pytestmark = pytest.mark.e2e
RATE = 20.0


def make_sender(bot: Bot, sessionmaker: async_sessionmaker[AsyncSession]) -> Sender:
    transport = TelegramTransport(bot, load_catalogues(), False, request_timeout=1)
    config = SenderConfig(limits=Limits(per_second=RATE), retry_first=0.05, progress_every=0.5)
    return Sender(sessionmaker, transport, config)


def max_in_one_second(calls: list[Call]) -> int:
    times = sorted(call.at for call in calls)
    return max(sum(1 for t in times if start <= t < start + 1.0) for start in times)


async def _people(session: AsyncSession, chats: list[int]) -> None:
    town = Municipality(name="Город", timezone="Europe/Moscow")
    session.add(town)
    await session.flush()
    for chat in chats:
        session.add(
            Person(telegram_id=chat, municipality_id=town.id, language="ru", consent_at=utcnow())
        )
    await session.commit()


async def test_every_deliverable_message_arrives_once_within_the_limits(
    server: FakeTelegram, bot: Bot, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    chats = list(range(1001, 1031))
    blocked, gone, flaky, lost, slow = 1003, 1004, 1005, 1006, 1007
    notices = [Notice(f"a:{chat}", chat, f"Объявление для {chat}") for chat in chats]
    notices += [Notice(f"b:{chat}", chat, f"Второе для {chat}") for chat in chats[:10]]
    async with sessionmaker() as session:
        await _people(session, [blocked, gone])
        await enqueue(session, notices, utcnow())
        await session.commit()
    server.inject("sendMessage", status=403, chat_id=blocked)
    server.inject(
        "sendMessage", status=400, description="Bad Request: chat not found", chat_id=gone
    )
    server.inject("sendMessage", status=500, chat_id=flaky, times=2)
    server.inject("sendMessage", delay=1.5, drop=True, chat_id=lost)  # times out, never sent
    server.inject("sendMessage", delay=0.3, chat_id=slow)  # slow but fine
    server.inject("sendMessage", status=429, retry_after=1, chat_id=1020)

    await make_sender(bot, sessionmaker).drain()

    received = Counter(m.text or "" for m in server.messages.values())
    expected = [n.text or "" for n in notices if n.chat_id not in (blocked, gone)]
    assert sorted(received) == sorted(expected) and set(received.values()) == {1}
    async with sessionmaker() as session:
        statuses = Counter((await session.scalars(select(Delivery.status))).all())
        assert statuses == {DeliveryStatus.SENT: len(expected), DeliveryStatus.BLOCKED: 4}
        inactive = await session.scalars(
            select(Person.telegram_id).where(Person.active.is_(False))
        )
        assert sorted(inactive) == [blocked, gone]

    calls = server.calls_of("sendMessage")
    assert max_in_one_second(calls) <= RATE + 1
    per_chat: dict[int, list[float]] = {}
    for call in calls:
        per_chat.setdefault(int(call.params["chat_id"]), []).append(call.at)
    for chat, times in per_chat.items():
        gaps = [b - a for a, b in zip(times, times[1:], strict=False)]
        assert all(gap >= 0.95 for gap in gaps), (chat, gaps)
    too_many = next(call for call in calls if int(call.params["chat_id"]) == 1020)
    after = [call.at for call in calls if call.at > too_many.at]
    assert min(after) >= too_many.at + 0.95  # everyone waited out the 429


async def test_a_timed_out_message_that_telegram_did_get_is_retried_not_lost(
    server: FakeTelegram, bot: Bot, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    async with sessionmaker() as session:
        await enqueue(session, [Notice("t", 2001, "Напоминание")], utcnow())
        await session.commit()
    server.inject("sendMessage", delay=1.5, chat_id=2001)  # processed after the client gave up
    await make_sender(bot, sessionmaker).drain()
    # at-least-once: the person may see it twice, never zero times (README: crash policy)
    await server.wait_until(lambda: len(server.chat(2001)) == 2)
    assert [m.text for m in server.chat(2001)] == ["Напоминание", "Напоминание"]


async def test_transient_errors_give_up_after_the_attempt_limit(
    server: FakeTelegram, bot: Bot, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    async with sessionmaker() as session:
        await enqueue(session, [Notice("f", 3001, "x")], utcnow())
        await session.commit()
    server.inject("sendMessage", status=500, chat_id=3001, times=10)
    sender = make_sender(bot, sessionmaker)
    await sender.drain()
    async with sessionmaker() as session:
        row = await session.scalar(select(Delivery))
        assert row is not None and row.status == DeliveryStatus.FAILED
        assert row.attempts == sender.config.max_attempts and "Internal Server Error" in (
            row.last_error or ""
        )


async def test_an_attachment_is_uploaded_once_and_progress_is_edited_in_place(
    server: FakeTelegram, bot: Bot, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    progress = await bot.send_message(500, "Рассылка: отправлено 0 из 6…")
    async with sessionmaker() as session:
        attachment = Attachment(kind="document", filename="plan.pdf", data=b"%PDF-1.4 plan")
        session.add(attachment)
        broadcast_id = await new_broadcast(session, Watcher(None, 500, "ru"), 6, utcnow())
        await session.commit()
        notices = [
            Notice(f"p:{chat}", chat, "План", attachment_id=attachment.id)
            for chat in range(4001, 4007)
        ]
        from core.models import Broadcast

        row = await session.get(Broadcast, broadcast_id)
        assert row is not None
        row.progress_message_id = progress.message_id
        await session.commit()
        await enqueue(session, notices, utcnow(), broadcast_id=broadcast_id)
        await session.commit()
    server.inject("sendDocument", status=403, chat_id=4006)
    await make_sender(bot, sessionmaker).drain()

    uploads = [c for c in server.calls_of("sendDocument") if c.files]
    assert len(uploads) == 1  # the others reuse Telegram's file id
    assert all(server.last(chat).document == b"%PDF-1.4 plan" for chat in range(4001, 4006))
    assert server.last(500).text == (
        "Рассылка завершена: доставлено 5 из 6; не доставлено 0; заблокировали бота 1."
    )
    assert len(server.chat(500)) == 1  # edited, not a new message each time


async def test_blocking_and_unblocking_the_bot_switch_the_person(
    server: FakeTelegram, sessionmaker: async_sessionmaker[AsyncSession], settings: Settings
) -> None:
    from bot.app import build_dispatcher, release

    async with sessionmaker() as session:
        await _people(session, [6001])
    client = build_bot(settings)
    dp = build_dispatcher(settings, sessionmaker)
    try:
        for status, active in (("kicked", False), ("member", True)):
            update = factories.my_chat_member(6001, status)
            await dp.feed_raw_update(client, {**update, "update_id": server.next_update_id()})
            async with sessionmaker() as session:
                person = await session.scalar(select(Person))
                assert person is not None and person.active is active
    finally:
        await client.session.close()
        await release(dp)


async def test_a_reply_to_a_person_does_not_wait_behind_a_broadcast(harness: Harness) -> None:
    import asyncio

    h = harness
    async with h.sessionmaker() as session:
        notices = [Notice(f"big:{chat}", chat, "Объявление") for chat in range(7001, 7201)]
        await enqueue(session, notices, h.clock())
        await session.commit()
    sending = asyncio.create_task(h.sender.run())
    try:
        await h.server.wait_until(lambda: len(h.server.calls_of("sendMessage")) >= 5)
        await h.send(8001, "/help")
        assert "Что умеет PedPulse" in h.last_text(8001)
        queued_so_far = sum(1 for chat, _ in h.server.messages if 7001 <= chat <= 7200)
        assert queued_so_far < 100  # the broadcast is still going; the reply did not wait
    finally:
        sending.cancel()
        await asyncio.gather(sending, return_exceptions=True)


async def test_paid_broadcast_setting_reaches_telegram(
    server: FakeTelegram, bot: Bot, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    async with sessionmaker() as session:
        await enqueue(session, [Notice("paid", 9001, "x")], utcnow())
        await session.commit()
    transport = TelegramTransport(bot, load_catalogues(), True)
    await Sender(sessionmaker, transport).drain()
    assert server.calls_of("sendMessage")[0].params["allow_paid_broadcast"] == "true"
