"""Seminars and registrations."""

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    ForeignKey,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from core.models.base import Base


class SeminarStatus(StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"
    CANCELLED = "cancelled"


class RegistrationStatus(StrEnum):
    REGISTERED = "registered"
    WAITLIST = "waitlist"
    CANCELLED = "cancelled"


class Seminar(Base):
    """A seminar, webinar or master class: the content of personal development routes."""

    __tablename__ = "seminar"

    id: Mapped[int] = mapped_column(primary_key=True)
    municipality_id: Mapped[int] = mapped_column(
        ForeignKey("municipality.id", ondelete="CASCADE"), index=True
    )
    organiser_id: Mapped[int | None] = mapped_column(
        ForeignKey("person.id", ondelete="SET NULL"), index=True
    )
    title: Mapped[str | None] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text)
    starts_at: Mapped[datetime | None] = mapped_column(index=True)
    duration_minutes: Mapped[int] = mapped_column(default=90)
    format: Mapped[str] = mapped_column(String(16), default="in_person")
    place: Mapped[str | None] = mapped_column(String(300))
    link: Mapped[str | None] = mapped_column(String(500))
    capacity: Mapped[int | None]
    tags: Mapped[list[str]] = mapped_column(JSON, default=list)
    audience: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(16), default=SeminarStatus.DRAFT, index=True)
    checkin_code: Mapped[str | None] = mapped_column(String(8))
    created_at: Mapped[datetime]
    published_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]


class Registration(Base):
    """A person's place at a seminar; the waiting list is ordered by `created_at`."""

    __tablename__ = "registration"
    __table_args__ = (UniqueConstraint("seminar_id", "person_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    seminar_id: Mapped[int] = mapped_column(
        ForeignKey("seminar.id", ondelete="CASCADE"), index=True
    )
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(16))
    attended: Mapped[bool] = mapped_column(default=False)
    checkin_failures: Mapped[int] = mapped_column(default=0)  # wrong check-in codes sent
    card_message_id: Mapped[int | None] = mapped_column(BigInteger)  # the card they pressed
    feedback_due: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime]
