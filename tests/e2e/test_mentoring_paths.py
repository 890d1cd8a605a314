"""Mentoring off the happy path: a declined offer, a withdrawn request, a mentor at capacity,
a partner who blocked the bot, forged and stale buttons, and a mentor who deletes their data."""

import pytest
from sqlalchemy import func, select

from bot.mentoring.callbacks import MentoringCallback
from core.models import Delivery, MentorProfile, Mentorship, MentorshipRequest, Person, Role
from tests.e2e.conftest import Harness
from tests.e2e.test_mentoring import HELLO, MENTEE, MENTOR, METHODIST, _paired, _request
from tests.e2e.test_onboarding import register_teacher
from tests.e2e.test_roles import register_with_role

pytestmark = pytest.mark.e2e
OTHER_MENTEE = 502


async def _status(h: Harness) -> str:
    async with h.sessionmaker() as session:
        request = await session.scalar(select(MentorshipRequest).order_by(MentorshipRequest.id))
        assert request is not None
        return request.status


async def _queue_offer(h: Harness) -> None:
    await register_with_role(h, METHODIST, Role.METHODIST)
    await register_with_role(h, MENTOR, Role.MENTOR)
    await register_teacher(h, MENTEE)
    await _request(h)
    await h.send(METHODIST, "/mentoring")
    await h.press(METHODIST, "1. Петров Пётр Петрович")
    await h.sender.drain()


async def test_a_declined_offer_returns_to_the_queue_flagged(harness: Harness) -> None:
    h = harness
    await _queue_offer(h)
    await h.press(MENTOR, "Отказаться")
    assert "Причину увидит только методист" in h.last_text(MENTOR)
    await h.press(MENTOR, "не мой профиль")
    assert "Заявка вернулась к методисту" in h.last_text(MENTOR)
    assert await _status(h) == "waiting"
    await h.sender.drain()
    assert "Наставник отказался от заявки (не мой профиль)" in h.last_text(METHODIST)
    await h.send(METHODIST, "/mentoring")
    assert "⚠️ Наставник уже отказался (1): не мой профиль" in h.last_text(METHODIST)
    # the old offer cannot be accepted any more (its «Согласен» pressed again)
    stale = MentoringCallback(act="accept", id=1).pack()
    await h.press_data(MENTOR, h.server.last(MENTOR), stale)
    assert "устарела" in h.toasts()[-1]
    async with h.sessionmaker() as session:
        assert await session.scalar(select(func.count()).select_from(Mentorship)) == 0


async def test_a_withdrawn_request_leaves_the_queue(harness: Harness) -> None:
    h = harness
    await register_with_role(h, METHODIST, Role.METHODIST)
    await register_teacher(h, MENTEE)
    await _request(h)
    await h.send(MENTEE, "/mentor")
    assert "ждёт подбора наставника" in h.last_text(MENTEE)
    await h.press(MENTEE, "Отозвать заявку")
    assert "Заявка отозвана" in h.last_text(MENTEE)
    assert await _status(h) == "withdrawn"
    await h.send(METHODIST, "/mentoring")
    assert "Заявок на наставника в очереди нет" in h.last_text(METHODIST)


async def test_a_mentor_at_capacity_is_not_suggested_or_offered(harness: Harness) -> None:
    h = harness
    await _paired(h)
    async with h.sessionmaker() as session:
        mentor = await session.scalar(select(Person).where(Person.telegram_id == MENTOR))
        assert mentor is not None
        profile = await session.get(MentorProfile, mentor.id)
        assert profile is not None
        profile.capacity = 1
        await session.commit()
    await register_teacher(h, OTHER_MENTEE)
    await _request_as(h, OTHER_MENTEE)
    await h.send(METHODIST, "/mentoring")
    queue = h.server.last(METHODIST)
    assert not any("Петров" in label for label in queue.button_texts())
    # an old «pick» button for him (forged here) is refused, nothing is offered
    forged = MentoringCallback(act="pick", id=2, value=mentor.id).pack()
    await h.press_data(METHODIST, queue, forged)
    assert "не может взять подопечного" in h.toasts()[-1] + h.last_text(METHODIST)
    async with h.sessionmaker() as session:
        second = await session.get(MentorshipRequest, 2)
        assert second is not None and second.status == "waiting"


