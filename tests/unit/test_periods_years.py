"""A period label names a year PedPulse can report on: not year 1, not 9999."""

import pytest

from core.monitoring.periods import FIRST_YEAR, LAST_YEAR, parse_period


@pytest.mark.parametrize(
    "label", ["0001-W01", "0001-01", "9999-W52", "9999-12", "0001/02", "1900/01", "2101-01"]
)
def test_a_year_out_of_range_is_refused_by_name(label: str) -> None:
    with pytest.raises(ValueError, match=f"the year must be from {FIRST_YEAR} to {LAST_YEAR}"):
        parse_period(label)


@pytest.mark.parametrize("label", ["1990-W01", "1990-01", "1999/00", "2100-W52", "2100/01"])
def test_the_edges_of_the_range_parse_back(label: str) -> None:
    assert parse_period(label).label == label


@pytest.mark.parametrize("label", ["２０２６-11", "2026-13", "2026-W54", "2026-00", "2026/2027"])
def test_other_digits_and_impossible_numbers_are_not_labels(label: str) -> None:
    with pytest.raises(ValueError, match="is not a period label"):
        parse_period(label)
