"""A teacher's way in: invite link, consent, profile with buttons and text, confirmation."""

import pytest
from sqlalchemy import func, select

from core.models import ConsentRefusal, Person, Subject
from tests.e2e.conftest import Harness

pytestmark = pytest.mark.e2e
TEACHER = 101
SCHOOL = "МОАУ «СОШ № 1»"


async def start_onboarding(
    h: Harness, name: str = "Иванова Мария", user_id: int = TEACHER
) -> None:
    """Open the school link, consent and give a name: the subjects question is next."""
    await h.send(user_id, f"/start {await h.school_code(SCHOOL)}")
    await h.press(user_id, "Согласен(на)")
    await h.send(user_id, name)


async def register_teacher(h: Harness, user_id: int = TEACHER, birth: str = "1990") -> None:
    code = await h.school_code(SCHOOL)
    await h.send(user_id, f"/start {code}")
    await h.press(user_id, "Согласен(на)")
    await h.send(user_id, "иванова мария петровна")
    await h.press(user_id, "Математика")
    await h.press(user_id, "Физика")
    await h.press(user_id, "Готово")
    await h.press(user_id, "2024")
    await h.send(user_id, birth)
    await h.press(user_id, "✅ Всё верно")


async def test_teacher_registers_with_buttons_and_text(harness: Harness) -> None:
    h = harness
    code = await h.school_code(SCHOOL)
    await h.send(TEACHER, f"/start {code}")
    welcome, consent = h.texts(TEACHER)[-2:]
    assert "PedPulse" in welcome and "г. Новотроицк" in welcome
    assert "152-ФЗ" in consent and "/forget" in consent
    async with h.sessionmaker() as session:
        assert await session.scalar(select(func.count()).select_from(Person)) == 0

    consent_message = await h.press(TEACHER, "Согласен(на)")
    assert h.server.chat(TEACHER)[-2].reply_markup is None  # consent buttons are gone
    assert consent_message.reply_markup is None
    assert "фамилию, имя и отчество" in h.last_text(TEACHER)

    await h.send(TEACHER, "иванова мария петровна")
    assert "предметы" in h.last_text(TEACHER)  # the school came with the invite
    subjects_message = await h.press(TEACHER, "Математика")
    assert "✅ Математика" in subjects_message.button_texts()  # edited in place
    await h.press(TEACHER, "Физика")
    await h.press(TEACHER, "Готово")
    assert "начали работать" in h.last_text(TEACHER)
    await h.press(TEACHER, "2024")
    assert "год рождения" in h.last_text(TEACHER)
    await h.send(TEACHER, "1990")

    summary = h.last_text(TEACHER)
    for expected in ("Иванова Мария Петровна", SCHOOL, "Математика, Физика", "2024", "1990"):
        assert expected in summary
    await h.press(TEACHER, "✅ Всё верно")
    assert "регистрация завершена" in h.last_text(TEACHER)

    menu = h.server.calls_of("setMyCommands")[-1].params
    assert menu["scope"] == {"type": "chat", "chat_id": TEACHER}
    assert {c["command"] for c in menu["commands"]} >= {"profile", "mydata", "forget"}
    assert "invite" not in {c["command"] for c in menu["commands"]}

    async with h.sessionmaker() as session:
        person = await session.scalar(select(Person))
        assert person is not None and person.registered_at is not None
        assert person.full_name == "Иванова Мария Петровна"
        assert (person.started_year, person.birth_year) == (2024, 1990)
        assert [r.role for r in person.roles] == ["teacher"]
        names = await session.scalars(
            select(Subject.name).where(Subject.id.in_([s.subject_id for s in person.subjects]))
        )
        assert sorted(names) == ["Математика", "Физика"]

    await h.send(TEACHER, "/profile")
    assert "молодой педагог" in h.last_text(TEACHER)


