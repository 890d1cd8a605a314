"""A person's own past results and how they changed (confidential instruments only:
anonymous answers are not linked to the person after completion)."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from core.models import Response, ResponseStatus
from core.timeutil import as_utc


@dataclass(frozen=True)
class ScaleChange:
    scale: str
    score: float | None
    band: str | None
    change: float | None  # against the previous result of the same instrument


@dataclass(frozen=True)
class PastResult:
    instrument: str
    completed_at: datetime
    scales: tuple[ScaleChange, ...]


async def my_results(session: AsyncSession, person_id: int, limit: int = 10) -> list[PastResult]:
    """Completed results, newest first, each compared with the one before it."""
    responses = list(
        await session.scalars(
            select(Response)
            .where(
                Response.person_id == person_id,
                Response.status == ResponseStatus.COMPLETED,
                Response.anonymous.is_(False),  # not the person's to keep, even while held
            )
            .order_by(Response.completed_at, Response.id)
        )
    )
    previous: dict[str, dict[str, float | None]] = {}
    found = []
    for response in responses:
        scales = (response.scores or {}).get("scales", {})
        before = previous.get(response.instrument, {})
        changes = tuple(
            ScaleChange(
                scale,
                value["score"],
                value["band"],
                None
                if value["score"] is None or before.get(scale) is None
                else value["score"] - (before[scale] or 0.0),
            )
            for scale, value in scales.items()
        )
        previous[response.instrument] = {k: v["score"] for k, v in scales.items()}
        assert response.completed_at is not None
        found.append(PastResult(response.instrument, as_utc(response.completed_at), changes))
    return list(reversed(found))[:limit]
