"""Counting units (people, responses) into cells per scope, and cells into IndicatorValues."""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import pandas as pd

from core.monitoring.catalogue import Indicator, Kind, ScopeType
from core.monitoring.facts import Facts
from core.monitoring.periods import Period
from core.monitoring.values import DenominatorSource, IndicatorValue
from core.monitoring.window import Window

Scope = tuple[ScopeType, int]


@dataclass(frozen=True)
class Counts:
    numerator: int
    denominator: int
    n: int
    source: DenominatorSource


@dataclass(frozen=True)
class Context:
    """One indicator, one period, one municipality: what a measure needs besides the facts."""

    facts: Facts  # already narrowed to the municipality
    indicator: Indicator
    period: Period
    window: Window  # the period's days up to `today`
    municipality_id: int
    school_ids: tuple[int, ...]
    subject_ids: tuple[int, ...]

    def scopes(self) -> list[Scope]:
        """Every cell the indicator's breakdowns ask for, municipality first."""
        wanted = self.indicator.breakdowns
        scopes: list[Scope] = []
        if ScopeType.MUNICIPALITY in wanted:
            scopes.append((ScopeType.MUNICIPALITY, self.municipality_id))
        if ScopeType.SCHOOL in wanted:
            scopes += [(ScopeType.SCHOOL, s) for s in self.school_ids]
        if ScopeType.SUBJECT in wanted:
            scopes += [(ScopeType.SUBJECT, s) for s in self.subject_ids]
        return scopes


def id_list(values: Iterable[Any]) -> list[int]:
    """Ids from a column that may hold None, NaN or <NA>, as plain ints."""
    return [int(str(v)) if not isinstance(v, float) else int(v) for v in values if pd.notna(v)]


def no_subjects(frame: pd.DataFrame) -> pd.Series:
    """An empty subject list for each row of `frame`."""
    return pd.Series([()] * len(frame), index=frame.index, dtype=object)


def sums(units: pd.DataFrame, ctx: Context, columns: tuple[str, ...]) -> dict[Scope, list[int]]:
    """Column sums of `units` (school_id, subject_ids, *columns) for every scope of `ctx`."""
    empty = [0] * len(columns)
    found: dict[Scope, list[int]] = {}
    if len(units):
        found[(ScopeType.MUNICIPALITY, ctx.municipality_id)] = _total(units, columns)
        by_school = units.dropna(subset=["school_id"])
        found.update(_grouped(by_school, "school_id", ScopeType.SCHOOL, columns))
        by_subject = units.explode("subject_ids").dropna(subset=["subject_ids"])
        found.update(_grouped(by_subject, "subject_ids", ScopeType.SUBJECT, columns))
    return {scope: found.get(scope, empty) for scope in ctx.scopes()}


def _total(units: pd.DataFrame, columns: tuple[str, ...]) -> list[int]:
    return [int(units[c].sum()) for c in columns]


def _grouped(
    units: pd.DataFrame, by: str, scope_type: ScopeType, columns: tuple[str, ...]
) -> dict[Scope, list[int]]:
    if units.empty:
        return {}
    keyed = units.assign(key=id_list(units[by]))
    table = keyed.groupby("key")[list(columns)].sum()
    rows = zip(table.index.tolist(), table.to_numpy().tolist(), strict=True)
    return {(scope_type, int(key)): [int(v) for v in row] for key, row in rows}


def to_values(ctx: Context, counts: dict[Scope, Counts]) -> list[IndicatorValue]:
    """IndicatorValues from the counts: a share's value in %, a score's in points."""
    kind = ctx.indicator.kind
    values = []
    for (scope_type, scope_id), c in counts.items():
        if kind is Kind.COUNT:
            value: float | None = float(c.numerator)
            denominator: int | None = None
        else:
            value = 100 * c.numerator / c.denominator if c.denominator else None
            denominator = c.denominator
        values.append(
            IndicatorValue(
                indicator=ctx.indicator.key,
                period=ctx.period,
                scope_type=scope_type,
                scope_id=scope_id,
                numerator=c.numerator,
                denominator=denominator,
                value=value,
                n=c.n,
                denominator_source=c.source,
                until=ctx.window.end,
                facet=None,
            )
        )
    return values


def share_counts(totals: dict[Scope, list[int]], source: DenominatorSource) -> dict[Scope, Counts]:
    """Counts from [numerator, denominator] sums where n is the denominator."""
    return {scope: Counts(num, den, den, source) for scope, (num, den) in totals.items()}
