"""One scope's periods counted up to several days: every span of days a reader can take from
them (a school year on two days minus a month, weeks against a month) is a group that could
be shown, or today's cells that give it are not all shown."""

from dataclasses import replace
from datetime import date, timedelta

import pytest

from core.monitoring import timeline
from core.monitoring.catalogue import load_catalogue
from core.monitoring.disclosure import ShownValue, protect
from core.monitoring.periods import Period, month, week
from core.monitoring.values import IndicatorValue
from core.monitoring.versions import Earlier
from tests.unit.monitoring.attack import MUN, SCHOOL, YEAR, value

CATALOGUE = load_catalogue()
DAY1, DAY2 = date(2026, 11, 16), date(2026, 11, 23)  # Mondays: counted up to the Sunday before
NOVEMBER = month(date(2026, 11, 1))


def cell(period: Period, high: int, of: int, until: date) -> IndicatorValue:
    """Burnout at school 10: `high` of `of` respondents at high risk, counted up to `until`."""
    counted = min(period.end, until)
    return replace(value("burnout_high_risk", period, (SCHOOL, 10), high, of), until=counted)


def publish(*days: tuple[IndicatorValue, ...]) -> list[dict[Period, ShownValue]]:
    """Each day's cells protected knowing every earlier day's publication."""
    earlier: list[Earlier] = []
    shown = []
    for values in days:
        published = protect(values, CATALOGUE, earlier=earlier)
        earlier += [Earlier.of(s) for s in published]
        shown.append({s.period: s for s in published})
    return shown


def test_a_year_on_two_days_minus_its_month_does_not_give_the_month_hidden_before() -> None:
    """On the first day one report shows the school year, 12 of 40, and another hides
    November (6 people); on the second the year is 16 of 52 and November 6 of 18. The year
    then minus the year now plus November now is November then: 2 of 6 at high risk."""
    year, november, two = publish(
        (cell(YEAR, 12, 40, DAY1),),
        (cell(NOVEMBER, 2, 6, DAY1),),
        (cell(YEAR, 16, 52, DAY2), cell(NOVEMBER, 6, 18, DAY2)),
    )
    assert november[NOVEMBER].hidden and year[YEAR].hidden is None
    assert two[YEAR].hidden or two[NOVEMBER].hidden


def test_the_same_year_and_month_shown_when_no_span_is_small() -> None:
    """November had 12 respondents by the first day: every span a reader can take passes."""
    one, two = publish(
        (cell(YEAR, 12, 40, DAY1), cell(NOVEMBER, 4, 12, DAY1)),
        (cell(YEAR, 16, 52, DAY2), cell(NOVEMBER, 8, 24, DAY2)),
    )
    assert all(s.hidden is None for day in (one, two) for s in day.values())


def test_a_month_against_weeks_of_other_reports_does_not_give_its_first_days() -> None:
    """One report shows November's second whole week (16 people), counted to the first day;
    November then had 20, so another report showing it would give 1 to 8 November: 4 people,
    1 at high risk. On the second day the month and the week after it would give them too:
    32 minus 12 minus 16."""
    second, third = week(date(2026, 11, 9)), week(date(2026, 11, 16))
    shown_week, same_day, two = publish(
        (cell(second, 5, 16, DAY1),),
        (cell(NOVEMBER, 6, 20, DAY1),),
        (cell(NOVEMBER, 10, 32, DAY2), cell(third, 4, 12, DAY2)),
    )
    assert shown_week[second].hidden is None
    assert same_day[NOVEMBER].hidden
    assert two[NOVEMBER].hidden or two[third].hidden


def test_a_span_given_by_earlier_publications_alone_hides_nothing_today() -> None:
    """A small span the first days gave (hidden under older rules) cannot be taken back:
    publishing the same cells again hides none of them."""
    earlier = [
        Earlier.of(protect((c,), CATALOGUE)[0])
        for c in (cell(YEAR, 12, 40, DAY1), cell(YEAR, 13, 43, DAY2))
    ]  # two versions 3 people apart, each published alone
    today = (cell(YEAR, 13, 43, DAY2), cell(NOVEMBER, 5, 15, DAY2))
    shown = {s.period: s for s in protect(today, CATALOGUE, earlier=earlier)}
    assert shown[YEAR].hidden is None and shown[NOVEMBER].hidden is None