async def test_refused_consent_stores_only_the_refusal(harness: Harness) -> None:
    h = harness
    await h.send(TEACHER, f"/start {await h.school_code(SCHOOL)}")
    await h.press(TEACHER, "Не согласен(на)")
    assert "ничего о вас не сохранили" in h.last_text(TEACHER)
    async with h.sessionmaker() as session:
        assert await session.scalar(select(func.count()).select_from(Person)) == 0
        refusal = await session.scalar(select(ConsentRefusal))
        assert refusal is not None and refusal.refused_on.hour == 0
    await h.send(TEACHER, "/profile")
    assert "после регистрации" in h.last_text(TEACHER)


@pytest.mark.parametrize(
    ("code", "expected"),
    [("", "ссылку-приглашение"), ("nonsense", "не найдена"), ("x" * 40, "не найдена")],
)
async def test_start_without_a_valid_code_explains_and_stores_nothing(
    harness: Harness, code: str, expected: str
) -> None:
    await harness.send(TEACHER, f"/start {code}".strip())
    assert expected in harness.last_text(TEACHER)
    assert not harness.server.chat(TEACHER)[-1].buttons()
    async with harness.sessionmaker() as session:
        assert await session.scalar(select(func.count()).select_from(Person)) == 0


async def test_used_up_and_expired_role_links_are_refused(harness: Harness) -> None:
    from datetime import timedelta

    from core.models import Role

    h = harness
    code = await h.role_code(Role.METHODIST)
    await h.send(201, f"/start {code}")
    await h.press(201, "Согласен(на)")
    await h.send(202, f"/start {code}")
    assert "уже использована" in h.last_text(202)

    spare = await h.role_code(Role.MENTOR, uses=5)
    async with h.sessionmaker() as session:
        from core.models import Invite

        invite = await session.scalar(select(Invite).where(Invite.code == spare))
        assert invite is not None
        invite.expires_at = h.clock.now - timedelta(minutes=1)
        await session.commit()
    await h.send(203, f"/start {spare}")
    assert "Срок действия" in h.last_text(203)


async def test_free_text_where_a_button_is_expected_keeps_the_step(harness: Harness) -> None:
    h = harness
    await start_onboarding(h)
    await h.send(TEACHER, "математика")
    assert "кнопкой" in h.texts(TEACHER)[-2]
    assert "Математика" in h.server.last(TEACHER).button_texts()  # the question again
    await h.press(TEACHER, "Готово")
    assert "хотя бы один" in h.toasts()[-1]
    async with h.sessionmaker() as session:
        person = await session.scalar(select(Person))
        assert person is not None and person.step_field == "subjects" and not person.subjects


async def test_invalid_name_is_asked_again(harness: Harness) -> None:
    h = harness
    await h.send(TEACHER, f"/start {await h.school_code(SCHOOL)}")
    await h.press(TEACHER, "Согласен(на)")
    await h.send(TEACHER, "Маша")
    assert "от 2 до 5 слов" in h.texts(TEACHER)[-2]
    await h.send(TEACHER, "Иванова М4рия")
    assert "только буквы" in h.texts(TEACHER)[-2]
    await h.send(TEACHER, "О'Нил-Петрова Анна")
    assert "предметы" in h.last_text(TEACHER)


async def test_button_from_an_old_message_changes_nothing(harness: Harness) -> None:
    h = harness
    await start_onboarding(h)
    subjects_message, math = h.server.find_button(TEACHER, "Математика")
    await h.press(TEACHER, "Математика")
    await h.press(TEACHER, "Готово")
    await h.press_data(TEACHER, subjects_message, math)  # the old subjects question
    assert "устарела" in h.toasts()[-1]
    consent_message = h.server.chat(TEACHER)[1]
    await h.press_data(TEACHER, consent_message, f"cn1:1:{await h.school_code(SCHOOL)}")
    assert "устарела" in h.toasts()[-1]
    async with h.sessionmaker() as session:
        person = await session.scalar(select(Person))
        assert person is not None and person.step_field == "started" and len(person.subjects) == 1
        assert await session.scalar(select(func.count()).select_from(Person)) == 1


