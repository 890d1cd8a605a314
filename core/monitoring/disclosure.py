"""Disclosure control of a whole publication: primary, class and complementary suppression.

Everything shown together (a period's municipality, school and subject cells; the school
year with its months and weeks) goes through `protect` at once. A cell is hidden whole:
value, numerator, denominator and n.

1. Primary: n < k (k_sensitive for burnout and deficits, k for the rest; n = 0 has no one
   to protect and shows as "no data").
2. Class: a sensitive share with fewer than `class_min` people on either side (0 %, 100 %,
   1 of 12) tells each member's status.
3. Complementary, until nothing changes, in each relation of `relations.py`:
   a. no relation has exactly one hidden cell (else total minus the rest gives it back);
   b. where the parent is shown, the hidden children taken together (which the difference
      reveals as one group) must themselves pass rules 1 and 2;
   c. no hidden cell is determined by all relations together (a rank test), e.g. a
      municipality hidden in the school relation but recoverable from its subjects;
   d. for burnout and deficits, no hidden numerator is pinned by the relations together
      with 0 <= numerator <= denominator, group sizes taken as known (bounds.py).
   e. where every member is shown, the remainder (parent minus children: days outside
      the children, people in no school) must pass rules 1 and 2.
   The cell added is the smallest shown one that settles the relation (least information
   lost), otherwise the largest child, otherwise the parent.
4. Across publications (`earlier`): a cell counted up to the same day as in an earlier
   publication keeps its status there: hidden stays hidden; shown is public and is never
   chosen as a complement, since hiding it again protects nothing, and it shows the numbers
   it showed. A cell counted up to another day than when it was shown (a state at a
   period's end: whatever the period) is hidden when the change in between, a group of its
   own, fails rule 1 or 2; likewise a group of hidden children (rule 3b) (versions.py),
   every span of days a reader can take from one scope's periods counted up to any days
   (timeline.py), and every group of schools over such days that the municipality's
   figures minus its schools' give (history.py).
"""

import threading
from collections import defaultdict, deque
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from threadpoolctl import threadpool_limits

from core.monitoring import history, timeline
from core.monitoring.bounds import pinned
from core.monitoring.catalogue import Catalogue, Indicator, ScopeType
from core.monitoring.periods import Period
from core.monitoring.relations import Relation, determined, enclosures, relations
from core.monitoring.rules import (
    DEFAULT_LIMITS,
    Reason,
    Thresholds,
    first_hidden,
    passes,
    passes_group,
    primary_reason,
    remainder,
)
from core.monitoring.values import CellKey, DenominatorSource, IndicatorValue
from core.monitoring.versions import Earlier, Versions, as_shown_before

ONE_AT_A_TIME = threading.Lock()


@dataclass(frozen=True)
class ShownValue:
    """An IndicatorValue as published: when `hidden` is set, the numbers are None."""

    indicator: str
    facet: str | None
    period: Period
    scope_type: ScopeType
    scope_id: int
    numerator: int | None
    denominator: int | None
    value: float | None
    n: int | None
    denominator_source: DenominatorSource
    hidden: Reason | None
    until: date | None = None  # as in IndicatorValue: store it to pass as `earlier` later

    @property
    def cell(self) -> CellKey:
        return CellKey(self.indicator, self.facet, self.period, self.scope_type, self.scope_id)


