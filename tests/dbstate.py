"""Every table's rows, to show that a refused command changed nothing."""

import asyncio
from typing import Any

from sqlalchemy import Connection, inspect, text
from sqlalchemy.ext.asyncio import create_async_engine

Snapshot = dict[str, list[tuple[Any, ...]]]


def snapshot(url: str) -> Snapshot:
    """Each table's rows in a stable order (works on SQLite and PostgreSQL alike)."""
    return asyncio.run(read_snapshot(url))


async def read_snapshot(url: str) -> Snapshot:
    """`snapshot` for a test that already runs in an event loop."""

    def read(connection: Connection) -> Snapshot:
        tables = inspect(connection).get_table_names()
        return {
            table: sorted(
                (tuple(row) for row in connection.execute(text(f'SELECT * FROM "{table}"'))),
                key=repr,
            )
            for table in tables
        }

    engine = create_async_engine(url)
    try:
        async with engine.connect() as connection:
            return await connection.run_sync(read)
    finally:
        await engine.dispose()
