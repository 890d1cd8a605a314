"""Campaigns: a methodist sends a questionnaire to an audience; reminders reach only those who
have not completed; the deadline closes it; rates are shown with small groups hidden."""

import asyncio
import json
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from core.models import (
    AnonymousResponse,
    Campaign,
    CampaignMember,
    Completion,
    Delivery,
    Person,
    Response,
    ResponseStatus,
)
from core.scheduler import JobContext, tick
from core.texts import load_catalogues
from surveys.registry import load_all
from tests.e2e.conftest import Harness
from tests.e2e.test_announce import METHODIST, _town

pytestmark = pytest.mark.e2e
CBI = "Профессиональное самочувствие (риск выгорания, CBI)"
SATISFACTION = "Удовлетворённость методической поддержкой"
DONE = "Спасибо! Анкета"
# The harness clock: 23.11.2026 09:00 UTC = 14:00 in Novotroitsk (Asia/Yekaterinburg, UTC+5).
# "In 7 days" is the end of 30.11 local time: 23:59 +05 = 18:59 UTC.
DEADLINE_UTC = datetime(2026, 11, 30, 18, 59, tzinfo=UTC)


async def run_tick(h: Harness, at: datetime) -> None:
    h.clock.now = at
    context = JobContext(load_catalogues(), h.dp["settings"], load_all())
    await tick(h.sessionmaker, context, at)
    await h.sender.drain()


async def answer_all(h: Harness, user_id: int, limit: int | None = None, pick: int = 0) -> None:
    """Answer each question with option `pick` (skipping optional ones) until the result, or
    only `limit` questions."""
    answered = 0
    while DONE not in h.last_text(user_id) and (limit is None or answered < limit):
        labels = [b for b in h.server.last(user_id).button_texts() if b != "« Назад"]
        if "Пропустить" in labels:
            await h.press(user_id, "Пропустить")
        elif labels:
            await h.press(user_id, labels[pick])
        else:
            await h.send(user_id, "Спасибо за поддержку")
        answered += 1


async def launch_cbi_for_everyone(h: Harness) -> None:
    await h.send(METHODIST, "/campaign_new")
    assert "Какую анкету" in h.last_text(METHODIST)
    assert "Отзыв о семинаре" not in " ".join(h.server.last(METHODIST).button_texts())
    await h.press(METHODIST, CBI)
    await h.press(METHODIST, "Все педагоги муниципалитета")
    await h.press(METHODIST, "Сразу после запуска")
    await h.press(METHODIST, "Через 7 дней")
    assert h.server.last(METHODIST).button_texts()[:4] == [
        "за 7 дн.",
        "✅ за 3 дн.",  # the default: 3 days and 1 day before the deadline
        "за 2 дн.",
        "✅ за 1 дн.",
    ]
    await h.press(METHODIST, "Готово")
    await h.press(METHODIST, "🔒 Конфиденциально")
    preview = h.last_text(METHODIST)
    assert "Все педагоги муниципалитета — 3 чел." in preview  # the methodist is not one
    assert "Срок: до 30.11.2026 23:59" in preview
    assert "за 3, 1 дн. до срока" in preview
    await h.press(METHODIST, "🚀 Запустить")
    assert "очередь для 3 чел." in h.texts(METHODIST)[-2]
    await h.sender.drain()


