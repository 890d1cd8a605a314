"""PostgreSQL session-level advisory locks held on a connection of their own.

The lock lives as long as that connection: when the process holding it dies, the server
frees it. Used by the leader of the scheduled jobs (core.leader) and by each sender's
presence (core.messaging.presence).
"""

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine
from sqlalchemy.pool import NullPool


@asynccontextmanager
async def held(
    engine: AsyncEngine, *key: int, wait: bool = True
) -> AsyncIterator[AsyncConnection | None]:
    """The lock named by `key` (one bigint, or two ints) for the block: its connection, or
    None when `wait` is False and another session holds it. The connection is not one of the
    engine's pool, whose connections go on serving sessions (a lock can be held for hours),
    and is closed afterwards: a pooled connection would keep the lock."""
    names = ", ".join(f":k{i}" for i in range(len(key)))
    call = "pg_advisory_lock" if wait else "pg_try_advisory_lock"
    own = create_async_engine(engine.url, poolclass=NullPool, hide_parameters=True)
    connection = await own.connect()
    try:
        await connection.execution_options(isolation_level="AUTOCOMMIT")
        got = await connection.scalar(
            text(f"SELECT {call}({names})"), {f"k{i}": k for i, k in enumerate(key)}
        )
        yield connection if wait or got else None
    finally:
        await connection.invalidate()
        await connection.close()
        await own.dispose()


async def check(connection: AsyncConnection, timeout: float) -> None:
    """Raises (a database error, or TimeoutError) when the lock's connection broke or hangs."""
    async with asyncio.timeout(timeout):  # not wait_for: it could lose the leader's stop
        await connection.execute(text("SELECT 1"))
