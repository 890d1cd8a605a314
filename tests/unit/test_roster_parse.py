"""Roster files: good ones parse, bad ones are refused whole with row and column named."""

from pathlib import Path

import pytest
from openpyxl import Workbook

from core.people.roster import RosterSchool, parse_roster
from core.tables import TableError, read_table

HEADER = "municipality,timezone,school,teachers,Математика,Физика\n"


def write(tmp_path: Path, text: str, name: str = "roster.csv", encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def problems(tmp_path: Path, text: str) -> list[str]:
    with pytest.raises(TableError) as error:
        parse_roster(read_table(write(tmp_path, text)), "Europe/Moscow")
    return [str(p) for p in error.value.problems]


def test_csv_with_subject_columns(tmp_path: Path) -> None:
    path = write(tmp_path, HEADER + "Город,Asia/Omsk,Школа 1,20,5,\nГород,,Школа 2,9,0,2\n")
    schools = parse_roster(read_table(path), "Asia/Omsk")
    assert schools == [
        RosterSchool("Город", "Asia/Omsk", "Школа 1", 20, {"Математика": 5}),
        RosterSchool("Город", "Asia/Omsk", "Школа 2", 9, {"Математика": 0, "Физика": 2}),
    ]


def test_russian_headers_semicolons_and_windows_1251(tmp_path: Path) -> None:
    text = "Муниципалитет;Часовой пояс;Школа;Педагогов;Химия\nГород;Europe/Samara;Лицей;15;3\n"
    path = write(tmp_path, text, encoding="cp1251")
    [school] = parse_roster(read_table(path), "Europe/Moscow")
    assert (school.name, school.timezone, school.subjects) == (
        "Лицей",
        "Europe/Samara",
        {"Химия": 3},
    )


def test_xlsx(tmp_path: Path) -> None:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["municipality", "timezone", "school", "teachers", "Математика"])
    sheet.append(["Город", "Europe/Moscow", "Школа", 30, 4])
    path = tmp_path / "roster.xlsx"
    workbook.save(path)
    [school] = parse_roster(read_table(path), "Europe/Moscow")
    assert (school.teachers, school.subjects) == (30, {"Математика": 4})


def test_every_problem_is_named_by_row_and_column(tmp_path: Path) -> None:
    text = HEADER + (
        "Город,Mars/Base,Школа 1,20,5,\n"  # row 2: bad zone
        ",Europe/Moscow,Школа 2,x,,\n"  # row 3: no municipality, teachers not a number
        "Город,Europe/Moscow,Школа 3,4,7,\n"  # row 4: more maths teachers than teachers
        "Город,Europe/Moscow,школа 3,10,,\n"  # row 5: duplicate of row 4
    )
    assert problems(tmp_path, text) == [
        "row 2, column 'timezone': unknown time zone 'Mars/Base'",
        "row 3, column 'municipality': is empty",
        "row 3, column 'teachers': 'x' is not a whole number ≥ 0",
        "row 4, column 'Математика': 7 is more than teachers",
        "row 5, column 'school': duplicates row 4",
    ]


def test_missing_columns_and_empty_files(tmp_path: Path) -> None:
    assert problems(tmp_path, "school,teachers\n") == [
        "row 1, column 'municipality': required column is missing"
    ]
    assert problems(tmp_path, "") == ["the file is empty"]
    assert problems(tmp_path, HEADER) == ["no schools in the file"]


def test_one_municipality_has_one_time_zone(tmp_path: Path) -> None:
    text = HEADER + "Город,Europe/Moscow,Школа 1,20,,\nГород,Asia/Omsk,Школа 2,20,,\n"
    assert problems(tmp_path, text) == [
        "row 3, column 'timezone': 'Asia/Omsk' differs from 'Europe/Moscow' in row 2"
    ]


def test_an_empty_time_zone_cell_agrees_with_the_stated_one(tmp_path: Path) -> None:
    text = HEADER + "Город,,Школа 1,20,,\nгород,Asia/Omsk,Школа 2,20,,\nСело,,Школа,5,,\n"
    schools = parse_roster(read_table(write(tmp_path, text)), "Europe/Moscow")
    zones = [(s.name, s.timezone, s.timezone_stated) for s in schools]
    assert zones == [
        ("Школа 1", "Asia/Omsk", True),
        ("Школа 2", "Asia/Omsk", True),
        ("Школа", "Europe/Moscow", False),  # the default, which never overwrites a stored zone
    ]


def test_subject_columns_differing_only_in_case_are_one_subject_twice(tmp_path: Path) -> None:
    text = "municipality,school,teachers,Математика,математика \nГород,Школа,20,1,2\n"
    assert problems(tmp_path, text) == ["row 1, column 'математика': column appears twice"]


@pytest.mark.parametrize(
    ("raw", "encoding"),
    [
        ("municipality\tschool\tteachers\tХимия\r\nГород\tЛицей\t15\t3\r\n", "utf-16"),
        ("municipality;school;teachers;Химия\nГород;Лицей;15;3\n", "utf-8-sig"),
    ],
)
def test_excel_unicode_text_and_semicolons(tmp_path: Path, raw: str, encoding: str) -> None:
    [school] = parse_roster(read_table(write(tmp_path, raw, encoding=encoding)), "Europe/Moscow")
    assert (school.name, school.teachers, school.subjects) == ("Лицей", 15, {"Химия": 3})


def test_unsupported_and_broken_files(tmp_path: Path) -> None:
    with pytest.raises(TableError, match="unsupported file type"):
        read_table(write(tmp_path, "x", name="roster.pdf"))
    with pytest.raises(TableError, match="not a readable XLSX"):
        read_table(write(tmp_path, "not a zip", name="roster.xlsx"))
