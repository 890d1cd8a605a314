"""The outbox at a glance: the sender's health line, an instance's health check, draining in
tests, and which claimed rows are still there before they go."""

import logging
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from core.models import Delivery, DeliveryStatus
from core.timeutil import as_utc

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Health:
    """The queue at a glance, for the log: a stuck queue shows as an old pending row."""

    pending: int
    sending: int
    failed: int
    oldest_pending: datetime | None


async def health(session: AsyncSession) -> Health:
    """Counts of waiting and failed rows and the creation time of the oldest pending one."""
    counts = dict(
        (
            await session.execute(
                select(Delivery.status, func.count())
                .where(
                    Delivery.status.in_(
                        [DeliveryStatus.PENDING, DeliveryStatus.SENDING, DeliveryStatus.FAILED]
                    )
                )
                .group_by(Delivery.status)
            )
        ).all()
    )
    oldest = await session.scalar(
        select(func.min(Delivery.created_at)).where(Delivery.status == DeliveryStatus.PENDING)
    )
    return Health(
        counts.get(DeliveryStatus.PENDING, 0),
        counts.get(DeliveryStatus.SENDING, 0),
        counts.get(DeliveryStatus.FAILED, 0),
        as_utc(oldest) if oldest else None,
    )


async def next_due(session: AsyncSession) -> datetime | None:
    """When the earliest pending row becomes due (None: nothing pending)."""
    earliest = await session.scalar(
        select(func.min(Delivery.next_attempt_at)).where(Delivery.status == DeliveryStatus.PENDING)
    )
    return as_utc(earliest) if earliest else None


async def health_report(
    sessionmaker: async_sessionmaker[AsyncSession], now: datetime
) -> dict[str, object] | None:
    """What an instance's health check shows: the outbox at a glance (counts and the age of
    the oldest pending row, never a recipient); None when the database cannot be read."""
    try:
        async with sessionmaker() as session:
            queue = await health(session)
    except (SQLAlchemyError, OSError) as exc:
        logger.warning("health: the database cannot be read (%s)", type(exc).__name__)
        return None
    oldest = queue.oldest_pending
    return {
        "pending": queue.pending,
        "sending": queue.sending,
        "failed": queue.failed,
        "oldest_pending_seconds": round((now - oldest).total_seconds()) if oldest else 0,
    }


async def still_there(session: AsyncSession, ids: list[int]) -> set[int]:
    """Which of these claimed rows are still in the outbox (a /forget deletes rows); the
    watch of a batch asks only for some."""
    found = await session.scalars(select(Delivery.id).where(Delivery.id.in_(ids)))
    return set(found)
