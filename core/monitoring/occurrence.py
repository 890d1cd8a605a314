"""Scheduled occurrences (job, target, period) claimed in the database.

Inserting an occurrence's row is its claim, made in the transaction of the work it stands
for: after downtime the work is done once, and when two schedulers run it at the same time
the primary key decides (on PostgreSQL the second insert waits for the first transaction and
then finds the row; SQLite has one writer at a time).
"""

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from core.db import insert
from core.models import JobOccurrence


async def claim(session: AsyncSession, job: str, target: str, period: str, now: datetime) -> bool:
    """Insert the occurrence unless it exists; True when this transaction claimed it (the
    caller commits it with the work, or rolls back to give it up)."""
    statement = (
        insert(session, JobOccurrence)
        .values(job=job, target=target, period=period, done_at=now)
        .on_conflict_do_nothing(index_elements=["job", "target", "period"])
        .returning(JobOccurrence.job)
    )
    return (await session.execute(statement)).first() is not None


async def done(
    session: AsyncSession, job: str, wanted: Iterable[tuple[str, str]]
) -> set[tuple[str, str]]:
    """Which of these (target, period) occurrences of `job` are done already."""
    wanted = set(wanted)
    if not wanted:
        return set()
    rows = await session.execute(
        select(JobOccurrence.target, JobOccurrence.period).where(
            JobOccurrence.job == job,
            JobOccurrence.target.in_({target for target, _ in wanted}),
            JobOccurrence.period.in_({period for _, period in wanted}),
        )
    )
    return {(target, period) for target, period in rows} & wanted
