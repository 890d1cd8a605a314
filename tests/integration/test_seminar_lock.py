"""A sign-up holds the seminar's lock (on SQLite, the database's write lock) only until its
service returns: refused or changing nothing, it must not keep it while the bot talks to
Telegram, or every other writer waits."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import text, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from core.db import SQLITE_BUSY_TIMEOUT_MS
from core.errors import InvalidInput, PedPulseError, StaleAction
from core.models import Municipality, Person, Seminar, SeminarStatus
from core.seminars.listing import register
from core.seminars.waitlist import unregister
from core.texts import load_catalogues

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
Maker = async_sessionmaker[AsyncSession]


async def _scene(maker: Maker) -> tuple[int, int, int]:
    """A teacher, a seminar tomorrow and one that has started: their ids."""
    async with maker() as session:
        town = Municipality(name="Город", timezone="Europe/Moscow")
        session.add(town)
        await session.flush()
        person = Person(telegram_id=1, municipality_id=town.id, language="ru", consent_at=NOW,
                        registered_at=NOW, started_year=2020)  # fmt: skip
        seminars = [
            Seminar(
                municipality_id=town.id,
                title=title,
                starts_at=NOW + shift,
                capacity=5,
                audience={"kind": "all", "ids": []},
                status=SeminarStatus.PUBLISHED,
                created_at=NOW,
                published_at=NOW,
            )  # fmt: skip
            for title, shift in (("Завтра", timedelta(days=1)), ("Идёт", -timedelta(minutes=5)))
        ]
        session.add_all([person, *seminars])
        await session.commit()
        return person.id, seminars[0].id, seminars[1].id


async def _others_can_write(maker: Maker, seminar_id: int) -> None:
    """Another session writes the seminar's row at once (waiting at most 0.2 s for a lock)."""
    async with maker() as other:
        sqlite = other.get_bind().dialect.name == "sqlite"
        driver = (await (await other.connection()).get_raw_connection()).driver_connection
        if sqlite:  # the connection waits for SQLite's locks, not SQLite (core.sqlite_gate)
            driver.busy_timeout = 0.2  # type: ignore[union-attr]
        else:
            await other.execute(text("SET LOCAL lock_timeout = '200ms'"))
        try:
            await other.execute(
                update(Seminar).where(Seminar.id == seminar_id).values(capacity=Seminar.capacity)
            )
            await other.commit()
        finally:
            if sqlite:  # the pooled connection keeps it
                driver.busy_timeout = SQLITE_BUSY_TIMEOUT_MS / 1000  # type: ignore[union-attr]


@pytest.mark.parametrize("case", ["twice", "started", "not_signed_up", "forged"])
async def test_a_sign_up_that_changes_nothing_holds_no_lock(
    sessionmaker: Maker, case: str
) -> None:
    person, tomorrow, started = await _scene(sessionmaker)
    async with sessionmaker() as session:
        if case == "twice":
            await register(session, person, tomorrow, NOW)
            await register(session, person, tomorrow, NOW)  # already signed up: nothing to do
        else:
            expected: type[PedPulseError] = InvalidInput if case == "started" else StaleAction
            with pytest.raises(expected):
                if case == "not_signed_up":
                    await unregister(session, person, tomorrow, NOW, load_catalogues())
                else:
                    await register(session, person, started if case == "started" else 10**6, NOW)
        await _others_can_write(sessionmaker, tomorrow)  # while this session is still open
