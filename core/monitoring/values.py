"""The computed value of one indicator in one period and scope, before disclosure control."""

from dataclasses import dataclass
from datetime import date
from typing import Literal

from core.monitoring.catalogue import ScopeType
from core.monitoring.periods import Period

# headcount: the roster gave every part of the denominator; registered: registered teachers;
# mixed: a total adding schools of both kinds; respondents / invited / none: see the catalogue
DenominatorSource = Literal["headcount", "registered", "mixed", "respondents", "invited", "none"]


@dataclass(frozen=True)
class IndicatorValue:
    """`value` is 100 * numerator / denominator for shares (None when the denominator is 0),
    the NPS for scores and the numerator for counts; `n` is the group size the disclosure
    rules test (the denominator of a share, the participants of a count); `until` is the
    exclusive end of the local days counted (the period's end, or the day after today while
    it runs); `facet` is the deficit area or the campaign id where the indicator has one."""

    indicator: str
    period: Period
    scope_type: ScopeType
    scope_id: int
    numerator: int
    denominator: int | None
    value: float | None
    n: int
    denominator_source: DenominatorSource
    until: date
    facet: str | None = None

    @property
    def cell(self) -> "CellKey":
        """What identifies this value inside a publication."""
        return CellKey(self.indicator, self.facet, self.period, self.scope_type, self.scope_id)


@dataclass(frozen=True)
class CellKey:
    indicator: str
    facet: str | None
    period: Period
    scope_type: ScopeType
    scope_id: int

    def __hash__(self) -> int:  # once: disclosure control looks cells up millions of times
        found: int | None = self.__dict__.get("_hash")
        if found is None:
            found = hash((self.indicator, self.facet, self.period, self.scope_type, self.scope_id))
            object.__setattr__(self, "_hash", found)
        return found

    def __getstate__(self) -> dict[str, object]:  # string hashes differ between processes
        return {k: v for k, v in self.__dict__.items() if k != "_hash"}
