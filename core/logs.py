"""Logging for the bot and the CLI: our own ids at LOG_LEVEL, never SQL parameters, texts or
the bot token.

Some libraries log what people wrote: aiosqlite logs every statement with its parameters at
DEBUG, SQLAlchemy's engine logger does at INFO, aiogram's scenes log FSM data. They stay at
WARNING unless LOG_SQL is on, and then a warning says that personal data goes to the log.

In a test, `restore = configure(settings)` then `restore()` at the end: it only sets levels
(and adds a handler only when the root logger has none), so pytest's caplog keeps working.
"""

import logging
import re
from collections.abc import Callable

from core.config import Settings

logger = logging.getLogger(__name__)

FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
# Loggers that may print SQL parameters, message bodies or FSM data.
PERSONAL = (
    "aiosqlite",
    "asyncpg",
    "sqlalchemy.engine",
    "sqlalchemy.pool",
    "sqlalchemy.orm",
    "aiohttp.client",
    "aiogram.scene",
)
# A bot token (digits, a colon, 35 letters): a network error's text quotes the request URL,
# https://api.telegram.org/bot<token>/getMe, and whoever holds the token controls the bot
TOKEN = re.compile(r"\d{5,}:[A-Za-z0-9_-]{30,}")
# Loggers that say the same at every start ("Context impl SQLiteImpl."): heard at DEBUG only.
CHATTY = ("alembic",)


def redact(text: str) -> str:
    """`text` with any bot token in it replaced."""
    return TOKEN.sub("<BOT_TOKEN>", text)


class TokenFilter(logging.Filter):
    """Takes bot tokens out of a record's message and traceback before any handler writes it
    (aiohttp's and aiogram's errors quote the URL of the failed request)."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a bad format: the handler reports it, as without this filter
            return True
        if TOKEN.search(message):
            record.msg, record.args = redact(message), None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        return True


def configure(settings: Settings) -> Callable[[], None]:
    """Apply LOG_LEVEL and LOG_SQL; returns a function that puts the previous levels back."""
    root = logging.getLogger()
    before = {name: logging.getLogger(name).level for name in PERSONAL + CHATTY}
    before_root = root.level
    handler: logging.Handler | None = None
    if not root.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter(FORMAT))
        root.addHandler(handler)
    tokens = TokenFilter()
    guarded = list(root.handlers)
    for each in guarded:
        each.addFilter(tokens)
    root.setLevel(settings.log_level)
    third_party = logging.DEBUG if settings.log_sql else logging.WARNING
    for name in PERSONAL:
        logging.getLogger(name).setLevel(third_party)
    chatty = logging.DEBUG if root.level == logging.DEBUG else max(logging.WARNING, root.level)
    for name in CHATTY:
        logging.getLogger(name).setLevel(chatty)
    if settings.log_sql:
        logger.warning(
            "LOG_SQL is on: SQL statements with their parameters, personal data "
            "included, are written to the log"
        )

    def restore() -> None:
        for each in guarded:
            each.removeFilter(tokens)
        root.setLevel(before_root)
        for name, level in before.items():
            logging.getLogger(name).setLevel(level)
        if handler is not None:
            root.removeHandler(handler)

    return restore
