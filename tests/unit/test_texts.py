"""Message catalogues: the same keys and placeholders in every language, valid Telegram HTML."""

import re
import string
from pathlib import Path

import pytest

from bot.commands import COMMANDS
from core.texts import load_catalogues, pick_language
from tests.fake_telegram import visible_text

CATALOGUES = load_catalogues()
HOSTILE = """<b>x</b> & "y" 'z' &amp; </a>"""


def _placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def test_languages_have_the_same_keys_and_placeholders() -> None:
    ru, en = CATALOGUES["ru"].catalogue, CATALOGUES["en"].catalogue
    assert ru.keys() == en.keys()
    for key in ru:
        assert _placeholders(ru[key]) == _placeholders(en[key]), key


@pytest.mark.parametrize("language", ["ru", "en"])
def test_every_text_is_valid_telegram_html(language: str) -> None:
    t = CATALOGUES[language]
    for key, template in t.catalogue.items():
        values = dict.fromkeys(_placeholders(template), HOSTILE)
        shown = visible_text(t(key, **values), "HTML")  # raises like Telegram on bad markup
        if values:
            assert HOSTILE in shown, key  # the value arrives as typed, not as markup


def test_html_is_made_only_by_the_catalogues() -> None:
    """Values are escaped in one place (core.texts); code builds no markup of its own."""
    root = Path(__file__).resolve().parents[2]
    markup = re.compile(
        r"""\bescape\(|^(from html|import html)|["'][^"']*</?(b|i|a|code|u|s)[ >]"""
    )
    offenders = [
        f"{path.relative_to(root)}:{number}"
        for folder in ("bot", "core")
        for path in (root / folder).rglob("*.py")
        if path.name != "texts.py"
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if markup.search(line)
    ]
    assert offenders == []


def test_every_command_has_a_description() -> None:
    for language in ("ru", "en"):
        for name in COMMANDS:
            assert CATALOGUES[language](f"cmd_{name}")


@pytest.mark.parametrize(
    ("code", "expected"), [("en", "en"), ("en-GB", "en"), ("ru", "ru"), ("uk", "ru"), (None, "ru")]
)
def test_english_clients_get_english_and_everyone_else_the_default(
    code: str | None, expected: str
) -> None:
    assert pick_language(code, "ru") == expected
