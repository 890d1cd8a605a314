"""`python -m bot`: check the set-up, then poll Telegram until SIGINT/SIGTERM."""

import asyncio
import logging
import sys

from pydantic import ValidationError

from core import logs
from core.config import Settings, load_settings, settings_problems

logger = logging.getLogger("bot")

NO_TOKEN = """\
BOT_TOKEN is not set, so the bot cannot start.
  1. Get a token from @BotFather in Telegram (/newbot).
  2. Put it into the file .env next to README.md:  BOT_TOKEN=123456:ABC...
     (copy .env.example to .env to see every setting).
"""


async def run(settings: Settings) -> int:
    """Serve updates by long polling; returns the process exit code."""
    # Imported here so that a missing token is reported at once: aiogram takes seconds to load.
    from bot.app import build_bot, build_dispatcher, build_sender
    from core import db
    from surveys.model import InstrumentError
    from surveys.registry import load_all

    try:
        instruments = load_all(settings.instruments_dir)
    except InstrumentError as exc:
        print(
            f"A questionnaire file is broken, so the bot does not start:\n  {exc}", file=sys.stderr
        )
        return 4
    engine = db.create_engine(settings.database_url)
    current, head = await db.current_revision(engine), db.head_revision()
    if current != head:
        await engine.dispose()
        print(f"The database is at {current}, not {head}: run `pedpulse init`.", file=sys.stderr)
        return 3
    bot = build_bot(settings)
    sessionmaker = db.create_sessionmaker(engine)
    sender = build_sender(bot, sessionmaker, settings)
    dp = build_dispatcher(settings, sessionmaker, sender=sender, instruments=instruments)
    try:
        await bot.delete_webhook(drop_pending_updates=False)
        # One update at a time: an update is confirmed to Telegram only after its handler
        # finished, so a crash never loses one, and one person's fast taps cannot race.
        await dp.start_polling(
            bot, handle_as_tasks=False, allowed_updates=dp.resolve_used_update_types()
        )
    finally:
        await bot.session.close()
        await engine.dispose()
    return 0


def main() -> None:
    try:
        settings = load_settings()
    except ValidationError as exc:
        problems = "\n  ".join(settings_problems(exc))
        print(f"Invalid settings in the environment or .env:\n  {problems}", file=sys.stderr)
        sys.exit(2)
    if settings.bot_token is None:
        print(NO_TOKEN, file=sys.stderr)
        sys.exit(2)
    logs.configure(settings)
    sys.exit(asyncio.run(run(settings)))


if __name__ == "__main__":
    main()
