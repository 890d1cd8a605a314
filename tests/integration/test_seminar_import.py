"""Seminar plans imported again: updated by what the file states, never duplicated."""

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from core.errors import NotFound
from core.models import Seminar
from core.people.roster import import_roster, parse_roster
from core.seminars.importer import SeminarImport, import_seminars
from core.tables import TableError, read_table
from tests.dbstate import read_snapshot

ROSTER = Path(__file__).resolve().parents[2] / "examples" / "roster.csv"
NOW = datetime(2099, 1, 10, 9, 0, tzinfo=UTC)
HEADER = ["municipality", "title", "start", "duration", "format", "place", "link", "capacity"]
TOWN = "г. Новотроицк"
ONLINE = [TOWN, "Цифровые инструменты", "10.02.2099 15:00", "90", "онлайн", ""]
ONLINE += ["https://meet.example.org/d", "25"]
IN_PERSON = [TOWN, "Наставничество", "11.02.2099 10:00", "", "очно", "Гимназия № 1", "", ""]
Maker = async_sessionmaker[AsyncSession]


@pytest.fixture
async def town(sessionmaker: Maker) -> Maker:
    async with sessionmaker() as session:
        await import_roster(session, parse_roster(read_table(ROSTER), "Europe/Moscow"))
    return sessionmaker


async def _import(
    sessionmaker: Maker, *rows: list[str], now: datetime = NOW, organiser: int | None = None
) -> SeminarImport:
    async with sessionmaker() as session:
        return await import_seminars(session, [HEADER, *rows], now, organiser)


async def _seminars(sessionmaker: Maker) -> list[tuple[str | None, int | None, str | None]]:
    async with sessionmaker() as session:
        found = await session.scalars(select(Seminar).order_by(Seminar.id))
        return [(s.title, s.capacity, s.link) for s in found]


async def _problems(sessionmaker: Maker, *rows: list[str]) -> list[str]:
    with pytest.raises(TableError) as error:
        await _import(sessionmaker, *rows)
    return [str(p) for p in error.value.problems]


async def test_the_same_file_twice_changes_nothing(town: Maker, migrated_url: str) -> None:
    assert await _import(town, ONLINE, IN_PERSON) == SeminarImport(2, 0, 0)
    before = await read_snapshot(migrated_url)
    assert await _import(town, ONLINE, IN_PERSON) == SeminarImport(0, 0, 2)
    assert await read_snapshot(migrated_url) == before


async def test_a_changed_cell_updates_the_seminar_whatever_the_title_case(town: Maker) -> None:
    await _import(town, ONLINE)
    renamed = ["Г. НОВОТРОИЦК", "цифровые  инструменты", *ONLINE[2:7], "40"]
    assert await _import(town, renamed) == SeminarImport(0, 1, 0)
    assert await _seminars(town) == [("Цифровые инструменты", 40, "https://meet.example.org/d")]


async def test_empty_cells_keep_what_is_stored(town: Maker) -> None:
    await _import(town, ONLINE)
    assert await _import(town, [*ONLINE[:4], "", "", "", ""]) == SeminarImport(0, 0, 1)
    assert await _seminars(town) == [("Цифровые инструменты", 25, "https://meet.example.org/d")]


async def test_a_seminar_already_held_can_stay_in_the_file(town: Maker) -> None:
    await _import(town, ONLINE)
    later = NOW + timedelta(days=60)
    assert await _import(town, ONLINE, now=later) == SeminarImport(0, 0, 1)
    with pytest.raises(TableError, match="row 2, column 'start': is in the past"):
        await _import(town, IN_PERSON, now=later)


async def test_one_seminar_twice_in_a_file_and_an_http_link_are_refused(town: Maker) -> None:
    insecure = [*ONLINE[:6], "http://meet.example.org/d", ""]
    assert await _problems(town, ONLINE, ONLINE, insecure) == [
        "row 3, column 'title': the same seminar as row 2 (municipality, title, start)",
        "row 4, column 'link': must start with https:// and have no spaces",
    ]
    assert await _seminars(town) == []


async def test_a_new_seminar_needs_a_format_but_a_known_one_keeps_its_own(town: Maker) -> None:
    assert await _problems(town, [*IN_PERSON[:4], "", *IN_PERSON[5:]]) == [
        "row 2, column 'format': is empty"
    ]
    await _import(town, IN_PERSON)
    assert await _import(town, [*IN_PERSON[:4], "", "", "", "30"]) == SeminarImport(0, 1, 0)


async def test_an_unknown_organiser_stops_before_anything_is_written(town: Maker) -> None:
    with pytest.raises(NotFound):
        await _import(town, ONLINE, organiser=999)
    assert await _seminars(town) == []


async def test_numbers_that_are_not_plain_digits_are_row_problems(town: Maker) -> None:
    """A "²" is a digit to str.isdigit and int() refuses it: a named problem, not a crash."""
    odd = [*ONLINE[:3], "²", *ONLINE[4:7], "9" * 5000]
    problems = await _problems(town, odd)
    assert any("duration" in p and "15 to 600" in p for p in problems), problems
    assert any("capacity" in p for p in problems), problems
    assert await _seminars(town) == []
