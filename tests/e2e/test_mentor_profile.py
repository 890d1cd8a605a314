"""Mentors' own side: a teacher volunteers from /profile, a methodist confirms or declines, and
a mentor keeps their profile (areas, how many mentees, a pause) that the suggestions follow."""

import pytest
from sqlalchemy import func, select

from bot.mentoring.callbacks import MentoringCallback
from core.models import (
    Delivery,
    MentorProfile,
    Municipality,
    Person,
    PersonRole,
    Response,
    ResponseStatus,
    Role,
)
from core.questionnaires.routes import DEFICITS
from tests.e2e.conftest import Harness
from tests.e2e.test_mentoring import MENTEE, METHODIST, _request
from tests.e2e.test_onboarding import SCHOOL, register_teacher
from tests.e2e.test_roles import register_with_role
from tests.fake_telegram import SentMessage

pytestmark = pytest.mark.e2e
VOLUNTEER, ELSEWHERE = 402, 403
NAME = "Сидорова Анна Ивановна"
SUGGESTED = f"1. {NAME}: сильные стороны: методическая, тот же предмет, та же школа"


async def _register(h: Harness, user: int, name: str) -> None:
    """An experienced teacher of the first school, registered by the school's link."""
    await h.send(user, f"/start {await h.school_code(SCHOOL)}")
    await h.press(user, "Согласен(на)")
    await h.send(user, name)
    await h.press(user, "Математика")
    await h.press(user, "Готово")
    await h.send(user, "2005")
    await h.press(user, "Пропустить")
    await h.press(user, "✅ Всё верно")


async def _person(h: Harness, user: int) -> Person:
    async with h.sessionmaker() as session:
        person = await session.scalar(select(Person).where(Person.telegram_id == user))
        assert person is not None
        return person


async def _profile(h: Harness, user: int) -> MentorProfile | None:
    person = await _person(h, user)
    async with h.sessionmaker() as session:
        return await session.get(MentorProfile, person.id)


async def _roles(h: Harness, user: int) -> set[str]:
    person = await _person(h, user)
    async with h.sessionmaker() as session:
        found = await session.scalars(
            select(PersonRole.role).where(PersonRole.person_id == person.id)
        )
        return set(found)


async def _strong_in_methods(h: Harness, user: int) -> None:
    """A completed self-assessment: no deficit in methods, a high one in digital skills."""
    person = await _person(h, user)
    scales = {"method": {"band": "minimal"}, "digital": {"band": "high"}}
    async with h.sessionmaker() as session:
        session.add(
            Response(
                person_id=person.id,
                instrument=DEFICITS,
                version=1,
                status=ResponseStatus.COMPLETED,
                started_at=h.clock(),
                completed_at=h.clock(),
                scores={"scales": scales},
            )
        )
        await session.commit()


async def _volunteer(h: Harness) -> None:
    await register_with_role(h, METHODIST, Role.METHODIST)
    await _register(h, VOLUNTEER, NAME)
    await _strong_in_methods(h, VOLUNTEER)
    await h.send(VOLUNTEER, "/profile")
    await h.press(VOLUNTEER, "🤝 Стать наставником")
    thanks = h.last_text(VOLUNTEER)
    assert "Методист рассмотрит ваше предложение" in thanks
    assert "по вашей самооценке): методическая." in thanks
    await h.sender.drain()
    asked = h.last_text(METHODIST)
    assert "Педагог предлагает себя в наставники" in asked and NAME in asked
    assert "МОАУ «СОШ № 1»" in asked
    assert "методическая" not in asked  # her self-assessment's strengths are hers alone


async def _confirmed(h: Harness) -> None:
    await _volunteer(h)
    await h.press(METHODIST, "✅ Подтвердить")
    assert f"Готово: {NAME} теперь наставник" in h.last_text(METHODIST)
    await h.sender.drain()
    assert "Вы наставник!" in h.last_text(VOLUNTEER)


async def _open_profile(h: Harness) -> SentMessage:
    """/mentees, then its «⚙️ Профиль наставника»: the card, edited in place from then on."""
    await h.send(VOLUNTEER, "/mentees")
    entry, none = h.texts(VOLUNTEER)[-2:]
    assert "Вы ведёте до 2 подопечных одновременно; новых подопечных вам предлагают" in entry
    assert none == "Сейчас у вас нет подопечных."
    card = await h.press(VOLUNTEER, "⚙️ Профиль наставника")
    assert (card.text or "").startswith("Профиль наставника")
    return card


