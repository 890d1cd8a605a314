"""Before an update waits on Telegram, its transaction ends only if it read and nothing else:
whichever way a service wrote, what it has not committed yet is never committed for it."""

import asyncio
from collections.abc import Awaitable, Callable

import pytest
from sqlalchemy import func, insert, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from core.models import Municipality
from core.reads import end_reads, serving

Write = Callable[[AsyncSession], Awaitable[object]]
MOSCOW = "Europe/Moscow"


async def _orm_statement(session: AsyncSession) -> None:
    await session.execute(insert(Municipality).values(name="Новый", timezone=MOSCOW))


async def _text_on_the_connection(session: AsyncSession) -> None:
    connection = await session.connection()
    await connection.execute(
        text("INSERT INTO municipality (name, timezone) VALUES ('Новый', :zone)"),
        {"zone": MOSCOW},
    )


async def _flushed_object(session: AsyncSession) -> None:
    session.add(Municipality(name="Новый", timezone=MOSCOW))
    await session.flush()


async def _object_not_flushed(session: AsyncSession) -> None:
    session.add(Municipality(name="Новый", timezone=MOSCOW))


WRITES = [_orm_statement, _text_on_the_connection, _flushed_object, _object_not_flushed]


async def _names(sessionmaker: async_sessionmaker[AsyncSession]) -> list[str]:
    async with sessionmaker() as session:
        return list(await session.scalars(select(Municipality.name).order_by(Municipality.name)))


@pytest.mark.parametrize("write", WRITES, ids=lambda w: w.__name__)
async def test_a_write_is_left_to_its_service(
    sessionmaker: async_sessionmaker[AsyncSession], write: Write
) -> None:
    async with sessionmaker() as session:
        with serving(session):
            await session.scalar(select(func.count()).select_from(Municipality))
            await write(session)
            await end_reads()
            assert session.in_transaction(), "a transaction that wrote was ended for it"
    assert await _names(sessionmaker) == []  # closed without a commit: rolled back


async def test_a_write_inside_a_savepoint_is_left_to_its_service(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    """Only whether the transaction stays open: on SQLite a savepoint opened before any write
    is the driver's outermost transaction, and its release commits (pysqlite's own rule)."""
    async with sessionmaker() as session:
        with serving(session):
            await session.scalar(select(func.count()).select_from(Municipality))
            async with session.begin_nested():
                await session.execute(update(Municipality).values(timezone=MOSCOW))
            await end_reads()
            assert session.in_transaction()


async def test_a_read_after_an_ended_read_starts_clean(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    """The mark of a write belongs to one transaction: the one after it, reading only on the
    same pooled connection, ends again."""
    async with sessionmaker() as session:
        with serving(session):
            await _text_on_the_connection(session)
            await session.commit()
            await session.scalar(select(func.count()).select_from(Municipality))
            await end_reads()
            assert not session.in_transaction()
            await session.execute(update(Municipality).values(timezone="Asia/Vladivostok"))
            await end_reads()
            assert session.in_transaction()
    async with sessionmaker() as session:
        assert await session.scalar(select(Municipality.timezone)) == MOSCOW


async def test_only_the_updates_own_task_ends_its_reads(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    """A task the update started (a file built in the background) must not end a transaction
    the update's own code is in the middle of."""
    async with sessionmaker() as session:
        with serving(session):
            await session.scalar(select(func.count()).select_from(Municipality))
            await asyncio.create_task(end_reads())
            assert session.in_transaction()
            await end_reads()
            assert not session.in_transaction()
