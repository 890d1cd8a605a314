"""A broken instrument definition is refused with the file, the place and the problem named."""

import copy
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from surveys.loader import build
from surveys.model import InstrumentError
from surveys.registry import BUILT_IN, load_all


def valid() -> dict[str, Any]:
    text = {"ru": "Вопрос", "en": "Question"}
    return {
        "key": "mini",
        "version": 1,
        "title": {"ru": "Мини", "en": "Mini"},
        "source": "test",
        "licence": "test",
        "wording": "test",
        "privacy": "confidential",
        "answer_scales": {
            "agree": {
                "options": [
                    {"code": 1, "points": 0, "label": {"ru": "нет", "en": "no"}},
                    {"code": 2, "points": 100, "label": {"ru": "да", "en": "yes"}},
                ]
            }
        },
        "items": [
            {"id": "a", "type": "choice", "answers": "agree", "text": text},
            {"id": "b", "type": "choice", "answers": "agree", "text": text},
            {"id": "n", "type": "rating", "min": 0, "max": 10, "text": text},
        ],
        "scales": [
            {
                "id": "s",
                "title": text,
                "items": ["a", "b"],
                "reversed": ["b"],
                "min_answered": 1,
                "bands": [
                    {"id": "lo", "min": 0, "max": 50},
                    {"id": "hi", "min": 50, "max": 100, "max_inclusive": True},
                ],
            }
        ],
        "derived": [{"id": "o", "kind": "max_band", "scales": ["s"]}],
        "feedback": {"s": {"lo": text, "hi": text}},
    }


def broken(change: Callable[[dict[str, Any]], None]) -> dict[str, Any]:
    data = copy.deepcopy(valid())
    change(data)
    return data


def test_the_valid_one_loads() -> None:
    instrument = build(valid(), "mini.yaml")
    assert instrument.scale("s").band(50) == "hi"


