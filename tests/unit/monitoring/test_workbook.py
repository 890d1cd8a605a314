"""The XLSX report: sheets, marks, definitions, and no hidden number anywhere in the file."""

import io
import zipfile

from openpyxl import load_workbook

from core.monitoring.catalogue import load_catalogue
from core.monitoring.disclosure import ShownValue, protect
from core.monitoring.names import Names
from core.monitoring.rules import Reason
from core.monitoring.values import IndicatorValue
from core.monitoring.workbook import workbook
from tests.unit.monitoring.attack import Person, table

CATALOGUE = load_catalogue()
NAMES = Names(
    "Комсомольский район", {10: "СОШ № 1", 11: "Гимназия", 12: "Лицей"}, {1: "Математика"}
)


def crowd(count: int, school: int, flagged: int) -> list[Person]:
    return [Person(1, school, 1, i < flagged) for i in range(count)]


def publication() -> tuple[tuple[IndicatorValue, ...], tuple[ShownValue, ...]]:
    # W2 only: school 10 has 7 answers, 2 at high risk (n < 10); school 11: 19 of 41; school
    # 12: 23 of 53. School 11 is hidden too, or the total would give school 10 away.
    burnout = crowd(7, 10, 2) + crowd(41, 11, 19) + crowd(53, 12, 23)
    satisfied = crowd(30, 10, 25) + crowd(33, 11, 30) + crowd(40, 12, 35)  # all shown
    truth = table("burnout_high_risk", burnout) + table("satisfaction", satisfied)
    return truth, protect(truth, CATALOGUE)


def every_value(data: bytes) -> list[object]:
    book = load_workbook(io.BytesIO(data))
    return [c.value for sheet in book.worksheets for row in sheet.iter_rows() for c in row]


def test_sheets_marks_and_definitions() -> None:
    _, shown = publication()
    book = load_workbook(io.BytesIO(workbook(shown, CATALOGUE, NAMES)))
    assert book.sheetnames == ["Высокий риск выгорания", "Удовлетворённость", "Определения"]
    sheet = book["Высокий риск выгорания"]
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=5, max_col=10)]
    assert rows, "no data rows"
    for _, _, unit, _, num, den, _, n, value, reason in rows:
        if reason:
            assert isinstance(value, str) and value.startswith("скрыто")
            assert (num, den, n) == (None, None, None), unit
        elif value == "нет данных":
            assert n == 0
        else:
            assert isinstance(n, int) and isinstance(num, int) and isinstance(den, int)
            assert n >= 10 and value == 100 * num / den
    marks = {r[2]: r[8] for r in rows if r[0] == "2026-W47"}
    assert marks["СОШ № 1"] == "скрыто, n < k"
    assert marks["Гимназия"] == "скрыто для защиты данных"
    assert marks["Комсомольский район"] == 100 * 44 / 101
    keys = [row[0].value for row in book["Определения"].iter_rows(min_row=4, max_row=16)]
    assert set(keys) == set(CATALOGUE.keys)
    assert len(sheet.conditional_formatting) >= 1


def test_no_hidden_number_is_written_anywhere() -> None:
    truth, shown = publication()
    hidden = {s.cell for s in shown if s.hidden}
    secrets: set[object] = set()
    for v in truth:
        if v.cell in hidden:
            secrets |= {v.numerator, v.denominator, v.n, v.value}
    assert {2, 7, 19, 41} <= secrets  # the test data hides what it means to
    secrets -= {0, None}
    data = workbook(shown, CATALOGUE, NAMES)
    found = [value for value in every_value(data) if value in secrets]
    assert found == []
    strings = {str(s) for s in secrets}
    assert [v for v in every_value(data) if isinstance(v, str) and v in strings] == []


def test_the_workbook_has_a_native_chart_per_indicator_sheet() -> None:
    _, shown = publication()
    with zipfile.ZipFile(io.BytesIO(workbook(shown, CATALOGUE, NAMES))) as package:
        charts = [n for n in package.namelist() if n.startswith("xl/charts/chart")]
    assert len(charts) == 2


def test_english_workbook() -> None:
    _, shown = publication()
    book = load_workbook(io.BytesIO(workbook(shown, CATALOGUE, NAMES, language="en")))
    assert book.sheetnames == ["High burnout risk", "Satisfaction", "Definitions"]
    assert book["High burnout risk"]["I5"].value == "no data"  # W1: nobody answered


def test_a_class_hidden_share_reads_like_any_protected_one() -> None:
    """Told apart, "hidden by the class rule" and "hidden to protect other cells" would say
    where a hidden share lies (0-2 or n-2..n at high risk, or between)."""
    # school 10: 11 of 12 at high risk (the class rule); school 11: 6 of 12, hidden so that
    # the municipality minus the other schools cannot give school 10 back
    burnout = crowd(12, 10, 11) + crowd(12, 11, 6) + crowd(40, 12, 20)
    shown = protect(table("burnout_high_risk", burnout), CATALOGUE)
    reasons = {s.scope_id: s.hidden for s in shown if s.period.label == "2026-W47"}
    assert (reasons[10], reasons[11]) == (Reason.CLASS, Reason.COMPLEMENTARY)
    sheet = load_workbook(io.BytesIO(workbook(shown, CATALOGUE, NAMES)))["Высокий риск выгорания"]
    rows = {r[2]: r[8:] for r in sheet.iter_rows(min_row=5, max_col=10, values_only=True)}
    assert rows["СОШ № 1"] == rows["Гимназия"] == ("скрыто для защиты данных", "complementary")
