"""The analytical report («аналитическая справка») as an XLSX workbook, from published values.

One sheet per indicator (period, breakdown, numerator, denominator, n, value, mark), with
conditional formatting and a native chart of the municipality's values, and a sheet of
definitions and sources from the catalogue. A hidden cell is written as its mark only: its
numerator, denominator and n are left empty, and the chart leaves a gap.
"""

import io
from collections.abc import Sequence
from typing import Any

import xlsxwriter

from core.monitoring.catalogue import Catalogue, Indicator, Kind, ScopeType
from core.monitoring.disclosure import ShownValue
from core.monitoring.names import Names
from core.monitoring.rules import DEFAULT_LIMITS, Reason, Thresholds, told
from core.monitoring.workbook_texts import HEADERS, MARKS, SCOPES, TEXTS, language_of

SCOPE_ORDER = {ScopeType.MUNICIPALITY: 0, ScopeType.SCHOOL: 1, ScopeType.SUBJECT: 2}


def workbook(
    shown: Sequence[ShownValue],
    catalogue: Catalogue,
    names: Names,
    limits: Thresholds = DEFAULT_LIMITS,
    language: str = "ru",
) -> bytes:
    """The XLSX file as bytes: a sheet per indicator present in `shown`, then definitions."""
    buffer = io.BytesIO()
    language = language_of(language)
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    styles = _styles(book)
    used: set[str] = set()
    for indicator in catalogue:
        rows = _rows(shown, indicator.key)
        if rows:
            sheet_name = _sheet_name(indicator.short.get(language), used)
            _indicator_sheet(book, styles, sheet_name, indicator, rows, names, language)
    _definitions_sheet(book, styles, catalogue, limits, language)
    book.close()
    return buffer.getvalue()


def _rows(shown: Sequence[ShownValue], key: str) -> list[ShownValue]:
    rows = [s for s in shown if s.indicator == key]
    return sorted(
        rows,
        key=lambda s: (s.period.kind != "week", s.period.start, s.facet or "",
                       SCOPE_ORDER[s.scope_type], s.scope_id),
    )  # fmt: skip


def _sheet_name(title: str, used: set[str]) -> str:
    base = "".join(ch for ch in title if ch not in "[]:*?/\\")[:28]
    name, number = base, 2
    while name.lower() in used:
        name, number = f"{base} {number}", number + 1
    used.add(name.lower())
    return name


def _styles(book: xlsxwriter.Workbook) -> dict[str, object]:
    return {
        "title": book.add_format({"bold": True, "font_size": 14}),
        "header": book.add_format({"bold": True, "bg_color": "#DDE6F0", "border": 1,
                                   "text_wrap": True, "valign": "top"}),
        "text": book.add_format({"text_wrap": True, "valign": "top"}),
        "share": book.add_format({"num_format": "0.0"}),
        "whole": book.add_format({"num_format": "0"}),
        "hidden": book.add_format({"italic": True, "font_color": "#777777"}),
    }  # fmt: skip


def _indicator_sheet(
    book: xlsxwriter.Workbook,
    styles: dict[str, object],
    sheet_name: str,
    indicator: Indicator,
    rows: list[ShownValue],
    names: Names,
    language: str,
) -> None:
    sheet = book.add_worksheet(sheet_name)
    sheet.write(0, 0, indicator.name.get(language), styles["title"])
    sheet.write(1, 0, indicator.definition.get(language))
    sheet.write_row(3, 0, HEADERS[language], styles["header"])
    for offset, row in enumerate(rows):
        _write_row(sheet, styles, 4 + offset, row, indicator, names, language)
    last = 3 + len(rows)
    sheet.set_column(0, 0, 11)
    sheet.set_column(1, 3, 24)
    sheet.set_column(4, 7, 13)
    sheet.set_column(8, 9, 26)
    _conditional(sheet, styles, last, indicator, language)
    _chart(book, sheet, sheet_name, rows, indicator, names, language)
    sheet.freeze_panes(4, 0)


