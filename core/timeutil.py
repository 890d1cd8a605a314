"""UTC helpers: SQLite returns naive datetimes even for timezone-aware columns."""

from datetime import UTC, datetime, tzinfo

SHOWN = "%d.%m.%Y %H:%M"  # how people read a date and time


def as_utc(value: datetime) -> datetime:
    """Attach UTC to a naive datetime read back from SQLite; convert aware ones to UTC."""
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


def utcnow() -> datetime:
    """The current time in UTC; entry points call it and pass `now` down."""
    return datetime.now(UTC)


def shown(moment: datetime, zone: tzinfo) -> str:
    """`moment` as people read it: date and time in the municipality's zone."""
    return as_utc(moment).astimezone(zone).strftime(SHOWN)
