"""A municipality's weekly summary for its methodists.

One protected publication (core.monitoring.publication) of the last eight weeks, the month
and the school year feeds everything sent: the text, the PNG of the key indicators over the
weeks and the XLSX. Each methodist gets three outbox notices, queued in the commit that
claims their (methodist, ISO week), so a summary goes once: late after downtime, never twice.
A municipality without registered teachers gets a short note instead.
"""

import asyncio
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from core.messaging.outbox import Notice, enqueue
from core.models import Attachment, Municipality, Person, PersonRole
from core.monitoring import occurrence, publication
from core.monitoring.attention import Surroundings, surroundings, with_campaigns
from core.monitoring.catalogue import Catalogue, ScopeType
from core.monitoring.chart import png, weekly_figure
from core.monitoring.compute import standard_periods
from core.monitoring.disclosure import ShownValue, Thresholds
from core.monitoring.names import Names
from core.monitoring.periods import Period, last_weeks, local_day
from core.monitoring.population import TEACHING_ROLES
from core.monitoring.schedule import SUMMARY_JOB
from core.monitoring.summary import SummaryInput, render, weekly_summary
from core.monitoring.targets import load_targets
from core.monitoring.workbook import workbook
from core.texts import Texts
from surveys.model import Instrument

logger = logging.getLogger(__name__)
WEEKS = 8
KEY = (  # the text's lines
    "diag_coverage",
    "burnout_high_risk",
    "satisfaction",
    "nps",
    "young_share",
    "mentoring_share",
    "community_share",
    "events_count",
)
DRAWN = ("diag_coverage", "burnout_high_risk", "satisfaction", "mentoring_share")  # shares
PRIORITY = 5  # a digest: after reminders and direct replies
LATE = timedelta(hours=1)  # sent this long after its moment, the text says it is late


@dataclass(frozen=True)
class Recipient:
    """A methodist whose summary of `week` is due since `due_at`."""

    person_id: int
    chat_id: int
    language: str
    week: Period
    due_at: datetime


@dataclass(frozen=True)
class Run:
    """One municipality's due summaries at `now`, and what building them needs."""

    municipality_id: int
    recipients: tuple[Recipient, ...]
    now: datetime
    catalogue: Catalogue
    catalogues: Mapping[str, Texts]
    instruments: Mapping[str, Instrument]
    limits: Thresholds


@dataclass(frozen=True)
class Edition:
    """The summary in one language: the text's title and body, the attachments' rows."""

    title: str
    body: str
    chart_id: int
    book_id: int


async def send(session: AsyncSession, run: Run) -> int:
    """Claim each recipient's week and queue their summary in one commit; returns the rows
    queued (0 when every week was claimed by another run)."""
    empty = not await _has_teachers(session, run.municipality_id)
    await session.commit()  # the reading ends: the claims begin the write
    claimed = [
        r
        for r in run.recipients
        if await occurrence.claim(session, SUMMARY_JOB, str(r.person_id), r.week.label, run.now)
    ]
    if not claimed:
        await session.rollback()
        return 0
    notices = await (_notes if empty else _summaries)(session, run, claimed)
    queued = await enqueue(session, notices, run.now)
    await session.commit()
    logger.info(
        "weekly summary: municipality %d, %d methodists, %d rows queued",
        run.municipality_id,
        len(claimed),
        queued,
    )
    return queued


async def _has_teachers(session: AsyncSession, municipality_id: int) -> bool:
    """Whether anybody with a teaching role has registered in the municipality."""
    found = await session.scalar(
        select(func.count(func.distinct(Person.id)))
        .join(PersonRole, PersonRole.person_id == Person.id)
        .where(
            Person.municipality_id == municipality_id,
            Person.registered_at.is_not(None),
            PersonRole.role.in_(TEACHING_ROLES),
        )
    )
    return bool(found)


async def _notes(session: AsyncSession, run: Run, claimed: Sequence[Recipient]) -> list[Notice]:
    town = await session.get(Municipality, run.municipality_id)
    place = town.name if town else str(run.municipality_id)
    return [
        _notice(r, "note", run.catalogues[r.language]("mon_empty", place=place, week=r.week.label))
        for r in claimed
    ]


