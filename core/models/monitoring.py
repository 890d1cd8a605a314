"""Monitoring: the indicators' time series, what was published to whom, scheduled
occurrences done, and each methodist's weekly-summary settings."""

from datetime import date, datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from core.models.base import Base

NO_FACET = ""  # a unique key cannot tell NULLs apart: an indicator without facets uses ""


class IndicatorRecord(Base):
    """One indicator in one period and scope of a municipality; recomputing a period replaces
    its rows. Values before disclosure control: never shown without `protect`."""

    __tablename__ = "indicator_value"
    __table_args__ = (
        UniqueConstraint(
            "municipality_id",
            "indicator",
            "facet",
            "period_kind",
            "period_start",
            "scope_type",
            "scope_id",
            name="uq_indicator_value_cell",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    municipality_id: Mapped[int] = mapped_column(
        ForeignKey("municipality.id", ondelete="CASCADE"), index=True
    )
    indicator: Mapped[str] = mapped_column(String(40))
    facet: Mapped[str] = mapped_column(String(40), default=NO_FACET)
    period_kind: Mapped[str] = mapped_column(String(16))
    period_start: Mapped[date]
    period_end: Mapped[date]
    scope_type: Mapped[str] = mapped_column(String(16))
    scope_id: Mapped[int]
    numerator: Mapped[int]
    denominator: Mapped[int | None]
    value: Mapped[float | None]
    n: Mapped[int]
    denominator_source: Mapped[str] = mapped_column(String(16))
    until: Mapped[date]  # the exclusive end of the local days counted
    computed_at: Mapped[datetime]


class PublishedCell(Base):
    """A cell as a municipality's methodists were shown it (counted up to `until`): later
    publications keep a hidden cell hidden, never use a shown one as a complement, and hide
    a later version whose change since a shown one is too small a group."""

    __tablename__ = "published_cell"
    __table_args__ = (
        UniqueConstraint(
            "municipality_id",
            "indicator",
            "facet",
            "period_kind",
            "period_start",
            "scope_type",
            "scope_id",
            "until",
            name="uq_published_cell_cell",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    municipality_id: Mapped[int] = mapped_column(
        ForeignKey("municipality.id", ondelete="CASCADE"), index=True
    )
    indicator: Mapped[str] = mapped_column(String(40))
    facet: Mapped[str] = mapped_column(String(40), default=NO_FACET)
    period_kind: Mapped[str] = mapped_column(String(16))
    period_start: Mapped[date]
    scope_type: Mapped[str] = mapped_column(String(16))
    scope_id: Mapped[int]
    until: Mapped[date]
    hidden: Mapped[bool]
    # what a shown cell showed, so a later version can be compared with it; None when hidden
    numerator: Mapped[int | None]
    denominator: Mapped[int | None]
    n: Mapped[int | None]
    value: Mapped[float | None]


class JobOccurrence(Base):
    """A scheduled occurrence done (job, target, period): claimed by inserting this row, so
    after downtime it runs once, and two schedulers never run it twice."""

    __tablename__ = "job_occurrence"

    job: Mapped[str] = mapped_column(String(40), primary_key=True)
    target: Mapped[str] = mapped_column(String(40), primary_key=True)
    period: Mapped[str] = mapped_column(String(20), primary_key=True)
    done_at: Mapped[datetime]


class SummarySetting(Base):
    """A methodist's weekly summary: on or off, its local weekday (0 = Monday) and hour."""

    __tablename__ = "summary_setting"

    person_id: Mapped[int] = mapped_column(
        ForeignKey("person.id", ondelete="CASCADE"), primary_key=True
    )
    enabled: Mapped[bool] = mapped_column(default=True)
    weekday: Mapped[int] = mapped_column(default=0)
    hour: Mapped[int] = mapped_column(default=9)
