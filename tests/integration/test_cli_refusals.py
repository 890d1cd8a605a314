"""Refused `pedpulse` commands: exit code, a message naming the problem, no traceback, and
the database exactly as it was (every table compared before and after)."""

import json
import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner, Result

from core import db
from core.cli import main
from core.cli_runtime import Guarded
from tests.dbstate import snapshot

ROOT = Path(__file__).resolve().parents[2]
ROSTER = ROOT / "examples" / "roster.csv"
FILES: dict[str, bytes] = {}  # name → content, written into the test's folder as @name


def invoke(*args: str, **env: str) -> Result:
    return CliRunner().invoke(main, list(args), env=env)


def assert_refused(result: Result, code: int, message: str) -> None:
    assert result.exit_code == code, result.output
    assert message in result.output, result.output
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


@pytest.fixture(autouse=True)
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty project folder as the current one; no setting leaks in from outside."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("PEDPULSE_HOME", str(tmp_path))
    for name in ("BOT_TOKEN", "BOT_USERNAME", "DATABASE_URL", "TELEGRAM_API_URL", "LOG_LEVEL"):
        monkeypatch.delenv(name, raising=False)
    for name, content in FILES.items():
        (tmp_path / name).write_bytes(content)
    return tmp_path


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
]


@pytest.mark.parametrize(("args", "env", "code", "message"), BAD_INPUTS)
def test_a_refused_command_changes_nothing(
    ready: str, home: Path, args: list[str], env: dict[str, str], code: int, message: str
) -> None:
    before = snapshot(ready)
    args = [str(home / a[1:]) if a.startswith("@") else a for a in args]
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


SHIPPED_CBI = ROOT / "surveys" / "instruments" / "cbi.yaml"
EXAMPLE_INSTRUMENT = ROOT / "examples" / "instrument.yaml"
FILES["copy_of_cbi.yaml"] = SHIPPED_CBI.read_bytes()
FILES["misspelt.yaml"] = EXAMPLE_INSTRUMENT.read_bytes().replace(b"min_answered", b"min_answerd")
FILES["cp1251.yaml"] = EXAMPLE_INSTRUMENT.read_text("utf-8").encode("cp1251", "replace")
FILES["broken.yaml"] = b"key: [unclosed\n"


@pytest.mark.parametrize(
    ("file", "message"),
    [
        ("@copy_of_cbi.yaml", "copy_of_cbi.yaml: key: 'cbi' is already the key of"),
        ("@misspelt.yaml", "unknown field 'min_answerd' (did you mean 'min_answered'?)"),
        ("@cp1251.yaml", "cp1251.yaml: line 6: not UTF-8 text"),
        ("@broken.yaml", "broken.yaml: line 2, column 1: not readable YAML"),
    ],
)
def test_instruments_check_refuses_what_would_stop_the_bot(
    home: Path, file: str, message: str
) -> None:
    assert_refused(invoke("instruments", "check", str(home / file[1:])), 1, message)


def test_instruments_check_passes_the_shipped_files_and_the_example() -> None:
    result = invoke("instruments", "check", str(SHIPPED_CBI), str(EXAMPLE_INSTRUMENT))
    assert result.exit_code == 0, result.output


def test_a_broken_file_in_instruments_dir_stops_every_instrument_command(home: Path) -> None:
    (home / "ours").mkdir()
    (home / "ours" / "misspelt.yaml").write_bytes(FILES["misspelt.yaml"])
    for args in (["instruments", "list"], ["score", "cbi", "--answers", "1"]):
        result = invoke(*args, INSTRUMENTS_DIR="ours")  # relative: to the project folder
        assert_refused(result, 4, "A questionnaire file is broken: misspelt.yaml: scale balance")


FILES["answers_bad.csv"] = b"q1;q2\n3;9\n7;\n"
FILES["answers_empty.csv"] = b"q1,q2\n\n"
FILES["answers_binary.csv"] = b"\x98\x98\x00\xff"
FILES["answers.pdf"] = b"%PDF-1.4"
CBI_19 = ",".join(["3"] * 19)


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["--answers", "3,3,4,2,,5,…"], 2, "item q7: '…' is not an answer code: expected 1 to 5"),
        (["--answers", CBI_19 + ",3"], 2, "20 answers for 19 items"),
        (["--answers-file", "@answers_bad.csv"], 1, "row 2, column 'q2': '9' is not an answer"),
        (["--answers-file", "@answers_bad.csv"], 1, "row 3, column 'q1': '7' is not an answer"),
        (["--answers-file", "@answers_empty.csv"], 1, "no answers in the file"),
        (["--answers-file", "@answers_binary.csv"], 1, "not a text file in UTF-8, UTF-16"),
        (["--answers-file", "@answers.pdf"], 1, "unsupported file type '.pdf'"),
        ([], 2, "give --answers or --answers-file"),
    ],
)
def test_score_names_the_row_the_item_and_what_it_accepts(
    home: Path, args: list[str], code: int, message: str
) -> None:
    args = [str(home / a[1:]) if a.startswith("@") else a for a in args]
    assert_refused(invoke("score", "cbi", *args), code, message)


def test_score_reads_answers_as_excel_saves_them(home: Path) -> None:
    sheet = home / "paper.csv"
    sheet.write_bytes("q1;q2;q3\r\n3;3;3\r\n1;;5\r\n".encode("utf-16"))
    result = invoke("score", "cbi", "--answers-file", str(sheet))
    assert result.exit_code == 0, result.output
    assert [row["scales"]["personal"]["answered"] for row in json.loads(result.output)] == [3, 2]


@pytest.fixture
def migrations_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of migrations/ that make-migration may write into."""
    copy = tmp_path / "migrations"
    shutil.copytree(db.MIGRATIONS_DIR, copy, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(db, "MIGRATIONS_DIR", copy)
    return copy


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["what changed", "--rev-id", "0001"], "0001 exists already; the next free id is"),
        (["what changed", "--rev-id", "2"], "'2' is not four digits"),
        (["  "], "say in a few words what changed"),
    ],
)
def test_make_migration_refuses_a_taken_id_before_touching_anything(
    home: Path, migrations_copy: Path, args: list[str], message: str
) -> None:
    before = sorted(migrations_copy.rglob("*.py"))
    assert_refused(invoke("make-migration", *args), 2, message)
    assert sorted(migrations_copy.rglob("*.py")) == before
    assert not (home / "data").exists()  # not even the database was created


def test_make_migration_takes_the_next_id_and_init_still_works(
    home: Path, migrations_copy: Path
) -> None:
    head = db.head_revision()
    result = invoke("make-migration", "nothing changed")
    assert result.exit_code == 0, result.output
    new = f"{int(str(head)) + 1:04d}"
    assert (migrations_copy / "versions" / f"{new}_nothing_changed.py").is_file()
    fresh = f"sqlite+aiosqlite:///{home / 'fresh.sqlite3'}"
    assert f"is at revision {new}" in invoke("init", DATABASE_URL=fresh).output


@pytest.mark.filterwarnings("ignore:Revision 0001 is present more than once")
def test_two_revisions_with_one_id_are_named_not_a_traceback(
    home: Path, migrations_copy: Path
) -> None:
    first = migrations_copy / "versions" / "0001_initial_schema.py"
    (migrations_copy / "versions" / "0001_again.py").write_text(first.read_text("utf-8"), "utf-8")
    assert_refused(invoke("init"), 3, "Cannot migrate")
