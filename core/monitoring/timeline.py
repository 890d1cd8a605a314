"""What readers know of one scope's days, from every version of its cells they have seen.

A shown cell of an additive indicator (answers in a period) is the sum of the days from its
period's start up to the day it was counted to: an interval of days. Intervals known to a
reader make a graph on their end days; two days joined by a path enclose a sum the reader
can take (the signed sum of the path), whatever the periods and days that published them:
a school year counted to two days minus a month counted to the second gives the month up
to the first, hidden that day. Each interval between neighbouring joined days is such a
sum, and every other one is a union of them, so those must pass the rules (rules.py).

A failing interval that earlier publications gave already cannot be helped; one that today's
cells give hides one of them: one spanning the interval (every path crosses it through such
a cell), the smallest first. Sums over schools across days are history.py's.
"""

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from core.monitoring.catalogue import Catalogue, PeriodRule
from core.monitoring.relations import joined
from core.monitoring.rules import Thresholds, passes_group
from core.monitoring.values import CellKey, IndicatorValue
from core.monitoring.versions import Change, Counts, Earlier, answers_counted

Edge = tuple[date, date]  # a period's first day, the exclusive end of the days counted
Series = tuple[str, str | None, object, int]  # indicator, facet, scope type, scope id


@dataclass(frozen=True)
class Known:
    """The intervals a reader knows of one series, with their numbers."""

    edges: dict[Edge, Counts]

    def potentials(self) -> list[dict[date, Counts]]:
        """Per set of joined days, each day's sum since the set's first day, along one path."""
        around: dict[date, list[tuple[date, Counts, int]]] = defaultdict(list)
        for (start, end), counts in self.edges.items():
            around[start].append((end, counts, 1))
            around[end].append((start, counts, -1))
        found = []
        for group in joined([frozenset(edge) for edge in self.edges]):
            first = min(group)
            level = {first: Counts(0, 0, 0)}
            queue = [first]
            while queue:
                day = queue.pop()
                for other, counts, sign in around[day]:
                    if other not in level:
                        level[other] = _step(level[day], counts, sign)
                        queue.append(other)
            found.append(level)
        return found

    def joins(self) -> dict[date, int]:
        """The set of joined days each day belongs to."""
        groups = joined([frozenset(edge) for edge in self.edges])
        return {day: i for i, group in enumerate(groups) for day in group}


def _step(level: Counts, edge: Counts, sign: int) -> Counts:
    denominator = None
    if level.denominator is not None and edge.denominator is not None:
        denominator = level.denominator + sign * edge.denominator
    return Counts(level.numerator + sign * edge.numerator, denominator, level.n + sign * edge.n)


def exposed(
    values: Sequence[IndicatorValue],
    hidden: Iterable[CellKey],
    earlier: Sequence[Earlier],
    catalogue: Catalogue,
    limits: Thresholds,
) -> set[CellKey]:
    """One more cell to hide for each series whose shown cells, with those shown before,
    give a span of days too small a group to be shown (none when no span is)."""
    concealed = set(hidden)
    before: dict[Series, dict[Edge, Counts]] = defaultdict(dict)
    for e in earlier:
        if not e.hidden and e.counts is not None and _additive(e.cell, catalogue):
            before[_series(e.cell)][(e.cell.period.start, e.until)] = e.counts
    today: dict[Series, list[IndicatorValue]] = defaultdict(list)
    for v in values:
        if v.cell not in concealed and _additive(v.cell, catalogue):
            today[_series(v.cell)].append(v)
    found = set()
    for series, shown in today.items():
        fresh = [v for v in shown if (v.period.start, v.until) not in before[series]]
        gap = fresh and _gap(series, shown, before[series], catalogue, limits)
        if gap:
            found.add(_choice(gap, fresh))
    return found


def _additive(cell: CellKey, catalogue: Catalogue) -> bool:
    return catalogue[cell.indicator].period_rule is PeriodRule.ADDITIVE


def _series(cell: CellKey) -> Series:
    return (cell.indicator, cell.facet, cell.scope_type, cell.scope_id)


def _gap(
    series: Series,
    shown: list[IndicatorValue],
    before: dict[Edge, Counts],
    catalogue: Catalogue,
    limits: Thresholds,
) -> Edge | None:
    """The first span between neighbouring joined days that is too small a group and was
    not known from earlier publications alone."""
    edges = dict(before)
    for v in shown:
        edges[(v.period.start, v.until)] = Counts(v.numerator, v.denominator, v.n)
    old = Known(before).joins()
    indicator = catalogue[str(series[0])]
    people, rule = answers_counted(indicator), (indicator, limits)
    for level in Known(edges).potentials():
        days = sorted(level)
        for start, end in zip(days, days[1:], strict=False):
            if start in old and old[start] == old.get(end):
                continue  # known before today: hiding today's cells cannot help
            then, now = level[start], level[end]
            if now.n < then.n or (now.denominator or 0) < (then.denominator or 0):
                continue  # fewer people than none: answers taken again, as rules.remainder
            change = Change.between(now, then, people)
            if not passes_group(Counts(change.numerator, change.denominator, change.n), *rule):
                return (start, end)
    return None


def _choice(gap: Edge, fresh: list[IndicatorValue]) -> CellKey:
    """A cell of today spanning the gap, else any (the smallest first)."""
    return min(
        fresh,
        key=lambda v: (not (v.period.start <= gap[0] and gap[1] <= v.until), v.n, str(v.cell)),
    ).cell
