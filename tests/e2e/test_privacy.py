"""A person sees everything stored about them and can delete it."""

import json
from typing import Any

import pytest
from sqlalchemy import func, select

from core.models import Person, PersonRole, PersonSubject
from tests import factories
from tests.e2e.conftest import Harness
from tests.e2e.test_onboarding import TEACHER, register_teacher

pytestmark = pytest.mark.e2e


async def test_mydata_shows_the_profile_and_sends_a_json_file(harness: Harness) -> None:
    await register_teacher(harness)
    await harness.send(TEACHER, "/mydata")
    message, document = harness.server.chat(TEACHER)[-2:]
    assert "Какие данные о вас хранятся" in (message.text or "")
    assert "Иванова Мария Петровна" in (message.text or "")
    assert document.filename == "pedpulse-my-data.json" and document.document is not None
    record = json.loads(document.document)
    assert record["full_name"] == "Иванова Мария Петровна"
    assert record["telegram_id"] == TEACHER
    assert record["subjects"] == ["Математика", "Физика"]
    assert record["consent_given_at"].startswith("2026-11-23T09:00")


async def test_forget_deletes_everything_after_confirmation(harness: Harness) -> None:
    h = harness
    await register_teacher(h)
    await h.send(TEACHER, "/forget")
    await h.press(TEACHER, "Нет, оставить")
    assert "ничего не удалено" in h.last_text(TEACHER)
    async with h.sessionmaker() as session:
        assert await session.scalar(select(func.count()).select_from(Person)) == 1

    await h.send(TEACHER, "/forget")
    await h.press(TEACHER, "Да, удалить")
    assert "данные удалены" in h.last_text(TEACHER)
    async with h.sessionmaker() as session:
        for table in (Person, PersonRole, PersonSubject):
            assert await session.scalar(select(func.count()).select_from(table)) == 0
    menu = h.server.calls_of("setMyCommands")[-1].params
    assert {c["command"] for c in menu["commands"]} == {"start", "help"}

    await h.send(TEACHER, "/mydata")
    assert "после регистрации" in h.last_text(TEACHER)


async def test_forget_works_mid_onboarding(harness: Harness) -> None:
    h = harness
    await h.send(TEACHER, f"/start {await h.school_code('МОАУ «СОШ № 1»')}")
    await h.press(TEACHER, "Согласен(на)")
    await h.send(TEACHER, "/forget")
    await h.press(TEACHER, "Да, удалить")
    async with h.sessionmaker() as session:
        assert await session.scalar(select(func.count()).select_from(Person)) == 0


async def test_language_switch_changes_replies_and_menu(harness: Harness) -> None:
    h = harness
    await register_teacher(h)
    await h.send(TEACHER, "/language")
    await h.press(TEACHER, "English")
    assert h.last_text(TEACHER) == "Done, I now speak English."
    menu = h.server.calls_of("setMyCommands")[-1].params
    assert any(c["description"] == "delete my data" for c in menu["commands"])
    await h.send(TEACHER, "/profile")
    assert "Your profile" in h.last_text(TEACHER)
    await h.send(TEACHER, "/nonsense")
    assert h.last_text(TEACHER) == "There is no such command. Commands: /help."


def _in_group(update: dict[str, Any], group: int) -> dict[str, Any]:
    inner = update.get("message") or update["callback_query"]["message"]
    inner["chat"] = {"id": group, "type": "supergroup", "title": "Учительская"}
    return update


async def test_nothing_is_answered_in_a_group_chat(harness: Harness) -> None:
    """Commands and buttons in a group the bot was added to get no reply there (it would show
    the person's data to the whole group) and change nothing."""
    h, group = harness, -100123
    await register_teacher(h)
    sent = len(h.server.calls)
    for command in ("/mydata", "/profile", "/forget", "/start", "Привет"):
        await h.send_raw(_in_group(factories.message(TEACHER, command), group))
    await h.send(TEACHER, "/forget")  # its «Да, удалить» pressed on a copy in the group
    message, data = h.server.find_button(TEACHER, "Да, удалить")
    json_of = h.server.message_json(message)
    await h.send_raw(_in_group(factories.callback(TEACHER, message, json_of, data, "ru"), group))
    assert h.server.chat(group) == []
    assert [c.method for c in h.server.calls[sent:]] == ["sendMessage"]  # only /forget's question
    async with h.sessionmaker() as session:
        assert await session.scalar(select(func.count()).select_from(Person)) == 1
