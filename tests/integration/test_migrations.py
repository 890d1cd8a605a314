"""Migrations: up, down, up again, and no drift between the models and the migrated schema."""

import asyncio

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Connection, inspect

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
                return tuple(values)
        finally:
            await engine.dispose()

    assert asyncio.run(_pragmas()) == ("wal", 1, db.SQLITE_BUSY_TIMEOUT_MS)
