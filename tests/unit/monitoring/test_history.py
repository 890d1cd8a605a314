"""A breakdown by school published on two days: every set of schools whose sum a reader can
take on both days (a shown school, the hidden ones as the municipality minus the rest, the
people in no school) changes in between by a group that could be shown, or is not shown."""

from collections import defaultdict
from dataclasses import replace
from datetime import date, timedelta

from core.monitoring.catalogue import ScopeType, load_catalogue
from core.monitoring.disclosure import ShownValue, protect
from core.monitoring.periods import Period, month, week
from core.monitoring.values import IndicatorValue
from core.monitoring.versions import Earlier
from tests.unit.monitoring.attack import MUN, SCHOOL, YEAR, value

CATALOGUE = load_catalogue()
DAY1, DAY2 = date(2026, 11, 18), date(2026, 11, 25)
OCTOBER = month(date(2026, 10, 1))


def burnout(scope: tuple[ScopeType, int], high: int, of: int, until: date) -> IndicatorValue:
    return replace(value("burnout_high_risk", YEAR, scope, high, of), until=until)


def town(day: date, *cells: tuple[int, int, int]) -> tuple[IndicatorValue, ...]:
    """The municipality (scope id 1) then schools: (school, high, of); the first is the town."""
    (_, high, of), *schools = cells
    return (
        burnout((MUN, 1), high, of, day),
        *(burnout((SCHOOL, i), h, n, day) for i, h, n in schools),
    )


def publish_twice(
    first: tuple[IndicatorValue, ...], second: tuple[IndicatorValue, ...]
) -> tuple[dict[int, ShownValue], dict[int, ShownValue]]:
    one = protect(first, CATALOGUE)
    two = protect(second, CATALOGUE, earlier=[Earlier.of(s) for s in one])
    return {s.scope_id: s for s in one}, {s.scope_id: s for s in two}


def known(shown: dict[int, ShownValue], schools: set[int], everyone: set[int]) -> bool:
    """Whether a reader can take the sum of `schools` (with the people in no school when
    `schools` is everyone hidden) from one publication."""
    if all(shown[i].hidden is None for i in schools):
        return True
    rest = everyone - schools
    return shown[1].hidden is None and all(shown[i].hidden is None for i in rest)


def test_schools_hidden_on_both_days_do_not_give_their_change() -> None:
    """Schools 10 and 11 are below k on both days; the town minus school 12 gives them
    together each day: 5 of 17, then 6 of 18, one person at high risk in between."""
    one, two = publish_twice(
        town(DAY1, (1, 20, 60), (10, 2, 8), (11, 3, 9), (12, 15, 43)),
        town(DAY2, (1, 31, 91), (10, 3, 9), (11, 3, 9), (12, 25, 73)),
    )
    assert one[10].hidden and one[11].hidden and one[1].hidden is None
    assert known(one, {10, 11}, {10, 11, 12})
    assert not known(two, {10, 11}, {10, 11, 12})


def test_schools_hidden_then_shown_do_not_give_their_change() -> None:
    """Hidden together on the first day, both large enough on the second: their sum then and
    now would tell that the three who answered in between include two at high risk."""
    one, two = publish_twice(
        town(DAY1, (1, 20, 60), (10, 2, 8), (11, 3, 9), (12, 15, 43)),
        town(DAY2, (1, 32, 93), (10, 3, 10), (11, 4, 10), (12, 25, 73)),
    )
    assert known(one, {10, 11}, {10, 11, 12})
    assert not known(two, {10, 11}, {10, 11, 12})
    assert two[1].hidden is None  # the town's own change (33 people) is not the problem


def test_people_in_no_school_do_not_give_their_change() -> None:
    """The town minus its schools is 5 of 15 on the first day and 5 of 16 on the second: one
    teacher in no school answered in between, at low risk."""
    one, two = publish_twice(
        town(DAY1, (1, 15, 45), (10, 5, 15), (11, 5, 15)),
        town(DAY2, (1, 25, 76), (10, 10, 30), (11, 10, 30)),
    )
    assert not any(s.hidden for s in one.values())
    assert any(s.hidden for s in two.values())


def test_a_day_counted_again_shows_what_it_showed() -> None:
    """A week shown as 20 of 60, counted again after one respondent's answers were deleted:
    19 of 59 would tell that person was at high risk."""
    w47 = week(date(2026, 11, 16))
    shown = protect((value("burnout_high_risk", w47, (MUN, 1), 20, 60),), CATALOGUE)
    again = value("burnout_high_risk", w47, (MUN, 1), 19, 59)  # counted up to the same day
    (now,) = protect((again,), CATALOGUE, earlier=[Earlier.of(shown[0])])
    assert (now.numerator, now.denominator, now.n) == (20, 60, 60)
    assert now.value == shown[0].value


