"""Alembic environment: async engine, batch mode so SQLite can alter tables."""

import asyncio

from alembic import context
from sqlalchemy import Connection

from core.db import create_engine
from core.models import Base

config = context.config
target_metadata = Base.metadata


def _url() -> str:
    # `core.db.alembic_config` sets the URL; the plain `alembic` command falls back to the env.
    url = config.get_main_option("sqlalchemy.url")
    if url:
        return url
    from core.config import load_settings

    return load_settings().database_url


def _configure(connection: Connection) -> None:
    sqlite = connection.dialect.name == "sqlite"
    if sqlite:
        # Batch mode recreates tables: with foreign keys on, dropping the old table would
        # cascade-delete every row that refers to it. The pragma works outside a transaction
        # only, so it comes before the migrations begin; the check after proves nothing broke.
        connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=True,
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()
        if sqlite:
            broken = connection.exec_driver_sql("PRAGMA foreign_key_check").all()
            if broken:
                raise RuntimeError(f"migrations left broken references: {broken[:5]}")


async def _run_online() -> None:
    engine = create_engine(_url())
    try:
        async with engine.connect() as connection:
            await connection.run_sync(_configure)
            await connection.commit()
    finally:  # also when a migration fails: no connection left open behind the error
        await engine.dispose()


if context.is_offline_mode():
    context.configure(url=_url(), target_metadata=target_metadata, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()
else:
    asyncio.run(_run_online())
