"""What the weekly summary tells besides the indicators: waiting requests, open campaigns and
free mentor places (the recommendations read them), the coming seminars, and the campaigns'
names for the response-rate rows. Counts and titles only, never a person."""

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime, tzinfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from core.mentoring.people import candidates
from core.models import Campaign, CampaignStatus, Seminar, SeminarStatus
from core.monitoring import publication
from core.monitoring.names import Names
from core.monitoring.periods import local_day
from core.monitoring.recommendations import Alerts, CampaignAlert
from core.monitoring.summary import UpcomingSeminar
from core.questionnaires.campaign_notices import title_of
from core.texts import Texts
from core.timeutil import as_utc
from surveys.model import Instrument

SEMINARS = 3  # as many as the summary lists
STARTS = "%d.%m %H:%M"


@dataclass(frozen=True)
class Surroundings:
    """The alerts and the coming seminars of a municipality at one moment."""

    alerts: Alerts
    seminars: tuple[UpcomingSeminar, ...]


async def surroundings(
    session: AsyncSession, municipality_id: int, now: datetime, zone: tzinfo
) -> Surroundings:
    """Waiting requests, open campaigns with the days left, free mentor places, and the next
    published seminars (their start in the municipality's time)."""
    waiting = await publication.alerts(session, municipality_id, now)
    mentors = await candidates(session, municipality_id)
    free = sum(c.free for c in mentors if c.confirmed and not c.paused)
    campaigns = await _open_campaigns(session, municipality_id, local_day(now, zone), zone)
    alerts = replace(waiting, mentor_capacity=free, open_campaigns=campaigns)
    return Surroundings(alerts, await _seminars(session, municipality_id, now, zone))


async def _open_campaigns(
    session: AsyncSession, municipality_id: int, today: date, zone: tzinfo
) -> tuple[CampaignAlert, ...]:
    rows = await session.execute(
        select(Campaign.id, Campaign.closes_at)
        .where(
            Campaign.municipality_id == municipality_id,
            Campaign.status == CampaignStatus.OPEN,
            Campaign.closes_at.is_not(None),
        )
        .order_by(Campaign.id)
    )
    return tuple(
        CampaignAlert(campaign, (local_day(closes, zone) - today).days)
        for campaign, closes in rows
        if closes is not None
    )


async def _seminars(
    session: AsyncSession, municipality_id: int, now: datetime, zone: tzinfo
) -> tuple[UpcomingSeminar, ...]:
    rows = await session.execute(
        select(Seminar.title, Seminar.starts_at)
        .where(
            Seminar.municipality_id == municipality_id,
            Seminar.status == SeminarStatus.PUBLISHED,
            Seminar.starts_at > now,
        )
        .order_by(Seminar.starts_at, Seminar.id)
        .limit(SEMINARS)
    )
    return tuple(
        UpcomingSeminar(title or "—", as_utc(starts).astimezone(zone).strftime(STARTS))
        for title, starts in rows
        if starts is not None
    )


async def with_campaigns(
    session: AsyncSession,
    names: Names,
    municipality_id: int,
    t: Texts,
    instruments: Mapping[str, Instrument],
) -> Names:
    """`names` with each campaign of the municipality named as its response-rate facet."""
    rows = await session.execute(
        select(Campaign.id, Campaign.instrument).where(Campaign.municipality_id == municipality_id)
    )
    campaigns = {
        str(campaign): t.plain(
            "mon_campaign", id=campaign, title=title_of(instruments, key)[t.language]
        )
        for campaign, key in rows
    }
    return replace(names, facets={**names.facets, **campaigns})
