"""Change against the previous period, from published values only."""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from core.monitoring.disclosure import ShownValue
from core.monitoring.values import CellKey

Arrow = Literal["up", "down", "flat"]
FLAT_WITHIN = 0.5  # percentage points (or NPS points, or events) shown as "no change"


@dataclass(frozen=True)
class Trend:
    """`change` is value minus the previous value; None when either is hidden or missing."""

    previous: float | None
    change: float | None
    arrow: Arrow | None


def trend(
    current: ShownValue, previous: ShownValue | None, flat_within: float = FLAT_WITHIN
) -> Trend:
    """The change from `previous` (the same cell one period earlier) to `current`."""
    before = previous.value if previous is not None else None
    if current.value is None or before is None:
        return Trend(before, None, None)
    change = current.value - before
    arrow: Arrow = "flat" if abs(change) < flat_within else ("up" if change > 0 else "down")
    return Trend(before, change, arrow)


def trends(shown: Sequence[ShownValue], flat_within: float = FLAT_WITHIN) -> dict[CellKey, Trend]:
    """Each cell's trend against the cell of the period before, where the publication has it."""
    by_cell = {s.cell: s for s in shown}
    result = {}
    for s in shown:
        earlier = CellKey(s.indicator, s.facet, s.period.previous(), s.scope_type, s.scope_id)
        result[s.cell] = trend(s, by_cell.get(earlier), flat_within)
    return result