def test_answers_taken_again_are_a_group_of_their_own() -> None:
    """Five teachers answered in September and again in November: the year counts their
    last answers (40 people, 12 at high risk), the months both (6 of 20 and 8 of 25).
    September and November minus the year are those five, and 2 of them were at high risk
    in September: too few to be shown, so the three are not all shown."""
    september = month(date(2026, 9, 1))
    shown = publish(
        (cell(YEAR, 12, 40, DAY1), cell(september, 6, 20, DAY1), cell(NOVEMBER, 8, 25, DAY1)),
    )[0]
    assert any(s.hidden for s in shown.values())


def test_the_same_answers_on_two_paths_hide_nothing() -> None:
    """No one answered twice: September and November add up to the year, whichever cells a
    reader adds, and every span is large enough."""
    september = month(date(2026, 9, 1))
    shown = publish(
        (cell(YEAR, 14, 45, DAY1), cell(september, 6, 20, DAY1), cell(NOVEMBER, 8, 25, DAY1)),
    )[0]
    assert not any(s.hidden for s in shown.values())


def test_months_that_add_up_to_more_than_the_year_tell_of_those_who_answered_again() -> None:
    """September, October and November each shown (20, 12 and 13 people, every span large
    enough); the year counts 40, as five answered in September and again in November. The
    months minus the year are those five: 2 of them at high risk in September."""
    september, october = month(date(2026, 9, 1)), month(date(2026, 10, 1))
    shown = publish(
        (
            cell(YEAR, 13, 40, DAY1),
            cell(september, 6, 20, DAY1),
            cell(october, 4, 12, DAY1),
            cell(NOVEMBER, 5, 13, DAY1),
        ),
    )[0]
    assert any(s.hidden for s in shown.values())


def test_a_teacher_answering_again_between_two_days_is_not_singled_out() -> None:
    """The year and November on two Mondays: 12 of 40 and 4 of 12, then 16 of 51 and 9 of
    24. Eleven answered in between, 5 at high risk; and a teacher who had answered in
    October at high risk answered again, at low risk. November's change minus the year's
    is that teacher: 1 of 1 at high risk in October."""
    one, two = publish(
        (cell(YEAR, 12, 40, DAY1), cell(NOVEMBER, 4, 12, DAY1)),
        (cell(YEAR, 16, 51, DAY2), cell(NOVEMBER, 9, 24, DAY2)),
    )
    assert all(s.hidden is None for s in one.values())
    assert any(s.hidden for s in two.values())


def test_the_cell_hidden_for_a_span_is_one_that_gives_it() -> None:
    """The town's year was reported on 2 and 16 November (100, then 123 respondents); the
    week of 2 November held 3. Today's report shows the year and its last 8 weeks: the year
    of the 16th minus the year of the 2nd minus the week of the 9th would give those 3.
    Hiding that week takes the span away; hiding the year or other weeks would not."""
    wednesday = date(2026, 11, 25)

    def town(period: Period, high: int, of: int, until: date) -> IndicatorValue:
        counted = replace(value("burnout_high_risk", period, (MUN, 1), high, of), until=until)
        return replace(counted, until=min(period.end, until))

    earlier = [
        Earlier.of(protect((town(YEAR, high, of, day),), CATALOGUE)[0])
        for high, of, day in ((30, 100, date(2026, 11, 2)), (37, 123, date(2026, 11, 16)))
    ]
    weeks = {5: (4, 12), 12: (4, 12), 19: (3, 10), 26: (4, 11)}  # October's Mondays
    weeks |= {33: (1, 3), 40: (6, 20), 47: (5, 15), 54: (3, 10)}  # November's, as days
    cells = [
        town(week(date(2026, 10, 1) + timedelta(days=d - 1)), *c, wednesday)
        for d, c in weeks.items()
    ]
    cells.append(town(YEAR, 45, 148, wednesday))
    shown = {s.period: s for s in protect(tuple(cells), CATALOGUE, earlier=earlier)}
    ninth = week(date(2026, 11, 9))
    assert shown[ninth].hidden
    assert shown[YEAR].hidden is None
    # besides: the 2nd's week and, for it, one complement in the weeks' sum (the smallest)
    assert sum(s.hidden is None for s in shown.values()) == 6


