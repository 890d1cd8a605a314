"""The mentoring paperwork as XLSX: the workbook of one municipality, read back as a methodist
would open it, and `pedpulse mentoring export` writing it to a file."""

import asyncio
import io
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from click.testing import Result
from openpyxl import load_workbook
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from core import db
from core.mentoring.export import mentoring_workbook
from core.models import (
    MentorMeeting,
    Mentorship,
    Municipality,
    Person,
    PersonRole,
    ProgrammeGoal,
    Role,
    School,
)
from core.texts import load_catalogues
from tests.cli import assert_refused, invoke, isolate

RU = load_catalogues()["ru"]
SHEETS = ["Реестр", "Пары", "Программы", "Журнал встреч", "Итоги"]
KEYS = ["registry", "pairs", "goals", "meetings", "reasons"]
SCHOOL = "МОАУ «СОШ № 1»"
ANNA, PETR = "Иванова Анна Петровна", "Петров Пётр Ильич"  # mentors
MARIA, OLEG = "Сидорова Мария Олеговна", "Кузнецов Олег Игоревич"  # mentees
METHOD = RU.plain("goal_method")  # the goal drafted for the methodical area
TOPIC = "Как говорить с родителями"  # the mentee's own topic
NOTE = "Разобрали технологическую карту урока"
PRIVATE = "Сложный разговор с завучем"
STRANGERS = ("Чужаков Семён", "Далёкова Нина", "Цель из другого города")
Sheets = dict[str, list[tuple[object, ...]]]


@dataclass(frozen=True)
class Built:
    town: int
    closed: int  # Иванова with Сидорова, goals met
    open: int  # Петров with Кузнецов
    theirs: int  # a pair of the other municipality


def _person(
    town: Municipality, chat: int, name: str, school: School | None, *roles: Role
) -> Person:
    moment = datetime(2025, 8, 1, tzinfo=UTC)
    return Person(
        telegram_id=chat,
        municipality_id=town.id,
        school_id=school.id if school else None,
        full_name=name,
        language="ru",
        consent_at=moment,
        registered_at=moment,
        roles=[PersonRole(role=role) for role in roles],
    )


def _pair(
    town: Municipality, mentor: Person, mentee: Person, mode: str, started: datetime, ends_on: date
) -> Mentorship:
    return Mentorship(
        municipality_id=town.id,
        mentor_id=mentor.id,
        mentee_id=mentee.id,
        mode=mode,
        started_at=started,
        ends_on=ends_on,
        last_activity_at=started,
    )


async def _people(session: AsyncSession) -> tuple[Municipality, Municipality, list[Person]]:
    town = Municipality(name="Городок", timezone="Asia/Vladivostok")  # UTC+10
    away = Municipality(name="Далёкий", timezone="Europe/Moscow")
    session.add_all([town, away])
    await session.flush()
    school = School(municipality_id=town.id, name=SCHOOL, teachers=40)
    session.add(school)
    await session.flush()
    people = [
        _person(town, 1, ANNA, school, Role.TEACHER, Role.MENTOR),
        _person(town, 2, PETR, None, Role.MENTOR),
        _person(town, 3, MARIA, school, Role.TEACHER),
        _person(town, 4, OLEG, school, Role.TEACHER),
        _person(away, 5, STRANGERS[0], None, Role.MENTOR),
        _person(away, 6, STRANGERS[1], None),
    ]
    session.add_all(people)
    await session.flush()
    return town, away, people


