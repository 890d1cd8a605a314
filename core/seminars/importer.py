"""A term's seminars from CSV or XLSX: every row checked first, then all imported or none.

A seminar is identified by its municipality, title (compared by `core.names`) and start:
importing a file again updates what its cells state, keeps what they leave empty, and never
duplicates. A row that matches a seminar already there may lie in the past.
"""

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from core.errors import InvalidInput, NotFound
from core.models import Municipality, Person, Seminar, SeminarStatus
from core.names import name_key
from core.seminars.listing import AREAS, FORMATS
from core.tables import TableError, TableProblem
from core.timeutil import as_utc
from core.validation import parse_capacity, parse_link, parse_moment, whole

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
REQUIRED = ("municipality", "title", "start")  # a seminar's identity
FORMAT_NAMES = {"очно": "in_person", "онлайн": "online", "смешанный": "hybrid"}
MESSAGES = {
    "seminar_start_format": "expected a date like 25.12.2026 15:00",
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
Key = tuple[int, str, datetime]


@dataclass(frozen=True)
class Town:
    id: int
    zone: ZoneInfo


@dataclass
class SeminarRow:
    """One row as the file states it: the identity, and only the optional cells filled in."""

    number: int
    town_id: int
    title: str
    starts_at: datetime  # UTC
    stated: dict[str, Any] = field(default_factory=dict)  # Seminar attribute → value

    @property
    def key(self) -> Key:
        return (self.town_id, name_key(self.title), self.starts_at)


@dataclass(frozen=True)
class SeminarImport:
    created: int
    updated: int
    unchanged: int


async def import_seminars(
    session: AsyncSession, rows: list[list[str]], now: datetime, organiser_telegram_id: int | None
) -> SeminarImport:
    """Check every row, then publish or update them all in one transaction.

    TableError lists the problems; NotFound("organiser_unknown") if nobody has that id.
    """
    towns = {
        name_key(m.name): Town(m.id, ZoneInfo(m.timezone))
        for m in await session.scalars(select(Municipality))
    }
    organiser = None
    if organiser_telegram_id is not None:
        organiser = await session.scalar(
            select(Person.id).where(Person.telegram_id == organiser_telegram_id)
        )
        if organiser is None:
            raise NotFound("organiser_unknown", telegram_id=organiser_telegram_id)
    parsed, problems = parse_rows(rows, towns, now)
    existing = await _existing(session, {town.id for town in towns.values()})
    problems += _plan(parsed, existing, now)
    if problems:
        raise TableError(sorted(problems, key=lambda p: p.row))
    counts: Counter[str] = Counter()
    for row in parsed:
        seminar = existing.get(row.key)
        if seminar is None:
            seminar = _new(row, organiser, now)
            session.add(seminar)
            counts["created"] += 1
            continue
        changes = {**row.stated, **({"organiser_id": organiser} if organiser else {})}
        counts["updated" if _apply(seminar, changes) else "unchanged"] += 1
    await session.commit()
    return SeminarImport(counts["created"], counts["updated"], counts["unchanged"])


def parse_rows(
    rows: list[list[str]], towns: dict[str, Town], now: datetime
) -> tuple[list[SeminarRow], list[TableProblem]]:
    """The rows as the file states them, and the problem of each bad cell.

    A file without the identity columns, or without rows, is a TableError at once.
    """
    if not rows:
        raise TableError([TableProblem.file("the file is empty")])
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
    parsed = []
    for number, row in enumerate(rows[1:], start=2):
        cells = {k: (row[i].strip() if i < len(row) else "") for k, i in header.items()}
        if any(cells.values()):
            seminar = _row(number, cells, towns, now, problems)
            if seminar is not None:
                parsed.append(seminar)
    if not parsed and not problems:
        raise TableError([TableProblem.file("no seminars in the file")])
    return parsed, problems


def _row(
    number: int,
    cells: dict[str, str],
    towns: dict[str, Town],
    now: datetime,
    problems: list[TableProblem],
) -> SeminarRow | None:
    before = len(problems)

    def bad(column: str, message: str) -> None:
        problems.append(TableProblem(number, column, message))

    town = towns.get(name_key(cells["municipality"]))
    if town is None:
        bad("municipality", f"unknown municipality {cells['municipality']!r}: import the roster")
    if not 3 <= len(cells["title"]) <= 200:
        bad("title", "must have 3 to 200 characters")
    starts = _checked(
        lambda: parse_moment(cells["start"], town.zone, now) if town else None, "start", bad
    )
    stated = _optional_cells(cells, bad)
    if town is None or starts is None:  # which seminar is unknown: check it as a new one
        problems.extend(_incomplete(number, _merged(None, stated)))
    if len(problems) > before or town is None or starts is None:
        return None
    return SeminarRow(number, town.id, cells["title"], starts, stated)


def _optional_cells(cells: dict[str, str], bad: Callable[[str, str], None]) -> dict[str, Any]:
    """The filled optional cells as Seminar attributes; an empty cell states nothing."""
    stated: dict[str, Any] = {}
    written = cells.get("format", "")
    form = FORMAT_NAMES.get(written.casefold(), written.casefold())
    if form in FORMATS:
        stated["format"] = form
    elif written:
        bad("format", f"{written!r} is not очно, онлайн or смешанный")
    duration = cells.get("duration", "")
    minutes = whole(duration)
    if duration and (minutes is None or not 15 <= minutes <= 600):
        bad("duration", "must be 15 to 600 minutes")
    elif minutes is not None:
        stated["duration_minutes"] = minutes
    if cells.get("link"):
        stated["link"] = _checked(lambda: parse_link(cells["link"]), "link", bad)
    if cells.get("capacity"):
        stated["capacity"] = _checked(lambda: parse_capacity(cells["capacity"]), "capacity", bad)
    for column in ("place", "description"):
        if cells.get(column):
            stated[column] = cells[column]
    tags = [t.strip().casefold() for t in (cells.get("tags") or "").split(",") if t.strip()]
    tags = [AREA_NAMES.get(t, t) for t in tags]
    for tag in tags:
        if tag not in AREAS:
            bad("tags", f"unknown competency area {tag!r}")
    if tags:
        stated["tags"] = tags
    return stated


def _plan(
    rows: list[SeminarRow], existing: dict[Key, Seminar], now: datetime
) -> list[TableProblem]:
    """Problems only visible with the database: the past, repeats, and the merged format."""
    problems: list[TableProblem] = []
    first: dict[Key, int] = {}
    for row in rows:
        if row.key in first:
            message = f"the same seminar as row {first[row.key]} (municipality, title, start)"
            problems.append(TableProblem(row.number, "title", message))
        first.setdefault(row.key, row.number)
        seminar = existing.get(row.key)
        if seminar is None and row.starts_at <= now:
            problems.append(TableProblem(row.number, "start", "is in the past"))
        problems.extend(_incomplete(row.number, _merged(seminar, row.stated)))
    return problems


def _incomplete(number: int, merged: dict[str, Any]) -> list[TableProblem]:
    """What a seminar of this format lacks, once the file's cells are laid over what is stored."""
    problems = []
    if merged["format"] is None:
        problems.append(TableProblem(number, "format", "is empty"))
    if merged["format"] in ("online", "hybrid") and not merged.get("link"):
        problems.append(TableProblem(number, "link", "an online seminar needs a link"))
    if merged["format"] in ("in_person", "hybrid") and not merged.get("place"):
        problems.append(TableProblem(number, "place", "an in-person seminar needs a place"))
    return problems


def _merged(seminar: Seminar | None, stated: dict[str, Any]) -> dict[str, Any]:
    known = {} if seminar is None else {"link": seminar.link, "place": seminar.place}
    return {"format": seminar.format if seminar else None, **known, **stated}


async def _existing(session: AsyncSession, town_ids: set[int]) -> dict[Key, Seminar]:
    """Published and cancelled seminars of these municipalities, by identity."""
    found = await session.scalars(
        select(Seminar).where(
            Seminar.municipality_id.in_(sorted(town_ids)),
            Seminar.status != SeminarStatus.DRAFT,
        )
    )
    return {
        (s.municipality_id, name_key(s.title or ""), as_utc(s.starts_at)): s
        for s in found
        if s.starts_at is not None
    }


def _new(row: SeminarRow, organiser: int | None, now: datetime) -> Seminar:
    seminar = Seminar(
        municipality_id=row.town_id,
        title=row.title,
        starts_at=row.starts_at,
        duration_minutes=90,
        tags=[],
        audience=None,
        status=SeminarStatus.PUBLISHED,
        organiser_id=organiser,
        created_at=now,
        published_at=now,
    )
    _apply(seminar, row.stated)
    return seminar


def _apply(seminar: Seminar, changes: dict[str, Any]) -> bool:
    """Set the attributes that differ; whether anything did."""
    changed = False
    for attribute, value in changes.items():
        if getattr(seminar, attribute) != value:
            setattr(seminar, attribute, value)
            changed = True
    return changed


def _checked(parse: Callable[[], T], column: str, bad: Callable[[str, str], None]) -> T | None:
    try:
        return parse()
    except InvalidInput as exc:
        bad(column, MESSAGES.get(exc.code, exc.code))
        return None
