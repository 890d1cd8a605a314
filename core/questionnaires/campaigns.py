"""Campaign lifecycle: opening with invitations, reminders to non-responders, closing at the
deadline (the response rates methodists see are core.questionnaires.rates).

Scheduled work only queues outbox rows (keys make a repeated run harmless) and commits the
campaign's new state in the same transaction, so a crash between runs loses nothing.
"""

import logging
from collections.abc import Awaitable, Callable, Mapping, Sequence
from datetime import datetime, timedelta

from sqlalchemy import delete, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from core import audience as audiences
from core.audience import Audience, Recipient
from core.errors import StaleAction
from core.messaging.broadcast import Launch, Watcher, new_broadcast
from core.messaging.outbox import Notice, enqueue
from core.models import (
    Campaign,
    CampaignMember,
    CampaignStatus,
    Person,
    Response,
    ResponseStatus,
)
from core.questionnaires.campaign_notices import invitations, to_author
from core.questionnaires.rates import rate_text, response_rate
from core.questionnaires.responses import FEEDBACK
from core.questionnaires.starting import MENTORING
from core.texts import Texts
from core.timeutil import as_utc
from surveys.model import Instrument

logger = logging.getLogger(__name__)


def campaign_keys(registry: Mapping[str, Instrument]) -> list[str]:
    """Instruments a campaign can send (seminar feedback belongs to seminars, mentoring
    satisfaction to pairs that end)."""
    return sorted(key for key in registry if key not in (FEEDBACK, MENTORING))


def due_reminder(
    closes_at: datetime,
    opened_at: datetime,
    days: Sequence[int],
    handled: Sequence[int],
    now: datetime,
) -> tuple[int | None, list[int]]:
    """The reminder to send now (days before the deadline, or None) and the days now handled.

    A reminder whose time came before the opening is never sent (the invitation says the
    same); when several fell due at once (the bot was down), only the latest one goes.
    """
    fallen = [d for d in days if d not in handled and now >= closes_at - timedelta(days=d)]
    if not fallen:
        return None, list(handled)
    useful = [d for d in fallen if closes_at - timedelta(days=d) > opened_at]
    return (min(useful) if useful else None), sorted(set(handled) | set(fallen))


async def audience_now(
    session: AsyncSession, campaign: Campaign, now: datetime
) -> list[Recipient]:
    """The people the campaign's audience holds now: its members if it opens now."""
    audience = Audience.from_json(campaign.audience)
    return await audiences.recipients(
        session, campaign.municipality_id, audience, now.year, campaign.author_id
    )


async def open_campaign(
    session: AsyncSession,
    campaign: Campaign,
    people: Sequence[Recipient],
    now: datetime,
    catalogues: Mapping[str, Texts],
    registry: Mapping[str, Instrument],
    watcher: Watcher | None = None,
) -> Launch:
    """Make `people` (the audience now) the invited members and queue their invitations.

    With a `watcher` (the author launching it now) the launch gets a "sent N of M" record.
    """
    rows = [
        {"campaign_id": campaign.id, "person_id": p.person_id, "school_id": p.school_id}
        for p in people
    ]
    if rows:
        await session.execute(insert(CampaignMember), rows)
    campaign.status, campaign.opened_at = CampaignStatus.OPEN, now
    if campaign.opens_at is None or as_utc(campaign.opens_at) > now:
        campaign.opens_at = now
    broadcast_id = None
    if watcher is not None and people:
        broadcast_id = await new_broadcast(session, watcher, len(people), now)
    invited = [(p.person_id, p.chat_id, p.language) for p in people]
    notices = await invitations(session, campaign, None, invited, catalogues, registry)
    if watcher is None:  # opened by the scheduler: the author is not watching
        opened = len(people)

        def said(t: Texts, title: str) -> str:
            return t("campaign_opened", title=title, count=opened)

        notices += await to_author(session, campaign, "opened", catalogues, registry, said)
    await session.flush()
    await enqueue(session, notices, now, broadcast_id=broadcast_id)
    await session.commit()  # the campaign and its invitations together
    return Launch(broadcast_id, len(people))


