"""`pedpulse indicators list`, `aggregate` and `report` on a real database: the catalogue
listed, the series stored, the analytical report written with small groups hidden, and every
refusal one line that writes nothing."""

import asyncio
import io
import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from core import db
from core.models import IndicatorRecord, Municipality, Person, PersonRole, Response, Role, School
from core.monitoring.catalogue import load_catalogue
from core.monitoring.periods import Period, week
from tests.cli import assert_refused, invoke, isolate
from tests.dbstate import snapshot

CATALOGUE = load_catalogue()
TOWN, BIG, SMALL = "Малый город", "Большая школа", "Малая школа"
# a week that has surely ended: the command counts up to now, whatever today is
WEEK = week(datetime.now(UTC).date() - timedelta(days=14))
K, K_SENSITIVE = 5, 10


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    return isolate(tmp_path, monkeypatch, {})


def _teacher(town: int, school: int, number: int, young: bool, week_: Period) -> Person:
    joined = datetime.combine(week_.start, datetime.min.time(), UTC) - timedelta(days=30)
    this_year = datetime.now(UTC).year
    return Person(
        telegram_id=7000 + number,
        municipality_id=town,
        school_id=school,
        full_name=f"Учитель {number}",
        started_year=this_year - 1 if young else 2000,
        birth_year=1970,
        language="ru",
        consent_at=joined,
        registered_at=joined,
        roles=[PersonRole(role=Role.TEACHER)],
    )


async def _build(url: str) -> None:
    """The big school (roster 40): six teachers, two of them young, four with a burnout
    result in the week. The small school (no roster): three teachers, one young."""
    engine = db.create_engine(url)
    try:
        async with db.create_sessionmaker(engine)() as session:
            town = Municipality(name=TOWN, timezone="Europe/Moscow")
            session.add(town)
            await session.flush()
            big = School(municipality_id=town.id, name=BIG, teachers=40)
            small = School(municipality_id=town.id, name=SMALL, teachers=0)
            session.add_all([big, small])
            await session.flush()
            people = [_teacher(town.id, big.id, i, i < 2, WEEK) for i in range(6)]
            people += [_teacher(town.id, small.id, 10 + i, i == 0, WEEK) for i in range(3)]
            session.add_all(people)
            await session.flush()
            done = datetime.combine(WEEK.start, datetime.min.time(), UTC) + timedelta(days=2)
            session.add_all(_burnout(p.id, done) for p in people[:4])
            await session.commit()
    finally:
        await engine.dispose()


def _burnout(person: int, when: datetime) -> Response:
    return Response(
        person_id=person,
        instrument="cbi",
        version=1,
        status="completed",
        started_at=when,
        completed_at=when,
        scores={"scales": {}, "derived": {"overall": {"score": 60.0, "band": "high"}}},
    )


@pytest.fixture
def town(migrated_url: str, home: Path) -> str:
    asyncio.run(_build(migrated_url))
    return migrated_url


def _records(url: str) -> int:
    async def count() -> int:
        engine = db.create_engine(url)
        try:
            async with db.create_sessionmaker(engine)() as session:
                found = await session.scalar(select(func.count()).select_from(IndicatorRecord))
                return int(found or 0)
        finally:
            await engine.dispose()

    return asyncio.run(count())


def test_indicators_list_shows_every_catalogue_key() -> None:
    result = invoke("indicators", "list")
    assert result.exit_code == 0, result.output
    listed = [line.split(":")[0] for line in result.output.splitlines() if not line[:1].isspace()]
    assert listed == list(CATALOGUE.keys)
    assert "Охват диагностикой профессиональных дефицитов" in result.output
    assert "denominator: headcount, source: 000 §4; 001 Track 1" in result.output


def test_aggregate_stores_the_series(town: str) -> None:
    args = ["--period", WEEK.label, "--municipality", "малый  город"]  # spelt as typed
    one = invoke("aggregate", *args, DATABASE_URL=town)
    assert one.exit_code == 0, one.output
    stored = _records(town)
    assert stored > 0
    assert f"{TOWN}: {stored} values stored ({WEEK.label})." in one.output
    every = invoke("aggregate", DATABASE_URL=town)  # the standard periods of every town
    assert every.exit_code == 0, every.output
    assert f"{TOWN}: " in every.output and "values stored" in every.output
    assert _records(town) > stored


