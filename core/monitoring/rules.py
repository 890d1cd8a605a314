"""The rules a cell, or a group of cells revealed together, must pass to be shown: at least
k people (k_sensitive for burnout and deficits), and for those, at least `class_min` people
on either side of a share (core.monitoring.disclosure applies them to whole publications)."""

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from core.monitoring.catalogue import Catalogue, Indicator
from core.monitoring.values import CellKey, IndicatorValue
from core.monitoring.versions import Counts, Earlier, Versions, total


class Reason(StrEnum):
    SMALL = "n < k"
    CLASS = "class"
    COMPLEMENTARY = "complementary"


def told(reason: Reason) -> Reason:
    """What an output may say of why a cell is hidden: n < k, or only that it is protected.
    Telling the class rule from the complementary one would tell where a hidden share lies
    (0-2 or n-2..n people on one side, or neither), which the protection does not allow for."""
    return Reason.SMALL if reason is Reason.SMALL else Reason.COMPLEMENTARY


@dataclass(frozen=True)
class Thresholds:
    """Settings: minimum group sizes and the class-disclosure margin."""

    k: int = 5
    k_sensitive: int = 10
    class_min: int = 3


DEFAULT_LIMITS = Thresholds()


def primary_reason(
    numerator: int, denominator: int | None, n: int, indicator: Indicator, limits: Thresholds
) -> Reason | None:
    """Why a cell (or a group of cells added up) may not be shown, or None."""
    k = limits.k_sensitive if indicator.sensitive else limits.k
    if 0 < n < k:
        return Reason.SMALL
    if (
        indicator.sensitive
        and denominator
        and min(numerator, denominator - numerator) < limits.class_min
    ):
        return Reason.CLASS
    return None


def passes(
    versions: Versions, group: list[IndicatorValue], indicator: Indicator, limits: Thresholds
) -> bool:
    """Whether every change of the group since a day it was shown could be shown as a cell."""
    return all(
        primary_reason(c.numerator, c.denominator, c.n, indicator, limits) is None
        for c in versions.changes(group)
    )


def remainder(parent: IndicatorValue, children: list[IndicatorValue]) -> Counts | None:
    """The parent minus its children, or None when that is no group of people (more people
    in the children than in the parent). An NPS numerator may be below 0."""
    rest = total([Counts(c.numerator, c.denominator, c.n) for c in children])
    n = parent.n - rest.n
    denominator = None
    if parent.denominator is not None:
        denominator = parent.denominator - (rest.denominator or 0)
    if min(n, denominator or 0) < 0:
        return None
    return Counts(parent.numerator - rest.numerator, denominator, n)


def passes_group(counts: Counts, indicator: Indicator, limits: Thresholds) -> bool:
    reason = primary_reason(counts.numerator, counts.denominator, counts.n, indicator, limits)
    return reason is None


def first_hidden(
    values: tuple[IndicatorValue, ...],
    catalogue: Catalogue,
    limits: Thresholds,
    earlier: Sequence[Earlier],
) -> tuple[dict[CellKey, Reason], frozenset[CellKey], Versions]:
    """Cells hidden before any complement: rules 1 and 2, what was hidden before, and a
    change since an earlier version too small to be shown; the cells public already."""
    past = {(e.cell, e.until): e.hidden for e in earlier}
    public = frozenset(v.cell for v in values if past.get((v.cell, v.until)) is False)
    shown = ((e.cell, e.until, e.counts) for e in earlier if e.counts is not None)
    versions = Versions(catalogue, shown)
    hidden: dict[CellKey, Reason] = {}
    for v in sorted(values, key=lambda v: v.until):  # each state compared with those before
        rule = catalogue[v.indicator]
        reason = primary_reason(v.numerator, v.denominator, v.n, rule, limits)
        if reason is None and past.get((v.cell, v.until)):
            reason = Reason.COMPLEMENTARY  # hidden before: showing it now would undo that
        elif reason is None and v.cell not in public and not passes(versions, [v], rule, limits):
            reason = Reason.COMPLEMENTARY  # its change since it was shown is too small a group
        if reason is not None:
            hidden[v.cell] = reason
        else:
            versions.add(v.cell, v.until, Counts(v.numerator, v.denominator, v.n))
    return hidden, public, versions
