"""The linear relations an attacker can use between the cells of one publication.

Each relation says parent = sum of children + a remainder, and the remainder is assumed
known (people without a school, answers whose school was generalised away, weeks published
earlier): a conservative assumption; and where every member is shown, the remainder is
revealed, so it must itself pass the rules (disclosure, rule 3e). Relations inside one
indicator and facet:

- scopes: municipality = its schools; municipality = its subjects (a teacher of two subjects
  makes the subject cells overlap, so this only over-protects);
- periods, `additive` indicators: a school year = its months, = its weeks; a month = its weeks;
- periods, `as_of_end`: two periods counted up to the same day hold the same value;
- periods, `per_campaign`: a campaign's value is the same in every period that shows it.
"""

import heapq
from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass
from typing import TypeVar

import numpy as np

from core.monitoring.catalogue import Catalogue, PeriodRule, ScopeType
from core.monitoring.values import CellKey, IndicatorValue

TOLERANCE = 1e-9
T = TypeVar("T", bound=Hashable)


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


def enclosures(values: Iterable[IndicatorValue], catalogue: Catalogue) -> list[Relation]:
    """Additive cells whose days counted lie inside another's although their period does
    not (a week across a month end holds the new month counted up to the week's end): the
    difference is a group of days a reader can take. Only its size is checked (rule 3e):
    taken as a relation with a known remainder, it would tie cells whose remainders hold
    each other's people, and pin cells no reader can solve."""
    until = {v.cell: v.until for v in values}
    by_series: dict[tuple[str, str | None, ScopeType, int], list[CellKey]] = defaultdict(list)
    for cell in until:
        if catalogue[cell.indicator].period_rule is PeriodRule.ADDITIVE:
            by_series[(cell.indicator, cell.facet, cell.scope_type, cell.scope_id)].append(cell)
    found = []
    for series in by_series.values():
        for parent in series:
            inside = tuple(
                c
                for c in series
                if not parent.period.contains(c.period)
                and parent.period.start <= c.period.start
                and until[c] <= until[parent]
            )
            found += [Relation(parent, (child,)) for child in inside]
    return found


def _equal_groups(series: list[CellKey], key: Callable[[CellKey], Hashable]) -> list[Relation]:
    groups: dict[Hashable, list[CellKey]] = defaultdict(list)
    for cell in series:
        groups[key(cell)].append(cell)
    return [Relation(group[0], (other,)) for group in groups.values() for other in group[1:]]


Row = list[tuple[int, float]]  # (column, coefficient) of the hidden cells of one relation


