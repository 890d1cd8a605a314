"""The outbox at a glance, for the sender's health line and for draining in tests."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from core.models import Delivery, DeliveryStatus
from core.timeutil import as_utc


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
