"""The weekly summary in the methodist's chat: the text, the chart and the workbook from one
protected publication, and `/summary_settings` moving or stopping it. Novotroitsk (the example
roster) is in Asia/Yekaterinburg, UTC+5; the harness clock starts on Monday 23.11.2026 at
14:00 there, after that week's 09:00, so a methodist registered then starts on 30.11. A
summary tells of the last complete ISO week: on 30.11 (2026-W49) of 23-29.11 (2026-W48)."""

import io
from datetime import UTC, datetime, timedelta

import openpyxl
import pytest
from sqlalchemy import func, select

from core.models import JobOccurrence, Person, PersonRole, Role, School
from core.scheduler import JobContext, tick
from core.texts import load_catalogues
from surveys.registry import load_all
from tests.e2e.conftest import Harness
from tests.e2e.test_onboarding import register_teacher
from tests.e2e.test_roles import register_with_role

pytestmark = pytest.mark.e2e
METHODIST, TEACHER = 700, 701
MONDAY_NINE = datetime(2026, 11, 30, 4, 0, tzinfo=UTC)  # 09:00 in Novotroitsk, 2026-W49
WEDNESDAY_THREE = datetime(2026, 11, 25, 10, 0, tzinfo=UTC)  # 15:00 there, 2026-W48
MINUTE = timedelta(minutes=1)
GYMNASIUM = "МОАУ «Гимназия № 1»"


async def run_tick(h: Harness, at: datetime) -> None:
    h.clock.now = at
    context = JobContext(load_catalogues(), h.dp["settings"], load_all())
    await tick(h.sessionmaker, context, at)
    await h.sender.drain()


async def _teachers(h: Harness) -> None:
    """Registered in September: seven teachers at СОШ № 1 (two young), two at the gymnasium
    (one young): fewer than 5, so nothing about the gymnasium's teachers may show."""
    async with h.sessionmaker() as session:
        schools = dict((await session.execute(select(School.name, School.id))).all())
        places = [("МОАУ «СОШ № 1»", i < 2) for i in range(7)] + [
            (GYMNASIUM, i < 1) for i in range(2)
        ]
        for number, (school, young) in enumerate(places):
            session.add(_teacher(schools[school], 800 + number, young))
        await session.commit()


def _teacher(school: int, chat: int, young: bool) -> Person:
    registered = datetime(2026, 9, 1, tzinfo=UTC)
    return Person(
        telegram_id=chat,
        municipality_id=1,  # г. Новотроицк, the roster's first
        school_id=school,
        full_name=f"Педагог {chat}",
        started_year=2025 if young else 2001,
        birth_year=1975,
        language="ru",
        consent_at=registered,
        registered_at=registered,
        roles=[PersonRole(role=Role.TEACHER)],
    )


def _rows(book: openpyxl.Workbook, sheet: str) -> list[tuple[object, ...]]:
    """The table's rows (the columns right of it hold the chart's municipal values)."""
    cells = book[sheet].iter_rows(min_row=5, max_col=10, values_only=True)
    return [row for row in cells if row[0]]


