"""`/campaign_new` on the form engine: a questionnaire, its audience, opening, deadline,
reminders and mode, a preview where each can be corrected, then the launch (now, or at a
later opening)."""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any

from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncSession

from core.audience import Audience
from core.errors import InvalidInput, StaleAction
from core.forms import (
    Act,
    Context,
    Field,
    Form,
    Kind,
    Step,
    at_summary,
    audience_label,
    audience_question,
    begin,
    ticked,
)
from core.messaging.broadcast import Launch, Watcher
from core.models import Campaign, CampaignStatus, Person
from core.people.viewer import load_person, municipality_clock, municipality_zone, set_pending
from core.questionnaires.campaigns import audience_now, campaign_keys, open_campaign
from core.screens import BLANK, Button, Screen, Text, text
from core.timeutil import as_utc, shown
from core.validation import parse_start
from surveys.model import Instrument

DEADLINE_DAYS = (7, 14, 30)  # buttons: the deadline is the end of that day, local time
REMINDER_DAYS = (7, 3, 2, 1)
DEFAULT_REMINDERS = [3, 1]
SHORTEST = timedelta(hours=1)  # a campaign must stay open at least this long
EXAMPLE = {"opens": (1, 9), "closes": (14, 18)}  # typed-date examples: days ahead, hour
MODES = ("confidential", "anonymous")


@dataclass(frozen=True)
class Launched:
    campaign_id: int
    launch: Launch | None  # None: scheduled for `opens`
    opens: str


class CampaignForm(Form[Campaign]):
    name = "campaign"
    code = "c"
    fields = (
        Field("instrument", Kind.CHOICE),
        Field("audience", Kind.AUDIENCE),
        Field("opens", Kind.CHOICE, typed=True),
        Field("closes", Kind.CHOICE, typed=True),
        Field("reminders", Kind.MULTI),
        Field("mode", Kind.CHOICE),
    )

    async def load(self, session: AsyncSession, person: Person, target: int | None) -> Campaign:
        campaign = await session.get(Campaign, target) if target else None
        if campaign is None or campaign.author_id != person.id:
            raise StaleAction()
        if campaign.status != CampaignStatus.DRAFT:
            raise StaleAction()
        return campaign

    def needed(self, draft: Campaign, field: str, ctx: Context) -> bool:
        return not (field == "mode" and _fixed(draft, ctx.instruments))

    def after_edit(self, draft: Campaign) -> str | None:
        return "closes" if draft.closes_at is None else None  # a later opening cleared it

    async def typed(
        self, session: AsyncSession, draft: Campaign, field: str, value: str, ctx: Context
    ) -> None:
        if field not in ("opens", "closes"):
            raise InvalidInput("use_buttons")
        zone = await municipality_zone(session, draft.municipality_id)
        moment = parse_start(value, zone, ctx.now)
        if field == "opens":
            draft.opens_at = moment
            if draft.closes_at is not None and as_utc(draft.closes_at) < moment + SHORTEST:
                draft.closes_at = None  # asked again next
            return
        opens = as_utc(draft.opens_at) if draft.opens_at else ctx.now
        if moment < opens + SHORTEST:
            raise InvalidInput("campaign_deadline_too_soon")
        draft.closes_at = moment

    async def chosen(
        self,
        session: AsyncSession,
        draft: Campaign,
        field: str,
        value: int,
        key: str,
        ctx: Context,
    ) -> None:
        registry = ctx.instruments
        if field == "instrument" and key in campaign_keys(registry):
            draft.instrument, draft.version = key, registry[key].version
            # an anonymous instrument forces anonymity; a change of instrument never weakens it
            draft.anonymous = draft.anonymous or registry[key].privacy == "anonymous"
        elif field == "opens" and value == 0:
            draft.opens_at = None
            if draft.closes_at is not None and as_utc(draft.closes_at) <= ctx.now + SHORTEST:
                draft.closes_at = None
        elif field == "closes" and value in DEADLINE_DAYS:
            zone = await municipality_zone(session, draft.municipality_id)
            start = as_utc(draft.opens_at) if draft.opens_at else ctx.now
            day = start.astimezone(zone).date() + timedelta(days=value)
            draft.closes_at = datetime.combine(day, time(23, 59), zone).astimezone(start.tzinfo)
        elif field == "mode" and value in (0, 1) and not _fixed(draft, registry):
            draft.anonymous = value == 1
        else:
            raise StaleAction()

    async def ticked(
        self, session: AsyncSession, draft: Campaign, field: str, item: int, on: bool
    ) -> None:
        if item not in REMINDER_DAYS:
            raise StaleAction()
        days = [d for d in draft.reminder_days if d != item]
        draft.reminder_days = sorted(days + ([item] if on else []), reverse=True)

    def audience_place(self, draft: Campaign) -> tuple[dict[str, Any] | None, int]:
        return draft.audience, draft.municipality_id

    def set_audience(self, draft: Campaign, audience: Audience) -> None:
        draft.audience = audience.to_json()

    async def ask(
        self, session: AsyncSession, draft: Campaign, field: str, step: Step, ctx: Context
    ) -> Screen:
        if field == "audience":
            return await audience_question(
                session, step, draft.audience, draft.municipality_id, "campaign_ask_audience"
            )
        days, hour = EXAMPLE.get(field, (1, 9))
        clock = await municipality_clock(session, draft.municipality_id, ctx.now, days, hour)
        question = text(
            f"campaign_ask_{field}", place=clock.place, offset=clock.offset, example=clock.example
        )
        rows = _rows(draft, field, step, ctx.instruments)
        if step.edit:
            rows.append((step.button(Text("btn_cancel"), Act.BACK),))
        return Screen((question,), tuple(rows))

    async def summary(
        self, session: AsyncSession, draft: Campaign, step: Step, ctx: Context
    ) -> Screen:
        zone = await municipality_zone(session, draft.municipality_id)
        instrument = ctx.instruments.get(draft.instrument)
        people = await audience_now(session, draft, ctx.now)
        reminders = (
            text("campaign_reminders", days=", ".join(str(d) for d in draft.reminder_days))
            if draft.reminder_days
            else Text("campaign_no_reminders")
        )
        opens = shown(draft.opens_at, zone) if draft.opens_at else Text("campaign_opens_now")
        lines = (
            Text("campaign_preview"),
            BLANK,
            text(
                "campaign_instrument", title=instrument.title if instrument else draft.instrument
            ),
            text(
                "announce_recipients",
                audience=audience_label(Audience.from_json(draft.audience)),
                count=len(people),
            ),
            text("campaign_opens", when=opens),
            text("campaign_closes", when=shown(draft.closes_at, zone) if draft.closes_at else "—"),
            reminders,
            Text(f"btn_mode_{MODES[draft.anonymous]}"),
        )
        edits = [
            step.button(Text(f"campfield_{f.name}"), Act.EDIT, f.name)
            for f in self.fields
            if self.needed(draft, f.name, ctx)
        ]
        rows: list[tuple[Button, ...]] = [
            (Button(Text("btn_launch"), "campaign.launch", (draft.id,)),)
        ]
        rows += [tuple(edits[i : i + 2]) for i in range(0, len(edits), 2)]
        rows.append((Button(Text("btn_discard"), "campaign.discard", (draft.id,)),))
        return Screen(lines, tuple(rows))


