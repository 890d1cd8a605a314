"""Weekly publications over time: a school's week hidden in one summary cannot be recovered
from the school years and weeks the later summaries show."""

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from core.models import IndicatorRecord, Municipality, PublishedCell, School
from core.monitoring.catalogue import ScopeType, load_catalogue
from core.monitoring.disclosure import ShownValue
from core.monitoring.periods import Period, month, school_year, week
from core.monitoring.publication import Selection, publish
from core.monitoring.rules import Thresholds
from core.texts import load_catalogues

KEY = "events_count"  # additive over periods: a school year is the sum of its weeks
LIMITS = Thresholds(5, 10, 3)
SUNDAYS = [date(2026, 11, 8), date(2026, 11, 15), date(2026, 11, 22)]  # weeks W-1, W, W+1
# registrations at school A in each week; week W holds 2 people: below k, hidden
WEEKLY = {0: 20, 1: 2, 2: 20}
BEFORE = 100  # school A's count from 1 September up to week W-1


async def _town(session: AsyncSession) -> tuple[int, int, int]:
    town = Municipality(name="Город", timezone="Europe/Moscow")
    session.add(town)
    await session.flush()
    a, b = School(municipality_id=town.id, name="А"), School(municipality_id=town.id, name="Б")
    session.add_all([a, b])
    await session.commit()
    return town.id, a.id, b.id


def _row(
    town: int, period: Period, scope: tuple[ScopeType, int], count: int, until: date
) -> IndicatorRecord:
    return IndicatorRecord(
        municipality_id=town, indicator=KEY, period_kind=period.kind.value,
        period_start=period.start, period_end=period.end, scope_type=scope[0].value,
        scope_id=scope[1], numerator=count, denominator=None, value=float(count), n=count,
        denominator_source="registered", until=until, computed_at=datetime.now(UTC),
    )  # fmt: skip


async def _store(session: AsyncSession, town: int, schools: tuple[int, int], upto: int) -> None:
    """What the night after week `upto` stores: its week and the year to its end."""
    sunday = SUNDAYS[upto]
    until = sunday + timedelta(days=1)
    this, year = week(sunday), school_year(sunday)
    await session.execute(
        delete(IndicatorRecord).where(IndicatorRecord.period_kind == "school_year")
    )  # recounting a period replaces its rows
    a = WEEKLY[upto]
    a_year = BEFORE + sum(WEEKLY[i] for i in range(upto + 1))
    rows = [
        (this, (ScopeType.SCHOOL, schools[0]), a),
        (this, (ScopeType.SCHOOL, schools[1]), 30),
        (this, (ScopeType.MUNICIPALITY, town), a + 30),
        (year, (ScopeType.SCHOOL, schools[0]), a_year),
        (year, (ScopeType.SCHOOL, schools[1]), 300 + 30 * upto),
        (year, (ScopeType.MUNICIPALITY, town), a_year + 300 + 30 * upto),
    ]
    session.add_all(_row(town, p, scope, count, until) for p, scope, count in rows)
    await session.commit()


async def _summary(session: AsyncSession, town: int, upto: int) -> tuple[ShownValue, ...]:
    """The summary of week `upto`: it by every scope, the weeks before for the town only."""
    weeks = tuple(week(SUNDAYS[i]) for i in range(upto))
    selection = Selection((week(SUNDAYS[upto]), school_year(SUNDAYS[upto])), weeks)
    t = load_catalogues()["ru"]
    published = await publish(session, load_catalogue(), LIMITS, town, selection, t)
    await session.commit()
    return published.shown


def _value(shown: tuple[ShownValue, ...], period: Period, school: int) -> float | None:
    (cell,) = [
        s for s in shown
        if s.period == period and s.scope_type is ScopeType.SCHOOL and s.scope_id == school
    ]  # fmt: skip
    return cell.value


