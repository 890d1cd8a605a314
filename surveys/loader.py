"""Turning a YAML mapping into an Instrument, refusing anything inconsistent, with the reason."""

import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from surveys.model import (
    LANGUAGES,
    Aggregate,
    AnswerScale,
    Band,
    Derived,
    Instrument,
    InstrumentError,
    Item,
    ItemType,
    Option,
    Scale,
    read,
)

KEY = re.compile(r"[a-z][a-z0-9_]{0,31}")  # stored, and carried by buttons (64 bytes)
PRIVACY = ("confidential", "anonymous")
DERIVED = ("max_band", "items_at_most", "top_box", "nps")


class _Checker:
    def __init__(self, source: str) -> None:
        self.source = source

    def fail(self, where: str, problem: str) -> InstrumentError:
        return InstrumentError(self.source, where, problem)

    def text(self, value: Any, where: str) -> dict[str, str]:
        if not isinstance(value, dict):
            raise self.fail(where, "needs a text per language (ru, en)")
        for language in LANGUAGES:
            if not str(value.get(language) or "").strip():
                raise self.fail(where, f"missing translation: {language}")
        return {language: str(value[language]) for language in LANGUAGES}

    def field(self, data: dict[str, Any], name: str, where: str) -> Any:
        if data.get(name) in (None, ""):
            raise self.fail(where, f"'{name}' is missing")
        return data[name]


def load(path: Path) -> Instrument:
    """The instrument in `path`, validated; InstrumentError names the file, place and problem."""
    return build(read(path), path.name, str(path))


def build(data: dict[str, Any], source: str, path: str = "") -> Instrument:
    """Validate a raw definition and turn it into an Instrument."""
    check = _Checker(source)
    key = str(check.field(data, "key", "key"))
    if not KEY.fullmatch(key):
        raise check.fail("key", "must be 1-32 lowercase latin letters, digits or _, from a letter")
    privacy = check.field(data, "privacy", "privacy")
    if privacy not in PRIVACY:
        raise check.fail("privacy", f"must be one of {', '.join(PRIVACY)}")
    version = check.field(data, "version", "version")
    if not isinstance(version, int):
        raise check.fail("version", "must be a whole number")
    answer_scales = _answer_scales(check, data.get("answer_scales") or {})
    items = _items(check, data.get("items") or [], answer_scales)
    scales = tuple(_scale(check, raw, items, answer_scales) for raw in data.get("scales") or [])
    _unique(check, [s.id for s in scales], "scales")
    derived = tuple(_derived(check, raw, items, scales) for raw in data.get("derived") or [])
    return Instrument(
        key=key,
        version=version,
        title=check.text(data.get("title"), "title"),
        source=str(check.field(data, "source", "source")),
        licence=str(check.field(data, "licence", "licence")),
        wording=str(check.field(data, "wording", "wording")),
        privacy=privacy,
        answer_scales=answer_scales,
        items=tuple(items.values()),
        scales=scales,
        derived=derived,
        feedback=_feedback(check, data.get("feedback") or {}, scales, derived),
        self_service=bool(data.get("self_service", False)),
        path=path,
    )


def _unique(check: _Checker, ids: Iterable[str], where: str) -> None:
    seen: set[str] = set()
    for item_id in ids:
        if item_id in seen:
            raise check.fail(f"{where} {item_id}", "duplicate id")
        seen.add(item_id)


def _answer_scales(check: _Checker, raw: dict[str, Any]) -> dict[str, AnswerScale]:
    scales = {}
    for scale_id, body in raw.items():
        options = []
        for position, option in enumerate(body.get("options") or [], start=1):
            where = f"answer scale {scale_id}, option {position}"
            if option.get("code") != position:
                raise check.fail(where, f"codes run from 1 upwards: expected {position}")
            points = option.get("points", position)
            if not isinstance(points, int | float):
                raise check.fail(where, "points must be a number")
            options.append(Option(position, float(points), check.text(option.get("label"), where)))
        if len(options) < 2:
            raise check.fail(f"answer scale {scale_id}", "needs at least two options")
        scales[str(scale_id)] = AnswerScale(str(scale_id), tuple(options))
    return scales


def _items(
    check: _Checker, raw: list[dict[str, Any]], answer_scales: dict[str, AnswerScale]
) -> dict[str, Item]:
    items: dict[str, Item] = {}
    for position, body in enumerate(raw, start=1):
        item_id = str(check.field(body, "id", f"item {position}"))
        where = f"item {item_id}"
        if item_id in items:
            raise check.fail(where, "duplicate id")
        try:
            kind = ItemType(body.get("type", "choice"))
        except ValueError as exc:
            raise check.fail(where, f"unknown type {body.get('type')!r}") from exc
        answers = body.get("answers")
        if kind == ItemType.CHOICE and answers not in answer_scales:
            raise check.fail(where, f"unknown answer scale {answers!r}")
        low, high = body.get("min"), body.get("max")
        if kind in (ItemType.RATING, ItemType.NUMBER) and (
            not isinstance(low, int | float) or not isinstance(high, int | float) or low >= high
        ):
            raise check.fail(where, "bad bounds: needs numbers min < max")
        items[item_id] = Item(
            item_id,
            check.text(body.get("text"), where),
            kind,
            answers,
            None if low is None else float(low),
            None if high is None else float(high),
            bool(body.get("optional", False)),
        )
    if not items:
        raise check.fail("items", "no items")
    return items


