"""A mentor from before profiles existed gets one when first needed: made inside the
transaction of the work that needs it (given up with that work), and once when two screens
need it at the same moment."""

import asyncio
from datetime import UTC, datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from core.mentoring.people import mentor_profile
from core.models import MentorProfile, Municipality, Person, PersonRole, Role

NOW = datetime(2026, 11, 23, 9, tzinfo=UTC)
Maker = async_sessionmaker[AsyncSession]


async def _old_mentor(maker: Maker) -> int:
    async with maker() as session:
        town = Municipality(name="Город", timezone="Europe/Moscow")
        session.add(town)
        await session.flush()
        mentor = Person(telegram_id=7, municipality_id=town.id, language="ru", consent_at=NOW,
                        registered_at=NOW, roles=[PersonRole(role=Role.MENTOR)])  # fmt: skip
        session.add(mentor)
        await session.commit()
        return mentor.id


async def _profiles(maker: Maker) -> int:
    async with maker() as session:
        return int(await session.scalar(select(func.count()).select_from(MentorProfile)) or 0)


async def test_a_profile_made_for_work_that_is_given_up_is_given_up_too(
    sessionmaker: Maker,
) -> None:
    person_id = await _old_mentor(sessionmaker)
    async with sessionmaker() as session:
        person = await session.get(Person, person_id)
        assert person is not None
        profile = await mentor_profile(session, person)
        assert profile.areas == [] and profile.confirmed_at is not None
        assert profile.confirmed_at.replace(tzinfo=None) == NOW.replace(tzinfo=None)
        await session.rollback()  # the work that needed it failed
    assert await _profiles(sessionmaker) == 0


async def test_two_screens_at_once_make_one_profile(sessionmaker: Maker) -> None:
    person_id = await _old_mentor(sessionmaker)

    async def screen() -> int:
        async with sessionmaker() as session:
            person = await session.get(Person, person_id)
            assert person is not None
            profile = await mentor_profile(session, person)
            await session.commit()
            return profile.person_id

    assert list(await asyncio.gather(screen(), screen())) == [person_id, person_id]
    assert await _profiles(sessionmaker) == 1
