"""«Сообщить о проблеме» and the methodist's «✅ Проблема решена»: the pair's screen and the
list of pairs show a report until the methodist marks it handled; after that the same side
can report a new problem at once instead of waiting a day; only the municipality's
methodist can mark it."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from core.models import ProblemReport
from tests.e2e.conftest import Harness
from tests.e2e.test_mentoring import MENTEE, MENTOR, METHODIST, _paired

pytestmark = pytest.mark.e2e
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
    await h.press_data(METHODIST, screen, str(data))
    await h.press_data(METHODIST, screen, str(data))  # a double tap: still one mark, no error
    assert await _handled(h) == [True]
    assert WAITING not in h.last_text(METHODIST)