async def test_reminders_reach_only_those_who_have_not_completed(harness: Harness) -> None:
    h = harness
    await _town(h)
    await launch_cbi_for_everyone(h)
    for teacher in (501, 502, 503):
        invitation = h.last_text(teacher)
        assert "Анкета «Профессиональное самочувствие" in invitation
        assert "до 30.11.2026 23:59" in invitation and "Конфиденциально" in invitation
    assert "Анкета" not in h.last_text(504)  # another municipality

    await h.press(501, "📝 Пройти анкету")
    assert "1 / 19" in h.last_text(501)
    await answer_all(h, 501)
    await h.press(502, "📝 Пройти анкету")
    await answer_all(h, 502, limit=3)  # started, not finished
    await h.send(503, "/surveys")
    assert f"{CBI} (до 30.11 23:59)" in h.server.last(503).button_texts()

    # three days before the deadline: everyone who has not completed, 501 not
    sent = len(h.server.calls_of("sendMessage"))
    await run_tick(h, DEADLINE_UTC - timedelta(days=3) + timedelta(minutes=1))
    reminded = {int(c.params["chat_id"]) for c in h.server.calls_of("sendMessage")[sent:]}
    assert reminded == {502, 503}
    assert "Напоминание" in h.last_text(502)
    await run_tick(h, DEADLINE_UTC - timedelta(days=3) + timedelta(minutes=2))  # nothing new
    assert len(h.server.calls_of("sendMessage")) == sent + 2

    await h.press(503, "📝 Пройти анкету")
    await answer_all(h, 503)
    await h.press(502, "📝 Пройти анкету")  # the reminder's button resumes at question 4
    assert "4 / 19" in h.last_text(502)

    sent = len(h.server.calls_of("sendMessage"))
    await run_tick(h, DEADLINE_UTC - timedelta(days=1) + timedelta(minutes=1))
    reminded = {int(c.params["chat_id"]) for c in h.server.calls_of("sendMessage")[sent:]}
    assert reminded == {502}

    await h.send(METHODIST, "/campaigns")
    listing = h.last_text(METHODIST)
    assert "№1 «Профессиональное самочувствие (риск выгорания, CBI)» — идёт" in listing
    # three invited: fewer than 5, so neither the answers nor the group size is shown
    assert "Ответили: скрыто (в группе меньше 5 человек)" in listing
    assert "По школам" not in " ".join(h.server.last(METHODIST).button_texts())

    await run_tick(h, DEADLINE_UTC + timedelta(minutes=1))
    # the methodist's weekly summary, due since Monday, may arrive in the same tick
    assert any("завершено. Ответили: скрыто" in text for text in h.texts(METHODIST)[-4:])
    await h.press(502, "Никогда или почти никогда")  # a button of the open question, too late
    assert h.toasts()[-1] == "Эта анкета уже закрыта."
    await h.send(502, "/surveys")
    assert "(до 30.11" not in " ".join(h.server.last(502).button_texts())
    async with h.sessionmaker() as session:
        done = await session.scalars(
            select(CampaignMember.person_id).where(CampaignMember.completed_on.is_not(None))
        )
        assert len(list(done)) == 2
        unfinished = await session.scalar(
            select(func.count()).select_from(Response).where(Response.status == "in_progress")
        )
        assert unfinished == 1  # confidential: 502's own partial answers are kept
    await h.send(501, "/mydata")  # the person's own export holds the answers and the campaign
    record = json.loads(h.server.last(501).document or b"")
    (cbi,) = record["questionnaires"]
    assert cbi["instrument"] == "cbi" and len(cbi["answers"]) == 19
    assert cbi["scores"]["derived"]["overall"]["band"] == "low"
    assert record["campaigns"] == [
        {
            "campaign_id": cbi["campaign_id"],
            "instrument": "cbi",
            "completed_on": "2026-11-23T00:00:00+00:00",
            "school": "МОАУ «СОШ № 1»",
        }
    ]


