"""Mentoring nudges when two scheduler runs overlap at a leader's handover."""

from datetime import UTC, datetime, timedelta

from sqlalchemy import update

from core.models import Mentorship
from tests.integration.test_mentoring_nudges import Maker, _quiet_pair, _rows, _tick


async def test_a_silence_is_told_once_even_when_a_run_overlapping_the_first_missed_its_mark(
    sessionmaker: Maker,
) -> None:
    """Two ticks overlapping at a handover (the second read the pair before the first
    committed its mark) on either side of midnight still queue the silence once."""
    pair, _ = await _quiet_pair(sessionmaker)
    midnight = datetime(2026, 3, 3, tzinfo=UTC)
    assert await _tick(sessionmaker, midnight - timedelta(seconds=1)) == 2
    async with sessionmaker() as session:  # what the overlapping run read: not yet marked
        await session.execute(
            update(Mentorship).where(Mentorship.id == pair).values(nudged_at=None)
        )
        await session.commit()
    assert await _tick(sessionmaker, midnight + timedelta(seconds=1)) == 0
    assert len(await _rows(sessionmaker)) == 2
