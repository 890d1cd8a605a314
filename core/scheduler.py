"""APScheduler 3 wiring: one "tick" job a minute; the job decides what is due, not how to send."""

from collections.abc import Awaitable, Callable, Mapping
from datetime import UTC, datetime

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from core.campaigns import run_due
from core.config import Settings
from core.seminar_jobs import finish_seminars, send_reminders
from core.texts import Texts
from surveys.model import Instrument

TICK_SECONDS = 60


async def tick(
    sessionmaker: async_sessionmaker[AsyncSession],
    catalogues: Mapping[str, Texts],
    settings: Settings,
    instruments: Mapping[str, Instrument],
    now: datetime,
) -> int:
    """Queue whatever fell due by `now`: seminar reminders and results; campaigns opening,
    reminding non-responders and closing."""
    async with sessionmaker() as session:
        queued = await send_reminders(session, now, settings.reminder_hours, catalogues)
    async with sessionmaker() as session:
        finished = await finish_seminars(session, now, catalogues)
    async with sessionmaker() as session:
        changed = await run_due(session, now, catalogues, instruments, settings.min_group_size)
    return queued + finished + changed


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
