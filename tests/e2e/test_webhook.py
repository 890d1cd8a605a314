"""Webhook mode: `python -m bot` with BOT_MODE=webhook, Telegram's posts played by the test."""

import asyncio
import signal
import socket
import sys
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from tests import factories
from tests.e2e.test_polling import _env, run_bot_once
from tests.fake_telegram import FakeTelegram

pytestmark = pytest.mark.e2e
SECRET = "s3cret-token-of-the-test"
ANNA = 601
PATH = "/telegram/updates"


@dataclass
class Instance:
    process: asyncio.subprocess.Process
    address: str
    client: aiohttp.ClientSession

    async def post(self, update: dict[str, Any], secret: str | None = SECRET) -> int:
        headers = {"X-Telegram-Bot-Api-Secret-Token": secret} if secret else {}
        async with self.client.post(self.address + PATH, json=update, headers=headers) as r:
            return r.status

    async def health(self) -> tuple[int, dict[str, Any]]:
        async with self.client.get(self.address + "/health") as response:
            return response.status, await response.json()

    async def stop(self) -> int:
        if self.process.returncode is None:
            self.process.send_signal(signal.SIGTERM)
        return await asyncio.wait_for(self.process.wait(), 30)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def extra_env() -> dict[str, str]:
    return {}


@pytest.fixture
async def instance(
    server: FakeTelegram, migrated_url: str, tmp_path: Path, extra_env: dict[str, str]
) -> AsyncIterator[Instance]:
    port = _free_port()
    env = _env(
        BOT_TOKEN="42:TEST", TELEGRAM_API_URL=server.url, DATABASE_URL=migrated_url,
        BOT_MODE="webhook", WEBHOOK_URL=f"https://bot.example.org{PATH}",
        WEBHOOK_SECRET=SECRET, WEBHOOK_LISTEN=f"127.0.0.1:{port}", **extra_env,
    )  # fmt: skip
    with (tmp_path / "bot.log").open("wb") as log:  # read it when a test fails
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", cwd=tmp_path, env=env,
            stdout=asyncio.subprocess.DEVNULL, stderr=log,
        )  # fmt: skip
    async with aiohttp.ClientSession() as client:
        found = Instance(process, f"http://127.0.0.1:{port}", client)
        try:
            await server.wait_for("setWebhook", timeout=60)
            yield found
        finally:
            await found.stop()


def _update(server: FakeTelegram, text: str) -> dict[str, Any]:
    update = {**factories.message(ANNA, text), "update_id": server.next_update_id()}
    server.remember(update["message"])
    return update


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
async def test_webhook_handles_an_update_before_answering_and_refuses_a_wrong_secret(
    server: FakeTelegram, instance: Instance
) -> None:
    (registered,) = server.calls_of("setWebhook")
    assert registered.params["url"] == f"https://bot.example.org{PATH}"
    assert registered.params["secret_token"] == SECRET
    assert "callback_query" in registered.params["allowed_updates"]
    assert await instance.post(_update(server, "/help"), secret="wrong-secret-0000") == 401
    assert await instance.post(_update(server, "/help"), secret=None) == 401
    assert not server.chat(ANNA)  # refused: never handled
    assert await instance.post(_update(server, "/help")) == 200
    assert (server.last(ANNA).text or "").startswith("Что умеет PedPulse")  # before the 200
    status, state = await instance.health()
    assert status == 200 and state["database"] == "ok"
    assert set(state["outbox"]) == {"pending", "sending", "failed", "oldest_pending_seconds"}


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
async def test_a_stop_lets_the_update_in_hand_finish(
    server: FakeTelegram, instance: Instance
) -> None:
    server.inject("sendMessage", delay=2.0, chat_id=ANNA)
    posted = asyncio.create_task(instance.post(_update(server, "/help")))
    await server.wait_until(lambda: bool(server.calls_of("sendMessage")))
    instance.process.send_signal(signal.SIGTERM)
    assert await posted == 200  # answered after its reply went
    assert (server.last(ANNA).text or "").startswith("Что умеет PedPulse")
    assert await asyncio.wait_for(instance.process.wait(), 30) == 0


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
@pytest.mark.parametrize("extra_env", [{"REDIS_URL": f"redis://127.0.0.1:{_free_port()}/0"}])
async def test_health_says_when_redis_is_out_of_reach(instance: Instance) -> None:
    status, state = await instance.health()
    assert (status, state["database"], state["redis"]) == (503, "ok", "unreachable")


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
async def test_a_port_taken_by_another_process_is_named(
    server: FakeTelegram, migrated_url: str, tmp_path: Path
) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        env = _env(
            BOT_TOKEN="42:TEST", TELEGRAM_API_URL=server.url, DATABASE_URL=migrated_url,
            BOT_MODE="webhook", WEBHOOK_URL=f"https://bot.example.org{PATH}",
            WEBHOOK_SECRET=SECRET, WEBHOOK_LISTEN=f"127.0.0.1:{port}",
        )  # fmt: skip
        code, error = await run_bot_once(env, tmp_path)
    assert code == 2
    assert f"WEBHOOK_LISTEN=127.0.0.1:{port}: cannot listen there" in error
    assert "Traceback" not in error