def protect(
    values: tuple[IndicatorValue, ...],
    catalogue: Catalogue,
    limits: Thresholds = DEFAULT_LIMITS,
    earlier: Sequence[Earlier] = (),
) -> tuple[ShownValue, ...]:
    """The publication with primary, class and complementary suppression applied,
    consistent with the `earlier` publications the same readers have seen."""
    values = as_shown_before(values, earlier)
    hidden, public, versions = first_hidden(values, catalogue, limits, earlier)
    cells = {v.cell: v for v in values}
    grouped: dict[tuple[str, str | None], tuple[list[Relation], list[Relation]]] = defaultdict(
        lambda: ([], [])
    )
    for relation in relations(values, catalogue):
        grouped[(relation.parent.indicator, relation.parent.facet)][0].append(relation)
    for relation in enclosures(values, catalogue):
        grouped[(relation.parent.indicator, relation.parent.facet)][1].append(relation)
    blocks = [
        _Block(inner, outer, cells, hidden, public, catalogue[key[0]], limits, versions)
        for key, (inner, outer) in sorted(grouped.items(), key=str)
    ]
    while True:  # a group known across days and reports hides one more cell, then again
        # many small matrices: BLAS threads only contend (several times slower on a busy
        # host); the limit is process-wide, so protections in threads take turns
        with ONE_AT_A_TIME, threadpool_limits(limits=1, user_api="blas"):
            for block in blocks:
                block.complete()
        more = history.exposed(values, hidden, earlier, catalogue, limits)
        more |= timeline.exposed(values, hidden, earlier, catalogue, limits)
        more -= hidden.keys()
        if not more:
            return tuple(_shown(v, hidden.get(v.cell)) for v in values)
        hidden.update(dict.fromkeys(more, Reason.COMPLEMENTARY))


def _shown(value: IndicatorValue, reason: Reason | None) -> ShownValue:
    visible = reason is None
    return ShownValue(
        indicator=value.indicator,
        facet=value.facet,
        period=value.period,
        scope_type=value.scope_type,
        scope_id=value.scope_id,
        numerator=value.numerator if visible else None,
        denominator=value.denominator if visible else None,
        value=value.value if visible else None,
        n=value.n if visible else None,
        denominator_source=value.denominator_source,
        hidden=reason,
        until=value.until,
    )