def item_range(item: Item, answer_scales: dict[str, AnswerScale]) -> tuple[float, float] | None:
    """The lowest and highest points an item can give (None for text)."""
    if item.type == ItemType.CHOICE and item.answers:
        points = [o.points for o in answer_scales[item.answers].options]
        return min(points), max(points)
    if item.minimum is not None and item.maximum is not None:
        return item.minimum, item.maximum
    return None


def _scale(
    check: _Checker,
    body: dict[str, Any],
    items: dict[str, Item],
    answer_scales: dict[str, AnswerScale],
) -> Scale:
    scale_id = str(check.field(body, "id", "scale"))
    where = f"scale {scale_id}"
    members = tuple(str(i) for i in body.get("items") or [])
    if not members:
        raise check.fail(where, "has no items")
    for member in members:
        if member not in items:
            raise check.fail(where, f"unknown item {member}")
    reversed_items = frozenset(str(i) for i in body.get("reversed") or [])
    if not reversed_items <= set(members):
        raise check.fail(where, "a reversed item is not in the scale")
    try:
        aggregate = Aggregate(body.get("aggregate", "mean"))
    except ValueError as exc:
        raise check.fail(where, f"unknown aggregate {body.get('aggregate')!r}") from exc
    ranges = {item_range(items[m], answer_scales) for m in members}
    if None in ranges or len(ranges) != 1:
        raise check.fail(where, "its items must share one numeric answer range")
    low, high = next(iter(ranges))  # type: ignore[misc]  # None was excluded above
    if aggregate == Aggregate.PERCENT:
        low, high = 0.0, 100.0
    elif aggregate == Aggregate.SUM:
        low, high = low * len(members), high * len(members)
    minimum = int(body.get("min_answered", len(members)))
    if not 1 <= minimum <= len(members):
        raise check.fail(where, "min_answered must be from 1 to the number of items")
    bands = _bands(check, where, body.get("bands") or [], low, high)
    title = check.text(body.get("title"), where)
    return Scale(scale_id, title, members, reversed_items, aggregate, minimum, bands)


def _bands(
    check: _Checker, where: str, raw: list[dict[str, Any]], low: float, high: float
) -> tuple[Band, ...]:
    """Bands must cover [low, high] exactly: no gap, no overlap, each boundary in one band."""
    bands = tuple(
        Band(
            str(b["id"]),
            float(b["min"]),
            float(b["max"]),
            bool(b.get("min_inclusive", True)),
            bool(b.get("max_inclusive", False)),
        )
        for b in raw
    )
    if not bands:
        return ()
    _unique(check, [b.id for b in bands], f"{where} band")
    if bands[0].low != low or not bands[0].low_inclusive:
        raise check.fail(where, f"bands must start at {low:g}, included")
    if bands[-1].high != high or not bands[-1].high_inclusive:
        raise check.fail(where, f"bands must end at {high:g}, included")
    for before, after in zip(bands, bands[1:], strict=False):
        if before.high != after.low:
            gap = "gap" if before.high < after.low else "overlap"
            raise check.fail(where, f"band {gap} between {before.id} and {after.id}")
        if before.high_inclusive == after.low_inclusive:
            problem = "overlap" if before.high_inclusive else "gap"
            raise check.fail(where, f"band {problem} at {before.high:g}")
    return bands


def _derived(
    check: _Checker, body: dict[str, Any], items: dict[str, Item], scales: tuple[Scale, ...]
) -> Derived:
    derived_id = str(check.field(body, "id", "derived"))
    where = f"derived {derived_id}"
    kind = body.get("kind")
    if kind not in DERIVED:
        raise check.fail(where, f"unknown kind {kind!r}")
    scale_ids = tuple(str(s) for s in body.get("scales") or [])
    known = {s.id: s for s in scales}
    for scale_id in scale_ids:
        if scale_id not in known:
            raise check.fail(where, f"unknown scale {scale_id}")
    if kind == "max_band" and (
        not scale_ids
        or len({known[s].bands for s in scale_ids}) != 1
        or not known[scale_ids[0]].bands
    ):
        raise check.fail(where, "max_band needs scales with the same bands")
    item_ids = tuple(str(i) for i in body.get("items") or [])
    for item_id in item_ids:
        if item_id not in items:
            raise check.fail(where, f"unknown item {item_id}")
    return Derived(derived_id, kind, scale_ids, item_ids, float(body.get("value", 0)))


def _feedback(
    check: _Checker, raw: dict[str, Any], scales: tuple[Scale, ...], derived: tuple[Derived, ...]
) -> dict[str, dict[str, dict[str, str]]]:
    bands = {s.id: {b.id for b in s.bands} for s in scales}
    for d in derived:
        if d.kind == "max_band":
            bands[d.id] = bands[d.scales[0]]
    result = {}
    for target, texts in raw.items():
        if target not in bands:
            raise check.fail(f"feedback {target}", "unknown scale or derived score")
        for band in texts:
            if band not in bands[target]:
                raise check.fail(f"feedback {target}", f"unknown band {band}")
        result[str(target)] = {
            str(band): check.text(text, f"feedback {target}.{band}")
            for band, text in texts.items()
        }
    return result
