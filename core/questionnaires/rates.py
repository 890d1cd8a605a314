"""Campaigns as methodists see them: dates, status and live response rates, overall and per
school, every small group hidden (core.suppression)."""

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from core.errors import StaleAction
from core.models import Campaign, CampaignMember, CampaignStatus, School
from core.people.viewer import municipality_zone
from core.suppression import share_table
from core.texts import Texts
from core.timeutil import shown

LISTED = 10  # campaigns shown by /campaigns


@dataclass(frozen=True)
class SchoolRate:
    school: str | None  # None: people without a school (municipal staff)
    invited: int | None  # None: suppressed (fewer than `minimum` people)
    responded: int | None  # None: suppressed


@dataclass(frozen=True)
class Rate:
    invited: int | None
    responded: int | None
    schools: tuple[SchoolRate, ...]
    minimum: int


async def response_rate(session: AsyncSession, campaign_id: int, minimum: int) -> Rate:
    """Invited and responded, overall and per school, small groups hidden with their
    complement (core.suppression)."""
    found = (
        await session.execute(
            select(
                School.name,
                func.count(CampaignMember.id),
                func.count(CampaignMember.completed_on),
            )
            .select_from(CampaignMember)
            .outerjoin(School, School.id == CampaignMember.school_id)
            .where(CampaignMember.campaign_id == campaign_id)
            .group_by(School.name)
        )
    ).all()
    rows = sorted(found, key=lambda row: (row[0] is None, row[0] or ""))  # no school: last
    table = share_table({name: (responded, invited) for name, invited, responded in rows}, minimum)
    return Rate(
        invited=table.total.whole,
        responded=table.total.part,
        schools=tuple(
            SchoolRate(name, table.rows[name].whole, table.rows[name].part) for name, _, _ in rows
        ),
        minimum=minimum,
    )


def rate_text(t: Texts, invited: int | None, responded: int | None, minimum: int) -> str:
    """ "12 of 40 (30%)", or what the suppression leaves of it."""
    if invited is None:
        return t("rate_group_hidden", minimum=minimum)
    if responded is None:
        return t("rate_hidden", invited=invited, minimum=minimum)
    percent = round(100 * responded / invited) if invited else 0
    return t("rate", responded=responded, invited=invited, percent=percent)


@dataclass(frozen=True)
class CampaignSummary:
    id: int
    instrument: str
    status: str
    opens: str
    closes: str
    anonymous: bool
    rate: Rate


async def listing(
    session: AsyncSession, municipality_id: int, minimum: int, limit: int = LISTED
) -> list[CampaignSummary]:
    """The municipality's launched campaigns, newest first, with their live response rates."""
    campaigns = await session.scalars(
        select(Campaign)
        .where(
            Campaign.municipality_id == municipality_id,
            Campaign.status != CampaignStatus.DRAFT,
        )
        .order_by(Campaign.id.desc())
        .limit(limit)
    )
    return [await _summary(session, campaign, minimum) for campaign in campaigns]


async def summary(
    session: AsyncSession, municipality_id: int, campaign_id: int, minimum: int
) -> CampaignSummary:
    """One launched campaign of the municipality; StaleAction for any other id."""
    campaign = await session.get(Campaign, campaign_id)
    if (
        campaign is None
        or campaign.municipality_id != municipality_id
        or campaign.status == CampaignStatus.DRAFT
    ):
        raise StaleAction()
    return await _summary(session, campaign, minimum)


async def _summary(session: AsyncSession, campaign: Campaign, minimum: int) -> CampaignSummary:
    assert campaign.opens_at is not None and campaign.closes_at is not None
    zone = await municipality_zone(session, campaign.municipality_id)
    return CampaignSummary(
        campaign.id,
        campaign.instrument,
        campaign.status,
        shown(campaign.opens_at, zone),
        shown(campaign.closes_at, zone),
        campaign.anonymous,
        await response_rate(session, campaign.id, minimum),
    )
