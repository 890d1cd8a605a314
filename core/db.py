"""Async engine and session factory, SQLite pragmas, and Alembic migrations from code."""

import logging
import re
import time
from functools import partial
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, event, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Dialect, ExceptionContext, make_url
from sqlalchemy.exc import InvalidatePoolError
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

import migrations
from core import sqlite_gate
from core.reads import TrackedSession
from core.sqlite_trips import creator

# Found through the package, so an installed wheel migrates as well as a source checkout.
MIGRATIONS_DIR = Path(migrations.__file__).resolve().parent
SQLITE_BUSY_TIMEOUT_MS = 10_000  # a statement waits this long for a lock (core.sqlite_gate)
logger = logging.getLogger(__name__)
IDLE_PING_SECONDS = 5.0  # a pooled connection unused this long is pinged before use
POOL_SIZE = 5  # connections an engine keeps; DATABASE_POOL_SIZE sets it for the bot
_IDLE_SINCE = "pedpulse_idle_since"


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    # deleted rows are overwritten, not left in free pages (a person asked to be forgotten)
    cursor.execute("PRAGMA secure_delete=ON")
    cursor.close()


def _sqlite_in_memory(url: str) -> bool:
    parsed = make_url(url)
    in_memory = parsed.database in (None, "", ":memory:") or parsed.query.get("mode") == "memory"
    return parsed.get_backend_name() == "sqlite" and in_memory