async def test_a_scheduled_anonymous_campaign_keeps_no_link(harness: Harness) -> None:
    h = harness
    await _town(h)
    await h.send(METHODIST, "/campaign_new")
    await h.press(METHODIST, SATISFACTION)
    await h.press(METHODIST, "Выбранные школы")
    await h.press(METHODIST, "МОАУ «СОШ № 1»")
    await h.press(METHODIST, "Готово")
    await h.send(METHODIST, "/campaigns")  # a command while a date is awaited is a command
    assert "Анкетирований пока нет" in h.last_text(METHODIST)
    await h.send(METHODIST, "завтра")
    assert "Не понял дату" in h.texts(METHODIST)[-2]
    await h.send(METHODIST, "25.11.2026 09:00")  # local time: 04:00 UTC
    await h.send(METHODIST, "25.11.2026 09:30")
    assert "хотя бы на час позже" in h.texts(METHODIST)[-2]
    await h.send(METHODIST, "27.11.2026 18:00")
    await h.press(METHODIST, "Готово")  # an anonymous instrument: the mode is not asked
    preview = h.last_text(METHODIST)
    assert "Выбранные школы (1) — 2 чел." in preview
    assert "Открытие: 25.11.2026 09:00" in preview and "🕶 Анонимно" in preview
    await h.press(METHODIST, "🚀 Запустить")
    assert "приглашения уйдут 25.11.2026 09:00" in h.last_text(METHODIST)

    await run_tick(h, datetime(2026, 11, 25, 3, 59, tzinfo=UTC))
    assert "Удовлетворённость" not in h.last_text(501)
    await run_tick(h, datetime(2026, 11, 25, 4, 0, tzinfo=UTC))
    assert "«Удовлетворённость методической поддержкой» открылось" in h.last_text(METHODIST)
    assert "для 2 чел." in h.last_text(METHODIST)
    for teacher in (501, 502):
        assert "Анонимно" in h.last_text(teacher)
    assert "Удовлетворённость" not in h.last_text(503)  # another school
    invitation, take = h.server.find_button(501, "📝 Пройти анкету")
    await h.press_data(501, invitation, take)
    await answer_all(h, 501, limit=7)
    assert "Что нам стоит изменить?" in h.last_text(501)  # a free-text item
    await h.send(501, "/help")  # a command, not the answer
    assert "Что умеет PedPulse" in h.last_text(501)
    await h.send(501, "Больше практики")
    assert DONE in h.last_text(501)
    await h.press_data(501, invitation, take)  # the invitation's button once more
    assert h.toasts()[-1] == "Вы уже ответили на эту анкету. Спасибо!"
    await h.press(502, "📝 Пройти анкету")
    await answer_all(h, 502, limit=7)  # stopped at the free-text item

    await run_tick(h, datetime(2026, 11, 27, 13, 1, tzinfo=UTC))  # 18:01 local: closed
    await h.send(502, "Больше практики")  # typed after the closing: refused once, then free
    assert h.last_text(502) == "Эта анкета уже закрыта."
    await h.send(502, "Больше практики")
    assert h.last_text(502) != "Эта анкета уже закрыта."
    async with h.sessionmaker() as session:
        # 502's unfinished one went (it still named them); 501's waits for more of its kind:
        # released alone it would be the campaign's only answer, and its member rows say who
        held = list(await session.scalars(select(Response)))
        owner = await session.scalar(select(Person.id).where(Person.telegram_id == 501))
        assert [(r.person_id, r.status) for r in held] == [(owner, ResponseStatus.COMPLETED)]
        assert list(await session.scalars(select(AnonymousResponse))) == []
        assert await session.scalar(select(func.count()).select_from(Completion)) == 0
        member = await session.scalar(
            select(CampaignMember).where(CampaignMember.completed_on.is_not(None))
        )
        assert member is not None and member.completed_on is not None
        assert (member.completed_on.hour, member.completed_on.minute) == (0, 0)  # the day only


