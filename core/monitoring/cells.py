"""Counting units (people, responses) into cells per scope, and cells into IndicatorValues."""

from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass, field
from itertools import chain
from typing import Any

import numpy as np
import pandas as pd

from core.monitoring.catalogue import Indicator, Kind, ScopeType
from core.monitoring.facts import Facts
from core.monitoring.periods import Period
from core.monitoring.values import DenominatorSource, IndicatorValue
from core.monitoring.window import Window

Scope = tuple[ScopeType, int]
LISTS = (list, tuple)  # what a subject_ids cell holds; anything else (None, NaN) is empty


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
    # what several indicators of one period share (the teachers then, their denominators)
    shared: dict[Hashable, Any] = field(default_factory=dict, compare=False, repr=False)

    def once(self, key: Hashable, make: Callable[[], Any]) -> Any:
        """`make()` computed once per period and municipality, then reused."""
        if key not in self.shared:
            self.shared[key] = make()
        return self.shared[key]

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
    series = values if isinstance(values, pd.Series) else pd.Series(list(values), dtype=object)
    return [int(v) for v in pd.to_numeric(series.dropna()).tolist()]


def no_subjects(frame: pd.DataFrame) -> pd.Series:
    """An empty subject list for each row of `frame`."""
    return pd.Series([()] * len(frame), index=frame.index, dtype=object)


def sums(units: pd.DataFrame, ctx: Context, columns: tuple[str, ...]) -> dict[Scope, list[int]]:
    """Column sums of `units` (school_id, subject_ids, *columns) for every scope of `ctx`."""
    empty = [0] * len(columns)
    found: dict[Scope, list[int]] = {}
    if len(units):
        table = units[list(columns)].fillna(0).to_numpy(dtype="int64")
        table = table.reshape(len(units), len(columns))
        found[(ScopeType.MUNICIPALITY, ctx.municipality_id)] = table.sum(axis=0).tolist()
        schools = pd.to_numeric(units["school_id"]).to_numpy(dtype="float64", na_value=np.nan)
        known = ~np.isnan(schools)
        found.update(_grouped(schools[known].astype("int64"), table[known], ScopeType.SCHOOL))
        rows, subjects = _memberships(units["subject_ids"].tolist())
        found.update(_grouped(subjects, table[rows], ScopeType.SUBJECT))
    return {scope: found.get(scope, empty) for scope in ctx.scopes()}


def _memberships(lists: list[Any]) -> tuple[np.ndarray, np.ndarray]:
    """(row, subject) pairs of a column of subject lists: a row of two subjects counts in both."""
    own = [x if isinstance(x, LISTS) else () for x in lists]
    lengths = np.fromiter(map(len, own), dtype="int64", count=len(own))
    rows = np.repeat(np.arange(len(own)), lengths)
    subjects = np.fromiter(chain.from_iterable(own), dtype="int64", count=int(lengths.sum()))
    return rows, subjects


def _grouped(keys: np.ndarray, table: np.ndarray, scope_type: ScopeType) -> dict[Scope, list[int]]:
    """Sums of the rows of `table` per key."""
    if not len(keys):
        return {}
    found, inverse = np.unique(keys, return_inverse=True)
    totals = np.zeros((len(found), table.shape[1]), dtype="int64")
    np.add.at(totals, inverse, table)
    return {
        (scope_type, int(k)): row for k, row in zip(found.tolist(), totals.tolist(), strict=True)
    }


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
