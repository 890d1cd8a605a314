"""Typed input: names and years, and who counts as a young teacher."""

import pytest

from core.errors import InvalidInput
from core.validation import (
    clean_full_name,
    is_young,
    parse_birth_year,
    parse_capacity,
    parse_started_year,
    whole,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("иванова мария петровна", "Иванова Мария Петровна"),
        ("  Петров   Пётр  ", "Петров Пётр"),
        ("О'Нил-Петрова Анна", "О'Нил-Петрова Анна"),
        ("Smith John", "Smith John"),
        ("Алиев Рустам Ибрагим оглы", "Алиев Рустам Ибрагим Оглы"),
    ],
)
def test_good_names_are_tidied(text: str, expected: str) -> None:
    assert clean_full_name(text) == expected


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Маша", "name_words"),
        ("", "name_words"),
        ("а б в г д е", "name_words"),
        ("Иванова М4рия", "name_letters"),
        ("Иванова <b>Мария</b>", "name_letters"),
        ("Иванова -Мария", "name_letters"),
    ],
)
def test_bad_names_say_which_rule_failed(text: str, code: str) -> None:
    with pytest.raises(InvalidInput) as error:
        clean_full_name(text)
    assert error.value.code == code


@pytest.mark.parametrize(
    ("text", "result"),
    [
        ("2009", 2009),
        ("2026", 2026),
        ("1950", 1950),
        ("2015 г.", 2015),
        ("2027", "started_year_range"),
        ("1949", "started_year_range"),
        ("09", "year_format"),
        ("двадцать", "year_format"),
    ],
)
def test_started_year(text: str, result: int | str) -> None:
    if isinstance(result, int):
        assert parse_started_year(text, 2026) == result
        return
    with pytest.raises(InvalidInput) as error:
        parse_started_year(text, 2026)
    assert error.value.code == result


@pytest.mark.parametrize(
    ("text", "ok"), [("2008", True), ("2009", False), ("1936", True), ("1935", False)]
)
def test_birth_year_allows_ages_18_to_90(text: str, ok: bool) -> None:
    if ok:
        assert parse_birth_year(text, 2026) == int(text)
    else:
        with pytest.raises(InvalidInput, match="birth_year_range"):
            parse_birth_year(text, 2026)


@pytest.mark.parametrize(
    ("started", "born", "young"),
    [
        (2024, None, True),  # 2 years since starting
        (2023, None, False),  # 3 years: no longer
        (2010, 1992, True),  # 34 this year
        (2010, 1991, False),  # 35 this year
        (None, None, False),
        (2023, 1992, True),
    ],
)
def test_young_teacher_is_under_3_years_or_under_35(
    started: int | None, born: int | None, young: bool
) -> None:
    assert is_young(started, born, 2026) is young


@pytest.mark.parametrize("text", ["²", "²²²²", "٣", "1" * 5000, "-1", "1e3", ""])
def test_numbers_typed_are_ascii_digits_of_a_sane_length(text: str) -> None:
    """str.isdigit takes "²" (int() refuses it) and int() refuses thousands of digits: both
    are a clear refusal, never a ValueError out of a handler or an import."""
    for parse in (parse_capacity, lambda t: parse_started_year(t, 2026)):
        with pytest.raises(InvalidInput):
            parse(text)
    assert whole(text) is None
    assert (whole("0042"), whole("12"), whole("1234567890")) == (42, 12, None)
