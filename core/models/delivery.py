"""The outbox: deliveries, their attachments, broadcasts, and announcements."""

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    ForeignKey,
    Index,
    LargeBinary,
    SmallInteger,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column

from core.models.base import Base


class DeliveryStatus(StrEnum):
    PENDING = "pending"
    SENDING = "sending"  # claimed: the send result is unknown until recorded
    SENT = "sent"
    FAILED = "failed"
    BLOCKED = "blocked"  # the person blocked the bot or the chat is gone


class Attachment(Base):
    """A file sent with notifications: Telegram's file id once known, or the bytes to upload
    (set to NULL once every delivery of it has finished: core.messaging.attachments)."""

    __tablename__ = "attachment"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))  # document | photo
    telegram_file_id: Mapped[str | None] = mapped_column(String(256))
    filename: Mapped[str | None] = mapped_column(String(256))
    data: Mapped[bytes | None] = mapped_column(LargeBinary)


class Broadcast(Base):
    """A group of deliveries whose progress is shown to the person who launched it."""

    __tablename__ = "broadcast"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int | None] = mapped_column(  # who launched it; forgetting them ends it
        ForeignKey("person.id", ondelete="CASCADE"), index=True
    )
    chat_id: Mapped[int] = mapped_column(BigInteger)
    progress_message_id: Mapped[int | None] = mapped_column(BigInteger)
    language: Mapped[str] = mapped_column(String(2))
    total: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime]
    finished_at: Mapped[datetime | None]


class Delivery(Base):
    """Outbox row: every notification is stored here before it is sent.

    A row goes with the person it is for (`person_id`) and with the person it is about
    (`about_id`, e.g. a support request shown to methodists): forgetting either deletes it.
    With `edit_message_id` the row edits that message (its text) instead of sending one; with
    `copy_from_chat_id` and `copy_message_id` it copies that message (a relay keeps no content).
    `bounce` is a notice to queue if the row ends blocked (a relay's sender is told).
    """

    __tablename__ = "delivery"
    __table_args__ = (Index("ix_delivery_due", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(128), unique=True)
    chat_id: Mapped[int] = mapped_column(BigInteger, index=True)
    person_id: Mapped[int | None] = mapped_column(
        ForeignKey("person.id", ondelete="CASCADE"), index=True
    )
    about_id: Mapped[int | None] = mapped_column(
        ForeignKey("person.id", ondelete="CASCADE"), index=True
    )
    edit_message_id: Mapped[int | None] = mapped_column(BigInteger)
    copy_from_chat_id: Mapped[int | None] = mapped_column(BigInteger)
    copy_message_id: Mapped[int | None] = mapped_column(BigInteger)
    bounce: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    text: Mapped[str | None] = mapped_column(Text)
    markup: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    attachment_id: Mapped[int | None] = mapped_column(  # indexed: which rows use a file
        ForeignKey("attachment.id", ondelete="SET NULL"), index=True
    )
    broadcast_id: Mapped[int | None] = mapped_column(
        ForeignKey("broadcast.id", ondelete="SET NULL"), index=True
    )
    priority: Mapped[int] = mapped_column(SmallInteger, default=5)
    status: Mapped[str] = mapped_column(String(16), default=DeliveryStatus.PENDING)
    attempts: Mapped[int] = mapped_column(default=0)
    claimed_by: Mapped[int | None] = mapped_column(BigInteger)  # the sender sending it
    next_attempt_at: Mapped[datetime]
    last_error: Mapped[str | None] = mapped_column(String(300))
    sent_at: Mapped[datetime | None]
    telegram_message_id: Mapped[int | None] = mapped_column(BigInteger)
    created_at: Mapped[datetime]


class Announcement(Base):
    """A methodist's announcement: a draft until launched, then a broadcast through the outbox."""

    __tablename__ = "announcement"

    id: Mapped[int] = mapped_column(primary_key=True)
    author_id: Mapped[int | None] = mapped_column(
        ForeignKey("person.id", ondelete="SET NULL"), index=True
    )
    municipality_id: Mapped[int] = mapped_column(
        ForeignKey("municipality.id", ondelete="CASCADE"), index=True
    )
    text: Mapped[str | None] = mapped_column(Text)
    attachment_id: Mapped[int | None] = mapped_column(
        ForeignKey("attachment.id", ondelete="SET NULL")
    )
    audience: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    broadcast_id: Mapped[int | None] = mapped_column(
        ForeignKey("broadcast.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime]
    sent_at: Mapped[datetime | None]