async def test_second_start_mid_onboarding_resumes(harness: Harness) -> None:
    h = harness
    code = await h.school_code(SCHOOL)
    await h.send(TEACHER, f"/start {code}")
    await h.press(TEACHER, "Согласен(на)")
    await h.send(TEACHER, "Иванова Мария")
    await h.send(TEACHER, f"/start {code}")
    assert "Продолжим регистрацию" in h.texts(TEACHER)[-2]
    assert "Математика" in h.server.last(TEACHER).button_texts()
    await h.send(TEACHER, "/profile")
    assert "закончите регистрацию" in h.last_text(TEACHER)


async def test_summary_edit_returns_to_the_summary(harness: Harness) -> None:
    h = harness
    await start_onboarding(h)
    await h.press(TEACHER, "Математика")
    await h.press(TEACHER, "Готово")
    await h.press(TEACHER, "2021")
    await h.press(TEACHER, "Пропустить")
    assert "Проверьте" in h.last_text(TEACHER)
    await h.press(TEACHER, "ФИО")
    await h.send(TEACHER, "Петрова Мария Ивановна")
    assert "Проверьте" in h.last_text(TEACHER) and "Петрова Мария Ивановна" in h.last_text(TEACHER)
    await h.press(TEACHER, "Школа")
    await h.press(TEACHER, "МОАУ «Гимназия № 1»")
    assert "Гимназия" in h.last_text(TEACHER)
    await h.press(TEACHER, "✅ Всё верно")
    assert "регистрация завершена" in h.last_text(TEACHER)


async def test_english_speaking_client_gets_english(harness: Harness) -> None:
    h = harness
    await h.send(TEACHER, f"/start {await h.school_code(SCHOOL)}", language="en")
    assert "Consent to personal data processing" in h.last_text(TEACHER)
    await h.press(TEACHER, "I agree", language="en")
    assert "full name" in h.last_text(TEACHER)


async def test_registered_teacher_edits_the_profile_with_buttons(harness: Harness) -> None:
    h = harness
    await register_teacher(h)
    await h.send(TEACHER, "/profile")
    await h.press(TEACHER, "Предметы")
    await h.press(TEACHER, "✅ Физика")  # untick
    await h.press(TEACHER, "Готово")
    profile = h.last_text(TEACHER)
    assert "Ваш профиль" in profile and "Предметы: Математика\n" in profile
    await h.press(TEACHER, "ФИО")
    await h.press(TEACHER, "Отмена")
    assert "Иванова Мария Петровна" in h.last_text(TEACHER)
    await h.press(TEACHER, "Год рождения")
    await h.send(TEACHER, "1980")
    assert "Год рождения: 1980" in h.last_text(TEACHER)
    assert "молодой педагог" in h.last_text(TEACHER)  # still: started in 2024
    # membership of a methodical community: not asked at registration, given from /profile
    assert "Методобъединение или сетевое сообщество: не указано" in h.last_text(TEACHER)
    await h.press(TEACHER, "Методобъединение")
    await h.press(TEACHER, "Да, состою")
    assert "Методобъединение или сетевое сообщество: да" in h.last_text(TEACHER)
    async with h.sessionmaker() as session:
        person = await session.scalar(select(Person))
        assert person is not None and person.step_form is None and person.birth_year == 1980
        assert person.community_member is True


async def test_a_repeated_subject_press_is_idempotent(harness: Harness) -> None:
    h = harness
    await start_onboarding(h)
    message, data = h.server.find_button(TEACHER, "Физика")
    await h.press_data(TEACHER, message, data)
    await h.press_data(TEACHER, message, data)  # the same update delivered again
    assert "✅ Физика" in h.server.last(TEACHER).button_texts()
    async with h.sessionmaker() as session:
        person = await session.scalar(select(Person))
        assert person is not None and len(person.subjects) == 1