async def build(session: AsyncSession) -> Built:
    """Two municipalities; the first has a closed pair with goals and meetings, an open one."""
    town, away, (anna, petr, maria, oleg, semyon, nina) = await _people(session)
    # In the town (UTC+10): started 12:00 on 1 September, closed 04:00 on 20 February (the
    # 19th in UTC); the open pair started 08:00 on 12 January (the 11th in UTC).
    closed = _pair(
        town, anna, maria, "in_person", datetime(2025, 9, 1, 2, tzinfo=UTC), date(2026, 3, 1)
    )
    closed.ended_at, closed.end_reason = datetime(2026, 2, 19, 18, tzinfo=UTC), "goals_met"
    opened = _pair(
        town, petr, oleg, "online", datetime(2026, 1, 11, 22, tzinfo=UTC), date(2026, 7, 12)
    )
    theirs = _pair(
        away, semyon, nina, "bot", datetime(2025, 10, 1, 9, tzinfo=UTC), date(2026, 4, 1)
    )
    theirs.ended_at, theirs.end_reason = datetime(2026, 1, 10, 9, tzinfo=UTC), "moved"
    closed.mentor_shares_notes = closed.mentee_shares_notes = True  # both let notes through
    opened.mentor_shares_notes = True  # one side only: its notes stay the pair's own
    session.add_all([closed, opened, theirs])
    await session.flush()
    session.add_all(_journal(closed.id, theirs.id))
    session.add_all(_open_journal(opened.id))
    await session.commit()
    return Built(town.id, closed.id, opened.id, theirs.id)


def _journal(closed: int, theirs: int) -> list[ProgrammeGoal | MentorMeeting]:
    """Two goals (one done) and two meetings (one confirmed) of the closed pair; one each of
    the other town's pair."""
    first = ProgrammeGoal(mentorship_id=closed, position=1, area="method", goal=METHOD)
    first.due_on, first.done_at = date(2025, 12, 1), datetime(2025, 11, 30, 5, tzinfo=UTC)
    return [
        first,
        ProgrammeGoal(mentorship_id=closed, position=2, goal=TOPIC, due_on=date(2026, 2, 1)),
        ProgrammeGoal(
            mentorship_id=theirs, position=1, goal=STRANGERS[2], due_on=date(2026, 3, 1)
        ),
        _meeting(closed, date(2025, 10, 15), "in_person", True, True, note=NOTE),
        _meeting(closed, date(2025, 11, 20), "bot", by_mentor=False, confirmed=False),
        _meeting(theirs, date(2025, 10, 20), "online", by_mentor=True, confirmed=True),
    ]


def _open_journal(opened: int) -> list[MentorMeeting]:
    """A logged meeting whose note only one side shares, and a draft never logged."""
    draft = _meeting(opened, date(2026, 2, 2), "online", True, False, note="черновик")
    draft.logged_at = None
    return [_meeting(opened, date(2026, 2, 1), "online", True, False, note=PRIVATE), draft]


def _meeting(
    pair: int, held_on: date, mode: str, by_mentor: bool, confirmed: bool, note: str | None = None
) -> MentorMeeting:
    logged = datetime(held_on.year, held_on.month, held_on.day, 9, tzinfo=UTC)
    return MentorMeeting(
        mentorship_id=pair,
        held_on=held_on,
        mode=mode,
        by_mentor=by_mentor,
        logged_at=logged,
        confirmed_at=logged if confirmed else None,
        note=note,
    )


def read(data: bytes) -> Sheets:
    """Every sheet's rows as a methodist sees them (an empty cell as "")."""
    book = load_workbook(io.BytesIO(data))
    return {
        sheet.title: [
            tuple("" if v is None else v for v in row) for row in sheet.iter_rows(values_only=True)
        ]
        for sheet in book.worksheets
    }


@pytest.fixture
async def paper(sessionmaker: async_sessionmaker[AsyncSession]) -> tuple[Built, Sheets]:
    async with sessionmaker() as session:
        built = await build(session)
        return built, read(await mentoring_workbook(session, built.town, RU))


def test_every_sheet_is_named_and_headed_in_russian(paper: tuple[Built, Sheets]) -> None:
    _, sheets = paper
    assert list(sheets) == SHEETS
    for title, key in zip(SHEETS, KEYS, strict=True):
        assert sheets[title][0] == tuple(RU.plain(f"xl_head_{key}").split("|"))
    assert sheets["Пары"][0][:3] == ("№ пары", "Наставник", "Наставляемый")


def test_pairs_and_registry_show_names_and_the_towns_own_dates(
    paper: tuple[Built, Sheets],
) -> None:
    built, sheets = paper
    assert sheets["Пары"][1:] == [
        (
            built.closed,
            ANNA,
            MARIA,
            "очно",
            "01.09.2025",
            "01.03.2026",
            "20.02.2026",
            "цели достигнуты",
        ),
        (built.open, PETR, OLEG, "онлайн", "12.01.2026", "12.07.2026", "", ""),
    ]
    assert sheets["Реестр"][1:] == [
        ("наставник", ANNA, SCHOOL, 0),
        ("наставник", PETR, "", 1),
        ("наставляемый", OLEG, SCHOOL, 1),
        ("наставляемый", MARIA, SCHOOL, 0),
    ]