async def test_a_confirmed_volunteer_is_suggested_for_a_request(harness: Harness) -> None:
    h = harness
    await _confirmed(h)
    assert await _roles(h, VOLUNTEER) == {"teacher", "mentor"}
    profile = await _profile(h, VOLUNTEER)
    assert profile is not None and profile.confirmed_at is not None
    assert profile.areas == ["method"]
    await register_teacher(h, MENTEE)
    await _request(h)
    await h.send(METHODIST, "/mentoring")
    assert f"{SUGGESTED}, свободных мест: 2" in h.last_text(METHODIST)
    await h.send(VOLUNTEER, "/profile")  # now the mentor's profile instead of volunteering
    buttons = h.server.last(VOLUNTEER).button_texts()
    assert "⚙️ Профиль наставника" in buttons and "🤝 Стать наставником" not in buttons
    person_id = (await _person(h, VOLUNTEER)).id
    assert await _about(h, person_id) > 0
    await h.send(VOLUNTEER, "/forget")
    await h.press(VOLUNTEER, "Да, удалить")
    assert await _about(h, person_id) == 0  # the methodists' notices about her went too


async def _about(h: Harness, person_id: int) -> int:
    async with h.sessionmaker() as session:
        found = await session.scalar(
            select(func.count()).select_from(Delivery).where(Delivery.about_id == person_id)
        )
        return int(found or 0)


async def test_a_declined_volunteer_is_told_kindly_and_may_offer_again(harness: Harness) -> None:
    h = harness
    await _volunteer(h)
    await h.press(METHODIST, "Отклонить")
    assert f"Предложение отклонено: {NAME}" in h.last_text(METHODIST)
    await h.sender.drain()
    assert "Спасибо, что предложили свою помощь коллегам" in h.last_text(VOLUNTEER)
    assert await _profile(h, VOLUNTEER) is None
    assert await _roles(h, VOLUNTEER) == {"teacher"}
    h.clock.now = h.clock.now.replace(hour=12)
    await h.send(VOLUNTEER, "/profile")
    await h.press(VOLUNTEER, "🤝 Стать наставником")
    await h.sender.drain()
    assert "Педагог предлагает себя в наставники" in h.last_text(METHODIST)


async def test_repeated_stale_and_forged_answers_change_nothing(harness: Harness) -> None:
    h = harness
    await _volunteer(h)
    volunteer_id = (await _person(h, VOLUNTEER)).id
    await h.send(VOLUNTEER, "/profile")
    await h.press(VOLUNTEER, "🤝 Стать наставником")
    assert "уже у методиста" in h.toasts()[-1]
    # a teacher forges the methodist's button; a methodist of another town presses it
    await register_teacher(h, MENTEE)
    forged = MentoringCallback(act="vconfirm", id=volunteer_id).pack()
    await h.press_data(MENTEE, h.server.last(MENTEE), forged)
    assert "только методистам" in h.toasts()[-1]
    await _register_methodist_elsewhere(h)
    await h.press_data(ELSEWHERE, h.server.last(ELSEWHERE), forged)
    assert "из другого муниципалитета" in h.toasts()[-1]
    assert await _roles(h, VOLUNTEER) == {"teacher"}
    # confirmed once; the same button again, or «Отклонить» after it, is refused
    notice = await h.press(METHODIST, "✅ Подтвердить")
    await h.press_data(METHODIST, notice, forged)
    assert "уже рассмотрено" in h.toasts()[-1]
    rejected = MentoringCallback(act="vreject", id=volunteer_id).pack()
    await h.press_data(METHODIST, notice, rejected)
    assert "уже рассмотрено" in h.toasts()[-1]
    assert await _profile(h, VOLUNTEER) is not None
    assert await _roles(h, VOLUNTEER) == {"teacher", "mentor"}
    # an old «Стать наставником» of a mentor now
    await h.press_data(
        VOLUNTEER, h.server.last(VOLUNTEER), MentoringCallback(act="volunteer").pack()
    )
    assert "Вы уже наставник" in h.toasts()[-1]
    # a teacher who is no mentor has no mentor's profile to open or pause
    for act, value in (("mprofile", 0), ("pause", 1)):
        data = MentoringCallback(act=act, value=value).pack()
        await h.press_data(MENTEE, h.server.last(MENTEE), data)
        assert "только у наставников" in h.toasts()[-1]
    assert await _profile(h, MENTEE) is None


