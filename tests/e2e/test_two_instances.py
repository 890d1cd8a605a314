"""Two webhook instances on one PostgreSQL database: work shared, done once, one leader."""

import asyncio
import signal
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pytest

from core.leader import RETRY_SECONDS
from tests.e2e.test_delivery_crash import enqueue_broadcast
from tests.e2e.test_polling import _env
from tests.e2e.test_webhook import SECRET, _free_port
from tests.fake_telegram import FakeTelegram

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.parametrize(
        "database_url", [pytest.param("postgres", marks=pytest.mark.postgres)], indirect=True
    ),
]
PEOPLE = 120
LEADS = "leader: this instance runs the scheduled jobs"


@dataclass
class Instance:
    process: asyncio.subprocess.Process
    log: Path

    def said(self, line: str) -> bool:
        return line in self.log.read_text("utf-8", errors="replace")


async def _instance(server: FakeTelegram, url: str, folder: Path) -> Instance:
    folder.mkdir()
    env = _env(
        BOT_TOKEN="42:TEST", TELEGRAM_API_URL=server.url, DATABASE_URL=url, SEND_RATE="30",
        BOT_MODE="webhook", WEBHOOK_URL="https://bot.example.org/telegram",
        WEBHOOK_SECRET=SECRET, WEBHOOK_LISTEN=f"127.0.0.1:{_free_port()}",
    )  # fmt: skip
    log = folder / "bot.log"
    with log.open("wb") as stderr:
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", cwd=folder, env=env,
            stdout=asyncio.subprocess.DEVNULL, stderr=stderr,
        )  # fmt: skip
    return Instance(process, log)


async def _stop(instance: Instance) -> None:
    if instance.process.returncode is None:
        instance.process.send_signal(signal.SIGTERM)
    await asyncio.wait_for(instance.process.wait(), 30)


async def test_a_broadcast_goes_once_one_leads_and_the_other_takes_over(
    server: FakeTelegram, migrated_url: str, tmp_path: Path
) -> None:
    await enqueue_broadcast(migrated_url, PEOPLE)
    pair = [await _instance(server, migrated_url, tmp_path / name) for name in ("a", "b")]
    try:
        await server.wait_until(lambda: len(server.calls_of("setWebhook")) == 2, timeout=60)
        await server.wait_until(lambda: len(server.messages) >= PEOPLE, timeout=60)
        await asyncio.sleep(1.0)  # anything sent twice would arrive by now
        received = Counter(chat for chat, _ in server.messages)
        assert sorted(received) == list(range(1, PEOPLE + 1))
        assert set(received.values()) == {1}  # each row claimed by one instance only
        await server.wait_until(lambda: any(i.said(LEADS) for i in pair), timeout=30)
        leaders = [i for i in pair if i.said(LEADS)]
        assert len(leaders) == 1
        (leader,) = leaders
        (other,) = [i for i in pair if i is not leader]
        leader.process.kill()  # kill -9: its connection, and the lock with it, goes
        await leader.process.wait()
        await server.wait_until(lambda: other.said(LEADS), timeout=RETRY_SECONDS + 10)
    finally:
        for instance in pair:
            await _stop(instance)
