"""Earlier versions of a cell: the same indicator, period and scope counted up to another day.

A reader who saw a cell counted up to one day and sees it now counted up to another takes
the difference: the answers (or registrations, or events) in between, a group of its own.
That group must pass the primary and class rules like any cell, or the new version is
hidden. The same holds for several cells whose sum a relation reveals (hidden children under
a shown parent): their change since a day on which all of them were shown is a group too.

Only versions published with their numbers are compared (those remembered since numbers are
kept); a version that was hidden is not known to the reader and tells nothing.
"""

from collections import defaultdict
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import TYPE_CHECKING

from core.monitoring.catalogue import Base, Catalogue, Indicator, PeriodRule
from core.monitoring.values import CellKey, IndicatorValue

if TYPE_CHECKING:
    from core.monitoring.disclosure import ShownValue


@dataclass(frozen=True)
class Counts:
    """The numbers of a cell as a reader saw them."""

    numerator: int
    denominator: int | None
    n: int
    value: float | None = None  # as shown: a later count of the same day shows these


@dataclass(frozen=True)
class Change:
    """The difference between two versions of a cell (or of a group of cells), as the group
    of people it is: positive counts, whichever way the numbers went. A numerator that moved
    while the group's size did not (a teacher answering again, only the latest answer
    counted) still took that many people: the size is never taken below it."""

    numerator: int
    denominator: int | None
    n: int

    @classmethod
    def between(cls, now: Counts, then: Counts, people: bool = True) -> "Change":
        """`people`: the numerator counts what respondents answered, so a move of it with no
        new respondent is someone's answer changed (see `answers_counted`)."""
        numerator = abs(now.numerator - then.numerator)
        denominator = None
        if now.denominator is not None and then.denominator is not None:
            denominator = abs(now.denominator - then.denominator)
        n = max(abs(now.n - then.n), numerator if people else 0, denominator or 0)
        return cls(numerator, denominator, n)

    @property
    def empty(self) -> bool:
        return self.n == 0


@dataclass(frozen=True)
class Earlier:
    """A cell as an earlier publication showed it: the same cell counted up to the same day
    has the same numbers, so what was shown then is public and what was hidden stays hidden;
    `counts` is what a shown cell showed (None when hidden, or not kept)."""

    cell: CellKey
    until: date
    hidden: bool
    counts: Counts | None = None

    @classmethod
    def of(cls, shown: "ShownValue") -> "Earlier":
        """The record to keep of a published value (its `until` must be set)."""
        if shown.until is None:
            raise ValueError(f"{shown.cell} has no until")
        counts = None
        if shown.hidden is None and shown.numerator is not None and shown.n is not None:
            counts = Counts(shown.numerator, shown.denominator, shown.n, shown.value)
        return cls(shown.cell, shown.until, shown.hidden is not None, counts)


class Versions:
    """The shown versions of the cells of a publication, with their numbers. A state at a
    period's end (`as_of_end`: coverage, young teachers, ...) is one series whatever the
    period: a week's state and the month's counted up to another day are versions of it."""

    def __init__(
        self, catalogue: Catalogue, shown: Iterable[tuple[CellKey, date, Counts]] = ()
    ) -> None:
        self.catalogue = catalogue
        self.by_key: dict[Hashable, dict[date, Counts]] = defaultdict(dict)
        for cell, until, counts in shown:
            self.add(cell, until, counts)

    def key(self, cell: CellKey) -> Hashable:
        if self.catalogue[cell.indicator].period_rule is PeriodRule.AS_OF_END:
            return (cell.indicator, cell.facet, cell.scope_type, cell.scope_id)
        return cell

    def add(self, cell: CellKey, until: date, counts: Counts) -> None:
        self.by_key[self.key(cell)][until] = counts

    def changes(self, group: Sequence[IndicatorValue]) -> list[Change]:
        """The group's change since every day on which each of its cells was shown (a cell
        counted up to that very day now changes by nothing)."""
        keys = [self.key(v.cell) for v in group]
        if not group or any(k not in self.by_key for k in keys):
            return []
        days = set.intersection(
            *(set(self.by_key[k]) | {v.until} for k, v in zip(keys, group, strict=True))
        )
        people = answers_counted(self.catalogue[group[0].indicator])
        found = (self._change(group, keys, day, people) for day in sorted(days))
        return [change for change in found if not change.empty]

    def _change(
        self, group: Sequence[IndicatorValue], keys: list[Hashable], day: date, people: bool
    ) -> Change:
        """The group now minus the group counted up to `day` (a cell counted up to that very
        day has not changed)."""
        moved = [
            (v, self.by_key[k][day]) for k, v in zip(keys, group, strict=True) if v.until != day
        ]
        now = [Counts(v.numerator, v.denominator, v.n) for v, _ in moved]
        return Change.between(total(now), total([then for _, then in moved]), people)


def as_shown_before(
    values: tuple[IndicatorValue, ...], earlier: Sequence[Earlier]
) -> tuple[IndicatorValue, ...]:
    """A cell shown before counted up to the same day keeps the numbers it showed: counted
    again after someone's answers were deleted, the difference would be theirs."""
    shown = {(e.cell, e.until): e.counts for e in earlier if not e.hidden and e.counts}
    return tuple(
        v if (c := shown.get((v.cell, v.until))) is None
        else replace(v, numerator=c.numerator, denominator=c.denominator, n=c.n, value=c.value)
        for v in values
    )  # fmt: skip


def answers_counted(indicator: Indicator) -> bool:
    """Whether the numerator counts what respondents answered (a teacher answering again
    moves it with no new respondent, and tells their answer). Over a headcount or the
    registered teachers it counts people who did something (were assessed, got a mentor):
    with the group unchanged, a move of it tells no one's answer, only how many did it; a
    count's numerator counts events."""
    return indicator.denominator is Base.RESPONDENTS


def total(parts: Sequence[Counts]) -> Counts:
    """The numbers of several cells taken together (no denominator if one has none)."""
    denominators = [p.denominator for p in parts]
    return Counts(
        sum(p.numerator for p in parts),
        None if None in denominators else sum(d or 0 for d in denominators),
        sum(p.n for p in parts),
    )
