"""Invite codes: permanent school links, one-time role links, expiry and use counting."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from core.errors import InviteError, StaleAction
from core.models import Municipality, Role, School
from core.people.invites import (
    RoleInviteRequest,
    check_invite,
    find_school,
    parse_duration,
    role_link,
    school_link,
    use_invite,
)

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


async def _seed(session: AsyncSession) -> tuple[int, int]:
    town = Municipality(name="Город", timezone="Europe/Moscow")
    other = Municipality(name="Село", timezone="Asia/Omsk")
    session.add_all([town, other])
    await session.flush()
    school = School(municipality_id=town.id, name="Гимназия № 2", teachers=40)
    session.add_all([school, School(municipality_id=other.id, name="Гимназия № 2", teachers=9)])
    await session.commit()
    return town.id, school.id


async def test_school_link_is_permanent_and_scoped(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    async with sessionmaker() as session:
        town_id, school_id = await _seed(session)
        first = await school_link(session, school_id, NOW)
        assert (await school_link(session, school_id, NOW)).code == first.code
        assert first.place == "Гимназия № 2"
        with pytest.raises(StaleAction):
            await school_link(session, school_id, NOW, allowed=town_id + 1)
        info = await check_invite(session, first.code, NOW + timedelta(days=3650))
        assert (info.role, info.school_id, info.municipality) == (Role.TEACHER, school_id, "Город")
        for _ in range(3):
            await use_invite(session, info.id)  # unlimited uses


async def test_role_link_expires_and_is_used_once(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    async with sessionmaker() as session:
        town_id, _ = await _seed(session)
        request = RoleInviteRequest(Role.METHODIST, town_id, parse_duration("7d"), 1)
        link = await role_link(session, request, NOW)
        info = await check_invite(session, link.code, NOW + timedelta(days=6, hours=23))
        with pytest.raises(InviteError, match="invite_expired"):
            await check_invite(session, link.code, NOW + timedelta(days=7))
        await use_invite(session, info.id)
        await session.commit()
        with pytest.raises(InviteError, match="invite_used_up"):
            await use_invite(session, info.id)
        with pytest.raises(InviteError, match="invite_used_up"):
            await check_invite(session, link.code, NOW)
        with pytest.raises(InviteError, match="invite_unknown"):
            await check_invite(session, "no-such-code", NOW)


async def test_find_school_needs_the_municipality_when_names_repeat(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    from core.errors import NotFound

    async with sessionmaker() as session:
        _, school_id = await _seed(session)
        with pytest.raises(NotFound, match="school_ambiguous"):
            await find_school(session, "гимназия № 2", None)
        assert (await find_school(session, "ГИМНАЗИЯ № 2", "город")).id == school_id


@pytest.mark.parametrize(
    ("text", "delta"),
    [
        ("7d", timedelta(days=7)),
        ("12h", timedelta(hours=12)),
        ("2w", timedelta(weeks=2)),
        ("366d", timedelta(days=366)),
    ],
)
def test_durations(text: str, delta: timedelta) -> None:
    assert parse_duration(text) == delta


@pytest.mark.parametrize("text", ["7", "0d", "1y", "-1d", "d"])
def test_bad_durations(text: str) -> None:
    with pytest.raises(ValueError, match="duration"):
        parse_duration(text)


@pytest.mark.parametrize("text", ["367d", "53w", "99999999d", "9" * 30 + "h"])
def test_durations_longer_than_a_year_are_refused_not_overflowed(text: str) -> None:
    with pytest.raises(ValueError, match="longer than a year"):
        parse_duration(text)
