"""An instance's health check: the outbox at a glance, or nothing when the database is gone."""

import socket
from datetime import UTC, datetime

from core import db
from core.messaging.backlog import health_report


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])  # free again once closed: nobody listens there


async def test_a_database_out_of_reach_is_reported_not_raised() -> None:
    url = f"postgresql+asyncpg://pedpulse:pedpulse@127.0.0.1:{_closed_port()}/none"
    engine = db.create_engine(url)
    try:
        assert await health_report(db.create_sessionmaker(engine), datetime.now(UTC)) is None
    finally:
        await engine.dispose()


async def test_an_empty_outbox_is_healthy(migrated_url: str) -> None:
    engine = db.create_engine(migrated_url)
    try:
        found = await health_report(db.create_sessionmaker(engine), datetime.now(UTC))
    finally:
        await engine.dispose()
    assert found == {"pending": 0, "sending": 0, "failed": 0, "oldest_pending_seconds": 0}
