"""Logs never carry what people typed, even at DEBUG, unless LOG_SQL says so out loud."""

import logging
import traceback
from pathlib import Path

import pytest
from aiogram.exceptions import TelegramNetworkError
from aiogram.methods import GetMe
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError, OperationalError

from bot.startup import explain_telegram
from core import db
from core.config import Settings
from core.db import scrubbed
from core.logs import PERSONAL, TokenFilter, configure

NAME = "Сидорова Анна Львовна"


async def _query_with_a_name(url: str) -> str:
    """Run a good and a failing statement carrying NAME; the failing one's error text."""
    engine = db.create_engine(url)
    try:
        async with engine.connect() as connection:
            await connection.execute(text("select :name"), {"name": NAME})
            with pytest.raises(OperationalError) as error:
                await connection.execute(text("select * from nowhere where x = :n"), {"n": NAME})
    finally:
        await engine.dispose()
    return str(error.value)


async def test_debug_logs_keep_sql_parameters_out(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    restore = configure(Settings(_env_file=None, log_level="DEBUG"))
    try:
        logging.getLogger("core.example").debug("person %s answered", 42)
        failure = await _query_with_a_name(f"sqlite+aiosqlite:///{tmp_path / 'log.sqlite3'}")
    finally:
        restore()
    assert "person 42 answered" in caplog.text  # DEBUG is on for our own loggers
    assert NAME not in caplog.text
    assert "no such table" in failure and NAME not in failure  # a logged traceback is clean too


async def test_log_sql_shows_statements_and_warns(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    restore = configure(Settings(_env_file=None, log_level="WARNING", log_sql=True))
    try:
        await _query_with_a_name(f"sqlite+aiosqlite:///{tmp_path / 'log.sqlite3'}")
    finally:
        restore()
    assert "personal data" in caplog.text
    assert NAME in caplog.text


def test_configure_leaves_pytest_handlers_and_levels_as_they_were() -> None:
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    levels = {name: logging.getLogger(name).level for name in PERSONAL}
    restore = configure(Settings(_env_file=None, log_level="DEBUG"))
    assert root.handlers == handlers  # caplog's handler stays the only one
    assert logging.getLogger("aiosqlite").level == logging.WARNING
    restore()
    assert root.level == level
    assert {name: logging.getLogger(name).level for name in PERSONAL} == levels


@pytest.mark.parametrize(
    "statement",
    [
        "INSERT INTO named (name) VALUES (:name)",  # twice: the key names the value
        "INSERT INTO named (name, short) VALUES ('x', :name)",  # a check: the failing row
        "INSERT INTO named (number) VALUES (:name)",  # not a number: the parameter itself
    ],
)
async def test_a_database_error_names_no_value_anywhere_in_its_traceback(
    database_url: str, statement: str
) -> None:
    """A logged traceback prints every exception of the chain: PostgreSQL's DETAIL line and
    asyncpg's text of a parameter it could not send must not carry what a person typed."""
    engine = db.create_engine(database_url)
    table = (
        "CREATE TABLE named (name TEXT UNIQUE, short TEXT CHECK (length(short) < 3),"
        " number INTEGER CHECK (number IS NULL OR typeof(number) = 'integer'))"
        if database_url.startswith("sqlite")
        else "CREATE TABLE named (name TEXT UNIQUE, short TEXT CHECK (length(short) < 3),"
        " number INTEGER)"
    )
    try:
        async with engine.connect() as connection:
            await connection.execute(text(table))
            await connection.execute(
                text("INSERT INTO named (name) VALUES (:name)"), {"name": NAME}
            )
            await connection.commit()
            with pytest.raises(DBAPIError) as error:
                await connection.execute(text(statement), {"name": NAME})
    finally:
        await engine.dispose()
    logged = "".join(traceback.format_exception(error.value))
    assert NAME not in logged
    assert "Error" in logged  # what went wrong is still told


TOKEN = "123456789:" + "AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"  # the form BotFather gives


def test_a_bot_token_never_reaches_the_log(caplog: pytest.LogCaptureFixture) -> None:
    """A network error's text quotes the URL of the request, token included."""
    restore = configure(Settings(_env_file=None, log_level="INFO"))
    try:
        try:
            raise OSError(f"Cannot connect to https://api.telegram.org/bot{TOKEN}/getMe")
        except OSError as exc:
            logging.getLogger("core.example").exception("getMe failed: %s", exc)
    finally:
        restore()
    assert "getMe failed" in caplog.text and "OSError" in caplog.text
    assert TOKEN not in caplog.text and "<BOT_TOKEN>" in caplog.text


def test_a_startup_failure_message_never_quotes_the_token() -> None:
    failure = explain_telegram(
        TelegramNetworkError(GetMe(), f"Cannot connect to host http://x/bot{TOKEN}/getMe")
    )
    assert failure is not None and TOKEN not in str(failure) and "Cannot reach" in str(failure)


def test_a_log_call_with_a_bad_format_is_left_to_the_handler() -> None:
    """Logging reports a bad format itself (on stderr) and goes on; the token filter runs
    outside that guard, so it must not raise into the code that logged."""
    record = logging.LogRecord("core.example", logging.WARNING, __file__, 1, "%s %s", (1,), None)
    assert TokenFilter().filter(record) is True


def test_a_detail_copied_into_an_errors_text_is_cut_too() -> None:
    """SQLAlchemy 2.0 builds its errors from asyncpg's whole text, DETAIL line included."""
    copied = (
        "<class 'asyncpg.exceptions.CheckViolationError'>: new row for relation \"named\""
        ' violates check constraint "named_short_check"'
        f"\nDETAIL:  Failing row contains (x, {NAME})."
    )
    assert scrubbed(copied) == copied.split("\n")[0]
    assert scrubbed("invalid input for query argument $1: 'Иванова' (not an int)") == (
        "invalid input for query argument $1 (the value is left out)"
    )
