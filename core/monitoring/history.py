"""What readers know of the municipality and its schools, over every period and day they were
published, taken together.

Write F_s(d) for school s's answers from the school year's start up to day d, and T(d) for
the municipality's (every school and the people in no school). A shown cell of school s
counted over [a, b) tells F_s(b) - F_s(a); one of the municipality, T(b) - T(a). A state at
a period's end (young teachers, mentoring) and a campaign's value, counted up to b, tell
F(b) itself: an interval from the ORIGIN. Paths of such intervals join days (timeline.py).
For two days u < t joined in the municipality's graph, the schools whose own graphs join
them too are known over [u, t), and the rest together (hidden schools and the people in no
school) are known as the municipality's change minus theirs: a group of its own, which must
pass the rules (rules.py). A school year on two days with one school hidden on one of them,
a month on one day against the year on another, a state on two days: each gives such groups.

A group known from earlier publications alone cannot be helped; one that today's cells give
hides one of them: a shown school's cell over those days (its school joins the group, which
grows), else the municipality's, else any of today's cells of the indicator.

Only days whose shown cells were kept with their numbers count (versions.py).
"""

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

import numpy as np

from core.monitoring.catalogue import Catalogue, Indicator, PeriodRule, ScopeType
from core.monitoring.periods import Period
from core.monitoring.rules import Thresholds
from core.monitoring.timeline import Edge, Group, Known, balanced, exact, groups, total
from core.monitoring.values import CellKey, IndicatorValue
from core.monitoring.versions import Counts, Earlier, answers_counted

Family = tuple[str, str | None, Period | None]  # indicator, facet; a period where needed
TOWN = -1  # the municipality among the scopes of a family
ORIGIN = date.min  # where a state's interval starts: a state is all that came before it


@dataclass
class _Scopes:
    """The intervals known of the municipality and of each school, before today and now."""

    before: dict[int, dict[Edge, Counts]] = field(default_factory=lambda: defaultdict(dict))
    today: dict[int, dict[Edge, Counts]] = field(default_factory=lambda: defaultdict(dict))
    fresh: list[tuple[IndicatorValue, Edge]] = field(default_factory=list)

    def now(self, scope: int) -> dict[Edge, Counts]:
        return {**self.before.get(scope, {}), **self.today.get(scope, {})}


def exposed(
    values: Sequence[IndicatorValue],
    hidden: Iterable[CellKey],
    earlier: Sequence[Earlier],
    catalogue: Catalogue,
    limits: Thresholds,
) -> set[CellKey]:
    """One more cell to hide for each indicator whose shown cells, with those shown before,
    give a group of schools over some days too small to be shown."""
    families = _families(values, set(hidden), earlier, catalogue)
    found = set()
    for (indicator, *_), scopes in families.items():
        if not scopes.fresh:
            continue
        group = _failing(scopes, catalogue[indicator], limits)
        if group:
            found.add(_choice(group, scopes))
    return found


def _families(
    values: Sequence[IndicatorValue],
    hidden: set[CellKey],
    earlier: Sequence[Earlier],
    catalogue: Catalogue,
) -> dict[Family, _Scopes]:
    families: dict[Family, _Scopes] = defaultdict(_Scopes)
    public = set()
    for e in earlier:
        scope = _scope(e.cell)
        if scope is not None and not e.hidden:
            public.add((e.cell, e.until))
        if scope is not None and not e.hidden and e.counts is not None:
            family, edge = families[_family(e.cell, catalogue)], _edge(e.cell, e.until, catalogue)
            family.before[scope][edge] = e.counts
    for v in values:
        scope = _scope(v.cell)
        if scope is None or v.cell in hidden:
            continue
        family, edge = families[_family(v.cell, catalogue)], _edge(v.cell, v.until, catalogue)
        if edge in family.before[scope]:
            continue
        if (v.cell, v.until) not in public:
            family.fresh.append((v, edge))
        family.today[scope][edge] = Counts(v.numerator, v.denominator, v.n)
    return families


def _scope(cell: CellKey) -> int | None:
    if cell.scope_type is ScopeType.MUNICIPALITY:
        return TOWN
    return cell.scope_id if cell.scope_type is ScopeType.SCHOOL else None


def _family(cell: CellKey, catalogue: Catalogue) -> Family:
    """Answers add up over days, and a state is one whatever the period; the rest (a count's
    participants, a share of registered teachers) is compared within its period only."""
    rule = catalogue[cell.indicator]
    apart = rule.period_rule is PeriodRule.ADDITIVE and not exact(rule)
    return (cell.indicator, cell.facet, cell.period if apart else None)


def _edge(cell: CellKey, until: date, catalogue: Catalogue) -> Edge:
    return (cell.period.start if exact(catalogue[cell.indicator]) else ORIGIN, until)