def _fixed(draft: Campaign, registry: Mapping[str, Instrument]) -> bool:
    """The instrument is anonymous itself: so is every campaign of it."""
    instrument = registry.get(draft.instrument)
    return instrument is not None and instrument.privacy == "anonymous"


def _rows(
    draft: Campaign, field: str, step: Step, registry: Mapping[str, Instrument]
) -> list[tuple[Button, ...]]:
    """The buttons of one field's question."""
    if field == "instrument":
        return [
            (step.button(registry[key].title, Act.CHOOSE, key=key),)
            for key in campaign_keys(registry)
        ]
    if field == "opens":
        return [(step.button(Text("btn_open_now"), Act.CHOOSE, value=0),)]
    if field == "closes":
        return [
            (step.button(text("btn_days", days=days), Act.CHOOSE, value=days),)
            for days in DEADLINE_DAYS
        ]
    if field == "reminders":
        ticks = tuple(
            step.button(
                ticked(text("btn_days_before", days=days), days in draft.reminder_days),
                Act.TICK,
                value=-days if days in draft.reminder_days else days,
            )
            for days in REMINDER_DAYS
        )
        return [ticks, (step.button(Text("btn_done"), Act.DONE),)]
    return [
        (step.button(Text(f"btn_mode_{mode}"), Act.CHOOSE, value=index),)
        for index, mode in enumerate(MODES)
    ]


FORM = CampaignForm()


async def start(session: AsyncSession, person_id: int, ctx: Context) -> Screen:
    """A new draft (the author's older drafts go); the questionnaire is asked first."""
    person = await load_person(session, person_id)
    await session.execute(
        delete(Campaign).where(
            Campaign.author_id == person_id, Campaign.status == CampaignStatus.DRAFT
        )
    )
    campaign = Campaign(
        municipality_id=person.municipality_id,
        author_id=person_id,
        instrument="",
        version=0,
        reminder_days=list(DEFAULT_REMINDERS),
        reminded=[],
        created_at=ctx.now,
    )
    session.add(campaign)
    await session.flush()
    return await begin(session, person, FORM, campaign, ctx)


async def discard(session: AsyncSession, person_id: int, campaign_id: int) -> None:
    """Drop the draft."""
    person = await load_person(session, person_id)
    campaign = await at_summary(session, person, FORM, campaign_id)
    await session.delete(campaign)
    set_pending(person, None)
    await session.commit()


async def launch(
    session: AsyncSession, person_id: int, campaign_id: int, language: str, ctx: Context
) -> Launched:
    """Open now (invitations queued, with progress for the author) or schedule the opening."""
    now = ctx.now
    person = await load_person(session, person_id)
    campaign = await at_summary(session, person, FORM, campaign_id)
    if campaign.closes_at is None:
        raise StaleAction()
    opens = as_utc(campaign.opens_at) if campaign.opens_at else now
    if as_utc(campaign.closes_at) < max(opens, now) + SHORTEST:
        raise InvalidInput("campaign_deadline_too_soon")
    people = await audience_now(session, campaign, now)
    if not people:
        raise InvalidInput("announce_nobody")
    set_pending(person, None)
    zone = await municipality_zone(session, campaign.municipality_id)
    if opens > now:
        campaign.opens_at, campaign.status = opens, CampaignStatus.SCHEDULED
        await session.commit()
        return Launched(campaign.id, None, shown(opens, zone))
    watcher = Watcher(person.id, person.telegram_id, language)
    started = await open_campaign(
        session, campaign, people, now, ctx.catalogues, ctx.instruments, watcher
    )
    return Launched(campaign.id, started, shown(now, zone))
