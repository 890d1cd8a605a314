"""Questionnaire responses and answers, completions, and support requests."""

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    JSON,
    ForeignKey,
    String,
    UniqueConstraint,
    Uuid,
)
from sqlalchemy.orm import Mapped, mapped_column

from core.models.base import Base


class ResponseStatus(StrEnum):
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"


class Response(Base):
    """One person's pass through an instrument; saved after every answer.

    An anonymous response stays linked to its person while in progress (to resume) and after
    completion until it is released: moved, in a shuffled batch of at least MIN_GROUP_SIZE,
    into AnonymousResponse with no link to anyone (core.questionnaires.anonymity).
    """

    __tablename__ = "response"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int | None] = mapped_column(
        ForeignKey("person.id", ondelete="CASCADE"), index=True
    )
    instrument: Mapped[str] = mapped_column(String(64), index=True)
    version: Mapped[int]
    anonymous: Mapped[bool] = mapped_column(default=False)
    status: Mapped[str] = mapped_column(String(16), default=ResponseStatus.IN_PROGRESS)
    seminar_id: Mapped[int | None] = mapped_column(
        ForeignKey("seminar.id", ondelete="SET NULL"), index=True
    )
    campaign_id: Mapped[int | None] = mapped_column(
        ForeignKey("campaign.id", ondelete="SET NULL"), index=True
    )
    started_at: Mapped[datetime]
    completed_at: Mapped[datetime | None]
    scores: Mapped[dict[str, Any] | None] = mapped_column(JSON)


class Answer(Base):
    """One answer; unique per response and item, so a repeated update cannot add a second."""

    __tablename__ = "answer"
    __table_args__ = (UniqueConstraint("response_id", "item_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(
        ForeignKey("response.id", ondelete="CASCADE"), index=True
    )
    item_id: Mapped[str] = mapped_column(String(64))
    value: Mapped[Any] = mapped_column(JSON)  # a code, a number, text, or null for skipped
    position: Mapped[int]


class AnonymousResponse(Base):
    """Released anonymous answers: a random id, no person, no time but the release day, and
    demographics only where at least MIN_GROUP_SIZE released with it share them.

    WITHOUT ROWID: SQLite keeps no hidden insertion order either.
    """

    __tablename__ = "anonymous_response"
    __table_args__ = {"sqlite_with_rowid": False}

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    instrument: Mapped[str] = mapped_column(String(64), index=True)
    version: Mapped[int]
    municipality_id: Mapped[int] = mapped_column(
        ForeignKey("municipality.id", ondelete="CASCADE"), index=True
    )
    campaign_id: Mapped[int | None] = mapped_column(
        ForeignKey("campaign.id", ondelete="SET NULL"), index=True
    )
    seminar_id: Mapped[int | None] = mapped_column(
        ForeignKey("seminar.id", ondelete="SET NULL"), index=True
    )
    school_id: Mapped[int | None] = mapped_column(ForeignKey("school.id", ondelete="SET NULL"))
    subject_ids: Mapped[list[int]] = mapped_column(JSON, default=list)
    young: Mapped[bool | None]  # None: not kept (too few shared it)
    released_on: Mapped[datetime]
    scores: Mapped[dict[str, Any] | None] = mapped_column(JSON)


class AnonymousAnswer(Base):
    """One released anonymous answer: no id of its own and no position (no order)."""

    __tablename__ = "anonymous_answer"
    __table_args__ = {"sqlite_with_rowid": False}

    response_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("anonymous_response.id", ondelete="CASCADE"), primary_key=True
    )
    item_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[Any] = mapped_column(JSON)


class Completion(Base):
    """That a person completed an anonymous instrument, kept apart from their answers."""

    __tablename__ = "completion"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    instrument: Mapped[str] = mapped_column(String(64))
    seminar_id: Mapped[int | None] = mapped_column(ForeignKey("seminar.id", ondelete="SET NULL"))
    completed_on: Mapped[datetime]


class SupportRequest(Base):
    """A person asked to be contacted after a high burnout result: name and contact, no answers."""

    __tablename__ = "support_request"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    municipality_id: Mapped[int] = mapped_column(
        ForeignKey("municipality.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime]
    handled_at: Mapped[datetime | None]
