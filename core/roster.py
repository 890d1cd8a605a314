"""Roster import: municipalities, schools and staff headcounts from CSV or XLSX, all or nothing."""

from dataclasses import dataclass, field
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from core.models import Municipality, School, SchoolSubject, Subject
from core.tables import TableError, TableProblem

# Column headers a methodist may write, in Russian or English; the rest are subject names.
FIXED_COLUMNS = {
    "municipality": ("municipality", "муниципалитет", "муниципальное образование"),
    "timezone": ("timezone", "часовой пояс"),
    "school": ("school", "школа", "образовательная организация"),
    "teachers": ("teachers", "педагогов", "число педагогов"),
}
MAX_NAME = {"municipality": 200, "school": 300, "subject": 100}


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


def parse_roster(rows: list[list[str]], default_timezone: str) -> list[RosterSchool]:
    """Validate the table; raise TableError naming the row and column of every problem."""
    if not rows:
        raise TableError([TableProblem(1, "-", "the file is empty")])
    columns, problems = _map_header(rows[0])
    if problems:
        raise TableError(problems)
    schools: list[RosterSchool] = []
    seen: dict[tuple[str, str], int] = {}
    zones: dict[str, str] = {}
    for number, row in enumerate(rows[1:], start=2):
        cells = {name: (row[i].strip() if i < len(row) else "") for name, i in columns.items()}
        if not any(cells.values()):
            continue
        key = (cells["municipality"].casefold(), cells["school"].casefold())
        if all(key) and key in seen:
            problems.append(TableProblem(number, "school", f"duplicates row {seen[key]}"))
        seen.setdefault(key, number)
        school = _parse_row(number, cells, default_timezone, problems)
        if school is None:
            continue
        zone = zones.setdefault(key[0], school.timezone)
        if zone != school.timezone:
            problems.append(TableProblem(number, "timezone", f"differs from {zone!r} above"))
        schools.append(school)
    if not schools and not problems:
        problems.append(TableProblem(2, "-", "no schools in the file"))
    if problems:
        raise TableError(problems)
    return schools


def _map_header(header: list[str]) -> tuple[dict[str, int], list[TableProblem]]:
    columns: dict[str, int] = {}
    problems: list[TableProblem] = []
    for index, raw in enumerate(header):
        title = raw.strip()
        if not title:
            continue
        fixed = next((k for k, names in FIXED_COLUMNS.items() if title.casefold() in names), None)
        name = fixed or title
        if name in columns:
            problems.append(TableProblem(1, title, "column appears twice"))
        elif fixed is None and len(title) > MAX_NAME["subject"]:
            problems.append(TableProblem(1, title[:20], "subject name is too long"))
        columns[name] = index
    for required in ("municipality", "school", "teachers"):
        if required not in columns:
            problems.append(TableProblem(1, required, "required column is missing"))
    return columns, problems


def _parse_row(
    number: int, cells: dict[str, str], default_timezone: str, problems: list[TableProblem]
) -> RosterSchool | None:
    before = len(problems)
    for column in ("municipality", "school"):
        if not cells[column]:
            problems.append(TableProblem(number, column, "is empty"))
        elif len(cells[column]) > MAX_NAME[column]:
            problems.append(TableProblem(number, column, "is too long"))
    timezone = cells.get("timezone") or default_timezone
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        problems.append(TableProblem(number, "timezone", f"unknown time zone {timezone!r}"))
    teachers = _count(number, "teachers", cells["teachers"], problems, required=True)
    subjects: dict[str, int] = {}
    for column, value in cells.items():
        if column in FIXED_COLUMNS or not value:
            continue
        count = _count(number, column, value, problems, required=False)
        if count is not None and teachers is not None and count > teachers:
            problems.append(TableProblem(number, column, f"{count} is more than teachers"))
        if count:
            subjects[column] = count
    if len(problems) > before or teachers is None:
        return None
    return RosterSchool(cells["municipality"], timezone, cells["school"], teachers, subjects)


def _count(
    number: int, column: str, value: str, problems: list[TableProblem], *, required: bool
) -> int | None:
    if not value:
        if required:
            problems.append(TableProblem(number, column, "is empty"))
        return None
    normalized = value[:-2] if value.endswith(".0") else value  # XLSX numbers arrive as "12.0"
    if not normalized.isdigit():
        problems.append(TableProblem(number, column, f"{value!r} is not a whole number ≥ 0"))
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
