"""The monitoring's scheduled work, checked on every scheduler tick: each municipality's
indicators aggregated once a local day from 02:00, and each methodist's weekly summary once
per ISO week (core.monitoring.weekly). The scheduler runs the aggregation first, and no
summary hour is before 02:00, so a summary finds its week counted whole by the night after
that week's Sunday. Each municipality has transactions of its own: one that fails is logged
by its id and the others go on."""

import logging
from collections import defaultdict
from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, select, tuple_
from sqlalchemy.ext.asyncio import AsyncSession

from core.models import (
    IndicatorRecord,
    Municipality,
    Person,
    PersonRole,
    Role,
    SummarySetting,
)
from core.monitoring import occurrence, store, weekly
from core.monitoring.catalogue import Catalogue, load_catalogue
from core.monitoring.compute import standard_periods
from core.monitoring.periods import Period, last_weeks, local_day, month, school_year
from core.monitoring.rules import Thresholds
from core.monitoring.schedule import (
    AGGREGATION_JOB,
    DEFAULT,
    SUMMARY_JOB,
    Timing,
    aggregation_day,
    due_week,
    moment,
)
from core.monitoring.weekly import WEEKS, Recipient
from core.texts import Texts
from core.timeutil import known_zone
from surveys.model import Instrument

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Publishing:
    """What the weekly summaries need besides a session and the time."""

    catalogues: Mapping[str, Texts]
    instruments: Mapping[str, Instrument]
    limits: Thresholds


async def aggregate_nightly(session: AsyncSession, now: datetime) -> int:
    """Aggregate each municipality whose local day has reached 02:00 and is not aggregated
    yet; returns how many were aggregated."""
    towns = await session.execute(
        select(Municipality.id, Municipality.timezone).order_by(Municipality.id)
    )
    days = {
        str(town): day.isoformat()
        for town, zone in towns
        if (tz := _zone(town, zone, "aggregating")) is not None
        and (day := aggregation_day(now, tz)) is not None
    }
    done = await occurrence.done(session, AGGREGATION_JOB, days.items())
    await session.commit()  # the reading ends: each claim begins a write of its own
    todo = [int(town) for town, day in days.items() if (town, day) not in done]
    if not todo:
        return 0
    catalogue = load_catalogue()

    async def work(town: int) -> int:
        return await aggregate_once(session, catalogue, town, days[str(town)], now)

    return await _each(session, todo, "aggregating", work)


def nightly_periods(day: date) -> tuple[Period, ...]:
    """What a local day's aggregation stores: the standard periods of `day`, the week before
    the eight (a summary this week draws the eight up to the last complete one), and the
    month and the school year of the day before, so the night after a month's last day
    counts that month whole (as it does the week ended the day before)."""
    yesterday = day - timedelta(days=1)
    ended = (last_weeks(day, WEEKS + 1)[0], month(yesterday), school_year(yesterday))
    return tuple(dict.fromkeys((*standard_periods(day, WEEKS), *ended)))


async def aggregate_once(
    session: AsyncSession,
    catalogue: Catalogue,
    municipality_id: int,
    day: str,
    now: datetime,
    periods: Sequence[Period] | None = None,
) -> int:
    """Claim the municipality's local day and store its periods (by default the nightly
    ones) in the same commit; 1 when done here, 0 when that day was done already."""
    if not await occurrence.claim(session, AGGREGATION_JOB, str(municipality_id), day, now):
        await session.rollback()
        return 0
    if periods is None:
        periods = nightly_periods(date.fromisoformat(day))
    await store.aggregate(session, catalogue, municipality_id, now, periods)  # commits the claim
    return 1


async def send_summaries(session: AsyncSession, now: datetime, publishing: Publishing) -> int:
    """Queue every weekly summary due at `now` and not sent this ISO week; returns the
    outbox rows queued."""
    due = await due_recipients(session, now)
    await session.commit()
    if not due:
        return 0
    catalogue = load_catalogue()

    async def work(town: int) -> int:
        recipients = tuple(due[town])  # one municipality at one moment: one reported week
        wanted = weekly.summary_selection(recipients[0].reported).periods
        await ensure_series(session, catalogue, town, now, wanted)
        run = weekly.Run(
            town, recipients, now, catalogue, publishing.catalogues,
            publishing.instruments, publishing.limits,
        )  # fmt: skip
        return await weekly.send(session, run)

    return await _each(session, due, "the weekly summary of", work)


