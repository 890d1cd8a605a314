"""Pure checks of what people type: names and years. Each failure names its message key."""

import re

from core.errors import InvalidInput

_NAME_PART = re.compile(r"^[A-Za-zА-Яа-яЁё]+(?:[-'’][A-Za-zА-Яа-яЁё]+)*\.?$")
EARLIEST_START = 1950
YOUNG_YEARS = 3
YOUNG_AGE = 35


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
    if not (cleaned.isdigit() and len(cleaned) == 4):
        raise InvalidInput("year_format")
    year = int(cleaned)
    if not low <= year <= high:
        raise InvalidInput(code, low=low, high=high)
    return year


def is_young(started_year: int | None, birth_year: int | None, this_year: int) -> bool:
    """Young teacher: fewer than 3 years since starting to teach, or under 35 (by year)."""
    if started_year is not None and this_year - started_year < YOUNG_YEARS:
        return True
    return birth_year is not None and this_year - birth_year < YOUNG_AGE
