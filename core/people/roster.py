"""Roster import: municipalities, schools and staff headcounts from CSV or XLSX, all or nothing.

A re-import states what the file says and keeps what it does not say: a missing column or
an empty cell never erases (a municipality keeps its time zone, a school its subjects); a 0
removes that subject from the school; `replace_subjects` makes the file's counts a school's
complete list. Names match whatever their case, quotes or spacing (`core.names`), and
importing the same file again changes nothing.
"""

from collections import Counter
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from core.models import Municipality, School, SchoolSubject, Subject
from core.names import name_key
from core.tables import TableError, TableProblem

# Column headers a methodist may write, in Russian or English; the rest are subject names.
FIXED_COLUMNS = {
    "municipality": ("municipality", "муниципалитет", "муниципальное образование"),
    "timezone": ("timezone", "часовой пояс"),
    "school": ("school", "школа", "образовательная организация"),
    "teachers": ("teachers", "педагогов", "число педагогов"),
}
MAX_NAME = {"municipality": 200, "school": 300, "subject": 100}
MAX_COUNT = 100_000  # teachers of one school, or of one subject there: more is a typo


@dataclass
class RosterSchool:
    municipality: str
    timezone: str  # the municipality's zone: stated in the file, or the default
    name: str
    teachers: int
    subjects: dict[str, int] = field(default_factory=dict)  # stated cells only; 0 = none
    timezone_stated: bool = True


@dataclass(frozen=True)
class ImportSummary:
    municipalities: int
    schools_created: int
    schools_updated: int
    subjects: int
    schools_unchanged: int = 0
    zone_changes: tuple[str, ...] = ()

    @property
    def changed(self) -> bool:
        return bool(self.schools_created or self.schools_updated or self.zone_changes)


def parse_roster(rows: list[list[str]], default_timezone: str) -> list[RosterSchool]:
    """Validate the table; raise TableError naming the row and column of every problem."""
    if not rows:
        raise TableError([TableProblem.file("the file is empty")])
    columns, problems = _map_header(rows[0])
    if problems:
        raise TableError(problems)
    schools: list[tuple[RosterSchool, int]] = []
    seen: dict[tuple[str, str], int] = {}
    for number, row in enumerate(rows[1:], start=2):
        cells = {name: (row[i].strip() if i < len(row) else "") for name, i in columns.items()}
        if not any(cells.values()):
            continue
        key = (name_key(cells["municipality"]), name_key(cells["school"]))
        if all(key) and key in seen:
            problems.append(TableProblem(number, "school", f"duplicates row {seen[key]}"))
        seen.setdefault(key, number)
        school = _parse_row(number, cells, problems)
        if school is not None:
            schools.append(school)
    if not schools and not problems:
        problems.append(TableProblem.file("no schools in the file"))
    _settle_zones(schools, default_timezone, problems)
    if problems:
        raise TableError(problems)
    return [school for school, _ in schools]


def _map_header(header: list[str]) -> tuple[dict[str, int], list[TableProblem]]:
    columns: dict[str, int] = {}
    keys: set[str] = set()
    problems: list[TableProblem] = []
    for index, raw in enumerate(header):
        title = " ".join(raw.split())
        if not title:
            continue
        fixed = next((k for k, names in FIXED_COLUMNS.items() if title.casefold() in names), None)
        name = fixed or title
        if name_key(name) in keys:
            problems.append(TableProblem(1, title, "column appears twice"))
        elif fixed is None and len(title) > MAX_NAME["subject"]:
            problems.append(TableProblem(1, title[:20], "subject name is too long"))
        keys.add(name_key(name))
        columns[name] = index
    for required in ("municipality", "school", "teachers"):
        if required not in columns:
            problems.append(TableProblem(1, required, "required column is missing"))
    return columns, problems


def _parse_row(
    number: int, cells: dict[str, str], problems: list[TableProblem]
) -> tuple[RosterSchool, int] | None:
    before = len(problems)
    for column in ("municipality", "school"):
        if not cells[column]:
            problems.append(TableProblem(number, column, "is empty"))
        elif len(cells[column]) > MAX_NAME[column]:
            problems.append(TableProblem(number, column, "is too long"))
    zone = cells.get("timezone", "")
    if zone and not _known_zone(zone):
        problems.append(TableProblem(number, "timezone", f"unknown time zone {zone!r}"))
    teachers = _count(number, "teachers", cells["teachers"], problems, required=True)
    subjects: dict[str, int] = {}
    for column, value in cells.items():
        if column in FIXED_COLUMNS or not value:
            continue
        count = _count(number, column, value, problems, required=False)
        if count is not None and teachers is not None and count > teachers:
            problems.append(TableProblem(number, column, f"{count} is more than teachers"))
        if count is not None:
            subjects[column] = count
    if len(problems) > before or teachers is None:
        return None
    school = RosterSchool(cells["municipality"], zone, cells["school"], teachers, subjects)
    return school, number


def _known_zone(zone: str) -> bool:
    try:
        ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


