"""Checks of settings that need more than a type: DATABASE_URL's driver, port and options
(told without its password), and a settings file that cannot be read."""

from pathlib import Path

from pydantic import ValidationError
from pydantic_core import PydanticCustomError
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

_DATABASES = "sqlite+aiosqlite:///data/pedpulse.sqlite3 or postgresql+asyncpg://user@host/db"
_URL_OPTIONS: dict[str, dict[str, tuple[str, ...] | None]] = {  # None: any value
    "sqlite+aiosqlite": {"mode": ("ro", "rw", "rwc", "memory"), "uri": ("true", "false")},
    "postgresql+asyncpg": {
        "ssl": ("disable", "allow", "prefer", "require", "verify-ca", "verify-full"),
        "target_session_attrs": ("any", "primary", "standby", "read-write", "read-only"),
        "host": None, "prepared_statement_cache_size": ("0",),  # a socket folder; PgBouncer
    },
}  # fmt: skip


def database_url_problem(value: str) -> str | None:
    """Why DATABASE_URL cannot be used, in words that never repeat its password; None if fine."""
    try:
        url = make_url(value)
    except (ArgumentError, ValueError):  # ValueError: a port that is not a number
        return f"not a database URL; write it like {_DATABASES}"
    driver, backend = url.drivername, url.drivername.partition("+")[0]
    if driver not in _URL_OPTIONS:
        use = {"sqlite": "sqlite+aiosqlite:///", "postgresql": "postgresql+asyncpg://"}
        return f"the driver {driver!r} is not supported: use {use.get(backend, _DATABASES)}"
    if backend == "sqlite" and (url.username or url.password or url.host or url.port):
        return "a SQLite URL has no user, host or port: sqlite+aiosqlite:///path/to/file"
    if url.port is not None and not 0 < url.port < 65536:
        return f"port {url.port} is not from 1 to 65535"
    known = _URL_OPTIONS[driver]
    for key, given in url.query.items():
        if key == "sslmode" and backend == "postgresql":
            return "asyncpg calls sslmode ssl: write ?ssl=require (or another sslmode value)"
        several = key == "host" and not isinstance(given, str)  # hosts to try in turn
        if key not in known or not (isinstance(given, str) or several):
            return f"{driver} takes {', '.join(known)} once each in the URL, not {key!r}"
        if (allowed := known[key]) is not None and given not in allowed:
            return f"{key}={given!r} is not one of {', '.join(allowed)}"
    return None


def settings_file_error(path: Path, problem: str) -> ValidationError:
    """A settings file that cannot be read, reported like a bad setting (exit 2)."""
    error = PydanticCustomError("file", f"{path}: {problem}")  # no {placeholders}: no context
    return ValidationError.from_exception_data(
        "Settings", [{"type": error, "loc": (), "input": 0}]
    )
