"""The indicator catalogue: indicators.yaml read into frozen dataclasses, checked on load."""

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

import yaml

CATALOGUE = Path(__file__).resolve().parent / "indicators.yaml"


class Kind(StrEnum):
    SHARE = "share"
    COUNT = "count"
    SCORE = "score"


class Sensitivity(StrEnum):
    SENSITIVE = "sensitive"  # burnout and deficits: the larger k and the class-disclosure rule
    ORDINARY = "ordinary"


class Base(StrEnum):
    """What the denominator counts; HEADCOUNT falls back to registered teachers per school."""

    HEADCOUNT = "headcount"
    REGISTERED = "registered"
    RESPONDENTS = "respondents"
    INVITED = "invited"
    NONE = "none"


class PeriodRule(StrEnum):
    """How one scope's values in different periods relate (used by disclosure control)."""

    ADDITIVE = "additive"
    AS_OF_END = "as_of_end"
    PER_CAMPAIGN = "per_campaign"


class ScopeType(StrEnum):
    MUNICIPALITY = "municipality"
    SCHOOL = "school"
    SUBJECT = "subject"


@dataclass(frozen=True)
class Text:
    ru: str
    en: str

    def get(self, language: str) -> str:
        """The text in `language` ("ru" or "en"); Russian for anything else."""
        return self.en if language == "en" else self.ru


@dataclass(frozen=True)
class Indicator:
    key: str
    name: Text
    short: Text  # for legends and one-line summaries
    definition: Text
    source: str
    kind: Kind
    sensitivity: Sensitivity
    denominator: Base
    period_rule: PeriodRule
    breakdowns: tuple[ScopeType, ...]
    facet: str | None
    higher_is_better: bool
    numerator_to_until: bool = False  # counts what happened up to the day counted to

    @property
    def sensitive(self) -> bool:
        return self.sensitivity is Sensitivity.SENSITIVE


@dataclass(frozen=True)
class Catalogue:
    indicators: tuple[Indicator, ...]

    def __iter__(self) -> Iterator[Indicator]:
        return iter(self.indicators)

    def __getitem__(self, key: str) -> Indicator:
        for indicator in self.indicators:
            if indicator.key == key:
                return indicator
        raise KeyError(key)

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(i.key for i in self.indicators)


class CatalogueError(ValueError):
    """The catalogue file is broken; the message names the indicator and the field."""


def load_catalogue(path: Path = CATALOGUE) -> Catalogue:
    """Read and check the catalogue; raise CatalogueError naming the indicator and field."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    entries = data.get("indicators") if isinstance(data, dict) else None
    if not isinstance(entries, list) or not entries:
        raise CatalogueError(f"{path.name}: no 'indicators' list")
    indicators = tuple(_indicator(entry, index) for index, entry in enumerate(entries))
    keys = [i.key for i in indicators]
    duplicates = sorted({k for k in keys if keys.count(k) > 1})
    if duplicates:
        raise CatalogueError(f"{path.name}: duplicate keys {duplicates}")
    return Catalogue(indicators)


def _indicator(entry: Any, index: int) -> Indicator:
    if not isinstance(entry, dict):
        raise CatalogueError(f"indicator #{index + 1}: not a mapping")
    key = str(entry.get("key", f"#{index + 1}"))
    try:
        return Indicator(
            key=key,
            name=_text(entry["name"]),
            short=_text(entry["short"]),
            definition=_text(entry["definition"]),
            source=str(entry["source"]),
            kind=Kind(entry["kind"]),
            sensitivity=Sensitivity(entry["sensitivity"]),
            denominator=Base(entry["denominator"]),
            period_rule=PeriodRule(entry["period_rule"]),
            breakdowns=tuple(ScopeType(b) for b in entry["breakdowns"]),
            facet=None if entry.get("facet") is None else str(entry["facet"]),
            higher_is_better=_better(entry.get("better", "higher")),
            numerator_to_until=bool(entry.get("numerator_to_until", False)),
        )
    except KeyError as exc:
        raise CatalogueError(f"indicator {key}: missing field {exc}") from exc
    except (ValueError, TypeError) as exc:
        raise CatalogueError(f"indicator {key}: {exc}") from exc


def _better(value: Any) -> bool:
    if value not in ("higher", "lower"):
        raise ValueError(f"better must be 'higher' or 'lower', not {value!r}")
    return bool(value == "higher")


def _text(value: Mapping[str, Any]) -> Text:
    if not isinstance(value, dict) or not value.get("ru") or not value.get("en"):
        raise ValueError("a text needs both 'ru' and 'en'")
    return Text(ru=" ".join(str(value["ru"]).split()), en=" ".join(str(value["en"]).split()))
