"""Mentoring: mentors' profiles, requests, pairs with their programme, meetings and relays.

A pair outlives the people in it: forgetting a mentor or a mentee ends the pair and clears
their id, so the municipality still counts it, but nothing leads back to the person.
"""

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from core.models.base import Base


class RequestStatus(StrEnum):
    DRAFT = "draft"  # the mentee is still filling it in
    WAITING = "waiting"  # in the methodists' queue
    OFFERED = "offered"  # sent to a mentor, who has not answered yet
    PAIRED = "paired"  # a mentor accepted: a pair exists
    WITHDRAWN = "withdrawn"


class MeetingMode(StrEnum):
    BOT = "bot"
    IN_PERSON = "in_person"
    ONLINE = "online"


class EndReason(StrEnum):
    GOALS_MET = "goals_met"
    MOVED = "moved"
    OTHER = "other"
    FORGOTTEN = "forgotten"  # one side deleted their data


class MentorProfile(Base):
    """Who offers to mentor: the areas they help with, how many mentees at once, a pause.

    `confirmed_at` is empty while a volunteer waits for a methodist's confirmation."""

    __tablename__ = "mentor_profile"

    person_id: Mapped[int] = mapped_column(
        ForeignKey("person.id", ondelete="CASCADE"), primary_key=True
    )
    areas: Mapped[list[str]] = mapped_column(JSON, default=list)
    capacity: Mapped[int] = mapped_column(default=2)
    paused: Mapped[bool] = mapped_column(default=False)
    volunteered_at: Mapped[datetime]
    confirmed_at: Mapped[datetime | None]


class MentorshipRequest(Base):
    """A young teacher's request for a mentor: the areas, a free-text topic, subject, mode."""

    __tablename__ = "mentorship_request"

    id: Mapped[int] = mapped_column(primary_key=True)
    mentee_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    municipality_id: Mapped[int] = mapped_column(
        ForeignKey("municipality.id", ondelete="CASCADE"), index=True
    )
    areas: Mapped[list[str]] = mapped_column(JSON, default=list)
    topic: Mapped[str | None] = mapped_column(String(500))
    subject_id: Mapped[int | None] = mapped_column(ForeignKey("subject.id", ondelete="SET NULL"))
    mode: Mapped[str | None] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16), default=RequestStatus.DRAFT, index=True)
    created_at: Mapped[datetime]
    submitted_at: Mapped[datetime | None]
    offered_to: Mapped[int | None] = mapped_column(
        ForeignKey("person.id", ondelete="SET NULL"), index=True
    )
    offered_at: Mapped[datetime | None]
    declines: Mapped[int] = mapped_column(default=0)
    decline_reason: Mapped[str | None] = mapped_column(String(32))
    flagged_at: Mapped[datetime | None]  # the methodists were told it waits too long


class Mentorship(Base):
    """A pair and its programme's frame; the goals are rows of ProgrammeGoal."""

    __tablename__ = "mentorship"

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int | None] = mapped_column(
        ForeignKey("mentorship_request.id", ondelete="SET NULL")
    )
    municipality_id: Mapped[int] = mapped_column(
        ForeignKey("municipality.id", ondelete="CASCADE"), index=True
    )
    mentor_id: Mapped[int | None] = mapped_column(
        ForeignKey("person.id", ondelete="SET NULL"), index=True
    )
    mentee_id: Mapped[int | None] = mapped_column(
        ForeignKey("person.id", ondelete="SET NULL"), index=True
    )
    mode: Mapped[str | None] = mapped_column(String(16))
    started_at: Mapped[datetime]
    ends_on: Mapped[date]
    ended_at: Mapped[datetime | None]
    end_reason: Mapped[str | None] = mapped_column(String(16))
    mentor_shares_contact: Mapped[bool] = mapped_column(default=False)
    mentee_shares_contact: Mapped[bool] = mapped_column(default=False)
    # meeting notes reach the methodist's paperwork only when both sides agree
    mentor_shares_notes: Mapped[bool] = mapped_column(default=False)
    mentee_shares_notes: Mapped[bool] = mapped_column(default=False)
    last_activity_at: Mapped[datetime]
    nudged_at: Mapped[datetime | None]  # the last "no news for a while" reminder
    overdue_asked_at: Mapped[datetime | None]  # asked to close or extend after ends_on


class ProgrammeGoal(Base):
    """One goal of a pair's personalised programme (an area, or the request's own topic)."""

    __tablename__ = "programme_goal"

    id: Mapped[int] = mapped_column(primary_key=True)
    mentorship_id: Mapped[int] = mapped_column(
        ForeignKey("mentorship.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int]
    area: Mapped[str | None] = mapped_column(String(32))
    goal: Mapped[str] = mapped_column(String(500))
    steps: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)  # advice, seminar ids
    due_on: Mapped[date]
    done_at: Mapped[datetime | None]


class MentorMeeting(Base):
    """The meetings journal: logged by one side, confirmed by the other."""

    __tablename__ = "mentor_meeting"

    id: Mapped[int] = mapped_column(primary_key=True)
    mentorship_id: Mapped[int] = mapped_column(
        ForeignKey("mentorship.id", ondelete="CASCADE"), index=True
    )
    held_on: Mapped[date]
    mode: Mapped[str] = mapped_column(String(16))
    goal_id: Mapped[int | None] = mapped_column(
        ForeignKey("programme_goal.id", ondelete="SET NULL")
    )
    note: Mapped[str | None] = mapped_column(String(500))
    by_mentor: Mapped[bool]
    logged_at: Mapped[datetime | None]  # None: a draft still being filled in
    confirmed_at: Mapped[datetime | None]


class Relay(Base):
    """That a message went through a pair: who, when, what kind. Never its content."""

    __tablename__ = "relay"

    id: Mapped[int] = mapped_column(primary_key=True)
    mentorship_id: Mapped[int] = mapped_column(
        ForeignKey("mentorship.id", ondelete="CASCADE"), index=True
    )
    by_mentor: Mapped[bool]
    kind: Mapped[str] = mapped_column(String(16))
    sent_at: Mapped[datetime]


class ProblemReport(Base):
    """A side of a pair asked the methodist for help: the pair, which side, when, and when a
    methodist marked it handled (until then the pair shows it, and the side is not asked to
    report it again)."""

    __tablename__ = "mentoring_problem"

    id: Mapped[int] = mapped_column(primary_key=True)
    mentorship_id: Mapped[int] = mapped_column(
        ForeignKey("mentorship.id", ondelete="CASCADE"), index=True
    )
    by_mentor: Mapped[bool]
    reported_at: Mapped[datetime]
    handled_at: Mapped[datetime | None]
