"""Bad settings and a Telegram that cannot be asked: one named line, never a secret.

DATABASE_URL and TELEGRAM_API_URL are checked with the other settings (exit 2, the setting
named, the password not repeated); a .env that is not UTF-8 is named like a bad setting; and
when `pedpulse invite` cannot ask Telegram for the bot's name, the message says what to
check without the request's URL, which holds BOT_TOKEN.
"""

from pathlib import Path

import pytest

from tests.cli import assert_refused, invoke, isolate

TOKEN = "123456:SeCrEtToKeN_do_not_print"
SCHOOL = ["invite", "--school", "МОАУ «СОШ № 1»"]


@pytest.fixture(autouse=True)
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    return isolate(tmp_path, monkeypatch, {})


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("notaurl", "DATABASE_URL: not a database URL; write it like sqlite+aiosqlite:///"),
        ("postgresql://pp:hunter22@db/pp", "the driver 'postgresql' is not supported: use "),
        ("postgresql+psycopg://pp:hunter22@db/pp", "use postgresql+asyncpg://"),
        ("sqlite:///data/pp.sqlite3", "use sqlite+aiosqlite:///"),
        ("mysql+aiomysql://pp:hunter22@db/pp", "'mysql+aiomysql' is not supported"),
        ("postgresql+asyncpg://pp:hunter22@db/pp?sslmode=bogus", "write ?ssl=require"),
        ("postgresql+asyncpg://pp:hunter22@db/pp?ssl=bogus", "ssl='bogus' is not one of"),
        (
            "postgresql+asyncpg://pp:hunter22@127.0.0.1:99999/pp",
            "port 99999 is not from 1 to 65535",
        ),
        ("postgresql+asyncpg://pp:hunter22@db:five/pp", "DATABASE_URL: not a database URL"),
        ("sqlite+aiosqlite://pp:hunter22@db/pp.sqlite3", "a SQLite URL has no user, host"),
    ],
)
def test_an_unusable_database_url_is_a_named_setting(home: Path, url: str, message: str) -> None:
    result = invoke("init", DATABASE_URL=url)
    assert_refused(result, 2, message)
    assert "DATABASE_URL: " in result.output and "Unexpected" not in result.output
    assert "hunter22" not in result.output
    assert not (home / "data").exists()


def test_database_urls_in_use_are_accepted(home: Path) -> None:
    for url in (f"sqlite+aiosqlite:///{home / 'pp.sqlite3'}", "sqlite+aiosqlite:///pp2.sqlite3"):
        result = invoke("init", DATABASE_URL=url)
        assert result.exit_code == 0, result.output
    for url in (  # checked as settings, then refused only for want of a server
        "postgresql+asyncpg://pp:pw@127.0.0.1:1/pp?ssl=require",
        "postgresql+asyncpg:///pp?host=/nonexistent/socket",
    ):
        assert_refused(invoke("init", DATABASE_URL=url), 3, "Cannot open the database")


def test_a_non_utf8_env_file_is_named_as_a_settings_problem(home: Path) -> None:
    (home / ".env").write_bytes("DEFAULT_TIMEZONE=Europe/Moscow\n# Настройки\n".encode("cp1251"))
    result = invoke("instruments", "list")
    assert_refused(result, 2, f"{home / '.env'}: not UTF-8 text: save it as UTF-8")
    assert "Unexpected" not in result.output and "UnicodeDecodeError" not in result.output


@pytest.mark.parametrize(
    ("api", "code", "message"),
    [
        ("notaurl", 2, "TELEGRAM_API_URL: not an http:// or https:// address"),
        ("http://127.0.0.1:99999", 2, "TELEGRAM_API_URL: Port out of range"),
        # a path urllib refuses, quoting the whole request path, token included
        ("http://127.0.0.1:9/a b", 1, "could not ask Telegram for the bot's name (InvalidURL)"),
    ],
)
def test_invite_never_prints_the_bot_token(home: Path, api: str, code: int, message: str) -> None:
    result = invoke(*SCHOOL, BOT_TOKEN=TOKEN, TELEGRAM_API_URL=api)
    assert_refused(result, code, message)
    assert "SeCrEtToKeN" not in result.output and "123456" not in result.output
    if code == 1:
        assert "check TELEGRAM_API_URL, the network and BOT_TOKEN" in result.output
