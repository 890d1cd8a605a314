"""Refused `pedpulse` commands that touch the database: exit code, a message naming the
problem, no traceback, and the database exactly as it was (every table before and after)."""

import os
import socket
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from core.cli.runtime import Guarded
from tests.cli import ROSTER, assert_refused, invoke, isolate, with_files
from tests.dbstate import snapshot

SEMINARS = ROSTER.parent / "seminars.csv"
ROSTER_HEAD = "municipality,timezone,school,teachers,Математика\n"
SEMINAR_HEAD = "municipality,title,start,format,place,link\n"
GOOD_SEMINAR = "г. Новотроицк,Семинар,10.12.2099 15:00,онлайн,,https://x.org/a\n"
FILES: dict[str, str | bytes] = {  # name → content, written into the test's folder as @name
    "roster_bad.csv": ROSTER_HEAD + "г. Новотроицк,,МОАУ «СОШ № 1»,60,1\nГород,,Школа,-3,\n",
    "roster_case.csv": "municipality,school,teachers,Математика,математика\nГород,Школа,9,1,1\n",
    "roster_zones.csv": ROSTER_HEAD + "г. Новотроицк,Asia/Omsk,МОАУ «СОШ № 1»,54,8\n"
    "г. Новотроицк,Asia/Yekaterinburg,МОАУ «СОШ № 15»,38,5\n",
    "roster_zone.csv": ROSTER_HEAD + "Новый город,Moscow,Школа,10,\n",
    "roster.pdf": "%PDF-1.4",
    "binary.csv": b"\x98\x98\x00\xff",
    "empty.csv": b"",
    "seminars_http.csv": SEMINAR_HEAD
    + GOOD_SEMINAR
    + "г. Новотроицк,Другой,11.12.2099 15:00,онлайн,,http://x.org/b\n",
    "seminars_twice.csv": SEMINAR_HEAD + GOOD_SEMINAR + GOOD_SEMINAR.replace("Семинар", "семинар"),
    "seminars_past.csv": SEMINAR_HEAD
    + "г. Новотроицк,Семинар,10.12.2001 15:00,онлайн,,https://x.org/a\n",
    "seminars_town.csv": SEMINAR_HEAD
    + GOOD_SEMINAR
    + GOOD_SEMINAR.replace("г. Новотроицк", "Нигде"),
    "seminars_header.csv": SEMINAR_HEAD,
    "roster_digits.csv": ROSTER_HEAD + "Город,,Школа,²,1\nГород,,Школа 2,5,٣\n",
    "roster_huge.csv": ROSTER_HEAD + "Город,,Школа,99999999999999999999999,1\n",
}


@pytest.fixture(autouse=True)
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    files = {k: v.encode() if isinstance(v, str) else v for k, v in FILES.items()}
    return isolate(tmp_path, monkeypatch, files)


@pytest.fixture
def ready(database_url: str) -> str:
    """A migrated database holding the example roster."""
    assert invoke("init", DATABASE_URL=database_url).exit_code == 0
    assert invoke("import-roster", str(ROSTER), DATABASE_URL=database_url).exit_code == 0
    return database_url


