"""`/report` and `/export` as a methodist of г. Новотроицк uses them: the period and the
breakdown by buttons, the key indicators with a PNG chart, the analytical report as XLSX;
a teacher is refused; a municipality with nobody in it gets a short note, not a chart.

The harness's clock stands at Monday 23 November 2026, 14:00 in Yekaterinburg (week
23.11–29.11, 2026-W48). The roster gives the town 153 teachers (54 + 61 + 38)."""

import io
from datetime import UTC, datetime

import pytest
from openpyxl import load_workbook

from bot.monitoring.report_callbacks import ReportAct, ReportCallback
from core.models import Municipality, Person, PersonRole, Response, Role
from core.people.invites import find_school
from tests.e2e.conftest import Harness
from tests.e2e.test_onboarding import register_teacher
from tests.e2e.test_roles import register_with_role

pytestmark = pytest.mark.e2e
METHODIST, TEACHER, NEWCOMER = 610, 611, 612
SCHOOL = "МОАУ «СОШ № 1»"
THIS_WEEK = "г. Новотроицк · неделя 23.11–29.11.2026"
TUESDAY = datetime(2026, 11, 24, 9, tzinfo=UTC)
# by hand, this week: two of the 153 took the deficit self-assessment (1.3 %), both in
# СОШ № 1 (2 of 54: 3.7 %). One young teacher of the six registered: she teaches mathematics
# and physics, 1 of 1 each, hidden (n < 5); together still fewer than 5 and no other subject
# has a teacher, so the town's 1 of 6 is hidden too, or it would give both back.
KEY_LINES = [
    "Охват диагностикой: 1 % (2 из 153)",
    "Высокий риск выгорания: нет данных",
    "Удовлетворённость: нет данных",
    "NPS: нет данных",
    "Молодые педагоги: скрыто для защиты данных",
    "В наставничестве: 0 % (0 из 153)",
    "В сообществах и МО: 0 % (0 из 153)",
    "Мероприятия: 0 (участников: 0)",
]


async def _town(h: Harness) -> None:
    """A methodist; the teacher of test_onboarding (young, registered today) and five more
    teachers of СОШ № 1 registered in September, two of whom took the self-assessment: one
    last week (18.11), one this morning."""
    await register_with_role(h, METHODIST, Role.METHODIST)
    await register_teacher(h, TEACHER)
    async with h.sessionmaker() as session:
        school = await find_school(session, SCHOOL, None)
        joined = datetime(2026, 9, 1, tzinfo=UTC)
        people = [
            Person(
                telegram_id=6200 + i,
                municipality_id=school.municipality_id,
                school_id=school.id,
                full_name=f"Учитель {i}",
                started_year=2000,
                birth_year=1970,
                language="ru",
                consent_at=joined,
                registered_at=joined,
                roles=[PersonRole(role=Role.TEACHER)],
            )
            for i in range(5)
        ]
        session.add_all(people)
        await session.flush()
        for person, day in zip(people, (18, 23), strict=False):
            done = datetime(2026, 11, day, 4, tzinfo=UTC)
            session.add(
                Response(
                    person_id=person.id,
                    instrument="deficits",
                    version=1,
                    status="completed",
                    started_at=done,
                    completed_at=done,
                )
            )
        await session.commit()


