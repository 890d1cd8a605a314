"""`python -m bot` either starts or says in a line or two what to fix: never a traceback."""

import asyncio
import os
import socket
import sys
from pathlib import Path

import pytest

from tests.fake_telegram import FakeTelegram

pytestmark = pytest.mark.e2e
ENV_EXAMPLE = Path(__file__).resolve().parents[2] / ".env.example"


async def start_bot(home: Path, **settings: str) -> tuple[int | None, str]:
    """Run `python -m bot` with `home` as its project folder; exit code and all it printed."""
    keep = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG", "SYSTEMROOT")}
    env = {**keep, "PEDPULSE_HOME": str(home), **settings}
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        cwd=home,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    output, _ = await asyncio.wait_for(process.communicate(), timeout=60)
    return process.returncode, output.decode()


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def home(tmp_path: Path) -> Path:
    """A project folder whose .env is .env.example copied as it is (BOT_TOKEN= empty)."""
    (tmp_path / ".env").write_text(ENV_EXAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize(
    ("settings", "code", "message"),
    [
        ({}, 2, "BOT_TOKEN is not set"),
        ({"BOT_TOKEN": "42:TEST", "LOG_LEVEL": "verbose"}, 2, "LOG_LEVEL: 'verbose' is not one"),
        ({"BOT_TOKEN": "42:TEST", "DEFAULT_TIMEZONE": "Moscow"}, 2, "unknown time zone 'Moscow'"),
        ({"BOT_TOKEN": "42:TEST"}, 3, "No database at"),
    ],
)
async def test_a_start_that_cannot_go_on_says_why(
    home: Path, settings: dict[str, str], code: int, message: str
) -> None:
    exit_code, output = await start_bot(home, **settings)
    assert (exit_code, message in output, "Traceback" in output) == (code, True, False), output
    assert not (home / "data").exists()  # no stray empty database


async def test_a_wrong_token_is_named(migrated_url: str, home: Path, server: FakeTelegram) -> None:
    env = {"DATABASE_URL": migrated_url, "TELEGRAM_API_URL": server.url}
    code, output = await start_bot(home, BOT_TOKEN="42:WRONG", **env)
    assert code == 5 and "Telegram refused BOT_TOKEN" in output and "Traceback" not in output


async def test_telegram_out_of_reach_is_named(migrated_url: str, home: Path) -> None:
    api = f"http://127.0.0.1:{closed_port()}"
    env = {"DATABASE_URL": migrated_url, "TELEGRAM_API_URL": api}
    code, output = await start_bot(home, BOT_TOKEN="42:TEST", **env)
    assert code == 5 and f"Cannot reach Telegram at {api}" in output
    assert "Traceback" not in output


async def test_a_questionnaire_file_that_is_not_utf8_is_named(
    migrated_url: str, home: Path, server: FakeTelegram
) -> None:
    folder = home / "instruments"
    folder.mkdir()
    (folder / "ours.yaml").write_bytes("key: ours\ntitle: Анкета\n".encode("cp1251"))
    env = {"DATABASE_URL": migrated_url, "TELEGRAM_API_URL": server.url}
    code, output = await start_bot(home, BOT_TOKEN="42:TEST", INSTRUMENTS_DIR="instruments", **env)
    assert code == 4 and "ours.yaml: line 2: not UTF-8" in output
    assert "Traceback" not in output and not server.calls_of("getUpdates")
