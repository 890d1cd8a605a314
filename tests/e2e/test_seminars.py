"""Seminars end to end: create, publish, sign up, waiting list, reminders, attendance."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from core.models import Registration
from core.scheduler import JobContext, tick
from core.texts import load_catalogues
from surveys.registry import load_all
from tests.e2e.conftest import Harness
from tests.e2e.test_announce import METHODIST, _town
from tests.e2e.test_onboarding import register_teacher

pytestmark = pytest.mark.e2e
START_UTC = datetime(2026, 11, 25, 10, 0, tzinfo=UTC)  # 15:00 in Asia/Yekaterinburg


async def run_tick(h: Harness, at: datetime) -> None:
    h.clock.now = at
    context = JobContext(load_catalogues(), h.dp["settings"], load_all())
    await tick(h.sessionmaker, context, at)
    await h.sender.drain()


async def create_online_seminar(h: Harness, capacity: str = "1") -> None:
    await h.send(METHODIST, "/seminar_new")
    await h.send(METHODIST, "Формирующее оценивание")
    await h.press(METHODIST, "Пропустить")
    await h.send(METHODIST, "25.11.2026 15:00")
    await h.press(METHODIST, "90 мин")
    await h.press(METHODIST, "💻 Онлайн")
    await h.send(METHODIST, "https://meet.example.org/fo")
    await h.send(METHODIST, capacity)
    await h.press(METHODIST, "методическая")
    await h.press(METHODIST, "Готово")
    await h.press(METHODIST, "Все педагоги муниципалитета")


async def test_a_seminar_from_creation_to_its_result(harness: Harness) -> None:
    h = harness
    await _town(h)
    await create_online_seminar(h)
    preview = h.last_text(METHODIST)
    assert "Формирующее оценивание" in preview and "25.11.2026 15:00" in preview
    assert "https://meet.example.org/fo" in preview
    assert "Все педагоги муниципалитета — 3 чел." in preview  # not the methodist
    await h.press(METHODIST, "📣 Опубликовать")
    assert "опубликован" in h.texts(METHODIST)[-2]
    await h.sender.drain()
    invitation = h.server.last(501)
    assert "Новый семинар: Формирующее оценивание" in (invitation.text or "")
    assert "meet.example.org" not in (invitation.text or "")  # the link is for people with a seat
    assert "Формирующее" not in h.last_text(504)  # another municipality

    await h.press(501, "Записаться")
    assert "Вы записаны" in h.toasts()[-1]
    ics = (h.server.last(501).document or b"").decode("utf-8").replace("\r\n ", "")
    assert "DTSTART;TZID=Asia/Yekaterinburg:20261125T150000" in ics
    assert "DTEND;TZID=Asia/Yekaterinburg:20261125T163000" in ics
    assert "SUMMARY:Формирующее оценивание" in ics and "TZOFFSETTO:+0500" in ics
    card = h.server.chat(501)[-2].text or ""
    assert "meet.example.org/fo" in card and "Записано: 1 из 1" in card

    waiting = await h.press(502, "Записаться")
    assert "листе ожидания" in h.toasts()[-1]
    assert "meet.example.org" not in h.last_text(502)

    await h.press(501, "Отменить запись")
    await h.sender.drain()
    promoted = h.server.last(502)  # the seat comes with the calendar file, like a sign-up
    assert "Освободилось место" in (promoted.caption or "")
    assert "meet.example.org/fo" in (promoted.caption or "")
    assert promoted.filename and promoted.filename.endswith(".ics")
    assert b"DTSTART;TZID=Asia/Yekaterinburg:20261125T150000" in (promoted.document or b"")
    assert "Вы записаны" in (waiting.text or "") and "листе ожидания" not in (waiting.text or "")
    assert waiting.button_texts() == ["Отменить запись"]  # the old card is up to date

    await run_tick(h, START_UTC - timedelta(hours=24) + timedelta(minutes=1))
    assert "Напоминание" in h.last_text(502) and "25.11.2026 15:00" in h.last_text(502)
    assert "Напоминание" not in h.last_text(501)  # gave the place up
    await run_tick(h, START_UTC - timedelta(hours=1) + timedelta(minutes=1))
    await run_tick(h, START_UTC - timedelta(minutes=30))  # nothing new: keys are idempotent
    reminders = [t for t in h.texts(502) if "Напоминание" in t]
    assert len(reminders) == 2

    await h.send(METHODIST, "/myseminars")
    await h.press(METHODIST, "Посещаемость")
    await h.press(METHODIST, "Иванова Мария Петровна")
    assert "✅ Иванова Мария Петровна" in h.server.last(METHODIST).button_texts()

    await run_tick(h, START_UTC + timedelta(minutes=91))
    assert h.last_text(METHODIST) == (
        "Семинар «Формирующее оценивание» завершён. Записано: 1, пришли: 1, в листе ожидания: 0."
    )
    async with h.sessionmaker() as session:
        due = await session.scalars(select(Registration.feedback_due).order_by(Registration.id))
        assert list(due) == [False, True]  # 501 cancelled; 502 came and is due the feedback


async def test_check_in_by_code_during_the_seminar(harness: Harness) -> None:
    h = harness
    await _town(h)
    await create_online_seminar(h, capacity="30")
    await h.press(METHODIST, "📣 Опубликовать")
    await h.sender.drain()
    await h.press(501, "Записаться")
    await h.send(METHODIST, "/myseminars")
    await h.press(METHODIST, "Код отметки")
    code = h.last_text(METHODIST).split("Код отметки: ")[1][:4]
    await h.send(501, code)
    assert "Код не подошёл" in h.last_text(501)  # not yet: the seminar is tomorrow
    h.clock.now = START_UTC + timedelta(minutes=10)
    await h.send(501, "0000" if code != "0000" else "1111")
    assert "Код не подошёл" in h.last_text(501)
    await h.send(501, code)
    assert "Отмечено" in h.last_text(501)
    await h.send(502, code)  # not registered
    assert "Код не подошёл" in h.last_text(502)


async def test_editing_and_cancelling_tell_the_people_signed_up(harness: Harness) -> None:
    h = harness
    await _town(h)
    await create_online_seminar(h, capacity="30")
    await h.press(METHODIST, "📣 Опубликовать")
    await h.sender.drain()
    await h.press(501, "Записаться")
    await h.send(METHODIST, "/myseminars")
    await h.press(METHODIST, "Изменить")
    await h.press(METHODIST, "Дата и время")
    await h.send(METHODIST, "26.11.2026 16:00")
    assert "26.11.2026 16:00" in h.last_text(METHODIST)
    await h.sender.drain()
    assert "Изменение в семинаре" in h.last_text(501) and "26.11.2026 16:00" in h.last_text(501)
    assert "Изменение" not in h.last_text(503)  # not signed up

    await h.send(METHODIST, "/myseminars")
    await h.press(METHODIST, "Изменить")
    await h.press(METHODIST, "Название")  # left waiting for a title
    await h.send(METHODIST, "/myseminars")
    await h.press(METHODIST, "Отменить семинар")
    await h.press(METHODIST, "Да, отменить семинар")
    await h.sender.drain()
    assert "отменён" in h.last_text(501)
    await h.send(METHODIST, "Новое название")  # for the cancelled seminar: refused once
    assert "устарела" in h.last_text(METHODIST)
    await h.send(METHODIST, "Новое название")  # then the text is no longer taken for it
    assert "устарела" not in h.last_text(METHODIST)
    await h.send(503, "/seminars")
    assert "пока нет" in h.last_text(503)


async def test_bad_input_in_the_seminar_form(harness: Harness) -> None:
    h = harness
    await _town(h)
    await h.send(METHODIST, "/seminar_new")
    await h.send(METHODIST, "Ф")
    assert "от 3 до 200" in h.texts(METHODIST)[-2]
    await h.send(METHODIST, "Семинар")
    await h.send(METHODIST, "Описание")
    await h.send(METHODIST, "завтра в три")
    assert "25.12.2026 15:00" in h.texts(METHODIST)[-2]
    await h.send(METHODIST, "01.01.2020 10:00")
    assert "уже прошло" in h.texts(METHODIST)[-2]
    await h.send(METHODIST, "30.11.2026 10:00")
    await h.send(METHODIST, "90")  # a button is expected here
    assert "кнопкой" in h.texts(METHODIST)[-2]  # then the question again
    await h.press(METHODIST, "60 мин")
    await h.press(METHODIST, "🏫+💻 Очно и онлайн")
    await h.send(METHODIST, "Гимназия № 1, актовый зал")
    await h.send(METHODIST, "meet example")
    assert "https://" in h.texts(METHODIST)[-2]
    await h.send(METHODIST, "https://meet.example.org/x")
    await h.send(METHODIST, "сто")
    assert "от 1 до 10000" in h.texts(METHODIST)[-2]
    await h.press(METHODIST, "Без ограничения")
    assert "областям компетенций" in h.last_text(METHODIST)
    await h.send(501, "/seminar_new")
    assert "доступна только для ролей" in h.last_text(501)


async def test_stale_organiser_buttons_get_a_toast_not_an_error(harness: Harness) -> None:
    h = harness
    await _town(h)
    await create_online_seminar(h, capacity="30")
    await h.press(METHODIST, "📣 Опубликовать")
    await h.send(METHODIST, "/myseminars")
    card, people = h.server.find_button(METHODIST, "Участники")
    await h.press(METHODIST, "Отменить семинар")
    await h.press(METHODIST, "Да, отменить семинар")
    for action in ("p", "a", "c", "e"):  # every button of the old card
        await h.press_data(METHODIST, card, people.replace(":p:", f":{action}:"))
        assert "устарела" in h.toasts()[-1], action
    assert not any("пошло не так" in text for text in h.texts(METHODIST))


async def test_attendees_get_feedback_and_the_organiser_sees_it_from_five(
    harness: Harness,
) -> None:
    from core.models import AnonymousResponse, Person, Response, Seminar

    h = harness
    await _town(h)
    teachers = [501, 502, 503]
    for user_id in (505, 506):
        await register_teacher(h, user_id)
        teachers.append(user_id)
    async with h.sessionmaker() as session:
        methodist = await session.scalar(select(Person.id).where(Person.telegram_id == METHODIST))
        seminar = Seminar(
            municipality_id=1,
            organiser_id=methodist,
            title="Проектная работа",
            tags=["method"],
            starts_at=START_UTC,
            status="published",
            created_at=h.clock.now,
            duration_minutes=60,
            format="in_person",
            place="ИМЦ",
        )
        session.add(seminar)
        await session.flush()
        seminar_id = seminar.id
        for user_id in teachers:
            person = await session.scalar(select(Person.id).where(Person.telegram_id == user_id))
            assert person is not None
            session.add(
                Registration(
                    seminar_id=seminar.id,
                    person_id=person,
                    status="registered",
                    attended=True,
                    created_at=h.clock.now,
                )
            )
        await session.commit()
    await run_tick(h, START_UTC + timedelta(minutes=61))
    # q1 overall satisfaction and q6 recommendation per attendee, q2-q5 "3", q7 skipped:
    # satisfied (4 or 5): 3 of 5 = 60 %, mean 18 / 5 = 3.6; NPS: promoters 10, 9;
    # detractors 6, 0 -> (2 - 2) / 5 = 0
    answers = {
        501: ("5 — отлично", "10"),
        502: ("4 — хорошо", "9"),
        503: ("4 — хорошо", "8"),
        505: ("3 — удовлетворительно", "6"),
        506: ("2 — плохо", "0"),
    }
    invitation, feedback = h.server.find_button(501, "📝 Оставить отзыв")
    for number, (user_id, (q1, q6)) in enumerate(answers.items(), start=1):
        assert "Спасибо, что были на семинаре «Проектная работа»" in h.last_text(user_id)
        await h.press(user_id, "📝 Оставить отзыв")
        assert "Анонимно" in h.last_text(user_id)
        await h.press(user_id, q1)
        for _ in range(4):
            await h.press(user_id, "3 — удовлетворительно")
        await h.press(user_id, q6)
        await h.press(user_id, "Пропустить")
        assert "Спасибо! Анкета «Отзыв о семинаре» заполнена." in h.last_text(user_id)
        await h.send(METHODIST, "/myseminars")
        if number == 4:  # four answers: no figures, and no count that would single one out
            assert "Отзывы есть. Итоги появятся" in h.last_text(METHODIST)
            assert "4" not in h.last_text(METHODIST).split("Отзывы есть")[1]
    await h.send(METHODIST, "/myseminars")
    assert "Итоги появятся" in h.last_text(METHODIST)  # five wait for their release
    await run_tick(h, START_UTC + timedelta(minutes=70))
    await h.send(METHODIST, "/myseminars")
    assert "Отзывы: 5; удовлетворены: 60%; средняя оценка: 3.6 из 5; NPS: +0" in h.last_text(
        METHODIST
    )
    await h.press_data(501, invitation, feedback)  # once only
    assert "закрыта" in h.toasts()[-1]
    async with h.sessionmaker() as session:
        assert list(await session.scalars(select(Response.id))) == []  # all released
        released = list(await session.scalars(select(AnonymousResponse)))
        assert len(released) == 5 and {r.seminar_id for r in released} == {seminar_id}