def young(period: Period, registered: int, until: date) -> IndicatorValue:
    """Young teachers of the registered ones, as the state at `until`: 30 of the first 100
    registered, and each teacher registered since is young."""
    counted = value("young_share", period, (MUN, 1), 30 + registered - 100, registered)
    return replace(counted, until=until)


def test_a_state_counted_up_to_two_days_is_one_series_whatever_its_period() -> None:
    """The share of young teachers is a state at a period's end: the 8-week line shows it at
    8 Sundays, and a week with one teacher registered would tell that teacher is young."""
    weeks = [week(date(2026, 10, 4) + timedelta(days=7 * i)) for i in range(8)]
    line = tuple(young(w, 100 + i, w.end) for i, w in enumerate(weeks))
    shown = [s for s in protect(line, CATALOGUE) if s.hidden is None]
    assert 1 < len(shown) < len(line)  # never two states a few teachers apart
    sizes = [s.n for s in shown if s.n is not None]
    assert all(b - a >= 5 for a, b in zip(sizes, sizes[1:], strict=False))
    # the year up to Monday 2 November and October complete: one teacher on Sunday 1st
    year, october = young(YEAR, 111, date(2026, 11, 2)), young(OCTOBER, 110, date(2026, 11, 1))
    assert any(s.hidden for s in protect((year, october), CATALOGUE))


def test_more_teachers_assessed_out_of_the_same_headcount_single_out_no_one() -> None:
    """Coverage by the diagnostics over the roster's 153: 0 last week, 2 now. Who was
    assessed is what the figure counts; no one's answer is in it."""
    w46, w47 = week(date(2026, 11, 9)), week(date(2026, 11, 16))
    line = tuple(
        replace(value("diag_coverage", w, (MUN, 1), done, 153), until=w.end)
        for w, done in ((w46, 0), (w47, 2))
    )
    assert not any(s.hidden for s in protect(line, CATALOGUE))


def test_a_counts_numerator_counts_events_not_people() -> None:
    """Seminars held: 6 with 7 participants, then 11 with 8: one more participant is a group
    of one; one more seminar with the same 40 participants singles out nobody."""

    def events(scope: tuple[ScopeType, int], held: int, came: int, until: date) -> IndicatorValue:
        counted = value("events_count", YEAR, scope, held, came)
        return replace(counted, denominator=None, value=float(held), until=until)

    for scope, before, after, hidden in (
        ((SCHOOL, 10), (6, 7), (11, 8), True),
        ((MUN, 1), (6, 40), (7, 40), False),
    ):
        (first,) = protect((events(scope, *before, DAY1),), CATALOGUE)
        (later,) = protect((events(scope, *after, DAY2),), CATALOGUE, earlier=[Earlier.of(first)])
        assert (later.hidden is not None) == hidden


