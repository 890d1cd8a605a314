"""Questionnaire campaigns: an instrument sent to an audience between an opening and a deadline."""

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from core.models.base import Base


class CampaignStatus(StrEnum):
    DRAFT = "draft"
    SCHEDULED = "scheduled"  # launched; invitations go at `opens_at`
    OPEN = "open"
    CLOSED = "closed"


class Campaign(Base):
    """A methodist's campaign. `opens_at` None in a draft means "as soon as it is launched"."""

    __tablename__ = "campaign"

    id: Mapped[int] = mapped_column(primary_key=True)
    municipality_id: Mapped[int] = mapped_column(
        ForeignKey("municipality.id", ondelete="CASCADE"), index=True
    )
    author_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"))
    instrument: Mapped[str] = mapped_column(String(64))
    version: Mapped[int]
    audience: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    opens_at: Mapped[datetime | None]
    closes_at: Mapped[datetime | None]
    reminder_days: Mapped[list[int]] = mapped_column(JSON, default=list)
    reminded: Mapped[list[int]] = mapped_column(JSON, default=list)  # days already handled
    anonymous: Mapped[bool] = mapped_column(default=False)
    status: Mapped[str] = mapped_column(String(16), default=CampaignStatus.DRAFT, index=True)
    created_at: Mapped[datetime]
    opened_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]


class CampaignMember(Base):
    """Who was invited (the audience at the opening) and the day they completed.

    This row, not the response, records participation, so anonymous answers stay unlinked.
    """

    __tablename__ = "campaign_member"
    __table_args__ = (UniqueConstraint("campaign_id", "person_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(
        ForeignKey("campaign.id", ondelete="CASCADE"), index=True
    )
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    school_id: Mapped[int | None] = mapped_column(ForeignKey("school.id", ondelete="SET NULL"))
    completed_on: Mapped[datetime | None]
