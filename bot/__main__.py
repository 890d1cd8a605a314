"""`python -m bot`: check the set-up, then poll Telegram (bot.polling), or with BOT_MODE=webhook
serve Telegram's posts (bot.webhook), until SIGINT/SIGTERM.

Whatever stops the start is said in one or two lines with an exit code (2 settings,
3 database, 4 questionnaire files, 5 Telegram); `python -m bot --debug` shows the traceback.
"""

import asyncio
import sys

from core import logs
from core.config import Settings, load_settings, project_home
from core.failures import CannotRun, explain, unexpected

NO_TOKEN = """\
BOT_TOKEN is not set, so the bot cannot start.
  1. Get a token from @BotFather in Telegram (/newbot).
  2. Put it into the file {env}:  BOT_TOKEN=123456:ABC...
     (copy .env.example to .env to see every setting)."""


async def run(settings: Settings) -> int:
    """Serve updates by long polling; returns the process exit code."""
    from core import collector, db, readiness
    from surveys.registry import load_all

    instruments = load_all(settings.instruments_dir)
    engine = await readiness.ready_engine(settings.database_url, settings.database_pool_size)
    # Imported only now so that set-up problems are reported at once: aiogram loads for seconds.
    from bot import polling, webhook
    from bot.app import build_bot, build_dispatcher, build_sender
    from bot.startup import check_telegram

    bot = build_bot(settings)
    try:
        await check_telegram(bot, settings)
        sessionmaker = db.create_sessionmaker(engine)
        sender = build_sender(bot, sessionmaker, settings)
        dp = build_dispatcher(settings, sessionmaker, sender=sender, instruments=instruments)
        collector.for_serving()
        if settings.bot_mode == "webhook":
            await webhook.serve(dp, bot, settings, sessionmaker)
        else:
            await bot.delete_webhook(drop_pending_updates=False)
            await polling.serve(dp, bot)  # different people at once, one person in order
    finally:
        await bot.session.close()
        await engine.dispose()
    return 0


def start() -> int:
    """Read the settings, set up logging and serve; CannotRun for a known reason to stop."""
    settings = load_settings()
    if settings.bot_token is None:
        raise CannotRun(NO_TOKEN.format(env=project_home() / ".env"), 2)
    logs.configure(settings)
    return asyncio.run(run(settings))


def main() -> None:
    debug = "--debug" in sys.argv[1:]
    try:
        code = start()
    except KeyboardInterrupt:
        code = 130
    except Exception as exc:
        if debug:
            raise
        failure = explain(exc) or _telegram(exc) or unexpected(exc, "python -m bot --debug")
        print(failure, file=sys.stderr)
        code = failure.exit_code
    sys.exit(code)


def _telegram(exc: BaseException) -> CannotRun | None:
    if "aiogram" not in sys.modules:  # no Telegram error without it, and it loads for seconds
        return None
    from bot.startup import explain_telegram

    return explain_telegram(exc)


if __name__ == "__main__":
    main()
