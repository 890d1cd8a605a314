"""Mentoring buttons pressed again or from an old copy: they set what they say (notes' consent,
a goal's mark) instead of undoing the last press; the satisfaction questionnaire is answered
once per pair; «Отмена» of the search by name cancels it; a double tap on «Сообщить о
проблеме» tells the methodist once."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from core.models import Mentorship, ProblemReport, ProgrammeGoal, Response, Role
from tests.e2e.conftest import Harness
from tests.e2e.test_mentoring import MENTEE, MENTOR, METHODIST, _paired, _request
from tests.e2e.test_onboarding import register_teacher
from tests.e2e.test_roles import register_with_role
from tests.fake_telegram import SentMessage

pytestmark = pytest.mark.e2e
SHARE, HIDE = "📒 Разрешить методисту видеть заметки", "📒 Не показывать заметки методисту"
BOTH_AGREED, ONLY_YOU = "оба согласились", "видны только вам двоим"


def _data(message: SentMessage, label: str) -> str:
    found = [b["callback_data"] for b in message.buttons() if b["text"] == label]
    assert found, f"no {label!r} in {message.button_texts()}"
    return str(found[0])


async def _two_pair_screens(h: Harness) -> tuple[SentMessage, SentMessage]:
    await h.send(MENTEE, "/mentor")
    first = h.server.last(MENTEE)
    await h.send(MENTEE, "/mentor")
    return first, h.server.last(MENTEE)


async def _mentee_shares(h: Harness) -> bool:
    async with h.sessionmaker() as session:
        pair = await session.get(Mentorship, 1)
        assert pair is not None
        return pair.mentee_shares_notes


async def test_an_old_notes_button_sets_what_it_says(harness: Harness) -> None:
    h = harness
    await _paired(h)
    await h.send(MENTOR, "/mentees")
    await h.press(MENTOR, SHARE)
    # «Разрешить» on one copy, then on the other: still shared, not taken back
    first, second = await _two_pair_screens(h)
    await h.press_data(MENTEE, first, _data(first, SHARE))
    assert BOTH_AGREED in (first.text or "")
    await h.press_data(MENTEE, second, _data(second, SHARE))
    assert BOTH_AGREED in (second.text or "") and HIDE in second.button_texts()
    assert await _mentee_shares(h)
    # «Не показывать» on one copy, then on the other: still private, not shared again
    first, second = await _two_pair_screens(h)
    await h.press_data(MENTEE, first, _data(first, HIDE))
    assert ONLY_YOU in (first.text or "")
    await h.press_data(MENTEE, second, _data(second, HIDE))
    assert ONLY_YOU in (second.text or "") and SHARE in second.button_texts()
    assert not await _mentee_shares(h)


async def _goal_done(h: Harness) -> bool:
    async with h.sessionmaker() as session:
        goal = await session.scalar(select(ProgrammeGoal).where(ProgrammeGoal.position == 1))
        assert goal is not None
        return goal.done_at is not None


async def test_an_old_goal_button_does_not_undo_the_partners_mark(harness: Harness) -> None:
    h = harness
    await _paired(h)
    await h.send(MENTOR, "/mentees")
    await h.press(MENTOR, "🎯 Цели программы")
    mentors = h.server.last(MENTOR)
    await h.send(MENTEE, "/mentor")
    await h.press(MENTEE, "🎯 Цели программы")
    await h.press(MENTEE, "✅ 1")
    # the mentor's screen, opened before, still says «✅ 1»: pressing it keeps the goal done
    await h.press_data(MENTOR, mentors, _data(mentors, "✅ 1"))
    assert "↩️ 1" in mentors.button_texts()
    assert await _goal_done(h)
    # and the other way: she takes the mark back, his old «↩️ 1» does not put it back
    await h.press(MENTEE, "↩️ 1")
    await h.press_data(MENTOR, mentors, _data(mentors, "↩️ 1"))
    assert "✅ 1" in mentors.button_texts()
    assert not await _goal_done(h)


async def _answer_satisfaction(h: Harness) -> None:
    await h.press(MENTEE, "📝 Пройти анкету")
    for _ in range(6):
        await h.press(MENTEE, "5 — полностью согласен (согласна)")
    await h.press(MENTEE, "9")
    await h.press(MENTEE, "Пропустить")


async def test_the_satisfaction_questionnaire_is_answered_once_per_pair(
    harness: Harness,
) -> None:
    h = harness
    await _paired(h)
    await h.send(MENTEE, "/mentor")
    await h.press(MENTEE, "Завершить")
    await h.press(MENTEE, "цели достигнуты")
    await h.sender.drain()
    offer, take = h.server.find_button(MENTEE, "📝 Пройти анкету")
    await _answer_satisfaction(h)
    assert "заполнена" in h.last_text(MENTEE)
    before = len(h.server.chat(MENTEE))
    await h.press_data(MENTEE, offer, take)  # the offer's button, pressed again (a 2nd device)
    assert h.toasts()[-1] == "Вы уже ответили на эту анкету. Спасибо!"
    assert len(h.server.chat(MENTEE)) == before  # no questionnaire started again
    async with h.sessionmaker() as session:
        assert await session.scalar(select(func.count()).select_from(Response)) == 1


async def _searching(h: Harness) -> None:
    """A methodist asked for a mentor's name for the one waiting request."""
    await register_with_role(h, METHODIST, Role.METHODIST)
    await register_with_role(h, MENTOR, Role.MENTOR)
    await register_teacher(h, MENTEE)
    await _request(h)
    await h.send(METHODIST, "/mentoring")
    await h.press(METHODIST, "🔎 Найти наставника по имени")


