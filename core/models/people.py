"""Municipalities, schools, subjects, people, their roles, and invites."""

from datetime import datetime

from sqlalchemy import (
    BigInteger,
    ForeignKey,
    Integer,
    String,
    UniqueConstraint,
)
from sqlalchemy.ext.asyncio import AsyncAttrs
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.models.base import Base


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


class Person(AsyncAttrs, Base):
    """Someone who consented; `registered_at` is set when the profile is confirmed.

    `step_*` is the input the chat awaits (core.people.viewer.Pending): a form and its field,
    the record it fills (`step_target`), and whether it corrects one field of a summary.
    The viewer of an update is loaded without `subjects`: read them with `await
    person.awaitable_attrs.subjects` (core.people.viewer.person_subjects).
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
    community_member: Mapped[bool | None]  # in an РМО, ШМО or network community (None: not said)
    language: Mapped[str] = mapped_column(String(2))
    consent_at: Mapped[datetime]
    registered_at: Mapped[datetime | None]
    active: Mapped[bool] = mapped_column(default=True)
    step_form: Mapped[str | None] = mapped_column(String(16))
    step_field: Mapped[str | None] = mapped_column(String(32))
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
