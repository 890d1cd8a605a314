"""The outbox: notifications become rows first; the sender claims due rows and records results."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Integer, Row, bindparam, select, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from core.db import insert
from core.models import Attachment, Delivery, DeliveryStatus, Person

INSERT_CHUNK = 1000  # rows per INSERT statement (SQLite allows 32766 bound parameters)
LEASE = timedelta(minutes=5)  # a claimed row not recorded by then is due again (stop, crash)


@dataclass(frozen=True)
class Notice:
    """One notification to one chat. `key` makes enqueueing idempotent."""

    key: str
    chat_id: int
    text: str | None = None
    markup: dict[str, Any] | None = None
    person_id: int | None = None  # whom it is for
    attachment_id: int | None = None
    priority: int = 5  # lower goes first: 1 reminders and replies, 5 announcements
    about_id: int | None = None  # whom it tells about (forgetting them deletes it too)
    edit_message_id: int | None = None  # edit this message of the chat instead of sending
    copy_of: tuple[int, int] | None = None  # copy this (chat, message) instead: no content kept
    bounce: "Bounce | None" = None  # queued for someone else if this chat blocked the bot


@dataclass(frozen=True)
class Bounce:
    """Who is told, and how, when a notice cannot reach its chat (a relay's sender)."""

    chat_id: int
    text: str
    person_id: int | None = None  # whom it is for
    about_id: int | None = None  # whom it names (forgetting them deletes it too)


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
    edit_message_id: int | None = None
    copy_of: tuple[int, int] | None = None


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
    """Insert the rows (the caller commits, with whatever they belong to); keys already
    present are skipped. Returns how many rows are new."""
    rows = [
        {
            "key": n.key,
            "chat_id": n.chat_id,
            "person_id": n.person_id,
            "about_id": n.about_id,
            "edit_message_id": n.edit_message_id,
            "copy_from_chat_id": n.copy_of[0] if n.copy_of else None,
            "copy_message_id": n.copy_of[1] if n.copy_of else None,
            "bounce": vars(n.bounce) if n.bounce else None,
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
    created = 0
    for start in range(0, len(rows), INSERT_CHUNK):
        statement = insert(session, Delivery).on_conflict_do_nothing(index_elements=["key"])
        inserted = await session.scalars(
            statement.returning(Delivery.id), rows[start : start + INSERT_CHUNK]
        )
        created += len(inserted.all())
    return created


async def claim(
    session: AsyncSession, now: datetime, limit: int, owner: int | None = None
) -> list[Outgoing]:
    """Mark up to `limit` due rows as being sent by `owner` (core.messaging.presence), and
    return them (most urgent first).

    One UPDATE ... RETURNING marks and reads the rows (no ORM objects: the sender's share of
    the CPU is mostly this and `record`). On PostgreSQL the due rows are locked with SKIP
    LOCKED, so several senders never claim one row; SQLite has one sender.
    A claim is a lease: a row still "sending" after LEASE is taken back by `requeue_expired`.
    """
    due = (
        select(Delivery.id)
        .where(Delivery.status == DeliveryStatus.PENDING, Delivery.next_attempt_at <= now)
        .order_by(Delivery.priority, Delivery.id)
        .limit(limit)
        .with_for_update(skip_locked=True)  # a locking CTE runs once (never inlined)
        .cte("due")
    )
    marked = (
        update(Delivery)
        .where(Delivery.id.in_(select(due.c.id)))
        .values(
            status=DeliveryStatus.SENDING,
            attempts=Delivery.attempts + 1,
            next_attempt_at=now + LEASE,
            claimed_by=owner,
        )
        .returning(*_CLAIMED)
    )
    connection = await session.connection()
    rows = sorted((await connection.execute(marked)).all(), key=lambda r: (r.priority, r.id))
    files = await _attachments(connection, {r.attachment_id for r in rows} - {None})
    await session.commit()
    return [_outgoing(row, files.get(row.attachment_id)) for row in rows]


_CLAIMED = (
    Delivery.id,
    Delivery.chat_id,
    Delivery.text,
    Delivery.markup,
    Delivery.attachment_id,
    Delivery.broadcast_id,
    Delivery.attempts,
    Delivery.edit_message_id,
    Delivery.copy_from_chat_id,
    Delivery.copy_message_id,
    Delivery.priority,
)


async def _attachments(connection: AsyncConnection, ids: set[int]) -> dict[int, AttachmentRef]:
    """The files of a batch, each read once however many rows send it."""
    if not ids:
        return {}
    found = await connection.execute(
        select(
            Attachment.id,
            Attachment.kind,
            Attachment.telegram_file_id,
            Attachment.filename,
            Attachment.data,
        ).where(Attachment.id.in_(ids))
    )
    return {row.id: AttachmentRef(*row) for row in found}


def _outgoing(row: Row[Any], attachment: AttachmentRef | None) -> Outgoing:
    copy_of = None
    if row.copy_from_chat_id is not None and row.copy_message_id is not None:
        copy_of = (row.copy_from_chat_id, row.copy_message_id)
    return Outgoing(
        row.id,
        row.chat_id,
        row.text,
        row.markup,
        attachment,
        row.broadcast_id,
        row.attempts,
        row.edit_message_id,
        copy_of,
    )


async def requeue_expired(session: AsyncSession, now: datetime) -> int:
    """Rows whose claim lease ran out (their batch died before recording) are due again."""
    result = await session.execute(
        update(Delivery)
        .where(Delivery.status == DeliveryStatus.SENDING, Delivery.next_attempt_at <= now)
        .values(status=DeliveryStatus.PENDING, next_attempt_at=now)
    )
    await session.commit()
    return int(result.rowcount)  # type: ignore[attr-defined]  # CursorResult of an UPDATE


async def release(session: AsyncSession, ids: Sequence[int], now: datetime) -> None:
    """Give claimed rows back unrecorded (their batch failed): due again at once."""
    await session.execute(
        update(Delivery)
        .where(Delivery.id.in_(ids), Delivery.status == DeliveryStatus.SENDING)
        .values(status=DeliveryStatus.PENDING, next_attempt_at=now)
    )
    await session.commit()


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
    """Store the results of a batch: one UPDATE executed for all rows (executemany), not a
    statement per row; a blocked chat's person turns inactive, its rows stop."""
    if results:
        connection = await session.connection()
        await connection.execute(_RECORD, [_recorded(result, now) for result in results])
    for attachment_id, file_id in {r.file_id for r in results if r.file_id is not None}:
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
        await _bounce(session, blocked, now)
    await session.commit()


# one row's result; a 429 gives its attempt back (`counts`), the others keep it
_RECORD = (
    update(Delivery)
    .where(Delivery.id == bindparam("row_id", type_=Delivery.id.type))
    .values(
        status=bindparam("new_status", type_=Delivery.status.type),
        last_error=bindparam("error", type_=Delivery.last_error.type),
        sent_at=bindparam("sent", type_=Delivery.sent_at.type),
        telegram_message_id=bindparam("message", type_=Delivery.telegram_message_id.type),
        next_attempt_at=bindparam("due", type_=Delivery.next_attempt_at.type),
        attempts=Delivery.attempts - bindparam("undo", type_=Integer()),
    )
)


def _recorded(result: Result, now: datetime) -> dict[str, Any]:
    sent = result.status == DeliveryStatus.SENT
    return {
        "row_id": result.id,
        "new_status": result.status,
        "error": result.error,
        "sent": now if sent else None,
        "message": result.message_id if sent else None,
        "due": result.retry_at or now,
        "undo": 0 if result.counts else 1,
    }


async def _bounce(session: AsyncSession, chats: set[int], now: datetime) -> None:
    """Tell whom blocked rows were bouncing to (once: the key is the row's)."""
    rows = await session.execute(
        select(Delivery.id, Delivery.bounce).where(
            Delivery.chat_id.in_(chats),
            Delivery.status == DeliveryStatus.BLOCKED,
            Delivery.bounce.is_not(None),
        )
    )
    notices = [Notice(f"bounce:{row.id}", **row.bounce, priority=1) for row in rows if row.bounce]
    if notices:
        await enqueue(session, notices, now)


def backoff(attempts: int, first: float = 2.0, cap: float = 300.0) -> timedelta:
    """Wait before retry number `attempts` (1-based): `first`, then doubling, at most `cap`."""
    return timedelta(seconds=min(cap, first * 2 ** (attempts - 1)))
