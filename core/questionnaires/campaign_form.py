"""`/campaign_new`: a methodist sets up a questionnaire campaign step by step, checks it, and
launches it (now, or at a later opening time).

The draft is a Campaign row in status "draft"; `Person.step` ("cmp_<field>") names the field
asked and `Person.step_target` the campaign, so a restart loses nothing.
"""

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime, time, timedelta

from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncSession

from core import audience as audiences
from core.audience import Audience, AudienceKind
from core.choices import Option
from core.errors import InvalidInput, StaleAction
from core.messaging.broadcast import Launch, Watcher
from core.models import Campaign, CampaignStatus, Person
from core.people.viewer import load_person, municipality_clock, municipality_zone
from core.questionnaires.campaigns import audience_now, campaign_keys, open_campaign
from core.texts import Texts
from core.timeutil import LocalClock, as_utc, shown
from core.validation import parse_start
from surveys.model import Instrument

ORDER = ("instrument", "audience", "opens", "closes", "reminders", "mode")
TYPED = frozenset({"opens", "closes"})
PREVIEW = "preview"
DEADLINE_DAYS = (7, 14, 30)  # buttons: the deadline is the end of that day, local time
REMINDER_DAYS = (7, 3, 2, 1)
DEFAULT_REMINDERS = [3, 1]
SHORTEST = timedelta(hours=1)  # a campaign must stay open at least this long
EXAMPLE = {"opens": (1, 9), "closes": (14, 18)}  # typed-date examples: days ahead, hour


@dataclass(frozen=True)
class CampaignPrompt:
    """The field asked now ("preview" for the whole campaign), with what its buttons need."""

    campaign_id: int
    field: str
    edit: bool
    instruments: tuple[tuple[str, dict[str, str]], ...] = ()
    options: tuple[Option, ...] = ()
    audience: Audience | None = None
    reminders: tuple[int, ...] = ()
    clock: LocalClock | None = None  # for typed dates: whose time, and an example
    title: dict[str, str] | None = None
    opens: str | None = None  # None: right at the launch
    closes: str | None = None
    anonymous: bool = False
    mode_fixed: bool = False  # the instrument itself is anonymous
    recipients: int = 0


@dataclass(frozen=True)
class Launched:
    campaign_id: int
    launch: Launch | None  # None: scheduled for `opens`
    opens: str


async def start(
    session: AsyncSession, person_id: int, now: datetime, registry: Mapping[str, Instrument]
) -> CampaignPrompt:
    """A new draft (the author's older drafts go); the instrument is asked first."""
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
        created_at=now,
    )
    session.add(campaign)
    await session.flush()
    person.step, person.step_target, person.step_edit = "cmp_instrument", campaign.id, False
    await session.commit()
    return await prompt(session, person_id, now, registry)


def is_typing(step: str | None) -> bool:
    """Whether free text now belongs to the campaign form."""
    return step is not None and step.startswith("cmp_") and step.removeprefix("cmp_") in TYPED


async def _current(
    session: AsyncSession, person_id: int, campaign_id: int | None = None
) -> tuple[Person, Campaign, str]:
    person = await load_person(session, person_id)
    step = person.step or ""
    campaign = await session.get(Campaign, person.step_target) if person.step_target else None
    if (
        not step.startswith("cmp_")
        or campaign is None
        or campaign.author_id != person_id
        or campaign.status != CampaignStatus.DRAFT
        or (campaign_id is not None and campaign.id != campaign_id)
    ):
        raise StaleAction()
    return person, campaign, step.removeprefix("cmp_")


