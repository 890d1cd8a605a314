"""Migrations: up, down, up again, and no drift between the models and the migrated schema."""

import asyncio

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Connection, inspect, text

from core import db
from core.models import Base


def _diff(url: str) -> list[object]:
    async def _compare() -> list[object]:
        engine = db.create_engine(url)

        def compare(connection: Connection) -> list[object]:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            return list(compare_metadata(context, Base.metadata))

        try:
            async with engine.connect() as connection:
                return await connection.run_sync(compare)
        finally:
            await engine.dispose()

    return asyncio.run(_compare())


def _tables(url: str) -> set[str]:
    async def _read() -> set[str]:
        engine = db.create_engine(url)
        try:
            async with engine.connect() as connection:
                names = await connection.run_sync(lambda c: inspect(c).get_table_names())
                return set(names)
        finally:
            await engine.dispose()

    return asyncio.run(_read())


def test_upgrade_downgrade_upgrade_without_drift(database_url: str) -> None:
    db.upgrade(database_url)
    assert set(Base.metadata.tables) <= _tables(database_url)
    db.downgrade(database_url, "base")
    assert _tables(database_url) <= {"alembic_version"}
    db.upgrade(database_url)
    assert _diff(database_url) == []


def test_sqlite_connections_use_wal_foreign_keys_and_a_busy_timeout(tmp_path: object) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path}/pragmas.sqlite3"

    async def _pragmas() -> tuple[object, ...]:
        engine = db.create_engine(url)
        try:
            async with engine.connect() as connection:
                values = []
                for pragma in ("journal_mode", "foreign_keys", "busy_timeout"):
                    result = await connection.exec_driver_sql(f"PRAGMA {pragma}")
                    values.append(result.scalar())
                raw = await connection.get_raw_connection()
                values.append(raw.driver_connection.busy_timeout)  # type: ignore[union-attr]
                return tuple(values)
        finally:
            await engine.dispose()

    # SQLite itself waits for no lock: the connection waits, without stopping the event loop
    wait = db.SQLITE_BUSY_TIMEOUT_MS / 1000
    assert asyncio.run(_pragmas()) == ("wal", 1, 0, wait)


def _run(url: str, *statements: str) -> list[tuple[object, ...]]:
    """Execute statements in one transaction; returns the rows of the last one."""

    async def _go() -> list[tuple[object, ...]]:
        engine = db.create_engine(url)
        try:
            async with engine.begin() as connection:
                rows: list[tuple[object, ...]] = []
                for statement in statements:
                    result = await connection.execute(text(statement))
                    rows = [tuple(r) for r in result] if result.returns_rows else []
                return rows
        finally:
            await engine.dispose()

    return asyncio.run(_go())


def test_0009_keeps_every_row_and_moves_released_anonymous_answers(database_url: str) -> None:
    db.upgrade(database_url, "0008")
    _run(
        database_url,
        "INSERT INTO municipality (id, name, timezone) VALUES (1, 'Город', 'Europe/Moscow')",
        "INSERT INTO school (id, municipality_id, name, teachers) VALUES (1, 1, 'Школа', 3)",
        "INSERT INTO person (id, telegram_id, municipality_id, school_id, language, consent_at,"
        " active, step_edit, school_preset) VALUES (1, 11, 1, 1, 'ru', '2026-11-01', true,"
        " false, false)",
        "INSERT INTO person_role (person_id, role) VALUES (1, 'teacher')",
        "INSERT INTO response (id, person_id, instrument, version, anonymous, status,"
        " school_id, subject_ids, young, started_at, completed_at, scores) VALUES"
        " (5, NULL, 'support_satisfaction', 1, true, 'completed', 1, '[3]', true,"
        " '2026-11-02', '2026-11-02', '{}')",
        "INSERT INTO answer (id, response_id, item_id, value, position) VALUES"
        " (7, 5, 'q1', '4', 1)",
    )
    db.upgrade(database_url)
    assert _run(database_url, "SELECT count(*) FROM person_role") == [(1,)]
    assert _run(database_url, "SELECT count(*) FROM response") == [(0,)]
    moved = _run(
        database_url,
        "SELECT municipality_id, school_id, young, instrument FROM anonymous_response",
    )
    assert moved == [(1, None, None, "support_satisfaction")]
    assert _run(database_url, "SELECT item_id FROM anonymous_answer") == [("q1",)]


def test_sqlite_never_reuses_the_id_of_a_deleted_row(tmp_path: object) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path}/ids.sqlite3"
    db.upgrade(url)
    insert = "INSERT INTO subject (name) VALUES ('{}')"
    _run(url, insert.format("a"), insert.format("b"), "DELETE FROM subject WHERE name = 'b'")
    assert _run(url, insert.format("c"), "SELECT id FROM subject WHERE name = 'c'") == [(3,)]
    rows = _run(url, "SELECT name, sql FROM sqlite_master WHERE type = 'table'")
    tables = {str(name): str(sql) for name, sql in rows}
    with_ids = {
        name
        for name, table in Base.metadata.tables.items()
        if [c.name for c in table.primary_key] == ["id"] and str(table.c.id.type) == "INTEGER"
    }
    assert len(with_ids) >= 18
    assert all("AUTOINCREMENT" in str(tables[name]) for name in with_ids)