def _set(path: list[Any], value: Any) -> Callable[[dict[str, Any]], None]:
    def change(data: dict[str, Any]) -> None:
        for step in path[:-1]:
            data = data[step]
        data[path[-1]] = value

    return change


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            _set(["scales", 0, "min_answerd"], 1),
            "mini.yaml: scale s: unknown field 'min_answerd' (did you mean 'min_answered'?)",
        ),
        (_set(["titel"], "x"), "mini.yaml: file: unknown field 'titel' (did you mean 'title'?)"),
        (_set(["items", 0, "optinal"], True), "mini.yaml: item a: unknown field 'optinal'"),
        (
            _set(["answer_scales", "agree", "options", 0, "pionts"], 1),
            "mini.yaml: answer scale agree, option 1: unknown field 'pionts'",
        ),
        (
            _set(["scales", 0, "bands", 1, "max_inclusiv"], True),
            "mini.yaml: scale s band 2: unknown field 'max_inclusiv'",
        ),
        (_set(["derived", 0, "valeu"], 1), "mini.yaml: derived o: unknown field 'valeu'"),
        (_set(["title", "de"], "Mini"), "mini.yaml: title: unknown field 'de'"),
        (_set(["items"], {"a": 1}), "mini.yaml: items: must be a list"),
        (_set(["items", 0], "a question"), "mini.yaml: item 1: must be a mapping of fields"),
        (_set(["scales", 0, "bands", 0, "min"], "low"), "mini.yaml: scale s band 1: 'min' must"),
        (_set(["scales", 0, "bands", 0, "max"], None), "mini.yaml: scale s band 1: 'max' is"),
        (_set(["scales", 0, "min_answered"], "two"), "mini.yaml: scale s: 'min_answered' must"),
        (_set(["scales", 0, "min_answered"], 1.5), "mini.yaml: scale s: min_answered must be"),
        (_set(["feedback"], "see the manual"), "mini.yaml: feedback: must be a mapping"),
        (_set(["feedback", "s"], "good"), "mini.yaml: feedback s: must be a mapping"),
        (_set(["answer_scales"], ["agree"]), "mini.yaml: answer_scales: must be a mapping"),
    ],
)
def test_a_misspelt_or_misshapen_field_is_named_not_ignored(
    change: Callable[[dict[str, Any]], None], message: str
) -> None:
    with pytest.raises(InstrumentError) as error:
        build(broken(change), "mini.yaml")
    assert str(error.value).startswith(message)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d["scales"][0]["items"].append("zzz"), "mini.yaml: scale s: unknown item zzz"),
        (lambda d: d["items"].append(dict(d["items"][0])), "mini.yaml: item a: duplicate id"),
        (
            lambda d: d["scales"][0]["bands"][1].update(min=60),
            "mini.yaml: scale s: band gap between lo and hi",
        ),
        (
            lambda d: d["scales"][0]["bands"][1].update(min=40),
            "mini.yaml: scale s: band overlap between lo and hi",
        ),
        (
            lambda d: d["scales"][0]["bands"][0].update(max_inclusive=True),
            "mini.yaml: scale s: band overlap at 50",
        ),
        (
            lambda d: d["scales"][0]["bands"][1].update(min_inclusive=False),
            "mini.yaml: scale s: band gap at 50",
        ),
        (
            lambda d: d["scales"][0]["bands"][1].update(max=90),
            "mini.yaml: scale s: bands must end at 100, included",
        ),
        (lambda d: d["items"][0]["text"].pop("en"), "mini.yaml: item a: missing translation: en"),
        (lambda d: d["title"].update(ru=""), "mini.yaml: title: missing translation: ru"),
        (lambda d: d["items"][2].update(min=10), "mini.yaml: item n: bad bounds"),
        (
            lambda d: d["items"][0].update(answers="nope"),
            "mini.yaml: item a: unknown answer scale 'nope'",
        ),
        (lambda d: d["items"][0].update(type="slider"), "mini.yaml: item a: unknown type"),
        (
            lambda d: d["scales"][0].update(reversed=["n"]),
            "mini.yaml: scale s: a reversed item is not in the scale",
        ),
        (
            lambda d: d["scales"][0]["items"].append("n"),
            "mini.yaml: scale s: its items must share one numeric answer range",
        ),
        (
            lambda d: d["scales"][0].update(min_answered=3),
            "mini.yaml: scale s: min_answered must be from 1 to the number of items",
        ),
        (lambda d: d["derived"][0].update(scales=["t"]), "mini.yaml: derived o: unknown scale t"),
        (
            lambda d: d["feedback"]["s"].update(mid={"ru": "x", "en": "x"}),
            "mini.yaml: feedback s: unknown band mid",
        ),
        (lambda d: d.update(privacy="public"), "mini.yaml: privacy: must be one of"),
        (lambda d: d.update(key="Мини-анкета"), "mini.yaml: key: must be 1-32 lowercase"),
        (lambda d: d.update(key="a" * 33), "mini.yaml: key: must be 1-32 lowercase"),
        (
            lambda d: d["answer_scales"]["agree"]["options"][1].update(code=3),
            "mini.yaml: answer scale agree, option 2: codes run from 1 upwards",
        ),
    ],
)
def test_each_kind_of_broken_definition_is_refused(
    change: Callable[[dict[str, Any]], None], message: str
) -> None:
    with pytest.raises(InstrumentError) as error:
        build(broken(change), "mini.yaml")
    assert str(error.value).startswith(message)


def test_a_municipality_folder_adds_instruments_and_cannot_shadow_one(tmp_path: Path) -> None:
    import yaml

    (tmp_path / "mini.yaml").write_text(yaml.safe_dump(valid(), allow_unicode=True), "utf-8")
    assert "mini" in load_all(tmp_path) and "cbi" in load_all(tmp_path)
    (tmp_path / "zcopy.yaml").write_text((BUILT_IN / "cbi.yaml").read_text("utf-8"), "utf-8")
    with pytest.raises(InstrumentError, match="zcopy.yaml: key: 'cbi' is also in cbi.yaml"):
        load_all(tmp_path)
    (tmp_path / "zcopy.yaml").write_text("key: [unclosed", "utf-8")
    with pytest.raises(InstrumentError, match="zcopy.yaml: line 1, column 15: not readable YAML"):
        load_all(tmp_path)
