"""Tables people prepare in Excel: CSV or XLSX rows, and problems named by row and column."""

import codecs
import csv
import io
from dataclasses import dataclass
from pathlib import Path

DELIMITERS = (",", ";", "\t")


@dataclass(frozen=True)
class TableProblem:
    """One problem in the file: 1-based row (header is row 1) and column name.

    A problem of the whole file (empty, unreadable) has row 0 and no column.
    """

    row: int
    column: str
    message: str

    @classmethod
    def file(cls, message: str) -> "TableProblem":
        return cls(0, "", message)

    def __str__(self) -> str:
        place = [f"row {self.row}"] if self.row else []
        place += [f"column {self.column!r}"] if self.column else []
        return f"{', '.join(place)}: {self.message}" if place else self.message


class TableError(Exception):
    """The file was refused whole; `problems` lists every problem found."""

    def __init__(self, problems: list[TableProblem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


def read_table(path: Path) -> list[list[str]]:
    """Rows of a CSV (`,`, `;` or tab; UTF-8, UTF-16 or Windows-1251) or an XLSX first sheet."""
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return _read_xlsx(path)
    if suffix in (".csv", ".txt", ".tsv"):
        return _read_csv(path.read_bytes())
    raise TableError([TableProblem.file(f"unsupported file type {suffix!r}: use .csv or .xlsx")])


def _read_csv(raw: bytes) -> list[list[str]]:
    text = _decode(raw)
    first_line = text.split("\n", 1)[0]
    delimiter = max(DELIMITERS, key=first_line.count)  # ties: the first, a comma
    try:
        return list(csv.reader(io.StringIO(text), delimiter=delimiter))
    except csv.Error as exc:
        raise TableError([TableProblem.file(f"not a readable CSV file ({exc})")]) from exc


def _decode(raw: bytes) -> str:
    """Text as Excel saves it: UTF-8 (with or without BOM), UTF-16 with BOM, or Windows-1251."""
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return raw.decode("utf-16")
    for encoding in ("utf-8-sig", "cp1251"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise TableError([TableProblem.file("not a text file in UTF-8, UTF-16 or Windows-1251")])


def _read_xlsx(path: Path) -> list[list[str]]:
    from openpyxl import load_workbook  # loads for most of a second: only for XLSX files

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a broken file
        raise TableError([TableProblem.file(f"not a readable XLSX file ({exc})")]) from exc
    sheet = workbook.worksheets[0]
    rows = [
        ["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)
    ]
    workbook.close()
    return rows
