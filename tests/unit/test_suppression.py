"""Small groups are hidden, and a lone hidden cell gets a complement."""

import pytest

from core.suppression import Share, share_table, suppress


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


def test_a_small_group_hides_its_size_and_its_answers_with_a_complement() -> None:
    # wholes 10, 8, 2: C (2 people) is hidden, and B with it, or 20 - 10 - 8 would give C;
    # parts: B and C go with their groups, A's 3 answers are a small count
    table = share_table({"A": (3, 10), "B": (6, 8), "C": (0, 2)}, 5)
    assert table.rows == {
        "A": Share(None, 10),
        "B": Share(None, None),
        "C": Share(None, None),
    }
    assert table.total == Share(9, 20)


def test_public_wholes_stay_and_only_small_parts_are_hidden() -> None:
    # the roster's headcounts are public; registrations 1..4 are hidden, with a complement
    table = share_table({"A": (12, 30), "B": (3, 9), "C": (0, 4)}, 5, whole_public=True)
    assert table.rows == {"A": Share(12, 30), "B": Share(None, 9), "C": Share(None, 4)}
    assert table.total == Share(15, 43)


def test_a_small_table_hides_its_total() -> None:
    table = share_table({"A": (1, 2), "B": (0, 1)}, 5)
    assert table.total == Share(None, None)
    assert all(row == Share(None, None) for row in table.rows.values())


@pytest.mark.parametrize("seed", range(200))
def test_no_hidden_cell_can_be_worked_out_from_the_total(seed: int) -> None:
    import random

    rng = random.Random(seed)
    rows = {}
    for key in "ABCDE"[: rng.randint(1, 5)]:
        whole = rng.randint(0, 15)
        rows[key] = (rng.randint(0, whole), whole)
    table = share_table(rows, 5)
    for column in ("part", "whole"):
        shown = [getattr(share, column) for share in table.rows.values()]
        total = getattr(table.total, column)
        if total is not None:  # a visible total: never exactly one hidden cell under it
            assert shown.count(None) != 1, (rows, table)
    for key, (part, whole) in rows.items():  # every visible count is large or zero
        share = table.rows[key]
        assert share.part in (None, part) and share.whole in (None, whole)
        assert share.part is None or part == 0 or part >= 5
        assert share.whole is None or whole == 0 or whole >= 5
        assert share.whole is not None or share.part is None  # a hidden group hides its part