def ensure_sqlite_dir(url: str) -> None:
    """Create the folder of a SQLite file database so a fresh checkout just works."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and not _sqlite_in_memory(url):
        Path(str(parsed.database)).parent.mkdir(parents=True, exist_ok=True)


def create_engine(url: str, pool_size: int = POOL_SIZE) -> AsyncEngine:
    """Engine for `url`; SQLite connections get WAL, foreign keys and a busy timeout (kept by
    `core.sqlite_gate`, not SQLite, so that no wait stops the event loop), and a
    connection idle in the pool is checked before use (`_ping_if_idle`).

    The pool keeps `pool_size` connections and opens no others: a session beyond them waits
    for one. Connections opened for a burst and closed after it (SQLAlchemy's overflow) cost
    a connect per update under load, and on SQLite more writers than one waiting in its
    busy handler."""
    ensure_sqlite_dir(url)
    options: dict[str, Any] = _pool(url, pool_size)
    if make_url(url).get_driver_name() == "aiosqlite":  # a statement in one trip (sqlite_trips)
        options["async_creator"] = creator(url, SQLITE_BUSY_TIMEOUT_MS / 1000)
    # hide_parameters: an error's text (and so a logged traceback) never carries the values.
    engine = create_async_engine(url, hide_parameters=True, **options)
    if engine.dialect.name == "sqlite":
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
    event.listen(engine.sync_engine, "handle_error", _keep_values_out)
    event.listen(engine.sync_engine.pool, "checkin", _note_idle)
    event.listen(engine.sync_engine.pool, "checkout", partial(_ping_if_idle, engine.dialect))
    return engine


_ARGUMENT = re.compile(r"(invalid input for query argument \$\d+): .*", re.DOTALL)


def _keep_values_out(context: ExceptionContext) -> None:
    """An error names no value, wherever its text ends up (a logged traceback prints every
    exception of the chain): hide_parameters covers SQLAlchemy's own text, but asyncpg puts
    the failing row or key into a DETAIL line ("Failing row contains (.., Иванова ..)") and
    a parameter it could not encode into the message."""
    error: BaseException | None = context.original_exception
    seen: set[int] = set()
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        if hasattr(error, "detail"):  # asyncpg's server messages
            error.detail = None
        _scrub(error)
        error = error.__cause__ or error.__context__
    if context.sqlalchemy_exception is not None:
        _scrub(context.sqlalchemy_exception)


_DETAIL = re.compile(r"\nDETAIL:.*", re.DOTALL)  # and a HINT after it: the message's end


def scrubbed(message: str) -> str:
    """A driver's error message without the values it quotes. SQLAlchemy 2.0 copies asyncpg's
    whole text, DETAIL line included, into its own errors before `handle_error` runs."""
    return _DETAIL.sub("", _ARGUMENT.sub(r"\1 (the value is left out)", message))


def _scrub(error: BaseException) -> None:
    if error.args and isinstance(error.args[0], str):
        error.args = (scrubbed(error.args[0]), *error.args[1:])


def _pool(url: str, size: int) -> dict[str, Any]:
    """The pool's arguments: none for SQLite in memory, one connection shared (StaticPool)."""
    if _sqlite_in_memory(url):
        return {}
    return {"pool_size": size, "max_overflow": 0}


def _note_idle(_dbapi_connection: Any, record: Any) -> None:
    record.info[_IDLE_SINCE] = time.monotonic()


def _ping_if_idle(dialect: Dialect, dbapi_connection: Any, record: Any, _proxy: Any) -> None:
    """A connection back from the pool is pinged only if it sat there IDLE_PING_SECONDS: one
    used a moment ago is alive, and a ping on every checkout (SQLAlchemy's pre-ping) cost a
    round trip per update. One that does not answer means the server dropped it (a restart):
    the pool replaces it and every other connection it holds (InvalidatePoolError), as it
    does after any statement's disconnect error."""
    idle_since = record.info.get(_IDLE_SINCE)
    if idle_since is None or time.monotonic() - idle_since < IDLE_PING_SECONDS:
        return
    try:
        dialect.do_ping(dbapi_connection)
    except Exception as exc:
        logger.warning("a pooled connection did not answer (%s): reconnecting", type(exc).__name__)
        raise InvalidatePoolError("a pooled connection did not answer a ping") from exc


def create_sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    """Session factory; objects stay usable after commit, and a session notes whether it
    wrote (`core.reads`)."""
    return async_sessionmaker(engine, expire_on_commit=False, sync_session_class=TrackedSession)


def insert(session: AsyncSession, table: Any) -> postgresql.Insert | sqlite.Insert:
    """An INSERT in the dialect of the session's database, so a unique key can decide a
    conflict (ON CONFLICT) on SQLite and PostgreSQL alike, with no savepoint to roll back to."""
    if session.get_bind().dialect.name == "postgresql":
        return postgresql.insert(table)
    return sqlite.insert(table)


def alembic_config(url: str) -> Config:
    """Alembic configuration pointing at `migrations/` and at `url`."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def upgrade(url: str, revision: str = "head") -> None:
    """Apply migrations up to `revision`. Sync: never call it inside a running event loop."""
    ensure_sqlite_dir(url)
    command.upgrade(alembic_config(url), revision)


def downgrade(url: str, revision: str = "base") -> None:
    """Revert migrations down to `revision`. Sync, like `upgrade`."""
    command.downgrade(alembic_config(url), revision)


def head_revision() -> str | None:
    """The newest revision in `migrations/`."""
    return ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head()


async def current_revision(engine: AsyncEngine) -> str | None:
    """The revision the database is at, or None for an empty database."""

    def _read(connection: Connection) -> str | None:
        return MigrationContext.configure(connection).get_current_revision()

    async with engine.connect() as connection:
        return await connection.run_sync(_read)


def make_revision(url: str, message: str, rev_id: str) -> None:
    """Autogenerate a revision from the models against the database at `url` (at head)."""
    config = alembic_config(url)
    config.set_main_option("file_template", "%%(rev)s_%%(slug)s")
    command.revision(config, message=message, autogenerate=True, rev_id=rev_id)


async def checkpoint(session: AsyncSession) -> bool:
    """SQLite: move the write-ahead log into the database and empty it, so deleted rows
    leave no copy in the log; True when done, False when readers kept it busy for the busy
    timeout. Other databases: nothing to do."""
    if session.get_bind().dialect.name != "sqlite":
        return True
    pauses = sqlite_gate.Pauses(SQLITE_BUSY_TIMEOUT_MS / 1000)  # SQLite itself waits for none
    while True:
        busy = (await session.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))).scalar()
        await session.commit()
        if busy == 0 or not await pauses.wait():
            return busy == 0
