"""Role links, per-role command menus, and the refusal of every privileged command."""

import logging

import pytest
from sqlalchemy import select

from bot.commands import COMMANDS, Access
from core.models import Invite, Person, Role
from tests import factories
from tests.e2e.conftest import Harness
from tests.e2e.test_onboarding import TEACHER, register_teacher

pytestmark = pytest.mark.e2e
PRIVILEGED = [spec for spec in COMMANDS.values() if spec.access_roles]


async def register_with_role(h: Harness, user_id: int, role: Role) -> None:
    """Register through a one-time role link, outside any school where the role allows it."""
    await h.send(user_id, f"/start {await h.role_code(role)}")
    await h.press(user_id, "Согласен(на)")
    await h.send(user_id, "Петров Пётр Петрович")
    if role in (Role.METHODIST, Role.ADMIN):
        await h.press(user_id, "Не работаю в школе")
    else:
        await h.press(user_id, "МОАУ «СОШ № 1»")
        await h.press(user_id, "Математика")
        await h.press(user_id, "Готово")
        await h.send(user_id, "2010")
        await h.press(user_id, "Пропустить")
    await h.press(user_id, "✅ Всё верно")
    assert "регистрация завершена" in h.last_text(user_id)


@pytest.mark.parametrize("role", list(Role))
async def test_every_privileged_command_is_refused_without_its_role(
    harness: Harness, role: Role
) -> None:
    h = harness
    if role == Role.TEACHER:
        await register_teacher(h, 300)
    else:
        await register_with_role(h, 300, role)
    for spec in PRIVILEGED:
        if role in spec.rule.roles:
            continue
        await h.send(300, f"/{spec.name}")
        assert "доступна только для ролей" in h.last_text(300), spec.name


async def test_privileged_commands_ask_strangers_to_register(harness: Harness) -> None:
    for spec in PRIVILEGED:
        await harness.send(555, f"/{spec.name}")
        assert "после регистрации" in harness.last_text(555), spec.name


async def test_privileged_commands_wait_for_the_end_of_registration(harness: Harness) -> None:
    h = harness
    await h.send(301, f"/start {await h.role_code(Role.METHODIST)}")
    await h.press(301, "Согласен(на)")
    await h.send(301, "/overview")
    assert "закончите регистрацию" in h.last_text(301)


async def test_methodist_menu_and_overview_with_suppression(harness: Harness) -> None:
    h = harness
    await register_with_role(h, 400, Role.METHODIST)
    menu = h.server.calls_of("setMyCommands")[-1].params
    assert {"invite", "overview"} <= {c["command"] for c in menu["commands"]}
    await register_teacher(h, 401)
    await h.send(400, "/overview")
    text = h.last_text(400)
    assert "Охват регистрации" in text
    # one registered teacher at one school: hidden, and so is a second school (complement)
    assert "МОАУ «СОШ № 1»: <5 из 54" in text
    school_lines = [line for line in text.splitlines() if line.startswith("МОАУ")]
    assert sum("<5 из" in line for line in school_lines) == 2  # one more hidden: complement
    assert "Всего: <5 из 153" in text
    assert "Аксай" not in text  # another municipality


async def test_methodist_invite_gives_school_links_of_own_municipality_only(
    harness: Harness,
) -> None:
    h = harness
    await register_with_role(h, 400, Role.METHODIST)
    await h.send(400, "/invite")
    buttons = h.server.last(400).button_texts()
    assert "МОАУ «Гимназия № 1»" in buttons and not any("Роль" in b for b in buttons)
    await h.press(400, "МОАУ «Гимназия № 1»")
    assert "https://t.me/pedpulse_test_bot?start=" in h.last_text(400)
    foreign = "iv1:s:4:0:"  # a school of another municipality, forged
    await h.press_data(400, h.server.last(400), foreign)
    assert "устарела" in h.toasts()[-1]


async def test_bootstrap_admin_makes_a_role_link_that_grants_the_role(harness: Harness) -> None:
    h = harness
    await h.send(900, "/invite")
    assert "Для какого муниципалитета" in h.last_text(900)
    await h.press(900, "г. Новотроицк")
    await h.press(900, "Роль: наставник")
    link = h.last_text(900).split()[-1]
    assert link.startswith("https://t.me/pedpulse_test_bot?start=")
    code = link.rsplit("=", 1)[1]

    await register_teacher(h)
    await h.send(TEACHER, f"/start {code}")
    assert "роль «наставник»" in h.last_text(TEACHER)
    async with h.sessionmaker() as session:
        person = await session.scalar(select(Person).where(Person.telegram_id == TEACHER))
        assert person is not None
        assert sorted(r.role for r in person.roles) == ["mentor", "teacher"]
        invite = await session.scalar(select(Invite).where(Invite.code == code))
        assert invite is not None and invite.uses == 1


async def test_unknown_input_gets_clear_answers(harness: Harness) -> None:
    h = harness
    await h.send(TEACHER, "/nonsense")
    assert "Такой команды нет" in h.last_text(TEACHER)
    await h.send_raw(factories.sticker(TEACHER))
    assert "не понял" in h.last_text(TEACHER)
    await h.send(TEACHER, "/help")
    assert "/start" in h.last_text(TEACHER) and "/invite" not in h.last_text(TEACHER)
    await h.press_data(TEACHER, h.server.last(TEACHER), "zz9:unknown")
    assert "устарела" in h.toasts()[-1]


async def test_an_error_gets_an_apology_and_the_log_keeps_no_text(
    harness: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    h = harness
    code = await h.school_code("МОАУ «СОШ № 1»")
    await h.send(TEACHER, f"/start {code}")
    await h.press(TEACHER, "Согласен(на)")
    h.server.inject("sendMessage", status=500, chat_id=TEACHER)
    with caplog.at_level(logging.INFO):
        await h.send(TEACHER, "Секретова Тайна Ивановна")
    assert "что-то пошло не так" in h.last_text(TEACHER)
    assert "update" in caplog.text and "TelegramServerError" in caplog.text
    assert "Секретова" not in caplog.text
    async with h.sessionmaker() as session:  # the answer was saved before the reply failed
        person = await session.scalar(select(Person))
        assert person is not None and person.full_name == "Секретова Тайна Ивановна"
    await h.send(TEACHER, f"/start {code}")
    assert "Математика" in h.server.last(TEACHER).button_texts()


def test_role_commands_are_listed_for_the_refusal_tests() -> None:
    assert {spec.name for spec in PRIVILEGED} == {
        "invite",
        "overview",
        "announce",
        "support",
        "seminar_new",
        "myseminars",
        "campaign_new",
        "campaigns",
        "mentees",
        "mentoring",
        "report",
        "export",
        "summary_settings",
    }
    assert all(spec.rule.access == Access.ROLES for spec in PRIVILEGED)