def test_a_share_of_registered_teachers_is_no_sum_of_days() -> None:
    """Young teachers who came to events, of the young ones registered at the period's end
    (a state): September 0 of 14, October's first days 1 of 15, the year 1 of 15. The year
    minus September is not 1 of 1: October shows those days as 1 of 15."""
    monday = date(2026, 10, 5)

    def young(period: Period, came: int, registered: int) -> IndicatorValue:
        counted = value("young_in_events", period, (SCHOOL, 20), came, registered)
        return replace(counted, until=min(period.end, monday), denominator_source="registered")

    september, october = month(date(2026, 9, 1)), month(monday)
    cells = (young(september, 0, 14), young(october, 1, 15), young(YEAR, 1, 15))
    assert not any(s.hidden for s in protect(cells, CATALOGUE))


def test_a_month_and_its_whole_weeks_in_two_reports_do_not_give_its_edges() -> None:
    """One report shows November complete (21 of 61), another its four whole weeks (5 of 15
    each): the month minus the weeks is Sunday the 1st and Monday the 30th, one answer, at
    high risk. The days are two pieces apart, neither given alone."""
    weeks = [week(date(2026, 11, day)) for day in (2, 9, 16, 23)]
    end = NOVEMBER.end
    for first, second in (
        ((cell(NOVEMBER, 21, 61, end),), tuple(cell(w, 5, 15, end) for w in weeks)),
        (tuple(cell(w, 5, 15, end) for w in weeks), (cell(NOVEMBER, 21, 61, end),)),
    ):
        one, two = publish(first, second)
        assert not any(s.hidden for s in one.values())
        assert any(s.hidden for s in two.values())


def test_a_year_minus_four_reports_of_this_week_is_a_group() -> None:
    """Each Wednesday of October a report of the week so far (Monday to Wednesday, 4 of 12
    at high risk each); then the year up to Thursday the 29th, 18 of 50. The year minus the
    four weeks is the 2 answers outside them, both at high risk: a cycle through five sets
    of days, each report its own."""
    mondays = [date(2026, 10, 5) + timedelta(days=7 * i) for i in range(4)]
    reports = [(cell(week(m), 4, 12, m + timedelta(days=3)),) for m in mondays]
    *weeks, year = publish(*reports, (cell(YEAR, 18, 50, date(2026, 10, 30)),))
    assert all(s.hidden is None for day in weeks for s in day.values())
    assert year[YEAR].hidden


def test_routes_opened_up_to_the_day_counted_do_not_add_up_by_days() -> None:
    """Routes from the diagnostics count routes opened up to the day counted to: September
    complete has 5 of 20, the year 10 of 32 although October adds 3 of 12, as two of
    September's teachers opened theirs in October. No one is singled out by that."""
    september, october = month(date(2026, 9, 1)), month(date(2026, 10, 1))
    monday = date(2026, 11, 2)

    def routes(period: Period, opened: int, of: int) -> IndicatorValue:
        counted = value("route_share", period, (SCHOOL, 10), opened, of)
        return replace(counted, until=min(period.end, monday))

    cells = (routes(YEAR, 10, 32), routes(september, 5, 20), routes(october, 3, 12))
    assert not any(s.hidden for s in protect(cells, CATALOGUE))


def test_too_tangled_a_search_hides_rather_than_shows(monkeypatch: pytest.MonkeyPatch) -> None:
    """When the cycles are too many to look at, one of today's cells is hidden instead."""
    monkeypatch.setattr(timeline, "STEPS", 1)
    mondays = [date(2026, 10, 5) + timedelta(days=7 * i) for i in range(2)]
    reports = [(cell(week(m), 4, 12, m + timedelta(days=3)),) for m in mondays]
    *_, year = publish(*reports, (cell(YEAR, 40, 100, date(2026, 10, 30)),))
    assert year[YEAR].hidden
