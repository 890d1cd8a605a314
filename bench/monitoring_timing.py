"""The measured work of the monitoring benchmark, one kind per fresh process (monitoring.py
starts them): it prints one line of JSON with the seconds (wall and this process's CPU), its
parts, and the process's peak resident memory, so one measurement's memory never hides in
another's."""

import asyncio
import json
import resource
import statistics
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from monitoring_data import NOW
from monitoring_summaries import summaries as weekly_job
from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from core import db
from core.models import Municipality, Seminar, SeminarStatus
from core.monitoring import store
from core.monitoring.catalogue import Catalogue, load_catalogue
from core.monitoring.chart import weekly_chart
from core.monitoring.compute import Request, compute, standard_periods, today_in
from core.monitoring.loading import load_facts
from core.monitoring.periods import Period, local_day, week
from core.monitoring.publication import alerts, publish, thresholds
from core.monitoring.summary import SummaryInput, UpcomingSeminar, render, weekly_summary
from core.monitoring.targets import load_targets
from core.monitoring.weekly import summary_selection
from core.monitoring.workbook import workbook
from core.texts import load_catalogues

SCAN = text(  # every answer row read, its value cast to text: the floor of any indicator job
    "SELECT count(*), sum(length(CAST(value AS TEXT))) FROM"
    " (SELECT value FROM answer UNION ALL SELECT value FROM anonymous_answer) AS every_answer"
)
LINES = ("diag_coverage", "burnout_high_risk", "satisfaction", "nps", "young_share",
         "mentoring_share", "community_share", "events_count")  # fmt: skip
DRAWN = ("diag_coverage", "burnout_high_risk", "satisfaction", "mentoring_share")
WEEKS = 8
LIMITS = thresholds(5, 10)  # MIN_GROUP_SIZE and MIN_GROUP_SIZE_SENSITIVE by default
Result = dict[str, float]


@dataclass(frozen=True)
class Job:
    maker: async_sessionmaker[AsyncSession]
    catalogue: Catalogue
    towns: list[int]
    summaries: int


async def baseline(job: Job) -> Result:
    """(a) One scan of every answer."""
    async with job.maker() as session:
        rows, _ = (await session.execute(SCAN)).one()
    return {"rows": rows}


async def facts(job: Job) -> Result:
    """(b) load_facts and compute for each municipality and the standard periods."""
    found = {"load": 0.0, "compute": 0.0, "values": 0.0}
    for town in job.towns:
        started = time.perf_counter()
        async with job.maker() as session:
            loaded = await load_facts(session, NOW, town)
        middle = time.perf_counter()
        periods = standard_periods(today_in(loaded, town, NOW))
        found["values"] += len(compute(loaded, job.catalogue, Request(town, periods, NOW)))
        found["load"] += middle - started
        found["compute"] += time.perf_counter() - middle
    return found


async def aggregate(job: Job) -> Result:
    """(b') The scheduler's whole aggregate of each municipality: load, compute, store."""
    stored = 0
    for town in job.towns:
        async with job.maker() as session:
            stored += await store.aggregate(session, job.catalogue, town, NOW)
    return {"values": stored}


async def summaries(job: Job) -> Result:
    """(c) `job.summaries` weekly summaries as the scheduler's job makes them, then one
    edition per municipality rendered apart, each part timed."""
    found: Result = await weekly_job(job.maker, job.catalogue, job.towns, job.summaries)
    packs, found["publish"] = await _publications(job)
    times: dict[str, list[float]] = {"text": [], "png": [], "xlsx": []}
    sizes = {"png": 0, "xlsx": 0}
    for data, weeks in packs:
        for part, size in _summary(job.catalogue, data, weeks, times).items():
            sizes[part] += size
    for part, seconds in times.items():
        found[f"{part}_median"] = statistics.median(seconds)
    found["cells"] = sum(len(data.shown) for data, _ in packs) / len(packs)
    return found | {f"{part}_bytes": size / len(packs) for part, size in sizes.items()}


def _summary(
    catalogue: Catalogue,
    data: SummaryInput,
    weeks: tuple[Period, ...],
    times: dict[str, list[float]],
) -> dict[str, int]:
    """One methodist's summary: the text, the chart and the workbook, each part timed."""
    moments = [time.perf_counter()]
    render(weekly_summary(data))
    moments.append(time.perf_counter())
    png = weekly_chart(data.shown, catalogue, DRAWN, weeks)
    moments.append(time.perf_counter())
    xlsx = workbook(data.shown, catalogue, data.names, LIMITS)
    moments.append(time.perf_counter())
    for part, begun, ended in zip(times, moments[:-1], moments[1:], strict=True):
        times[part].append(ended - begun)
    return {"png": len(png), "xlsx": len(xlsx)}


async def _publications(
    job: Job,
) -> tuple[list[tuple[SummaryInput, tuple[Period, ...]]], float]:
    """Each municipality's summary input: a publication of what the weekly job publishes
    for the last complete week (summary_selection), made after the week before's was
    published (as every week but the first; its cells hidden then take part, unshown), with
    alerts and coming seminars; and the seconds of those publications. Rolled back, so that
    every run publishes against the same history."""
    texts, targets = load_catalogues()["ru"], load_targets()
    packs, seconds = [], 0.0
    async with job.maker() as session:
        for town in job.towns:
            place = await session.get_one(Municipality, town)
            reported = week(local_day(NOW, ZoneInfo(place.timezone))).previous()
            selection = summary_selection(reported)  # what the weekly job publishes
            before = summary_selection(reported.previous())
            await publish(session, job.catalogue, LIMITS, town, before, texts)
            started = time.perf_counter()
            shown = await publish(session, job.catalogue, LIMITS, town, selection, texts)
            seconds += time.perf_counter() - started
            data = SummaryInput(
                shown.shown, job.catalogue, targets, await alerts(session, town, NOW),
                shown.names, reported, LINES, await _coming(session, town),
            )  # fmt: skip
            packs.append((data, (*selection.overview, reported)))
        await session.rollback()
    return packs, seconds


async def _coming(session: AsyncSession, town: int) -> tuple[UpcomingSeminar, ...]:
    found = await session.execute(
        select(Seminar.title, Seminar.starts_at)
        .where(
            Seminar.municipality_id == town,
            Seminar.status == SeminarStatus.PUBLISHED,
            Seminar.starts_at > NOW,
        )
        .order_by(Seminar.starts_at)
        .limit(3)
    )
    return tuple(
        UpcomingSeminar(title or "", f"{starts:%d.%m %H:%M}") for title, starts in found.all()
    )


MEASURES: dict[str, Callable[[Job], Awaitable[Result]]] = {
    "baseline": baseline,
    "facts": facts,
    "aggregate": aggregate,
    "summaries": summaries,
}


async def _run(kind: str, url: str, count: int) -> Result:
    engine = db.create_engine(url)
    maker = db.create_sessionmaker(engine)
    async with maker() as session:  # connected before the clock starts
        towns = await store.municipalities(session)
    job = Job(maker, load_catalogue(), towns, count)
    started, cpu = time.perf_counter(), time.process_time()
    found = await MEASURES[kind](job)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    await engine.dispose()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"seconds": seconds, "cpu": cpu, "peak_mib": peak} | found


def measure(kind: str, url: str, count: int) -> None:
    """Run one measurement and print its JSON line."""
    print(json.dumps(asyncio.run(_run(kind, url, count))))
