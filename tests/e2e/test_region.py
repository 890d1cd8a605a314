"""The README's regional layout, brought up by its one command: nginx, two instances, Redis."""

import asyncio
import os
import signal
import sys
from pathlib import Path

import aiohttp
import pytest

from tests import factories
from tests.e2e.test_polling import ROOT, _env
from tests.e2e.test_webhook import SECRET, _free_port
from tests.fake_telegram import FakeTelegram

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.parametrize(
        "database_url", [pytest.param("postgres", marks=pytest.mark.postgres)], indirect=True
    ),
]
PATH = "/telegram"
USERS = (701, 702)


async def _region(command: str, env: dict[str, str], *arguments: str) -> str:
    process = await asyncio.create_subprocess_exec(
        sys.executable, str(ROOT / "scripts" / "region.py"), command, *arguments, env=env,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT,
    )  # fmt: skip
    output, _ = await asyncio.wait_for(process.communicate(), 240)
    assert process.returncode == 0, output.decode()
    return output.decode()


async def _post(port: int, server: FakeTelegram, user: int) -> int:
    update = {**factories.message(user, "/help"), "update_id": server.next_update_id()}
    server.remember(update["message"])
    headers = {"X-Telegram-Bot-Api-Secret-Token": SECRET}
    async with aiohttp.ClientSession() as client:
        url = f"http://127.0.0.1:{port}{PATH}"
        async with client.post(url, json=update, headers=headers) as response:
            return response.status


@pytest.mark.skipif(os.geteuid() != 0, reason="needs root: starts Debian packages' servers")
async def test_one_command_brings_up_the_layout_and_survives_an_instance(
    server: FakeTelegram, database_url: str, redis_url: str, tmp_path: Path
) -> None:
    port, ports = _free_port(), [_free_port(), _free_port()]
    env = _env(
        BOT_TOKEN="42:TEST", TELEGRAM_API_URL=server.url, DATABASE_URL=database_url,
        REDIS_URL=redis_url, WEBHOOK_URL=f"https://bot.example.org{PATH}",
        WEBHOOK_SECRET=SECRET, PEDPULSE_HOME=str(tmp_path),
    )  # fmt: skip
    state = ["--state", str(tmp_path / "region")]
    said = await _region(
        "up", env, "--port", str(port), "--ports", ",".join(map(str, ports)), *state
    )
    try:
        assert f"2 instances on ports {ports}" in said
        assert len(server.calls_of("setWebhook")) == 2
        assert await _post(port, server, USERS[0]) == 200  # through nginx
        assert (server.last(USERS[0]).text or "").startswith("Что умеет PedPulse")
        first = int((tmp_path / "region" / "instance-1.pid").read_text())
        os.kill(first, signal.SIGKILL)
        assert await _post(port, server, USERS[1]) == 200  # the other instance answers
        assert (server.last(USERS[1]).text or "").startswith("Что умеет PedPulse")
    finally:
        await _region("down", env, *state)
