"""Mentoring as people live it: a request, pairing, a relayed conversation, contacts only by
mutual consent, the meetings journal, closing with the satisfaction questionnaire."""

import pytest
from sqlalchemy import func, select

from core.models import Delivery, MentorMeeting, Mentorship, Relay, Role
from tests import factories
from tests.e2e.conftest import Harness
from tests.e2e.test_onboarding import register_teacher
from tests.e2e.test_roles import register_with_role

pytestmark = pytest.mark.e2e
METHODIST, MENTOR, MENTEE = 400, 401, 501
HELLO = "Здравствуйте! Помогите с рабочей программой, пожалуйста."


async def _request(h: Harness) -> None:
    await h.send(MENTEE, "/mentor")
    assert "С чем вам нужна помощь" in h.last_text(MENTEE)
    await h.press(MENTEE, "методическая")
    assert "✅ методическая" in h.server.last(MENTEE).button_texts()
    await h.press(MENTEE, "Готово")
    await h.send(MENTEE, "Как вести родительские собрания")
    await h.press(MENTEE, "Математика")
    await h.press(MENTEE, "переписка в боте")
    preview = h.last_text(MENTEE)
    assert "Области: методическая" in preview and "родительские собрания" in preview
    await h.press(MENTEE, "📨 Отправить")
    assert "Заявка отправлена методисту" in h.last_text(MENTEE)


async def _paired(h: Harness) -> None:
    await register_with_role(h, METHODIST, Role.METHODIST)
    await register_with_role(h, MENTOR, Role.MENTOR)
    await register_teacher(h, MENTEE)
    await _request(h)
    await h.send(METHODIST, "/mentoring")
    queue = h.last_text(METHODIST)
    assert "Заявка 1 из 1" in queue and "Иванова Мария Петровна" in queue
    assert "1. Петров Пётр Петрович: тот же предмет, та же школа, свободных мест: 2" in queue
    await h.press(METHODIST, "1. Петров Пётр Петрович")
    assert "Заявка отправлена наставнику" in h.last_text(METHODIST)
    await h.sender.drain()
    offer = h.last_text(MENTOR)
    assert "Вам предлагают стать наставником" in offer and "родительские собрания" in offer
    await h.press(MENTOR, "✅ Согласен(на)")
    assert "Вы наставник: Мария" in h.last_text(MENTOR)
    await h.sender.drain()
    assert "У вас есть наставник: Пётр" in h.last_text(MENTEE)


async def _log_meeting(h: Harness) -> None:
    """The mentor logs yesterday's online meeting on the first goal, with a note."""
    await h.press(MENTOR, "📝 Записать встречу")
    await h.press(MENTOR, "Вчера")
    await h.press(MENTOR, "онлайн")
    await h.press(MENTOR, "Освоить методические приёмы для своих уроков")
    await h.send(MENTOR, "Разобрали технологическую карту урока")
    preview = h.last_text(MENTOR)
    assert "День: 22.11.2026" in preview and "Формат: онлайн" in preview
    assert "Цель: Освоить методические приёмы" in preview
    await h.press(MENTOR, "✅ Записать в журнал")
    assert "Встреча 22.11.2026 записана" in h.last_text(MENTOR)
    await h.sender.drain()
    asked = h.last_text(MENTEE)
    assert "Пётр записал(а) встречу" in asked and "технологическую карту" in asked


async def test_a_whole_mentoring_journey(harness: Harness) -> None:
    h = harness
    await _paired(h)
    await h.press(MENTEE, "Открыть пару")
    pair = h.last_text(MENTEE)
    assert "Программа наставничества до 31.05.2027" in pair
    assert "1. Освоить методические приёмы для своих уроков" in pair
    assert "2. Как вести родительские собрания — до 31.05.2027" in pair

    # the mentee writes; the mentor gets a copy under her first name
    await h.press(MENTEE, "✉️ Написать")
    await h.send(MENTEE, HELLO)
    assert h.last_text(MENTEE) == "Переслано: Пётр."
    await h.sender.drain()
    copy = h.server.last(MENTOR)
    assert copy.text == HELLO and copy.button_texts() == ["↩️ Ответить (Мария)"]

    # the mentor answers with Telegram's «Ответить» and a document
    file_id = h.server.user_file(b"%PDF plan", "plan.pdf")
    answer = factories.document(MENTOR, file_id, "plan.pdf", "Вот образец")
    answer["message"]["reply_to_message"] = h.server.message_json(copy)
    await h.send_raw(answer)
    await h.sender.drain()
    got = h.server.last(MENTEE)
    assert got.document == b"%PDF plan" and got.caption == "Вот образец"
    async with h.sessionmaker() as session:
        kinds = list(await session.scalars(select(Relay.kind).order_by(Relay.id)))
        assert kinds == ["text", "document"]
        kept = await session.scalar(
            select(func.count()).select_from(Delivery).where(Delivery.text.contains("рабочей"))
        )
        assert kept == 0  # the relayed text is nowhere in the outbox

    # contacts open only when both agree
    await h.press(MENTEE, "🤝 Обменяться контактами")
    assert "когда согласится и Пётр" in h.last_text(MENTEE)
    await h.sender.drain()
    assert not any("Контакт:" in text for text in h.texts(MENTEE) + h.texts(MENTOR))
    await h.press(MENTOR, "🤝 Обменяться контактами")
    assert h.last_text(MENTOR).startswith("Контакт: Мария")
    await h.sender.drain()
    assert h.last_text(MENTEE).startswith("Контакт: Пётр")

    # a meeting logged by the mentor, confirmed by the mentee
    await h.send(MENTOR, "/mentees")
    await _log_meeting(h)
    await h.press(MENTEE, "✅ Подтвердить")
    assert "подтверждена" in h.last_text(MENTEE)

    # the mentee ends the pair; the mentor is told; she is asked about it anonymously
    await h.send(MENTEE, "/mentor")
    await h.press(MENTEE, "Завершить")
    await h.press(MENTEE, "цели достигнуты")
    assert "Пара завершена: цели достигнуты" in h.last_text(MENTEE)
    await h.sender.drain()
    assert "завершена: цели достигнуты" in h.last_text(MENTOR)
    assert "оцените наставничество" in h.last_text(MENTEE)
    await h.press(MENTEE, "📝 Пройти анкету")
    assert "Удовлетворённость наставничеством" in h.last_text(MENTEE)
    assert "анонимн" in h.last_text(MENTEE).lower()

    # a closed pair relays nothing, even from an old button
    before = len(h.server.chat(MENTEE))
    await h.press(MENTOR, "↩️ Ответить (Мария)")
    assert "уже завершена" in h.toasts()[-1]
    await h.sender.drain()
    assert len(h.server.chat(MENTEE)) == before
    async with h.sessionmaker() as session:
        meeting = await session.scalar(select(MentorMeeting))
        assert meeting is not None and meeting.confirmed_at is not None
        closed = await session.scalar(select(Mentorship))
        assert closed is not None and closed.end_reason == "goals_met"
