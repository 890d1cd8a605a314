"""A municipality's weekly summary for its methodists.

It tells of the last complete ISO week (counted whole by the aggregation at 02:00 after its
Sunday): one protected publication (core.monitoring.publication) of that week, its month and
school year by every scope, and the seven weeks before for the municipality only, feeds the
text, the PNG and the XLSX. Each
methodist gets three outbox notices, queued in the commit that claims their (methodist, ISO
week it goes in): once, late after downtime, never twice. A week with nothing to tell (no
teacher registered by its end, or never aggregated) gets a short note instead.
"""

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from core.messaging.outbox import Notice, enqueue
from core.models import Attachment, IndicatorRecord, Municipality, Person, PersonRole
from core.monitoring import occurrence, publication
from core.monitoring.attention import Surroundings, surroundings, with_campaigns
from core.monitoring.catalogue import Catalogue, ScopeType
from core.monitoring.chart import png, weekly_figure
from core.monitoring.compute import standard_periods
from core.monitoring.disclosure import ShownValue
from core.monitoring.names import Names
from core.monitoring.periods import Period, last_weeks, month
from core.monitoring.prepared import TEACHING_ROLES
from core.monitoring.rules import Thresholds
from core.monitoring.schedule import SUMMARY_JOB
from core.monitoring.summary import SummaryInput, buttons, render, weekly_summary
from core.monitoring.targets import load_targets
from core.monitoring.workbook import workbook
from core.offload import heavy
from core.screens import stored
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
    """A methodist whose summary is due since `due_at` in the ISO `week` (its claim and its
    rows' keys); it tells of the week before, `reported`."""

    person_id: int
    chat_id: int
    language: str
    week: Period
    due_at: datetime

    @property
    def reported(self) -> Period:
        """The last complete ISO week: the one that ended the Sunday before `week`."""
        return self.week.previous()


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
    markup: dict[str, object] | None = None  # the text's buttons: one per recommendation


async def send(session: AsyncSession, run: Run) -> int:
    """Claim each recipient's week and queue their summary in one commit; returns the rows
    queued (0 when every week was claimed by another run)."""
    why = await _nothing_to_tell(session, run)
    await session.commit()  # the reading ends: the claims begin the write
    claimed = [
        r
        for r in run.recipients
        if await occurrence.claim(session, SUMMARY_JOB, str(r.person_id), r.week.label, run.now)
    ]
    if not claimed:
        await session.rollback()
        return 0
    if why is None:
        notices = await _summaries(session, run, claimed)
    else:
        notices = await _notes(session, run, claimed, why)
    queued = await enqueue(session, notices, run.now)
    await session.commit()
    logger.info(
        "weekly summary: municipality %d, %d methodists, %d rows queued",
        run.municipality_id,
        len(claimed),
        queued,
    )
    return queued


async def _nothing_to_tell(session: AsyncSession, run: Run) -> str | None:
    """The text key of the note sent instead when the reported week has nothing to show: no
    teacher had registered by its end (a new municipality), or it was never aggregated."""
    reported = run.recipients[0].reported  # one municipality at one moment: one week
    zone = ZoneInfo(await _zone(session, run.municipality_id))
    end = datetime.combine(reported.end, time(), zone).astimezone(UTC)
    teacher = await session.scalar(
        select(Person.id)
        .join(PersonRole, PersonRole.person_id == Person.id)
        .where(
            Person.municipality_id == run.municipality_id,
            Person.registered_at < end,
            PersonRole.role.in_(TEACHING_ROLES),
        )
        .limit(1)
    )
    counted = await session.scalar(
        select(IndicatorRecord.id)
        .where(
            IndicatorRecord.municipality_id == run.municipality_id,
            IndicatorRecord.period_kind == reported.kind.value,
            IndicatorRecord.period_start == reported.start,
        )
        .limit(1)
    )
    if teacher is None:
        return "mon_empty"
    return "mon_uncounted" if counted is None else None


async def _notes(
    session: AsyncSession, run: Run, claimed: Sequence[Recipient], key: str
) -> list[Notice]:
    town = await session.get(Municipality, run.municipality_id)
    place = town.name if town else str(run.municipality_id)
    return [
        _notice(r, "note", run.catalogues[r.language](key, place=place, week=r.reported.label))
        for r in claimed
    ]


def summary_selection(reported: Period) -> publication.Selection:
    """What a summary of the week `reported` publishes: the week, the month and the school
    year its Sunday falls in (stored by the night after that Sunday) and the month before,
    which month-on-month alerts compare with, by every scope; the seven weeks before it for
    the municipality only (the chart's lines and the week-on-week changes)."""
    sunday = reported.end - timedelta(days=1)
    *weeks, this_month, year = standard_periods(sunday, WEEKS)
    before = month(this_month.start - timedelta(days=1))
    return publication.Selection((weeks[-1], this_month, year, before), tuple(weeks[:-1]))


async def _summaries(
    session: AsyncSession, run: Run, claimed: Sequence[Recipient]
) -> list[Notice]:
    zone = ZoneInfo(await _zone(session, run.municipality_id))
    reported = claimed[0].reported  # one municipality at one moment: one week
    first = run.catalogues[claimed[0].language]
    published = await publication.publish(
        session, run.catalogue, run.limits, run.municipality_id, summary_selection(reported), first
    )
    around = await surroundings(session, run.municipality_id, run.now, zone)
    editions: dict[str, Edition] = {}
    for language in dict.fromkeys(r.language for r in claimed):
        t = run.catalogues[language]
        names = published.names
        if t is not first:
            names = await publication.names(session, run.municipality_id, t)
        names = await with_campaigns(session, names, run.municipality_id, t, run.instruments)
        draft = Draft(published.shown, names, reported.end - timedelta(days=1))
        editions[language] = await _edition(session, run, draft, around, t)
    return [n for r in claimed for n in _notices(run, r, editions[r.language])]


async def _zone(session: AsyncSession, municipality_id: int) -> str:
    zone = await session.scalar(
        select(Municipality.timezone).where(Municipality.id == municipality_id)
    )
    return zone or "UTC"


@dataclass(frozen=True)
class Draft:
    """The published values as one language names them, and the local day they are as of:
    the reported week's Sunday, so the eight weeks drawn end with that week."""

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
    summary = weekly_summary(data, t.language)
    title, _, body = render(summary, t.language).partition("\n")
    drawn = await heavy(_chart, draft.shown, run.catalogue, weeks, t.language)
    xlsx = await heavy(workbook, draft.shown, run.catalogue, draft.names, run.limits, t.language)
    label = weeks[-1].label
    chart = Attachment(kind="photo", filename=f"pedpulse-{label}.png", data=drawn)
    book = Attachment(kind="document", filename=f"pedpulse-{label}.xlsx", data=xlsx)
    session.add_all([chart, book])
    await session.flush()
    rows = buttons(summary.recommendations)
    return Edition(title, body, chart.id, book.id, stored(t, rows) if rows else None)


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
        replace(_notice(r, "text", text), markup=edition.markup),
        _notice(r, "chart", t("mon_chart_caption", weeks=WEEKS), edition.chart_id),
        _notice(r, "book", t("mon_book_caption", week=r.reported.label), edition.book_id),
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
