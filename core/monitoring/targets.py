"""Targets as data (targets.yaml) and progress of a published value towards its target."""

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from core.monitoring.catalogue import Indicator
from core.monitoring.periods import Period, parse_period, school_year

TARGETS = Path(__file__).resolve().parent / "targets.yaml"


@dataclass(frozen=True)
class Target:
    indicator: str
    school_year: str  # 2024/25
    value: float
    baseline: float | None
    source: str


@dataclass(frozen=True)
class Progress:
    """`gap` is how far the value still is from the target (0 once reached); `done` is the
    part of the way from the baseline (or from 0) covered, 0..1 and beyond."""

    target: float
    value: float
    gap: float
    done: float | None
    reached: bool


def load_targets(path: Path = TARGETS) -> tuple[Target, ...]:
    """Every target in the file; ValueError naming the entry when one is malformed."""
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return tuple(t for entry in data.get("targets", []) for t in _entry(entry))


def _entry(entry: dict[str, Any]) -> list[Target]:
    name = entry.get("indicator", "?")
    try:
        years = {str(year): float(value) for year, value in entry["by_school_year"].items()}
        baseline = entry.get("baseline")
        for year in years:
            parse_period(year)
        return [
            Target(str(name), year, value, None if baseline is None else float(baseline),
                   str(entry.get("source", "")))
            for year, value in years.items()
        ]  # fmt: skip
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise ValueError(f"target for {name}: {exc}") from exc


def target_for(targets: Sequence[Target], indicator: str, period: Period) -> Target | None:
    """The target of the school year the period falls in (by its first day), if any."""
    year = school_year(period.start).label
    return next((t for t in targets if t.indicator == indicator and t.school_year == year), None)


def progress(value: float | None, target: Target, indicator: Indicator) -> Progress | None:
    """How a published value stands against the target (None for a hidden value)."""
    if value is None:
        return None
    higher = indicator.higher_is_better
    reached = value >= target.value if higher else value <= target.value
    gap = 0.0 if reached else abs(target.value - value)
    start = target.baseline if target.baseline is not None else (0.0 if higher else 100.0)
    way = target.value - start
    done = (value - start) / way if way else None
    return Progress(target.value, value, gap, done, reached)