async def prompt(
    session: AsyncSession, person_id: int, now: datetime, registry: Mapping[str, Instrument]
) -> CampaignPrompt:
    """What the methodist is asked now."""
    person, campaign, field = await _current(session, person_id)
    zone = await municipality_zone(session, campaign.municipality_id)
    instrument = registry.get(campaign.instrument)

    def local(moment: datetime | None) -> str | None:
        return shown(moment, zone) if moment else None

    base = CampaignPrompt(
        campaign.id,
        field,
        person.step_edit,
        audience=Audience.from_json(campaign.audience),
        reminders=tuple(campaign.reminder_days),
        clock=await municipality_clock(
            session, campaign.municipality_id, now, *EXAMPLE.get(field, (1, 9))
        ),
        title=instrument.title if instrument else None,
        opens=local(campaign.opens_at),
        closes=local(campaign.closes_at),
        anonymous=campaign.anonymous,
        mode_fixed=instrument is not None and instrument.privacy == "anonymous",
    )
    if field == "instrument":
        keys = campaign_keys(registry)
        return replace(base, instruments=tuple((k, registry[k].title) for k in keys))
    if field == "audience" and base.audience is not None and base.audience.needs_choice:
        options = await audiences.choices(session, campaign.municipality_id, base.audience)
        return replace(base, options=tuple(options))
    if field == PREVIEW:
        return replace(base, recipients=len(await audience_now(session, campaign, now)))
    return base


async def choose(
    session: AsyncSession,
    person_id: int,
    campaign_id: int,
    field: str,
    value: int,
    key: str,
    now: datetime,
    registry: Mapping[str, Instrument],
) -> CampaignPrompt:
    """A button of the field asked now."""
    person, campaign, asked = await _current(session, person_id, campaign_id)
    if field != asked:
        raise StaleAction()
    if field == "instrument" and key in campaign_keys(registry):
        campaign.instrument, campaign.version = key, registry[key].version
        # an anonymous instrument forces anonymity; a change of instrument never weakens it
        campaign.anonymous = campaign.anonymous or registry[key].privacy == "anonymous"
    elif field == "audience" and value == 0 and campaign.audience:  # "done" picking
        pass
    elif field == "opens" and value == 0:
        campaign.opens_at = None
        if campaign.closes_at is not None and as_utc(campaign.closes_at) <= now + SHORTEST:
            campaign.closes_at = None
    elif field == "closes" and value in DEADLINE_DAYS:
        zone = await municipality_zone(session, campaign.municipality_id)
        start = as_utc(campaign.opens_at) if campaign.opens_at else now
        day = start.astimezone(zone).date() + timedelta(days=value)
        campaign.closes_at = datetime.combine(day, time(23, 59), zone).astimezone(start.tzinfo)
    elif field == "reminders" and abs(value) in REMINDER_DAYS:
        days = [d for d in campaign.reminder_days if d != abs(value)]
        campaign.reminder_days = sorted(days + ([value] if value > 0 else []), reverse=True)
        await session.commit()  # +d adds, -d removes: a repeated press changes nothing
        return await prompt(session, person_id, now, registry)
    elif field == "reminders" and value == 0:
        pass
    elif field == "mode" and value in (0, 1):
        if not _needed(campaign, "mode", registry):
            raise StaleAction()  # an anonymous instrument cannot be made confidential
        campaign.anonymous = value == 1
    else:
        raise StaleAction()
    _advance(person, campaign, field, registry)
    await session.commit()
    return await prompt(session, person_id, now, registry)


async def audience_kind(
    session: AsyncSession,
    person_id: int,
    campaign_id: int,
    kind: AudienceKind,
    now: datetime,
    registry: Mapping[str, Instrument],
) -> CampaignPrompt:
    """Choose the audience kind; schools and subjects are then picked one by one."""
    person, campaign, field = await _current(session, person_id, campaign_id)
    if field != "audience":
        raise StaleAction()
    audience = Audience(kind)
    campaign.audience = audience.to_json()
    if not audience.needs_choice:
        _advance(person, campaign, field, registry)
    await session.commit()
    return await prompt(session, person_id, now, registry)


async def audience_item(
    session: AsyncSession,
    person_id: int,
    campaign_id: int,
    item: int,
    selected: bool,
    now: datetime,
    registry: Mapping[str, Instrument],
) -> CampaignPrompt:
    """Choose or unchoose one school or subject of the audience."""
    _, campaign, field = await _current(session, person_id, campaign_id)
    if field != "audience":
        raise StaleAction()
    campaign.audience = Audience.chosen(campaign.audience).toggled(item, selected).to_json()
    await session.commit()
    return await prompt(session, person_id, now, registry)


