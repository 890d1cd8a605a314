"""Logging for the bot and the CLI: our own ids at LOG_LEVEL, never SQL parameters or texts.

Some libraries log what people wrote: aiosqlite logs every statement with its parameters at
DEBUG, SQLAlchemy's engine logger does at INFO, aiogram's scenes log FSM data. They stay at
WARNING unless LOG_SQL is on, and then a warning says that personal data goes to the log.

In a test, `restore = configure(settings)` then `restore()` at the end: it only sets levels
(and adds a handler only when the root logger has none), so pytest's caplog keeps working.
"""

import logging
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
# Loggers that say the same at every start ("Context impl SQLiteImpl."): heard at DEBUG only.
CHATTY = ("alembic",)


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
        root.setLevel(before_root)
        for name, level in before.items():
            logging.getLogger(name).setLevel(level)
        if handler is not None:
            root.removeHandler(handler)

    return restore
