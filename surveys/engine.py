"""The pure questionnaire engine: the next item, checking an answer, scoring a response.

Answers map item ids to answer codes (choice items: 1 for the lowest option upwards), whole
numbers (rating items), numbers, or text; None marks an optional item that was skipped.
Nothing about any one instrument is written here: the YAML definition says everything.
"""

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from statistics import mean
from typing import Any

from surveys.loader import item_range
from surveys.model import Aggregate, Derived, Instrument, Item, ItemType, Scale

Value = int | float | str | None
MAX_TEXT = 2000


class AnswerError(Exception):
    """An answer the item does not accept; `code` names the message for the person."""

    def __init__(self, code: str, **details: object) -> None:
        super().__init__(code)
        self.code, self.details = code, details


@dataclass(frozen=True)
class ScaleResult:
    score: float | None  # None: too few answers to score (a non-responder on this scale)
    band: str | None
    answered: int


@dataclass(frozen=True)
class ScoreResult:
    scales: dict[str, ScaleResult]
    derived: dict[str, Any]

    def to_json(self) -> dict[str, Any]:
        """The shape `pedpulse score` prints."""
        return {
            "scales": {
                key: {"score": _round(r.score), "band": r.band, "answered": r.answered}
                for key, r in self.scales.items()
            },
            "derived": self.derived,
        }


def _round(score: float | None) -> float | None:
    return None if score is None else round(score, 2)


def next_item(instrument: Instrument, answers: Mapping[str, Value]) -> Item | None:
    """The first item not answered (or skipped) yet; None when the response is complete."""
    return next((item for item in instrument.items if item.id not in answers), None)


def position(instrument: Instrument, item_id: str) -> tuple[int, int]:
    """(n, total) for "n / total" progress."""
    ids = [item.id for item in instrument.items]
    return ids.index(item_id) + 1, len(ids)


def check_answer(instrument: Instrument, item: Item, raw: object) -> Value:
    """The stored value for a raw answer (a code, a number, text, or None to skip)."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        if not item.optional:
            raise AnswerError("answer_required")
        return None
    if item.type == ItemType.TEXT:
        text = str(raw).strip()
        if len(text) > MAX_TEXT:
            raise AnswerError("answer_too_long", limit=MAX_TEXT)
        return text
    number = _number(raw)
    if item.type == ItemType.CHOICE:
        assert item.answers is not None
        if number is None or number != int(number):
            raise AnswerError("answer_code")
        if instrument.answer_scales[item.answers].option(int(number)) is None:
            raise AnswerError("answer_code")
        return int(number)
    assert item.minimum is not None and item.maximum is not None
    if number is None or not item.minimum <= number <= item.maximum:
        raise AnswerError("answer_range", low=_show(item.minimum), high=_show(item.maximum))
    if item.type == ItemType.RATING:
        if number != int(number):
            raise AnswerError("answer_whole")
        return int(number)
    return number


def _number(raw: object) -> float | None:
    """The answer as a finite number; None for text, nan, inf and 1e999 alike."""
    try:
        number = float(str(raw).strip().replace(",", "."))
    except ValueError:
        return None
    return number if math.isfinite(number) else None


def _show(value: float) -> str:
    return f"{value:g}"


def points(instrument: Instrument, item: Item, value: Value) -> float | None:
    """The points an answer gives (the option's points for a choice item)."""
    if value is None or isinstance(value, str):
        return None
    if item.type == ItemType.CHOICE:
        assert item.answers is not None
        option = instrument.answer_scales[item.answers].option(int(value))
        return None if option is None else option.points
    return float(value)


def score(instrument: Instrument, answers: Mapping[str, Value]) -> ScoreResult:
    """Scale scores, bands and derived scores, exactly as the definition's key says."""
    scales = {s.id: _scale(instrument, s, answers) for s in instrument.scales}
    derived = {d.id: _derived(instrument, d, scales, answers) for d in instrument.derived}
    return ScoreResult(scales, derived)


def _scale(instrument: Instrument, scale: Scale, answers: Mapping[str, Value]) -> ScaleResult:
    low, high = item_range(instrument.item(scale.items[0]), instrument.answer_scales) or (0, 0)
    values = []
    for item_id in scale.items:
        value = points(instrument, instrument.item(item_id), answers.get(item_id))
        if value is not None:
            values.append(low + high - value if item_id in scale.reversed else value)
    if len(values) < scale.min_answered:
        return ScaleResult(None, None, len(values))
    if scale.aggregate == Aggregate.SUM:
        result = float(sum(values))
    elif scale.aggregate == Aggregate.PERCENT:
        result = (mean(values) - low) / (high - low) * 100
    else:
        result = float(mean(values))
    return ScaleResult(result, scale.band(result), len(values))


def _derived(
    instrument: Instrument,
    derived: Derived,
    scales: dict[str, ScaleResult],
    answers: Mapping[str, Value],
) -> Any:
    if derived.kind == "max_band":
        scores = [scales[s].score for s in derived.scales]
        if any(s is None for s in scores):  # a non-responder on any part has no overall
            return {"score": None, "band": None}
        top = max(s for s in scores if s is not None)
        return {"score": _round(top), "band": instrument.scale(derived.scales[0]).band(top)}
    if derived.kind == "items_at_most":
        return [
            item.id
            for item in instrument.items
            if (p := points(instrument, item, answers.get(item.id))) is not None
            and p <= derived.value
        ]
    value = answers.get(derived.items[0]) if derived.items else None
    if value is None or isinstance(value, str):
        return None
    if derived.kind == "top_box":
        return float(value) >= derived.value
    return nps_category(int(value))


def nps_category(value: int) -> str:
    """promoter (9–10), passive (7–8) or detractor (0–6)."""
    if value >= 9:
        return "promoter"
    return "passive" if value >= 7 else "detractor"


def nps(values: Iterable[int]) -> float | None:
    """Net Promoter Score: % promoters − % detractors (passives count in the total only)."""
    answered = list(values)
    if not answered:
        return None
    promoters = sum(1 for v in answered if v >= 9)
    detractors = sum(1 for v in answered if v <= 6)
    return (promoters - detractors) / len(answered) * 100


def top_box_share(values: Iterable[float], threshold: float = 4) -> float | None:
    """Share (%) of answers at or above `threshold`: 4 or 5 of 5 means satisfied."""
    answered = list(values)
    if not answered:
        return None
    return sum(1 for v in answered if v >= threshold) / len(answered) * 100