def _write_row(
    sheet: Any,  # xlsxwriter is untyped
    styles: dict[str, object],
    row: int,
    value: ShownValue,
    indicator: Indicator,
    names: Names,
    language: str,
) -> None:
    write = sheet.write
    facet = names.facet(value.facet)
    write(row, 0, value.period.label)
    write(row, 1, SCOPES[language][value.scope_type])
    write(row, 2, names.scope(value.scope_type, value.scope_id))
    write(row, 3, facet)
    if value.hidden is not None:
        write(row, 8, MARKS[language][told(value.hidden)], styles["hidden"])
        write(row, 9, told(value.hidden).value)
        return
    number = styles["whole"] if indicator.kind is Kind.COUNT else styles["share"]
    for column, item in ((4, value.numerator), (5, value.denominator), (7, value.n)):
        if item is not None:
            write(row, column, item, styles["whole"])
    write(row, 6, value.denominator_source)
    if value.value is not None:
        write(row, 8, value.value, number)
    else:
        write(row, 8, TEXTS[language]["no_data"], styles["hidden"])


def _conditional(
    sheet: Any, styles: dict[str, object], last: int, indicator: Indicator, language: str
) -> None:
    if last < 4:
        return
    low, high = ("#F8696B", "#63BE7B") if indicator.higher_is_better else ("#63BE7B", "#F8696B")
    scale = {"type": "3_color_scale", "min_color": low, "mid_color": "#FFEB84", "max_color": high}
    sheet.conditional_format(4, 8, last, 8, scale)
    hidden = {"type": "text", "criteria": "begins with", "format": styles["hidden"],
              "value": TEXTS[language]["hidden_prefix"]}  # fmt: skip
    sheet.conditional_format(4, 8, last, 8, hidden)


def _chart(
    book: xlsxwriter.Workbook,
    sheet: Any,
    sheet_name: str,
    rows: list[ShownValue],
    indicator: Indicator,
    names: Names,
    language: str,
) -> None:
    """A chart of the municipality's values, from a block where hidden values are blank."""
    municipal = [r for r in rows if r.scope_type is ScopeType.MUNICIPALITY]
    if not municipal:
        return
    write = sheet.write
    for i, r in enumerate(municipal):
        facet = names.facet(r.facet)
        write(4 + i, 11, f"{r.period.label} {facet}".strip())
        if r.value is not None:
            write(4 + i, 12, r.value)
    last = 3 + len(municipal)
    chart = book.add_chart({"type": "column" if indicator.facet else "line"})
    chart.add_series({
        "name": names.municipality,
        "categories": [sheet_name, 4, 11, last, 11],
        "values": [sheet_name, 4, 12, last, 12],
        "marker": {"type": "circle"},
    })  # fmt: skip
    chart.set_title({"name": indicator.short.get(language)})
    chart.show_blanks_as("gap")
    chart.set_legend({"none": True})
    chart.set_size({"width": 640, "height": 320})
    sheet.insert_chart(4, 14, chart)


def _definitions_sheet(
    book: xlsxwriter.Workbook,
    styles: dict[str, object],
    catalogue: Catalogue,
    limits: Thresholds,
    language: str,
) -> None:
    texts = TEXTS[language]
    sheet = book.add_worksheet(texts["definitions_sheet"])
    sheet.write(0, 0, texts["definitions_title"], styles["title"])
    columns = texts["definition_columns"].split("|")
    sheet.write_row(2, 0, columns, styles["header"])
    for row, indicator in enumerate(catalogue, start=3):
        k = limits.k_sensitive if indicator.sensitive else limits.k
        rule = texts["class_rule"].format(m=limits.class_min) if indicator.sensitive else ""
        sheet.write_row(row, 0, [
            indicator.key, indicator.name.ru, indicator.definition.ru, indicator.name.en,
            indicator.definition.en, indicator.source, indicator.kind.value,
            f"k = {k}{rule}",
            indicator.denominator.value, ", ".join(b.value for b in indicator.breakdowns),
        ], styles["text"])  # fmt: skip
    notes = 4 + len(catalogue.indicators)
    for i, reason in enumerate((Reason.SMALL, Reason.COMPLEMENTARY)):  # all `told` says
        sheet.write(notes + i, 0, MARKS[language][reason])
        sheet.write(notes + i, 1, texts[f"explain_{reason.name.lower()}"], styles["text"])
    sheet.set_column(0, 0, 22)
    sheet.set_column(1, 4, 45)
    sheet.set_column(5, 9, 18)