async def test_a_methodist_gets_the_text_the_chart_and_the_workbook(harness: Harness) -> None:
    h = harness
    await register_with_role(h, METHODIST, Role.METHODIST)
    await _teachers(h)
    before = len(h.server.chat(METHODIST))
    await run_tick(h, MONDAY_NINE - MINUTE)  # 08:59 there
    assert len(h.server.chat(METHODIST)) == before
    await run_tick(h, MONDAY_NINE)
    text, chart, document = h.server.chat(METHODIST)[before:]

    summary = text.text or ""
    assert summary.startswith("📊 Неделя 2026-W48 · г. Новотроицк")  # 23-29.11
    assert "Молодые педагоги: 33 %" in summary  # 3 young of 9 registered teachers
    assert "Охват диагностикой: 0 %" in summary  # nobody assessed, of 54 + 61 + 38
    assert "«Скрыто» — в группе меньше 5 человек" in summary
    assert chart.photo is not None and chart.photo.startswith(b"\x89PNG")
    assert (
        chart.caption == "Ключевые показатели за последние 8 недель. Нет точки — значение скрыто."
    )
    assert document.filename == "pedpulse-2026-W48.xlsx" and document.document is not None
    assert document.caption is not None and "неделя 2026-W48" in document.caption

    book = openpyxl.load_workbook(io.BytesIO(document.document))
    coverage = {(r[0], r[2]): r for r in _rows(book, "Охват диагностикой")}
    assert coverage[("2026-W48", "г. Новотроицк")][4:6] == (0, 153)
    young = _rows(book, "Молодые педагоги")
    town = [r for r in young if r[2] == "г. Новотроицк"]
    assert [r[0] for r in town if str(r[0]).startswith("2026-W")] == [
        f"2026-W{number}" for number in range(41, 49)
    ]  # the eight weeks up to the last complete one; not the week under way
    assert [r[4:6] for r in town if r[0] == "2026-W48"] == [(3, 9)]
    gymnasium = [r for r in young if r[2] == GYMNASIUM]
    assert gymnasium  # every period has the gymnasium's row, with its mark and no number
    for row in gymnasium:
        assert all(not isinstance(cell, int | float) for cell in row), row
        assert row[4] is None and row[5] is None and row[7] is None and row[8]

    await run_tick(h, MONDAY_NINE + timedelta(hours=3))
    assert len(h.server.chat(METHODIST)) == before + 3  # once a week

    # /forget leaves no trace of the weeks her summary went, though they are keyed by her id
    await h.send(METHODIST, "/forget")
    await h.press(METHODIST, "Да, удалить")
    async with h.sessionmaker() as session:
        left = await session.scalar(
            select(func.count())
            .select_from(JobOccurrence)
            .where(JobOccurrence.job == "weekly_summary")
        )
    assert left == 0


async def test_summary_settings_move_the_day_and_turn_it_off(harness: Harness) -> None:
    h = harness
    await register_with_role(h, METHODIST, Role.METHODIST)
    await h.send(METHODIST, "/summary_settings")
    card = h.last_text(METHODIST)
    assert "Приходит по понедельникам в 09:00 по местному времени (г. Новотроицк, UTC+5)" in card
    assert "Следующая — 30.11.2026 в 09:00." in card  # this Monday's 09:00 came before
    assert "✅ Пн" in h.server.last(METHODIST).button_texts()

    await h.press(METHODIST, "Ср")
    await h.press(METHODIST, "15:00")
    card = h.last_text(METHODIST)  # the same message, edited
    assert "Приходит по средам в 15:00" in card and "Следующая — 25.11.2026 в 15:00." in card
    assert {"✅ Ср", "✅ 15:00", "Пн", "09:00"} <= set(h.server.last(METHODIST).button_texts())

    count = len(h.server.chat(METHODIST))
    await run_tick(h, WEDNESDAY_THREE - MINUTE)
    assert len(h.server.chat(METHODIST)) == count
    await run_tick(h, WEDNESDAY_THREE)
    note = h.last_text(METHODIST)  # no teacher registered: a note, not an empty chart
    assert note.startswith("📊 Неделя 2026-W47 · г. Новотроицк")
    assert "не было зарегистрированных педагогов" in note
    assert len(h.server.chat(METHODIST)) == count + 1

    await h.press(METHODIST, "🔕 Выключить сводку")
    card_message = h.server.chat(METHODIST)[count - 1]
    assert "Еженедельная сводка выключена" in (card_message.text or "")
    assert card_message.button_texts() == ["🔔 Включить сводку"]
    await run_tick(h, WEDNESDAY_THREE + timedelta(days=7))
    assert len(h.server.chat(METHODIST)) == count + 1  # nothing while it is off

    await h.press(METHODIST, "🔔 Включить сводку")  # this week's hour has passed: it goes now
    assert "придёт в ближайшие минуты" in (h.server.chat(METHODIST)[count - 1].text or "")
    await run_tick(h, WEDNESDAY_THREE + timedelta(days=7, minutes=1))
    assert h.last_text(METHODIST).startswith("📊 Неделя 2026-W48")


async def test_a_teacher_is_refused_summary_settings(harness: Harness) -> None:
    h = harness
    await register_teacher(h, TEACHER)
    await h.send(TEACHER, "/summary_settings")
    assert h.last_text(TEACHER) == "Эта команда доступна только для ролей: методист."


async def test_the_methodists_menu_has_summary_settings(harness: Harness) -> None:
    h = harness
    await register_with_role(h, METHODIST, Role.METHODIST)
    menu = h.server.calls_of("setMyCommands")[-1].params
    described = {c["command"]: c["description"] for c in menu["commands"]}
    assert described["summary_settings"] == "еженедельная сводка: день и время"