async def submit_text(
    session: AsyncSession,
    person_id: int,
    text: str,
    now: datetime,
    registry: Mapping[str, Instrument],
) -> CampaignPrompt:
    """A typed opening time or deadline; InvalidInput keeps the field for another try."""
    person, campaign, field = await _current(session, person_id)
    if field not in TYPED:
        raise InvalidInput("use_buttons")
    moment = parse_start(text, await municipality_zone(session, campaign.municipality_id), now)
    if field == "opens":
        campaign.opens_at = moment
        if campaign.closes_at is not None and as_utc(campaign.closes_at) < moment + SHORTEST:
            campaign.closes_at = None  # asked again next
    else:
        opens = as_utc(campaign.opens_at) if campaign.opens_at else now
        if moment < opens + SHORTEST:
            raise InvalidInput("campaign_deadline_too_soon")
        campaign.closes_at = moment
    _advance(person, campaign, field, registry)
    await session.commit()
    return await prompt(session, person_id, now, registry)


def _advance(
    person: Person, campaign: Campaign, done: str, registry: Mapping[str, Instrument]
) -> None:
    """The next field: in order, or back to the preview after a correction (unless the
    deadline was cleared by a later opening)."""
    later = [f for f in ORDER[ORDER.index(done) + 1 :] if _needed(campaign, f, registry)]
    if person.step_edit:
        later = ["closes"] if campaign.closes_at is None else []
    person.step = "cmp_" + (later[0] if later else PREVIEW)
    person.step_edit = person.step_edit and bool(later)


def _needed(campaign: Campaign, field: str, registry: Mapping[str, Instrument]) -> bool:
    instrument = registry.get(campaign.instrument)
    return not (field == "mode" and instrument is not None and instrument.privacy == "anonymous")


async def edit(
    session: AsyncSession,
    person_id: int,
    campaign_id: int,
    field: str,
    now: datetime,
    registry: Mapping[str, Instrument],
) -> CampaignPrompt:
    """Ask one field again from the preview."""
    person, campaign, _ = await _current(session, person_id, campaign_id)
    if field not in ORDER or not _needed(campaign, field, registry):
        raise StaleAction()
    person.step, person.step_edit = "cmp_" + field, True
    await session.commit()
    return await prompt(session, person_id, now, registry)


async def back(
    session: AsyncSession,
    person_id: int,
    campaign_id: int,
    now: datetime,
    registry: Mapping[str, Instrument],
) -> CampaignPrompt:
    """Leave a correction unchanged and return to the preview."""
    person, campaign, _ = await _current(session, person_id, campaign_id)
    if not person.step_edit or campaign.closes_at is None or not campaign.audience:
        raise StaleAction()
    person.step, person.step_edit = "cmp_" + PREVIEW, False
    await session.commit()
    return await prompt(session, person_id, now, registry)


async def discard(session: AsyncSession, person_id: int, campaign_id: int) -> None:
    """Drop the draft."""
    person, campaign, _ = await _current(session, person_id, campaign_id)
    await session.delete(campaign)
    person.step, person.step_target, person.step_edit = None, None, False
    await session.commit()


async def launch(
    session: AsyncSession,
    person_id: int,
    campaign_id: int,
    language: str,
    now: datetime,
    catalogues: Mapping[str, Texts],
    registry: Mapping[str, Instrument],
) -> Launched:
    """Open now (invitations queued, with progress for the author) or schedule the opening."""
    person, campaign, field = await _current(session, person_id, campaign_id)
    if field != PREVIEW or campaign.closes_at is None:
        raise StaleAction()
    opens = as_utc(campaign.opens_at) if campaign.opens_at else now
    if as_utc(campaign.closes_at) < max(opens, now) + SHORTEST:
        raise InvalidInput("campaign_deadline_too_soon")
    people = await audience_now(session, campaign, now)
    if not people:
        raise InvalidInput("announce_nobody")
    person.step, person.step_target = None, None
    zone = await municipality_zone(session, campaign.municipality_id)
    if opens > now:
        campaign.opens_at, campaign.status = opens, CampaignStatus.SCHEDULED
        await session.commit()
        return Launched(campaign.id, None, shown(opens, zone))
    watcher = Watcher(person.id, person.telegram_id, language)
    started = await open_campaign(session, campaign, people, now, catalogues, registry, watcher)
    return Launched(campaign.id, started, shown(now, zone))
