"""«Сообщить о проблеме» and the methodist's «✅ Проблема решена»: the pair's screen, the
list of pairs and the weekly summary's alerts show a report until the methodist marks it
handled; after that the same side can report a new problem at once instead of waiting a day;
only a methodist of the pair's municipality can mark it. An ended pair's report alerts nobody."""

from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from core.mentoring import pair_view
from core.models import Mentorship, ProblemReport, Role
from tests.e2e.conftest import Harness
from tests.e2e.test_mentoring import MENTEE, MENTOR, METHODIST, _paired
from tests.e2e.test_weekly_summary import MONDAY_NINE, run_tick
from tests.fake_telegram import SentMessage

pytestmark = pytest.mark.e2e
STRANGER = 409
REPORT, HANDLED = "⚠️ Сообщить о проблеме", "✅ Проблема решена"
WAITING = "Ждёт помощи"


async def _handled(h: Harness) -> list[bool]:
    async with h.sessionmaker() as session:
        found = await session.scalars(select(ProblemReport).order_by(ProblemReport.id))
        return [report.handled_at is not None for report in found]


async def _reported(h: Harness) -> None:
    await _paired(h)
    await h.send(MENTEE, "/mentor")
    await h.press(MENTEE, REPORT)
    assert "Методист получил ваше сообщение" in h.last_text(MENTEE)
    await h.sender.drain()


async def test_the_methodist_marks_a_problem_handled_and_a_new_one_comes_at_once(
    harness: Harness,
) -> None:
    h = harness
    await _reported(h)
    await h.press(METHODIST, "Открыть пару")
    shown = h.last_text(METHODIST)
    assert WAITING in shown and "подопечный" in shown
    assert HANDLED in h.server.last(METHODIST).button_texts()
    await h.send(METHODIST, "/mentoring")
    await h.press(METHODIST, "👥 Пары")
    assert any(label.startswith("⚠️") for label in h.server.last(METHODIST).button_texts())
    await h.press(METHODIST, HANDLED)
    assert await _handled(h) == [True]
    shown = h.last_text(METHODIST)
    assert WAITING not in shown and HANDLED not in h.server.last(METHODIST).button_texts()
    # a second problem an hour later reaches the methodist (not "already sent")
    h.clock.now += timedelta(hours=1)
    told = len(h.server.chat(METHODIST))
    await h.send(MENTEE, "/mentor")
    await h.press(MENTEE, REPORT)
    assert "Методист получил ваше сообщение" in h.last_text(MENTEE)
    await h.sender.drain()
    assert len(h.server.chat(METHODIST)) == told + 1
    assert await _handled(h) == [True, False]


async def test_a_side_of_the_pair_cannot_mark_its_problem_handled(harness: Harness) -> None:
    h = harness
    await _reported(h)
    await h.press(METHODIST, "Открыть пару")
    screen = h.server.last(METHODIST)
    data = next(b["callback_data"] for b in screen.buttons() if b["text"] == HANDLED)
    await h.send(MENTOR, "/mentees")
    await h.press_data(MENTOR, h.server.last(MENTOR), str(data))  # a forged press
    assert await _handled(h) == [False]

    # a methodist of another municipality cannot mark it either, nor does his summary tell it
    await h.send(STRANGER, f"/start {await h.role_code(Role.METHODIST, municipality_id=2)}")
    await h.press(STRANGER, "Согласен(на)")
    await h.send(STRANGER, "Иванова Ирина")
    await h.press(STRANGER, "Не работаю в школе")
    await h.press(STRANGER, "✅ Всё верно")
    await h.press_data(STRANGER, h.server.last(STRANGER), str(data))
    assert await _handled(h) == [False]
    async with h.sessionmaker() as session:
        assert await pair_view.pairs_with_problems(session, 2) == 0
        assert await pair_view.pairs_with_problems(session, 1) == 1
    await h.press_data(METHODIST, screen, str(data))
    await h.press_data(METHODIST, screen, str(data))  # a double tap: still one mark, no error
    assert await _handled(h) == [True]
    assert WAITING not in h.last_text(METHODIST)


async def test_the_weekly_summary_tells_of_a_waiting_problem_until_it_is_handled(
    harness: Harness,
) -> None:
    h = harness
    await _reported(h)
    summary = await _summary(h, MONDAY_NINE)
    lines = (summary.text or "").splitlines()
    assert "⚠ Пары наставничества с проблемой ждут помощи: 1" in lines
    assert "Пары наставничества, сообщившие о проблеме, ждут помощи: 1." in (summary.text or "")
    button = next(b for b in summary.button_texts() if b.endswith("Пары наставничества"))
    await h.press(METHODIST, button)  # the list of pairs, below the summary
    pairs = h.server.last(METHODIST).button_texts()
    assert len(pairs) == 1 and pairs[0].startswith("⚠️")
    await h.press(METHODIST, pairs[0])
    await h.press(METHODIST, HANDLED)
    later = await _summary(h, MONDAY_NINE + timedelta(days=7))
    assert "Пары наставничества" not in (later.text or "")
    assert not any("Пары наставничества" in b for b in later.button_texts())


async def test_an_ended_pair_with_a_waiting_problem_is_no_alert(harness: Harness) -> None:
    h = harness
    await _reported(h)
    await h.press(METHODIST, "Открыть пару")
    screen = h.server.last(METHODIST)  # «✅ Проблема решена» on it, pressed after the end
    await h.send(MENTEE, "/mentor")
    await h.press(MENTEE, "Завершить")
    await h.press(MENTEE, "цели достигнуты")
    await h.sender.drain()
    data = next(b["callback_data"] for b in screen.buttons() if b["text"] == HANDLED)
    await h.press_data(METHODIST, screen, str(data))
    assert h.toasts()[-1] == "Эта пара уже завершена."
    assert await _handled(h) == [False]
    async with h.sessionmaker() as session:
        assert await pair_view.pairs_with_problems(session, 1) == 0
    summary = await _summary(h, MONDAY_NINE)
    assert "Пары наставничества" not in (summary.text or "")


async def _summary(h: Harness, at: datetime) -> SentMessage:
    """The weekly summary's text message sent to the methodist at `at`."""
    told = len(h.server.chat(METHODIST))
    await run_tick(h, at)
    return next(m for m in h.server.chat(METHODIST)[told:] if (m.text or "").startswith("📊"))


async def test_the_pairs_waiting_for_help_come_first_in_the_list(harness: Harness) -> None:
    """Nine older pairs fill more than the first page: the waiting one still opens it."""
    h = harness
    async with h.sessionmaker() as session:
        session.add_all(
            Mentorship(
                municipality_id=1,
                started_at=h.clock.now,
                ends_on=h.clock.now.date(),
                last_activity_at=h.clock.now,
            )  # fmt: skip
            for _ in range(9)
        )
        await session.commit()
    await _reported(h)
    await h.send(METHODIST, "/mentoring")
    await h.press(METHODIST, "👥 Пары")
    pairs = h.server.last(METHODIST).button_texts()
    assert pairs[0].startswith("⚠️") and "Пётр" in pairs[0]
    assert not any(label.startswith("⚠️") for label in pairs[1:])
