"""What readers know of a breakdown by school on every day it was published, taken together.

On each day a period was published, its municipality and school cells tell the reader some
sums: each shown school (an atom of one school), and, when the municipality is shown, the
hidden schools together with the people in no school (the municipality minus the shown
schools: one atom). A set of schools that is a union of atoms on two days has its change in
between known: the answers given meanwhile by that set's people. Sets are found as the
connected components of the atoms of both days; each component known on both days must
change by a group that could be shown (rules.py), or one more cell of today is hidden.

Only days whose shown cells were kept with their numbers count (versions.py).
"""

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from core.monitoring.catalogue import Catalogue, Indicator, ScopeType
from core.monitoring.periods import Period
from core.monitoring.relations import joined
from core.monitoring.rules import Thresholds, primary_reason
from core.monitoring.values import CellKey, IndicatorValue
from core.monitoring.versions import Change, Counts, Earlier, answers_counted, total

NO_SCHOOL = -1  # the element "people in no school", inside the municipality's atom
Family = tuple[str, str | None, Period]  # indicator, facet, period


@dataclass(frozen=True)
class _Day:
    """The atoms of one day: element sets, each with the numbers of its people."""

    atoms: tuple[tuple[frozenset[int], Counts], ...]

    def covered(self) -> set[int]:
        return {element for atom, _ in self.atoms for element in atom}


def exposed(
    values: Sequence[IndicatorValue],
    hidden: Iterable[CellKey],
    earlier: Sequence[Earlier],
    catalogue: Catalogue,
    limits: Thresholds,
) -> set[CellKey]:
    """One more cell to hide for each breakdown whose change since an earlier day is known
    for a set of schools too small to be shown (none when every such change could be)."""
    concealed = set(hidden)
    today = {(v.cell, v.until) for v in values}
    public = {e.cell for e in earlier if not e.hidden and (e.cell, e.until) in today}
    days: dict[Family, dict[date, dict[CellKey, Counts]]] = defaultdict(lambda: defaultdict(dict))
    for e in earlier:
        if not e.hidden and e.counts is not None:
            days[(e.cell.indicator, e.cell.facet, e.cell.period)][e.until][e.cell] = e.counts
    found = set()
    for family, (parent, schools) in _families(values).items():
        now = _now(parent, schools, concealed)
        indicator = catalogue[family[0]]
        for until, shown in days.get(family, {}).items():
            if until == parent.until:
                continue
            bad = _too_small(now, _then(parent, schools, shown), indicator, limits)
            choice = bad and _choice(bad, parent, schools, concealed | public)
            if choice:
                found.add(choice)
                break
    return found


def _families(
    values: Sequence[IndicatorValue],
) -> dict[Family, tuple[IndicatorValue, dict[int, IndicatorValue]]]:
    parents: dict[Family, IndicatorValue] = {}
    schools: dict[Family, dict[int, IndicatorValue]] = defaultdict(dict)
    for v in values:
        family = (v.indicator, v.facet, v.period)
        if v.scope_type is ScopeType.MUNICIPALITY:
            parents[family] = v
        elif v.scope_type is ScopeType.SCHOOL:
            schools[family][v.scope_id] = v
    return {f: (parents[f], schools[f]) for f in parents if schools.get(f)}


def _counts(v: IndicatorValue) -> Counts:
    return Counts(v.numerator, v.denominator, v.n)


def _now(parent: IndicatorValue, schools: dict[int, IndicatorValue], hidden: set[CellKey]) -> _Day:
    shown = {i: _counts(v) for i, v in schools.items() if v.cell not in hidden}
    total = _counts(parent) if parent.cell not in hidden else None
    return _day(shown, set(schools), total)


def _then(
    parent: IndicatorValue, schools: dict[int, IndicatorValue], kept: dict[CellKey, Counts]
) -> _Day:
    shown = {i: kept[v.cell] for i, v in schools.items() if v.cell in kept}
    return _day(shown, set(schools), kept.get(parent.cell))


def _day(shown: dict[int, Counts], everyone: set[int], whole: Counts | None) -> _Day:
    atoms = [(frozenset({i}), counts) for i, counts in shown.items()]
    if whole is not None:
        rest = frozenset(everyone - set(shown)) | {NO_SCHOOL}
        atoms.append((rest, _minus(whole, list(shown.values()))))
    return _Day(tuple(atoms))


def _minus(whole: Counts, parts: list[Counts]) -> Counts:
    shown = total(parts)
    denominator = None
    if whole.denominator is not None and shown.denominator is not None:
        denominator = whole.denominator - shown.denominator
    return Counts(whole.numerator - shown.numerator, denominator, whole.n - shown.n)


def _too_small(now: _Day, then: _Day, indicator: Indicator, limits: Thresholds) -> set[int]:
    """The elements of the first component known on both days whose change is too small."""
    for component in _components(now, then):
        people = answers_counted(indicator)
        change = Change.between(_sum(now, component), _sum(then, component), people)
        if primary_reason(change.numerator, change.denominator, change.n, indicator, limits):
            return component
    return set()


def _components(now: _Day, then: _Day) -> list[set[int]]:
    """The sets that are unions of atoms on both days, smallest first."""
    known = now.covered() & then.covered()
    atoms = [atom for day in (now, then) for atom, _ in day.atoms]
    return sorted((group for group in joined(atoms) if group <= known), key=len)


def _sum(day: _Day, component: set[int]) -> Counts:
    return total([counts for atom, counts in day.atoms if atom <= component])


def _choice(
    component: set[int],
    parent: IndicatorValue,
    schools: dict[int, IndicatorValue],
    fixed: set[CellKey],
) -> CellKey | None:
    """A shown school of the set, else another (merging its atom with the set), else the
    municipality: the smallest first, never a cell hidden already or shown before today."""
    open_schools = sorted(
        (v for v in schools.values() if v.cell not in fixed),
        key=lambda v: (v.scope_id not in component, v.n, v.scope_id),
    )
    if open_schools:
        return open_schools[0].cell
    return parent.cell if parent.cell not in fixed else None