def test_a_small_new_month_does_not_hide_the_whole_town() -> None:
    """Monday 5 October: a school's four October days are too few to show; that hides its
    cells and their complements, not the municipality's year, months and week."""
    w40, september = week(date(2026, 10, 4)), month(date(2026, 9, 1))
    values = []
    for school, (sep, wk, octo) in {0: (45, 11, 4), 1: (47, 12, 6), 2: (44, 10, 6)}.items():
        values += [
            replace(
                value("satisfaction", YEAR, (SCHOOL, school), sep // 3 + octo // 2, sep + octo),
                until=w40.end,
            ),
            replace(
                value("satisfaction", september, (SCHOOL, school), sep // 3, sep),
                until=OCTOBER.start,
            ),
            replace(
                value("satisfaction", OCTOBER, (SCHOOL, school), octo // 2, octo), until=w40.end
            ),
            replace(value("satisfaction", w40, (SCHOOL, school), wk // 3, wk), until=w40.end),
        ]
    for period in (YEAR, september, OCTOBER, w40):
        parts = [v for v in values if v.period == period]
        whole = value(
            "satisfaction",
            period,
            (MUN, 1),
            sum(v.numerator for v in parts),
            sum(v.n for v in parts),
        )
        values.append(replace(whole, until=parts[0].until))
    shown = protect(tuple(values), CATALOGUE)
    assert not any(s.hidden for s in shown if s.scope_type is ScopeType.MUNICIPALITY)
    assert any(s.hidden for s in shown)


def test_months_and_the_year_reported_apart_do_not_give_a_hidden_school() -> None:
    """Reports by school, each of one period counted up to Monday 16 November: the year, then
    November (B's 4 respondents hidden, and A's 10 as its complement), September, October.
    A's year minus its September and October is A's November (35 - 12 - 13 = 10); the
    town's November minus A's and C's is B's: 4 people, 1 at high risk (30 - 10 - 16)."""
    monday = date(2026, 11, 16)
    september, october, november = (month(date(2026, m, 1)) for m in (9, 10, 11))
    counts = {  # (high, of) for schools A (10), B (11), C (12) and the people in no school
        YEAR: ((11, 35), (6, 20), (11, 38), (3, 10)),
        november: ((3, 10), (1, 4), (5, 16), (0, 0)),
        september: ((4, 12), (2, 8), (3, 11), (1, 5)),
        october: ((4, 13), (3, 8), (3, 11), (2, 5)),
    }
    earlier: list[Earlier] = []
    shown = {}
    for period, parts in counts.items():
        town = (sum(high for high, _ in parts), sum(of for _, of in parts))
        scopes = ((MUN, 1), (SCHOOL, 10), (SCHOOL, 11), (SCHOOL, 12))
        until = min(period.end, monday)
        values = tuple(
            replace(value("burnout_high_risk", period, scope, high, of), until=until)
            for scope, (high, of) in zip(scopes, (town, *parts[:3]), strict=True)
        )
        for s in protect(values, CATALOGUE, earlier=earlier):
            earlier.append(Earlier.of(s))
            shown[(s.period, s.scope_id)] = s.hidden is None
    assert shown[(YEAR, 10)] and shown[(september, 10)]
    assert shown[(november, 1)] and shown[(november, 12)] and not shown[(november, 11)]
    assert not shown[(october, 10)]


def test_a_school_with_an_empty_week_does_not_hide_the_whole_town() -> None:
    """Monday 19 October: school 5 had 3 respondents in September, 1 in October and none
    last week. Its empty week cannot hide anything (0 is 0 whoever sees it), so its year is
    tied to it, taking the remainders as known; that is no reason to hide the town's cells,
    which once hid 23 of the 24 cells of this table."""
    monday = date(2026, 10, 19)
    w42, september = week(date(2026, 10, 12)), month(date(2026, 9, 1))
    schools = {  # (respondents, satisfied) in the week, October and September
        1: ((20, 8), (45, 20), (60, 30)),
        2: ((25, 10), (50, 25), (70, 30)),
        3: ((15, 5), (30, 12), (40, 20)),
        4: ((30, 9), (55, 30), (80, 44)),
        5: ((0, 0), (1, 1), (3, 1)),
    }
    values: list[IndicatorValue] = []
    totals: defaultdict[Period, list[int]] = defaultdict(lambda: [0, 0])
    for school, (week_, october, sept) in schools.items():
        year = (october[0] + sept[0], october[1] + sept[1])
        for period, (n, satisfied) in zip(
            (w42, OCTOBER, september, YEAR), (week_, october, sept, year), strict=True
        ):
            values.append(value("satisfaction", period, (SCHOOL, school), satisfied, n))
            totals[period][0] += satisfied
            totals[period][1] += n
    values += [value("satisfaction", p, (MUN, 1), *counts) for p, counts in totals.items()]
    shown = protect(tuple(replace(v, until=min(v.period.end, monday)) for v in values), CATALOGUE)
    assert not any(s.hidden for s in shown if s.scope_type is ScopeType.MUNICIPALITY)
    assert all(s.hidden for s in shown if s.scope_id == 5 and s.n != 0)
    others = [s for s in shown if s.scope_type is ScopeType.SCHOOL and s.scope_id != 5]
    assert sum(s.hidden is None for s in others) >= len(others) / 2


def test_a_month_and_its_weeks_by_school_in_two_reports_do_not_give_a_small_school() -> None:
    """November by school in one report (the town 106, school A 92, school B 14); its four
    whole weeks by school in another (B's 3 a week hidden, and C's as their complement).
    The town's month minus its weeks is the 1st and the 30th: 14 people; minus A's (12),
    the 2 of school B, 1 at high risk."""
    weeks = [week(date(2026, 11, day)) for day in (2, 9, 16, 23)]
    november = month(date(2026, 11, 1))

    def by_school(period: Period, *counts: tuple[int, int]) -> tuple[IndicatorValue, ...]:
        """The town (the sum) then schools 10, 11 and 12."""
        town = (sum(c[0] for c in counts), sum(c[1] for c in counts))
        scopes = ((MUN, 1), (SCHOOL, 10), (SCHOOL, 11), (SCHOOL, 12))
        return tuple(
            replace(value("burnout_high_risk", period, scope, high, of), until=period.end)
            for scope, (high, of) in zip(scopes, (town, *counts), strict=True)
        )

    month_report = protect(by_school(november, (28, 92), (5, 14), (24, 76)), CATALOGUE)
    assert not any(s.hidden for s in month_report)
    earlier = [Earlier.of(s) for s in month_report]
    cells = [c for w in weeks for c in by_school(w, (6, 20), (1, 3), (6, 19))]
    shown = {
        (s.period, s.scope_id): s.hidden is None
        for s in protect(tuple(cells), CATALOGUE, earlier=earlier)
    }
    assert not any(shown[(w, 11)] or shown[(w, 12)] for w in weeks)
    assert not all(shown[(w, 1)] and shown[(w, 10)] for w in weeks)