class _Graphs:
    """Per scope (the municipality first), for each day of the municipality's graph: which
    set of joined days it is in (distinct negative numbers where the scope has no such
    day) and its sums since that set's first day (numerator, denominator, n)."""

    def __init__(self, graphs: dict[int, Known], days: list[date]) -> None:
        scopes = [TOWN, *sorted(s for s in graphs if s != TOWN)]
        where = {day: j for j, day in enumerate(days)}
        size = len(days)
        self.sets = -1 - np.arange(len(scopes) * size).reshape(len(scopes), size)
        self.sums = np.zeros((len(scopes), size, 3))
        self.counted = True  # every interval has a denominator
        self.known = [graphs.get(scope) or Known() for scope in scopes]
        for i, known in enumerate(self.known):
            labels = dict[date, int]()
            for day in list(known.parent):
                if day in where:
                    first, counts = known.find(day)
                    self.sets[i, where[day]] = labels.setdefault(first, len(labels))
                    numbers = (counts.numerator, counts.denominator or 0, counts.n)
                    self.sums[i, where[day]] = numbers
                    self.counted &= counts.denominator is not None


def _failing(scopes: _Scopes, indicator: Indicator, limits: Thresholds) -> Group | None:
    """A set of days over which a group of schools is newly known and too small to be
    shown: a span between two days the municipality's figures join, else a set of days
    that is no single span (timeline.groups)."""
    days = sorted({day for edge in scopes.now(TOWN) for day in edge})
    if len(days) < 2:
        return None
    old = {s: Known(scopes.before.get(s, {})) for s in {*scopes.before, *scopes.today}}
    now = _Graphs(
        {s: known.copy().extend(scopes.today.get(s, {})) for s, known in old.items()}, days
    )
    before = _Graphs(old, days)
    u, t = np.triu_indices(len(days), k=1)
    keep = now.sets[0, u] == now.sets[0, t]
    u, t = u[keep], t[keep]
    joined = now.sets[:, u] == now.sets[:, t]  # scope x pair
    known_before = before.sets[:, u] == before.sets[:, t]
    new = ~known_before[0] | (joined != known_before).any(axis=0)
    u, t, joined = u[new], t[new], joined[1:, new]
    change = now.sums[:, t] - now.sums[:, u]  # scope x pair x (numerator, denominator, n)
    group = change[0] - np.einsum("sp,spc->pc", joined, change[1:])
    failing = _fails(group, indicator, limits, now.counted)
    if failing.any():
        first = int(np.argmax(failing))
        return (days[int(u[first])], -1), (days[int(t[first])], 1)
    return _failing_apart(now, before, indicator, limits)


def _failing_apart(
    now: "_Graphs", before: "_Graphs", indicator: Indicator, limits: Thresholds
) -> Group | None:
    """The same for the sets of days that are no single span (a month minus its whole
    weeks of another report: its first and last days)."""
    for days in groups(now.known[0]):
        if len(days) == 2:
            continue  # a span: looked at above
        given = [balanced(known, days) for known in now.known]
        if balanced(before.known[0], days) and given == [
            balanced(known, days) for known in before.known
        ]:
            continue  # known before today
        sums = np.array(
            [
                (c.numerator, c.denominator or 0, c.n)
                for c in (
                    total(known, days) for known, ok in zip(now.known, given, strict=True) if ok
                )
            ],
            dtype=float,
        )
        numbers = sums[0] - sums[1:].sum(axis=0)
        if _fails(numbers[None, :], indicator, limits, now.counted)[0]:
            return days
    return None


def _fails(
    group: np.ndarray, indicator: Indicator, limits: Thresholds, counted: bool
) -> np.ndarray:
    """rules.primary_reason over groups (Change.between's size; fewer than none: no group)."""
    numerator, denominator, n = group[:, 0], group[:, 1], group[:, 2]
    real = (n >= 0) & (denominator >= 0)
    size = np.maximum(n, denominator if counted else 0)
    if answers_counted(indicator):
        size = np.maximum(size, np.abs(numerator))
    k = limits.k_sensitive if indicator.sensitive else limits.k
    fails = (size > 0) & (size < k)
    if indicator.sensitive and counted:
        side = np.minimum(numerator, denominator - numerator)
        fails |= (denominator > 0) & (side < limits.class_min)
    found: np.ndarray = real & fails
    return found


def _choice(group: Group, scopes: _Scopes) -> CellKey:
    """Today's cell to hide: one without which a shown school no longer gives the group's
    days (its school joins the group, which grows), else one without which the municipality
    no longer does, else one over those days, else any: the smallest first."""
    first, last = min(day for day, _ in group), max(day for day, _ in group)

    def rank(fresh: tuple[IndicatorValue, Edge]) -> tuple[bool, bool, bool, int, str]:
        v, edge = fresh
        scope = TOWN if v.scope_type is ScopeType.MUNICIPALITY else v.scope_id
        rest = {e: c for e, c in scopes.now(scope).items() if e != edge}
        needed = not balanced(Known(rest), group)
        overlaps = edge[0] < last and first < edge[1]
        return (not needed, scope == TOWN, not overlaps, v.n, str(v.cell))

    return min(scopes.fresh, key=rank)[0].cell
