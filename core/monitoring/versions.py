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
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from core.monitoring.values import CellKey, IndicatorValue


@dataclass(frozen=True)
class Counts:
    """The numbers of a cell as a reader saw them."""

    numerator: int
    denominator: int | None
    n: int


@dataclass(frozen=True)
class Change:
    """The difference between two versions of a cell (or of a group of cells), as the group
    of people it is: positive counts, whichever way the numbers went."""

    numerator: int
    denominator: int | None
    n: int

    @property
    def empty(self) -> bool:
        return self.n == 0 and self.numerator == 0 and not self.denominator


class Versions:
    """The shown earlier versions of the cells of a publication, with their numbers."""

    def __init__(self, shown: Iterable[tuple[CellKey, date, Counts]] = ()) -> None:
        self.by_cell: dict[CellKey, dict[date, Counts]] = defaultdict(dict)
        for cell, until, counts in shown:
            self.by_cell[cell][until] = counts

    def changes(self, group: Sequence[IndicatorValue]) -> list[Change]:
        """The group's change since every day on which each of its cells was shown (a cell
        counted up to that very day now changes by nothing)."""
        if not group or any(v.cell not in self.by_cell for v in group):
            return []
        days = set.intersection(*(set(self.by_cell[v.cell]) | {v.until} for v in group))
        found = (self._change(group, day) for day in sorted(days))
        return [change for change in found if not change.empty]

    def _change(self, group: Sequence[IndicatorValue], day: date) -> Change:
        """The group now minus the group counted up to `day` (a cell counted up to that very
        day has not changed; which way the numbers went does not matter)."""
        moved = [(v, self.by_cell[v.cell][day]) for v in group if v.until != day]
        numerator = sum(v.numerator - then.numerator for v, then in moved)
        n = sum(v.n - then.n for v, then in moved)
        denominator: int | None = None
        if all(v.denominator is not None and then.denominator is not None for v, then in moved):
            denominator = sum((v.denominator or 0) - (then.denominator or 0) for v, then in moved)
        return Change(
            abs(numerator), abs(denominator) if denominator is not None else None, abs(n)
        )
