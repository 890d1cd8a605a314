"""Shared fixtures: the network guard, logging levels left as found, database URLs (SQLite
file; PostgreSQL when given)."""

import asyncio
import ipaddress
import logging
import os
import shutil
import socket
import uuid
from collections import Counter
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker, create_async_engine

from core import db
from core.logs import PERSONAL
from tests.fake_telegram import FakeTelegram

NO_POSTGRES = "not configured (set TEST_POSTGRES_URL or pass --postgres URL)"
NO_REDIS = "not configured (set TEST_REDIS_URL or pass --redis URL)"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--postgres",
        default=os.environ.get("TEST_POSTGRES_URL"),
        help="postgresql+asyncpg:// URL of a server where tests may create databases",
    )
    parser.addoption(
        "--redis",
        default=os.environ.get("TEST_REDIS_URL"),
        help="redis:// URL of a server tests may use (keys of their own)",
    )


def pytest_report_header(config: pytest.Config) -> str:
    server = config.getoption("--postgres")
    if server:
        return f"PostgreSQL: {make_url(server).render_as_string(hide_password=True)}"
    return f"PostgreSQL: {NO_POSTGRES}, so its variants are skipped"


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """Every skip reason with its count, even under -q: a skipped variant is never silent."""
    reasons = Counter(
        str(report.longrepr[2]).removeprefix("Skipped: ")
        for report in terminalreporter.stats.get("skipped", [])
        if isinstance(report.longrepr, tuple)
    )
    for reason, count in sorted(reasons.items()):
        terminalreporter.write_line(f"{count} skipped: {reason}", yellow=True)


def _is_loopback(host: Any) -> bool:
    if isinstance(host, bytes):
        host = host.decode()
    if host in (None, "", "localhost"):
        return True
    try:
        return ipaddress.ip_address(str(host).split("%")[0]).is_loopback
    except ValueError:
        return False


class NetworkGuard:
    """Refuses and records any connection or name lookup beyond loopback."""

    def __init__(self) -> None:
        self.violations: list[str] = []

    def check(self, host: Any, what: str) -> None:
        if not _is_loopback(host):
            self.violations.append(f"{what} {host!r}")
            raise ConnectionRefusedError(f"network guard: tests may not reach {host!r}")


@pytest.fixture(autouse=True)
def network_guard(monkeypatch: pytest.MonkeyPatch) -> Iterator[NetworkGuard]:
    """Fails any test whose code (a Bot above all) would reach a non-loopback address."""
    guard = NetworkGuard()
    real_connect = socket.socket.connect
    real_connect_ex = socket.socket.connect_ex
    real_getaddrinfo = socket.getaddrinfo

    def connect(self: socket.socket, address: Any) -> Any:
        if self.family in (socket.AF_INET, socket.AF_INET6):
            guard.check(address[0], "connect to")
        return real_connect(self, address)

    def connect_ex(self: socket.socket, address: Any) -> Any:
        if self.family in (socket.AF_INET, socket.AF_INET6):
            guard.check(address[0], "connect to")
        return real_connect_ex(self, address)

    def getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
        guard.check(host, "look up")
        return real_getaddrinfo(host, *args, **kwargs)

    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket.socket, "connect_ex", connect_ex)
    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    yield guard
    if guard.violations:
        pytest.fail("test reached beyond loopback: " + ", ".join(guard.violations))


@pytest.fixture(autouse=True)
def logging_left_as_found() -> Iterator[None]:
    """A test leaving the root logger or a driver's at DEBUG would let the next tests' SQL
    parameters into their logs (and into what they check for privacy): each test leaves
    those levels as it found them."""
    names = ("", *PERSONAL)
    before = {name: logging.getLogger(name).level for name in names}
    yield
    after = {name: logging.getLogger(name).level for name in names}
    assert after == before, f"logging levels changed by the test: {before} -> {after}"


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Any) -> Iterator[str]:
    """A fresh, empty database: a SQLite file, or a new PostgreSQL database per test."""
    if request.param == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path / 'pedpulse.sqlite3'}"
        return
    server = request.config.getoption("--postgres")
    if not server:
        pytest.skip(f"PostgreSQL {NO_POSTGRES}")
    name = f"pedpulse_test_{uuid.uuid4().hex[:12]}"
    asyncio.run(_admin(server, f'CREATE DATABASE "{name}"'))
    yield make_url(server).set(database=name).render_as_string(hide_password=False)
    asyncio.run(_drop(server, name))


async def _drop(server: str, name: str) -> None:
    """Drop a test database; a busy one (autovacuum) is retried for a few seconds."""
    for _ in range(10):
        try:
            await _admin(server, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            return
        except DBAPIError:
            await asyncio.sleep(0.5)
    await _admin(server, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


async def _admin(server: str, statement: str) -> None:
    from sqlalchemy import text

    engine = create_async_engine(server, isolation_level="AUTOCOMMIT")
    try:
        async with engine.connect() as connection:
            await connection.execute(text(statement))
    finally:
        await engine.dispose()


@pytest.fixture
def redis_url(request: pytest.FixtureRequest) -> str:
    """A Redis server's URL (tests use keys of their own), or the test is skipped."""
    url = request.config.getoption("--redis")
    if not url:
        pytest.skip(f"Redis {NO_REDIS}")
    return str(url)


@pytest.fixture
async def server() -> AsyncIterator[FakeTelegram]:
    """The fake Telegram Bot API server on a free loopback port."""
    fake = FakeTelegram()
    await fake.start()
    yield fake
    await fake.stop()


@pytest.fixture(scope="session")
def templates(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """Databases migrated once per run, copied for each test (a migration per test is slow).

    Keys: "sqlite" (a file path), "postgres" (a database name); made on first use."""
    made: dict[str, str] = {"dir": str(tmp_path_factory.mktemp("templates"))}
    yield made
    if "postgres" in made:
        asyncio.run(_drop(made["server"], made["postgres"]))


def _sqlite_from_template(templates: dict[str, str], url: str) -> None:
    if "sqlite" not in templates:
        path = Path(templates["dir"]) / "migrated.sqlite3"
        db.upgrade(f"sqlite+aiosqlite:///{path}")
        templates["sqlite"] = str(path)
    shutil.copyfile(templates["sqlite"], str(make_url(url).database))


def _postgres_from_template(templates: dict[str, str], url: str) -> None:
    parsed = make_url(url)
    server = parsed.set(database="postgres").render_as_string(hide_password=False)
    if "postgres" not in templates:
        name = f"pedpulse_template_{uuid.uuid4().hex[:12]}"
        asyncio.run(_admin(server, f'CREATE DATABASE "{name}"'))
        templates.update(server=server, postgres=name)
        db.upgrade(parsed.set(database=name).render_as_string(hide_password=False))
    asyncio.run(_admin(server, f'DROP DATABASE "{parsed.database}" WITH (FORCE)'))
    template = templates["postgres"]
    asyncio.run(_admin(server, f'CREATE DATABASE "{parsed.database}" TEMPLATE "{template}"'))


@pytest.fixture
def migrated_url(database_url: str, templates: dict[str, str]) -> str:
    """The database at the newest migration (a copy of one migrated at the start)."""
    if make_url(database_url).get_backend_name() == "sqlite":
        _sqlite_from_template(templates, database_url)
    else:
        _postgres_from_template(templates, database_url)
    return database_url


@pytest.fixture
async def sessionmaker(migrated_url: str) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    engine = db.create_engine(migrated_url)
    yield db.create_sessionmaker(engine)
    await engine.dispose()