def test_goals_meetings_and_closing_reasons(paper: tuple[Built, Sheets]) -> None:
    built, sheets = paper
    assert sheets["Программы"][1:] == [
        (built.closed, 1, "методическая", METHOD, "01.12.2025", "да"),
        (built.closed, 2, "", TOPIC, "01.02.2026", ""),
    ]
    assert sheets["Журнал встреч"][1:] == [
        (built.closed, "15.10.2025", "очно", "", "наставник", "да", NOTE),
        (built.closed, "20.11.2025", "переписка в боте", "", "наставляемый", "", ""),
        (built.open, "01.02.2026", "онлайн", "", "наставник", "", ""),  # PRIVATE stays out
    ]
    assert sheets["Итоги"][1:] == [("цели достигнуты", 1)]  # not the other town's "moved"


def test_another_municipalitys_pairs_are_not_in_it(paper: tuple[Built, Sheets]) -> None:
    built, sheets = paper
    cells = [str(v) for rows in sheets.values() for row in rows for v in row]
    for stranger in STRANGERS:
        assert not any(stranger in cell for cell in cells)
    for title in ("Пары", "Программы", "Журнал встреч"):
        assert built.theirs not in [row[0] for row in sheets[title][1:]]


async def test_a_topic_that_looks_like_a_formula_stays_text(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    # A mentee's topic is free text; in a cell it must never become a formula Excel runs.
    typed = '=HYPERLINK("http://example.org","Методичка")'
    async with sessionmaker() as session:
        built = await build(session)
        session.add(
            ProgrammeGoal(
                mentorship_id=built.open, position=1, goal=typed, due_on=date(2026, 6, 1)
            )
        )
        await session.commit()
        data = await mentoring_workbook(session, built.town, RU)
    goals = load_workbook(io.BytesIO(data))["Программы"]
    cell = goals.cell(row=4, column=4)  # after the header and the closed pair's two goals
    assert (cell.value, cell.data_type) == (typed, "s")


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    return isolate(tmp_path, monkeypatch, {})


@pytest.fixture
def filled(migrated_url: str, home: Path) -> str:
    """The database of `build`, for the command to read."""

    async def fill() -> None:
        engine = db.create_engine(migrated_url)
        try:
            async with db.create_sessionmaker(engine)() as session:
                await build(session)
        finally:
            await engine.dispose()

    asyncio.run(fill())
    return migrated_url


def export(url: str | None, town: str, out: str) -> Result:
    env = {"DATABASE_URL": url} if url else {}
    return invoke("mentoring", "export", "--municipality", town, "--out", out, **env)


def test_the_command_writes_a_workbook_that_opens(filled: str, home: Path) -> None:
    result = export(filled, "городок", "paper.xlsx")  # spelt as typed, not as in the roster
    assert result.exit_code == 0, result.output
    assert "paper.xlsx" in result.output
    sheets = read((home / "paper.xlsx").read_bytes())
    assert list(sheets) == SHEETS
    assert [row[1:3] for row in sheets["Пары"][1:]] == [(ANNA, MARIA), (PETR, OLEG)]


def test_the_command_names_an_unknown_municipality_in_one_line(filled: str, home: Path) -> None:
    result = export(filled, "Нигде", "paper.xlsx")
    assert_refused(result, 2, "no municipality called 'Нигде'")
    named = [line for line in result.output.splitlines() if "Нигде" in line]
    assert len(named) == 1 and named[0].startswith("Error:"), result.output
    assert not (home / "paper.xlsx").exists()


def test_the_command_refuses_a_file_that_is_not_xlsx(home: Path) -> None:
    assert_refused(export(None, "Городок", "x.csv"), 2, "the file must end in .xlsx")
    assert not (home / "x.csv").exists()
    assert not (home / "data").exists()  # refused before even a database was made
