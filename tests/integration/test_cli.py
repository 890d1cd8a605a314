"""The `pedpulse` command: help, init, roster import, invite links."""

import asyncio
import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from core import db
from core.cli import main
from tests.fake_telegram import FakeTelegram

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "roster.csv"
COMMANDS = [
    "init",
    "import-roster",
    "invite",
    "seminars",
    "instruments",
    "score",
    "make-migration",
]


@pytest.fixture(autouse=True)
def _no_local_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("PEDPULSE_HOME", str(tmp_path))  # a developer's .env must not leak in
    for name in ("BOT_TOKEN", "BOT_USERNAME", "DATABASE_URL", "TELEGRAM_API_URL"):
        monkeypatch.delenv(name, raising=False)


def run(database_url: str, *args: str, **env: str) -> Result:
    return CliRunner().invoke(main, list(args), env={"DATABASE_URL": database_url, **env})


def test_help_lists_every_command() -> None:
    result = CliRunner().invoke(main, ["--help"])
    assert result.exit_code == 0
    for command in COMMANDS:
        assert command in result.output


@pytest.mark.parametrize(
    ("command", "expected"),
    [
        ("init", "newest schema"),
        ("import-roster", "headcount"),
        ("invite", "--municipality"),
    ],
)
def test_each_command_has_help(command: str, expected: str) -> None:
    result = CliRunner().invoke(main, [command, "--help"])
    assert result.exit_code == 0 and expected in result.output


def test_init_import_and_invite_links(database_url: str) -> None:
    assert f"is at revision {db.head_revision()}" in run(database_url, "init").output
    result = run(database_url, "import-roster", str(EXAMPLE))
    assert result.exit_code == 0, result.output
    assert "5 new and 0 updated schools (0 unchanged) in 2 municipalities" in result.output
    again = run(database_url, "import-roster", str(EXAMPLE))
    assert again.exit_code == 0 and "Nothing to change" in again.output

    bot = {"BOT_USERNAME": "@pedpulse_city_bot"}
    school = run(database_url, "invite", "--school", "моау «сош № 1»", **bot)
    assert school.exit_code == 0, school.output
    link = school.output.strip()
    assert link.startswith("https://t.me/pedpulse_city_bot?start=")
    assert run(database_url, "invite", "--school", "МОАУ «СОШ № 1»", **bot).output.strip() == link
    typed = run(database_url, "invite", "--school", 'моау "сош №1"', **bot)  # other quotes
    assert typed.output.strip() == link

    role = run(
        database_url,
        "invite",
        "--role",
        "methodist",
        "--municipality",
        "г. Новотроицк",
        "--expires",
        "7d",
        "--uses",
        "2",
        **bot,
    )
    assert role.exit_code == 0 and role.output.strip() != link


def test_malformed_roster_is_refused_whole(database_url: str, tmp_path: Path) -> None:
    run(database_url, "init")
    bad = tmp_path / "bad.csv"
    rows = ["municipality,timezone,school,teachers", "Город,,Школа 1,10", "Город,,Школа 2,-3"]
    bad.write_text("\n".join(rows) + "\n", encoding="utf-8")
    result = run(database_url, "import-roster", str(bad))
    assert result.exit_code == 1
    assert "nothing was imported" in result.output
    assert "row 3, column 'teachers'" in result.output
    invite = run(database_url, "invite", "--school", "Школа 1", BOT_USERNAME="x_bot")
    assert invite.exit_code == 1 and "import the roster first" in invite.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ([], "give either --school"),
        (["--school", "A", "--role", "admin"], "give either --school"),
        (["--role", "admin"], "--role needs --municipality"),
        (["--role", "teacher", "--municipality", "X"], "Invalid value for '--role'"),
        (["--role", "admin", "--municipality", "X", "--expires", "soon"], "duration"),
        (["--role", "admin", "--municipality", "Нигде"], "no municipality called"),
    ],
)
def test_invite_usage_errors(database_url: str, args: list[str], message: str) -> None:
    run(database_url, "init")
    result = run(database_url, "invite", *args, BOT_USERNAME="x_bot")
    assert result.exit_code != 0 and message in result.output


async def test_invite_asks_telegram_for_the_bot_name(
    database_url: str, server: FakeTelegram
) -> None:
    def _invoke() -> Result:
        run(database_url, "init")
        run(database_url, "import-roster", str(EXAMPLE))
        env = {"BOT_TOKEN": "42:TEST", "TELEGRAM_API_URL": server.url}
        return run(database_url, "invite", "--school", "МОАУ «СОШ № 1»", **env)

    result = await asyncio.to_thread(_invoke)
    assert result.exit_code == 0, result.output
    assert result.output.startswith("https://t.me/pedpulse_test_bot?start=")
    assert server.calls_of("getMe")


async def test_invite_names_a_token_telegram_refuses(
    database_url: str, server: FakeTelegram
) -> None:
    def _invoke() -> Result:
        run(database_url, "init")
        run(database_url, "import-roster", str(EXAMPLE))
        env = {"BOT_TOKEN": "42:WRONG", "TELEGRAM_API_URL": server.url}
        return run(database_url, "invite", "--school", "МОАУ «СОШ № 1»", **env)

    result = await asyncio.to_thread(_invoke)
    assert result.exit_code == 1 and "Telegram refused BOT_TOKEN (401" in result.output


