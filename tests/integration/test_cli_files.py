"""Refused `pedpulse` commands on files: instruments, score, make-migration. Each names the
file, the place and the problem, exits non-zero, and writes nothing."""

import json
import shutil
from pathlib import Path

import pytest

from core import db
from tests.cli import ROOT, assert_refused, invoke, isolate, with_files

FILES: dict[str, bytes] = {}  # name → content, written into the test's folder as @name


@pytest.fixture(autouse=True)
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    return isolate(tmp_path, monkeypatch, FILES)


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
FILES["answers_nan.csv"] = b"q1,q2,q3\n3,nan,1e999\n"
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
        (["--answers", "nan"], 2, "item q1: 'nan' is not an answer code: expected 1 to 5"),
        (["--answers", "3,inf"], 2, "item q2: 'inf' is not an answer code"),
        (["--answers", "3,3,1e999"], 2, "item q3: '1e999' is not an answer code"),
        (["--answers-file", "@answers_nan.csv"], 1, "row 2, column 'q2': 'nan' is not an answer"),
        (
            ["--answers-file", "@answers_nan.csv"],
            1,
            "row 2, column 'q3': '1e999' is not an answer",
        ),
    ],
)
def test_score_names_the_row_the_item_and_what_it_accepts(
    home: Path, args: list[str], code: int, message: str
) -> None:
    args = with_files(args, home)
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
