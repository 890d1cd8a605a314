"""What a person can take now: open campaigns addressed to them, then self-service
questionnaires, marking those they can resume."""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from core.models import Campaign, CampaignMember, CampaignStatus, Response, ResponseStatus
from core.people.viewer import load_person, municipality_zone
from core.timeutil import as_utc
from surveys.model import Instrument


@dataclass(frozen=True)
class Offer:
    key: str
    title: dict[str, str]
    in_progress: bool
    campaign_id: int | None = None
    deadline: str | None = None  # a campaign's deadline in the municipality's time


async def offered(
    session: AsyncSession, person_id: int, now: datetime, registry: Mapping[str, Instrument]
) -> list[Offer]:
    """Campaigns first (a self-service instrument they also send is not listed twice)."""
    started = await _started(session, person_id)
    campaigns = await session.scalars(
        select(Campaign)
        .join(CampaignMember, CampaignMember.campaign_id == Campaign.id)
        .where(
            CampaignMember.person_id == person_id,
            CampaignMember.completed_on.is_(None),
            Campaign.status == CampaignStatus.OPEN,
            Campaign.closes_at > now,
        )
        .order_by(Campaign.closes_at)
    )
    person = await load_person(session, person_id)
    zone = await municipality_zone(session, person.municipality_id)
    found = [
        Offer(
            c.instrument,
            registry[c.instrument].title,
            (c.instrument, c.id) in started,
            c.id,
            as_utc(c.closes_at).astimezone(zone).strftime("%d.%m %H:%M"),
        )
        for c in campaigns
        if c.closes_at is not None and c.instrument in registry
    ]
    in_campaigns = {offer.key for offer in found}
    found += [
        Offer(key, instrument.title, (key, None) in started)
        for key, instrument in sorted(registry.items())
        if instrument.self_service and (key not in in_campaigns or (key, None) in started)
    ]
    return found


async def _started(session: AsyncSession, person_id: int) -> set[tuple[str, int | None]]:
    """(instrument, campaign) of the person's questionnaires in progress, feedback aside."""
    rows = await session.execute(
        select(Response.instrument, Response.campaign_id).where(
            Response.person_id == person_id,
            Response.status == ResponseStatus.IN_PROGRESS,
            Response.seminar_id.is_(None),
        )
    )
    return {(key, campaign) for key, campaign in rows}


async def has_unfinished(session: AsyncSession, person_id: int) -> bool:
    """Whether the person stopped in the middle of a questionnaire (they answer by buttons)."""
    found = await session.scalar(
        select(Response.id)
        .where(Response.person_id == person_id, Response.status == ResponseStatus.IN_PROGRESS)
        .limit(1)
    )
    return found is not None
