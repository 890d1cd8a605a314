"""Logs never carry what people typed, even at DEBUG, unless LOG_SQL says so out loud."""

import logging
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import OperationalError

from core import db
from core.config import Settings
from core.logs import PERSONAL, configure

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
