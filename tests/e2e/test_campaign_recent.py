"""A teacher who answered recently is not simply asked again: the answer counts, or the
bot says why an anonymous campaign needs a new one."""

import pytest
from sqlalchemy import func, select

from core.models import Answer, CampaignMember, Response
from tests.e2e.conftest import Harness
from tests.e2e.test_announce import METHODIST, _town
from tests.e2e.test_campaigns import CBI, answer_all
from tests.e2e.test_surveys import answer_cbi

pytestmark = pytest.mark.e2e


async def launch(h: Harness, mode: str) -> None:
    await h.send(METHODIST, "/campaign_new")
    await h.press(METHODIST, CBI)
    await h.press(METHODIST, "Все педагоги муниципалитета")
    await h.press(METHODIST, "Сразу после запуска")
    await h.press(METHODIST, "Через 7 дней")
    await h.press(METHODIST, "Готово")
    await h.press(METHODIST, mode)
    await h.press(METHODIST, "🚀 Запустить")
    await h.sender.drain()


async def test_a_recent_answer_counts_in_a_confidential_campaign(harness: Harness) -> None:
    h = harness
    await _town(h)
    await answer_cbi(h, 501, "Иногда", "В некоторой степени")
    await launch(h, "🔒 Конфиденциально")
    await h.press(501, "📝 Пройти анкету")
    assert "Вы уже отвечали на эту анкету 23.11.2026" in h.last_text(501)
    await h.press(501, "✅ Учесть ответ от 23.11.2026")
    assert "заполнена" in h.last_text(501)
    async with h.sessionmaker() as session:
        done = await session.scalar(
            select(func.count()).where(CampaignMember.completed_on.is_not(None))
        )
        copies = list(
            await session.scalars(select(Response).where(Response.campaign_id.is_not(None)))
        )
        assert done == 1 and len(copies) == 1 and copies[0].status == "completed"
        answers = await session.scalar(
            select(func.count()).where(Answer.response_id == copies[0].id)
        )
        assert answers == 19
    await h.press(502, "📝 Пройти анкету")  # no recent answer: straight to the first item
    assert "1 / 19" in h.last_text(502)


async def test_an_anonymous_campaign_says_why_it_asks_again(harness: Harness) -> None:
    h = harness
    await _town(h)
    await answer_cbi(h, 501, "Иногда", "В некоторой степени")
    await launch(h, "🕶 Анонимно")
    message = await h.press(501, "📝 Пройти анкету")
    assert "анонимное" in h.last_text(501) and "учесть его нельзя" in h.last_text(501)
    assert message.button_texts() == ["📝 Ответить заново"]
    await h.press(501, "📝 Ответить заново")
    assert "1 / 19" in h.last_text(501)
    await answer_all(h, 501)
    async with h.sessionmaker() as session:
        mine = list(await session.scalars(select(Response.anonymous)))
        assert sorted(mine) == [False, True]  # the named answer is not copied anywhere
