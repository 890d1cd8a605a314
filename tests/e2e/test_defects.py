"""Defects found by running the bot as people do (issue 8): each answered clearly now."""

import logging
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import event, func, select
from sqlalchemy.engine import make_url

from core.models import Announcement, Person, Registration
from tests.e2e.conftest import Harness
from tests.e2e.test_announce import METHODIST, _town
from tests.e2e.test_onboarding import SCHOOL, TEACHER, register_teacher
from tests.e2e.test_seminars import START_UTC, create_online_seminar

pytestmark = pytest.mark.e2e
APOLOGY = "что-то пошло не так"


async def test_a_registered_person_sending_start_is_told_so(harness: Harness) -> None:
    h = harness
    await register_teacher(h)
    await h.send(TEACHER, "/start")
    assert "Вы уже зарегистрированы" in h.last_text(TEACHER)
    await h.send(TEACHER, f"/start {await h.school_code(SCHOOL)}")
    assert "Вы уже зарегистрированы" in h.last_text(TEACHER)


async def test_profile_while_a_form_waits_shows_the_profile_and_the_form_goes_on(
    harness: Harness,
) -> None:
    h = harness
    await _town(h)
    for command in ("/seminar_new", "/campaign_new", "/announce"):
        await h.send(METHODIST, command)
        await h.send(METHODIST, "/profile")
        assert "Ваш профиль" in h.last_text(METHODIST), command
    await h.send(METHODIST, "/seminar_new")
    await h.send(METHODIST, "/profile")
    await h.send(METHODIST, "Формирующее оценивание")  # the seminar form still takes it
    assert "Коротко опишите семинар" in h.last_text(METHODIST)
    assert not any(APOLOGY in text for text in h.texts(METHODIST))


async def test_a_double_press_of_consent_is_harmless(harness: Harness) -> None:
    h = harness
    await h.send(TEACHER, f"/start {await h.school_code(SCHOOL)}")
    message, agree = h.server.find_button(TEACHER, "Согласен(на)")
    await h.press_data(TEACHER, message, agree)
    await h.press_data(TEACHER, message, agree)
    assert "устарела" in h.toasts()[-1]
    assert not any(APOLOGY in text for text in h.texts(TEACHER))


async def test_a_full_disk_gets_its_own_message_in_the_chosen_language(
    harness: Harness, database_url: str
) -> None:
    if make_url(database_url).get_backend_name() != "sqlite":
        pytest.skip("a full disk is simulated with SQLite's max_page_count")
    h = harness
    await _town(h)
    await h.send(METHODIST, "/language")
    await h.press(METHODIST, "English")  # the Telegram client stays Russian
    await h.send(METHODIST, "/announce")
    engine = h.sessionmaker.kw["bind"]

    def no_more_pages(connection: Any, _record: Any) -> None:
        cursor = connection.cursor()
        cursor.execute("PRAGMA page_count")
        pages = cursor.fetchone()[0]
        cursor.execute(f"PRAGMA max_page_count = {pages}")
        cursor.close()

    async with engine.connect() as connection:  # no free pages left to reuse
        await connection.exec_driver_sql("VACUUM")
    event.listen(engine.sync_engine, "connect", no_more_pages)
    await engine.dispose()
    await h.send(METHODIST, "Очень длинное объявление. " * 150)
    assert "cannot save anything right now" in h.last_text(METHODIST)
    event.remove(engine.sync_engine, "connect", no_more_pages)
    await engine.dispose()
    async with h.sessionmaker() as session:  # nothing half-written
        texts = await session.scalars(select(Announcement.text))
        assert list(texts) == [None]


async def test_a_bootstrap_admin_is_told_which_role_a_command_needs(harness: Harness) -> None:
    h = harness
    await h.send(900, "/announce")
    assert "только для ролей: методист" in h.last_text(900)


async def test_a_check_in_code_cannot_be_guessed(harness: Harness) -> None:
    h = harness
    await _town(h)
    await create_online_seminar(h, capacity="30")
    await h.press(METHODIST, "📣 Опубликовать")
    await h.sender.drain()
    await h.press(501, "Записаться")
    await h.send(METHODIST, "/myseminars")
    await h.press(METHODIST, "Код отметки")
    code = h.last_text(METHODIST).split("Код отметки: ")[1][:4]
    h.clock.now = START_UTC + timedelta(minutes=10)
    wrong = [f"{n:04d}" for n in range(10) if f"{n:04d}" != code][:5]
    for guess in wrong:
        await h.send(501, guess)
        assert "Код не подошёл" in h.last_text(501)
    await h.send(501, code)  # right, but after five wrong ones
    assert "Слишком много неверных кодов" in h.last_text(501)
    async with h.sessionmaker() as session:
        attended = await session.scalar(
            select(func.count()).where(Registration.attended.is_(True))
        )
    assert attended == 0


async def test_free_text_in_a_questionnaire_points_to_the_buttons(harness: Harness) -> None:
    h = harness
    await register_teacher(h)
    await h.send(TEACHER, "/surveys")
    await h.press(TEACHER, "Профессиональное самочувствие (риск выгорания, CBI)")
    await h.send(TEACHER, "часто")
    assert "нажмите кнопку под ним" in h.last_text(TEACHER)
    await h.send(TEACHER, "/help")
    await h.send(TEACHER, "привет")
    assert "нажмите кнопку под ним" in h.last_text(TEACHER)


async def test_a_person_who_blocked_the_bot_mid_update_turns_inactive_quietly(
    harness: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    """Telegram answers 403 to the reply of an update (the person blocked the bot meanwhile):
    no traceback and no apology, and nothing more is queued for them."""
    h = harness
    await register_teacher(h)
    h.server.inject("sendMessage", status=403, chat_id=TEACHER)
    h.server.inject("sendDocument", status=403, chat_id=TEACHER)
    with caplog.at_level(logging.INFO):
        await h.send(TEACHER, "/mydata")
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR] == []
    assert any("blocked the bot" in r.getMessage() for r in caplog.records)
    async with h.sessionmaker() as session:
        person = await session.scalar(select(Person).where(Person.telegram_id == TEACHER))
        assert person is not None and not person.active
