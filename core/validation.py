"""Pure checks of what people type: names and years. Each failure names its message key."""

import re
from datetime import datetime
from zoneinfo import ZoneInfo

from core.errors import InvalidInput

_START = re.compile(r"^(\d{1,2})\.(\d{1,2})(?:\.(\d{4}))?\s+(\d{1,2})[:.](\d{2})$")
_NAME_PART = re.compile(r"^[A-Za-zА-Яа-яЁё]+(?:[-'’][A-Za-zА-Яа-яЁё]+)*\.?$")
EARLIEST_START = 1950
YOUNG_YEARS = 3
YOUNG_AGE = 35


def whole(text: str, most: int = 9) -> int | None:
    """`text` as a whole number when it is at most `most` ASCII digits, else None: "²" is a
    digit to str.isdigit and int() refuses it, and int() refuses thousands of digits too."""
    return int(text) if text.isascii() and text.isdigit() and len(text) <= most else None


def clean_full_name(text: str) -> str:
    """Two to five words of letters (hyphens and apostrophes inside), each capitalised."""
    parts = text.split()
    if not 2 <= len(parts) <= 5 or len(" ".join(parts)) > 120:
        raise InvalidInput("name_words")
    if not all(_NAME_PART.match(part) for part in parts):
        raise InvalidInput("name_letters")
    return " ".join(part[:1].upper() + part[1:] for part in parts)


def parse_started_year(text: str, this_year: int) -> int:
    """A four-digit year from 1950 up to this year."""
    return _year(text, EARLIEST_START, this_year, "started_year_range")


def parse_birth_year(text: str, this_year: int) -> int:
    """A four-digit year that makes the person 18 to 90 years old this year."""
    return _year(text, this_year - 90, this_year - 18, "birth_year_range")


def _year(text: str, low: int, high: int, code: str) -> int:
    cleaned = text.strip().rstrip(".").removesuffix("г").strip()
    year = whole(cleaned, 4)
    if year is None or len(cleaned) != 4:
        raise InvalidInput("year_format")
    if not low <= year <= high:
        raise InvalidInput(code, low=low, high=high)
    return year


def is_young(started_year: int | None, birth_year: int | None, this_year: int) -> bool:
    """Young teacher: fewer than 3 years since starting to teach, or under 35 (by year)."""
    if started_year is not None and this_year - started_year < YOUNG_YEARS:
        return True
    return birth_year is not None and this_year - birth_year < YOUNG_AGE


def bounded(value: str, low: int, high: int, code: str) -> str:
    """`value` if its length is within [low, high]; InvalidInput(code) otherwise."""
    if not low <= len(value) <= high:
        raise InvalidInput(code, low=low, high=high)
    return value


def parse_start(text: str, zone: ZoneInfo, now: datetime) -> datetime:
    """ "25.12.2026 15:00" or "25.12 15:00" in the municipality's zone → UTC, in the future."""
    moment = parse_moment(text, zone, now)
    if moment <= now:
        raise InvalidInput("seminar_in_past")
    return moment


def parse_moment(text: str, zone: ZoneInfo, now: datetime) -> datetime:
    """Like `parse_start`, past moments included (`now` gives the year when none is typed)."""
    match = _START.match(text.strip())
    if not match:
        raise InvalidInput("seminar_start_format")
    day, month, year, hour, minute = match.groups()
    local_now = now.astimezone(zone)
    try:
        moment = datetime(
            int(year or local_now.year),
            int(month),
            int(day),
            int(hour),
            int(minute),
            tzinfo=zone,
        ).astimezone(ZoneInfo("UTC"))
    except (ValueError, OverflowError) as exc:  # 31.02, or year 1 moved before year 1 in UTC
        raise InvalidInput("seminar_start_format") from exc
    return moment


def parse_link(text: str) -> str:
    """An https address without spaces (what the messages about links promise)."""
    if not re.match(r"^https://\S+\.\S+$", text) or len(text) > 500:
        raise InvalidInput("seminar_link_format")
    return text


def parse_capacity(text: str) -> int:
    """A whole number of seats from 1 to 10,000."""
    seats = whole(text)
    if seats is None or not 1 <= seats <= 10_000:
        raise InvalidInput("seminar_capacity_format")
    return seats