async def test_a_methodist_gets_the_report_with_a_chart(harness: Harness) -> None:
    h = harness
    await _town(h)
    h.clock.now = TUESDAY  # whole days are counted: Monday's answers show from Tuesday
    await h.send(METHODIST, "/report")
    assert "За какой период?" in h.last_text(METHODIST)
    assert h.server.last(METHODIST).button_texts() == [
        "Эта неделя",
        "Прошлая неделя",
        "Этот месяц",
        "Учебный год",
    ]
    await h.press(METHODIST, "Эта неделя")
    assert "Период: Эта неделя. Какой разрез?" in h.last_text(METHODIST)
    pressed = await h.press(METHODIST, "Муниципалитет за 8 недель")
    edits = [str(c.params["text"]) for c in h.server.calls_of("editMessageText")]
    assert "⏳ Готовлю отчёт…" in edits  # shown while counting, then replaced by the report
    report = h.server.messages[(METHODIST, pressed.message_id)].text or ""
    assert report.splitlines()[: len(KEY_LINES) + 1] == [THIS_WEEK, *KEY_LINES]
    assert "На графике — муниципалитет за 8 недель." in report
    chart = h.server.last(METHODIST)
    assert chart.photo is not None and chart.photo.startswith(b"\x89PNG")

    await h.send(METHODIST, "/report")
    await h.press(METHODIST, "Эта неделя")
    await h.press(METHODIST, "По школам")
    by_school = h.texts(METHODIST)[-2]  # above the chart
    assert "По школам — Охват диагностикой:" in by_school
    for line in (
        "• МОАУ «СОШ № 1»: 4 % (2 из 54)",
        "• МОАУ «Гимназия № 1»: 0 % (0 из 61)",
        "• МОАУ «СОШ № 15»: 0 % (0 из 38)",
    ):
        assert line in by_school.splitlines()
    assert (h.server.last(METHODIST).photo or b"").startswith(b"\x89PNG")

    await h.send(METHODIST, "/report")
    await h.press(METHODIST, "Эта неделя")
    await h.press(METHODIST, "По предметам")
    by_subject = h.texts(METHODIST)[-2]
    # the roster's subject headcounts: mathematics 8 + 9 + 5; neither assessed teacher
    # named a subject
    assert "• Математика: 0 % (0 из 22)" in by_subject.splitlines()
    assert (h.server.last(METHODIST).photo or b"").startswith(b"\x89PNG")


async def test_a_methodist_exports_the_analytical_report(harness: Harness) -> None:
    h = harness
    await _town(h)
    await h.send(METHODIST, "/export")
    assert "Аналитическая справка (Excel)" in h.last_text(METHODIST)
    await h.press(METHODIST, "Прошлая неделя")
    texts = h.texts(METHODIST)
    assert texts[-2] == (
        "Аналитическая справка: г. Новотроицк, неделя 16.11–22.11.2026 — в файле ниже."
    )
    sent = h.server.last(METHODIST)
    assert sent.filename == "spravka-2026-W47.xlsx" and sent.document is not None
    sheet = load_workbook(io.BytesIO(sent.document))["Охват диагностикой"]
    rows = {row[2]: row for row in sheet.iter_rows(min_row=5, max_col=9, values_only=True)}
    # by the end of last week only the assessment of 18.11 had been taken: 1 of 153, 1 of 54
    assert rows["г. Новотроицк"][:2] == ("2026-W47", "муниципалитет")
    assert rows["г. Новотроицк"][4:6] == (1, 153)
    assert rows[SCHOOL][4:6] == (1, 54)
    assert rows[SCHOOL][8] == pytest.approx(100 / 54)


async def test_a_teacher_is_refused_both(harness: Harness) -> None:
    h = harness
    await _town(h)
    for command in ("/report", "/export"):
        await h.send(TEACHER, command)
        assert "доступна только для ролей: методист" in h.last_text(TEACHER)
    await h.send(METHODIST, "/report")
    menu = h.server.last(METHODIST)
    forged = ReportCallback(act=ReportAct.SHOW, period=0, view=0).pack()
    await h.press_data(TEACHER, menu, forged)
    assert "Эта кнопка только для ролей: методист" in h.toasts()[-1]
    assert not any(m.photo or m.document for m in h.server.chat(TEACHER))


async def test_a_municipality_with_nobody_gets_a_note_not_a_chart(harness: Harness) -> None:
    h = harness
    async with h.sessionmaker() as session:
        town = Municipality(name="Новый посёлок", timezone="Asia/Yekaterinburg")
        session.add(town)
        await session.commit()
    await h.send(NEWCOMER, f"/start {await h.role_code(Role.METHODIST, town.id)}")
    await h.press(NEWCOMER, "Согласен(на)")
    await h.send(NEWCOMER, "Петров Пётр Петрович")
    await h.press(NEWCOMER, "Не работаю в школе")
    await h.press(NEWCOMER, "✅ Всё верно")
    for command, period in (("/report", "Этот месяц"), ("/export", "Учебный год")):
        await h.send(NEWCOMER, command)
        await h.press(NEWCOMER, period)
        if command == "/report":
            await h.press(NEWCOMER, "По школам")
        assert h.last_text(NEWCOMER) == (
            "Новый посёлок: пока не о чем отчитываться — нет ни зарегистрированных "
            "педагогов, ни штатной численности школ."
        )
    assert not any(m.photo or m.document for m in h.server.chat(NEWCOMER))
