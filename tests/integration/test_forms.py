"""Every form through the engine, from a table: a wrong and a right value for each field,
then a correction from the summary, leaving a correction, and stale buttons."""

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from core import forms as engine
from core.domains import FORMS
from core.errors import InvalidInput, StaleAction
from core.forms import SUMMARY, Act, Context, Press
from core.messaging import announcements
from core.models import Announcement, Campaign, Person, PersonRole, Seminar
from core.people import profile
from core.people.roster import import_roster, parse_roster
from core.people.viewer import pending_of
from core.questionnaires import campaign_form
from core.seminars import form as seminar_form
from core.tables import read_table
from core.texts import load_catalogues
from surveys.registry import load_all

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
ROSTER = Path(__file__).resolve().parents[2] / "examples" / "roster.csv"
CTX = Context(NOW, load_catalogues(), load_all())

# (field, what, value, the refusal expected or None): applied in order
SEMINAR = [
    ("title", "type", "ab", "seminar_title_length"),
    ("title", "type", "Формирующее оценивание", None),
    ("description", "choose", 5, StaleAction),
    ("description", "type", "Практикум", None),
    ("start", "type", "завтра", "seminar_start_format"),
    ("start", "type", "01.01.2020 10:00", "seminar_in_past"),
    ("start", "type", "25.12.2026 15:00", None),
    ("duration", "type", "90", "use_buttons"),
    ("duration", "choose", 77, StaleAction),
    ("duration", "choose", 90, None),
    ("format", "choose", 9, StaleAction),
    ("format", "choose", 1, None),  # online: no place asked
    ("link", "type", "ftp://x", "seminar_link_format"),
    ("link", "type", "https://meet.example.org/fo", None),
    ("capacity", "type", "много", "seminar_capacity_format"),
    ("capacity", "type", "25", None),
    ("tags", "tick", 99, StaleAction),
    ("tags", "tick", 3, None),
    ("tags", "done", 0, None),
    ("audience", "done", 0, StaleAction),  # nothing chosen yet
    ("audience", "kind", 0, None),
]
CAMPAIGN = [
    ("instrument", "key", "seminar_feedback", StaleAction),  # belongs to seminars
    ("instrument", "key", "cbi", None),
    ("audience", "kind", 1, None),  # chosen schools: then ticked
    ("audience", "tick", 1, None),
    ("audience", "done", 0, None),
    ("opens", "type", "когда-нибудь", "seminar_start_format"),
    ("opens", "choose", 0, None),
    ("closes", "type", "23.11.2026 14:30", "campaign_deadline_too_soon"),  # UTC+5: in 30 min
    ("closes", "choose", 3, StaleAction),
    ("closes", "choose", 14, None),
    ("reminders", "tick", 5, StaleAction),
    ("reminders", "tick", -3, None),
    ("reminders", "done", 0, None),
    ("mode", "choose", 2, StaleAction),
    ("mode", "choose", 1, None),
]
PROFILE = [
    ("name", "type", "Иванова", "name_words"),
    ("name", "type", "иванова мария петровна", None),
    ("school", "choose", 999, StaleAction),
    ("school", "choose", 1, None),
    ("subjects", "done", 0, "subjects_empty"),
    ("subjects", "tick", 1, None),
    ("subjects", "done", 0, None),
    ("started", "type", "1900", "started_year_range"),
    ("started", "choose", 2024, None),
    ("birth", "type", "год", "year_format"),
    ("birth", "choose", 0, None),  # skipped
]
ANNOUNCEMENT = [
    ("text", "type", "", "announce_empty"),
    ("text", "type", "x" * 5000, "announce_too_long"),
    ("text", "type", "Совещание в пятницу", None),
    ("audience", "kind", 9, StaleAction),
    ("audience", "kind", 3, None),  # young teachers
]


async def _person(session: AsyncSession, role: str) -> int:
    await import_roster(session, parse_roster(read_table(ROSTER), "Europe/Moscow"))
    person = Person(telegram_id=7, municipality_id=1, language="ru", consent_at=NOW)
    person.roles.append(PersonRole(role=role))
    if role != "teacher":
        person.registered_at = NOW
    session.add(person)
    await session.commit()
    return person.id


