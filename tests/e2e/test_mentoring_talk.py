"""Talking through the bot reaches the right person: several messages after «Написать» until
«Готово», nothing after it, a reply to a copy goes to that copy's pair even while writing to
another one, and a closed pair ends the writing."""

import pytest

from bot.mentoring.callbacks import MentoringCallback
from tests import factories
from tests.e2e.conftest import Harness
from tests.e2e.test_mentoring import MENTEE, MENTOR, METHODIST, _paired
from tests.e2e.test_onboarding import register_teacher

pytestmark = pytest.mark.e2e
SECOND = 502


async def _second_mentee(h: Harness) -> None:
    """The same mentor takes a second young teacher (he has two places)."""
    await register_teacher(h, SECOND)
    await h.send(SECOND, "/mentor")
    await h.press(SECOND, "методическая")
    await h.press(SECOND, "Готово")
    await h.press(SECOND, "Пропустить")
    await h.press(SECOND, "Математика")
    await h.press(SECOND, "онлайн")
    await h.press(SECOND, "📨 Отправить")
    await h.send(METHODIST, "/mentoring")
    await h.press(METHODIST, "1. Петров Пётр Петрович")
    await h.sender.drain()
    await h.press(MENTOR, "✅ Согласен(на)")
    await h.sender.drain()


async def test_messages_go_until_done_and_not_after(harness: Harness) -> None:
    h = harness
    await _paired(h)
    await h.send(MENTEE, "/mentor")
    await h.press(MENTEE, "✉️ Написать")
    await h.send(MENTEE, "Первое сообщение")
    await h.send(MENTEE, "Второе сообщение")
    await h.sender.drain()
    assert [m.text for m in h.server.chat(MENTOR)[-2:]] == ["Первое сообщение", "Второе сообщение"]
    await h.press(MENTEE, "✅ Готово")
    assert "больше не пересылаются" in h.last_text(MENTEE)
    before = len(h.server.chat(MENTOR))
    await h.send(MENTEE, "Это для бота, не для наставника")
    await h.sender.drain()
    assert len(h.server.chat(MENTOR)) == before


async def test_a_reply_goes_to_the_pair_of_the_copy_replied_to(harness: Harness) -> None:
    h = harness
    await _paired(h)
    await _second_mentee(h)
    await h.send(SECOND, "/mentor")
    await h.press(SECOND, "✉️ Написать")
    await h.send(SECOND, "Вопрос от второй подопечной")
    await h.sender.drain()
    from_second = h.server.last(MENTOR)
    # the mentor is writing to his first mentee when the second one's question comes
    await h.press_data(MENTOR, from_second, MentoringCallback(act="write", id=1).pack())
    answer = factories.message(MENTOR, "Ответ второй подопечной")
    answer["message"]["reply_to_message"] = h.server.message_json(from_second)
    await h.send_raw(answer)
    await h.sender.drain()
    assert h.server.last(SECOND).text == "Ответ второй подопечной"
    assert "Ответ второй подопечной" not in h.texts(MENTEE)


async def test_a_closed_pair_ends_the_writing(harness: Harness) -> None:
    h = harness
    await _paired(h)
    await h.send(MENTEE, "/mentor")
    await h.press(MENTEE, "✉️ Написать")
    await h.send(MENTOR, "/mentees")
    await h.press(MENTOR, "Завершить")
    await h.press(MENTOR, "другая причина")
    await h.send(MENTEE, "Вы здесь?")
    assert "уже завершена" in h.last_text(MENTEE)
    await h.send(MENTEE, "А теперь просто текст")  # no longer caught by a closed pair
    assert "уже завершена" not in h.last_text(MENTEE)
