"""One scope's periods counted up to several days: every span of days a reader can take from
them (a school year on two days minus a month, weeks against a month) is a group that could
be shown, or today's cells that give it are not all shown."""

from dataclasses import replace
from datetime import date

from core.monitoring.catalogue import load_catalogue
from core.monitoring.disclosure import ShownValue, protect
from core.monitoring.periods import Period, month, week
from core.monitoring.values import IndicatorValue
from core.monitoring.versions import Earlier
from tests.unit.monitoring.attack import SCHOOL, YEAR, value

CATALOGUE = load_catalogue()
DAY1, DAY2 = date(2026, 11, 16), date(2026, 11, 23)  # Mondays: counted up to the Sunday before
NOVEMBER = month(date(2026, 11, 1))


def cell(period: Period, high: int, of: int, until: date) -> IndicatorValue:
    """Burnout at school 10: `high` of `of` respondents at high risk, counted up to `until`."""
    return replace(value("burnout_high_risk", period, (SCHOOL, 10), high, of), until=until)


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


def test_answers_taken_again_make_no_span_of_their_own() -> None:
    """Five teachers answered in September and again in November: the year counts their last
    answers (40 people), the months count both (20 + 25). The year minus the two months is
    no group of people (minus five), so nothing is hidden for it."""
    september = month(date(2026, 9, 1))
    shown = publish(
        (cell(YEAR, 12, 40, DAY1), cell(september, 6, 20, DAY1), cell(NOVEMBER, 8, 25, DAY1)),
    )[0]
    assert all(s.hidden is None for s in shown.values())
