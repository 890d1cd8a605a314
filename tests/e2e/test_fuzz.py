"""Fuzzed input from people of every kind, in the middle of every form: no unhandled error,
every update answered in the person's own language, nobody else's data changed.

A seeded generator (repeatable): random texts up to 5,000 characters, every command with
random arguments, and callback data taken from other people's chats, mutated or random.
"""

import logging
import random
import string
from typing import Any

import pytest
from sqlalchemy import select

from bot.commands import COMMANDS
from core.models import Base, Person
from core.texts import load_catalogues
from tests import factories
from tests.e2e.conftest import Harness
from tests.e2e.test_announce import METHODIST, _town
from tests.e2e.test_campaigns import answer_all
from tests.e2e.test_seminars import create_online_seminar
from tests.e2e.test_surveys import answer_cbi

pytestmark = pytest.mark.e2e
INPUTS = {"sqlite": 2000, "postgres": 500}  # the rules are the same; PostgreSQL is slower
VICTIMS = (501, 502)  # their rows must not change
ENGLISH = 503
ATTACKERS = (ENGLISH, 504, 600, 601, 900)  # teacher, other town, stranger, onboarding, admin
ALPHABET = string.printable + "абвгдеёжзийклмнопрстуфхцчшщыэюяАБВ<>&\"'«»—😀\u200b\n"


async def _scene(h: Harness) -> None:
    """People in every state: registered, mid-questionnaire, mid-onboarding, forms open."""
    await _town(h)
    await create_online_seminar(h, capacity="30")
    await h.press(METHODIST, "📣 Опубликовать")
    await h.sender.drain()
    await h.press(501, "Записаться")
    await answer_cbi(h, 501, "Иногда", "В некоторой степени")
    await h.send(502, "/surveys")
    await h.press(502, "Профессиональное самочувствие (риск выгорания, CBI)")
    await answer_all(h, 502, limit=5)
    await h.send(ENGLISH, "/language")
    await h.press(ENGLISH, "English")
    await h.send(601, f"/start {await h.school_code('МОАУ «СОШ № 1»')}")
    await h.press(601, "Согласен(на)")
    await h.send(METHODIST, "/campaign_new")  # left open: buttons of a form in progress


def _text(rng: random.Random) -> str:
    size = rng.choice([1, 3, 10, 60, 300, 5000]) if rng.random() < 0.9 else rng.randint(1, 5000)
    return "".join(rng.choice(ALPHABET) for _ in range(size)).strip() or "?"


def _command(rng: random.Random) -> str:
    name = rng.choice([*COMMANDS, "start", "nonsense", "START", "help@pedpulse_test_bot"])
    args = rng.choice(["", " " + _text(rng)[:40], " 1", " -1", " " + "A" * 64])
    return f"/{name}{args}"


def _mutated(rng: random.Random, data: str) -> str:
    parts = data.split(":")
    choice = rng.random()
    if choice < 0.3:
        index = rng.randrange(len(parts))
        parts[index] = rng.choice(["0", "-1", "999999", "", "x", "2147483648", parts[index] * 2])
        return ":".join(parts)[:64]
    if choice < 0.5:
        return data[: rng.randint(0, len(data))]
    if choice < 0.6:
        return "".join(rng.choice(string.printable) for _ in range(rng.randint(1, 64)))
    return data


def _harvest(h: Harness) -> list[str]:
    return [
        str(button["callback_data"])
        for message in h.server.messages.values()
        for button in message.buttons()
        if "callback_data" in button
    ]


async def _feed(h: Harness, rng: random.Random, user: int, buttons: list[str]) -> None:
    kind = rng.random()
    if kind < 0.35:
        await h.send(user, _text(rng), language="ru")
    elif kind < 0.55:
        await h.send(user, _command(rng), language="ru")
    else:
        data = _mutated(rng, rng.choice(buttons)) if buttons else "x"
        chat = h.server.chat(user) or list(h.server.messages.values())
        message = rng.choice(chat)
        json = h.server.message_json(message)
        json["chat"] = {"id": user, "type": "private"}
        update = factories.callback(user, message, json, data or "x", "ru")
        await h.send_raw(update)


