"""Settings: every field documented in .env.example, values parsed and checked."""

import re
from pathlib import Path

import pytest
from pydantic import ValidationError

from core.config import (
    DEFAULT_DATABASE_URL,
    Settings,
    load_settings,
    project_home,
    settings_problems,
)

ROOT = Path(__file__).resolve().parents[2]
ENV_EXAMPLE = ROOT / ".env.example"


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
    monkeypatch.setenv("BOT_TOKEN", "1:tokenvalue")
    monkeypatch.setenv("WEBHOOK_SECRET", "webhook-secret-value-0123")
    settings = Settings(_env_file=None)
    assert settings.admin_telegram_ids == frozenset({11, 22, 33})
    assert "tokenvalue" not in repr(settings) and "secret-value" not in repr(settings)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("DEFAULT_TIMEZONE", "Mars/Olympus"),
        ("DEFAULT_LANGUAGE", "de"),
        ("MIN_GROUP_SIZE", "1"),
        ("LOG_LEVEL", "verbose"),
        ("BOT_TOKEN", "paste the token here"),
        ("BOT_USERNAME", "https://t.me/"),
        ("BOT_USERNAME", "methodists_channel"),
        ("REDIS_PREFIX", "town a:b"),
    ],
)
def test_bad_values_are_refused(monkeypatch: pytest.MonkeyPatch, field: str, value: str) -> None:
    monkeypatch.setenv(field, value)
    with pytest.raises(ValidationError):
        Settings(_env_file=None)


def test_env_example_copied_as_is_means_the_defaults(tmp_path: Path) -> None:
    env = tmp_path / ".env"
    env.write_text(ENV_EXAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    settings = Settings(_env_file=env)
    assert settings.bot_token is None  # not an empty token that fails later
    assert (settings.bot_username, settings.telegram_api_url, settings.instruments_dir) == (
        None,
        None,
        None,
    )


@pytest.mark.parametrize(
    "written", ["name_bot", "@name_bot", "https://t.me/name_bot", "t.me/name_bot/", " Name_Bot "]
)
def test_bot_username_is_taken_in_any_usual_form(written: str) -> None:
    assert Settings(_env_file=None, bot_username=written).bot_username in ("name_bot", "Name_Bot")


def test_log_level_is_case_insensitive() -> None:
    assert Settings(_env_file=None, log_level="debug").log_level == "DEBUG"


def test_a_bad_setting_is_named_as_in_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DEFAULT_TIMEZONE", "Moscow")
    with pytest.raises(ValidationError) as error:
        Settings(_env_file=None)
    assert settings_problems(error.value) == ["DEFAULT_TIMEZONE: unknown time zone 'Moscow'"]


def test_a_checkout_reads_its_own_env_and_database_from_any_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("PEDPULSE_HOME", raising=False)
    assert project_home() == ROOT


def test_pedpulse_home_holds_env_and_relative_paths(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / ".env").write_text(
        "DATABASE_URL=sqlite+aiosqlite:///state/pp.sqlite3\nINSTRUMENTS_DIR=ours\n"
        "BOT_USERNAME=@city_bot\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("PEDPULSE_HOME", str(tmp_path))
    for name in ("DATABASE_URL", "INSTRUMENTS_DIR", "BOT_USERNAME"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(ROOT)
    settings = load_settings()
    assert settings.database_url == f"sqlite+aiosqlite:///{tmp_path / 'state' / 'pp.sqlite3'}"
    assert settings.instruments_dir == tmp_path / "ours"
    assert settings.bot_username == "city_bot"


def test_absolute_and_server_databases_are_left_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    for url in ("sqlite+aiosqlite:////var/pp.sqlite3", "postgresql+asyncpg://u:p@db:5432/pp"):
        monkeypatch.setenv("DATABASE_URL", url)
        assert load_settings().database_url == url
