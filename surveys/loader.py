"""Turning a YAML mapping into an Instrument, refusing anything inconsistent, with the reason."""

import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from surveys.fields import Checker
from surveys.model import (
    Aggregate,
    AnswerScale,
    Band,
    Derived,
    Instrument,
    Item,
    ItemType,
    Option,
    Scale,
    read,
)

KEY = re.compile(r"[a-z][a-z0-9_]{0,31}")  # stored, and carried by buttons (64 bytes)
PRIVACY = ("confidential", "anonymous")
DERIVED = ("max_band", "items_at_most", "top_box", "nps")


def load(path: Path) -> Instrument:
    """The instrument in `path`, validated; InstrumentError names the file, place and problem."""
    return build(read(path), path.name, str(path))


def build(data: dict[str, Any], source: str, path: str = "") -> Instrument:
    """Validate a raw definition and turn it into an Instrument."""
    check = Checker(source)
    check.mapping(data, "instrument", "file")
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
    items = _items(check, check.listing(data.get("items"), "items"), answer_scales)
    listed = _listed(check, data, "scales", "scale")
    scales = tuple(_scale(check, body, items, answer_scales) for body in listed)
    _unique(check, [s.id for s in scales], "scales")
    listed = _listed(check, data, "derived", "derived")
    derived = tuple(_derived(check, body, items, scales) for body in listed)
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


def _listed(check: Checker, data: dict[str, Any], name: str, kind: str) -> list[dict[str, Any]]:
    """The entries listed under `name`, each checked as a mapping of `kind`'s fields."""
    bodies = check.listing(data.get(name), name)
    return [check.mapping(b, kind, place(kind, b, n)) for n, b in enumerate(bodies, start=1)]


def place(kind: str, body: Any, position: int) -> str:
    """'scale work' when the entry has an id, else 'scale 2' (its position in the list)."""
    if isinstance(body, dict) and body.get("id") not in (None, ""):
        return f"{kind} {body['id']}"
    return f"{kind} {position}"


def _unique(check: Checker, ids: Iterable[str], where: str) -> None:
    seen: set[str] = set()
    for item_id in ids:
        if item_id in seen:
            raise check.fail(f"{where} {item_id}", "duplicate id")
        seen.add(item_id)


def _answer_scales(check: Checker, raw: Any) -> dict[str, AnswerScale]:
    if not isinstance(raw, dict):
        raise check.fail("answer_scales", "must be a mapping of scale ids to their options")
    scales = {}
    for scale_id, body in raw.items():
        body = check.mapping(body, "answer scale", f"answer scale {scale_id}")
        options = []
        listed = check.listing(body.get("options"), f"answer scale {scale_id}, options")
        for position, option in enumerate(listed, start=1):
            where = f"answer scale {scale_id}, option {position}"
            option = check.mapping(option, "option", where)
            if option.get("code") != position:
                raise check.fail(where, f"codes run from 1 upwards: expected {position}")
            points = check.number(option, "points", where, position)
            options.append(Option(position, points, check.text(option.get("label"), where)))
        if len(options) < 2:
            raise check.fail(f"answer scale {scale_id}", "needs at least two options")
        scales[str(scale_id)] = AnswerScale(str(scale_id), tuple(options))
    return scales


def _items(
    check: Checker, raw: list[dict[str, Any]], answer_scales: dict[str, AnswerScale]
) -> dict[str, Item]:
    items: dict[str, Item] = {}
    for position, body in enumerate(raw, start=1):
        body = check.mapping(body, "item", place("item", body, position))
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
    check: Checker,
    body: dict[str, Any],
    items: dict[str, Item],
    answer_scales: dict[str, AnswerScale],
) -> Scale:
    scale_id = str(check.field(body, "id", "scale"))
    where = f"scale {scale_id}"
    members = tuple(str(i) for i in check.listing(body.get("items"), f"{where}, items"))
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
    minimum = check.number(body, "min_answered", where, len(members))
    if minimum != int(minimum) or not 1 <= minimum <= len(members):
        raise check.fail(where, "min_answered must be from 1 to the number of items")
    bands = _bands(check, where, check.listing(body.get("bands"), f"{where}, bands"), low, high)
    title = check.text(body.get("title"), where)
    return Scale(scale_id, title, members, reversed_items, aggregate, int(minimum), bands)


def _bands(
    check: Checker, where: str, raw: list[dict[str, Any]], low: float, high: float
) -> tuple[Band, ...]:
    """Bands must cover [low, high] exactly: no gap, no overlap, each boundary in one band."""
    bands = tuple(_band(check, f"{where} band {position}", b) for position, b in enumerate(raw, 1))
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


def _band(check: Checker, where: str, raw: Any) -> Band:
    body = check.mapping(raw, "band", where)
    return Band(
        str(check.field(body, "id", where)),
        check.number(body, "min", where, None),
        check.number(body, "max", where, None),
        bool(body.get("min_inclusive", True)),
        bool(body.get("max_inclusive", False)),
    )


def _derived(
    check: Checker, body: dict[str, Any], items: dict[str, Item], scales: tuple[Scale, ...]
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
    return Derived(derived_id, kind, scale_ids, item_ids, check.number(body, "value", where, 0))


def _feedback(
    check: Checker, raw: dict[str, Any], scales: tuple[Scale, ...], derived: tuple[Derived, ...]
) -> dict[str, dict[str, dict[str, str]]]:
    bands = {s.id: {b.id for b in s.bands} for s in scales}
    for d in derived:
        if d.kind == "max_band":
            bands[d.id] = bands[d.scales[0]]
    if not isinstance(raw, dict):
        raise check.fail("feedback", "must be a mapping of scale ids to texts per band")
    result = {}
    for target, texts in raw.items():
        if target not in bands:
            raise check.fail(f"feedback {target}", "unknown scale or derived score")
        if not isinstance(texts, dict):
            raise check.fail(f"feedback {target}", "must be a mapping of bands to texts")
        for band in texts:
            if band not in bands[target]:
                raise check.fail(f"feedback {target}", f"unknown band {band}")
        result[str(target)] = {
            str(band): check.text(text, f"feedback {target}.{band}")
            for band, text in texts.items()
        }
    return result
