"""A reminder a methodist asks for (the weekly summary's button): first the question with the
number of members who have not completed, then the campaign's own reminder to exactly them.

Its rows are keyed by the municipality's local day, so a second press, a second methodist or a
redelivered update that day queues nothing more; the next day's press reminds again.
"""

import logging

from sqlalchemy.ext.asyncio import AsyncSession

from core.errors import PedPulseError, StaleAction
from core.forms import Context
from core.messaging.outbox import enqueue
from core.models import Campaign, CampaignStatus, Person
from core.people.viewer import municipality_zone
from core.questionnaires.campaign_notices import invitations, title_of
from core.questionnaires.campaigns import waiting_members
from core.screens import Button, Screen, Text, text
from core.timeutil import as_utc

logger = logging.getLogger(__name__)
YES, NO = "summary.remind_yes", "summary.remind_no"  # the question's buttons (bot packs them)


async def question(
    session: AsyncSession, person: Person, campaign_id: int, ctx: Context
) -> Screen:
    """«Send a reminder to those who have not answered?» with «Да» and «Нет»; `person` is a
    methodist (the caller checked). No count: how many have not answered is a small-group
    figure /campaigns may hide (invited minus waiting, or «everyone answered», would tell)."""
    campaign = await _open_campaign(session, person, campaign_id, ctx)
    ask = text("remind_ask", id=campaign.id, title=_title(campaign, ctx))
    yes = Button(Text("btn_remind_yes"), YES, (campaign.id,))
    return Screen((ask,), ((yes, Button(Text("btn_no"), NO, (campaign.id,))),))


async def send(session: AsyncSession, person: Person, campaign_id: int, ctx: Context) -> Screen:
    """Queue today's reminder to the members who have not completed (commits). The answer is
    the same whoever and however many were waiting, and on a second press."""
    campaign = await _open_campaign(session, person, campaign_id, ctx)
    people = await waiting_members(session, campaign.id)
    zone = await municipality_zone(session, campaign.municipality_id)
    day = f"@{ctx.now.astimezone(zone):%Y%m%d}"
    notices = await invitations(session, campaign, day, people, ctx.catalogues, ctx.instruments)
    queued = await enqueue(session, notices, ctx.now)
    await session.commit()
    logger.info("campaign %d: reminder asked by %d, %d queued", campaign.id, person.id, queued)
    return Screen((text("remind_queued"),))


def _title(campaign: Campaign, ctx: Context) -> dict[str, str]:
    return title_of(ctx.instruments, campaign.instrument)


async def _open_campaign(
    session: AsyncSession, person: Person, campaign_id: int, ctx: Context
) -> Campaign:
    """The open campaign of the methodist's municipality; a clear refusal otherwise (its
    deadline passed: closed, though the job that closes it has not run yet)."""
    campaign = await session.get(Campaign, campaign_id)
    if campaign is None:
        raise StaleAction("remind_gone")
    if campaign.municipality_id != person.municipality_id:
        raise PedPulseError("summary_not_yours")
    deadline = campaign.closes_at
    if campaign.status == CampaignStatus.CLOSED or deadline and as_utc(deadline) <= ctx.now:
        raise PedPulseError("remind_closed")
    if campaign.status != CampaignStatus.OPEN:
        raise StaleAction("remind_gone")
    return campaign
