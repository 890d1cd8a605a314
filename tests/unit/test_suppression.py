"""Small groups are hidden, and a lone hidden cell gets a complement."""

import pytest

from core.suppression import suppress


@pytest.mark.parametrize(
    ("counts", "shown"),
    [
        ({"a": 12, "b": 7, "c": 30}, {"a": 12, "b": 7, "c": 30}),
        ({"a": 12, "b": 3, "c": 30}, {"a": None, "b": None, "c": 30}),  # complement: a
        ({"a": 12, "b": 3, "c": 0}, {"a": 12, "b": None, "c": None}),  # a zero can be it
        ({"a": 2, "b": 4, "c": 30}, {"a": None, "b": None, "c": 30}),  # two hidden: enough
        ({"a": 5, "b": 0}, {"a": 5, "b": 0}),
        ({"a": 1}, {"a": None}),
        ({}, {}),
    ],
)
def test_suppress(counts: dict[str, int], shown: dict[str, int | None]) -> None:
    assert suppress(counts, 5) == shown


def test_cells_hidden_for_another_reason_count_as_hidden() -> None:
    # b has 0 answers but only 2 people: hidden; alone, it takes the next smallest (a) along
    assert suppress({"a": 12, "b": 0, "c": 30}, 5, always={"b"}) == {"a": None, "b": None, "c": 30}
    assert suppress({"a": 2, "b": 0}, 5, always={"b"}) == {"a": None, "b": None}


def test_total_minus_visible_cells_never_reveals_a_hidden_one() -> None:
    counts = {"a": 40, "b": 9, "c": 1, "d": 6}
    shown = suppress(counts, 5)
    hidden = [k for k, v in shown.items() if v is None]
    assert len(hidden) >= 2 and "c" in hidden