def _settle_zones(
    schools: list[tuple[RosterSchool, int]], default: str, problems: list[TableProblem]
) -> None:
    """One zone per municipality: the one its rows state (empty cells agree with any)."""
    stated: dict[str, tuple[str, int]] = {}
    for school, number in schools:
        if not school.timezone:
            continue
        zone, first = stated.setdefault(name_key(school.municipality), (school.timezone, number))
        if zone != school.timezone:
            message = f"{school.timezone!r} differs from {zone!r} in row {first}"
            problems.append(TableProblem(number, "timezone", message))
    for school, _ in schools:
        found = stated.get(name_key(school.municipality))
        school.timezone, school.timezone_stated = (found[0], True) if found else (default, False)


def _count(
    number: int, column: str, value: str, problems: list[TableProblem], *, required: bool
) -> int | None:
    if not value:
        if required:
            problems.append(TableProblem(number, column, "is empty"))
        return None
    normalized = value[:-2] if value.endswith(".0") else value  # XLSX numbers arrive as "12.0"
    if not (normalized.isascii() and normalized.isdigit()):  # "²" and "٣" are digits too
        problems.append(TableProblem(number, column, f"{value!r} is not a whole number ≥ 0"))
        return None
    digits = normalized.lstrip("0") or "0"  # int() refuses over 4300 digits
    if len(digits) > len(str(MAX_COUNT)) or int(digits) > MAX_COUNT:
        problems.append(TableProblem(number, column, f"{value!r} is more than {MAX_COUNT}"))
        return None
    return int(digits)


async def import_roster(
    session: AsyncSession, schools: list[RosterSchool], replace_subjects: bool = False
) -> ImportSummary:
    """Upsert municipalities, schools, subjects and headcounts; commit once or not at all."""
    towns, zone_changes = await _upsert_municipalities(session, schools)
    subjects = await _upsert_subjects(session, {s for school in schools for s in school.subjects})
    found = await _existing_schools(session, [town.id for town in towns.values()])
    outcomes: Counter[str] = Counter()
    for item in schools:
        town = towns[name_key(item.municipality)]
        school = found.get((town.id, name_key(item.name)))
        if school is None:
            school = School(municipality_id=town.id, name=item.name, teachers=item.teachers)
            session.add(school)
            await session.flush()
            outcome = "created"
        else:
            outcome = "updated" if school.teachers != item.teachers else "unchanged"
            school.teachers = item.teachers
        counts = {subjects[name_key(name)].id: count for name, count in item.subjects.items()}
        if (
            await _set_headcounts(session, school, counts, replace_subjects)
            and outcome != "created"
        ):
            outcome = "updated"
        outcomes[outcome] += 1
    await session.commit()
    return ImportSummary(
        len(towns),
        outcomes["created"],
        outcomes["updated"],
        len(subjects),
        outcomes["unchanged"],
        tuple(zone_changes),
    )


async def _upsert_municipalities(
    session: AsyncSession, schools: list[RosterSchool]
) -> tuple[dict[str, Municipality], list[str]]:
    known = {name_key(m.name): m for m in await session.scalars(select(Municipality))}
    found: dict[str, Municipality] = {}
    changes: list[str] = []
    for item in schools:
        key = name_key(item.municipality)
        town = known.get(key)
        if town is None:
            town = Municipality(name=item.municipality, timezone=item.timezone)
            session.add(town)
            known[key] = town
        elif item.timezone_stated and town.timezone != item.timezone:
            changes.append(f"{town.name}: time zone {town.timezone} → {item.timezone}")
            town.timezone = item.timezone
        found[key] = town
    await session.flush()
    return found, changes


async def _upsert_subjects(session: AsyncSession, names: set[str]) -> dict[str, Subject]:
    existing = {name_key(s.name): s for s in await session.scalars(select(Subject))}
    wanted = {name_key(name): name for name in names}
    for key, name in wanted.items():
        if key not in existing:
            existing[key] = Subject(name=name)
            session.add(existing[key])
    await session.flush()
    return {key: existing[key] for key in wanted}


async def _existing_schools(
    session: AsyncSession, municipality_ids: list[int]
) -> dict[tuple[int, str], School]:
    rows = await session.scalars(
        select(School).where(School.municipality_id.in_(municipality_ids))
    )
    return {(school.municipality_id, name_key(school.name)): school for school in rows}


async def _set_headcounts(
    session: AsyncSession, school: School, counts: dict[int, int], replace: bool
) -> bool:
    """Apply the stated headcounts (0 removes); with `replace`, drop every unstated subject."""
    rows = await session.scalars(select(SchoolSubject).where(SchoolSubject.school_id == school.id))
    current = {row.subject_id: row for row in rows}
    changed = False
    for subject_id, row in current.items():
        if counts.get(subject_id) == 0 or (replace and subject_id not in counts):
            await session.delete(row)
            changed = True
        elif subject_id in counts and row.teachers != counts[subject_id]:
            row.teachers = counts[subject_id]
            changed = True
    for subject_id, count in counts.items():
        if count and subject_id not in current:
            session.add(SchoolSubject(school_id=school.id, subject_id=subject_id, teachers=count))
            changed = True
    return changed