async def test_form_corrections_stale_buttons_and_refusals(harness: Harness) -> None:
    h = harness
    await _town(h)
    await h.send(501, "/campaign_new")
    assert "доступна только для ролей" in h.last_text(501)
    await h.send(METHODIST, "/campaign_new")
    await h.press(METHODIST, CBI)
    await h.send(METHODIST, "всем")  # text where a button is expected
    assert "кнопкой" in h.texts(METHODIST)[-2]  # then the question again
    await h.press(METHODIST, "Молодые педагоги")
    await h.press(METHODIST, "Сразу после запуска")
    await h.press(METHODIST, "Через 14 дней")
    await h.press(METHODIST, "✅ за 3 дн.")
    await h.press(METHODIST, "✅ за 1 дн.")
    await h.press(METHODIST, "Готово")
    form = await h.press(METHODIST, "🕶 Анонимно")  # the form's message, edited in place
    assert "Без напоминаний" in (form.text or "")
    assert "Молодые педагоги — 2 чел." in (form.text or "")
    await h.press(METHODIST, "Анкета")
    await h.press(METHODIST, "Самооценка профессиональных дефицитов")
    assert "Анкета: «Самооценка профессиональных дефицитов»" in (form.text or "")
    assert "🕶 Анонимно" in (form.text or "")  # another instrument does not undo anonymity
    await h.press(METHODIST, "Анкета")
    await h.press(METHODIST, CBI)
    await h.press(METHODIST, "Открытие")
    await h.send(METHODIST, "10.12.2026 09:00")  # after the deadline (07.12): asked again
    assert "До какого срока" in h.last_text(METHODIST)
    form = await h.press(METHODIST, "Через 7 дней")
    assert "Открытие: 10.12.2026 09:00" in (form.text or "")
    assert "Срок: до 17.12.2026 23:59" in (form.text or "")
    await h.press(METHODIST, "Открытие")
    await h.press(METHODIST, "Сразу после запуска")  # the later deadline still fits
    assert "Открытие: сразу после запуска" in (form.text or "")
    assert "Срок: до 17.12.2026 23:59" in (form.text or "")
    await h.press(METHODIST, "Получатели")
    await h.press(METHODIST, "Наставники")
    assert "Наставники — 0 чел." in (form.text or "")
    await h.press(METHODIST, "🚀 Запустить")
    assert "никого нет" in h.toasts()[-1]
    await h.press(METHODIST, "Получатели")
    await h.press(METHODIST, "Все педагоги муниципалитета")
    message, launch = h.server.find_button(METHODIST, "🚀 Запустить")
    await h.press_data(METHODIST, message, launch)
    await h.press_data(METHODIST, message, launch)  # a double tap launches once
    assert "устарела" in h.toasts()[-1]
    async with h.sessionmaker() as session:
        assert await session.scalar(select(func.count()).select_from(Campaign)) == 1
        assert await session.scalar(select(func.count()).select_from(CampaignMember)) == 3
        invitations = await session.scalar(
            select(func.count()).select_from(Delivery).where(Delivery.key.like("cmp:%:invite:%"))
        )
        assert invitations == 3
    await h.send(METHODIST, "/campaigns")
    assert "«Профессиональное самочувствие" in h.last_text(METHODIST)
    assert "анонимно" in h.last_text(METHODIST)
    await h.sender.drain()
    await h.press(501, "📝 Пройти анкету")
    await answer_all(h, 501, pick=-1)  # "always": a high burnout-risk result
    assert "высокий уровень" in h.last_text(501)
    assert "по ним с вами никто не свяжется" in h.last_text(501)
    assert h.server.last(501).button_texts() == []  # no "contact me": it would undo anonymity

    await h.send(METHODIST, "/campaigns")  # closing early, with a confirmation
    await h.press(METHODIST, "⏹ №1: завершить досрочно")
    assert "Ответы больше не будут приниматься" in h.last_text(METHODIST)
    assert h.server.last(METHODIST).button_texts() == ["Да, завершить сейчас", "Нет"]
    await h.press(METHODIST, "Нет")
    assert h.last_text(METHODIST) == "Хорошо, ничего не меняем."
    await h.press(METHODIST, "⏹ №1: завершить досрочно")
    confirm, yes = h.server.find_button(METHODIST, "Да, завершить сейчас")
    await h.press_data(METHODIST, confirm, yes)
    assert h.last_text(METHODIST).startswith("Анкетирование завершено")
    await h.press_data(METHODIST, confirm, yes)
    assert "устарела" in h.toasts()[-1]
    await h.press(502, "📝 Пройти анкету")
    assert h.toasts()[-1] == "Эта анкета уже закрыта."
    await h.sender.drain()
    assert "завершено. Ответили: скрыто" in h.last_text(METHODIST)
    await h.send(METHODIST, "/campaigns")
    assert "— завершено" in h.last_text(METHODIST)
    assert "завершить досрочно" not in " ".join(h.server.last(METHODIST).button_texts())


async def test_two_ticks_at_once_open_a_scheduled_campaign_once(
    harness: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    """Two instances' jobs overlapping (a leader handing over) invite each teacher once."""
    h = harness
    await _town(h)
    await h.send(METHODIST, "/campaign_new")
    for button in (SATISFACTION, "Выбранные школы", "МОАУ «СОШ № 1»", "Готово"):
        await h.press(METHODIST, button)
    await h.send(METHODIST, "25.11.2026 09:00")
    await h.send(METHODIST, "27.11.2026 18:00")
    await h.press(METHODIST, "Готово")
    await h.press(METHODIST, "🚀 Запустить")
    opening = datetime(2026, 11, 25, 4, 0, tzinfo=UTC)
    h.clock.now = opening
    context = JobContext(load_catalogues(), h.dp["settings"], load_all())
    await asyncio.gather(*(tick(h.sessionmaker, context, opening) for _ in range(2)))
    await h.sender.drain()
    async with h.sessionmaker() as session:
        members = await session.scalar(select(func.count()).select_from(CampaignMember))
    assert members == 2
    for teacher in (501, 502):
        invitations = [t for t in h.texts(teacher) if "Удовлетворённость" in t]
        assert len(invitations) == 1
    assert not [r for r in caplog.records if r.levelname == "ERROR"]  # no job failed
