"""Tables people prepare in Excel: CSV or XLSX rows, and problems named by row and column."""

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from openpyxl import load_workbook


@dataclass(frozen=True)
class TableProblem:
    """One problem in the file: 1-based row (header is row 1) and column name."""

    row: int
    column: str
    message: str

    def __str__(self) -> str:
        return f"row {self.row}, column {self.column!r}: {self.message}"


class TableError(Exception):
    """The file was refused whole; `problems` lists every problem found."""

    def __init__(self, problems: list[TableProblem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


def read_table(path: Path) -> list[list[str]]:
    """Rows of a CSV (`,` or `;`, UTF-8 or Windows-1251) or the first sheet of an XLSX file."""
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return _read_xlsx(path)
    if suffix in (".csv", ".txt"):
        return _read_csv(path.read_bytes())
    raise TableError(
        [TableProblem(0, "-", f"unsupported file type {suffix!r}: use .csv or .xlsx")]
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
        raise TableError([TableProblem(0, "-", f"not a readable XLSX file ({exc})")]) from exc
    sheet = workbook.worksheets[0]
    rows = [
        ["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)
    ]
    workbook.close()
    return rows
