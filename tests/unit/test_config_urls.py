"""DATABASE_URL and TELEGRAM_API_URL are checked with the settings: a URL that could not
work is one line naming the setting and the fix, without the password it may hold."""

import traceback
from pathlib import Path

import pytest
from pydantic import ValidationError

from core.config import Settings, load_settings, settings_problems


def problems(**values: str) -> list[str]:
    with pytest.raises(ValidationError) as error:
        Settings(_env_file=None, **values)  # type: ignore[arg-type]
    return settings_problems(error.value)


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("notaurl", "DATABASE_URL: not a database URL; write it like sqlite+aiosqlite:///"),
        ("postgresql://u:pw-secret@db/pp", "DATABASE_URL: the driver 'postgresql' is not"),
        ("postgres://u:pw-secret@db/pp", "postgresql+asyncpg://"),
        (
            "sqlite:///pp.sqlite3",
            "DATABASE_URL: the driver 'sqlite' is not supported: use sqlite+",
        ),
        ("postgresql+asyncpg://u:pw-secret@db/pp?sslmode=require", "write ?ssl=require"),
        ("postgresql+asyncpg://u:pw-secret@db/pp?ssl=on", "ssl='on' is not one of disable"),
        ("postgresql+asyncpg://u:pw-secret@db/pp?password=x", "not 'password'"),
        ("postgresql+asyncpg://u:pw-secret@db/pp?ssl=require&ssl=prefer", "once each"),
        ("postgresql+asyncpg://u:pw-secret@db:0/pp", "port 0 is not from 1 to 65535"),
        ("postgresql+asyncpg://u:pw-secret@db:65536/pp", "port 65536 is not from 1 to 65535"),
        ("sqlite+aiosqlite:///pp.sqlite3?timeout=abc", "not 'timeout'"),
    ],
)
def test_an_unusable_database_url_is_refused_without_its_password(url: str, message: str) -> None:
    found = problems(database_url=url)
    assert len(found) == 1 and found[0].startswith("DATABASE_URL: ")
    assert message in found[0] and "pw-secret" not in found[0]


@pytest.mark.parametrize(
    "url",
    [
        "sqlite+aiosqlite:///data/pedpulse.sqlite3",
        "sqlite+aiosqlite:////var/lib/pedpulse.sqlite3",
        "sqlite+aiosqlite://",
        "sqlite+aiosqlite:///file:pp.sqlite3?mode=ro&uri=true",
        "postgresql+asyncpg://u:p@db:5432/pp",
        "postgresql+asyncpg://u:p@db/pp?ssl=verify-full&target_session_attrs=read-write",
        "postgresql+asyncpg:///pp?host=/var/run/postgresql",
        # several hosts tried in turn, the primary taken (as SQLAlchemy documents it)
        "postgresql+asyncpg://u:p@/pp?host=pg1:5432&host=pg2:5432&target_session_attrs=primary",
    ],
)
def test_usable_database_urls_pass(url: str) -> None:
    assert Settings(_env_file=None, database_url=url).database_url == url


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("notaurl", "not an http:// or https:// address"),
        ("api.telegram.org", "not an http:// or https:// address"),
        ("ftp://api.example.org", "not an http:// or https:// address"),
        ("http://127.0.0.1:99999", "Port out of range"),
    ],
)
def test_telegram_api_url_must_be_an_address(url: str, message: str) -> None:
    found = problems(telegram_api_url=url)
    assert len(found) == 1 and found[0].startswith("TELEGRAM_API_URL: ") and message in found[0]


def test_a_non_utf8_env_file_is_a_settings_problem_naming_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / ".env").write_bytes("LOG_LEVEL=INFO  # уровень\n".encode("cp1251"))
    monkeypatch.setenv("PEDPULSE_HOME", str(tmp_path))
    with pytest.raises(ValidationError) as error:
        load_settings()
    assert error.value.title == "Settings"  # so the CLI and the bot say it as a bad setting
    assert settings_problems(error.value) == [
        f"settings: {tmp_path / '.env'}: not UTF-8 text: save it as UTF-8"
    ]


def test_the_validation_error_itself_does_not_carry_the_password() -> None:
    """`--debug` lets the error through as a traceback: its text must not quote the URL."""
    url = "postgresql://u:pw-secret@db/pp"  # not on the line the traceback quotes
    with pytest.raises(ValidationError) as error:
        Settings(_env_file=None, database_url=url)
    shown = "".join(traceback.format_exception(error.value))
    assert "DATABASE_URL" in shown.upper() and "pw-secret" not in shown
