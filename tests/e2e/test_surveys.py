"""Questionnaires in the bot: one item per message, back, stale buttons, resume, results."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.app import build_dispatcher, release
from core.models import Answer, Response, Seminar
from tests.e2e.conftest import Harness
from tests.e2e.test_onboarding import TEACHER, register_teacher

pytestmark = pytest.mark.e2e
OFTEN, SOMETIMES = "Часто", "Иногда"


async def test_cbi_with_back_stale_buttons_and_a_restart(harness: Harness) -> None:
    h = harness
    await register_teacher(h)
    await h.send(TEACHER, "/surveys")
    await h.press(TEACHER, "Профессиональное самочувствие (риск выгорания, CBI)")
    first = h.last_text(TEACHER)
    assert "Конфиденциально" in first and "1 / 19" in first and "усталость" in first
    messages = len(h.server.chat(TEACHER))
    message = await h.press(TEACHER, OFTEN)
    assert "2 / 19" in h.last_text(TEACHER)
    assert len(h.server.chat(TEACHER)) == messages  # the question is edited in place
    _, often_q1 = h.server.find_button(TEACHER, OFTEN)  # now a button of question 2
    await h.press(TEACHER, "« Назад")
    assert "1 / 19" in h.last_text(TEACHER)
    await h.press(TEACHER, SOMETIMES)
    await h.press_data(TEACHER, message, often_q1.replace(":1:", ":0:"))  # q1 button again
    assert "3 / 19" not in h.last_text(TEACHER)  # a repeated q1 press changed nothing
    for _ in range(5):
        await h.press(TEACHER, OFTEN)
    assert "7 / 19" in h.last_text(TEACHER)

    # the bot restarts: a new dispatcher on the same database resumes at item 7
    await release(h.dp)
    h.dp = build_dispatcher(h.dp["settings"], h.sessionmaker, h.clock)
    await h.send(TEACHER, "/surveys")
    assert "продолжить" in " ".join(h.server.last(TEACHER).button_texts())
    await h.press(TEACHER, "Профессиональное самочувствие (риск выгорания, CBI) — продолжить")
    assert "7 / 19" in h.last_text(TEACHER)
    for _ in range(13):  # q7..q19: "В большой степени" / "Часто" are both code 4
        labels = h.server.last(TEACHER).button_texts()
        await h.press(TEACHER, OFTEN if OFTEN in labels else "В большой степени")
    result = h.last_text(TEACHER)
    # personal: 50 + 5 x 75 = 425 / 6 = 70.83; work: 6 x 75 + (100 - 75) = 475 / 7 = 67.86;
    # student: 75 -> overall = high (the higher of work and student)
    assert "Личное выгорание: 71 из 100 — умеренный уровень" in result
    assert "Выгорание, связанное с работой: 68 из 100 — умеренный уровень" in result
    assert "Выгорание в работе с учениками: 75 из 100 — высокий уровень" in result
    assert "не диагноз" in result
    async with h.sessionmaker() as session:
        response = await session.scalar(select(Response))
        assert response is not None and response.status == "completed"
        assert response.scores is not None
        assert response.scores["derived"]["overall"] == {"score": 75.0, "band": "high"}
        answers = list(await session.scalars(select(Answer.item_id)))
        assert len(answers) == 19 and len(set(answers)) == 19
    await h.press_data(TEACHER, message, often_q1)  # a button of the finished questionnaire
    assert "закрыта" in h.toasts()[-1]


async def test_deficit_self_assessment_gives_levels_and_point_deficits(harness: Harness) -> None:
    h = harness
    await register_teacher(h)
    await h.send(TEACHER, "/route")
    assert "Пройдите её: /surveys" in h.last_text(TEACHER)
    async with h.sessionmaker() as session:  # a published seminar on the weak area
        session.add(
            Seminar(
                municipality_id=1,
                title="Правовые основы работы педагога",
                tags=["norm"],
                starts_at=h.clock.now + timedelta(days=3),
                status="published",
                created_at=h.clock.now,
                duration_minutes=90,
                format="in_person",
                place="ИМЦ, ауд. 5",
            )
        )
        await session.commit()
    await h.send(TEACHER, "/surveys")
    await h.press(TEACHER, "Самооценка профессиональных дефицитов")
    for number in range(1, 24):
        labels = h.server.last(TEACHER).button_texts()
        choice = labels[1] if number == 1 else labels[3]  # item 1 rated 2, the rest 4
        await h.press(TEACHER, choice)
    result, route, offer = h.texts(TEACHER)[-3:]
    # norm: (2 + 4 + 4) / 3 = 3.33 -> (3.33 - 1) / 4 = 58.3 % -> high deficit
    assert "Нормативно-правовая: 58 из 100 — высокий дефицит" in result
    assert "Предметная: 75 из 100 — средний дефицит" in result
    assert "Точечные дефициты (оценка 1–2):\n• " in result and "ФГОС" in result
    assert ".;" not in result  # one practice per line, not joined with "; "
    assert "индивидуальный план" in result
    assert "индивидуальный образовательный маршрут" in route
    assert "Нормативно-правовая — высокий дефицит" in route
    assert "Семинар «Правовые основы работы педагога» — 26.11.2026" in route
    assert "https://edsoo.ru/" in route and "/seminars" in route
    assert route.index("Нормативно-правовая") < route.index("Предметная")  # worst first
    await h.send(TEACHER, "/route")
    assert h.texts(TEACHER)[-2:] == [route, offer]  # re-opened, the same
    # a young teacher with deficits is offered a mentor; the request starts with them ticked
    assert "может помочь наставник" in offer
    await h.press(TEACHER, "🤝 Попросить наставника")
    ticked = h.server.last(TEACHER).button_texts()
    assert "✅ нормативно-правовая" in ticked and "✅ предметная" in ticked


async def answer_cbi(h: Harness, user_id: int, frequency: str, degree: str) -> None:
    await h.send(user_id, "/surveys")
    await h.press(user_id, "Профессиональное самочувствие (риск выгорания, CBI)")
    for _ in range(19):
        labels = h.server.last(user_id).button_texts()
        await h.press(user_id, frequency if frequency in labels else degree)


async def test_a_high_result_offers_contact_and_only_then_tells_the_methodist(
    harness: Harness,
) -> None:
    from core.models import Role
    from tests.e2e.test_roles import register_with_role

    h = harness
    await register_with_role(h, 400, Role.METHODIST)
    await register_teacher(h, 501)
    await register_teacher(h, 502)
    await answer_cbi(h, 502, "Иногда", "В некоторой степени")  # 50: moderate
    assert "🤝 Хочу, чтобы со мной связались" not in h.server.last(502).button_texts()
    await answer_cbi(h, 501, "Всегда", "В очень большой степени")  # high
    await h.sender.drain()
    assert "Запрос поддержки" not in h.last_text(400)  # nothing until the teacher asks
    result = await h.press(501, "🤝 Хочу, чтобы со мной связались")
    assert "Запрос отправлен" in h.last_text(501)  # a message that stays, not a popup
    assert result.reply_markup is None  # the button is gone
    await h.sender.drain()
    notice = h.last_text(400)
    assert "Запрос поддержки: Иванова Мария Петровна просит связаться" in notice
    assert "100" not in notice and "высок" not in notice  # no answers, no scores
    await h.send(400, "/support")
    assert "Иванова Мария Петровна" in h.last_text(400)
    await h.press(400, "✅ Связались с №1")
    assert h.last_text(400) == "Открытых запросов поддержки нет."


async def test_myresults_shows_changes_between_passes(harness: Harness) -> None:
    h = harness
    await register_teacher(h)
    await h.send(TEACHER, "/myresults")
    assert "Пока нет завершённых анкет" in h.last_text(TEACHER)
    await answer_cbi(h, TEACHER, "Часто", "В большой степени")  # 75 everywhere, work 67.86
    await answer_cbi(h, TEACHER, "Иногда", "В некоторой степени")  # 50 everywhere
    await h.send(TEACHER, "/myresults")
    text = h.last_text(TEACHER)
    first, second = text.index("Профессиональное"), text.rindex("Профессиональное")
    latest = text[first:second]
    assert "Личное выгорание: 50 из 100 — умеренный уровень (-25 с прошлого раза)" in latest
    assert "Выгорание, связанное с работой: 50 из 100 — умеренный уровень (-18" in latest
    assert "с прошлого раза" not in text[second:]  # the first pass has nothing to compare