async def test_a_week_hidden_once_stays_out_of_reach_of_later_years(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    async with sessionmaker() as session:
        town, a, b = await _town(session)
        shown = []
        for upto in range(3):
            await _store(session, town, (a, b), upto)
            shown.append(await _summary(session, town, upto))
    year = school_year(SUNDAYS[0])
    w, w_next = week(SUNDAYS[1]), week(SUNDAYS[2])
    assert _value(shown[1], w, a) is None  # two people: hidden
    year_before = _value(shown[0], year, a)  # up to week W-1, shown then
    year_now, next_week = _value(shown[2], year, a), _value(shown[2], w_next, a)
    assert year_before == BEFORE + WEEKLY[0]
    # year now - year before - week W+1 = week W: one of the three must be hidden
    assert year_now is None or next_week is None


async def _report(
    session: AsyncSession, town: int, school: int, counts: tuple[int, int], until: date
) -> ShownValue:
    """The school year by school counted up to `until`, as a /report that day stores and
    publishes it: burnout at the school (and the town, the same people)."""
    year = school_year(until)
    await session.execute(delete(IndicatorRecord))  # recounting a period replaces its rows
    high, of = counts
    for scope in ((ScopeType.SCHOOL, school), (ScopeType.MUNICIPALITY, town)):
        session.add(
            IndicatorRecord(
                municipality_id=town,
                indicator="burnout_high_risk",
                period_kind="school_year",
                period_start=year.start,
                period_end=year.end,
                scope_type=scope[0].value,
                scope_id=scope[1],
                numerator=high,
                denominator=of,
                value=100 * high / of,
                n=of,
                denominator_source="respondents",
                until=until,
                computed_at=datetime.now(UTC),
            )  # fmt: skip
        )
    await session.commit()
    t = load_catalogues()["ru"]
    published = await publish(session, load_catalogue(), LIMITS, town, Selection((year,)), t)
    await session.commit()
    (cell,) = [s for s in published.shown if s.scope_type is ScopeType.SCHOOL]
    return cell


async def test_a_report_a_day_later_does_not_single_out_the_answer_in_between(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    tuesday = date(2026, 11, 18)
    async with sessionmaker() as session:
        town, a, _ = await _town(session)
        first = await _report(session, town, a, (4, 12), tuesday)
        second = await _report(session, town, a, (5, 13), tuesday + timedelta(days=1))
        kept = (await session.execute(select(PublishedCell.hidden, PublishedCell.n))).all()
    assert first.value is not None and first.numerator == 4
    assert second.value is None  # 5 of 13 would tell the one answer since is at high risk
    # what the first report showed is kept with its numbers; of a hidden cell, none
    assert sorted(kept) == [(False, 12), (False, 12), (True, None), (True, None)]


async def _period_report(
    session: AsyncSession,
    town: int,
    school: int,
    period: Period,
    counts: tuple[int, int],
    until: date,
    indicator: str = "burnout_high_risk",
) -> ShownValue:
    """One period by school counted up to `until`, as a /report of that period alone."""
    await session.execute(
        delete(IndicatorRecord).where(IndicatorRecord.period_start == period.start)
    )  # recounting a period replaces its rows
    high, of = counts
    session.add(
        IndicatorRecord(
            municipality_id=town, indicator=indicator, period_kind=period.kind.value,
            period_start=period.start, period_end=period.end, scope_type="school",
            scope_id=school, numerator=high, denominator=of, value=100 * high / of, n=of,
            denominator_source="respondents", until=until, computed_at=datetime.now(UTC),
        )
    )  # fmt: skip
    await session.commit()
    t = load_catalogues()["ru"]
    published = await publish(session, load_catalogue(), LIMITS, town, Selection((period,)), t)
    await session.commit()
    (cell,) = published.shown
    return cell


async def test_reports_of_one_period_each_do_not_give_a_month_hidden_before(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    """School A's year up to one Monday (12 of 40) and November then (6 people: hidden),
    each its own report; a week later the year (16 of 52) and November (6 of 18), again
    each alone. The two years and November now would give November then: 2 of 6."""
    monday = date(2026, 11, 16)
    later = monday + timedelta(days=7)
    year, november = school_year(monday), month(monday)
    async with sessionmaker() as session:
        town, a, _ = await _town(session)
        first_year = await _period_report(session, town, a, year, (12, 40), monday)
        first_month = await _period_report(session, town, a, november, (2, 6), monday)
        second_year = await _period_report(session, town, a, year, (16, 52), later)
        second_month = await _period_report(session, town, a, november, (6, 18), later)
    assert first_year.value is not None and first_month.value is None
    assert second_year.value is not None  # its change, 12 people with 4 at high risk, passes
    assert second_month.value is None


async def test_a_state_reported_for_two_periods_apart_does_not_single_out_a_teacher(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    """Young teachers at school A: October's report shows the state on 1 November, 30 of
    100; a report of the week after, the state a day later: 31 of 101 would tell that the
    one teacher registered in between is young."""
    october, w45 = month(date(2026, 10, 1)), week(date(2026, 11, 2))
    young = "young_share"
    async with sessionmaker() as session:
        town, a, _ = await _town(session)
        first = await _period_report(
            session, town, a, october, (30, 100), date(2026, 11, 1), young
        )
        second = await _period_report(session, town, a, w45, (31, 101), date(2026, 11, 2), young)
    assert first.value is not None
    assert second.value is None