def _rows(data: bytes) -> dict[str, list[tuple[object, ...]]]:
    """Each indicator sheet's value rows (below its header), by the indicator's key."""
    book = load_workbook(io.BytesIO(data))
    keys = {i.short.ru: i.key for i in CATALOGUE}
    return {
        keys[sheet.title]: list(sheet.iter_rows(min_row=5, max_col=10, values_only=True))
        for sheet in book.worksheets
        if sheet.title in keys
    }


def test_report_writes_a_workbook_where_small_groups_show_no_number(town: str, home: Path) -> None:
    result = invoke(
        "report", "--municipality", TOWN, "--period", WEEK.label, "--out", "справка.xlsx",
        DATABASE_URL=town,
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert f"for {WEEK.label} to справка.xlsx" in result.output
    sheets = _rows((home / "справка.xlsx").read_bytes())
    assert "young_share" in sheets and "burnout_high_risk" in sheets
    for key, rows in sheets.items():
        k = K_SENSITIVE if CATALOGUE[key].sensitive else K
        for period, _, unit, _, num, den, _, n, value, _ in rows:
            assert period == WEEK.label
            if isinstance(n, int) and n:  # a shown group is never smaller than k
                assert n >= k, (key, unit, n)
            if not isinstance(n, int):  # hidden: a mark, and no number anywhere in the row
                assert (num, den) == (None, None) and str(value).startswith("скрыто"), (key, unit)
            if unit == SMALL:  # three teachers: a number only where the group is empty (n = 0)
                assert not isinstance(value, int | float) or n == 0, (key, value)
    # by hand: 2 + 1 young of 9 registered in the town; the small school's 1 of 3 is hidden,
    # and the big school's 2 of 6 with it, or the town minus the big school would give it
    young = {row[2]: row for row in sheets["young_share"]}
    assert young[TOWN][4:6] == (3, 9) and young[TOWN][8] == pytest.approx(100 / 3)
    assert young[SMALL][8] == "скрыто, n < k" and young[BIG][8] == "скрыто для защиты данных"
    # four burnout results, all in the big school: fewer than 10, so hidden in the town and
    # there; the small school has none to show (n = 0, no data)
    burnout = {row[2]: row for row in sheets["burnout_high_risk"]}
    assert burnout[TOWN][8] == burnout[BIG][8] == "скрыто, n < k"
    assert burnout[SMALL][7:9] == (0, "нет данных")


REFUSALS = [  # the option changed from a good report, the exit code, the message
    ("--municipality", "Нигде", 2, "no municipality called 'Нигде'"),
    ("--period", "2026-W99", 2, "'2026-W99' is not a period"),
    ("--period", "abc", 2, "'abc' is not a period"),
    ("--period", "2099-W01", 2, "2099-W01 has not begun yet in Малый город"),
    ("--out", "x.csv", 2, "x.csv must end in .xlsx"),
    ("--out", "нет/справка.xlsx", 1, "cannot write нет/справка.xlsx: there is no folder"),
]


@pytest.mark.parametrize(("option", "value", "code", "message"), REFUSALS)
def test_a_refused_report_is_one_line_and_writes_nothing(
    town: str, home: Path, option: str, value: str, code: int, message: str
) -> None:
    given = {"--municipality": TOWN, "--period": WEEK.label, "--out": "справка.xlsx"}
    given[option] = value
    before = snapshot(town)
    result = invoke("report", *[a for pair in given.items() for a in pair], DATABASE_URL=town)
    assert_refused(result, code, message)
    assert result.output.strip().startswith("Error: ") and "\n" not in result.output.strip()
    assert snapshot(town) == before
    assert not any(home.glob("*.xlsx")) and not any(home.glob("*.csv"))


def test_aggregate_refuses_a_period_not_begun_and_stores_nothing(town: str) -> None:
    result = invoke("aggregate", "--period", "2099-W01", DATABASE_URL=town)
    assert_refused(result, 2, "2099-W01 has not begun yet in Малый город")
    assert _records(town) == 0


def test_output_cut_short_by_a_pipe_is_not_an_error(home: Path) -> None:
    """`pedpulse indicators list | head -1`: the reader stops early, the command ends quietly."""
    pedpulse = Path(sys.executable).parent / "pedpulse"
    done = subprocess.run(
        ["bash", "-c", f"set -o pipefail; '{pedpulse}' indicators list | head -1"],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "PEDPULSE_HOME": str(home)},
    )
    assert done.stdout.startswith("diag_coverage")
    assert "Error" not in done.stderr and "Traceback" not in done.stderr, done.stderr
    assert done.returncode == 0