def test_a_t_me_link_as_bot_username_gives_a_working_link(database_url: str) -> None:
    run(database_url, "init")
    run(database_url, "import-roster", str(EXAMPLE))
    env = {"BOT_USERNAME": "https://t.me/pedpulse_city_bot"}
    result = run(database_url, "invite", "--school", "МОАУ «СОШ № 1»", **env)
    assert result.output.startswith("https://t.me/pedpulse_city_bot?start=")


def test_invite_without_token_or_username_explains(database_url: str) -> None:
    run(database_url, "init")
    run(database_url, "import-roster", str(EXAMPLE))
    result = run(database_url, "invite", "--school", "МОАУ «СОШ № 1»")
    assert result.exit_code == 1 and "BOT_USERNAME or BOT_TOKEN" in result.output


SEMINARS = (
    "municipality,title,start,duration,format,place,link,capacity,tags\n"
    "г. Новотроицк,Цифровые инструменты,10.12.2099 15:00,90,онлайн,,https://meet.example.org/d,25,"
    "цифровая\n"
    "г. Новотроицк,Наставничество,11.12.2099 10:00,120,очно,Гимназия № 1,,,"
    "воспитательная,коммуникативная\n"
)


def test_seminars_import_publishes_a_term(database_url: str, tmp_path: Path) -> None:
    run(database_url, "init")
    run(database_url, "import-roster", str(EXAMPLE))
    plan = tmp_path / "term.csv"
    plan.write_text(SEMINARS, encoding="utf-8")
    result = run(database_url, "seminars", "import", str(plan))
    assert result.exit_code == 0, result.output
    assert "Imported 2 new seminars; 0 updated, 0 unchanged." in result.output
    assert _seminars(database_url) == 2


def test_bad_seminar_rows_are_reported_and_nothing_is_imported(
    database_url: str, tmp_path: Path
) -> None:
    run(database_url, "init")
    run(database_url, "import-roster", str(EXAMPLE))
    plan = tmp_path / "term.csv"
    bad = (
        "Нигде,Семинар,10.12.2099 15:00,90,онлайн,,https://x.org/a,,\n"
        "г. Новотроицк,Семинар,завтра,90,очно,,,,\n"
        "г. Новотроицк,Семинар,10.12.2099 15:00,90,онлайн,,ftp://x,,космическая\n"
    )
    plan.write_text(SEMINARS + bad, encoding="utf-8")
    result = run(database_url, "seminars", "import", str(plan))
    assert result.exit_code == 1
    for expected in (
        "row 4, column 'municipality': unknown municipality 'Нигде'",
        "row 5, column 'start': expected a date like 25.12.2026 15:00",
        "row 5, column 'place': an in-person seminar needs a place",
        "row 6, column 'link': must start with https://",
        "row 6, column 'tags': unknown competency area 'космическая'",
    ):
        assert expected in result.output
    assert _seminars(database_url) == 0  # the two good rows were not imported either


def _seminars(url: str) -> int:
    from sqlalchemy import func, select

    from core.models import Seminar

    async def count() -> int:
        engine = db.create_engine(url)
        try:
            async with engine.connect() as connection:
                query = select(func.count()).select_from(Seminar)
                return int((await connection.execute(query)).scalar_one())
        finally:
            await engine.dispose()

    return asyncio.run(count())


def test_instruments_list_show_and_check(tmp_path: Path) -> None:
    listed = CliRunner().invoke(main, ["instruments", "list"])
    assert listed.exit_code == 0
    for key in ("cbi", "deficits", "seminar_feedback", "support_satisfaction"):
        assert key in listed.output
    shown = CliRunner().invoke(main, ["instruments", "show", "cbi"])
    data = json.loads(shown.output)
    assert len(data["items"]) == 19 and data["scales"][1]["reversed"] == ["q13"]
    assert [b["id"] for b in data["scales"][0]["bands"]] == ["low", "moderate", "high"]
    bad = tmp_path / "bad.yaml"
    bad.write_text("key: x\nversion: 1\nprivacy: secret\n", encoding="utf-8")
    checked = CliRunner().invoke(main, ["instruments", "check", str(bad)])
    assert checked.exit_code == 1 and "bad.yaml: privacy: must be one of" in checked.output
    assert CliRunner().invoke(main, ["instruments", "check"]).exit_code == 0


def test_score_prints_the_key_for_one_or_many_respondents(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["score", "cbi", "--answers", ",".join(["3"] * 19)])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["scales"]["work"] == {"score": 50.0, "band": "moderate", "answered": 7}
    assert data["derived"]["overall"] == {"score": 50.0, "band": "moderate"}
    few = CliRunner().invoke(main, ["score", "cbi", "--answers", "5,5"])
    assert json.loads(few.output)["scales"]["personal"]["score"] is None  # not zero
    sheet = tmp_path / "paper.csv"
    sheet.write_text("4,4,4,4,5,10,\n1,1,1,1,1,0,Всё хорошо\n", encoding="utf-8")
    many = CliRunner().invoke(main, ["score", "seminar_feedback", "--answers-file", str(sheet)])
    rows = json.loads(many.output)
    assert [r["derived"]["nps"] for r in rows] == ["promoter", "detractor"]
    wrong = CliRunner().invoke(main, ["score", "cbi", "--answers", "7"])
    assert wrong.exit_code == 2 and "item q1" in wrong.output
    unknown = CliRunner().invoke(main, ["score", "mbi", "--answers", "1"])
    assert unknown.exit_code == 1 and "no instrument 'mbi'" in unknown.output
