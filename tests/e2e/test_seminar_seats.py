"""Seminars under races and stale buttons: the last seat, a started or cancelled seminar."""

import asyncio

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from core.models import Registration, RegistrationStatus, Seminar
from core.seminars import listing
from tests.e2e.conftest import Harness
from tests.e2e.test_announce import METHODIST, _town
from tests.e2e.test_seminars import create_online_seminar
from tests.fake_telegram import SentMessage

pytestmark = pytest.mark.e2e


async def test_two_people_pressing_at_once_for_the_last_seat(
    harness: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    h = harness
    looked_up = listing.registration_of

    async def slow(session: AsyncSession, seminar_id: int, person_id: int) -> Registration | None:
        found = await looked_up(session, seminar_id, person_id)
        await asyncio.sleep(0.2)  # the other press gets as far as it can meanwhile
        return found

    monkeypatch.setattr(listing, "registration_of", slow)
    await _town(h)
    await create_online_seminar(h, capacity="1")
    await h.press(METHODIST, "📣 Опубликовать")
    await h.sender.drain()
    first = h.server.find_button(501, "Записаться")
    second = h.server.find_button(502, "Записаться")
    await asyncio.gather(h.press_data(501, *first), h.press_data(502, *second))
    async with h.sessionmaker() as session:
        seated = await session.scalar(
            select(func.count()).where(Registration.status == RegistrationStatus.REGISTERED)
        )
    assert seated == 1
    toasts = h.toasts()[-2:]
    assert any("Вы записаны" in t for t in toasts) and any("листе ожидания" in t for t in toasts)
    assert not any("пошло не так" in text for u in (501, 502) for text in h.texts(u))


async def test_a_forged_sign_up_for_another_municipality_is_refused(harness: Harness) -> None:
    h = harness
    await _town(h)
    await create_online_seminar(h, capacity="30")
    await h.press(METHODIST, "📣 Опубликовать")
    await h.sender.drain()
    _, data = h.server.find_button(501, "Записаться")
    await h.send(504, "/seminars")
    assert "пока нет" in h.last_text(504)
    await h.press_data(504, h.server.last(504), data)
    assert "устарела" in h.toasts()[-1]
    assert "meet.example.org" not in " ".join(h.texts(504))
    async with h.sessionmaker() as session:
        assert await session.scalar(select(func.count()).select_from(Registration)) == 0


async def one_seat_one_waiting(h: Harness) -> SentMessage:
    """A published online seminar of one seat: 501 has it, 502 waits; 502's card."""
    await _town(h)
    await create_online_seminar(h, capacity="1")
    await h.press(METHODIST, "📣 Опубликовать")
    await h.sender.drain()
    await h.press(501, "Записаться")
    waiting = await h.press(502, "Записаться")
    assert "листе ожидания" in h.toasts()[-1]
    return waiting


async def test_more_seats_go_to_the_waiting_list(harness: Harness) -> None:
    h = harness
    waiting = await one_seat_one_waiting(h)
    await h.send(METHODIST, "/myseminars")
    await h.press(METHODIST, "Изменить")
    await h.press(METHODIST, "Места")
    await h.press(METHODIST, "30")
    await h.sender.drain()
    promoted = h.server.last(502)
    assert "Освободилось место" in (promoted.caption or "")
    assert "meet.example.org/fo" in (promoted.caption or "")
    assert "листе ожидания" not in (waiting.text or "")  # the old card is up to date
    assert waiting.button_texts() == ["Отменить запись"]


async def test_seats_cannot_go_below_the_people_signed_up(harness: Harness) -> None:
    """Three signed up for 30 seats; the organiser types 2: refused with the count, nothing
    changed, and the question stays for another number."""
    h = harness
    await _town(h)
    await create_online_seminar(h, capacity="30")
    await h.press(METHODIST, "📣 Опубликовать")
    await h.sender.drain()
    for teacher in (501, 502, 503):
        await h.press(teacher, "Записаться")
    await h.send(METHODIST, "/myseminars")
    await h.press(METHODIST, "Изменить")
    await h.press(METHODIST, "Места")
    await h.send(METHODIST, "2")
    refusal, asked_again = h.server.chat(METHODIST)[-2:]
    assert "Уже записано 3" in (refusal.text or "")
    assert "Сколько мест?" in (asked_again.text or "")
    async with h.sessionmaker() as session:
        assert await session.scalar(select(Seminar.capacity)) == 30
    await h.send(METHODIST, "3")  # the same question takes the next answer
    async with h.sessionmaker() as session:
        assert await session.scalar(select(Seminar.capacity)) == 3
