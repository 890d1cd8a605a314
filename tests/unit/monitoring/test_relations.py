"""The rank test of disclosure control against exact elimination over the rationals.

`relations.determined` peels relations with a private hidden cell and solves the rest with
floating point; a cell it misses would be published as protected while an attacker can
compute it. Here every answer is compared with reduced row echelon form in fractions.
"""

from datetime import date
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from core.monitoring.catalogue import ScopeType
from core.monitoring.periods import Period, PeriodKind
from core.monitoring.relations import Relation, determined
from core.monitoring.values import CellKey

MONTH = Period(date(2026, 11, 1), date(2026, 12, 1), PeriodKind.MONTH)


def cell(i: int) -> CellKey:
    return CellKey("burnout_high_risk", None, MONTH, ScopeType.SCHOOL, i)


def exactly_determined(hidden: list[CellKey], found: list[Relation]) -> set[CellKey]:
    """Pivot rows of the reduced echelon form that hold nothing but their pivot."""
    index = {c: i for i, c in enumerate(hidden)}
    rows = []
    for r in found:
        row = [Fraction(0)] * len(hidden)
        for sign, c in ((1, r.parent), *((-1, c) for c in r.children)):
            if c in index:
                row[index[c]] += sign
        rows.append(row)
    pivots: list[tuple[int, list[Fraction]]] = []
    for row in rows:
        for column, pivot in pivots:
            if row[column]:
                factor = row[column] / pivot[column]
                row = [a - factor * b for a, b in zip(row, pivot, strict=True)]
        lead = next((i for i, v in enumerate(row) if v), None)
        if lead is None:
            continue
        for k, (column, pivot) in enumerate(pivots):  # keep earlier rows reduced
            if pivot[lead]:
                factor = pivot[lead] / row[lead]
                pivots[k] = (column, [a - factor * b for a, b in zip(pivot, row, strict=True)])
        pivots.append((lead, row))
    return {hidden[c] for c, row in pivots if sum(1 for v in row if v) == 1}


@st.composite
def systems(draw: st.DrawFn) -> tuple[list[CellKey], list[Relation]]:
    size = draw(st.integers(2, 12))
    cells = [cell(i) for i in range(size)]
    found = []
    for _ in range(draw(st.integers(1, 8))):
        members = draw(st.lists(st.sampled_from(cells), min_size=2, max_size=5, unique=True))
        found.append(Relation(members[0], tuple(members[1:])))
    hidden = draw(st.lists(st.sampled_from(cells), unique=True))
    return hidden, found


@settings(max_examples=300, deadline=None)
@given(systems())
def test_the_rank_test_finds_exactly_the_cells_exact_elimination_finds(
    system: tuple[list[CellKey], list[Relation]],
) -> None:
    hidden, found = system
    assert determined(hidden, found) == exactly_determined(hidden, found)


def test_a_cell_in_one_relation_is_found_through_a_sum_of_others() -> None:
    # x0 + x1 + x2 = 9 and x1 + x2 = 4 (remainders known): x0 = 5, though neither x1 nor
    # x2 is known alone; peeling x0 first must still find it
    found = [Relation(cell(9), (cell(0), cell(1), cell(2))), Relation(cell(8), (cell(1), cell(2)))]
    hidden = [cell(0), cell(1), cell(2)]
    assert determined(hidden, found) == {cell(0)} == exactly_determined(hidden, found)


def test_a_grid_of_schools_and_weeks_with_one_hidden_cycle_is_safe() -> None:
    # two schools x two weeks hidden in a 3 x 3 table with totals: a cycle, nothing follows
    grid = {(s, w): cell(10 * s + w) for s in range(3) for w in range(3)}
    found = [Relation(grid[(0, w)], (grid[(1, w)], grid[(2, w)])) for w in range(3)]
    found += [Relation(grid[(s, 0)], (grid[(s, 1)], grid[(s, 2)])) for s in range(3)]
    hidden = [grid[(1, 1)], grid[(1, 2)], grid[(2, 1)], grid[(2, 2)]]
    assert determined(hidden, found) == set()
    assert determined([*hidden, grid[(0, 1)]], found) == {grid[(0, 1)]}


def test_a_long_odd_cycle_is_determined_whole() -> None:
    # x_k + x_(k+1) known around a cycle of odd length: x_0 = (s_0 - s_1 + s_2 - ...) / 2, so
    # every cell follows, though the system's smallest singular value is small
    size = 301
    totals = [cell(1000 + k) for k in range(size)]  # shown: each the sum of two neighbours
    ring = [cell(k) for k in range(size)]
    found = [Relation(totals[k], (ring[k], ring[(k + 1) % size])) for k in range(size)]
    assert determined(ring, found) == set(ring)
    assert determined(ring, found[:-1]) == set()  # cut open: a chain, nothing follows
