"""A button acts on exactly what its message showed: stale drafts do nothing but say so."""

import pytest
from sqlalchemy import func, select

from core.models import Campaign, Delivery, Seminar
from tests.e2e.conftest import Harness
from tests.e2e.test_announce import METHODIST, _town

pytestmark = pytest.mark.e2e
CBI = "Профессиональное самочувствие (риск выгорания, CBI)"


async def queued(h: Harness) -> int:
    async with h.sessionmaker() as session:
        return await session.scalar(select(func.count()).select_from(Delivery)) or 0


async def test_an_old_send_button_never_sends_a_newer_draft(harness: Harness) -> None:
    h = harness
    await _town(h)
    await h.send(METHODIST, "/announce")
    await h.send(METHODIST, "Первый текст")
    await h.press(METHODIST, "Все педагоги муниципалитета")
    old_preview, old_send = h.server.find_button(METHODIST, "📨 Отправить")
    await h.send(METHODIST, "/announce")  # a new draft: the first one is gone
    await h.send(METHODIST, "Второй текст")  # its audience is not chosen yet
    before = await queued(h)
    await h.press_data(METHODIST, old_preview, old_send)
    assert "устарела" in h.toasts()[-1]
    assert await queued(h) == before
    # the new draft's own send, forged before any audience was chosen: refused, nothing sent
    new_kinds = h.server.last(METHODIST)
    draft = new_kinds.buttons()[0]["callback_data"].split(":")[2]
    await h.press_data(METHODIST, new_kinds, f"an2:1:{draft}")
    assert "устарела" in h.toasts()[-1]  # the draft is not at its preview
    assert await queued(h) == before


async def test_an_old_publish_button_does_not_publish_a_newer_seminar(harness: Harness) -> None:
    h = harness
    await _town(h)
    await h.send(METHODIST, "/seminar_new")
    await h.send(METHODIST, "Первый семинар")
    await h.press(METHODIST, "Пропустить")
    await h.send(METHODIST, "25.11.2026 15:00")
    await h.press(METHODIST, "90 мин")
    await h.press(METHODIST, "💻 Онлайн")
    await h.send(METHODIST, "https://meet.example.org/one")
    await h.press(METHODIST, "Без ограничения")
    await h.press(METHODIST, "Готово")
    await h.press(METHODIST, "Все педагоги муниципалитета")
    card, publish = h.server.find_button(METHODIST, "📣 Опубликовать")
    await h.send(METHODIST, "/seminar_new")
    await h.send(METHODIST, "Второй семинар")
    await h.press_data(METHODIST, card, publish)
    assert "устарела" in h.toasts()[-1]
    async with h.sessionmaker() as session:
        statuses = list(await session.scalars(select(Seminar.status)))
    assert statuses == ["draft"] and await queued(h) == 0


async def test_an_old_launch_button_does_not_launch_a_newer_campaign(harness: Harness) -> None:
    h = harness
    await _town(h)
    await h.send(METHODIST, "/campaign_new")
    await h.press(METHODIST, CBI)
    await h.press(METHODIST, "Все педагоги муниципалитета")
    await h.press(METHODIST, "Сразу после запуска")
    await h.press(METHODIST, "Через 7 дней")
    await h.press(METHODIST, "Готово")
    await h.press(METHODIST, "🔒 Конфиденциально")
    preview, launch = h.server.find_button(METHODIST, "🚀 Запустить")
    await h.send(METHODIST, "/campaign_new")
    await h.press(METHODIST, CBI)
    await h.press_data(METHODIST, preview, launch)
    assert "устарела" in h.toasts()[-1]
    async with h.sessionmaker() as session:
        statuses = list(await session.scalars(select(Campaign.status)))
    assert statuses == ["draft"] and await queued(h) == 0
