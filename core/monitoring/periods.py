"""Reporting periods (ISO week, month, school year) as local date ranges."""

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo
from enum import StrEnum

from core.timeutil import as_utc

SCHOOL_YEAR_START_MONTH = 9  # 1 September to 31 August
FIRST_YEAR, LAST_YEAR = 1990, 2100  # the years a period label may name


class PeriodKind(StrEnum):
    WEEK = "week"
    MONTH = "month"
    SCHOOL_YEAR = "school_year"


@dataclass(frozen=True, order=True)
class Period:
    """Local dates `start` <= day < `end` in the municipality's time zone."""

    start: date
    end: date
    kind: PeriodKind

    @property
    def label(self) -> str:
        """2026-W47, 2026-11 or 2026/27."""
        if self.kind is PeriodKind.WEEK:
            year, number, _ = self.start.isocalendar()
            return f"{year}-W{number:02d}"
        if self.kind is PeriodKind.MONTH:
            return f"{self.start.year}-{self.start.month:02d}"
        return f"{self.start.year}/{(self.start.year + 1) % 100:02d}"

    def __str__(self) -> str:
        return self.label

    def contains(self, other: "Period") -> bool:
        """Whether `other` lies wholly inside this period."""
        return self.start <= other.start and other.end <= self.end

    def evaluated_until(self, today: date) -> date:
        """The exclusive end of the days counted: the period's end, or today while it runs
        (whole days only: a cell counted up to one day has the same numbers whenever it is
        counted, which the consistency between publications relies on)."""
        return min(self.end, today)

    def previous(self) -> "Period":
        """The period of the same kind just before this one."""
        return period_of(self.kind, self.start - timedelta(days=1))


def week(day: date) -> Period:
    """The ISO week (Monday to Sunday) containing `day`."""
    start = day - timedelta(days=day.weekday())
    return Period(start, start + timedelta(days=7), PeriodKind.WEEK)


def month(day: date) -> Period:
    """The calendar month containing `day`."""
    start = day.replace(day=1)
    following = (start + timedelta(days=32)).replace(day=1)
    return Period(start, following, PeriodKind.MONTH)


def school_year(day: date) -> Period:
    """The school year (1 September to 31 August) containing `day`."""
    first = day.year if day.month >= SCHOOL_YEAR_START_MONTH else day.year - 1
    return Period(
        date(first, SCHOOL_YEAR_START_MONTH, 1),
        date(first + 1, SCHOOL_YEAR_START_MONTH, 1),
        PeriodKind.SCHOOL_YEAR,
    )


def period_of(kind: PeriodKind, day: date) -> Period:
    """The period of `kind` containing `day`."""
    if kind is PeriodKind.WEEK:
        return week(day)
    if kind is PeriodKind.MONTH:
        return month(day)
    return school_year(day)


def last_weeks(today: date, count: int) -> tuple[Period, ...]:
    """The `count` ISO weeks up to and including the one containing `today`, oldest first."""
    current = week(today)
    return tuple(
        week(current.start - timedelta(days=7 * back)) for back in range(count - 1, -1, -1)
    )


def parse_period(label: str) -> Period:
    """The period a label names: 2026-W47, 2026-11 or 2026/27; ValueError otherwise (a year
    outside FIRST_YEAR to LAST_YEAR included)."""
    found = re.fullmatch(r"([0-9]{4})(-W|-|/)([0-9]{2})", label)
    if found is None:
        raise ValueError(f"{label!r} is not a period label")
    year, kind, number = int(found[1]), found[2], int(found[3])
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise ValueError(f"{label!r}: the year must be from {FIRST_YEAR} to {LAST_YEAR}")
    try:
        if kind == "-W":
            return week(date.fromisocalendar(year, number, 1))
        if kind == "-":
            return month(date(year, number, 1))
    except ValueError:  # week 54, month 13
        raise ValueError(f"{label!r} is not a period label") from None
    if (year + 1) % 100 != number:
        raise ValueError(f"{label!r} is not a period label")
    return school_year(date(year, SCHOOL_YEAR_START_MONTH, 1))


def local_day(moment: datetime, zone: tzinfo) -> date:
    """The date of a UTC moment in the municipality's zone (naive moments are taken as UTC)."""
    return as_utc(moment).astimezone(zone).date()
