"""At DEBUG, the whole log of a journey holds no name and nothing anyone typed."""

import logging

import pytest

from core.config import Settings
from core.logs import configure
from tests.e2e.conftest import Harness
from tests.e2e.test_announce import METHODIST, _town
from tests.e2e.test_campaigns import answer_all

pytestmark = pytest.mark.e2e
SECRETS = (
    "Иванова",
    "Кузнецов",
    "Петров",
    "Тайное объявление про премии",
    "Мне нужна практика по ИКТ",
    "Семинар про тайные методики",
)


async def test_a_journey_at_debug_logs_no_names_and_no_typed_text(
    harness: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    h = harness
    caplog.set_level(logging.DEBUG)  # first: caplog then puts back the level before both
    restore = configure(Settings(_env_file=None, log_level="DEBUG"))
    try:
        await _town(h)  # names typed at onboarding
        await h.send(METHODIST, "/announce")
        await h.send(METHODIST, "Тайное объявление про премии")
        await h.press(METHODIST, "Все педагоги муниципалитета")
        await h.press(METHODIST, "📨 Отправить")
        await h.send(METHODIST, "/seminar_new")
        await h.send(METHODIST, "Семинар про тайные методики")
        await h.send(METHODIST, "/campaign_new")
        await h.press(METHODIST, "Удовлетворённость методической поддержкой")
        await h.press(METHODIST, "Все педагоги муниципалитета")
        await h.press(METHODIST, "Сразу после запуска")
        await h.press(METHODIST, "Через 7 дней")
        await h.press(METHODIST, "Готово")
        await h.press(METHODIST, "🚀 Запустить")
        await h.sender.drain()
        await h.press(501, "📝 Пройти анкету")
        await answer_all(h, 501, limit=7)
        await h.send(501, "Мне нужна практика по ИКТ")  # a free-text answer
        await h.send(501, "/mydata")
        await h.send(501, "/forget")
        await h.press(501, "Да, удалить")
    finally:
        restore()
    logged = caplog.text
    assert "Update id=" in logged  # the log was written, at DEBUG
    for secret in SECRETS:
        assert secret not in logged, secret
