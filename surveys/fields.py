"""The fields an instrument file may use at each level, and the checker that reads them.

A misspelt optional field (`min_answerd: 4`) would otherwise be ignored and its default
silently used, so the loader names it and suggests the field it probably meant.
"""

import difflib
from collections.abc import Mapping
from typing import Any

from surveys.model import LANGUAGES, InstrumentError

FIELDS: dict[str, tuple[str, ...]] = {
    "instrument": (
        "key",
        "version",
        "title",
        "source",
        "licence",
        "wording",
        "privacy",
        "self_service",
        "answer_scales",
        "items",
        "scales",
        "derived",
        "feedback",
    ),
    "answer scale": ("options",),
    "option": ("code", "points", "label"),
    "item": ("id", "type", "answers", "text", "min", "max", "optional"),
    "scale": ("id", "title", "items", "reversed", "aggregate", "min_answered", "bands"),
    "band": ("id", "min", "max", "min_inclusive", "max_inclusive"),
    "derived": ("id", "kind", "scales", "items", "value"),
    "text": ("ru", "en"),
}


def unknown_field(data: Mapping[Any, Any], level: str) -> str | None:
    """The problem with the first field `level` does not know, or None when all are known."""
    allowed = FIELDS[level]
    for name in data:
        if str(name) not in allowed:
            guess = difflib.get_close_matches(str(name), allowed, n=1)
            hint = f" (did you mean {guess[0]!r}?)" if guess else ""
            return f"unknown field {str(name)!r}{hint}"
    return None


class Checker:
    """Reads one file's raw fields; every failure names the file, the place and the problem."""

    def __init__(self, source: str) -> None:
        self.source = source

    def fail(self, where: str, problem: str) -> InstrumentError:
        return InstrumentError(self.source, where, problem)

    def mapping(self, value: Any, level: str, where: str) -> dict[str, Any]:
        """`value` as a mapping whose every field `level` knows; otherwise the problem."""
        if not isinstance(value, dict):
            raise self.fail(where, f"must be a mapping of fields ({', '.join(FIELDS[level])})")
        problem = unknown_field(value, level)
        if problem:
            raise self.fail(where, problem)
        return value

    def listing(self, value: Any, where: str) -> list[Any]:
        if value is None:
            return []
        if not isinstance(value, list):
            raise self.fail(where, "must be a list")
        return value

    def number(self, data: dict[str, Any], name: str, where: str, default: float | None) -> float:
        """A number field; `default` when absent (None: the field is required)."""
        value = data.get(name, default)
        if value is None:
            raise self.fail(where, f"'{name}' is missing")
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise self.fail(where, f"'{name}' must be a number")
        return float(value)

    def text(self, value: Any, where: str) -> dict[str, str]:
        if not isinstance(value, dict):
            raise self.fail(where, "needs a text per language (ru, en)")
        self.mapping(value, "text", where)
        for language in LANGUAGES:
            if not str(value.get(language) or "").strip():
                raise self.fail(where, f"missing translation: {language}")
        return {language: str(value[language]) for language in LANGUAGES}

    def field(self, data: dict[str, Any], name: str, where: str) -> Any:
        if data.get(name) in (None, ""):
            raise self.fail(where, f"'{name}' is missing")
        return data[name]