def determined(hidden: Sequence[CellKey], found: Sequence[Relation]) -> set[CellKey]:
    """Hidden cells whose value follows exactly from the visible cells and the relations.

    A hidden cell x_i is determined when the unit vector e_i lies in the row space R of the
    relations restricted to hidden cells. Most relations are peeled off first: a relation
    holding a cell that no other remaining relation holds can only be used to cancel that
    cell, so a vector is reduced by it (Gaussian elimination on that private cell) and the
    relation is set aside. What remains, the core, is tested with an orthonormal basis of
    its row space per connected group (from the singular value decomposition): e_i is in R
    when its reduction leaves a vector inside the core's row space.
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
    core, peeled = _peel([row for row in rows if row])
    bases = _Bases([_basis(group) for group in _connected(core)])
    private = {column: k for k, (column, _) in enumerate(peeled)}
    return {hidden[i] for i in range(len(hidden)) if bases.spans(_reduced(i, peeled, private))}


def _peel(rows: list[Row]) -> tuple[list[Row], list[tuple[int, Row]]]:
    """The core rows, and the peeled rows in order, each with its private column."""
    holding: dict[int, set[int]] = defaultdict(set)
    for k, row in enumerate(rows):
        for i, _ in row:
            holding[i].add(k)
    alive = [True] * len(rows)
    queue = [i for i, found in holding.items() if len(found) == 1]
    peeled: list[tuple[int, Row]] = []
    while queue:
        column = queue.pop()
        if len(holding[column]) != 1:
            continue
        k = holding[column].pop()
        alive[k] = False
        peeled.append((column, rows[k]))
        for i, _ in rows[k]:
            holding[i].discard(k)
            if len(holding[i]) == 1:
                queue.append(i)
    return [row for k, row in enumerate(rows) if alive[k]], peeled


def _reduced(
    column: int, peeled: list[tuple[int, Row]], private: dict[int, int]
) -> dict[int, float]:
    """e_column minus the multiples of the peeled rows that cancel their private columns,
    in peeling order (a row only brings in columns private to later rows, or core ones)."""
    vector = {column: 1.0}
    waiting = [private[column]] if column in private else []
    while waiting:
        k = heapq.heappop(waiting)
        own, row = peeled[k]
        factor = vector.get(own, 0.0) / dict(row)[own]
        if abs(factor) < TOLERANCE:
            continue
        for i, coefficient in row:
            vector[i] = vector.get(i, 0.0) - factor * coefficient
            if i in private and private[i] > k and i != own:
                heapq.heappush(waiting, private[i])
    return {i: v for i, v in vector.items() if abs(v) > TOLERANCE}


@dataclass(frozen=True)
class _Basis:
    place: dict[int, int]  # column -> position in the basis' columns
    vectors: np.ndarray  # orthonormal rows spanning the group's row space
    lengths: np.ndarray  # per column: 1 when that unit vector is in the row space


def _basis(group: list[Row]) -> _Basis:
    columns = sorted({i for row in group for i, _ in row})
    place = {i: j for j, i in enumerate(columns)}
    matrix = np.zeros((len(group), len(columns)))
    for k, row in enumerate(group):
        for i, sign in row:
            matrix[k, place[i]] += sign
    vectors = _row_space(matrix)
    return _Basis(place, vectors, (vectors**2).sum(axis=0))


def _row_space(matrix: np.ndarray) -> np.ndarray:
    """Orthonormal rows spanning the row space (from the singular value decomposition; the
    rank cut-off on the singular values themselves, so a small but real one is kept: a
    cell the relations determine is never taken as safe)."""
    _, singular, vt = np.linalg.svd(matrix, full_matrices=False)
    rank = int((singular > TOLERANCE * max(matrix.shape) * max(singular.max(), 1)).sum())
    found: np.ndarray = vt[:rank]
    return found


class _Bases:
    """The core's row space, one orthonormal basis per connected group."""

    def __init__(self, groups: list[_Basis]) -> None:
        self.groups = groups
        self.owner = {i: g for g, basis in enumerate(groups) for i in basis.place}

    def spans(self, vector: dict[int, float]) -> bool:
        """Whether the vector lies in the core's row space (each group's part in its own)."""
        if any(i not in self.owner for i in vector):
            return False
        if len(vector) == 1:  # a unit vector: the column's length in the basis
            (i,) = vector
            basis = self.groups[self.owner[i]]
            return bool(basis.lengths[basis.place[i]] >= 1 - 1e-7)
        parts: dict[int, list[tuple[int, float]]] = defaultdict(list)
        for i, value in vector.items():
            parts[self.owner[i]].append((i, value))
        return all(self._inside(self.groups[g], part) for g, part in parts.items())

    @staticmethod
    def _inside(basis: _Basis, part: list[tuple[int, float]]) -> bool:
        target = np.zeros(len(basis.place))
        for i, value in part:
            target[basis.place[i]] = value
        rest = target - basis.vectors.T @ (basis.vectors @ target)
        return float(np.abs(rest).max()) <= 1e-7 * max(1.0, float(np.abs(target).max()))


def _connected(rows: list[list[tuple[int, float]]]) -> list[list[list[tuple[int, float]]]]:
    """The rows grouped so that rows sharing a column are in one group."""
    owner = {
        i: g for g, group in enumerate(joined([i for i, _ in row] for row in rows)) for i in group
    }
    groups: dict[int, list[list[tuple[int, float]]]] = defaultdict(list)
    for row in rows:
        groups[owner[row[0][0]]].append(row)
    return list(groups.values())


def joined(sets: Iterable[Iterable[T]]) -> list[set[T]]:
    """The elements of `sets` grouped so that elements sharing a set are in one group."""
    parent: dict[T, T] = {}

    def root(i: T) -> T:
        while parent.setdefault(i, i) != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for members in sets:
        first, *rest = members
        for element in (first, *rest):
            parent[root(element)] = root(first)
    groups: dict[T, set[T]] = defaultdict(set)
    for element in parent:
        groups[root(element)].add(element)
    return list(groups.values())
