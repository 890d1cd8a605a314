"""Instrument definitions as typed data, loaded from YAML and validated before use."""

from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

import yaml

LANGUAGES = ("ru", "en")


class InstrumentError(Exception):
    """A definition that cannot be used; the message names the file, the place and the problem."""

    def __init__(self, source: str, where: str, problem: str) -> None:
        super().__init__(f"{source}: {where}: {problem}")
        self.source, self.where, self.problem = source, where, problem


class ItemType(StrEnum):
    CHOICE = "choice"  # one option of a named answer scale
    RATING = "rating"  # a whole number from `min` to `max` (0–10 for NPS)
    NUMBER = "number"  # any number from `min` to `max`
    TEXT = "text"


class Aggregate(StrEnum):
    MEAN = "mean"  # mean of the answered items' points
    SUM = "sum"
    PERCENT = "percent"  # mean of codes mapped onto 0–100 over the answer scale's range


@dataclass(frozen=True)
class Option:
    code: int
    points: float
    label: dict[str, str]


@dataclass(frozen=True)
class AnswerScale:
    id: str
    options: tuple[Option, ...]

    def option(self, code: int) -> Option | None:
        return next((o for o in self.options if o.code == code), None)


@dataclass(frozen=True)
class Item:
    id: str
    text: dict[str, str]
    type: ItemType
    answers: str | None = None  # answer scale id for choice items
    minimum: float | None = None
    maximum: float | None = None
    optional: bool = False


@dataclass(frozen=True)
class Band:
    id: str
    low: float
    high: float
    low_inclusive: bool = True
    high_inclusive: bool = False

    def holds(self, score: float) -> bool:
        above = score >= self.low if self.low_inclusive else score > self.low
        below = score <= self.high if self.high_inclusive else score < self.high
        return above and below


@dataclass(frozen=True)
class Scale:
    id: str
    title: dict[str, str]
    items: tuple[str, ...]
    reversed: frozenset[str] = frozenset()
    aggregate: Aggregate = Aggregate.MEAN
    min_answered: int = 1
    bands: tuple[Band, ...] = ()

    def band(self, score: float) -> str | None:
        return next((b.id for b in self.bands if b.holds(score)), None)


@dataclass(frozen=True)
class Derived:
    id: str
    kind: str  # max_band | items_at_most | top_box | nps
    scales: tuple[str, ...] = ()
    items: tuple[str, ...] = ()
    value: float = 0


@dataclass(frozen=True)
class Instrument:
    key: str
    version: int
    title: dict[str, str]
    source: str
    licence: str
    wording: str
    privacy: str
    answer_scales: dict[str, AnswerScale]
    items: tuple[Item, ...]
    scales: tuple[Scale, ...]
    derived: tuple[Derived, ...] = ()
    feedback: dict[str, dict[str, dict[str, str]]] = field(default_factory=dict)
    self_service: bool = False  # offered in /surveys without a campaign
    path: str = ""

    def item(self, item_id: str) -> Item:
        return next(i for i in self.items if i.id == item_id)

    def scale(self, scale_id: str) -> Scale:
        return next(s for s in self.scales if s.id == scale_id)


def read(path: Path) -> dict[str, Any]:
    """The raw mapping of a YAML file, or InstrumentError naming the file, line and problem."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InstrumentError(path.name, "file", f"cannot be read ({exc.strerror})") from exc
    try:
        data = yaml.safe_load(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise InstrumentError(
            path.name, f"line {line}", "not UTF-8 text: save it as UTF-8"
        ) from exc
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else "file"
        raise InstrumentError(path.name, where, f"not readable YAML: {exc.problem}") from exc
    except yaml.YAMLError as exc:
        raise InstrumentError(path.name, "file", f"not readable YAML ({exc})") from exc
    if not isinstance(data, dict):
        raise InstrumentError(path.name, "file", "must be a mapping of fields")
    return data
