"""Benchmark: people answering a questionnaire at once, the real bot beside a bare aiogram bot.

    .venv/bin/python bench/answering.py [--people 50 200] [--presses 10] [--postgres URL]

Both bots poll the fake Bot API server over HTTP: the real bot as `python -m bot` does
(different people at once, one person in order, an update confirmed once it and all before it
are handled: bot.polling), the bare bot as aiogram does by default (a task per update). The
real bot is the Dispatcher of bot.app with its middlewares on a migrated database; the bare
bot answers the callback and edits the message. Both run with the garbage collector set as
`python -m bot` sets it (core.collector.for_serving): the bare bot shares this process's
objects (about 400,000, from the real bot's imports; a bare bot alone has about 190,000), so
with Python's default it would pay about twice the collector's time it pays alone.
Each simulated person presses an answer of the CBI questionnaire, waits for the edit, and
presses the next one. Reports answers/s, the real/bare ratio, the p95 latency from the
press to the edit, answers lost (pressed but not stored) and error log records ("database is
locked" would be one). PostgreSQL runs when --postgres (or TEST_POSTGRES_URL) names a server.
"""

import argparse
import asyncio
import logging
import os
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from aiohttp import web

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from aiogram import Bot, Dispatcher, Router  # noqa: E402
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup  # noqa: E402
from sqlalchemy import func, select, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402
from sqlalchemy.ext.asyncio import create_async_engine  # noqa: E402

from bot.app import build_bot, build_dispatcher  # noqa: E402
from bot.polling import Poller  # noqa: E402
from bot.questionnaires.callbacks import SurveyAction, SurveyCallback  # noqa: E402
from core import collector, db  # noqa: E402
from core.config import Settings  # noqa: E402
from core.models import Answer, Person, PersonRole, Role, School  # noqa: E402
from core.people.roster import import_roster, parse_roster  # noqa: E402
from core.questionnaires.starting import begin  # noqa: E402
from core.tables import read_table  # noqa: E402
from core.timeutil import utcnow  # noqa: E402
from surveys.registry import load_all  # noqa: E402
from tests import factories  # noqa: E402
from tests.fake_telegram import FakeTelegram  # noqa: E402

ROSTER = Path(__file__).resolve().parent.parent / "examples" / "roster.csv"
FIRST_CHAT = 10_000
Setup = Callable[[Bot], Awaitable[Dispatcher]]


class Server(FakeTelegram):
    """The fake server, telling each chat's waiting person that their message was edited."""

    def __init__(self) -> None:
        super().__init__()
        self.edited: dict[int, asyncio.Event] = {}

    def _edit_text(self, params: dict[str, Any], files: dict[str, bytes]) -> web.Response:
        response = super()._edit_text(params, files)
        event = self.edited.get(int(params["chat_id"]))
        if event is not None:
            event.set()
        return response


def bare_dispatcher() -> Dispatcher:
    """The least a bot can do for a press: answer the callback and edit the message."""
    router = Router()

    async def on_press(callback: CallbackQuery) -> None:
        await callback.answer()
        data = SurveyCallback.unpack(callback.data or "")
        buttons = [
            InlineKeyboardButton(text=f"{code}", callback_data=f"x{code}") for code in range(1, 6)
        ]
        markup = InlineKeyboardMarkup(inline_keyboard=[buttons])
        assert callback.message is not None
        await callback.bot.edit_message_text(  # type: ignore[union-attr]
            f"Вопрос {data.item + 2}",
            chat_id=callback.message.chat.id,
            message_id=callback.message.message_id,
            reply_markup=markup,
        )

    router.callback_query.register(on_press)
    dp = Dispatcher()
    dp.include_router(router)
    return dp


async def people_with_responses(url: str, people: int) -> list[int]:
    """`people` registered teachers, each with an open CBI response; their response ids."""
    engine = db.create_engine(url)
    sessionmaker = db.create_sessionmaker(engine)
    instruments = load_all(None)
    now = utcnow()
    async with sessionmaker() as session:
        await import_roster(session, parse_roster(read_table(ROSTER), "Europe/Moscow"))
        school = await session.get(School, 1)
        assert school is not None
        for chat in range(FIRST_CHAT, FIRST_CHAT + people):
            person = Person(telegram_id=chat, municipality_id=school.municipality_id)
            person.school_id, person.full_name, person.language = school.id, "Bench", "ru"
            person.consent_at = person.registered_at = now
            person.roles.append(PersonRole(role=Role.TEACHER))
            session.add(person)
        await session.commit()
        ids = []
        for chat in range(FIRST_CHAT, FIRST_CHAT + people):
            person_id = await session.scalar(select(Person.id).where(Person.telegram_id == chat))
            step = await begin(session, person_id or 0, "cbi", now, instruments)
            ids.append(step.response_id)
    await engine.dispose()
    return ids


