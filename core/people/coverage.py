"""Registration coverage for methodists: counts per school, small groups suppressed."""

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from core.models import Person, PersonRole, Role, School
from core.suppression import share_table


@dataclass(frozen=True)
class SchoolCoverage:
    school: str
    registered: int | None  # None: suppressed
    roster: int


@dataclass(frozen=True)
class Coverage:
    registered: int | None  # None: suppressed
    roster: int
    schools: tuple[SchoolCoverage, ...]
    minimum: int


async def registration_coverage(
    session: AsyncSession, municipality_id: int, minimum: int
) -> Coverage:
    """Registered teachers against the roster headcount, per school and in total."""
    schools = list(
        await session.scalars(
            select(School).where(School.municipality_id == municipality_id).order_by(School.name)
        )
    )
    rows = await session.execute(
        select(Person.school_id, func.count(func.distinct(Person.id)))
        .join(PersonRole, PersonRole.person_id == Person.id)
        .where(
            Person.municipality_id == municipality_id,
            Person.registered_at.is_not(None),
            PersonRole.role == Role.TEACHER,
        )
        .group_by(Person.school_id)
    )
    counts: dict[int | None, int] = dict(rows.all())
    table = share_table(
        {s.id: (counts.get(s.id, 0), s.teachers) for s in schools}, minimum, whole_public=True
    )
    return Coverage(
        registered=table.total.part,
        roster=sum(s.teachers for s in schools),
        schools=tuple(SchoolCoverage(s.name, table.rows[s.id].part, s.teachers) for s in schools),
        minimum=minimum,
    )
