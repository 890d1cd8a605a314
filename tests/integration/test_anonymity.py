"""Anonymous answers cannot be joined to their people, even by someone reading the database."""

import asyncio
import uuid
from datetime import UTC, datetime, timedelta

from sqlalchemy import inspect, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from core.models import (
    AnonymousAnswer,
    AnonymousResponse,
    Campaign,
    CampaignMember,
    Municipality,
    Person,
    PersonSubject,
    Response,
    School,
    Subject,
)
from core.questionnaires.anonymity import release_due
from core.questionnaires.campaigns import close_now
from core.questionnaires.responses import Finished, Question, answer
from core.questionnaires.starting import begin_campaign
from core.texts import load_catalogues
from surveys.registry import load_all

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
K = 5


async def _town(session: AsyncSession) -> tuple[int, list[int]]:
    """A lone young maths teacher at a one-teacher school, and six teachers at another."""
    town = Municipality(name="Город", timezone="Europe/Moscow")
    session.add(town)
    await session.flush()
    small = School(municipality_id=town.id, name="Малокомплектная", teachers=1)
    large = School(municipality_id=town.id, name="Большая", teachers=6)
    maths, russian = Subject(name="Математика"), Subject(name="Русский язык")
    session.add_all([small, large, maths, russian])
    await session.flush()
    people = [(small, maths, 2025)] + [(large, russian, 2000)] * 5 + [(large, maths, 2024)]
    ids = []
    for number, (school, subject, started) in enumerate(people, start=1):
        person = Person(
            telegram_id=number,
            municipality_id=town.id,
            school_id=school.id,
            language="ru",
            consent_at=NOW,
            registered_at=NOW,
            started_year=started,
            full_name=f"Учитель Номер {number}",
        )
        session.add(person)
        await session.flush()
        session.add(PersonSubject(person_id=person.id, subject_id=subject.id))
        ids.append(person.id)
    await session.flush()
    campaign_id = await _campaign(session, town.id, ids, [school.id for school, _, _ in people])
    await session.commit()
    return campaign_id, ids


async def _campaign(
    session: AsyncSession, town: int, people: list[int], schools: list[int]
) -> int:
    """An open anonymous campaign of the support-satisfaction questionnaire for `people`."""
    campaign = Campaign(
        municipality_id=town,
        instrument="support_satisfaction",
        version=1,
        anonymous=True,
        status="open",
        opens_at=NOW,
        opened_at=NOW,
        closes_at=NOW + timedelta(days=7),
        reminder_days=[],
        reminded=[],
        created_at=NOW,
    )
    session.add(campaign)
    await session.flush()
    for person_id, school_id in zip(people, schools, strict=True):
        session.add(
            CampaignMember(campaign_id=campaign.id, person_id=person_id, school_id=school_id)
        )
    await session.flush()
    return campaign.id


async def _take(session: AsyncSession, person_id: int, campaign_id: int, at: datetime) -> None:
    registry = load_all()
    step = await begin_campaign(session, person_id, campaign_id, at, registry)
    for raw in (5, 4, 4, None, 5, 3, 9, "Больше практики"):
        assert isinstance(step, Question)
        step = await answer(session, person_id, step.response_id, step.item.id, raw, at, registry)
    assert isinstance(step, Finished)


async def test_a_one_teacher_schools_answer_cannot_be_joined_to_its_person(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    async with sessionmaker() as session:
        campaign_id, people = await _town(session)
        for minutes, person_id in enumerate(people):
            await _take(session, person_id, campaign_id, NOW + timedelta(minutes=minutes * 7))
        # all seven wait, still theirs, until the release: it takes them all at once
        held = await session.scalars(select(Response.person_id))
        assert sorted(p or 0 for p in held) == sorted(people)
        assert await release_due(session, NOW + timedelta(hours=1), K) == 7
        assert list(await session.scalars(select(Response))) == []

        released = list(await session.scalars(select(AnonymousResponse)))
        facts = await _facts(session, people)
        for row in released:
            # by school, young flag and subjects: at least K people could have given it
            could = [
                p
                for p in facts
                if row.school_id in (None, p[0])
                and row.young in (None, p[2])
                and tuple(row.subject_ids) in ((), p[1])
            ]
            assert len(could) >= K
        small_school = facts[0][0]
        assert all(row.school_id != small_school for row in released)
        # by ids: random, not in any order; no own id or position for an answer
        assert all(isinstance(row.id, uuid.UUID) and row.id.version == 4 for row in released)
        assert {c.name for c in inspect(AnonymousAnswer).columns} == {
            "response_id",
            "item_id",
            "value",
        }
        # by times: only the release day, the same for the whole batch
        assert {row.released_on.replace(tzinfo=UTC) for row in released} == {
            datetime(2026, 11, 23, tzinfo=UTC)
        }
        members = await session.scalars(select(CampaignMember.completed_on))
        assert {m.replace(tzinfo=UTC) for m in members if m} == {
            datetime(2026, 11, 23, tzinfo=UTC)
        }


async def test_a_campaign_closing_with_fewer_than_k_answers_waits_for_k_of_its_kind(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    """Released alone, two answers would be the only ones of their campaign, and its member
    rows would name the two who gave them: they wait, their campaign forgotten, until K
    answers of that questionnaire in the municipality go together."""
    async with sessionmaker() as session:
        first, people = await _town(session)
        person = await session.get(Person, people[0])
        assert person is not None and person.municipality_id is not None
        town, later = person.municipality_id, people[2:5]
        second = await _campaign(session, town, later, [person.school_id or 0] * len(later))
        for person_id in people[:2]:
            await _take(session, person_id, first, NOW)
        assert await release_due(session, NOW, K) == 0  # two wait for more
        await close_now(session, town, first, NOW, load_catalogues(), load_all(), K)
        assert await release_due(session, NOW, K) == 0  # closed with two: they still wait
        for person_id in later:
            await _take(session, person_id, second, NOW)
        await close_now(session, town, second, NOW, load_catalogues(), load_all(), K)
        assert await release_due(session, NOW, K) == 5  # two and three: five together
        released = list(await session.scalars(select(AnonymousResponse)))
        assert [(r.campaign_id, r.seminar_id) for r in released] == [(None, None)] * 5
        assert list(await session.scalars(select(Response))) == []


async def _facts(
    session: AsyncSession, people: list[int]
) -> list[tuple[int, tuple[int, ...], bool]]:
    found = []
    for person_id in people:
        person = await session.get(Person, person_id)
        assert person is not None and person.school_id is not None
        subjects = await session.scalars(
            select(PersonSubject.subject_id).where(PersonSubject.person_id == person_id)
        )
        young = person.started_year is not None and person.started_year >= 2024
        found.append((person.school_id, tuple(sorted(subjects)), young))
    return found


async def test_two_runs_at_once_release_each_answer_once(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    """Two instances' jobs overlapping (a leader handing over): nothing is stored twice."""
    async with sessionmaker() as session:
        campaign_id, people = await _town(session)
        for minutes, person_id in enumerate(people):
            await _take(session, person_id, campaign_id, NOW + timedelta(minutes=minutes))

    async def run() -> int:
        async with sessionmaker() as session:
            return await release_due(session, NOW + timedelta(hours=1), K)

    counts = await asyncio.gather(run(), run(), return_exceptions=True)
    async with sessionmaker() as session:
        stored = len(list(await session.scalars(select(AnonymousResponse))))
        held = len(list(await session.scalars(select(Response))))
    assert (stored, held) == (len(people), 0)
    assert sorted(c for c in counts if isinstance(c, int)) in ([0, 7], [7])
