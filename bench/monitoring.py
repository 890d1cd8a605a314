"""Benchmark: every monitoring indicator of a region of 50,000 teachers and ~2 million answers.

    .venv/bin/python bench/monitoring.py --db sqlite|postgres [--reuse] [--teachers 50000]
                                         [--repeat 3] [--summaries 1000] [--database-url URL]

Generates the region in one transaction (monitoring_data.py, monitoring_events.py,
monitoring_answers.py), or with --reuse keeps the one an earlier run left: a SQLite file
under /tmp, or the PostgreSQL database pedpulse_bench on 127.0.0.1. Then, each measurement
in a fresh process (monitoring_timing.py), interleaved, --repeat times: (a) one SQL scan of
every answer; (b) load_facts + compute of every municipality for the standard periods;
(b') the whole aggregate, storing too. Prints the medians, (b)/(a) (target at most 3) and the
peak memory of (b) (target at most 1 GiB). Last, (c) the weekly job for --summaries
methodists (monitoring_summaries.py: a publication per municipality, an edition of text,
PNG and XLSX per language, three outbox rows per methodist; target at most 60 s), and one
edition per municipality rendered apart to show what each part costs.
"""

import argparse
import asyncio
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from monitoring_answers import Answering, write  # noqa: E402
from monitoring_data import NOW, generate  # noqa: E402
from monitoring_events import events  # noqa: E402
from monitoring_timing import Result, measure  # noqa: E402
from sqlalchemy import ColumnElement, func, or_, select, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402
from sqlalchemy.exc import DBAPIError  # noqa: E402
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine  # noqa: E402

from core import db  # noqa: E402
from core.models import Base, Person, PersonRole  # noqa: E402
from core.validation import YOUNG_AGE, YOUNG_YEARS  # noqa: E402
from surveys.registry import load_all  # noqa: E402

URLS = {
    "sqlite": "sqlite+aiosqlite:////tmp/pedpulse_bench/monitoring.sqlite3",
    "postgres": "postgresql+asyncpg://pedpulse:pedpulse@127.0.0.1:5432/pedpulse_bench",
}
SEED = 20261120
KINDS = ("baseline", "facts", "aggregate")
TABLES = (
    "municipality", "school", "mentorship", "seminar", "registration", "campaign",
    "campaign_member", "response", "answer", "anonymous_response", "anonymous_answer",
)  # fmt: skip
TEACHER: ColumnElement[bool] = PersonRole.role == "teacher"
YOUNG = or_(Person.started_year > NOW.year - YOUNG_YEARS, Person.birth_year > NOW.year - YOUNG_AGE)


async def prepare(url: str, teachers: int, reuse: bool) -> float | None:
    """Seconds the generation took; None when the region of an earlier run is reused."""
    if reuse and await _ready(url, teachers):
        return None
    await _fresh(url)
    await asyncio.to_thread(db.upgrade, url)
    engine = db.create_engine(url)
    started = time.perf_counter()
    async with engine.begin() as conn:
        region = await generate(conn, teachers, SEED)
        await events(conn, region)
        await write(conn, region, Answering(region.rng, load_all()))
    seconds = time.perf_counter() - started
    async with engine.connect() as conn:  # as autovacuum or a checkpoint would leave it
        await conn.execution_options(isolation_level="AUTOCOMMIT")
        await conn.execute(
            text("PRAGMA wal_checkpoint(TRUNCATE)" if _sqlite(url) else "VACUUM ANALYZE")
        )
    await engine.dispose()
    return seconds


def _sqlite(url: str) -> bool:
    return make_url(url).get_backend_name() == "sqlite"


async def _ready(url: str, teachers: int) -> bool:
    """Whether the database holds a whole region of this size at the newest schema."""
    if _sqlite(url) and not Path(str(make_url(url).database)).is_file():
        return False
    engine = db.create_engine(url)
    try:
        if await db.current_revision(engine) != db.head_revision():
            return False
        return (await counts(engine)).get("teachers") == teachers
    except (DBAPIError, OSError):
        return False
    finally:
        await engine.dispose()


async def _fresh(url: str) -> None:
    """An empty database: the SQLite file removed, the PostgreSQL database made again."""
    parsed = make_url(url)
    if _sqlite(url):
        for suffix in ("", "-wal", "-shm"):
            Path(f"{parsed.database}{suffix}").unlink(missing_ok=True)
        return
    server = parsed.set(database="postgres").render_as_string(hide_password=False)
    engine = create_async_engine(server, isolation_level="AUTOCOMMIT")
    async with engine.connect() as conn:
        await conn.execute(text(f'DROP DATABASE IF EXISTS "{parsed.database}" WITH (FORCE)'))
        await conn.execute(text(f'CREATE DATABASE "{parsed.database}"'))
    await engine.dispose()


async def describe(url: str) -> dict[str, int]:
    engine = db.create_engine(url)
    try:
        return await counts(engine)
    finally:
        await engine.dispose()


async def counts(engine: AsyncEngine) -> dict[str, int]:
    """Rows per table, and the teachers and young teachers."""
    tables = Base.metadata.tables
    queries = {name: select(func.count()).select_from(tables[name]) for name in TABLES}
    queries["teachers"] = select(func.count()).select_from(PersonRole).where(TEACHER)
    queries["young"] = (
        select(func.count()).select_from(Person).join(PersonRole).where(TEACHER, YOUNG)
    )
    async with engine.connect() as conn:
        return {name: int(await conn.scalar(query) or 0) for name, query in queries.items()}