async def test_cancelling_the_search_by_name_stops_awaiting_a_name(harness: Harness) -> None:
    h = harness
    await _searching(h)
    await h.press(METHODIST, "Отмена")
    assert "Заявка 1 из 1" in h.last_text(METHODIST)
    await h.send(METHODIST, "петров")  # not a search any more
    assert "Найдено" not in h.last_text(METHODIST)
    assert "Петров Пётр Петрович" not in h.server.last(METHODIST).button_texts()
    await h.press(METHODIST, "🔎 Найти наставника по имени")
    await h.send(METHODIST, "/mentoring")  # back to the queue another way: the same
    await h.send(METHODIST, "петров")
    assert "Найдено" not in h.last_text(METHODIST)


async def test_a_name_typed_for_a_withdrawn_request_says_so(harness: Harness) -> None:
    h = harness
    await _searching(h)
    await h.send(MENTEE, "/mentor")
    await h.press(MENTEE, "Отозвать заявку")
    await h.send(METHODIST, "петров")
    answer = h.last_text(METHODIST)
    assert "заявка уже не ждёт подбора" in answer and "кнопка" not in answer
    assert "Открыть очередь" in h.server.last(METHODIST).button_texts()


async def _reports(h: Harness) -> int:
    async with h.sessionmaker() as session:
        return int(await session.scalar(select(func.count()).select_from(ProblemReport)) or 0)


async def test_a_double_tap_on_report_a_problem_tells_the_methodist_once(
    harness: Harness,
) -> None:
    h = harness
    await _paired(h)
    await h.sender.drain()
    told = len(h.server.chat(METHODIST))
    await h.send(MENTEE, "/mentor")
    await h.press(MENTEE, "⚠️ Сообщить о проблеме")
    assert "Методист получил ваше сообщение" in h.last_text(MENTEE)
    await h.press(MENTEE, "⚠️ Сообщить о проблеме")
    assert "уже получил ваше сообщение о проблеме" in h.last_text(MENTEE)
    await h.sender.drain()
    assert len(h.server.chat(METHODIST)) == told + 1
    assert await _reports(h) == 1
    # the other side is its own report; the same side may report again the next day
    await h.send(MENTOR, "/mentees")
    await h.press(MENTOR, "⚠️ Сообщить о проблеме")
    h.clock.now += timedelta(days=1, minutes=1)
    await h.press(MENTEE, "⚠️ Сообщить о проблеме")
    assert "Методист получил ваше сообщение" in h.last_text(MENTEE)
    assert await _reports(h) == 3
