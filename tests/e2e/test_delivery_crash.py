"""kill -9 in the middle of a broadcast, restart: nothing lost, duplicates from one second only."""

import asyncio
import os
import signal
import sys
from collections import Counter

import pytest

from core import db
from core.messaging.outbox import Notice, enqueue
from core.timeutil import utcnow
from tests.fake_telegram import FakeTelegram

pytestmark = pytest.mark.e2e
RATE = 30  # two batches of the sender, the most claimed and unrecorded at a kill
PEOPLE = 150


async def enqueue_broadcast(url: str, people: int = PEOPLE) -> None:
    """A message to each of the chats 1..people, queued in one commit."""
    engine = db.create_engine(url)
    try:
        async with db.create_sessionmaker(engine)() as session:
            notices = [Notice(f"broadcast:{c}", c, f"Сообщение {c}") for c in range(1, people + 1)]
            assert await enqueue(session, notices, utcnow()) == people
            await session.commit()
    finally:
        await engine.dispose()


async def _start(server: FakeTelegram, url: str) -> asyncio.subprocess.Process:
    keep = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG")}
    env = {
        **keep,
        "BOT_TOKEN": "42:TEST",
        "TELEGRAM_API_URL": server.url,
        "DATABASE_URL": url,
        "SEND_RATE": str(RATE),
    }
    return await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        env=env,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.DEVNULL,
    )


def _received(server: FakeTelegram) -> Counter[int]:
    return Counter(chat for chat, _ in server.messages)


async def test_sigkill_mid_broadcast_loses_nothing(
    server: FakeTelegram, migrated_url: str
) -> None:
    await enqueue_broadcast(migrated_url)
    first = await _start(server, migrated_url)
    await server.wait_until(lambda: len(_received(server)) >= PEOPLE // 3, timeout=60)
    first.send_signal(signal.SIGKILL)
    await first.wait()
    at_kill = len(_received(server))
    assert at_kill < PEOPLE, "the broadcast finished before the kill: nothing was tested"

    second = await _start(server, migrated_url)
    try:
        await server.wait_until(lambda: len(_received(server)) == PEOPLE, timeout=60)
    finally:
        second.send_signal(signal.SIGTERM)
        await asyncio.wait_for(second.wait(), timeout=30)
    received = _received(server)
    lost = [chat for chat in range(1, PEOPLE + 1) if chat not in received]
    duplicates = sum(count - 1 for count in received.values())
    assert lost == []
    assert duplicates <= RATE, f"{duplicates} duplicates, more than a second in flight"
