"""Scheduled work: a list of jobs run on every tick, each alone in its own session.

APScheduler only decides *when* (one "tick" a minute); each job decides what fell due and
queues outbox rows. A job that raises, or runs past its time, is logged and the others still
run on that tick.
"""

import asyncio
import logging
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from core.config import Settings
from core.mentoring.nudges import nudge
from core.messaging.attachments import release_delivered
from core.monitoring.jobs import Publishing, aggregate_nightly, send_summaries
from core.monitoring.publication import thresholds
from core.questionnaires.anonymity import release_due
from core.questionnaires.campaigns import run_due
from core.questionnaires.stranded import drop_stranded
from core.seminars.jobs import finish_seminars, send_reminders
from core.texts import Texts
from surveys.model import Instrument

logger = logging.getLogger(__name__)
TICK_SECONDS = 60
JOB_SECONDS = 600  # the most one job may take on a tick (the weekly summaries of a region)


@dataclass(frozen=True)
class JobContext:
    """What jobs need besides a session and the time."""

    catalogues: Mapping[str, Texts]
    settings: Settings
    instruments: Mapping[str, Instrument]


@dataclass(frozen=True)
class Job:
    """A named unit of scheduled work; `run` returns how much it queued or changed."""

    name: str
    run: Callable[[AsyncSession, datetime, JobContext], Awaitable[int]]


async def _seminar_reminders(session: AsyncSession, now: datetime, c: JobContext) -> int:
    return await send_reminders(session, now, c.settings.reminder_hours, c.catalogues)


async def _seminar_endings(session: AsyncSession, now: datetime, c: JobContext) -> int:
    return await finish_seminars(session, now, c.catalogues)


async def _campaigns(session: AsyncSession, now: datetime, c: JobContext) -> int:
    return await run_due(session, now, c.catalogues, c.instruments, c.settings.min_group_size)


async def _anonymous_release(session: AsyncSession, now: datetime, c: JobContext) -> int:
    k = c.settings.min_group_size
    released = await release_due(session, now, k)
    return released + await drop_stranded(session, now, k, c.instruments, c.catalogues)


async def _mentoring_nudges(session: AsyncSession, now: datetime, c: JobContext) -> int:
    s = c.settings
    return await nudge(
        session, now, c.catalogues, s.mentoring_silence_days, s.mentoring_request_wait_days
    )


async def _monitoring_aggregation(session: AsyncSession, now: datetime, c: JobContext) -> int:
    return await aggregate_nightly(session, now)


async def _weekly_summaries(session: AsyncSession, now: datetime, c: JobContext) -> int:
    s = c.settings
    limits = thresholds(s.min_group_size, s.min_group_size_sensitive)
    return await send_summaries(session, now, Publishing(c.catalogues, c.instruments, limits))


async def _delivered_files(session: AsyncSession, now: datetime, c: JobContext) -> int:
    return await release_delivered(session, now)


JOBS: tuple[Job, ...] = (
    Job("seminar reminders", _seminar_reminders),
    Job("seminar endings", _seminar_endings),
    Job("campaigns", _campaigns),
    Job("anonymous release", _anonymous_release),  # after campaigns: a closing releases
    Job("mentoring nudges", _mentoring_nudges),
    Job("monitoring aggregation", _monitoring_aggregation),  # after the release: it counts
    Job("weekly summaries", _weekly_summaries),  # after the aggregation it may rely on
    Job("delivered files", _delivered_files),  # the bytes of files every delivery is done with
)


async def tick(
    sessionmaker: async_sessionmaker[AsyncSession],
    context: JobContext,
    now: datetime,
    jobs: Sequence[Job] = JOBS,
    limit: float = JOB_SECONDS,
) -> int:
    """Run every job for `now`; returns the sum of their counts (failed jobs count 0). A job
    still running after `limit` seconds (a statement waiting on a lock that never comes) is
    stopped, its transaction rolled back: a hung job would hold every later tick."""
    total = 0
    for job in jobs:
        try:
            async with asyncio.timeout(limit), sessionmaker() as session:
                total += await job.run(session, now, context)
        except TimeoutError:
            logger.error("scheduled job %r stopped after %s s at %s", job.name, limit, now)
        except Exception:  # one job's failure never stops the others
            logger.exception("scheduled job %r failed at %s; the others ran", job.name, now)
    return total


def build_scheduler(job: Callable[[], Awaitable[None]]) -> AsyncIOScheduler:
    """A scheduler with the tick job; start it inside the running event loop."""
    scheduler = AsyncIOScheduler(timezone=UTC)
    scheduler.add_job(
        job,
        "interval",
        seconds=TICK_SECONDS,
        id="tick",
        replace_existing=True,
        coalesce=True,
        max_instances=1,
        misfire_grace_time=TICK_SECONDS * 5,
        next_run_time=datetime.now(UTC),
    )
    return scheduler
