"""Is the database there and at the newest schema? Checked before a command or the bot uses it.

A check never creates anything: a missing SQLite file stays missing, and the message names
where the database was looked for and the command that creates it.
"""

from pathlib import Path

from alembic.util import CommandError
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine

from core import db
from core.failures import CannotRun, first_line

NOT_READY = 3  # the exit code of every "the database is not ready" stop


def sqlite_file(url: str) -> Path | None:
    """The file of a SQLite URL (None for a server database or an in-memory one)."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    return Path(str(parsed.database))


def where(url: str) -> str:
    """The database as a person can find it: a file path, or the server URL without password."""
    path = sqlite_file(url)
    if path is not None:
        return str(path.resolve())
    return make_url(url).render_as_string(hide_password=True)


async def ready_engine(url: str, pool_size: int = db.POOL_SIZE) -> AsyncEngine:
    """An engine on a database at the newest revision; CannotRun names `pedpulse init` if not."""
    path = sqlite_file(url)
    if path is not None and not path.is_file():
        raise CannotRun(
            f"No database at {where(url)}: run `pedpulse init` to create it.", NOT_READY
        )
    engine = db.create_engine(url, pool_size)
    try:
        current = await db.current_revision(engine)
    except (DBAPIError, OSError) as exc:
        await engine.dispose()
        raise unreachable(url, exc) from exc
    head = db.head_revision()
    if current != head:
        await engine.dispose()
        state = "empty" if current is None else f"at revision {current}"
        raise CannotRun(
            f"The database {where(url)} is {state}, this PedPulse needs {head}: "
            "run `pedpulse init`.",
            NOT_READY,
        )
    return engine


def upgrade(url: str) -> None:
    """`db.upgrade` with a plain message when the database cannot be reached or migrated."""
    try:
        db.upgrade(url)
    except (DBAPIError, OSError) as exc:
        raise unreachable(url, exc) from exc
    except CommandError as exc:  # e.g. a database made by a newer PedPulse
        raise CannotRun(f"Cannot migrate {where(url)}: {first_line(exc)}", NOT_READY) from exc


def unreachable(url: str, exc: BaseException) -> CannotRun:
    """The message for a database that cannot be opened: where, why, and what to check."""
    reason = first_line(exc.orig if isinstance(exc, DBAPIError) and exc.orig else exc)
    return CannotRun(
        f"Cannot open the database {where(url)}: {reason}\nCheck DATABASE_URL.", NOT_READY
    )
