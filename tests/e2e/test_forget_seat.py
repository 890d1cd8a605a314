"""/forget gives up the person's seats: the first on each waiting list gets the seat, with the
calendar file and their card brought up to date, as when someone cancels."""

import pytest
from sqlalchemy import select

from core.models import Registration
from tests.e2e.conftest import Harness
from tests.e2e.test_seminar_seats import one_seat_one_waiting

pytestmark = pytest.mark.e2e


async def test_a_seat_freed_by_forget_goes_to_the_first_on_the_waiting_list(
    harness: Harness,
) -> None:
    h = harness
    waiting = await one_seat_one_waiting(h)

    await h.send(501, "/forget")
    await h.press(501, "Да, удалить")
    assert "данные удалены" in h.last_text(501)
    await h.sender.drain()

    promoted = h.server.last(502)
    assert "Освободилось место" in (promoted.caption or "")
    assert "meet.example.org/fo" in (promoted.caption or "")  # the link comes with the seat
    assert promoted.filename and promoted.filename.endswith(".ics")
    assert "Вы записаны" in (waiting.text or "") and "листе ожидания" not in (waiting.text or "")
    assert waiting.button_texts() == ["Отменить запись"]
    async with h.sessionmaker() as session:
        left = list(await session.scalars(select(Registration.status)))
    assert left == ["registered"]  # 502's seat; 501's row went with them
