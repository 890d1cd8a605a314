"""What a person can take now: self-service questionnaires, marking those they can resume.

Campaigns addressed to the person will be offered here too (issue 4, next part).
"""

from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from core.models import Response, ResponseStatus
from surveys.model import Instrument


@dataclass(frozen=True)
class Offer:
    key: str
    title: dict[str, str]
    in_progress: bool


async def offered(
    session: AsyncSession, person_id: int, registry: Mapping[str, Instrument]
) -> list[Offer]:
    """Self-service instruments, marking those the person can resume."""
    open_keys = set(
        await session.scalars(
            select(Response.instrument).where(
                Response.person_id == person_id,
                Response.status == ResponseStatus.IN_PROGRESS,
                Response.seminar_id.is_(None),
            )
        )
    )
    return [
        Offer(key, instrument.title, key in open_keys)
        for key, instrument in sorted(registry.items())
        if instrument.self_service
    ]
