"""Response rates of a campaign: counted from the member rows, small groups suppressed."""

from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from core.models import Campaign, CampaignMember, CampaignStatus, Municipality, Person, School
from core.questionnaires.rates import response_rate

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


async def _campaign(session: AsyncSession, plan: dict[str | None, tuple[int, int]]) -> int:
    """A campaign whose members are, per school name (None: no school), (invited, completed)."""
    town = Municipality(name="Город", timezone="Europe/Moscow")
    session.add(town)
    await session.flush()
    campaign = Campaign(
        municipality_id=town.id,
        instrument="cbi",
        version=1,
        status=CampaignStatus.OPEN,
        reminder_days=[],
        reminded=[],
        created_at=NOW,
    )
    session.add(campaign)
    await session.flush()
    telegram_id = 0
    for name, (invited, completed) in plan.items():
        school_id = None
        if name is not None:
            school = School(municipality_id=town.id, name=name, teachers=invited)
            session.add(school)
            await session.flush()
            school_id = school.id
        for n in range(invited):
            telegram_id += 1
            person = Person(
                telegram_id=telegram_id,
                municipality_id=town.id,
                school_id=school_id,
                language="ru",
                consent_at=NOW,
            )
            session.add(person)
            await session.flush()
            session.add(
                CampaignMember(
                    campaign_id=campaign.id,
                    person_id=person.id,
                    school_id=school_id,
                    completed_on=NOW if n < completed else None,
                )
            )
    await session.commit()
    return campaign.id


async def test_a_group_of_few_invited_is_hidden_even_with_no_answers(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    # "No school" has 0 answers of 2 invited: shown, it would say both did not answer. Hidden,
    # alone, it takes the next smallest (B, 6) along; A and the total stay.
    async with sessionmaker() as session:
        campaign_id = await _campaign(session, {"A": (20, 15), "B": (9, 6), None: (2, 0)})
        rate = await response_rate(session, campaign_id, 5)
    assert rate.responded == 21
    assert [(s.school, s.responded) for s in rate.schools] == [
        ("A", 15),
        ("B", None),
        (None, None),
    ]


async def test_two_small_cells_hide_each_other(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    # B (4 invited) and "no school" (1 invited) are groups under 5: their size and their
    # answers are hidden; being two, neither can be recovered from the totals 20 and 9, so
    # A (6 of 8) and C (0 of 7) stay shown.
    async with sessionmaker() as session:
        campaign_id = await _campaign(
            session, {"A": (8, 6), "B": (4, 2), "C": (7, 0), None: (1, 1)}
        )
        rate = await response_rate(session, campaign_id, 5)
    assert (rate.invited, rate.responded) == (20, 9)
    assert [(s.school, s.invited, s.responded) for s in rate.schools] == [
        ("A", 8, 6),
        ("B", None, None),
        ("C", 7, 0),
        (None, None, None),
    ]


async def test_the_minimum_group_size_is_a_setting(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    # The same campaign with MIN_GROUP_SIZE=2: "no school" (1 invited) is hidden, and alone,
    # so the next smallest group (B, 4 invited) goes with it; C's 0 of 7 stays.
    async with sessionmaker() as session:
        campaign_id = await _campaign(
            session, {"A": (8, 6), "B": (4, 2), "C": (7, 0), None: (1, 1)}
        )
        rate = await response_rate(session, campaign_id, 2)
    assert [(s.school, s.responded) for s in rate.schools] == [
        ("A", 6),
        ("B", None),
        ("C", 0),
        (None, None),
    ]


async def test_a_lone_small_school_takes_the_next_smallest_with_it(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    # Only B (3) is under 5: without a second hidden cell B = 19 - 9 - 7, so C (7, the next
    # smallest) is hidden too. The total 19 stays visible.
    async with sessionmaker() as session:
        campaign_id = await _campaign(session, {"A": (10, 9), "B": (6, 3), "C": (9, 7)})
        rate = await response_rate(session, campaign_id, 5)
    assert rate.responded == 19
    assert [(s.school, s.responded) for s in rate.schools] == [("A", 9), ("B", None), ("C", None)]


async def test_a_small_total_is_hidden_too(sessionmaker: async_sessionmaker[AsyncSession]) -> None:
    async with sessionmaker() as session:
        campaign_id = await _campaign(session, {"A": (12, 4)})
        rate = await response_rate(session, campaign_id, 5)
    assert (rate.invited, rate.responded) == (12, None)
