"""The rules a cell, or a group of cells revealed together, must pass to be shown: at least
k people (k_sensitive for burnout and deficits), and for those, at least `class_min` people
on either side of a share (core.monitoring.disclosure applies them to whole publications)."""

from dataclasses import dataclass
from enum import StrEnum

from core.monitoring.catalogue import Indicator
from core.monitoring.values import IndicatorValue
from core.monitoring.versions import Versions


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
