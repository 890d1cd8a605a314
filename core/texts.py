"""Message catalogues (ru default, en), used by the bot and by jobs that notify people."""

from collections.abc import Iterable
from dataclasses import dataclass
from html import escape
from pathlib import Path

import yaml

LOCALES_DIR = Path(__file__).parent / "locales"
LANGUAGES = ("ru", "en")


class Safe(str):
    """Text the catalogue already rendered (its values escaped): never escaped again."""


def _escaped(value: object) -> str:
    return value if isinstance(value, Safe) else escape(str(value))


@dataclass(frozen=True)
class Texts:
    """One language's catalogue; `t(key, **values)` escapes values for HTML parse mode."""

    language: str
    catalogue: dict[str, str]

    def __call__(self, key: str, **values: object) -> str:
        """The entry with its values in; every value is escaped here, the one place HTML is
        made safe (a text a person wrote can hold <, > and &)."""
        template = self.catalogue[key]
        return Safe(template.format(**{k: _escaped(v) for k, v in values.items()}))

    def plain(self, key: str, **values: object) -> str:
        """The entry with its values as they are: for a button label, which is not HTML."""
        return self.catalogue[key].format(**values)

    def has(self, key: str) -> bool:
        return key in self.catalogue


def joined(separator: str, parts: Iterable[object]) -> Safe:
    """Parts joined for an HTML message: rendered ones as they are, data escaped."""
    return Safe(separator.join(_escaped(part) for part in parts))


def load_catalogues(directory: Path = LOCALES_DIR) -> dict[str, Texts]:
    """Every language's catalogue, keyed by language code: `ru.yaml` merged with the domains'
    own files (`mentoring.ru.yaml`); a key defined twice is a bug and stops the start."""
    catalogues = {}
    for language in LANGUAGES:
        files = [directory / f"{language}.yaml", *sorted(directory.glob(f"*.{language}.yaml"))]
        merged: dict[str, str] = {}
        for file in files:
            data = yaml.safe_load(file.read_text(encoding="utf-8")) or {}
            twice = sorted(set(merged) & {str(k) for k in data})
            if twice:
                raise ValueError(f"{file.name}: keys defined in another catalogue: {twice}")
            merged |= {str(k): str(v) for k, v in data.items()}
        catalogues[language] = Texts(language, merged)
    return catalogues


def pick_language(telegram_code: str | None, default: str) -> str:
    """English for English-speaking Telegram clients, the configured default otherwise."""
    return "en" if telegram_code and telegram_code.lower().startswith("en") else default
