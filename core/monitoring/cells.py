"""Counting masked rows into cells per scope, and cells into IndicatorValues."""

from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import numpy as np

from core.monitoring.catalogue import Indicator, Kind
from core.monitoring.grid import Grid, Scope
from core.monitoring.periods import Period
from core.monitoring.prepared import Prepared
from core.monitoring.values import DenominatorSource, IndicatorValue
from core.monitoring.window import Window


class Counts(NamedTuple):  # a tuple: one per cell, made by the ten thousand
    numerator: int
    denominator: int
    n: int
    source: DenominatorSource


@dataclass(frozen=True)
class Context:
    """One indicator, one period, one municipality: what a measure needs besides the facts."""

    prepared: Prepared  # the municipality's facts as arrays
    indicator: Indicator
    period: Period
    window: Window  # the period's days up to `today`
    # what several indicators of one period share (the teachers then, their denominators)
    shared: dict[Hashable, Any] = field(default_factory=dict, compare=False, repr=False)

    def once(self, key: Hashable, make: Callable[[], Any]) -> Any:
        """`make()` computed once per period and municipality, then reused."""
        if key not in self.shared:
            self.shared[key] = make()
        return self.shared[key]

    def scopes(self) -> tuple[list[Scope], np.ndarray]:
        """Every cell the indicator's breakdowns ask for, municipality first, and their
        columns among all the municipality's scopes."""
        found: tuple[list[Scope], np.ndarray] = self.once(
            ("scopes", self.indicator.breakdowns),
            lambda: self.prepared.scopes.columns(self.indicator.breakdowns),
        )
        return found

    def pick(self, values: list[Any]) -> dict[Scope, Any]:
        """Values given for all the municipality's scopes, for the indicator's scopes."""
        scopes, columns = self.scopes()
        return {scope: values[c] for scope, c in zip(scopes, columns.tolist(), strict=True)}

    def sums(self, grid: Grid, mask: np.ndarray, *columns: np.ndarray) -> dict[Scope, list[int]]:
        """Per scope of the indicator, the sum of each column over the rows in `mask`."""
        totals = grid.sums(mask, *columns)
        return self.pick(totals.T.tolist())


def to_values(
    ctx: Context, counts: dict[Scope, Counts], facet: str | None = None
) -> list[IndicatorValue]:
    """IndicatorValues from the counts: a share's value in %, a score's in points."""
    kind, key, period, until = ctx.indicator.kind, ctx.indicator.key, ctx.period, ctx.window.end
    values = []
    for (scope_type, scope_id), c in counts.items():
        if kind is Kind.COUNT:
            value: float | None = float(c.numerator)
            denominator: int | None = None
        else:
            value = 100 * c.numerator / c.denominator if c.denominator else None
            denominator = c.denominator
        values.append(  # positional: twice as fast for the tens of thousands made
            IndicatorValue(
                key,
                period,
                scope_type,
                scope_id,
                c.numerator,
                denominator,
                value,
                c.n,
                c.source,
                until,
                facet,
            )  # fmt: skip
        )
    return values


def share_counts(totals: dict[Scope, list[int]], source: DenominatorSource) -> dict[Scope, Counts]:
    """Counts from [numerator, denominator] sums where n is the denominator."""
    return {scope: Counts(num, den, den, source) for scope, (num, den) in totals.items()}
