"""The wheel holds everything the program reads at run time: install it and use it elsewhere."""

import asyncio
import os
import shutil
import signal
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.fake_telegram import FakeTelegram

ROOT = Path(__file__).resolve().parents[2]
NOT_SOURCE = (".venv", ".git", "data", "build", "dist", "*.egg-info", "__pycache__", ".*_cache")
NO_INDEX = ("Could not find a version", "No matching distribution", "Failed to establish")
BIN = "Scripts" if os.name == "nt" else "bin"


def _clean_env() -> dict[str, str]:
    """This process's environment without PedPulse settings, so only the wheel's defaults act."""
    drop = ("DATABASE_URL", "BOT_", "TELEGRAM_", "INSTRUMENTS_DIR", "PEDPULSE_", "VIRTUAL_ENV")
    return {k: v for k, v in os.environ.items() if not k.startswith(drop)}


def _step(command: list[str | Path], cwd: Path, timeout: float = 900) -> str:
    done = subprocess.run(
        [str(part) for part in command],
        cwd=cwd,
        env=_clean_env(),
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    output = done.stdout + done.stderr
    if done.returncode != 0 and any(sign in output for sign in NO_INDEX):
        pytest.skip(f"cannot build or install a wheel here: no package index ({output[-300:]})")
    assert done.returncode == 0, output
    return output


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh virtual environment with only the built wheel (and its dependencies) in it."""
    work = tmp_path_factory.mktemp("wheel")
    source = work / "source"
    shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns(*NOT_SOURCE))
    _step([sys.executable, "-m", "pip", "wheel", "--no-deps", "-w", work / "dist", "."], source)
    [wheel] = (work / "dist").glob("pedpulse-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert (
        "migrations/script.py.mako" in names
        and "migrations/versions/0001_initial_schema.py" in names
    )
    _step([sys.executable, "-m", "venv", work / "venv"], work)
    _step([work / "venv" / BIN / "python", "-m", "pip", "install", "--quiet", wheel], work)
    return work / "venv" / BIN


@pytest.fixture
def elsewhere(tmp_path: Path) -> Path:
    """An empty folder that is neither the checkout nor inside it."""
    folder = tmp_path / "service"
    folder.mkdir()
    return folder


def test_installed_wheel_creates_its_database_and_lists_instruments(
    installed: Path, elsewhere: Path
) -> None:
    done = _step([installed / "pedpulse", "init"], elsewhere)
    assert f"Database {elsewhere / 'data' / 'pedpulse.sqlite3'} is at revision" in done
    assert (elsewhere / "data" / "pedpulse.sqlite3").is_file()
    listed = _step([installed / "pedpulse", "instruments", "list"], elsewhere)
    assert "cbi" in listed and "seminar_feedback" in listed


async def test_installed_wheel_runs_the_bot(
    installed: Path, elsewhere: Path, server: FakeTelegram
) -> None:
    await asyncio.to_thread(_step, [installed / "pedpulse", "init"], elsewhere)
    env = {**_clean_env(), "BOT_TOKEN": "42:TEST", "TELEGRAM_API_URL": server.url}
    process = await asyncio.create_subprocess_exec(
        installed / "python", "-m", "bot", cwd=elsewhere, env=env, stderr=subprocess.PIPE
    )
    try:
        await server.wait_for("getUpdates", timeout=60)
    finally:
        process.send_signal(signal.SIGTERM)
        _, error = await asyncio.wait_for(process.communicate(), timeout=30)
    assert process.returncode == 0, error.decode()