async def _request_as(h: Harness, user: int) -> None:
    await h.send(user, "/mentor")
    await h.press(user, "методическая")
    await h.press(user, "Готово")
    await h.send(user, "Нужна помощь")
    await h.press(user, "Математика")
    await h.press(user, "онлайн")
    await h.press(user, "📨 Отправить")


async def test_a_partner_who_blocked_the_bot_is_reported_to_the_sender(harness: Harness) -> None:
    h = harness
    await _paired(h)
    h.server.inject(
        "copyMessage", status=403, description="Forbidden: bot was blocked by the user"
    )
    await h.send(MENTEE, "/mentor")
    await h.press(MENTEE, "✉️ Написать")
    await h.send(MENTEE, HELLO)
    await h.sender.drain()
    assert "Сообщение не доставлено: Пётр заблокировал(а) бота" in h.last_text(MENTEE)
    # from now on the bot says so at once, and no copy is queued
    await h.press(MENTEE, "✉️ Написать")
    await h.send(MENTEE, "Ещё раз")
    assert "сейчас не получает сообщения бота" in h.last_text(MENTEE)
    async with h.sessionmaker() as session:
        copies = await session.scalar(
            select(func.count()).select_from(Delivery).where(Delivery.key.like("relay:%"))
        )
        assert copies == 1


async def test_nobody_writes_into_a_pair_they_are_not_in(harness: Harness) -> None:
    h = harness
    await _paired(h)
    await register_teacher(h, OTHER_MENTEE)
    await h.send(OTHER_MENTEE, "/start")
    pressed = h.server.last(OTHER_MENTEE)
    sent = len(h.server.chat(MENTOR))
    for act in ("write", "pair", "contacts", "close", "meeting", "problem"):
        await h.press_data(OTHER_MENTEE, pressed, MentoringCallback(act=act, id=1).pack())
    await h.press_data(OTHER_MENTEE, pressed, MentoringCallback(act="pick", id=1, value=2).pack())
    await h.send(OTHER_MENTEE, "Привет, я не из этой пары")
    await h.sender.drain()
    assert len(h.server.chat(MENTOR)) == sent  # nothing reached the pair
    leaked = ("Пётр", "Программа", "Переслано", "Контакт")
    assert not any(word in text for text in h.texts(OTHER_MENTEE) for word in leaked)
    async with h.sessionmaker() as session:
        pair = await session.get(Mentorship, 1)
        assert pair is not None and pair.ended_at is None
        assert not pair.mentor_shares_contact and not pair.mentee_shares_contact


async def test_the_mentor_sees_declared_needs_never_questionnaire_results(
    harness: Harness,
) -> None:
    h = harness
    await _queue_offer(h)
    offer = h.last_text(MENTOR)
    assert "родительские собрания" in offer
    assert "выгорани" not in offer.lower() and "балл" not in offer.lower()
    await h.send(MENTOR, "/mentoring")  # the queue, with every mentee's name, is not his
    assert "доступна только для ролей" in h.last_text(MENTOR)
    async with h.sessionmaker() as session:
        assert await session.scalar(select(func.count()).select_from(Mentorship)) == 0


async def test_a_mentor_who_forgets_ends_the_pair_and_the_mentee_is_told(harness: Harness) -> None:
    h = harness
    await _paired(h)
    await h.send(MENTOR, "/forget")
    await h.press(MENTOR, "Да, удалить")
    await h.sender.drain()
    told = h.texts(MENTEE)
    assert any("завершена: данные удалены по просьбе участника" in text for text in told)
    async with h.sessionmaker() as session:
        pair = await session.get(Mentorship, 1)
        assert pair is not None and pair.mentor_id is None and pair.ended_at is not None
        assert pair.end_reason == "forgotten"
        left = await session.scalars(select(Delivery).where(Delivery.chat_id == MENTOR))
        assert list(left) == []
    await h.send(MENTEE, "/mentor")
    assert "С чем вам нужна помощь" in h.last_text(MENTEE)  # she may ask for a new mentor
