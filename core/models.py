"""SQLAlchemy 2.0 typed ORM models: municipalities, schools, people, roles and invites."""

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Role(StrEnum):
    """Stored roles. "Young teacher" is derived from the profile, never stored."""

    TEACHER = "teacher"
    MENTOR = "mentor"
    METHODIST = "methodist"
    ADMIN = "admin"


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {datetime: DateTime(timezone=True)}


class Municipality(Base):
    __tablename__ = "municipality"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    timezone: Mapped[str] = mapped_column(String(64))

    schools: Mapped[list["School"]] = relationship(back_populates="municipality")


class School(Base):
    __tablename__ = "school"
    __table_args__ = (UniqueConstraint("municipality_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    municipality_id: Mapped[int] = mapped_column(
        ForeignKey("municipality.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(300))
    teachers: Mapped[int] = mapped_column(Integer, default=0)

    municipality: Mapped[Municipality] = relationship(back_populates="schools")
    subjects: Mapped[list["SchoolSubject"]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True
    )


class Subject(Base):
    __tablename__ = "subject"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)


class SchoolSubject(Base):
    """Roster headcount of teachers of one subject at one school."""

    __tablename__ = "school_subject"

    school_id: Mapped[int] = mapped_column(
        ForeignKey("school.id", ondelete="CASCADE"), primary_key=True
    )
    subject_id: Mapped[int] = mapped_column(
        ForeignKey("subject.id", ondelete="CASCADE"), primary_key=True
    )
    teachers: Mapped[int] = mapped_column(Integer)


class Person(Base):
    """Someone who consented; `registered_at` is set when the profile is confirmed.

    `step` is the onboarding or edit step waiting for input; `step_edit` tells an edit of one
    field (return to the summary or profile) from the linear onboarding.
    """

    __tablename__ = "person"

    id: Mapped[int] = mapped_column(primary_key=True)
    telegram_id: Mapped[int] = mapped_column(BigInteger, unique=True)
    municipality_id: Mapped[int] = mapped_column(
        ForeignKey("municipality.id", ondelete="RESTRICT"), index=True
    )
    school_id: Mapped[int | None] = mapped_column(
        ForeignKey("school.id", ondelete="SET NULL"), index=True
    )
    full_name: Mapped[str | None] = mapped_column(String(200))
    started_year: Mapped[int | None]
    birth_year: Mapped[int | None]
    language: Mapped[str] = mapped_column(String(2))
    consent_at: Mapped[datetime]
    registered_at: Mapped[datetime | None]
    active: Mapped[bool] = mapped_column(default=True)
    step: Mapped[str | None] = mapped_column(String(16))
    step_edit: Mapped[bool] = mapped_column(default=False)
    step_target: Mapped[int | None]  # the record a pending input belongs to (e.g. a seminar)
    school_preset: Mapped[bool] = mapped_column(default=False)

    roles: Mapped[list["PersonRole"]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True, lazy="selectin"
    )
    subjects: Mapped[list["PersonSubject"]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True, lazy="selectin"
    )


class PersonRole(Base):
    __tablename__ = "person_role"

    person_id: Mapped[int] = mapped_column(
        ForeignKey("person.id", ondelete="CASCADE"), primary_key=True
    )
    role: Mapped[str] = mapped_column(String(16), primary_key=True)


class PersonSubject(Base):
    __tablename__ = "person_subject"

    person_id: Mapped[int] = mapped_column(
        ForeignKey("person.id", ondelete="CASCADE"), primary_key=True
    )
    subject_id: Mapped[int] = mapped_column(
        ForeignKey("subject.id", ondelete="CASCADE"), primary_key=True
    )


class Invite(Base):
    """A deep-link code: a school's permanent teacher link, or a one-time role link."""

    __tablename__ = "invite"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    role: Mapped[str] = mapped_column(String(16))
    municipality_id: Mapped[int] = mapped_column(
        ForeignKey("municipality.id", ondelete="CASCADE"), index=True
    )
    school_id: Mapped[int | None] = mapped_column(
        ForeignKey("school.id", ondelete="CASCADE"), index=True
    )
    expires_at: Mapped[datetime | None]
    max_uses: Mapped[int | None]
    uses: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime]


class ConsentRefusal(Base):
    """The bare fact that someone declined consent: no Telegram id, no name."""

    __tablename__ = "consent_refusal"

    id: Mapped[int] = mapped_column(primary_key=True)
    invite_id: Mapped[int | None] = mapped_column(
        ForeignKey("invite.id", ondelete="SET NULL"), index=True
    )
    refused_on: Mapped[datetime]


class DeliveryStatus(StrEnum):
    PENDING = "pending"
    SENDING = "sending"  # claimed: the send result is unknown until recorded
    SENT = "sent"
    FAILED = "failed"
    BLOCKED = "blocked"  # the person blocked the bot or the chat is gone


class Attachment(Base):
    """A file sent with notifications: Telegram's file id once known, or the bytes to upload."""

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
    chat_id: Mapped[int] = mapped_column(BigInteger)
    progress_message_id: Mapped[int | None] = mapped_column(BigInteger)
    language: Mapped[str] = mapped_column(String(2))
    total: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime]
    finished_at: Mapped[datetime | None]


class Delivery(Base):
    """Outbox row: every notification is stored here before it is sent."""

    __tablename__ = "delivery"
    __table_args__ = (Index("ix_delivery_due", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(128), unique=True)
    chat_id: Mapped[int] = mapped_column(BigInteger, index=True)
    person_id: Mapped[int | None] = mapped_column(
        ForeignKey("person.id", ondelete="SET NULL"), index=True
    )
    text: Mapped[str | None] = mapped_column(Text)
    markup: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    attachment_id: Mapped[int | None] = mapped_column(
        ForeignKey("attachment.id", ondelete="SET NULL")
    )
    broadcast_id: Mapped[int | None] = mapped_column(
        ForeignKey("broadcast.id", ondelete="SET NULL"), index=True
    )
    priority: Mapped[int] = mapped_column(SmallInteger, default=5)
    status: Mapped[str] = mapped_column(String(16), default=DeliveryStatus.PENDING)
    attempts: Mapped[int] = mapped_column(default=0)
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
    feedback_due: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime]


class ResponseStatus(StrEnum):
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"


class Response(Base):
    """One person's pass through an instrument; saved after every answer.

    In anonymous mode the link to the person is removed at completion (only school, subjects
    and the young-teacher flag stay, times coarsened to the day) and a Completion row records
    separately that the person took part.
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
    school_id: Mapped[int | None] = mapped_column(ForeignKey("school.id", ondelete="SET NULL"))
    subject_ids: Mapped[list[int]] = mapped_column(JSON, default=list)
    young: Mapped[bool] = mapped_column(default=False)
    seminar_id: Mapped[int | None] = mapped_column(
        ForeignKey("seminar.id", ondelete="SET NULL"), index=True
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
