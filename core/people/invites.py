"""Invite codes: a school's permanent teacher link and one-time role links."""

import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from core.choices import Option, Page, paginate
from core.errors import InviteError, NotFound, StaleAction
from core.models import Invite, Municipality, Role, School
from core.names import name_key
from core.timeutil import as_utc

ROLE_INVITES = (Role.METHODIST, Role.MENTOR, Role.ADMIN)
_DURATION = re.compile(r"^(\d+)([dhw])$")
_HOURS = {"h": 1, "d": 24, "w": 24 * 7}
LONGEST = timedelta(days=366)


@dataclass(frozen=True)
class InviteInfo:
    """What an invite grants, for the greeting and the consent screen."""

    id: int
    code: str
    role: Role
    municipality_id: int
    municipality: str
    school_id: int | None
    school: str | None


def deep_link(bot_username: str, code: str) -> str:
    """The t.me link that opens the bot with `/start CODE`."""
    return f"https://t.me/{bot_username}?start={code}"


def parse_duration(text: str) -> timedelta:
    """'7d', '12h', '2w' → timedelta, from an hour to a year; ValueError otherwise."""
    match = _DURATION.match(text.strip())
    if not match or int(match.group(1)) == 0:
        raise ValueError(f"expected a duration like 7d, 12h or 2w, got {text!r}")
    hours = int(match.group(1)) * _HOURS[match.group(2)]
    if hours > LONGEST.total_seconds() // 3600:
        raise ValueError(f"{text!r} is longer than a year: a role link lives at most 366d")
    return timedelta(hours=hours)


def new_code() -> str:
    """A 12-character code of deep-link-safe characters."""
    return secrets.token_urlsafe(9)


@dataclass(frozen=True)
class Link:
    """An invite code and the name of the place it leads to (school or municipality)."""

    code: str
    place: str


def _check_scope(municipality_id: int, allowed: int | None) -> None:
    if allowed is not None and municipality_id != allowed:
        raise StaleAction()


async def school_link(
    session: AsyncSession, school_id: int, now: datetime, allowed: int | None = None
) -> Link:
    """The school's permanent teacher link, created on first use.

    `allowed` limits a methodist to their own municipality (None: any, for admins).
    """
    school = await session.get(School, school_id)
    if school is None:
        raise NotFound("school_unknown")
    _check_scope(school.municipality_id, allowed)
    code = await session.scalar(
        select(Invite.code).where(
            Invite.school_id == school_id,
            Invite.role == Role.TEACHER,
            Invite.expires_at.is_(None),
            Invite.max_uses.is_(None),
        )
    )
    if code is None:
        invite = Invite(
            code=new_code(),
            role=Role.TEACHER,
            municipality_id=school.municipality_id,
            school_id=school.id,
            created_at=now,
        )
        session.add(invite)
        await session.commit()
        code = invite.code
    return Link(code, school.name)


@dataclass(frozen=True)
class RoleInviteRequest:
    role: Role
    municipality_id: int
    expires_in: timedelta | None
    max_uses: int | None


async def role_link(session: AsyncSession, request: RoleInviteRequest, now: datetime) -> Link:
    """A new role link for a municipality (methodist, mentor or admin)."""
    if request.role not in ROLE_INVITES:
        raise StaleAction()
    municipality = await session.get(Municipality, request.municipality_id)
    if municipality is None:
        raise NotFound("municipality_unknown")
    invite = Invite(
        code=new_code(),
        role=request.role,
        municipality_id=request.municipality_id,
        expires_at=now + request.expires_in if request.expires_in else None,
        max_uses=request.max_uses,
        created_at=now,
    )
    session.add(invite)
    await session.commit()
    return Link(invite.code, municipality.name)


async def check_invite(session: AsyncSession, code: str, now: datetime) -> InviteInfo:
    """Resolve a code that can still be used; InviteError says why not."""
    row = (
        await session.execute(
            select(Invite, Municipality.name, School.name)
            .join(Municipality, Municipality.id == Invite.municipality_id)
            .outerjoin(School, School.id == Invite.school_id)
            .where(Invite.code == code)
        )
    ).one_or_none()
    if row is None:
        raise InviteError("invite_unknown")
    invite, municipality, school = row
    if invite.expires_at is not None and as_utc(invite.expires_at) <= now:
        raise InviteError("invite_expired")
    if invite.max_uses is not None and invite.uses >= invite.max_uses:
        raise InviteError("invite_used_up")
    return InviteInfo(
        invite.id,
        invite.code,
        Role(invite.role),
        invite.municipality_id,
        municipality,
        invite.school_id,
        school,
    )


async def use_invite(session: AsyncSession, invite_id: int) -> None:
    """Count one use atomically; InviteError if the last use was taken meanwhile."""
    result = await session.execute(
        update(Invite)
        .where(
            Invite.id == invite_id,
            or_(Invite.max_uses.is_(None), Invite.uses < Invite.max_uses),
        )
        .values(uses=Invite.uses + 1)
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]  # CursorResult of an UPDATE
        raise InviteError("invite_used_up")


async def find_school(session: AsyncSession, name: str, municipality: str | None) -> School:
    """The school called `name` (compared by `name_key`); NotFound if none or several match."""
    rows = await session.execute(select(School, Municipality.name).join(Municipality))
    found = [
        school
        for school, town in rows
        if name_key(school.name) == name_key(name)
        and (municipality is None or name_key(town) == name_key(municipality))
    ]
    if not found:
        raise NotFound("school_unknown", name=name)
    if len(found) > 1:
        raise NotFound("school_ambiguous", name=name)
    return found[0]


async def find_municipality(session: AsyncSession, name: str) -> Municipality:
    """The municipality called `name` (compared by `name_key`)."""
    for municipality in await session.scalars(select(Municipality)):
        if name_key(municipality.name) == name_key(name):
            return municipality
    raise NotFound("municipality_unknown", name=name)


@dataclass(frozen=True)
class SchoolMenu:
    municipality_id: int
    municipality: str
    schools: tuple[Option, ...]
    page: Page


async def municipality_options(session: AsyncSession) -> list[Option]:
    """Every municipality, for an admin choosing where a link is for."""
    rows = await session.scalars(select(Municipality).order_by(Municipality.name))
    return [Option(m.id, m.name) for m in rows]


async def school_menu(
    session: AsyncSession, municipality_id: int, page: int, allowed: int | None = None
) -> SchoolMenu:
    """One page of a municipality's schools, for choosing whose link to print."""
    municipality = await session.get(Municipality, municipality_id)
    if municipality is None:
        raise NotFound("municipality_unknown")
    _check_scope(municipality_id, allowed)
    schools = list(
        await session.scalars(
            select(School).where(School.municipality_id == municipality_id).order_by(School.name)
        )
    )
    chunk, shown = paginate(schools, page)
    options = tuple(Option(s.id, s.name) for s in chunk)
    return SchoolMenu(municipality.id, municipality.name, options, shown)