async def ensure_series(
    session: AsyncSession,
    catalogue: Catalogue,
    municipality_id: int,
    now: datetime,
    wanted: Sequence[Period],
) -> None:
    """Aggregate now the `wanted` periods not stored as counted up to today (the night's run
    missed, failed or not yet done): a summary never shows a week counted before its end."""
    zone = await session.scalar(
        select(Municipality.timezone).where(Municipality.id == municipality_id)
    )
    today = local_day(now, ZoneInfo(zone or "UTC"))
    keys = [(p.kind.value, p.start) for p in wanted]
    r = IndicatorRecord
    stored = await session.execute(
        select(r.period_kind, r.period_start, func.max(r.until))
        .where(
            r.municipality_id == municipality_id, tuple_(r.period_kind, r.period_start).in_(keys)
        )
        .group_by(r.period_kind, r.period_start)
    )
    until = {(kind, start): last for kind, start, last in stored}
    stale = [p for p in wanted if until.get((p.kind.value, p.start)) != p.evaluated_until(today)]
    await session.commit()
    if stale:  # under the row lock of store.aggregate, beside any other aggregation
        await store.aggregate(session, catalogue, municipality_id, now, tuple(stale))


async def due_recipients(session: AsyncSession, now: datetime) -> dict[int, list[Recipient]]:
    """Registered, active methodists whose summary moment of this ISO week has come and
    whose week is not claimed yet, by municipality."""
    found: dict[int, list[Recipient]] = defaultdict(list)
    for row in await _methodists(session):
        timing = DEFAULT if row.enabled is None else Timing(row.enabled, row.weekday, row.hour)
        zone = _zone(row.municipality_id, row.timezone, "the weekly summary of")
        if zone is None:
            continue
        try:  # a setting out of range (hour 24, weekday 9) leaves out that methodist alone
            week = due_week(timing, now, zone, row.registered_at)
            at = None if week is None else moment(timing, week, zone)
        except (ValueError, OverflowError):
            logger.exception("monitoring: the weekly summary of methodist %d failed", row.id)
            continue
        if week is not None and at is not None:
            found[row.municipality_id].append(
                Recipient(row.id, row.telegram_id, row.language, week, at)
            )
    wanted = [(str(r.person_id), r.week.label) for rs in found.values() for r in rs]
    done = await occurrence.done(session, SUMMARY_JOB, wanted)
    due = {
        town: [r for r in people if (str(r.person_id), r.week.label) not in done]
        for town, people in found.items()
    }
    return {town: people for town, people in due.items() if people}


async def _methodists(session: AsyncSession) -> Sequence[Any]:
    """Every registered, active methodist with their zone and summary setting (if any)."""
    rows = await session.execute(
        select(
            Person.id,
            Person.telegram_id,
            Person.language,
            Person.municipality_id,
            Person.registered_at,
            Municipality.timezone,
            SummarySetting.enabled,
            SummarySetting.weekday,
            SummarySetting.hour,
        )
        .join(PersonRole, PersonRole.person_id == Person.id)
        .join(Municipality, Municipality.id == Person.municipality_id)
        .outerjoin(SummarySetting, SummarySetting.person_id == Person.id)
        .where(
            PersonRole.role == Role.METHODIST,
            Person.active.is_(True),
            Person.registered_at.is_not(None),
        )
        .order_by(Person.id)
    )
    return rows.all()


def _zone(town: int, name: str, what: str) -> ZoneInfo | None:
    """The municipality's zone; None, logged by its id, when it is unknown (`known_zone`)."""
    zone = known_zone(name)
    if zone is None:
        logger.error("monitoring: %s municipality %d failed: unknown time zone", what, town)
    return zone


async def _each(
    session: AsyncSession,
    towns: Iterable[int],
    what: str,
    work: Callable[[int], Awaitable[int]],
) -> int:
    total = 0
    for town in towns:
        try:
            total += await work(town)
        except Exception:  # one municipality's failure never stops the others
            await session.rollback()
            logger.exception("monitoring: %s municipality %d failed; the others go on", what, town)
    return total
