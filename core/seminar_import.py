"""A term's seminars from CSV or XLSX: every row checked first, then all imported or none."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TypeVar
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from core.errors import InvalidInput
from core.models import Municipality, Person, Seminar, SeminarStatus
from core.seminars import AREAS, FORMATS
from core.tables import TableError, TableProblem
from core.validation import parse_capacity, parse_link, parse_start

COLUMNS = {
    "municipality": ("municipality", "муниципалитет"),
    "title": ("title", "название"),
    "start": ("start", "начало"),
    "duration": ("duration", "продолжительность"),
    "format": ("format", "формат"),
    "place": ("place", "место"),
    "link": ("link", "ссылка"),
    "capacity": ("capacity", "мест"),
    "tags": ("tags", "темы"),
    "description": ("description", "описание"),
}
REQUIRED = ("municipality", "title", "start", "format")
FORMAT_NAMES = {"очно": "in_person", "онлайн": "online", "смешанный": "hybrid"}
MESSAGES = {
    "seminar_start_format": "expected a date like 25.12.2026 15:00",
    "seminar_in_past": "is in the past",
    "seminar_link_format": "must start with https:// and have no spaces",
    "seminar_capacity_format": "must be a whole number from 1 to 10000",
}
T = TypeVar("T")
AREA_NAMES = {
    "нормативно-правовая": "norm",
    "предметная": "subject",
    "методическая": "method",
    "воспитательная": "upbringing",
    "психолого-педагогическая": "developmental",
    "коммуникативная": "communication",
    "цифровая": "digital",
}


@dataclass(frozen=True)
class Town:
    id: int
    zone: ZoneInfo


async def import_seminars(
    session: AsyncSession, rows: list[list[str]], now: datetime, organiser_telegram_id: int | None
) -> int:
    """Check every row, then publish them all in one transaction; TableError lists problems."""
    towns = {
        m.name.casefold(): Town(m.id, ZoneInfo(m.timezone))
        for m in await session.scalars(select(Municipality))
    }
    organiser = None
    if organiser_telegram_id is not None:
        organiser = await session.scalar(
            select(Person.id).where(Person.telegram_id == organiser_telegram_id)
        )
        if organiser is None:
            raise TableError([TableProblem(0, "-", "no person with that Telegram id")])
    seminars = parse_rows(rows, towns, now)
    for seminar in seminars:
        seminar.organiser_id, seminar.created_at, seminar.published_at = organiser, now, now
    session.add_all(seminars)
    await session.commit()
    return len(seminars)


def parse_rows(rows: list[list[str]], towns: dict[str, Town], now: datetime) -> list[Seminar]:
    """Seminar rows ready to publish, or TableError naming each bad cell."""
    if not rows:
        raise TableError([TableProblem(1, "-", "the file is empty")])
    header = {}
    for index, title in enumerate(rows[0]):
        key = next((k for k, names in COLUMNS.items() if title.strip().casefold() in names), None)
        if key:
            header[key] = index
    problems = [
        TableProblem(1, c, "required column is missing") for c in REQUIRED if c not in header
    ]
    if problems:
        raise TableError(problems)
    seminars = []
    for number, row in enumerate(rows[1:], start=2):
        cells = {k: (row[i].strip() if i < len(row) else "") for k, i in header.items()}
        if any(cells.values()):
            seminar = _row(number, cells, towns, now, problems)
            if seminar is not None:
                seminars.append(seminar)
    if problems:
        raise TableError(problems)
    return seminars


def _row(
    number: int,
    cells: dict[str, str],
    towns: dict[str, Town],
    now: datetime,
    problems: list[TableProblem],
) -> Seminar | None:
    before = len(problems)

    def bad(column: str, message: str) -> None:
        problems.append(TableProblem(number, column, message))

    town = towns.get(cells["municipality"].casefold())
    if town is None:
        bad("municipality", f"unknown municipality {cells['municipality']!r}: import the roster")
    if not 3 <= len(cells["title"]) <= 200:
        bad("title", "must have 3 to 200 characters")
    form = FORMAT_NAMES.get(cells["format"].casefold(), cells["format"].casefold())
    if form not in FORMATS:
        bad("format", f"{cells['format']!r} is not очно, онлайн or смешанный")
    starts = _checked(
        lambda: parse_start(cells["start"], town.zone, now) if town else None, "start", bad
    )
    duration = cells.get("duration") or "90"
    if not duration.isdigit() or not 15 <= int(duration) <= 600:
        bad("duration", "must be 15 to 600 minutes")
    link = cells.get("link") or None
    if link:
        _checked(lambda: parse_link(link), "link", bad)
    elif form in ("online", "hybrid"):
        bad("link", "an online seminar needs a link")
    if form in ("in_person", "hybrid") and not cells.get("place"):
        bad("place", "an in-person seminar needs a place")
    capacity = cells.get("capacity") or ""
    if capacity:
        _checked(lambda: parse_capacity(capacity), "capacity", bad)
    tags = [t.strip().casefold() for t in (cells.get("tags") or "").split(",") if t.strip()]
    tags = [AREA_NAMES.get(t, t) for t in tags]
    for tag in tags:
        if tag not in AREAS:
            bad("tags", f"unknown competency area {tag!r}")
    if len(problems) > before or town is None:
        return None
    return Seminar(
        municipality_id=town.id,
        title=cells["title"],
        description=cells.get("description") or None,
        starts_at=starts,
        duration_minutes=int(duration),
        format=form,
        place=cells.get("place") or None,
        link=link,
        capacity=int(capacity) if capacity else None,
        tags=tags,
        audience=None,
        status=SeminarStatus.PUBLISHED,
    )


def _checked(parse: Callable[[], T], column: str, bad: Callable[[str, str], None]) -> T | None:
    try:
        return parse()
    except InvalidInput as exc:
        bad(column, MESSAGES.get(exc.code, exc.code))
        return None
