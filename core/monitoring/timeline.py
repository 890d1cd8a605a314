"""What readers know of one scope's days, from every version of its cells they have seen.

A shown cell of an answers' indicator (burnout, deficits, satisfaction: answers in a period)
is the sum of the days from its period's start up to the day it was counted to: an
interval of days. Intervals known to a reader make a graph on their end days; two days
joined by a path enclose a sum the reader can take (the signed sum of the path), whatever
the periods and reports that published them: a school year counted to two days minus a
month counted to the second gives the month up to the first, hidden that day. Sets of
days spanning several such graphs can be summed too (a month minus its whole weeks of
another report: its first and last day); `groups` finds the smallest, and every other is
a union of them, so those must pass the rules (rules.py).

Only a person's latest answer in a period counts, so two paths between the same days can
differ (a teacher who answered in October and again in November counts once in the year):
the difference around such a cycle is the group of those who answered again, and what it
tells of them (their earlier answers) must pass the rules too.

A group that earlier publications gave already cannot be helped; one that today's cells
give hides one of them: one whose loss takes the group away, the smallest first. Groups of
schools across days are history.py's.
"""

from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from datetime import date

from core.monitoring.catalogue import Catalogue, Indicator, PeriodRule
from core.monitoring.rules import Thresholds, passes_group
from core.monitoring.values import CellKey, IndicatorValue
from core.monitoring.versions import Change, Counts, Earlier, answers_counted

Edge = tuple[date, date]  # a period's first day, the exclusive end of the days counted
Group = tuple[tuple[date, int], ...]  # a set of days: its bounds, -1 where it starts, +1 ends
STEPS = 20_000  # steps of the search for cycles in one series before it gives up (see groups)
Series = tuple[str, str | None, object, int]  # indicator, facet, scope type, scope id
ZERO = Counts(0, 0, 0)


def exact(indicator: Indicator) -> bool:
    """Whether a cell is the sum of its days: answers in a period. A count's participants,
    a share of registered teachers (their state at the period's end) and routes opened up
    to the day counted to are not."""
    additive = indicator.period_rule is PeriodRule.ADDITIVE and answers_counted(indicator)
    return additive and not indicator.numerator_to_until


Sums = tuple[int, int | None, int]  # numerator, denominator, n: plain, as they add up often
NONE: Sums = (0, 0, 0)


class Known:
    """Days joined by known intervals, each with its sum since its set's first day (a
    union-find that keeps the differences); a known interval that closes a cycle whose sums
    disagree is kept as a `discord`."""

    def __init__(self, *layers: dict[Edge, Counts]) -> None:
        """The edges of each layer in turn (what was known before, then today's): a cycle
        is found at the edge that closes it, so one of earlier layers alone is old."""
        self.parent: dict[date, date] = {}
        self.offset: dict[date, Sums] = {}  # a day's sum minus its parent's
        self.discords: list[tuple[Edge, Counts]] = []
        for edges in layers:
            self.extend(edges)

    def extend(self, edges: dict[Edge, Counts]) -> "Known":
        for edge in sorted(edges):  # one order, whatever the order of the cells
            counts = edges[edge]
            self._add(edge, (counts.numerator, counts.denominator, counts.n))
        return self

    def copy(self) -> "Known":
        other = Known()
        other.parent, other.offset = dict(self.parent), dict(self.offset)
        other.discords = list(self.discords)
        return other

    def _find(self, day: date) -> tuple[date, Sums]:
        if day not in self.parent:
            self.parent[day], self.offset[day] = day, NONE
        path, total = [], NONE
        while self.parent[day] != day:
            path.append(day)
            day = self.parent[day]
        for step in reversed(path):  # compress: each straight to the root
            total = _plus(total, self.offset[step], 1)
            self.parent[step], self.offset[step] = day, total
        return day, self.offset[path[0]] if path else NONE

    def find(self, day: date) -> tuple[date, Counts]:
        """The first day of the day's set, and the day's sum since it."""
        first, sums = self._find(day)
        return first, Counts(*sums)

    def _add(self, edge: Edge, counts: Sums) -> None:
        (first, at_start), (last, at_end) = self._find(edge[0]), self._find(edge[1])
        if first == last:
            differs = _plus(_plus(at_end, at_start, -1), counts, -1)
            if differs[0] or differs[1] or differs[2]:
                self.discords.append((edge, Counts(*differs)))
            return
        self.parent[last] = first  # the end's set under the start's: end = start + counts
        self.offset[last] = _plus(_plus(at_start, counts, 1), at_end, -1)


def _plus(level: Sums, edge: Sums, sign: int) -> Sums:
    denominator = None
    if level[1] is not None and edge[1] is not None:
        denominator = level[1] + sign * edge[1]
    return (level[0] + sign * edge[0], denominator, level[2] + sign * edge[2])