@dataclass
class _Block:
    """The relations of one indicator and facet, and the complementary suppression in them."""

    relations: list[Relation]
    enclosing: list[Relation]  # days inside another's (relations.enclosures): rule 3e only
    cells: dict[CellKey, IndicatorValue]
    hidden: dict[CellKey, Reason]
    public: frozenset[CellKey]  # shown in an earlier publication: hiding them helps nothing
    indicator: Indicator
    limits: Thresholds
    versions: Versions
    involving: dict[CellKey, list[Relation]] = field(default_factory=dict)
    hopeless: set[CellKey] | None = None

    def __post_init__(self) -> None:
        for relation in self.relations:
            for member in relation.members:
                self.involving.setdefault(member, []).append(relation)

    def complete(self) -> None:
        if self.hopeless is None:
            # a cell the relations give with every cell that can be hidden hidden is given
            # by the remainders taken as known (a month as the year minus the days before a
            # week plus the month's days before it; a school's year as its empty week plus
            # the days before it): hiding more cannot protect it, only hide the town. Empty
            # cells and cells shown before are never hidden as complements (`_candidate`).
            everyone = sorted(
                {m for r in self.relations for m in r.members if self._hideable(m)}, key=_order
            )
            self.hopeless = determined(everyone, self.relations)
        stuck = set(self.hopeless)
        while True:
            settled = [self._settle(relation) for relation in self.relations]  # every one
            settled += [self._settle_days(relation) for relation in self.enclosing]
            if any(settled):
                continue
            members = sorted(
                {m for r in self.relations for m in r.members if m in self.hidden} - stuck,
                key=_order,
            )
            exposed = sorted(determined(members, self.relations), key=_order)
            if not exposed and self.indicator.sensitive:
                exposed = sorted(pinned(members, self.relations, self.cells), key=_order)
            if not exposed:
                return
            # one complement per exposed cell in a round: each rank test costs a solve
            stuck |= self._open_all(exposed)

    def _open_all(self, exposed: list[CellKey]) -> set[CellKey]:
        """Open each exposed cell; those that cannot be. A search that found nothing to hide
        finds nothing from any cell it reached until something is hidden."""
        failed: set[CellKey] = set()
        barren: set[CellKey] = set()
        for cell in exposed:
            reached = self._open(cell) if cell not in barren else barren
            if reached is None:
                barren = set()
            else:
                failed.add(cell)
                barren |= reached
        return failed

    def _settle(self, relation: Relation) -> bool:
        """Hide one more cell of `relation` if rule 3a, 3b or 3e asks for it."""
        hidden_children = [c for c in relation.children if c in self.hidden]
        parent_shown = relation.parent not in self.hidden
        if parent_shown and not hidden_children and self._bare_remainder(relation):
            return self._hide(self._candidate(relation, [], parent_shown))
        lone = len(hidden_children) + (not parent_shown) == 1
        if not lone and not (parent_shown and hidden_children and not self._safe(hidden_children)):
            return False
        return self._hide(self._candidate(relation, hidden_children, parent_shown))

    def _settle_days(self, relation: Relation) -> bool:
        """Rule 3e alone, for a cell whose days hold another's (relations.enclosures)."""
        shown = not any(m in self.hidden for m in relation.members)
        if shown and self._bare_remainder(relation):
            return self._hide(self._candidate(relation, [], True))
        return False

    def _bare_remainder(self, relation: Relation) -> bool:
        """Whether the relation, every member shown, reveals a remainder (days of the parent
        outside its children, people in no school) too small to be shown. Subjects overlap:
        their relation's remainder is no group of people."""
        subjects = relation.children[0].scope_type is ScopeType.SUBJECT
        if subjects and relation.parent.scope_type is ScopeType.MUNICIPALITY:
            return False  # the municipality = its subjects, not one subject's periods
        children = [self.cells[c] for c in relation.children]
        rest = remainder(self.cells[relation.parent], children)
        return rest is not None and not passes_group(rest, self.indicator, self.limits)

    def _open(self, cell: CellKey) -> set[CellKey] | None:
        """Hide one more cell in a relation of a determined hidden cell, or, when all of
        those are hidden, empty or public, in a relation of the hidden cells linked to it;
        None when done, else the hidden cells the search reached."""
        queue, seen = deque([cell]), {cell}
        examined: set[int] = set()  # nothing is hidden until the search ends: once is enough
        while queue:
            current = queue.popleft()
            for relation in self.involving.get(current, ()):
                if id(relation) in examined:
                    continue
                examined.add(id(relation))
                hidden_children = [c for c in relation.children if c in self.hidden]
                parent_shown = relation.parent not in self.hidden
                if self._hide(self._candidate(relation, hidden_children, parent_shown)):
                    return None
                linked = [m for m in relation.members if m in self.hidden and m not in seen]
                seen.update(linked)
                queue += linked
        return seen

    def _candidate(
        self, relation: Relation, hidden_children: list[CellKey], parent_shown: bool
    ) -> CellKey | None:
        # an empty cell hides nothing: its counts are known to be 0 once group sizes are known
        shown = sorted(
            (
                c
                for c in relation.children
                if c not in self.hidden and c not in self.public and self.cells[c].n > 0
            ),
            key=lambda c: (self.cells[c].n, _order(c)),
        )
        if parent_shown and hidden_children:
            for child in shown:
                if self._safe([*hidden_children, child]):
                    return child
        if shown:
            return shown[-1] if parent_shown and hidden_children else shown[0]
        return relation.parent if parent_shown and relation.parent not in self.public else None

    def _hideable(self, cell: CellKey) -> bool:
        return cell in self.hidden or (cell not in self.public and self.cells[cell].n > 0)

    def _safe(self, group: list[CellKey]) -> bool:
        """Whether the sum of `group`, revealed by a difference, could be shown as a cell."""
        values = [self.cells[c] for c in group]
        numerator = sum(v.numerator for v in values)
        denominator = sum(v.denominator or 0 for v in values)
        n = sum(v.n for v in values)
        if primary_reason(numerator, denominator, n, self.indicator, self.limits) is not None:
            return False
        return passes(self.versions, values, self.indicator, self.limits)

    def _hide(self, cell: CellKey | None) -> bool:
        if cell is None or cell in self.hidden:
            return False
        self.hidden[cell] = Reason.COMPLEMENTARY
        return True


def _order(cell: CellKey) -> tuple[str, str, object, str, int]:
    return (cell.indicator, cell.facet or "", cell.period, cell.scope_type.value, cell.scope_id)