SCHOOL = ["--school", "МОАУ «СОШ № 1»"]
ROLE = ["--role", "admin", "--municipality", "г. Новотроицк"]
NO_NAME = {"BOT_USERNAME": ""}  # and no BOT_TOKEN either
BAD_INPUTS = [
    # settings
    (["invite", *SCHOOL], {"DEFAULT_TIMEZONE": "Moscow"}, 2, "DEFAULT_TIMEZONE"),
    (["import-roster", str(ROSTER)], {"LOG_LEVEL": "verbose"}, 2, "LOG_LEVEL: 'verbose'"),
    (["invite", *SCHOOL], {"BOT_USERNAME": "https://t.me/"}, 2, "not a bot's username"),
    # invite: nothing is written before everything is known
    (["invite", *SCHOOL], NO_NAME, 1, "set BOT_USERNAME or BOT_TOKEN"),
    (["invite", *ROLE], NO_NAME, 1, "set BOT_USERNAME or BOT_TOKEN"),
    (["invite", *ROLE, "--expires", "99999999d"], {}, 2, "longer than a year"),
    (["invite", *SCHOOL, "--expires", "7d"], {}, 2, "--expires and --uses are for role links"),
    (["invite", *SCHOOL, "--uses", "3"], {}, 2, "--expires and --uses are for role links"),
    (["invite", *SCHOOL, "--municipality", "Нигде"], {}, 1, "no municipality called 'Нигде'"),
    (
        ["invite", *SCHOOL, "--municipality", "Аксайский район"],
        {},
        1,
        "no school called 'МОАУ «СОШ № 1»' in 'Аксайский район'",
    ),
    (["invite", "--role", "admin", "--municipality", "Нигде"], {}, 1, "no municipality called"),
    # import-roster: a file with any problem changes nothing, its good rows included
    (["import-roster", "@roster_bad.csv"], {}, 1, "row 3, column 'teachers': '-3' is not"),
    (["import-roster", "--replace-subjects", "@roster_bad.csv"], {}, 1, "row 3, column"),
    (["import-roster", "@roster_case.csv"], {}, 1, "column 'математика': column appears twice"),
    (
        ["import-roster", "@roster_zones.csv"],
        {},
        1,
        "'Asia/Yekaterinburg' differs from 'Asia/Omsk' in row 2",
    ),
    (["import-roster", "@roster_zone.csv"], {}, 1, "unknown time zone 'Moscow'"),
    (["import-roster", "@roster.pdf"], {}, 1, "unsupported file type '.pdf'"),
    (["import-roster", "@binary.csv"], {}, 1, "not a text file in UTF-8, UTF-16 or Windows-1251"),
    (["import-roster", "@empty.csv"], {}, 1, "the file is empty"),
    (["import-roster", "@missing.csv"], {}, 2, "does not exist"),
    (["init"], {"SEND_RATE": "100"}, 2, "SEND_RATE must be above 0 and at most 30"),
    (["init"], {"BOT_MODE": "webhook"}, 2, "BOT_MODE=webhook needs WEBHOOK_URL, an https://"),
    (["init"], {"BOT_MODE": "hook"}, 2, "BOT_MODE"),
    (
        ["init"],
        {"BOT_MODE": "webhook", "WEBHOOK_URL": "https://bot.example.org/t", "WEBHOOK_SECRET": "x"},
        2,
        "BOT_MODE=webhook needs WEBHOOK_SECRET: 16 to 256",
    ),
    (["init"], {"WEBHOOK_LISTEN": "8080"}, 2, "'8080' is not host:port"),
    (["init"], {"DATABASE_POOL_SIZE": "0"}, 2, "DATABASE_POOL_SIZE must be from 1 to 100"),
    # seminars import: the same rules, and nothing half-imported
    (["seminars", "import", "@seminars_http.csv"], {}, 1, "row 3, column 'link': must start"),
    (["seminars", "import", "@seminars_twice.csv"], {}, 1, "row 3, column 'title': the same"),
    (["seminars", "import", "@seminars_past.csv"], {}, 1, "row 2, column 'start': is in the"),
    (["seminars", "import", "@seminars_town.csv"], {}, 1, "unknown municipality 'Нигде'"),
    (["seminars", "import", "@seminars_header.csv"], {}, 1, "no seminars in the file"),
    (["seminars", "import", str(SEMINARS), "--organiser", "999"], {}, 2, "Telegram id 999"),
    # numbers a 32- or 64-bit column cannot hold, and digits int() does not read
    (["import-roster", "@roster_digits.csv"], {}, 1, "row 2, column 'teachers': '²' is not"),
    (["import-roster", "@roster_digits.csv"], {}, 1, "row 3, column 'Математика': '٣' is not"),
    (["import-roster", "@roster_huge.csv"], {}, 1, "'99999999999999999999999' is more than"),
    (["seminars", "import", str(SEMINARS), "--organiser", "9" * 23], {}, 2, "--organiser"),
    (["invite", *ROLE, "--uses", "9" * 20], {}, 2, "'--uses': 99999999999999999999 is not in"),
    # periods: years nobody reports on are refused, not computed and stored
    (["aggregate", "--period", "1900/01"], {}, 2, "'1900/01': the year must be from 1990"),
    (["aggregate", "--period", "0001-01"], {}, 2, "'0001-01': the year must be from 1990"),
    (["aggregate", "--period", "0001-W01"], {}, 2, "the year must be from 1990 to 2100"),
    (
        ["report", "--municipality", "Город", "--period", "9999-W52", "--out", "r.xlsx"],
        {},
        2,
        "'9999-W52': the year must be from 1990 to 2100",
    ),
]


