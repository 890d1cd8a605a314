"""Interval audit: hidden numerators that bounds pin down although no equation solves them.

A reader who knows every group size (denominators leak through other counts, e.g. the
completed count of a campaign) knows 0 <= numerator <= denominator for each hidden cell. With
the relations, these bounds tighten: from a + c = 8, c + d = 3 and a <= 5 it follows that
a = 5, so "all 5 are at high risk" although no single equation gives a. Interval propagation
over the relations (each relation in turn, until nothing changes) finds such cells; it can
miss what linear programming over all relations at once would find.
"""

from collections.abc import Mapping, Sequence

from core.monitoring.relations import Relation
from core.monitoring.values import CellKey, IndicatorValue

MAX_PASSES = 100


def pinned(
    hidden: Sequence[CellKey],
    found: Sequence[Relation],
    cells: Mapping[CellKey, IndicatorValue],
) -> set[CellKey]:
    """Hidden cells whose numerator the bounds and relations leave with one possible value."""
    hidden_set = set(hidden)
    low = dict.fromkeys(hidden, 0)
    high = {c: cells[c].denominator or 0 for c in hidden}
    for _ in range(MAX_PASSES):
        changed = False
        for relation in found:
            changed |= _tighten(relation, hidden_set, cells, low, high)
        if not changed:
            break
    return {c for c in hidden if low[c] == high[c]}


def _tighten(
    relation: Relation,
    hidden: set[CellKey],
    cells: Mapping[CellKey, IndicatorValue],
    low: dict[CellKey, int],
    high: dict[CellKey, int],
) -> bool:
    """Narrow the bounds of the hidden members of one relation.

    With the remainder known (the rank test's assumption too), the signed sum of the hidden
    members is known: S = sum(sign * x). Each x then lies within S minus the range of the
    others' signed sum.
    """
    terms = [
        (sign, cell)
        for sign, cell in [(1, relation.parent), *((-1, c) for c in relation.children)]
        if cell in hidden
    ]
    if not terms:
        return False
    total = sum(sign * cells[cell].numerator for sign, cell in terms)
    all_least = sum(low[c] if s > 0 else -high[c] for s, c in terms)
    all_most = sum(high[c] if s > 0 else -low[c] for s, c in terms)
    changed = False
    for sign, cell in terms:
        least = all_least - (low[cell] if sign > 0 else -high[cell])
        most = all_most - (high[cell] if sign > 0 else -low[cell])
        lo, hi = (total - most, total - least) if sign > 0 else (least - total, most - total)
        if lo > low[cell] or hi < high[cell]:
            low[cell], high[cell] = max(low[cell], lo), min(high[cell], hi)
            changed = True
    return changed
