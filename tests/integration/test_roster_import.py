"""Roster re-import: states what the file says, keeps what it does not, never duplicates."""

from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from core.models import Municipality, School, SchoolSubject, Subject
from core.people.roster import ImportSummary, import_roster, parse_roster
from core.tables import read_table
from tests.dbstate import read_snapshot

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "roster.csv"
SCHOOL = "МОАУ «СОШ № 1»"
TOWN = "г. Новотроицк"
Maker = async_sessionmaker[AsyncSession]


async def _import(
    sessionmaker: Maker, path: Path, replace_subjects: bool = False
) -> ImportSummary:
    schools = parse_roster(read_table(path), "Europe/Moscow")
    async with sessionmaker() as session:
        return await import_roster(session, schools, replace_subjects)


def _file(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "again.csv"
    path.write_text(text, encoding="utf-8")
    return path


async def _school(sessionmaker: Maker) -> tuple[int, str, dict[str, int]]:
    """Teachers, the municipality's zone and subject headcounts of SCHOOL."""
    async with sessionmaker() as session:
        school = await session.scalar(select(School).where(School.name == SCHOOL))
        assert school is not None
        town = await session.get(Municipality, school.municipality_id)
        assert town is not None
        rows = await session.execute(
            select(Subject.name, SchoolSubject.teachers)
            .join(SchoolSubject)
            .where(SchoolSubject.school_id == school.id)
        )
        return school.teachers, town.timezone, dict(rows.all())


@pytest.fixture
async def imported(sessionmaker: Maker) -> Maker:
    first = await _import(sessionmaker, EXAMPLE)
    assert (first.municipalities, first.schools_created, first.schools_updated) == (2, 5, 0)
    return sessionmaker


EXAMPLE_COUNTS = {
    "Математика": 8,
    "Русский язык": 9,
    "Физика": 3,
    "Начальные классы": 12,
    "Английский язык": 5,
}


async def test_the_same_file_twice_changes_nothing(imported: Maker, migrated_url: str) -> None:
    before = await read_snapshot(migrated_url)
    again = await _import(imported, EXAMPLE)
    assert not again.changed and again.schools_unchanged == 5
    assert await read_snapshot(migrated_url) == before


async def test_a_file_with_fewer_columns_keeps_the_zone_and_the_subjects(
    imported: Maker, tmp_path: Path
) -> None:
    path = _file(tmp_path, f"municipality,school,teachers\n{TOWN},{SCHOOL},60\n")
    summary = await _import(imported, path)
    assert (summary.schools_updated, summary.zone_changes) == (1, ())
    assert await _school(imported) == (60, "Asia/Yekaterinburg", EXAMPLE_COUNTS)


async def test_an_empty_cell_keeps_and_a_zero_removes(imported: Maker, tmp_path: Path) -> None:
    header = "municipality,timezone,school,teachers,Математика,Русский язык,Физика\n"
    path = _file(tmp_path, header + f"{TOWN},,{SCHOOL},54,10,,0\n")
    await _import(imported, path)
    _, zone, counts = await _school(imported)
    assert zone == "Asia/Yekaterinburg"
    expected = {**EXAMPLE_COUNTS, "Математика": 10}
    del expected["Физика"]
    assert counts == expected  # Русский язык kept, Физика gone, Математика updated


async def test_names_match_whatever_their_case_quotes_and_spacing(
    imported: Maker, tmp_path: Path, migrated_url: str
) -> None:
    header = "Муниципалитет,школа,педагогов,математика, русский  язык\n"
    path = _file(tmp_path, header + 'Г. НОВОТРОИЦК,"моау ""сош №1""",54,8,9\n')
    before = await read_snapshot(migrated_url)
    summary = await _import(imported, path)
    assert (summary.schools_created, summary.schools_updated, summary.subjects) == (0, 0, 2)
    assert await read_snapshot(migrated_url) == before  # no second school, subject or municipality


async def test_replace_subjects_makes_the_file_the_complete_list(
    imported: Maker, tmp_path: Path
) -> None:
    header = "municipality,school,teachers,Математика,Химия\n"
    path = _file(tmp_path, header + f"{TOWN},{SCHOOL},54,8,2\n")
    summary = await _import(imported, path, replace_subjects=True)
    assert summary.schools_updated == 1
    assert (await _school(imported))[2] == {"Математика": 8, "Химия": 2}


async def test_a_stated_time_zone_changes_and_is_reported(imported: Maker, tmp_path: Path) -> None:
    header = "municipality,timezone,school,teachers\n"
    path = _file(tmp_path, header + f"{TOWN},Asia/Omsk,{SCHOOL},54\n{TOWN},,Новая школа,7\n")
    summary = await _import(imported, path)
    assert summary.zone_changes == (f"{TOWN}: time zone Asia/Yekaterinburg → Asia/Omsk",)
    assert (summary.schools_created, summary.schools_unchanged) == (1, 1)
    assert (await _school(imported))[1] == "Asia/Omsk"
    async with imported() as session:
        assert await session.scalar(select(func.count()).select_from(Municipality)) == 2
