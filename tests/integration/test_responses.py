"""Responses in the database: idempotent answers and the anonymous mode's separation."""

from dataclasses import replace
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from core.models import Completion, Municipality, Person, Response, School
from core.questionnaires.anonymity import release_due
from core.questionnaires.responses import Finished, Question, answer
from core.questionnaires.starting import begin
from surveys.registry import load_all

NOW = datetime(2026, 11, 23, 14, 37, tzinfo=UTC)


async def _person(session: AsyncSession) -> int:
    town = Municipality(name="Город", timezone="Europe/Moscow")
    session.add(town)
    await session.flush()
    school = School(municipality_id=town.id, name="Школа", teachers=10)
    session.add(school)
    await session.flush()
    person = Person(
        telegram_id=1,
        municipality_id=town.id,
        school_id=school.id,
        language="ru",
        consent_at=NOW,
        registered_at=NOW,
        started_year=2025,
        full_name="Тест Тестов",
    )
    session.add(person)
    await session.commit()
    return person.id


async def test_an_anonymous_answer_waits_for_its_batch(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    registry = load_all()
    registry["support_satisfaction"] = replace(registry["support_satisfaction"], self_service=True)
    async with sessionmaker() as session:
        person_id = await _person(session)
        step = await begin(session, person_id, "support_satisfaction", NOW, registry)
        for raw in (5, 4, 4, None, 5, 3, 9, "Больше практики"):
            assert isinstance(step, Question)
            step = await answer(
                session, person_id, step.response_id, step.item.id, raw, NOW, registry
            )
        assert isinstance(step, Finished)
        assert step.result.to_json()["derived"] == {"satisfied": True, "nps": "promoter"}
    async with sessionmaker() as session:
        response = await session.scalar(select(Response))
        # held, still the person's, until a batch of MIN_GROUP_SIZE is released together
        assert response is not None and response.person_id == person_id and response.anonymous
        assert await release_due(session, NOW, 5) == 0
        completion = await session.scalar(select(Completion))
        assert completion is not None and completion.person_id == person_id
        assert completion.completed_on.hour == 0  # the day only


async def test_the_same_answer_twice_is_saved_once(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    registry = load_all()
    async with sessionmaker() as session:
        person_id = await _person(session)
        step = await begin(session, person_id, "cbi", NOW, registry)
        assert isinstance(step, Question)
        first = await answer(session, person_id, step.response_id, "q1", 4, NOW, registry)
        again = await answer(session, person_id, step.response_id, "q1", 4, NOW, registry)
        assert isinstance(first, Question) and isinstance(again, Question)
        assert first.item.id == again.item.id == "q2" and again.answered == 1
