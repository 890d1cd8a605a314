"""Anonymous answers of a questionnaire's old version never wait for ever, linked to their
people: once no answer of that version can join them, they are deleted and each person is
told; never released fewer than K together."""

import asyncio
from dataclasses import replace
from datetime import timedelta

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from core.config import Settings
from core.models import (
    AnonymousResponse,
    Answer,
    CampaignMember,
    Delivery,
    Person,
    Response,
    ResponseStatus,
)
from core.questionnaires.campaigns import close_now
from core.questionnaires.stranded import drop_stranded
from core.scheduler import JOBS, JobContext, tick
from core.texts import load_catalogues
from surveys.model import Instrument
from surveys.registry import load_all
from tests.integration.test_anonymity import NOW, K, _take, _town

KEY = "support_satisfaction"
RELEASE = next(job for job in JOBS if job.name == "anonymous release")


def _updated() -> dict[str, Instrument]:
    """The registry after the questionnaire's file got version 2."""
    registry = load_all()
    return {**registry, KEY: replace(registry[KEY], version=2)}


async def _own(
    session: AsyncSession, person_id: int, completed: bool = False, version: int = 1
) -> None:
    """An anonymous answer begun (or completed) outside any campaign or seminar."""
    response = Response(
        person_id=person_id,
        instrument=KEY,
        version=version,
        anonymous=True,
        started_at=NOW,
        status=ResponseStatus.COMPLETED if completed else ResponseStatus.IN_PROGRESS,
        completed_at=NOW if completed else None,
    )
    session.add(response)
    await session.flush()
    session.add(Answer(response_id=response.id, item_id="q1", value=5, position=1))
    await session.commit()


async def _count(session: AsyncSession, model: type) -> int:
    return int(await session.scalar(select(func.count()).select_from(model)) or 0)


async def test_an_old_versions_pool_short_of_k_is_deleted_once_nothing_can_join_it(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    catalogues, later = load_catalogues(), NOW + timedelta(days=1)
    async with sessionmaker() as session:
        campaign, people = await _town(session)
        for person_id in people[:2]:
            await _take(session, person_id, campaign, NOW)
        await _own(session, people[2])  # unfinished: can never be finished now
        await _own(session, people[3], completed=True)  # outside any campaign
        # the questionnaire unchanged: everything waits for more answers
        assert await drop_stranded(session, later, K, load_all(), catalogues) == 0
        # changed, but the campaign is open: its answers wait for its close
        assert await drop_stranded(session, later, K, _updated(), catalogues) == 0
        assert await _count(session, Response) == 4
        town = (await session.get(Person, people[0])).municipality_id  # type: ignore[union-attr]
        await close_now(session, town, campaign, later, catalogues, load_all(), K)
    # the scheduler's release job: three are fewer than K, so none is released; all four go
    context = JobContext(catalogues, Settings(_env_file=None, min_group_size=K), _updated())
    assert await tick(sessionmaker, context, later, [RELEASE]) == 4
    async with sessionmaker() as session:
        assert await _count(session, Response) == 0 and await _count(session, Answer) == 0
        assert await _count(session, AnonymousResponse) == 0  # never released
        members = await session.scalars(select(CampaignMember.completed_on))
        assert sum(1 for day in members if day is not None) == 2  # participation stays
        told = await session.execute(select(Delivery.person_id, Delivery.text))
        texts = {person or 0: text or "" for person, text in told if "удалены" in (text or "")}
        assert sorted(texts) == sorted(people[:4])
        assert "не вошли в статистику" in texts[people[0]] and "23.11.2026" in texts[people[0]]
        assert "закончить уже нельзя" in texts[people[2]]
        # a second run finds nothing and tells nobody again
        queued = await _count(session, Delivery)
        assert await drop_stranded(session, later, K, _updated(), catalogues) == 0
        assert await _count(session, Delivery) == queued


async def test_nothing_goes_that_could_still_be_released_or_whose_file_is_not_newer(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    catalogues = load_catalogues()
    async with sessionmaker() as session:
        _, people = await _town(session)
        for person_id in people[:K]:  # K of the old version: the release takes them
            await _own(session, person_id, completed=True)
        await _own(session, people[K], version=3)  # a file gone back to version 1, or 2
        assert await drop_stranded(session, NOW, K, _updated(), catalogues) == 0
        assert await drop_stranded(session, NOW, K, load_all(), catalogues) == 0
        missing = {key: i for key, i in load_all().items() if key != KEY}
        assert await drop_stranded(session, NOW, K, missing, catalogues) == 0
        assert await _count(session, Response) == K + 1


async def test_two_runs_at_once_delete_and_tell_once(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    """Two instances' jobs overlapping (a leader handing over)."""
    async with sessionmaker() as session:
        _, people = await _town(session)
        for person_id in people[:3]:
            await _own(session, person_id, completed=True)
        await _own(session, people[3])

    async def run() -> int:
        async with sessionmaker() as session:
            return await drop_stranded(session, NOW, K, _updated(), load_catalogues())

    counts = await asyncio.gather(run(), run(), return_exceptions=True)
    assert sorted(c for c in counts if isinstance(c, int)) in ([0, 4], [4])
    async with sessionmaker() as session:
        assert await _count(session, Response) == 0 and await _count(session, Answer) == 0
        assert await _count(session, Delivery) == 4