async def _claim_opening(session: AsyncSession, campaign: Campaign) -> bool:
    """Whether this run opens the campaign: a run overlapping it (a leader handing over) waits
    for this one's commit, then finds it open already (and reads it again as it is now)."""
    claimed = await session.execute(
        update(Campaign)
        .where(Campaign.id == campaign.id, Campaign.status == CampaignStatus.SCHEDULED)
        .values(status=CampaignStatus.OPEN)
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount:  # type: ignore[attr-defined]  # CursorResult of an UPDATE
        return True
    await session.refresh(campaign)
    return False


async def run_due(
    session: AsyncSession,
    now: datetime,
    catalogues: Mapping[str, Texts],
    registry: Mapping[str, Instrument],
    minimum: int,
) -> int:
    """Open, remind and close whatever fell due by `now`; returns how many campaigns changed.
    A campaign that fails is logged by its id and left for the next run; the others go on.

    `minimum`: the smallest group whose count the author's final rate shows."""

    async def opening(campaign: Campaign) -> int:
        assert campaign.opens_at is not None and campaign.closes_at is not None
        if not as_utc(campaign.opens_at) <= now < as_utc(campaign.closes_at):
            return 0
        if not await _claim_opening(session, campaign):
            return 0
        people = await audience_now(session, campaign, now)
        await open_campaign(session, campaign, people, now, catalogues, registry)
        return 1

    async def closing(campaign: Campaign) -> int:
        assert campaign.closes_at is not None
        if as_utc(campaign.closes_at) > now:
            return 0
        await _close(session, campaign, now, catalogues, registry, minimum)
        return 1

    changed = 0
    for statuses, step in (
        ((CampaignStatus.SCHEDULED,), opening),
        ((CampaignStatus.OPEN,), lambda c: _remind(session, c, now, catalogues, registry)),
        ((CampaignStatus.SCHEDULED, CampaignStatus.OPEN), closing),
    ):
        for campaign_id in await _with_status(session, statuses):
            changed += await _guarded(session, campaign_id, step)
    return changed


async def _guarded(
    session: AsyncSession, campaign_id: int, step: Callable[[Campaign], Awaitable[int]]
) -> int:
    """One campaign's step; a failure is rolled back and logged by id, never the others'."""
    try:
        campaign = await session.get(Campaign, campaign_id)
        return 0 if campaign is None else await step(campaign)
    except Exception:
        await session.rollback()
        logger.exception("campaigns: campaign %d failed; the others go on", campaign_id)
        return 0


async def _with_status(session: AsyncSession, statuses: Sequence[CampaignStatus]) -> list[int]:
    found = await session.scalars(
        select(Campaign.id).where(Campaign.status.in_(statuses)).order_by(Campaign.id)
    )
    return list(found)


async def _remind(
    session: AsyncSession,
    campaign: Campaign,
    now: datetime,
    catalogues: Mapping[str, Texts],
    registry: Mapping[str, Instrument],
) -> int:
    assert campaign.closes_at is not None and campaign.opened_at is not None
    closes = as_utc(campaign.closes_at)
    if closes <= now:
        return 0
    day, handled = due_reminder(
        closes, as_utc(campaign.opened_at), campaign.reminder_days, campaign.reminded, now
    )
    if handled == list(campaign.reminded):
        return 0
    campaign.reminded = handled
    notices: list[Notice] = []
    if day is not None:
        people = await waiting_members(session, campaign.id)
        notices = await invitations(session, campaign, day, people, catalogues, registry)
    await session.flush()
    await enqueue(session, notices, now)
    await session.commit()  # `reminded` and the reminders together
    return 1


async def waiting_members(session: AsyncSession, campaign_id: int) -> list[tuple[int, int, str]]:
    """The active members who have not completed: (person, chat, language), as reminded."""
    waiting = await session.execute(
        select(Person.id, Person.telegram_id, Person.language)
        .join(CampaignMember, CampaignMember.person_id == Person.id)
        .where(
            CampaignMember.campaign_id == campaign_id,
            CampaignMember.completed_on.is_(None),
            Person.active.is_(True),
        )
        .order_by(Person.id)
    )
    return [(i, chat, language) for i, chat, language in waiting]


async def close_now(
    session: AsyncSession,
    municipality_id: int,
    campaign_id: int,
    now: datetime,
    catalogues: Mapping[str, Texts],
    registry: Mapping[str, Instrument],
    minimum: int,
) -> None:
    """Close an open or scheduled campaign of the municipality before its deadline."""
    campaign = await session.get(Campaign, campaign_id)
    if (
        campaign is None
        or campaign.municipality_id != municipality_id
        or campaign.status not in (CampaignStatus.OPEN, CampaignStatus.SCHEDULED)
    ):
        raise StaleAction()
    campaign.closes_at = now
    if campaign.opens_at is not None and as_utc(campaign.opens_at) > now:
        campaign.opens_at = now  # a scheduled one never opened: its dates say so
    await _close(session, campaign, now, catalogues, registry, minimum)


async def _close(
    session: AsyncSession,
    campaign: Campaign,
    now: datetime,
    catalogues: Mapping[str, Texts],
    registry: Mapping[str, Instrument],
    minimum: int,
) -> None:
    """Close; unfinished anonymous responses go, as they still carry the link to a person."""
    campaign.status, campaign.closed_at = CampaignStatus.CLOSED, now
    if campaign.anonymous:
        await session.execute(
            delete(Response).where(
                Response.campaign_id == campaign.id,
                Response.status == ResponseStatus.IN_PROGRESS,
            )
        )
    rate = await response_rate(session, campaign.id, minimum)
    notices = await to_author(
        session,
        campaign,
        "closed",
        catalogues,
        registry,
        lambda t, title: t(
            "campaign_closed_summary",
            title=title,
            result=rate_text(t, rate.invited, rate.responded, rate.minimum),
        ),
    )
    await session.flush()
    await enqueue(session, notices, now)
    await session.commit()  # the closing and the author's notice together
