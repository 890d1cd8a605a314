"""Benchmark: a questionnaire campaign for a whole region, on the scheduler's code path.

    .venv/bin/python bench/campaign.py [--teachers 50000] [--schools 500] [--answered 0.6]
                                       [--database-url URL]

Builds a municipality of registered teachers, opens a CBI campaign to all of them (members
and invitations in one transaction), marks a share as completed, then times a reminder run
(non-responders only), the response rate by school, and the tick when nothing is due.
Prints the seconds of each step and the peak memory of the process. Defaults to a fresh
SQLite file.
"""

import argparse
import asyncio
import resource
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import func, insert, select, update  # noqa: E402

from core import db  # noqa: E402
from core.models import (  # noqa: E402
    Campaign,
    CampaignMember,
    CampaignStatus,
    Delivery,
    Municipality,
    Person,
    School,
)
from core.questionnaires.campaigns import audience_now, open_campaign, run_due  # noqa: E402
from core.questionnaires.rates import response_rate  # noqa: E402
from core.texts import load_catalogues  # noqa: E402
from core.timeutil import utcnow  # noqa: E402
from surveys.registry import load_all  # noqa: E402


async def main(teachers: int, schools: int, answered: float, url: str) -> None:
    await asyncio.to_thread(db.upgrade, url)
    engine = db.create_engine(url)
    sessionmaker = db.create_sessionmaker(engine)
    catalogues, registry, now = load_catalogues(), load_all(), utcnow()
    async with sessionmaker() as session:
        region = Municipality(name="Область", timezone="Asia/Yekaterinburg")
        session.add(region)
        await session.flush()
        school_ids = list(
            await session.scalars(
                insert(School).returning(School.id),
                [
                    {"municipality_id": region.id, "name": f"Школа № {n}", "teachers": 100}
                    for n in range(1, schools + 1)
                ],
            )
        )
        for start in range(0, teachers, 5000):
            await session.execute(
                insert(Person),
                [
                    {
                        "telegram_id": 10_000_000 + n,
                        "municipality_id": region.id,
                        "school_id": school_ids[n % schools],
                        "language": "ru",
                        "consent_at": now,
                        "registered_at": now,
                    }
                    for n in range(start, min(start + 5000, teachers))
                ],
            )
        campaign = Campaign(
            municipality_id=region.id,
            instrument="cbi",
            version=registry["cbi"].version,
            opens_at=now,
            closes_at=now + timedelta(days=7),
            reminder_days=[3, 1],
            reminded=[],
            status=CampaignStatus.SCHEDULED,
            created_at=now,
        )
        session.add(campaign)
        await session.commit()
        campaign_id = campaign.id

    timings: dict[str, float] = {}
    started = time.perf_counter()
    async with sessionmaker() as session:
        campaign = await session.get_one(Campaign, campaign_id)
        people = await audience_now(session, campaign, now)
        launch = await open_campaign(session, campaign, people, now, catalogues, registry)
    timings["open (members + invitations)"] = time.perf_counter() - started

    async with sessionmaker() as session:
        done = int(teachers * answered)
        first = await session.scalar(
            select(func.min(CampaignMember.id)).where(CampaignMember.campaign_id == campaign_id)
        )
        assert first is not None
        await session.execute(
            update(CampaignMember)
            .where(CampaignMember.id < first + done)
            .values(completed_on=now.replace(hour=0, minute=0))
        )
        await session.commit()

    started = time.perf_counter()
    async with sessionmaker() as session:
        await run_due(session, now + timedelta(days=4, minutes=1), catalogues, registry, 5)
    timings["reminder run (non-responders)"] = time.perf_counter() - started

    started = time.perf_counter()
    async with sessionmaker() as session:
        rate = await response_rate(session, campaign_id, 5)
    timings["response rate by school"] = time.perf_counter() - started

    started = time.perf_counter()
    async with sessionmaker() as session:
        await run_due(session, now + timedelta(days=4, minutes=2), catalogues, registry, 5)
    timings["tick with nothing due"] = time.perf_counter() - started

    async with sessionmaker() as session:
        reminders = await session.scalar(
            select(func.count()).select_from(Delivery).where(Delivery.key.like("%:remind3:%"))
        )
    await engine.dispose()

    print(f"teachers          {teachers} in {schools} schools; invited {launch.total}")
    print(f"answered          {rate.responded} ({answered:.0%}); reminders queued {reminders}")
    for step, seconds in timings.items():
        print(f"{step:<34}{seconds:8.2f} s")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory       {peak:.0f} MiB (whole process)")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--teachers", type=int, default=50_000)
    parser.add_argument("--schools", type=int, default=500)
    parser.add_argument("--answered", type=float, default=0.6)
    parser.add_argument("--database-url")
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        target = arguments.database_url or f"sqlite+aiosqlite:///{folder}/bench.sqlite3"
        asyncio.run(main(arguments.teachers, arguments.schools, arguments.answered, target))