async def _register_methodist_elsewhere(h: Harness) -> None:
    async with h.sessionmaker() as session:
        other = await session.scalar(
            select(Municipality.id).where(Municipality.name == "Аксайский район")
        )
        assert other is not None
    await h.send(ELSEWHERE, f"/start {await h.role_code(Role.METHODIST, other)}")
    await h.press(ELSEWHERE, "Согласен(на)")
    await h.send(ELSEWHERE, "Кузнецова Ольга Сергеевна")
    await h.press(ELSEWHERE, "Не работаю в школе")
    await h.press(ELSEWHERE, "✅ Всё верно")


async def test_a_mentor_edits_areas_and_capacity(harness: Harness) -> None:
    h = harness
    await _confirmed(h)
    card = await _open_profile(h)
    assert "Помогаю в областях: методическая" in (card.text or "")
    assert "Подопечных одновременно: до 2 (сейчас 0)" in (card.text or "")
    await h.press(VOLUNTEER, "Области")
    assert "В каких областях вы готовы помогать" in (card.text or "")
    await h.press(VOLUNTEER, "✅ методическая")
    await h.press(VOLUNTEER, "Готово")
    assert "Отметьте хотя бы одну область" in h.toasts()[-1]
    await h.press(VOLUNTEER, "цифровая")
    await h.press(VOLUNTEER, "методическая")
    await h.press(VOLUNTEER, "Готово")
    assert "Помогаю в областях: методическая, цифровая" in (card.text or "")
    await h.press(VOLUNTEER, "Сколько подопечных")
    assert "✅ 2" in card.button_texts()
    await h.press(VOLUNTEER, "Отмена")
    assert "до 2 (сейчас 0)" in (card.text or "")
    await h.press(VOLUNTEER, "Сколько подопечных")
    await h.press(VOLUNTEER, "3")
    assert "Подопечных одновременно: до 3 (сейчас 0)" in (card.text or "")
    profile = await _profile(h, VOLUNTEER)
    assert profile is not None and profile.capacity == 3
    assert profile.areas == ["method", "digital"]
    await register_teacher(h, MENTEE)
    await _request(h)
    await h.send(METHODIST, "/mentoring")
    assert f"{SUGGESTED}, свободных мест: 3" in h.last_text(METHODIST)


async def test_a_paused_mentor_is_not_suggested_until_the_pause_ends(harness: Harness) -> None:
    h = harness
    await _confirmed(h)
    await register_teacher(h, MENTEE)
    await _request(h)
    card = await _open_profile(h)
    await h.press(VOLUNTEER, "⏸ Пауза: новых подопечных не предлагать")
    assert "⏸ Пауза: новых подопечных не предлагают" in (card.text or "")
    assert "▶️ Снять паузу" in card.button_texts()
    for value in (1, 7):  # the old «⏸» pressed again, a forged value: still paused
        await h.press_data(VOLUNTEER, card, MentoringCallback(act="pause", value=value).pack())
    profile = await _profile(h, VOLUNTEER)
    assert profile is not None and profile.paused
    await h.send(METHODIST, "/mentoring")
    queue = h.server.last(METHODIST)
    assert "Свободных наставников с подходящим профилем нет" in (queue.text or "")
    assert not any(NAME in label for label in queue.button_texts())
    mentor_id = (await _person(h, VOLUNTEER)).id
    await h.press_data(
        METHODIST, queue, MentoringCallback(act="pick", id=1, value=mentor_id).pack()
    )
    assert "не может взять подопечного" in h.toasts()[-1]
    await h.send(VOLUNTEER, "/mentees")
    assert "пауза: новых подопечных не предлагают" in h.texts(VOLUNTEER)[-2]
    card = await h.press(VOLUNTEER, "⚙️ Профиль наставника")
    await h.press(VOLUNTEER, "▶️ Снять паузу")
    assert "Новых подопечных: предлагают" in (card.text or "")
    await h.send(METHODIST, "/mentoring")
    assert f"{SUGGESTED}, свободных мест: 2" in h.last_text(METHODIST)
    await h.press(METHODIST, f"1. {NAME}")
    await h.sender.drain()
    assert "Вам предлагают стать наставником" in h.last_text(VOLUNTEER)


async def test_a_waiting_volunteer_who_joins_by_a_mentor_link_is_a_mentor(
    harness: Harness,
) -> None:
    h = harness
    await _volunteer(h)
    await h.send(VOLUNTEER, f"/start {await h.role_code(Role.MENTOR)}")
    assert "роль «наставник»" in h.last_text(VOLUNTEER)
    await register_teacher(h, MENTEE)
    await _request(h)
    await h.send(METHODIST, "/mentoring")
    assert f"{SUGGESTED}, свободных мест: 2" in h.last_text(METHODIST)
    profile = await _profile(h, VOLUNTEER)
    assert profile is not None and profile.confirmed_at is not None