def child(kind: str, url: str, summaries: int = 0) -> Result:
    """One measurement in a fresh process; its JSON line."""
    done = subprocess.run(
        [sys.executable, __file__, "--measure", kind, "--database-url", url,
         "--summaries", str(summaries)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    if done.returncode:
        sys.exit(f"{kind} failed:\n{done.stderr}")
    found: Result = json.loads(done.stdout.splitlines()[-1])
    return found


def show_region(url: str, seconds: float | None, found: dict[str, int]) -> None:
    where = make_url(url).render_as_string(hide_password=True)
    made = "reused" if seconds is None else f"generated in {seconds:.0f} s (one transaction)"
    print(f"database          {where}, {made}")
    print(f"region            {found['municipality']} municipalities, {found['school']} schools, "
          f"{found['teachers']} teachers ({found['young']} young), "
          f"{found['mentorship']} mentoring pairs")  # fmt: skip
    print(f"                  {found['seminar']} seminars, {found['registration']} registrations; "
          f"{found['campaign']} campaigns, {found['campaign_member']} members")  # fmt: skip
    answers, released = found["answer"], found["anonymous_answer"]
    print(f"answers           {answers + released}: {found['response']} responses with "
          f"{answers}, {found['anonymous_response']} released anonymous with "
          f"{released}")  # fmt: skip


def show_runs(runs: dict[str, list[Result]]) -> None:
    names = {"baseline": "(a) scan of every answer", "facts": "(b) load_facts + compute",
             "aggregate": "(b') aggregate, storing too"}  # fmt: skip
    median = {kind: statistics.median(r["seconds"] for r in rs) for kind, rs in runs.items()}
    peak = {kind: max(r["peak_mib"] for r in rs) for kind, rs in runs.items()}
    print(f"{'':30}median   runs (wall s)           CPU s   peak RSS")
    for kind, results in runs.items():
        each = " ".join(f"{r['seconds']:6.2f}" for r in results)
        cpu = statistics.median(r["cpu"] for r in results)
        print(f"{names[kind]:28}{median[kind]:8.2f} s  {each:22}{cpu:7.2f} {peak[kind]:6.0f} MiB")
    load, work = (
        statistics.median(r[part] for r in runs["facts"]) for part in ("load", "compute")
    )
    values = int(runs["facts"][0]["values"])
    print(f"    (b) parts: load_facts {load:.2f} s, compute {work:.2f} s; {values} values")
    for kind in ("facts", "aggregate"):
        ratio = median[kind] / median["baseline"]
        verdict = "met" if ratio <= 3 else "MISSED"
        print(f"ratio {kind:>9}/(a)  {ratio:6.1f}   target <= 3: {verdict}")
    floor = peak["baseline"]
    verdict = "met" if peak["facts"] <= 1024 else "MISSED"
    print(f"peak memory (b)   {peak['facts']:.0f} MiB (the scan's process: {floor:.0f} MiB)  "
          f"target <= 1024 MiB: {verdict}")  # fmt: skip


def show_summaries(found: Result, count: int) -> None:
    verdict = "met" if found["job"] <= 60 else "MISSED"
    print(f"weekly summaries  {count} methodists in 5 municipalities, as the weekly job sends "
          f"them: {found['job']:.1f} s   target <= 60 s: {verdict}")  # fmt: skip
    print(f"  {found['rows']:.0f} outbox rows, {found['editions']:.0f} editions rendered "
          f"(one per municipality and language)")  # fmt: skip
    print(f"  one edition apart, from a publication of {found['cells']:.0f} cells on average "
          f"(publishing the 5 after the week before's: {found['publish']:.1f} s):")  # fmt: skip
    for part, name in (("text", "text (weekly_summary + render)"), ("png", "PNG (weekly_chart)"),
                       ("xlsx", "XLSX (workbook)")):  # fmt: skip
        size = f", {found[part + '_bytes'] / 1024:.0f} KiB" if part != "text" else ""
        print(f"  {name:32}median {1000 * found[part + '_median']:7.1f} ms{size}")
    print(f"  whole process: {found['seconds']:.1f} s wall, {found['cpu']:.1f} s CPU, "
          f"peak RSS {found['peak_mib']:.0f} MiB")  # fmt: skip


def main(arguments: argparse.Namespace) -> None:
    url = arguments.database_url or URLS[arguments.db]
    seconds = asyncio.run(prepare(url, arguments.teachers, arguments.reuse))
    show_region(url, seconds, asyncio.run(describe(url)))
    runs: dict[str, list[Result]] = {kind: [] for kind in KINDS}
    for _ in range(arguments.repeat):
        for kind in KINDS:
            runs[kind].append(child(kind, url))
    if arguments.repeat:
        show_runs(runs)
    if arguments.summaries:
        show_summaries(child("summaries", url, arguments.summaries), arguments.summaries)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=sorted(URLS), default="sqlite")
    parser.add_argument("--database-url", help="instead of --db's database")
    parser.add_argument("--reuse", action="store_true", help="keep a region already generated")
    parser.add_argument("--teachers", type=int, default=50_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--summaries", type=int, default=1000, help="0: skip them")
    parser.add_argument("--measure", choices=["summaries", *KINDS], help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.measure:
        measure(arguments.measure, arguments.database_url, arguments.summaries)
    else:
        main(arguments)
