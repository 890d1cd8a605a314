"""Settings: every field documented in .env.example, values parsed and checked."""

import re
from pathlib import Path

import pytest
from pydantic import ValidationError

from core.config import DEFAULT_DATABASE_URL, Settings

ENV_EXAMPLE = Path(__file__).resolve().parents[2] / ".env.example"


def test_every_setting_is_documented_in_env_example() -> None:
    text = ENV_EXAMPLE.read_text(encoding="utf-8")
    documented = set(re.findall(r"^#?\s*([A-Z_]+)=", text, flags=re.MULTILINE))
    assert {name.upper() for name in Settings.model_fields} <= documented
    for name in Settings.model_fields:
        line = text.index(f"\n{name.upper()}=")
        assert text[:line].rstrip().splitlines()[-1].startswith("#"), f"{name} lacks a comment"


def test_defaults_need_no_env() -> None:
    settings = Settings(_env_file=None)
    assert settings.bot_token is None
    assert settings.database_url == DEFAULT_DATABASE_URL
    assert settings.database_url.startswith("sqlite+aiosqlite:///data/")
    assert (settings.default_timezone, settings.default_language) == ("Europe/Moscow", "ru")


def test_admin_ids_come_comma_separated(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ADMIN_TELEGRAM_IDS", "11, 22,33")
    monkeypatch.setenv("BOT_TOKEN", "1:secret")
    settings = Settings(_env_file=None)
    assert settings.admin_telegram_ids == frozenset({11, 22, 33})
    assert "secret" not in repr(settings)


@pytest.mark.parametrize(
    ("field", "value"),
    [("DEFAULT_TIMEZONE", "Mars/Olympus"), ("DEFAULT_LANGUAGE", "de"), ("MIN_GROUP_SIZE", "1")],
)
def test_bad_values_are_refused(monkeypatch: pytest.MonkeyPatch, field: str, value: str) -> None:
    monkeypatch.setenv(field, value)
    with pytest.raises(ValidationError):
        Settings(_env_file=None)