async def _run(
    session: AsyncSession, person_id: int, form: str, table: list[tuple[str, str, Any, Any]]
) -> None:
    """Apply the table; each refusal leaves the field asked, each value moves on."""
    names = [f.name for f in FORMS[form].fields]
    for field, what, value, refusal in table:
        person = await session.get(Person, person_id)
        assert person is not None
        pending = pending_of(person)
        assert pending is not None and pending.field == field, (field, pending)
        target = pending.target or 0
        act = {"choose": Act.CHOOSE, "key": Act.CHOOSE, "tick": Act.TICK, "done": Act.DONE}
        act |= {"kind": Act.KIND}
        if what == "type":
            call = engine.typed(session, person_id, value, FORMS, CTX)
        else:
            key, number = (value, 0) if what == "key" else ("", value)
            press = Press(form, target, act[what], names.index(field), number, key)
            call = engine.pressed(session, person_id, press, FORMS, CTX)
        if refusal is None:
            await call
            continue
        error = StaleAction if refusal is StaleAction else InvalidInput
        with pytest.raises(error) as raised:
            await call
        if error is InvalidInput:
            assert raised.value.code == refusal
        await session.rollback()
        person = await session.get(Person, person_id)
        assert person is not None and pending_of(person) == pending  # nothing changed


async def _at_summary(session: AsyncSession, person_id: int) -> int:
    person = await session.get(Person, person_id)
    assert person is not None
    pending = pending_of(person)
    assert pending is not None and pending.field == SUMMARY
    return pending.target or 0


async def test_the_seminar_form(sessionmaker: async_sessionmaker[AsyncSession]) -> None:
    async with sessionmaker() as session:
        me = await _person(session, "methodist")
        await seminar_form.start(session, me, CTX)
        await _run(session, me, "seminar", SEMINAR)
        target = await _at_summary(session, me)
        seminar = await session.get(Seminar, target)
        assert seminar is not None and (seminar.title, seminar.capacity) == (
            "Формирующее оценивание",
            25,
        )
        assert seminar.tags == ["method"] and seminar.place is None
        await _corrections(session, me, "seminar", target, "title", "Новое название")
        await session.refresh(seminar)
        assert seminar.title == "Новое название"


async def test_the_campaign_form(sessionmaker: async_sessionmaker[AsyncSession]) -> None:
    async with sessionmaker() as session:
        me = await _person(session, "methodist")
        await campaign_form.start(session, me, CTX)
        await _run(session, me, "campaign", CAMPAIGN)
        target = await _at_summary(session, me)
        campaign = await session.get(Campaign, target)
        assert campaign is not None and campaign.instrument == "cbi" and campaign.anonymous
        assert campaign.reminder_days == [1] and campaign.audience == {
            "kind": "schools",
            "ids": [1],
        }
        await _corrections(session, me, "campaign", target, "opens", "01.12.2026 09:00")


async def test_the_profile_form(sessionmaker: async_sessionmaker[AsyncSession]) -> None:
    async with sessionmaker() as session:
        me = await _person(session, "teacher")
        person = await session.get(Person, me)
        assert person is not None
        await profile.start(session, person, CTX)
        await _run(session, me, "profile", PROFILE)
        await _at_summary(session, me)
        assert (person.full_name, person.started_year, person.birth_year) == (
            "Иванова Мария Петровна",
            2024,
            None,
        )
        await _corrections(session, me, "profile", 0, "name", "Петрова Анна Ивановна")
        assert person.full_name == "Петрова Анна Ивановна"


async def test_the_announcement_form(sessionmaker: async_sessionmaker[AsyncSession]) -> None:
    async with sessionmaker() as session:
        me = await _person(session, "methodist")
        await announcements.start(session, me, CTX)
        await _run(session, me, "announce", ANNOUNCEMENT)
        target = await _at_summary(session, me)
        draft = await session.get(Announcement, target)
        assert draft is not None and draft.audience == {"kind": "young", "ids": []}
        await _corrections(session, me, "announce", target, "text", "Совещание в четверг")
        assert draft.text == "Совещание в четверг"


async def _corrections(
    session: AsyncSession, me: int, form: str, target: int, field: str, typed: str
) -> None:
    """From the summary: leave a correction unchanged, then make one; a stale press does
    nothing but say so."""
    index = [f.name for f in FORMS[form].fields].index(field)
    await engine.pressed(session, me, Press(form, target, Act.EDIT, index), FORMS, CTX)
    await engine.pressed(session, me, Press(form, target, Act.BACK, index), FORMS, CTX)
    assert await _at_summary(session, me) == target
    with pytest.raises(StaleAction):  # BACK again: no correction is open
        await engine.pressed(session, me, Press(form, target, Act.BACK, index), FORMS, CTX)
    await session.rollback()
    with pytest.raises(StaleAction):  # a button of another draft
        await engine.pressed(session, me, Press(form, target + 1, Act.EDIT, index), FORMS, CTX)
    await session.rollback()
    await engine.pressed(session, me, Press(form, target, Act.EDIT, index), FORMS, CTX)
    await engine.typed(session, me, typed, FORMS, CTX)
    assert await _at_summary(session, me) == target
