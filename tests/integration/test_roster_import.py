"""Roster import into the database: re-import updates, never duplicates."""

from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from core.models import Municipality, School, SchoolSubject, Subject
from core.roster import import_roster, parse_roster
from core.tables import read_table

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "roster.csv"


async def _count(session: AsyncSession, model: type) -> int:
    return int(await session.scalar(select(func.count()).select_from(model)) or 0)


async def test_example_roster_imports_and_reimports_without_duplicates(
    sessionmaker: async_sessionmaker[AsyncSession], tmp_path: Path
) -> None:
    schools = parse_roster(read_table(EXAMPLE), "Europe/Moscow")
    async with sessionmaker() as session:
        first = await import_roster(session, schools)
    assert (first.municipalities, first.schools_created, first.schools_updated) == (2, 5, 0)

    changed = tmp_path / "roster.csv"
    changed.write_text(
        EXAMPLE.read_text(encoding="utf-8").replace(",54,8,9,3,12,5", ",60,10,,3,12,5"),
        encoding="utf-8",
    )
    async with sessionmaker() as session:
        again = await import_roster(session, parse_roster(read_table(changed), "Europe/Moscow"))
    assert (again.schools_created, again.schools_updated) == (0, 5)
    async with sessionmaker() as session:
        assert await _count(session, Municipality) == 2
        assert await _count(session, School) == 5
        assert await _count(session, Subject) == 5
        school = await session.scalar(select(School).where(School.name == "МОАУ «СОШ № 1»"))
        assert school is not None and school.teachers == 60
        rows = await session.execute(
            select(Subject.name, SchoolSubject.teachers)
            .join(SchoolSubject)
            .where(SchoolSubject.school_id == school.id)
        )
        counts = dict(rows.all())
        assert counts["Математика"] == 10 and "Русский язык" not in counts
        town = await session.scalar(
            select(Municipality).where(Municipality.name == "г. Новотроицк")
        )
        assert town is not None and town.timezone == "Asia/Yekaterinburg"