async def _summaries(
    session: AsyncSession, run: Run, claimed: Sequence[Recipient]
) -> list[Notice]:
    zone = ZoneInfo(await _zone(session, run.municipality_id))
    today = local_day(run.now, zone)
    first = run.catalogues[claimed[0].language]
    published = await publication.publish(
        session, run.catalogue, run.limits, run.municipality_id, standard_periods(today), first
    )
    around = await surroundings(session, run.municipality_id, run.now, zone)
    editions: dict[str, Edition] = {}
    for language in dict.fromkeys(r.language for r in claimed):
        t = run.catalogues[language]
        names = published.names
        if t is not first:
            names = await publication.names(session, run.municipality_id, t)
        names = await with_campaigns(session, names, run.municipality_id, t, run.instruments)
        draft = Draft(published.shown, names, today)
        editions[language] = await _edition(session, run, draft, around, t)
    return [n for r in claimed for n in _notices(run, r, editions[r.language])]


async def _zone(session: AsyncSession, municipality_id: int) -> str:
    zone = await session.scalar(
        select(Municipality.timezone).where(Municipality.id == municipality_id)
    )
    return zone or "UTC"


@dataclass(frozen=True)
class Draft:
    """The published values as one language names them, and the local day they are for."""

    shown: tuple[ShownValue, ...]
    names: Names
    today: date


async def _edition(
    session: AsyncSession, run: Run, draft: Draft, around: Surroundings, t: Texts
) -> Edition:
    """The text, the chart and the workbook in the reader's language (files as rows)."""
    weeks = last_weeks(draft.today, WEEKS)
    data = SummaryInput(
        draft.shown, run.catalogue, load_targets(), around.alerts, draft.names, weeks[-1], KEY,
        around.seminars,
    )  # fmt: skip
    title, _, body = render(weekly_summary(data, t.language), t.language).partition("\n")
    drawn = await asyncio.to_thread(_chart, draft.shown, run.catalogue, weeks, t.language)
    xlsx = await asyncio.to_thread(
        workbook, draft.shown, run.catalogue, draft.names, run.limits, t.language
    )
    label = weeks[-1].label
    chart = Attachment(kind="photo", filename=f"pedpulse-{label}.png", data=drawn)
    book = Attachment(kind="document", filename=f"pedpulse-{label}.xlsx", data=xlsx)
    session.add_all([chart, book])
    await session.flush()
    return Edition(title, body, chart.id, book.id)


def _chart(
    shown: Sequence[ShownValue], catalogue: Catalogue, weeks: Sequence[Period], language: str
) -> bytes:
    """The key shares over the weeks on an axis from 0 % (lines flat at 0 would otherwise sit
    in the middle of a made-up range), with room above the highest point."""
    drawn = [
        s.value for s in shown
        if s.indicator in DRAWN and s.period in weeks and s.value is not None
        and s.scope_type is ScopeType.MUNICIPALITY and s.facet is None
    ]  # fmt: skip
    figure = weekly_figure(shown, catalogue, DRAWN, weeks, language)
    ceiling = min(105.0, max(10.0, max(drawn, default=0.0) * 1.2))
    figure.axes[0].set_ylim(-ceiling * 0.03, ceiling)  # a point at 0 % shows whole
    return png(figure)


def _notices(run: Run, r: Recipient, edition: Edition) -> list[Notice]:
    """The text, then the chart, then the workbook: one person's three rows, in order."""
    t = run.catalogues[r.language]
    limits = run.limits
    text = t(
        "mon_summary",
        title=edition.title,
        body=edition.body,
        k=limits.k,
        k_sensitive=limits.k_sensitive,
    )
    if run.now - r.due_at >= LATE:
        text += "\n" + t("mon_late")
    return [
        _notice(r, "text", text),
        _notice(r, "chart", t("mon_chart_caption", weeks=WEEKS), edition.chart_id),
        _notice(r, "book", t("mon_book_caption", week=r.week.label), edition.book_id),
    ]


def _notice(r: Recipient, part: str, text: str, attachment_id: int | None = None) -> Notice:
    return Notice(
        f"wsum:{r.person_id}:{r.week.label}:{part}",
        r.chat_id,
        text,
        person_id=r.person_id,
        attachment_id=attachment_id,
        priority=PRIORITY,
    )
