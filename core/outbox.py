"""The outbox: notifications become rows first; the sender claims due rows and records results."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from core.models import Attachment, Broadcast, Delivery, DeliveryStatus, Person
from core.timeutil import as_utc

INSERT_CHUNK = 1000  # rows per INSERT statement (SQLite allows 32766 bound parameters)


@dataclass(frozen=True)
class Notice:
    """One notification to one chat. `key` makes enqueueing idempotent."""

    key: str
    chat_id: int
    text: str | None = None
    markup: dict[str, Any] | None = None
    person_id: int | None = None
    attachment_id: int | None = None
    priority: int = 5  # lower goes first: 1 reminders and replies, 5 announcements


@dataclass(frozen=True)
class Outgoing:
    """A claimed row, as the transport needs it."""

    id: int
    chat_id: int
    text: str | None
    markup: dict[str, Any] | None
    attachment: "AttachmentRef | None"
    broadcast_id: int | None
    attempts: int


@dataclass(frozen=True)
class AttachmentRef:
    id: int
    kind: str
    file_id: str | None
    filename: str | None
    data: bytes | None


async def enqueue(
    session: AsyncSession,
    notices: Sequence[Notice],
    now: datetime,
    broadcast_id: int | None = None,
) -> int:
    """Insert the rows in one transaction; keys already present are skipped. Returns new rows."""
    rows = [
        {
            "key": n.key,
            "chat_id": n.chat_id,
            "person_id": n.person_id,
            "text": n.text,
            "markup": n.markup,
            "attachment_id": n.attachment_id,
            "broadcast_id": broadcast_id,
            "priority": n.priority,
            "status": DeliveryStatus.PENDING,
            "attempts": 0,
            "next_attempt_at": now,
            "created_at": now,
        }
        for n in notices
    ]
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    created = 0
    for start in range(0, len(rows), INSERT_CHUNK):
        statement = dialect.insert(Delivery).on_conflict_do_nothing(index_elements=["key"])
        inserted = await session.scalars(
            statement.returning(Delivery.id), rows[start : start + INSERT_CHUNK]
        )
        created += len(inserted.all())
    await session.commit()
    return created


async def new_broadcast(
    session: AsyncSession, chat_id: int, language: str, total: int, now: datetime
) -> int:
    """A progress record for a launch; the caller enqueues its rows with the returned id."""
    broadcast = Broadcast(chat_id=chat_id, language=language, total=total, created_at=now)
    session.add(broadcast)
    await session.flush()
    return broadcast.id


@dataclass(frozen=True)
class Launch:
    """A broadcast just queued: its id (None when nobody was in the audience) and size."""

    broadcast_id: int | None
    total: int


async def set_progress_message(session: AsyncSession, broadcast_id: int, message_id: int) -> None:
    """Remember the message the sender edits with "sent N of M"."""
    await session.execute(
        update(Broadcast)
        .where(Broadcast.id == broadcast_id)
        .values(progress_message_id=message_id)
    )
    await session.commit()


async def claim(session: AsyncSession, now: datetime, limit: int) -> list[Outgoing]:
    """Mark up to `limit` due rows as being sent, and return them (most urgent first)."""
    query = (
        select(Delivery, Attachment)
        .outerjoin(Attachment, Attachment.id == Delivery.attachment_id)
        .where(Delivery.status == DeliveryStatus.PENDING, Delivery.next_attempt_at <= now)
        .order_by(Delivery.priority, Delivery.id)
        .limit(limit)
        .with_for_update(skip_locked=True, of=Delivery)  # nothing on SQLite: one sender there
    )
    claimed = []
    for row, attachment in await session.execute(query):
        row.status = DeliveryStatus.SENDING
        row.attempts += 1
        claimed.append(_outgoing(row, attachment))
    await session.commit()
    return claimed


def _outgoing(row: Delivery, attachment: Attachment | None) -> Outgoing:
    ref = None
    if attachment is not None:
        ref = AttachmentRef(
            attachment.id,
            attachment.kind,
            attachment.telegram_file_id,
            attachment.filename,
            attachment.data,
        )
    return Outgoing(row.id, row.chat_id, row.text, row.markup, ref, row.broadcast_id, row.attempts)


async def recover_in_flight(session: AsyncSession, now: datetime) -> int:
    """After a crash: rows left "sending" have an unknown result and are sent again."""
    result = await session.execute(
        update(Delivery)
        .where(Delivery.status == DeliveryStatus.SENDING)
        .values(status=DeliveryStatus.PENDING, next_attempt_at=now)
    )
    await session.commit()
    return int(result.rowcount)  # type: ignore[attr-defined]  # CursorResult of an UPDATE


@dataclass(frozen=True)
class Result:
    """What happened to one claimed row."""

    id: int
    chat_id: int
    status: DeliveryStatus
    message_id: int | None = None
    error: str | None = None
    retry_at: datetime | None = None
    file_id: tuple[int, str] | None = None  # (attachment id, Telegram file id) learned on upload
    counts: bool = True  # False for a 429: waiting for Telegram is not a failed attempt


async def record(session: AsyncSession, results: Sequence[Result], now: datetime) -> None:
    """Store the results of a batch; a blocked chat's person turns inactive, its rows stop."""
    for result in results:
        values: dict[str, Any] = {"status": result.status, "last_error": result.error}
        if result.status == DeliveryStatus.SENT:
            values |= {"sent_at": now, "telegram_message_id": result.message_id}
        elif result.status == DeliveryStatus.PENDING:
            values["next_attempt_at"] = result.retry_at or now
        if not result.counts:
            values["attempts"] = Delivery.attempts - 1
        await session.execute(update(Delivery).where(Delivery.id == result.id).values(**values))
        if result.file_id is not None:
            attachment_id, file_id = result.file_id
            await session.execute(
                update(Attachment)
                .where(Attachment.id == attachment_id)
                .values(telegram_file_id=file_id)
            )
    blocked = {r.chat_id for r in results if r.status == DeliveryStatus.BLOCKED}
    if blocked:
        await session.execute(
            update(Person).where(Person.telegram_id.in_(blocked)).values(active=False)
        )
        await session.execute(
            update(Delivery)
            .where(Delivery.chat_id.in_(blocked), Delivery.status == DeliveryStatus.PENDING)
            .values(status=DeliveryStatus.BLOCKED, last_error="chat blocked the bot")
        )
    await session.commit()


