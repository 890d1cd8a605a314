"""The way in: `/start` with an invite code, consent to personal-data processing, role links."""

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from core.errors import InviteError, StaleAction
from core.forms import Context
from core.models import ConsentRefusal, Invite, MentorProfile, Person, PersonRole, Role
from core.people import profile
from core.people.invites import InviteInfo, check_invite, use_invite
from core.screens import Screen


class StartKind(StrEnum):
    NEED_INVITE = "need_invite"
    CONSENT = "consent"
    RESUME = "resume"
    REGISTERED = "registered"
    ROLE_GRANTED = "role_granted"


@dataclass(frozen=True)
class StartOutcome:
    kind: StartKind
    invite: InviteInfo | None = None
    role: Role | None = None
    screen: Screen | None = None  # the question registration is at


async def begin(
    session: AsyncSession, telegram_id: int, code: str | None, ctx: Context
) -> StartOutcome:
    """Decide what `/start [code]` leads to; stores nothing except a role granted by a link."""
    person = await session.scalar(select(Person).where(Person.telegram_id == telegram_id))
    if person is None:
        if not code:
            return StartOutcome(StartKind.NEED_INVITE)
        return StartOutcome(StartKind.CONSENT, await check_invite(session, code, ctx.now))
    if person.registered_at is None:
        screen = await profile.show(session, person.id, ctx)
        return StartOutcome(StartKind.RESUME, screen=screen)
    if not code:
        return StartOutcome(StartKind.REGISTERED)
    invite = await check_invite(session, code, ctx.now)
    held = {Role(r.role) for r in person.roles}
    if invite.role == Role.TEACHER or invite.role in held:
        return StartOutcome(StartKind.REGISTERED)
    if invite.municipality_id != person.municipality_id:
        raise InviteError("invite_other_municipality")
    await use_invite(session, invite.id)
    person.roles.append(PersonRole(role=invite.role))
    if invite.role == Role.MENTOR:
        await _mentor_profile(session, person.id, ctx.now)
    await session.commit()
    return StartOutcome(StartKind.ROLE_GRANTED, invite, invite.role)


async def _mentor_profile(session: AsyncSession, person_id: int, now: datetime) -> None:
    """A mentor by a role link has a confirmed profile (its areas are theirs to choose); a
    volunteer still waiting is confirmed by the link."""
    found = await session.get(MentorProfile, person_id)
    if found is None:
        session.add(
            MentorProfile(person_id=person_id, areas=[], volunteered_at=now, confirmed_at=now)
        )
    elif found.confirmed_at is None:
        found.confirmed_at = now
    await session.flush()


def roles_for(invite_role: Role) -> list[Role]:
    """Roles a new person gets from an invite: a mentor is a teacher too."""
    return [Role.TEACHER, Role.MENTOR] if invite_role == Role.MENTOR else [invite_role]


async def give_consent(
    session: AsyncSession, telegram_id: int, code: str, language: str, ctx: Context
) -> Screen:
    """Record consent and create the person at the first profile question, which is returned."""
    now = ctx.now
    if await session.scalar(select(Person.id).where(Person.telegram_id == telegram_id)):
        raise StaleAction()
    invite = await check_invite(session, code, now)
    await use_invite(session, invite.id)
    person = Person(
        telegram_id=telegram_id,
        municipality_id=invite.municipality_id,
        school_id=invite.school_id,
        school_preset=invite.school_id is not None,
        language=language,
        consent_at=now,
        roles=[PersonRole(role=role) for role in roles_for(invite.role)],
    )
    session.add(person)
    try:
        await session.flush()
    except IntegrityError as exc:  # the same person pressed "agree" twice at once
        await session.rollback()
        raise StaleAction() from exc
    if invite.role == Role.MENTOR:
        await _mentor_profile(session, person.id, now)
    return await profile.start(session, person, ctx)  # commits the person at its first step


async def refuse_consent(session: AsyncSession, code: str, now: datetime) -> None:
    """Keep only the fact of a refusal (which invite, which day): nothing about the person."""
    invite_id = await session.scalar(select(Invite.id).where(Invite.code == code))
    day = now.replace(hour=0, minute=0, second=0, microsecond=0)
    session.add(ConsentRefusal(invite_id=invite_id, refused_on=day))
    await session.commit()