@pytest.mark.parametrize(("args", "env", "code", "message"), BAD_INPUTS)
def test_a_refused_command_changes_nothing(
    ready: str, home: Path, args: list[str], env: dict[str, str], code: int, message: str
) -> None:
    before = snapshot(ready)
    args = with_files(args, home)
    assert_refused(
        invoke(*args, **{"DATABASE_URL": ready, "BOT_USERNAME": "city_bot", **env}), code, message
    )
    assert snapshot(ready) == before


@pytest.mark.parametrize(
    "args",
    [
        ["import-roster", str(ROSTER)],
        ["invite", "--school", "МОАУ «СОШ № 1»"],
        ["seminars", "import", str(ROSTER)],
    ],
)
def test_before_init_a_command_names_init_and_creates_no_database(
    home: Path, args: list[str]
) -> None:
    result = invoke(*args, BOT_USERNAME="city_bot")
    assert_refused(result, 3, "run `pedpulse init`")
    assert str(home / "data" / "pedpulse.sqlite3") in result.output
    assert not (home / "data").exists()


def test_a_file_that_is_not_a_database_is_named(home: Path) -> None:
    (home / "data").mkdir()
    (home / "data" / "pedpulse.sqlite3").write_text("a spreadsheet, saved here by mistake")
    result = invoke("invite", "--school", "A", BOT_USERNAME="city_bot")
    assert_refused(result, 3, "Cannot open the database")
    assert "file is not a database" in result.output


def test_an_unreachable_server_is_named_without_its_password() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = f"postgresql+asyncpg://pedpulse:secret@127.0.0.1:{port}/pedpulse"
    result = invoke("init", DATABASE_URL=url)
    assert_refused(result, 3, "Cannot open the database postgresql+asyncpg://pedpulse:***@")
    assert "secret" not in result.output and "Check DATABASE_URL" in result.output


def test_help_works_even_with_broken_settings() -> None:
    result = invoke("init", "--help", DEFAULT_TIMEZONE="Moscow")
    assert result.exit_code == 0 and "newest schema" in result.output


def test_an_unexpected_error_is_one_line_and_debug_shows_the_traceback() -> None:
    @click.group(cls=Guarded)
    @click.option("--debug", is_flag=True)
    def group(debug: bool) -> None:
        pass

    @group.command()
    def broken() -> None:
        raise ZeroDivisionError("division by zero")

    plain = CliRunner().invoke(group, ["broken"])
    assert_refused(plain, 1, "Unexpected error: ZeroDivisionError: division by zero")
    assert "--debug" in plain.output
    debug = CliRunner().invoke(group, ["--debug", "broken"])
    assert isinstance(debug.exception, ZeroDivisionError)


def test_the_installed_command_prints_one_line_not_a_traceback(home: Path) -> None:
    env = {**os.environ, "PEDPULSE_HOME": str(home), "DEFAULT_TIMEZONE": "Moscow"}
    command = [str(Path(sys.executable).parent / "pedpulse"), "instruments", "list"]
    done = subprocess.run(command, cwd=home, env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert "DEFAULT_TIMEZONE: unknown time zone 'Moscow'" in done.stderr
