"""The personal development route (ИОМ) built from the latest deficit self-assessment.

For each area with a high or medium deficit, and for each point deficit, the route gives the
Р-201 recommendation (individual plan, course, informal learning), upcoming seminars tagged
with the area, and curated resources. It is rebuilt from the saved response on request, so
new seminars appear in it as they are published.
"""

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from core.models import Response, ResponseStatus
from core.seminars.listing import SeminarView, upcoming
from surveys.registry import RESOURCES

DEFICITS = "deficits"
ADVICE = {"high": "plan", "medium": "plan_or_course", "minimal": "informal"}
SEMINARS_PER_AREA = 3


@dataclass(frozen=True)
class Resource:
    title: dict[str, str]
    url: str


@dataclass(frozen=True)
class RouteArea:
    area: str
    level: str  # high | medium | minimal (minimal areas appear only for point deficits)
    advice: str  # plan | plan_or_course | informal
    point_items: tuple[str, ...]
    seminars: tuple[SeminarView, ...]
    resources: tuple[Resource, ...]


@dataclass(frozen=True)
class Route:
    completed_at: datetime
    areas: tuple[RouteArea, ...]


def load_resources(path: Path = RESOURCES) -> dict[str, tuple[Resource, ...]]:
    """The curated resources per competency area."""
    data: dict[str, list[dict[str, Any]]] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return {
        area: tuple(Resource(dict(entry["title"]), str(entry["url"])) for entry in entries)
        for area, entries in data.items()
    }


async def latest_route(
    session: AsyncSession,
    person_id: int,
    now: datetime,
    resources: dict[str, tuple[Resource, ...]],
) -> Route | None:
    """The route from the person's latest completed self-assessment (None before the first)."""
    response = await session.scalar(
        select(Response)
        .where(
            Response.person_id == person_id,
            Response.instrument == DEFICITS,
            Response.status == ResponseStatus.COMPLETED,
            Response.anonymous.is_(False),
        )
        .order_by(Response.completed_at.desc(), Response.id.desc())
        .limit(1)
    )
    if response is None or response.scores is None or response.completed_at is None:
        return None
    ahead = await upcoming(session, person_id, now, limit=100)
    points: list[str] = response.scores["derived"].get("point_deficits", [])
    areas = []
    for area, found in response.scores["scales"].items():
        own_points = tuple(item for item in points if item.rstrip("0123456789") == area)
        band = found["band"]
        if band == "minimal" and not own_points:
            continue
        seminars = tuple(s for s in ahead if area in s.tags)[:SEMINARS_PER_AREA]
        areas.append(
            RouteArea(area, band, ADVICE[band], own_points, seminars, resources.get(area, ()))
        )
    order = {"high": 0, "medium": 1, "minimal": 2}
    areas.sort(key=lambda a: order[a.level])
    return Route(response.completed_at, tuple(areas))
