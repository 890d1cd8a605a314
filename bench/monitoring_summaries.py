"""The weekly summaries of the monitoring benchmark, made as the scheduler's job makes them.

`count` methodists are added across the region's municipalities (every fifth reads English)
and get the summaries of the HISTORY weeks before first (untimed: every publication is
protected together with the cells hidden in the earlier ones of its periods, so a week's
job costs more with each week of the school year before it), the
periods their summaries publish are aggregated (the night's job would have done it), then
one timed call of `send_summaries` at the benchmark's moment: per
municipality one protected publication, one edition (text, PNG chart, XLSX workbook) per
language, and three outbox rows per methodist. Afterwards everything the run added is
deleted again, so the region can be reused. Besides the whole job, one edition is rendered
apart per municipality to show what each part costs.
"""

import time
from datetime import timedelta
from typing import Any
from zoneinfo import ZoneInfo

from monitoring_data import NOW
from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from core.models import (
    Attachment,
    Delivery,
    JobOccurrence,
    Municipality,
    Person,
    PersonRole,
    PublishedCell,
    Role,
)
from core.monitoring.catalogue import Catalogue
from core.monitoring.jobs import Publishing, ensure_series, send_summaries
from core.monitoring.periods import local_day, week
from core.monitoring.publication import thresholds
from core.monitoring.schedule import SUMMARY_JOB
from core.monitoring.weekly import summary_selection
from core.texts import load_catalogues
from surveys.registry import load_all

BASE_CHAT = 7_000_000_000  # far above the generated people's chats
MARKED = (Person, Delivery, Attachment, PublishedCell)
HISTORY = 7  # weeks: the timed summary's chart shows them, published as they came


async def summaries(
    maker: async_sessionmaker[AsyncSession], catalogue: Catalogue, towns: list[int], count: int
) -> dict[str, float]:
    """Seconds of the job for `count` methodists, the rows it queued and the editions."""
    async with maker() as session:
        marks = {m: int(await session.scalar(select(func.max(m.id))) or 0) for m in MARKED}
        await _methodists(session, towns, count)
    try:
        publishing = Publishing(load_catalogues(), load_all(), thresholds(5, 10))
        for weeks in range(HISTORY, 0, -1):
            async with maker() as session:
                earlier = await send_summaries(session, NOW - timedelta(weeks=weeks), publishing)
            if earlier < 3 * count:  # text, chart and workbook for each methodist at least
                raise RuntimeError(
                    f"{weeks} weeks before: {earlier} outbox rows, not a summary each"
                )
        async with maker() as session:
            await _series(session, catalogue, towns)
            before = int(await session.scalar(select(func.max(Attachment.id))) or 0)
        async with maker() as session:
            started = time.perf_counter()
            rows = await send_summaries(session, NOW, publishing)
            seconds = time.perf_counter() - started
            editions = await session.scalar(select(func.count()).where(Attachment.id > before))
    finally:
        async with maker() as session:
            await _clean(session, marks)
    return {"job": seconds, "rows": rows, "editions": float(editions or 0) / 2}


async def _methodists(session: AsyncSession, towns: list[int], count: int) -> None:
    since = NOW - timedelta(weeks=HISTORY + 1)  # due in every week published before
    session.add_all(
        Person(
            telegram_id=BASE_CHAT + i,
            municipality_id=towns[i % len(towns)],
            full_name=f"Методист {i}",
            language="en" if i % 5 == 4 else "ru",
            consent_at=since,
            registered_at=since,
            roles=[PersonRole(role=Role.METHODIST)],
        )
        for i in range(count)
    )
    await session.commit()


async def _series(session: AsyncSession, catalogue: Catalogue, towns: list[int]) -> None:
    """What each municipality's summary publishes, stored as the night's job leaves it."""
    for town in towns:
        place = await session.get_one(Municipality, town)
        reported = week(local_day(NOW, ZoneInfo(place.timezone))).previous()
        await ensure_series(session, catalogue, town, NOW, summary_selection(reported).periods)
        await session.commit()


async def _clean(session: AsyncSession, marks: dict[Any, int]) -> None:
    await session.execute(delete(JobOccurrence).where(JobOccurrence.job == SUMMARY_JOB))
    for model in (Delivery, PublishedCell, Attachment, Person):
        await session.execute(delete(model).where(model.id > marks[model]))
    await session.commit()
