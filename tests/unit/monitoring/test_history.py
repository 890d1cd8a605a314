"""A breakdown by school published on two days: every set of schools whose sum a reader can
take on both days (a shown school, the hidden ones as the municipality minus the rest, the
people in no school) changes in between by a group that could be shown, or is not shown."""

from dataclasses import replace
from datetime import date

from core.monitoring.catalogue import ScopeType, load_catalogue
from core.monitoring.disclosure import ShownValue, protect
from core.monitoring.periods import week
from core.monitoring.values import IndicatorValue
from core.monitoring.versions import Earlier
from tests.unit.monitoring.attack import MUN, SCHOOL, YEAR, value

CATALOGUE = load_catalogue()
DAY1, DAY2 = date(2026, 11, 18), date(2026, 11, 25)


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
