"""One publication of a municipality's indicators: the stored values of some periods, with
disclosure control consistent with everything its readers saw before, and remembered; the
names of its scopes; and the alerts the summary opens with. Every output (chat text, PNG,
XLSX, CLI) goes through `publish`, so no output shows a cell another hides."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from core.mentoring import pair_view
from core.models import (
    MentorshipRequest,
    Municipality,
    RequestStatus,
    School,
    Subject,
    SupportRequest,
)
from core.monitoring import store
from core.monitoring.catalogue import Catalogue, ScopeType
from core.monitoring.disclosure import ShownValue, protect
from core.monitoring.names import Names
from core.monitoring.periods import Period
from core.monitoring.recommendations import Alerts
from core.monitoring.rules import Thresholds
from core.monitoring.values import IndicatorValue
from core.offload import heavy
from core.seminars.listing import AREAS
from core.texts import Texts

MENTORING_WAIT = timedelta(days=3)


@dataclass(frozen=True)
class Selection:
    """What a publication shows: every scope of the `detailed` periods, and only the
    municipality of the `overview` ones (a line over weeks needs no school's week, and
    every week broken down by school and subject would multiply the cells to protect)."""

    detailed: tuple[Period, ...]
    overview: tuple[Period, ...] = ()

    @property
    def periods(self) -> tuple[Period, ...]:
        return tuple(dict.fromkeys((*self.overview, *self.detailed)))

    def keeps(self, value: IndicatorValue | ShownValue) -> bool:
        return value.period in self.detailed or value.scope_type is ScopeType.MUNICIPALITY


@dataclass(frozen=True)
class Publication:
    municipality_id: int
    names: Names
    shown: tuple[ShownValue, ...]


async def publish(
    session: AsyncSession,
    catalogue: Catalogue,
    limits: Thresholds,
    municipality_id: int,
    selection: Selection,
    t: Texts,
) -> Publication:
    """The protected values of the `selection`, remembered for the next publication
    (flushed: the caller commits together with what it sends).

    A cell counted up to another day than it was shown is compared with what was shown,
    and so is every span of days one scope's figures give in any publication of the school
    year, and every group of schools over such days (versions.py, timeline.py, history.py,
    through the numbers `store.remember` keeps). Not covered: sums over subjects across
    days (a teacher of two subjects is in both: no exact sums to take).
    """
    periods = selection.periods
    stored = await store.stored(session, municipality_id, periods)
    earlier = await store.earlier(session, municipality_id, periods)
    # a cell hidden before stays in the sums a reader can take (a school's year now minus
    # its year a fortnight ago minus the week shown gives the week hidden then), so it takes
    # part in the protection, unshown; a cell shown before is known, as the protection assumes
    hidden_before = {(e.cell, e.until) for e in earlier if e.hidden}
    values = tuple(v for v in stored if selection.keeps(v) or (v.cell, v.until) in hidden_before)
    # seconds of CPU for a large municipality: off the event loop, chats go on meanwhile
    protected = await heavy(protect, values, catalogue, limits, earlier)
    shown = tuple(s for s in protected if selection.keeps(s))
    await store.remember(session, municipality_id, shown, earlier)
    return Publication(municipality_id, await names(session, municipality_id, t), shown)


async def names(session: AsyncSession, municipality_id: int, t: Texts) -> Names:
    town = await session.get(Municipality, municipality_id)
    schools = await session.execute(
        select(School.id, School.name).where(School.municipality_id == municipality_id)
    )
    subjects = await session.execute(select(Subject.id, Subject.name))
    areas = {area: t.plain(f"area_{area}") for area in AREAS}
    return Names(
        town.name if town else str(municipality_id),
        dict(schools.all()),
        dict(subjects.all()),
        areas,
    )


async def alerts(session: AsyncSession, municipality_id: int, now: datetime) -> Alerts:
    """Support requests waiting, mentor requests waiting over three days, and open mentoring
    pairs with a problem waiting."""
    support = await session.scalar(
        select(func.count())
        .select_from(SupportRequest)
        .where(
            SupportRequest.municipality_id == municipality_id,
            SupportRequest.handled_at.is_(None),
        )
    )
    mentoring = await session.scalar(
        select(func.count())
        .select_from(MentorshipRequest)
        .where(
            MentorshipRequest.municipality_id == municipality_id,
            MentorshipRequest.status == RequestStatus.WAITING,
            MentorshipRequest.submitted_at < now - MENTORING_WAIT,
        )
    )
    return Alerts(
        support_waiting=int(support or 0),
        mentoring_overdue=int(mentoring or 0),
        problems_waiting=await pair_view.pairs_with_problems(session, municipality_id),
    )


def thresholds(min_group_size: int, min_group_size_sensitive: int) -> Thresholds:
    """The disclosure limits of the settings (MIN_GROUP_SIZE, MIN_GROUP_SIZE_SENSITIVE)."""
    return Thresholds(k=min_group_size, k_sensitive=min_group_size_sensitive)