def backoff(attempts: int, base: float = 2.0, cap: float = 300.0) -> timedelta:
    """Wait before retry number `attempts` (1-based): 2, 4, 8 … seconds, at most `cap`."""
    return timedelta(seconds=min(cap, base**attempts))


@dataclass(frozen=True)
class Progress:
    broadcast_id: int
    chat_id: int
    message_id: int | None
    language: str
    total: int
    sent: int
    failed: int
    blocked: int

    @property
    def done(self) -> bool:
        return self.sent + self.failed + self.blocked >= self.total


async def progress(session: AsyncSession, broadcast_ids: Sequence[int]) -> list[Progress]:
    """Counts per status for each broadcast."""
    counts = await session.execute(
        select(Delivery.broadcast_id, Delivery.status, func.count())
        .where(Delivery.broadcast_id.in_(broadcast_ids))
        .group_by(Delivery.broadcast_id, Delivery.status)
    )
    by: dict[int, dict[str, int]] = {}
    for broadcast_id, status, count in counts:
        if broadcast_id is not None:
            by.setdefault(broadcast_id, {})[status] = count
    found = await session.scalars(select(Broadcast).where(Broadcast.id.in_(broadcast_ids)))
    return [
        Progress(
            b.id,
            b.chat_id,
            b.progress_message_id,
            b.language,
            b.total,
            by.get(b.id, {}).get(DeliveryStatus.SENT, 0),
            by.get(b.id, {}).get(DeliveryStatus.FAILED, 0),
            by.get(b.id, {}).get(DeliveryStatus.BLOCKED, 0),
        )
        for b in found
    ]


async def finish_broadcast(session: AsyncSession, broadcast_id: int, now: datetime) -> None:
    await session.execute(
        update(Broadcast).where(Broadcast.id == broadcast_id).values(finished_at=now)
    )
    await session.commit()


async def next_due(session: AsyncSession) -> datetime | None:
    """When the earliest pending row becomes due (None: nothing pending)."""
    earliest = await session.scalar(
        select(func.min(Delivery.next_attempt_at)).where(Delivery.status == DeliveryStatus.PENDING)
    )
    return as_utc(earliest) if earliest else None