def exposed(
    values: Sequence[IndicatorValue],
    hidden: Iterable[CellKey],
    earlier: Sequence[Earlier],
    catalogue: Catalogue,
    limits: Thresholds,
) -> set[CellKey]:
    """One more cell to hide for each series whose shown cells, with those shown before,
    give a group too small to be shown (none when no group is)."""
    concealed = set(hidden)
    before: dict[Series, dict[Edge, Counts]] = defaultdict(dict)
    public = set()
    for e in earlier:
        if not e.hidden and exact(catalogue[e.cell.indicator]):
            public.add((e.cell, e.until))
            if e.counts is not None:
                before[_series(e.cell)][(e.cell.period.start, e.until)] = e.counts
    today: dict[Series, list[IndicatorValue]] = defaultdict(list)
    for v in values:
        if v.cell not in concealed and exact(catalogue[v.indicator]):
            today[_series(v.cell)].append(v)
    found = set()
    for series, shown in today.items():
        old = before[series]
        new = {_edge(v): _counts(v) for v in shown if _edge(v) not in old}
        fresh = [v for v in shown if _edge(v) in new and (v.cell, v.until) not in public]
        rule = (catalogue[str(series[0])], limits)
        known = Known(old)
        around = {day for edge in new for day in edge}
        gap = fresh and _gap(known.copy().extend(new), known, set(old), rule, around)
        if gap:
            found.add(_choice(gap, fresh, known, new))
    return found


def _counts(v: IndicatorValue) -> Counts:
    return Counts(v.numerator, v.denominator, v.n)


def _series(cell: CellKey) -> Series:
    return (cell.indicator, cell.facet, cell.scope_type, cell.scope_id)


def _edge(v: IndicatorValue) -> Edge:
    return (v.period.start, v.until)


def _gap(
    now: Known,
    before: Known,
    old: set[Edge],
    rule: tuple[Indicator, Thresholds],
    around: set[date],
) -> Group | None:
    """A group newly known today and too small to be shown: a set of days whose sum the
    intervals give, or a cycle whose sums disagree (given as its closing interval)."""
    people = answers_counted(rule[0])
    try:
        for group in groups(now, around):
            if balanced(before, group):
                continue  # known before today: hiding today's cells cannot help
            change = Change.between(total(now, group), ZERO, people)
            if not passes_group(Counts(change.numerator, change.denominator, change.n), *rule):
                return group
    except TooMany:  # too tangled to look through: one of today's cells less, then again
        first = min(around)
        return ((first, -1), (max(around), 1))
    for edge, differs in now.discords:
        change = Change.between(differs, ZERO, people)
        cycle = Counts(change.numerator, change.denominator, change.n)
        if edge not in old and not passes_group(cycle, *rule):
            return ((edge[0], -1), (edge[1], 1))
    return None


class TooMany(Exception):
    """The search for cycles took more than STEPS steps."""


def groups(known: Known, around: Iterable[date] | None = None) -> Iterator[Group]:
    """The smallest sets of days whose sums the intervals give. Between neighbouring days
    lies a piece; a set of pieces is given when every set of joined days holds as many of
    their starts as their ends (its sum is then the signed sum of the days' levels): the
    pieces are arrows between sets of joined days, and the smallest such sets are their
    cycles (a year minus four "this week" reports is a cycle through five sets). With
    `around`, only the cycles through a set holding one of those days (what today's cells
    changed). TooMany when the cycles are too many to look at one by one."""
    days = sorted(known.parent)
    home = {day: known._find(day)[0] for day in days}
    touched = set(home.values()) if around is None else {home[d] for d in around if d in home}
    arrows: dict[date, list[Edge]] = defaultdict(list)
    for piece in zip(days, days[1:], strict=False):
        arrows[home[piece[0]]].append(piece)
    order = {piece: i for i, piece in enumerate(zip(days, days[1:], strict=False))}
    steps = [0]

    def walk(first: Edge, at: date, path: list[Edge], seen: set[date]) -> Iterator[list[Edge]]:
        steps[0] += 1
        if steps[0] > STEPS:
            raise TooMany
        for piece in arrows[at]:
            if order[piece] < order[first] and home[piece[0]] in touched:
                continue  # each cycle once: from its earliest piece leaving a touched set
            if home[piece[1]] == home[first[0]]:
                yield [*path, piece]
            elif home[piece[1]] not in seen:
                yield from walk(first, home[piece[1]], [*path, piece], seen | {home[piece[1]]})

    for first in order:
        if home[first[0]] not in touched:
            continue
        if home[first[1]] == home[first[0]]:
            yield ((first[0], -1), (first[1], 1))
            continue
        start = {home[first[0]], home[first[1]]}
        for cycle in walk(first, home[first[1]], [first], start):
            yield tuple(bound for a, b in cycle for bound in ((a, -1), (b, 1)))


def balanced(known: Known, group: Group) -> bool:
    """Whether the intervals of `known` give the group's sum."""
    totals: dict[date, int] = defaultdict(int)
    for day, sign in group:
        if day not in known.parent:
            return False
        totals[known._find(day)[0]] += sign
    return not any(totals.values())


def total(known: Known, group: Group) -> Counts:
    found = NONE
    for day, sign in group:
        found = _plus(found, known._find(day)[1], sign)
    return Counts(*found)


def _choice(
    group: Group, fresh: list[IndicatorValue], old: Known, new: dict[Edge, Counts]
) -> CellKey:
    """A cell of today without which the group is no longer given, else one over its days,
    else any: the smallest first."""
    first, last = min(day for day, _ in group), max(day for day, _ in group)

    def rank(v: IndicatorValue) -> tuple[bool, bool, int, str]:
        rest = {edge: counts for edge, counts in new.items() if edge != _edge(v)}
        closing = len(group) == 2 and _edge(v) == (group[0][0], group[1][0])
        needed = closing or not balanced(old.copy().extend(rest), group)
        over = v.period.start < last and first < v.until
        return (not needed, not over, v.n, str(v.cell))

    return min(fresh, key=rank).cell
