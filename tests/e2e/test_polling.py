"""The bot exactly as `python -m bot` runs it: a real process polling the fake server."""

import asyncio
import os
import signal
import sys
from pathlib import Path

import pytest

from tests import factories
from tests.fake_telegram import FakeTelegram

pytestmark = pytest.mark.e2e


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    keep = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG", "SYSTEMROOT")}
    return {**keep, "PYTHONUNBUFFERED": "1", **extra}


async def test_python_m_bot_serves_a_user_and_stops_on_sigterm(
    server: FakeTelegram, migrated_url: str, tmp_path: Path
) -> None:
    env = _env(
        tmp_path, BOT_TOKEN="42:TEST", TELEGRAM_API_URL=server.url, DATABASE_URL=migrated_url
    )
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        cwd=tmp_path,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    try:
        await server.wait_for("getUpdates", timeout=30)
        server.push_update(factories.message(555, "/start"))
        await server.wait_for("sendMessage", timeout=15)
        assert "ссылку-приглашение" in server.last(555).text  # type: ignore[operator]
        server.push_update(factories.message(555, "/help"))
        await server.wait_for("sendMessage", count=2, timeout=15)
        assert "/start" in (server.last(555).text or "")
        scopes = [c.params["scope"]["type"] for c in server.calls_of("setMyCommands")]
        assert "default" in scopes
        # an update is confirmed by the next getUpdates only after its handler has finished
        confirming = await server.wait_for("getUpdates", count=3, timeout=15)
        assert int(confirming.params["offset"]) == 3
    finally:
        process.send_signal(signal.SIGTERM)
        output, _ = await asyncio.wait_for(process.communicate(), timeout=30)
    assert process.returncode == 0, output.decode()


async def test_python_m_bot_without_a_token_says_where_to_put_it(tmp_path: Path) -> None:
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        cwd=tmp_path,
        env=_env(tmp_path),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    _, error = await asyncio.wait_for(process.communicate(), timeout=30)
    assert process.returncode == 2
    assert ".env" in error.decode() and "@BotFather" in error.decode()


async def test_python_m_bot_refuses_an_unmigrated_database(
    server: FakeTelegram, database_url: str, tmp_path: Path
) -> None:
    env = _env(
        tmp_path, BOT_TOKEN="42:TEST", TELEGRAM_API_URL=server.url, DATABASE_URL=database_url
    )
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        cwd=tmp_path,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    _, error = await asyncio.wait_for(process.communicate(), timeout=30)
    assert process.returncode == 3
    assert "pedpulse init" in error.decode()
    assert not server.calls_of("getUpdates")