async def person(
    server: Server, bot: Bot, chat: int, response_id: int, presses: int, latencies: list[float]
) -> None:
    """Press an answer, wait for the edit, press the next one."""
    sent = await bot.send_message(chat, "Вопрос 1")
    message = server.messages[(chat, sent.message_id)]
    event = server.edited.setdefault(chat, asyncio.Event())
    for item in range(presses):
        data = SurveyCallback(action=SurveyAction.ANSWER, ref=response_id, item=item, value=3)
        update = factories.callback(chat, message, server.message_json(message), data.pack())
        event.clear()
        started = time.perf_counter()
        server.push_update(update)
        await asyncio.wait_for(event.wait(), 120)
        latencies.append(time.perf_counter() - started)


async def run(
    dp: Dispatcher, server: Server, responses: list[int], presses: int, bare: bool = False
) -> dict[str, float]:
    """Poll while every person presses; answers/s and p95 latency. The real bot polls as
    `python -m bot` does (bot.polling); the bare one as aiogram does by default (a task per
    update, confirmed as soon as it is received)."""
    settings = Settings(_env_file=None, bot_token="42:TEST", telegram_api_url=server.url)
    bot = build_bot(settings)
    poller = Poller(dp, bot, dp.resolve_used_update_types())
    polling = asyncio.create_task(
        dp.start_polling(bot, handle_signals=False, polling_timeout=10) if bare else poller.run()
    )
    latencies: list[float] = []
    started = time.perf_counter()
    await asyncio.gather(
        *(
            person(server, bot, FIRST_CHAT + n, response, presses, latencies)
            for n, response in enumerate(responses)
        )
    )
    seconds = time.perf_counter() - started
    if bare:
        await dp.stop_polling()
    else:
        poller.stop()
    await polling
    await bot.session.close()
    return {
        "rate": len(latencies) / seconds,
        "p95": statistics.quantiles(latencies, n=20)[-1] * 1000,
    }


async def measure(url: str | None, people: int, presses: int) -> dict[str, float]:
    """One run on a fresh server: the real bot on `url`, or the bare bot (None)."""
    server = Server()
    await server.start()
    try:
        if url is None:
            return await run(bare_dispatcher(), server, [0] * people, presses, bare=True)
        responses = await people_with_responses(url, people)
        engine = db.create_engine(url)
        settings = Settings(_env_file=None, bot_token="42:TEST", telegram_api_url=server.url)
        dp = build_dispatcher(settings, db.create_sessionmaker(engine))
        errors = Errors()
        logging.getLogger().addHandler(errors)
        try:
            found = await run(dp, server, responses, presses)
            async with engine.connect() as connection:
                stored = await connection.scalar(select(func.count()).select_from(Answer))
        finally:
            logging.getLogger().removeHandler(errors)
            await engine.dispose()
        return found | {"lost": people * presses - int(stored or 0), "errors": errors.count}
    finally:
        await server.stop()


class Errors(logging.Handler):
    """Counts the log records at ERROR and above ("database is locked" would be one)."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1


async def postgres_url(server: str) -> tuple[str, Callable[[], Awaitable[None]]]:
    """A fresh migrated database on the PostgreSQL `server`, and how to drop it."""
    name = f"pedpulse_bench_{uuid.uuid4().hex[:12]}"
    admin = create_async_engine(server, isolation_level="AUTOCOMMIT")
    async with admin.connect() as connection:
        await connection.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(server).set(database=name).render_as_string(hide_password=False)
    await asyncio.to_thread(db.upgrade, url)

    async def drop() -> None:
        async with admin.connect() as connection:
            await connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        await admin.dispose()

    return url, drop


async def real(database: str, people: int, presses: int, server: str | None) -> dict[str, float]:
    if database == "postgresql":
        assert server is not None
        url, drop = await postgres_url(server)
        try:
            return await measure(url, people, presses)
        finally:
            await drop()
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite+aiosqlite:///{folder}/bench.sqlite3"
        await asyncio.to_thread(db.upgrade, url)
        return await measure(url, people, presses)


async def main(crowds: list[int], presses: int, server: str | None) -> None:
    collector.for_serving()  # both bots, as `python -m bot` runs (see the docstring)
    databases = ["sqlite"] + (["postgresql"] if server else [])
    print(f"{'database':<11} {'people':>6} {'real/s':>8} {'bare/s':>8} {'ratio':>6}", end="")
    print(f" {'real p95 ms':>12} {'bare p95 ms':>12} {'lost':>5} {'errors':>6}")
    for people in crowds:
        bare = await measure(None, people, presses)
        for database in databases:
            found = await real(database, people, presses, server)
            print(
                f"{database:<11} {people:>6} {found['rate']:>8.1f} {bare['rate']:>8.1f}"
                f" {found['rate'] / bare['rate']:>6.2f} {found['p95']:>12.0f}"
                f" {bare['p95']:>12.0f} {found['lost']:>5.0f} {found['errors']:>6.0f}",
                flush=True,
            )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, nargs="+", default=[50, 200])
    parser.add_argument("--presses", type=int, default=10, help="answers per person")
    parser.add_argument("--postgres", default=os.environ.get("TEST_POSTGRES_URL"))
    arguments = parser.parse_args()
    asyncio.run(main(arguments.people, arguments.presses, arguments.postgres))
