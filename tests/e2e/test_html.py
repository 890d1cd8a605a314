"""Texts people write with <, > and & reach everyone: Telegram refuses unescaped HTML."""

import pytest
from sqlalchemy import select

from core.models import Delivery, DeliveryStatus
from tests.e2e.conftest import Harness
from tests.e2e.test_announce import METHODIST, _town

pytestmark = pytest.mark.e2e
TITLE = 'ИИ <на уроке> & "проекты"'
DESCRIPTION = "Возьмите ноутбук & зарядку <обязательно>; 'вопросы' приветствуются"
ANNOUNCEMENT = "Цены < 100 ₽ & скидки > 10 %"


async def test_a_seminar_and_an_announcement_with_markup_characters_reach_everyone(
    harness: Harness,
) -> None:
    h = harness
    await _town(h)
    await h.send(METHODIST, "/seminar_new")
    await h.send(METHODIST, TITLE)
    await h.send(METHODIST, DESCRIPTION)
    await h.send(METHODIST, "25.11.2026 15:00")
    await h.press(METHODIST, "90 мин")
    await h.press(METHODIST, "🏫 Очно")
    await h.send(METHODIST, "Кабинет <5> & холл")
    await h.press(METHODIST, "Без ограничения")
    await h.press(METHODIST, "Готово")
    await h.press(METHODIST, "Все педагоги муниципалитета")
    assert TITLE in h.last_text(METHODIST) and DESCRIPTION in h.last_text(METHODIST)
    await h.press(METHODIST, "📣 Опубликовать")
    await h.send(METHODIST, "/announce")
    await h.send(METHODIST, ANNOUNCEMENT)
    await h.press(METHODIST, "Все педагоги муниципалитета")
    await h.press(METHODIST, "📨 Отправить")
    await h.sender.drain()

    for teacher in (501, 502, 503):
        texts = h.texts(teacher)
        invitation = next(text for text in texts if TITLE in text)
        assert DESCRIPTION in invitation and "Кабинет <5> & холл" in invitation
        assert ANNOUNCEMENT in texts
    card = await h.press(501, "Записаться")  # the invitation becomes the person's card
    assert DESCRIPTION in (card.text or "") and "Вы записаны" in (card.text or "")
    async with h.sessionmaker() as session:
        statuses = set(await session.scalars(select(Delivery.status)))
    assert statuses == {DeliveryStatus.SENT}
