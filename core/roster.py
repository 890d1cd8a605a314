"""Roster import: municipalities, schools and staff headcounts from CSV or XLSX, all or nothing."""

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from openpyxl import load_workbook
from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from core.models import Municipality, School, SchoolSubject, Subject

# Column headers a methodist may write, in Russian or English; the rest are subject names.
FIXED_COLUMNS = {
    "municipality": ("municipality", "муниципалитет", "муниципальное образование"),
    "timezone": ("timezone", "часовой пояс"),
    "school": ("school", "школа", "образовательная организация"),
    "teachers": ("teachers", "педагогов", "число педагогов"),
}
MAX_NAME = {"municipality": 200, "school": 300, "subject": 100}


@dataclass(frozen=True)
class RosterProblem:
    """One problem in the file: 1-based row (header is row 1) and column name."""

    row: int
    column: str
    message: str

    def __str__(self) -> str:
        return f"row {self.row}, column {self.column!r}: {self.message}"


class RosterError(Exception):
    """The file was refused whole; `problems` lists every problem found."""

    def __init__(self, problems: list[RosterProblem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


@dataclass
class RosterSchool:
    municipality: str
    timezone: str
    name: str
    teachers: int
    subjects: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class ImportSummary:
    municipalities: int
    schools_created: int
    schools_updated: int
    subjects: int


def read_table(path: Path) -> list[list[str]]:
    """Rows of a CSV (`,` or `;`, UTF-8 or Windows-1251) or the first sheet of an XLSX file."""
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return _read_xlsx(path)
    if suffix in (".csv", ".txt"):
        return _read_csv(path.read_bytes())
    raise RosterError(
        [RosterProblem(0, "-", f"unsupported file type {suffix!r}: use .csv or .xlsx")]
    )


def _read_csv(raw: bytes) -> list[list[str]]:
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1251")
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    return list(csv.reader(io.StringIO(text), delimiter=delimiter))


def _read_xlsx(path: Path) -> list[list[str]]:
    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a broken file
        raise RosterError([RosterProblem(0, "-", f"not a readable XLSX file ({exc})")]) from exc
    sheet = workbook.worksheets[0]
    rows = [
        ["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)
    ]
    workbook.close()
    return rows


def parse_roster(rows: list[list[str]], default_timezone: str) -> list[RosterSchool]:
    """Validate the table; raise RosterError naming the row and column of every problem."""
    if not rows:
        raise RosterError([RosterProblem(1, "-", "the file is empty")])
    columns, problems = _map_header(rows[0])
    if problems:
        raise RosterError(problems)
    schools: list[RosterSchool] = []
    seen: dict[tuple[str, str], int] = {}
    zones: dict[str, str] = {}
    for number, row in enumerate(rows[1:], start=2):
        cells = {name: (row[i].strip() if i < len(row) else "") for name, i in columns.items()}
        if not any(cells.values()):
            continue
        key = (cells["municipality"].casefold(), cells["school"].casefold())
        if all(key) and key in seen:
            problems.append(RosterProblem(number, "school", f"duplicates row {seen[key]}"))
        seen.setdefault(key, number)
        school = _parse_row(number, cells, default_timezone, problems)
        if school is None:
            continue
        zone = zones.setdefault(key[0], school.timezone)
        if zone != school.timezone:
            problems.append(RosterProblem(number, "timezone", f"differs from {zone!r} above"))
        schools.append(school)
    if not schools and not problems:
        problems.append(RosterProblem(2, "-", "no schools in the file"))
    if problems:
        raise RosterError(problems)
    return schools


def _map_header(header: list[str]) -> tuple[dict[str, int], list[RosterProblem]]:
    columns: dict[str, int] = {}
    problems: list[RosterProblem] = []
    for index, raw in enumerate(header):
        title = raw.strip()
        if not title:
            continue
        fixed = next((k for k, names in FIXED_COLUMNS.items() if title.casefold() in names), None)
        name = fixed or title
        if name in columns:
            problems.append(RosterProblem(1, title, "column appears twice"))
        elif fixed is None and len(title) > MAX_NAME["subject"]:
            problems.append(RosterProblem(1, title[:20], "subject name is too long"))
        columns[name] = index
    for required in ("municipality", "school", "teachers"):
        if required not in columns:
            problems.append(RosterProblem(1, required, "required column is missing"))
    return columns, problems


def _parse_row(
    number: int, cells: dict[str, str], default_timezone: str, problems: list[RosterProblem]
) -> RosterSchool | None:
    before = len(problems)
    for column in ("municipality", "school"):
        if not cells[column]:
            problems.append(RosterProblem(number, column, "is empty"))
        elif len(cells[column]) > MAX_NAME[column]:
            problems.append(RosterProblem(number, column, "is too long"))
    timezone = cells.get("timezone") or default_timezone
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        problems.append(RosterProblem(number, "timezone", f"unknown time zone {timezone!r}"))
    teachers = _count(number, "teachers", cells["teachers"], problems, required=True)
    subjects: dict[str, int] = {}
    for column, value in cells.items():
        if column in FIXED_COLUMNS or not value:
            continue
        count = _count(number, column, value, problems, required=False)
        if count is not None and teachers is not None and count > teachers:
            problems.append(RosterProblem(number, column, f"{count} is more than teachers"))
        if count:
            subjects[column] = count
    if len(problems) > before or teachers is None:
        return None
    return RosterSchool(cells["municipality"], timezone, cells["school"], teachers, subjects)


def _count(
    number: int, column: str, value: str, problems: list[RosterProblem], *, required: bool
) -> int | None:
    if not value:
        if required:
            problems.append(RosterProblem(number, column, "is empty"))
        return None
    normalized = value[:-2] if value.endswith(".0") else value  # XLSX numbers arrive as "12.0"
    if not normalized.isdigit():
        problems.append(RosterProblem(number, column, f"{value!r} is not a whole number ≥ 0"))
        return None
    return int(normalized)


async def import_roster(session: AsyncSession, schools: list[RosterSchool]) -> ImportSummary:
    """Upsert municipalities, schools, subjects and headcounts; commit once or not at all."""
    municipalities = await _upsert_municipalities(session, schools)
    subjects = await _upsert_subjects(session, {s for school in schools for s in school.subjects})
    created = updated = 0
    for item in schools:
        municipality = municipalities[item.municipality.casefold()]
        school = await session.scalar(
            select(School).where(
                School.municipality_id == municipality.id, School.name == item.name
            )
        )
        if school is None:
            school = School(
                municipality_id=municipality.id, name=item.name, teachers=item.teachers
            )
            session.add(school)
            await session.flush()
            created += 1
        else:
            school.teachers = item.teachers
            updated += 1
        await session.execute(delete(SchoolSubject).where(SchoolSubject.school_id == school.id))
        session.add_all(
            SchoolSubject(school_id=school.id, subject_id=subjects[name].id, teachers=count)
            for name, count in item.subjects.items()
        )
    await session.commit()
    return ImportSummary(len(municipalities), created, updated, len(subjects))


async def _upsert_municipalities(
    session: AsyncSession, schools: list[RosterSchool]
) -> dict[str, Municipality]:
    found: dict[str, Municipality] = {}
    for item in schools:
        key = item.municipality.casefold()
        if key in found:
            continue
        municipality = await session.scalar(
            select(Municipality).where(Municipality.name == item.municipality)
        )
        if municipality is None:
            municipality = Municipality(name=item.municipality, timezone=item.timezone)
            session.add(municipality)
        municipality.timezone = item.timezone
        found[key] = municipality
    await session.flush()
    return found


async def _upsert_subjects(session: AsyncSession, names: set[str]) -> dict[str, Subject]:
    existing = {
        s.name: s for s in await session.scalars(select(Subject).where(Subject.name.in_(names)))
    }
    for name in names - existing.keys():
        existing[name] = Subject(name=name)
        session.add(existing[name])
    await session.flush()
    return existing
