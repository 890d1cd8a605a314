"""The outbox: idempotent enqueueing, claiming, results, and recovery after a crash."""

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import event, func, select, text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from core.messaging import presence
from core.messaging.outbox import Notice, Result, claim, enqueue, record
from core.messaging.presence import Presence
from core.models import Delivery, DeliveryStatus, Municipality, Person

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


async def _statuses(session: AsyncSession) -> dict[str, int]:
    rows = await session.execute(select(Delivery.status, func.count()).group_by(Delivery.status))
    return dict(rows.all())


async def test_five_thousand_rows_in_one_go_and_the_same_key_twice_adds_nothing(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    notices = [Notice(f"ann:1:{chat}", chat, f"text {chat}") for chat in range(1, 5001)]
    async with sessionmaker() as session:
        assert await enqueue(session, notices, NOW) == 5000
        assert await enqueue(session, notices[:10] + [Notice("ann:2:1", 1, "x")], NOW) == 1
        await session.commit()
        assert await _statuses(session) == {DeliveryStatus.PENDING: 5001}


async def test_claim_takes_due_rows_most_urgent_first(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    async with sessionmaker() as session:
        await enqueue(session, [Notice(f"a{i}", i, "announcement") for i in range(5)], NOW)
        await session.commit()
        await enqueue(session, [Notice("r1", 99, "reminder", priority=1)], NOW)
        await session.commit()
        await enqueue(session, [Notice("later", 98, "later")], NOW + timedelta(hours=1))
        await session.commit()
        claimed = await claim(session, NOW, 3)
        assert [row.chat_id for row in claimed] == [99, 0, 1]
        assert all(row.attempts == 1 for row in claimed)
        assert len(await claim(session, NOW, 10)) == 3  # the rest that is due, not "later"
        assert await claim(session, NOW, 10) == []


async def test_results_and_a_blocked_chat(sessionmaker: async_sessionmaker[AsyncSession]) -> None:
    async with sessionmaker() as session:
        town = Municipality(name="Город", timezone="Europe/Moscow")
        session.add(town)
        await session.flush()
        session.add(Person(telegram_id=7, municipality_id=town.id, language="ru", consent_at=NOW))
        await session.commit()
        await enqueue(session, [Notice("a", 7, "one"), Notice("b", 8, "two")], NOW)
        await session.commit()
        await enqueue(session, [Notice("c", 7, "three")], NOW + timedelta(minutes=5))
        await session.commit()
        first, second = await claim(session, NOW, 10)
        await record(
            session,
            [
                Result(first.id, 7, DeliveryStatus.BLOCKED, error="Forbidden: bot was blocked"),
                Result(second.id, 8, DeliveryStatus.SENT, message_id=55),
            ],
            NOW,
        )
        person = await session.scalar(select(Person).where(Person.telegram_id == 7))
        assert person is not None and person.active is False
        assert await _statuses(session) == {DeliveryStatus.BLOCKED: 2, DeliveryStatus.SENT: 1}
        sent = await session.scalar(select(Delivery).where(Delivery.key == "b"))
        assert sent is not None and sent.telegram_message_id == 55 and sent.sent_at is not None


async def test_a_starting_sender_takes_back_the_rows_of_senders_that_are_gone(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    engine = sessionmaker.kw["bind"]
    async with sessionmaker() as session:
        await enqueue(session, [Notice(f"k{i}", i, "x") for i in range(6)], NOW)
        await session.commit()
    async with Presence(engine) as gone, sessionmaker() as session:
        await claim(session, NOW, 2, gone.id)  # ... and that process dies here
    async with Presence(engine) as live, Presence(engine) as starting, sessionmaker() as session:
        await claim(session, NOW, 2, live.id)  # another instance is sending these
        recovered = await starting.recover(session, NOW)
        due = await claim(session, NOW, 10, starting.id)
    if live.elected:  # PostgreSQL: only the rows of the sender that is gone
        assert (recovered, len(due)) == (2, 4)
    else:  # SQLite: one process sends, so every row left in flight was left by a stop
        assert (recovered, len(due)) == (4, 6)


async def test_a_batch_is_recorded_with_one_update_whatever_its_size(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    statements: list[str] = []

    def note(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        statements.append(statement)

    async with sessionmaker() as session:
        await enqueue(session, [Notice(f"k{i}", i, "x") for i in range(30)], NOW)
        await session.commit()
        rows = await claim(session, NOW, 30)
        later = NOW + timedelta(seconds=7)
        results = [
            Result(r.id, r.chat_id, DeliveryStatus.SENT, message_id=r.id) for r in rows[:20]
        ]
        results += [
            Result(r.id, r.chat_id, DeliveryStatus.PENDING, None, "429", later, counts=False)
            for r in rows[20:25]
        ]
        results += [Result(r.id, r.chat_id, DeliveryStatus.FAILED, error="bad") for r in rows[25:]]
        engine = session.get_bind()
        event.listen(engine, "before_cursor_execute", note)
        try:
            await record(session, results, NOW)
        finally:
            event.remove(engine, "before_cursor_execute", note)
        assert len([s for s in statements if s.lstrip().upper().startswith("UPDATE")]) == 1
        assert await _statuses(session) == {
            DeliveryStatus.SENT: 20,
            DeliveryStatus.PENDING: 5,
            DeliveryStatus.FAILED: 5,
        }
        waiting = (await session.scalars(select(Delivery).where(Delivery.key == "k20"))).one()
        assert waiting.attempts == 0 and waiting.last_error == "429"
        assert waiting.next_attempt_at.replace(tzinfo=UTC) == later
        sent = (await session.scalars(select(Delivery).where(Delivery.key == "k3"))).one()
        assert sent.telegram_message_id == sent.id and sent.attempts == 1


@pytest.mark.parametrize(
    "database_url", [pytest.param("postgres", marks=pytest.mark.postgres)], indirect=True
)
async def test_a_sender_whose_lock_connection_broke_stops_claiming(
    sessionmaker: async_sessionmaker[AsyncSession], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another instance starting now could take back its rows: it must start again."""
    monkeypatch.setattr(presence, "CHECK_SECONDS", 0.0)
    async with Presence(sessionmaker.kw["bind"]) as mine:
        await mine.check()  # holds
        async with sessionmaker() as session:  # the server ends the lock's session
            await session.execute(
                text(
                    "SELECT pg_terminate_backend(pid) FROM pg_locks"
                    " WHERE locktype = 'advisory' AND classid = :space AND objid = :id"
                ),
                {"space": presence.NAMESPACE, "id": mine.id},
            )
            await session.commit()
        with pytest.raises(presence.PresenceLost):
            await mine.check()


@pytest.mark.parametrize(
    "database_url", [pytest.param("postgres", marks=pytest.mark.postgres)], indirect=True
)
async def test_a_claim_skips_rows_another_sender_holds_and_takes_no_more_than_asked(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    """Several senders on one PostgreSQL outbox: rows another transaction holds are passed
    over, not waited for and not taken twice; the batch is the size asked for."""
    async with sessionmaker() as session:
        await enqueue(session, [Notice(f"k{i}", i, "x") for i in range(1, 51)], NOW)
        await session.commit()
    async with sessionmaker() as other, sessionmaker() as session:
        held = await other.scalars(
            select(Delivery.chat_id).order_by(Delivery.id).limit(10).with_for_update()
        )
        assert list(held) == list(range(1, 11))  # locked until `other` ends
        claimed = await asyncio.wait_for(claim(session, NOW, 20), 10)  # never waits
        assert [row.chat_id for row in claimed] == list(range(11, 31))
        await other.rollback()
        assert [row.chat_id for row in await claim(session, NOW, 25)] == [
            *range(1, 11),
            *range(31, 46),
        ]
        assert await _statuses(session) == {DeliveryStatus.SENDING: 45, DeliveryStatus.PENDING: 5}
