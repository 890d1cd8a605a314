"""The linear relations an attacker can use between the cells of one publication.

Each relation says parent = sum of children + a remainder, and the remainder is assumed
known (people without a school, answers whose school was generalised away, weeks published
earlier): a conservative assumption. Relations inside one indicator and facet:

- scopes: municipality = its schools; municipality = its subjects (a teacher of two subjects
  makes the subject cells overlap, so this only over-protects);
- periods, `additive` indicators: a school year = its months, = its weeks; a month = its weeks;
- periods, `as_of_end`: two periods counted up to the same day hold the same value;
- periods, `per_campaign`: a campaign's value is the same in every period that shows it.
"""

from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from core.monitoring.catalogue import Catalogue, PeriodRule, ScopeType
from core.monitoring.values import CellKey, IndicatorValue

TOLERANCE = 1e-9


@dataclass(frozen=True)
class Relation:
    parent: CellKey
    children: tuple[CellKey, ...]

    @property
    def members(self) -> tuple[CellKey, ...]:
        return (self.parent, *self.children)


def relations(values: Iterable[IndicatorValue], catalogue: Catalogue) -> list[Relation]:
    """Every relation between the cells of `values` (see the module docstring)."""
    cells = [v.cell for v in values]
    until = {v.cell: v.until for v in values}
    found = _scope_relations(cells)
    by_series: dict[tuple[str, str | None, ScopeType, int], list[CellKey]] = defaultdict(list)
    for cell in cells:
        by_series[(cell.indicator, cell.facet, cell.scope_type, cell.scope_id)].append(cell)
    for (indicator, *_), series in by_series.items():
        rule = catalogue[indicator].period_rule
        if rule is PeriodRule.ADDITIVE:
            found += _nested(series)
        elif rule is PeriodRule.AS_OF_END:
            found += _equal_groups(series, lambda cell: until[cell])
        else:
            found += _equal_groups(series, lambda cell: 0)
    return found


def _scope_relations(cells: Sequence[CellKey]) -> list[Relation]:
    groups: dict[tuple[str, str | None, object], list[CellKey]] = defaultdict(list)
    for cell in cells:
        groups[(cell.indicator, cell.facet, cell.period)].append(cell)
    found = []
    for group in groups.values():
        totals = [c for c in group if c.scope_type is ScopeType.MUNICIPALITY]
        for total in totals:
            for kind in (ScopeType.SCHOOL, ScopeType.SUBJECT):
                parts = tuple(c for c in group if c.scope_type is kind)
                if parts:
                    found.append(Relation(total, parts))
    return found


def _nested(series: list[CellKey]) -> list[Relation]:
    found = []
    for parent in series:
        inside = [
            c for c in series if c.period != parent.period and parent.period.contains(c.period)
        ]
        for kind in sorted({c.period.kind for c in inside}):
            found.append(Relation(parent, tuple(c for c in inside if c.period.kind == kind)))
    return found


def _equal_groups(series: list[CellKey], key: Callable[[CellKey], Hashable]) -> list[Relation]:
    groups: dict[Hashable, list[CellKey]] = defaultdict(list)
    for cell in series:
        groups[key(cell)].append(cell)
    return [Relation(group[0], (other,)) for group in groups.values() for other in group[1:]]


def determined(hidden: Sequence[CellKey], found: Sequence[Relation]) -> set[CellKey]:
    """Hidden cells whose value follows exactly from the visible cells and the relations.

    A hidden cell x_i is determined when the unit vector e_i lies in the row space of the
    relations restricted to hidden cells: with V an orthonormal basis of that row space (from
    the singular value decomposition), when the i-th column of V has length 1. Relations
    that share no hidden cell are independent, so each connected group is solved alone.
    """
    index = {cell: i for i, cell in enumerate(hidden)}
    rows = [
        [
            (index[c], s)
            for s, c in ((1.0, r.parent), *((-1.0, c) for c in r.children))
            if c in index
        ]
        for r in found
    ]
    result: set[CellKey] = set()
    for group in _connected([row for row in rows if row]):
        columns = sorted({i for row in group for i, _ in row})
        place = {i: j for j, i in enumerate(columns)}
        matrix = np.zeros((len(group), len(columns)))
        for k, row in enumerate(group):
            for i, sign in row:
                matrix[k, place[i]] += sign
        _, singular, vt = np.linalg.svd(matrix, full_matrices=False)
        rank = int((singular > TOLERANCE * max(matrix.shape) * max(singular.max(), 1)).sum())
        length = (vt[:rank] ** 2).sum(axis=0)
        result |= {hidden[i] for i, j in place.items() if length[j] >= 1 - 1e-7}
    return result


def _connected(rows: list[list[tuple[int, float]]]) -> list[list[list[tuple[int, float]]]]:
    """The rows grouped so that rows sharing a column are in one group."""
    parent: dict[int, int] = {}

    def root(i: int) -> int:
        while parent.setdefault(i, i) != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for row in rows:
        for i, _ in row[1:]:
            parent[root(i)] = root(row[0][0])
    groups: dict[int, list[list[tuple[int, float]]]] = defaultdict(list)
    for row in rows:
        groups[root(row[0][0])].append(row)
    return list(groups.values())