async def _snapshot(h: Harness, people: set[int]) -> list[tuple[str, dict[str, Any]]]:
    """Every row that refers to one of `people` (by their person ids)."""
    rows = []
    async with h.sessionmaker() as session:
        for table in Base.metadata.sorted_tables:
            keys = [
                c
                for c in table.c
                if c.foreign_keys and any(k.column.table.name == "person" for k in c.foreign_keys)
            ]
            if table.name == "person":
                keys = [table.c.id]
            for row in (await session.execute(select(table))).mappings():
                if any(row[c.name] in people for c in keys):
                    rows.append((table.name, dict(row)))
    return sorted(rows, key=repr)


async def _language(h: Harness, user: int) -> str | None:
    async with h.sessionmaker() as session:
        return await session.scalar(select(Person.language).where(Person.telegram_id == user))


def _russian_openings() -> set[str]:
    """How Russian-only replies begin (catalogue texts up to their first placeholder)."""
    ru, en = load_catalogues()["ru"].catalogue, load_catalogues()["en"].catalogue
    openings = set()
    for key, text in ru.items():
        head = text.split("{")[0].strip()
        if len(head) >= 12 and head not in en[key]:
            openings.add(head)
    return openings


async def test_fuzzed_input_breaks_nothing(
    harness: Harness, caplog: pytest.LogCaptureFixture, database_url: str
) -> None:
    h = harness
    await _scene(h)
    async with h.sessionmaker() as session:
        ids = await session.scalars(select(Person.id).where(Person.telegram_id.in_(VICTIMS)))
        victims = set(ids)
    before = await _snapshot(h, victims)
    buttons = _harvest(h)
    caplog.set_level(logging.ERROR)
    rng = random.Random(20261202)
    openings = _russian_openings()
    inputs = INPUTS["sqlite" if database_url.startswith("sqlite") else "postgres"]
    for number in range(inputs):
        user = rng.choice(ATTACKERS)
        calls = len(h.server.calls)
        await _feed(h, rng, user, buttons)
        answered = [
            c
            for c in h.server.calls[calls:]
            if c.method == "answerCallbackQuery" or str(c.params.get("chat_id")) == str(user)
        ]
        assert answered, f"input {number} to {user} got no answer"
        if user == ENGLISH and await _language(h, user) == "en":  # they may switch, too
            for call in answered:
                said = str(call.params.get("text", ""))
                assert not any(said.startswith(o) for o in openings), (number, said)
        if number % 200 == 0:
            buttons = _harvest(h)
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR] == []
    assert not any("что-то пошло не так" in t for u in ATTACKERS for t in h.texts(u))
    assert await _snapshot(h, victims) == before


EDGES = ("2147483648", "9223372036854775808", "-9223372036854775809", "-2147483649")


async def test_numbers_beyond_the_databases_integers_are_unknown_buttons(
    harness: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    """Every number of every kind of button, replaced by one past 32 and 64 bits (PostgreSQL's
    INTEGER, SQLite's): «кнопка устарела», never a database error."""
    h = harness
    await _scene(h)
    kinds = {tuple(d.split(":")[:2]): d for d in _harvest(h)}
    caplog.set_level(logging.ERROR)
    tried = 0
    for data in kinds.values():
        parts = data.split(":")
        for index, part in enumerate(parts):
            if not part.lstrip("-").isdigit():
                continue
            for edge in EDGES:
                forged = ":".join([*parts[:index], edge, *parts[index + 1 :]])
                message = h.server.chat(501)[-1]
                calls = len(h.server.calls)
                await h.send_raw(
                    factories.callback(501, message, h.server.message_json(message), forged)
                )
                assert h.server.calls_of("answerCallbackQuery")[-1] in h.server.calls[calls:]
                tried += 1
    assert tried > 50  # every kind of button of the scene, not a handful
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR] == []
    assert not any("что-то пошло не так" in t for t in h.texts(501))
