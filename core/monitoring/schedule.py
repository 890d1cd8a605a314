"""When scheduled monitoring falls due, in the municipality's own time: the nightly
aggregation once a local day from 02:00, and a methodist's weekly summary at their weekday and
hour of the current ISO week (Monday 09:00 unless they chose otherwise). The summary is claimed
by the week it goes in and tells of the week before (core.monitoring.weekly)."""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo

from core.monitoring.periods import Period, local_day, week
from core.timeutil import as_utc

AGGREGATION_JOB, SUMMARY_JOB = "aggregate", "weekly_summary"  # occurrences' `job`
AGGREGATION_HOUR = 2  # local: the day before is complete, and nobody is at work
DAYS = tuple(range(7))  # 0 = Monday, as date.weekday()
HOURS = (8, 9, 10, 12, 15, 18)  # the hours the settings offer


@dataclass(frozen=True)
class Timing:
    """A methodist's weekly summary: on or off, its local weekday (0 = Monday) and hour."""

    enabled: bool = True
    weekday: int = 0
    hour: int = 9


DEFAULT = Timing()


def aggregation_day(now: datetime, zone: tzinfo) -> date | None:
    """The local day to aggregate at `now`: today once it is 02:00 there, else None."""
    local = as_utc(now).astimezone(zone)
    return local.date() if local.hour >= AGGREGATION_HOUR else None


def moment(timing: Timing, period: Period, zone: tzinfo) -> datetime:
    """The summary's moment (UTC) in the ISO week `period`."""
    day = period.start + timedelta(days=timing.weekday)
    return datetime.combine(day, time(timing.hour), zone).astimezone(UTC)


def due_week(
    timing: Timing, now: datetime, zone: tzinfo, registered_at: datetime
) -> Period | None:
    """The ISO week whose summary is due at `now`: its moment has come this week, after the
    methodist registered (the first one is the first moment after that); None when the
    summary is off or its moment is still ahead. Whether it went already is the caller's."""
    if not timing.enabled:
        return None
    current = week(local_day(now, zone))
    at = moment(timing, current, zone)
    if as_utc(now) < at or as_utc(registered_at) > at:
        return None
    return current


def next_moment(timing: Timing, now: datetime, zone: tzinfo, sent_this_week: bool) -> datetime:
    """When the next summary is due: this week's moment if it is still ahead and nothing went
    this week, otherwise next week's."""
    current = week(local_day(now, zone))
    at = moment(timing, current, zone)
    if sent_this_week or at <= as_utc(now):
        return moment(timing, week(current.end), zone)
    return at
