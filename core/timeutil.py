"""UTC helpers: SQLite returns naive datetimes even for timezone-aware columns."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

SHOWN = "%d.%m.%Y %H:%M"  # how people read a date and time
Clock = Callable[[], datetime]  # the time source: utcnow in the bot, a settable one in tests


def as_utc(value: datetime) -> datetime:
    """Attach UTC to a naive datetime read back from SQLite; convert aware ones to UTC."""
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


def known_zone(name: str) -> ZoneInfo | None:
    """The zone of that name; None when the tz database does not know it (a value edited by
    hand, or dropped by a tzdata update): a job leaves that municipality out, not all."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None


def iso_utc(value: datetime | None) -> str | None:
    """A moment as ISO 8601 text in UTC (the personal data export), or None."""
    return as_utc(value).isoformat() if value else None


def utcnow() -> datetime:
    """The current time in UTC; entry points call it and pass `now` down."""
    return datetime.now(UTC)


def shown(moment: datetime, zone: tzinfo) -> str:
    """`moment` as people read it: date and time in the municipality's zone."""
    return as_utc(moment).astimezone(zone).strftime(SHOWN)


@dataclass(frozen=True)
class LocalClock:
    """How a form tells people whose time they type: the place, its UTC offset, and an
    example moment in the future."""

    place: str
    offset: str  # "UTC+5"
    example: str


def local_clock(place: str, zone: tzinfo, now: datetime, days: int, hour: int) -> LocalClock:
    """The clock of `place`; the example is `days` ahead at `hour` local time."""
    local = as_utc(now).astimezone(zone)
    example = datetime.combine(local.date() + timedelta(days=days), time(hour), zone)
    delta = local.utcoffset() or timedelta()
    hours, rest = divmod(int(delta.total_seconds()) // 60, 60)
    offset = f"UTC{hours:+d}" + (f":{rest:02d}" if rest else "")
    return LocalClock(place, offset, example.strftime(SHOWN))
