"""The bot exactly as the README runs it: a real process polling the fake server."""

import asyncio
import json
import os
import signal
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select

from core import db
from core.models import Person
from core.people.invites import find_school, school_link
from core.people.roster import import_roster, parse_roster
from core.tables import read_table
from core.timeutil import utcnow
from tests import factories
from tests.fake_telegram import FakeTelegram

pytestmark = pytest.mark.e2e
ROOT = Path(__file__).resolve().parents[2]
USER = 777


def _env(**extra: str) -> dict[str, str]:
    keep = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG", "SYSTEMROOT")}
    return {**keep, "PYTHONUNBUFFERED": "1", **extra}


async def run_bot_once(env: dict[str, str], cwd: Path) -> tuple[int | None, str]:
    """Run `python -m bot` until it exits by itself; its exit code and what it said on stderr."""
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        cwd=cwd,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    _, error = await asyncio.wait_for(process.communicate(), timeout=30)
    return process.returncode, error.decode()


class TelegramUser:
    """A Telegram user talking to the bot process through the fake server."""

    def __init__(self, server: FakeTelegram, user_id: int) -> None:
        self.server, self.user_id = server, user_id

    async def send(self, text: str) -> None:
        update = self.server.push_update(factories.message(self.user_id, text))
        await self.server.wait_confirmed(update["update_id"])

    async def press(self, button: str) -> None:
        message, data = self.server.find_button(self.user_id, button)
        json_message = self.server.message_json(message)
        update = factories.callback(self.user_id, message, json_message, data)
        update = self.server.push_update(update)
        await self.server.wait_confirmed(update["update_id"])

    def last(self) -> str:
        return self.server.last(self.user_id).text or ""


async def _prepare(url: str) -> str:
    engine = db.create_engine(url)
    try:
        async with db.create_sessionmaker(engine)() as session:
            roster = read_table(ROOT / "examples" / "roster.csv")
            await import_roster(session, parse_roster(roster, "Europe/Moscow"))
            school = await find_school(session, "МОАУ «СОШ № 1»", None)
            return (await school_link(session, school.id, utcnow())).code
    finally:
        await engine.dispose()


async def _people(url: str) -> int:
    engine = db.create_engine(url)
    try:
        async with engine.connect() as connection:
            return int(
                (await connection.execute(select(func.count()).select_from(Person))).scalar_one()
            )
    finally:
        await engine.dispose()


async def test_readme_run_command_serves_a_whole_journey(
    server: FakeTelegram, migrated_url: str
) -> None:
    code = await _prepare(migrated_url)
    env = _env(BOT_TOKEN="42:TEST", TELEGRAM_API_URL=server.url, DATABASE_URL=migrated_url)
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        str(ROOT / "scripts" / "dev.py"),
        "run",
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    teacher = TelegramUser(server, USER)
    try:
        await server.wait_for("getUpdates", timeout=60)
        await teacher.send(f"/start {code}")
        assert "152-ФЗ" in teacher.last()
        await teacher.press("Согласен(на)")
        await teacher.send("Сидорова Анна Львовна")
        await teacher.press("Русский язык")
        await teacher.press("Готово")
        await teacher.press("2025")
        await teacher.press("Пропустить")
        await teacher.press("✅ Всё верно")
        assert "регистрация завершена" in teacher.last()
        await teacher.send("/profile")
        assert "Сидорова Анна Львовна" in teacher.last() and "молодой педагог" in teacher.last()
        await teacher.send("/mydata")
        exported = server.last(USER).document
        assert exported is not None and json.loads(exported)["subjects"] == ["Русский язык"]
        assert await _people(migrated_url) == 1
        await teacher.send("/forget")
        await teacher.press("Да, удалить")
        assert "данные удалены" in teacher.last()
        assert await _people(migrated_url) == 0
    finally:
        process.send_signal(signal.SIGTERM)
        output, _ = await asyncio.wait_for(process.communicate(), timeout=30)
    assert process.returncode == 0, output.decode()


async def test_run_command_without_a_token_stops_at_once(tmp_path: Path) -> None:
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        str(ROOT / "scripts" / "dev.py"),
        "run",
        cwd=tmp_path,
        env=_env(),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    output, error = await asyncio.wait_for(process.communicate(), timeout=30)
    if (ROOT / ".env").exists() and b"BOT_TOKEN" in (ROOT / ".env").read_bytes():
        pytest.skip("a local .env with BOT_TOKEN sits next to the README")
    assert process.returncode == 2
    assert ".env" in error.decode() and "@BotFather" in error.decode()
    assert b"Installing" not in output


async def test_python_m_bot_without_a_token_says_where_to_put_it(tmp_path: Path) -> None:
    code, error = await run_bot_once(_env(), tmp_path)
    assert code == 2
    assert ".env" in error and "@BotFather" in error


async def test_python_m_bot_refuses_an_unmigrated_database(
    server: FakeTelegram, database_url: str, tmp_path: Path
) -> None:
    env = _env(BOT_TOKEN="42:TEST", TELEGRAM_API_URL=server.url, DATABASE_URL=database_url)
    code, error = await run_bot_once(env, tmp_path)
    assert code == 3
    assert "pedpulse init" in error
    assert not server.calls_of("getUpdates")


async def test_python_m_bot_refuses_a_broken_instrument_file(
    server: FakeTelegram, migrated_url: str, tmp_path: Path
) -> None:
    folder = tmp_path / "instruments"
    folder.mkdir()
    (folder / "ours.yaml").write_text("key: ours\nversion: 1\nprivacy: public\n", "utf-8")
    env = _env(
        BOT_TOKEN="42:TEST",
        TELEGRAM_API_URL=server.url,
        DATABASE_URL=migrated_url,
        INSTRUMENTS_DIR=str(folder),
    )
    code, error = await run_bot_once(env, tmp_path)
    assert code == 4
    assert "ours.yaml: privacy: must be one of" in error
    assert not server.calls_of("getUpdates")
