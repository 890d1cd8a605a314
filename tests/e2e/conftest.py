"""The real aiogram Bot and Dispatcher against the fake Bot API server, on a migrated database.

On PostgreSQL, with a Redis server named (TEST_REDIS_URL or --redis), the Dispatcher keeps one
person's updates in order through Redis, as a region's instances do (keys of the test's own).
"""

import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from aiogram import Bot, Dispatcher
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.app import build_bot, build_dispatcher, build_sender, release
from core.config import Settings
from core.messaging.sender import Sender
from core.models import Role
from core.people.invites import RoleInviteRequest, role_link, school_link
from core.people.roster import import_roster, parse_roster
from core.tables import read_table
from tests import factories
from tests.fake_telegram import FakeTelegram, SentMessage

ROSTER = Path(__file__).resolve().parents[2] / "examples" / "roster.csv"


class Clock:
    """A settable clock injected into the Dispatcher."""

    def __init__(self) -> None:
        self.now = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


@dataclass
class Harness:
    """Acts as Telegram users talking to the bot; every reply goes through the fake server."""

    server: FakeTelegram
    bot: Bot
    dp: Dispatcher
    sessionmaker: async_sessionmaker[AsyncSession]
    clock: Clock
    sender: Sender

    async def send(self, user_id: int, text: str, language: str = "ru") -> None:
        update = factories.message(user_id, text, language=language)
        await self._feed(update)

    async def send_raw(self, update: dict[str, Any]) -> None:
        await self._feed(update)

    async def press(self, user_id: int, button: str, language: str = "ru") -> SentMessage:
        """Press the newest button labelled `button` in the user's chat; returns its message."""
        message, data = self.server.find_button(user_id, button)
        await self.press_data(user_id, message, data, language)
        return message

    async def press_data(
        self, user_id: int, message: SentMessage, data: str, language: str = "ru"
    ) -> None:
        json = self.server.message_json(message)
        await self._feed(factories.callback(user_id, message, json, data, language))

    async def _feed(self, update: dict[str, Any]) -> None:
        update = {**update, "update_id": self.server.next_update_id()}
        if "message" in update:  # a fresh id, and the bot may copy it (a relay)
            self.server.remember(update["message"])
        await self.dp.feed_raw_update(self.bot, update)

    def texts(self, user_id: int) -> list[str]:
        return [m.text or m.caption or "" for m in self.server.chat(user_id)]

    def last_text(self, user_id: int) -> str:
        return self.server.last(user_id).text or ""

    def toasts(self) -> list[str]:
        return [str(c.params.get("text", "")) for c in self.server.calls_of("answerCallbackQuery")]

    async def school_code(self, name: str) -> str:
        from core.people.invites import find_school

        async with self.sessionmaker() as session:
            school = await find_school(session, name, None)
            return (await school_link(session, school.id, self.clock())).code

    async def role_code(self, role: Role, municipality_id: int = 1, uses: int = 1) -> str:
        async with self.sessionmaker() as session:
            request = RoleInviteRequest(role, municipality_id, None, uses)
            return (await role_link(session, request, self.clock())).code


@pytest.fixture
async def bot(server: FakeTelegram) -> AsyncIterator[Bot]:
    """A Bot built as `python -m bot` builds it, on the fake server (the sender's tests)."""
    settings = Settings(_env_file=None, bot_token="42:TEST", telegram_api_url=server.url)
    client = build_bot(settings)
    yield client
    await client.session.close()


@pytest.fixture
def settings(server: FakeTelegram, migrated_url: str, request: pytest.FixtureRequest) -> Settings:
    redis = request.config.getoption("--redis")
    region = redis and make_url(migrated_url).get_backend_name() == "postgresql"
    return Settings(
        _env_file=None,
        bot_token="42:TEST",
        telegram_api_url=server.url,
        database_url=migrated_url,
        admin_telegram_ids=frozenset({900}),
        redis_url=redis if region else None,
        redis_prefix=f"test-{uuid.uuid4().hex[:12]}",
    )


@pytest.fixture
async def harness(
    server: FakeTelegram,
    settings: Settings,
    sessionmaker: async_sessionmaker[AsyncSession],
) -> AsyncIterator[Harness]:
    async with sessionmaker() as session:
        await import_roster(session, parse_roster(read_table(ROSTER), "Europe/Moscow"))
    bot = build_bot(settings)
    clock = Clock()
    sender = build_sender(bot, sessionmaker, settings, clock)  # not running: tests drain()
    dp = build_dispatcher(settings, sessionmaker, clock, sender=sender)
    harness = Harness(server, bot, dp, sessionmaker, clock, sender)
    yield harness
    await bot.session.close()
    await release(harness.dp)
