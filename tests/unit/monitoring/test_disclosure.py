"""Disclosure control: primary and class suppression, and differencing attacks that fail."""

from collections.abc import Sequence
from dataclasses import replace
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.monitoring.catalogue import load_catalogue
from core.monitoring.disclosure import ShownValue, protect
from core.monitoring.periods import Period, week
from core.monitoring.rules import Reason, Thresholds
from core.monitoring.values import CellKey, IndicatorValue
from core.monitoring.versions import Earlier
from tests.unit.monitoring.attack import (
    MUN,
    SCHOOL,
    SUBJECT,
    W1,
    W2,
    WEEKS,
    YEAR,
    Person,
    alternative,
    determined,
    known_relations,
    possible_numerators,
    table,
    value,
)

CATALOGUE = load_catalogue()


def shown_by_cell(shown: Sequence[ShownValue]) -> dict[CellKey, ShownValue]:
    return {s.cell: s for s in shown}


def crowd(count: int, school: int, subject: int, flagged: int, week: int = 1) -> list[Person]:
    return [Person(week, school, subject, i < flagged) for i in range(count)]


def assert_safe(
    shown: Sequence[ShownValue], people: Sequence[Person], weeks: Sequence[Period] = (W1, W2)
) -> None:
    """No relation has a lone hidden cell; neither numerators nor denominators can be solved;
    every hidden numerator has another value consistent with everything published."""
    by_cell = shown_by_cell(shown)
    for parent, children in known_relations(list(by_cell)):
        lone = [c for c in (parent, *children) if by_cell[c].hidden]
        assert len(lone) != 1, f"{lone[0]} is the total minus the rest"
    assert determined(shown, "numerator") == {}
    assert determined(shown, "denominator") == {}
    hidden = {s.cell for s in shown if s.hidden}
    for cell in hidden:
        other = alternative(shown, people, cell, weeks)
        assert other is not None, cell
        again = table(cell.indicator, other, weeks)
        assert visible(again, hidden) == visible(shown, hidden)
        assert (
            next(v for v in again if v.cell == cell).numerator
            != next(v for v in table(cell.indicator, people, weeks) if v.cell == cell).numerator
        )


def visible(
    values: Sequence[ShownValue] | Sequence[IndicatorValue], hidden: set[CellKey]
) -> dict[CellKey, tuple[int | None, int | None, int | None]]:
    return {v.cell: (v.numerator, v.denominator, v.n) for v in values if v.cell not in hidden}


def test_primary_suppression_uses_k_by_sensitivity() -> None:
    values = (
        value("satisfaction", W2, (MUN, 1), 3, 4),  # n 4 < 5
        value("satisfaction", W2, (MUN, 2), 0, 0),  # nobody: nothing to hide
        value("burnout_high_risk", W2, (MUN, 1), 4, 9),  # n 9 < 10
        value("burnout_high_risk", W2, (MUN, 2), 4, 10),
    )
    shown = protect(values, CATALOGUE)
    assert [s.hidden for s in shown] == [Reason.SMALL, None, Reason.SMALL, None]
    assert shown[0].numerator is None and shown[0].denominator is None and shown[0].n is None
    assert shown[0].value is None
    assert shown[1].value is None and shown[1].n == 0
    bigger = protect(values, CATALOGUE, Thresholds(k=3, k_sensitive=12))
    assert [s.hidden for s in bigger] == [None, None, Reason.SMALL, Reason.SMALL]


@pytest.mark.parametrize(
    ("high", "of", "hidden"),
    [(0, 12, True), (1, 12, True), (2, 12, True), (3, 12, False), (9, 12, False),
     (10, 12, True), (12, 12, True)],
)  # fmt: skip
def test_class_disclosure_hides_shares_with_few_on_either_side(
    high: int, of: int, hidden: bool
) -> None:
    (shown,) = protect((value("burnout_high_risk", W2, (MUN, 1), high, of),), CATALOGUE)
    assert (shown.hidden is Reason.CLASS) == hidden
    (plain,) = protect((value("satisfaction", W2, (MUN, 1), high, of),), CATALOGUE)
    assert plain.hidden is None  # the class rule is for burnout and deficits only


def test_total_minus_the_visible_schools_does_not_give_a_hidden_school() -> None:
    people = crowd(4, 10, 1, 2) + crowd(15, 11, 1, 7) + crowd(20, 12, 2, 9)
    truth = table("satisfaction", people)
    shown = protect(truth, CATALOGUE)
    by_cell = shown_by_cell(shown)
    small = CellKey("satisfaction", None, W2, SCHOOL, 10)
    assert by_cell[small].hidden is Reason.SMALL
    assert by_cell[CellKey("satisfaction", None, W2, SCHOOL, 11)].hidden is Reason.COMPLEMENTARY
    assert by_cell[CellKey("satisfaction", None, W2, MUN, 1)].hidden is None
    # the attack: total minus the visible school is the sum of two hidden schools, not one
    total = by_cell[CellKey("satisfaction", None, W2, MUN, 1)]
    visible = by_cell[CellKey("satisfaction", None, W2, SCHOOL, 12)]
    assert total.numerator is not None and visible.numerator is not None
    assert total.numerator - visible.numerator == 2 + 7
    assert_safe(shown, people)


def test_a_hidden_week_cannot_be_recovered_from_the_school_year() -> None:
    people = crowd(3, 10, 1, 1, week=0) + crowd(40, 10, 1, 30, week=1)
    truth = table("satisfaction", people)
    by_cell = shown_by_cell(protect(truth, CATALOGUE))
    assert by_cell[CellKey("satisfaction", None, W1, MUN, 1)].hidden is Reason.SMALL
    year = by_cell[CellKey("satisfaction", None, YEAR, MUN, 1)]
    second = by_cell[CellKey("satisfaction", None, W2, MUN, 1)]
    assert (year.hidden is not None) or (second.hidden is not None)
    assert_safe(list(by_cell.values()), people)


def test_subjects_cannot_rebuild_a_total_hidden_to_protect_a_week() -> None:
    # W1: 3 answers (hidden); W2: schools 10 and 11, subjects 1 and 2, all large. Protecting
    # W1 hides the W2 total; the W2 subjects must then not add up to it.
    people = (
        crowd(3, 10, 1, 2, week=0)
        + crowd(12, 10, 1, 6)
        + crowd(8, 10, 2, 5)
        + crowd(10, 11, 1, 4)
        + crowd(9, 11, 2, 3)
    )
    truth = table("satisfaction", people)
    shown = protect(truth, CATALOGUE)
    by_cell = shown_by_cell(shown)
    assert by_cell[CellKey("satisfaction", None, W2, MUN, 1)].hidden is not None
    w2_subjects = [c for c in by_cell if c.period == W2 and c.scope_type is SUBJECT]
    assert sum(by_cell[c].hidden is not None for c in w2_subjects) >= 1
    assert_safe(shown, people)


def test_hidden_schools_together_are_not_left_at_zero_high_risk() -> None:
    # 8 answers at school 10 and 22 at school 12 have nobody at high risk: hidden (n < k and
    # class); alone together they would say "0 of 30", so a third school joins them
    people = crowd(8, 10, 1, 0) + crowd(30, 11, 1, 5) + crowd(22, 12, 1, 0)
    truth = tuple(v for v in table("burnout_high_risk", people) if v.period == W2)
    shown = protect(truth, CATALOGUE)
    by_cell = shown_by_cell(shown)
    hidden = [c for c in by_cell if c.scope_type is SCHOOL and by_cell[c].hidden]
    assert sum(next(v.numerator for v in truth if v.cell == c) for c in hidden) >= 3
    assert alternative(shown, people, CellKey("burnout_high_risk", None, W2, SCHOOL, 10))


def test_stock_values_up_to_the_same_day_are_hidden_together() -> None:
    # the school year and the running week of a stock indicator count the same people
    year = value("community_share", YEAR, (SCHOOL, 10), 3, 30)
    week = value("community_share", W2, (SCHOOL, 10), 3, 30)
    small = value("community_share", W2, (SCHOOL, 11), 1, 4)
    total = value("community_share", W2, (MUN, 1), 4, 34)
    shown = shown_by_cell(protect((year, week, small, total), CATALOGUE))
    assert shown[week.cell].hidden is Reason.COMPLEMENTARY
    assert shown[year.cell].hidden is Reason.COMPLEMENTARY


def test_bounds_do_not_pin_a_hidden_share_at_100_percent() -> None:
    # Found by the property test before the interval audit. Schools 10 and 11, both weeks
    # hidden (n < 10); shown: the weekly totals 8 and 3 at high risk, the school years 8 (of
    # 11) and 3 (of 11). With group sizes known: a + b = 8, c + d = 3, a + c = 8, b + d = 3,
    # a <= 5 (school 10 had 5 answers in the first week), so c = 8 - a >= 3 and d = 3 - c
    # forces c = 3, a = 5: all five at high risk, though every relation had two hidden cells.
    groups = {
        (0, 11, 1, False): 4, (0, 10, 2, True): 3, (0, 11, 2, True): 3, (1, 10, 1, True): 3,
        (1, 11, 1, False): 3, (0, 10, 1, True): 2, (1, 10, 1, False): 2, (1, 10, 2, False): 1,
        (1, 11, 2, False): 1,
    }  # fmt: skip
    people = [Person(*key) for key, count in groups.items() for _ in range(count)]
    truth = table("burnout_high_risk", people)
    shown = protect(truth, CATALOGUE)
    first = CellKey("burnout_high_risk", None, W1, SCHOOL, 10)
    assert next(v for v in truth if v.cell == first).numerator == 5  # 5 of 5
    possible = possible_numerators(shown, truth)
    assert possible is not None and len(possible[first]) >= 2
    assert all(len(values) >= 2 for values in possible.values())


def test_a_cell_between_two_protected_blocks_is_not_left_determined() -> None:
    # Schools A-D over four weeks; 3 answers (hidden, n < 5) in A and B in the first two
    # weeks, in C and D in the last two, and in B in the third week; 20 elsewhere. Every week
    # and every school then has at least two hidden cells, yet B's third week is the school
    # year of B minus its shown weeks minus the A-B block, which the first two weekly totals
    # give: only the rank test over all relations together finds it.
    small = {(10, 0), (10, 1), (11, 0), (11, 1), (12, 2), (12, 3), (13, 2), (13, 3), (11, 2)}
    people = [
        person
        for school in (10, 11, 12, 13)
        for index in range(4)
        for person in crowd(3 if (school, index) in small else 20, school, 1, 1, week=index)
    ]
    truth = table("satisfaction", people, WEEKS)
    shown = protect(truth, CATALOGUE)
    bridge = CellKey("satisfaction", None, WEEKS[2], SCHOOL, 11)
    assert shown_by_cell(shown)[bridge].hidden is Reason.SMALL
    assert sum(s.hidden is Reason.COMPLEMENTARY for s in shown) >= 1
    assert_safe(shown, people, WEEKS)


people_lists = st.lists(
    st.builds(
        Person,
        week=st.integers(0, 1),
        school=st.integers(10, 13),
        subject=st.integers(1, 3),
        flag=st.booleans(),
    ),
    min_size=1,
    max_size=80,
)


@settings(max_examples=100, deadline=None)
@given(people=people_lists, indicator=st.sampled_from(["satisfaction", "burnout_high_risk"]))
def test_no_published_table_lets_a_hidden_cell_be_solved(
    people: list[Person], indicator: str
) -> None:
    truth = table(indicator, people)
    shown = protect(truth, CATALOGUE)
    by_cell = shown_by_cell(shown)
    for parent, children in known_relations(list(by_cell)):
        assert sum(by_cell[c].hidden is not None for c in (parent, *children)) != 1
    assert determined(shown, "numerator") == {}
    assert determined(shown, "denominator") == {}
    for parent, children in known_relations(list(by_cell)):
        hidden = [c for c in children if by_cell[c].hidden]
        if hidden and not by_cell[parent].hidden:  # the difference reveals them as one group
            group = [v for v in truth if v.cell in hidden]
            numerator, n = sum(v.numerator for v in group), sum(v.n for v in group)
            assert n >= (10 if indicator == "burnout_high_risk" else 5)
            if indicator == "burnout_high_risk":
                assert min(numerator, n - numerator) >= 3
    possible = possible_numerators(shown, truth, limit=1000)
    if indicator == "burnout_high_risk" and possible is not None:
        assert all(len(values) >= 2 for values in possible.values()), possible


def test_a_week_hidden_now_cannot_be_recovered_from_last_weeks_publication() -> None:
    w45, w46, w47 = (week(date(2026, 11, 2)), week(date(2026, 11, 9)), week(date(2026, 11, 16)))
    monday, next_monday = date(2026, 11, 16), date(2026, 11, 23)

    def cell(period: Period, num: int, den: int, until: date) -> IndicatorValue:
        return replace(value("satisfaction", period, (MUN, 1), num, den), until=until)

    first = (
        cell(w45, 20, 30, w45.end),
        cell(w46, 30, 40, w46.end),
        cell(YEAR, 50, 70, monday),  # the school year so far: weeks 45 and 46
    )
    published = protect(first, CATALOGUE)
    assert not any(s.hidden for s in published)
    second = (*first[:2], cell(w47, 2, 3, w47.end), cell(YEAR, 52, 73, next_monday))
    # alone, the second publication shows the year and hides week 47 with week 45 ...
    careless = shown_by_cell(protect(second, CATALOGUE))
    year_then, year_now = published[2].numerator, careless[second[3].cell].numerator
    assert year_now is not None and year_then is not None
    assert year_now - year_then == 2  # ... and last week's year gives week 47 away
    # told what was published before, it hides the year instead of a week already public
    earlier = [Earlier.of(s) for s in published]
    careful = shown_by_cell(protect(second, CATALOGUE, earlier=earlier))
    assert careful[second[2].cell].hidden is Reason.SMALL
    assert careful[second[3].cell].hidden is Reason.COMPLEMENTARY
    assert careful[first[0].cell].hidden is None and careful[first[1].cell].hidden is None


def test_a_cell_hidden_before_stays_hidden() -> None:
    w46, w47 = week(date(2026, 11, 9)), week(date(2026, 11, 16))
    values = (
        value("satisfaction", w46, (SCHOOL, 10), 9, 12),
        value("satisfaction", w46, (SCHOOL, 11), 20, 30),
        value("satisfaction", w47, (SCHOOL, 10), 8, 10),
    )
    earlier = [Earlier(values[0].cell, values[0].until, hidden=True)]
    shown = protect(values, CATALOGUE, earlier=earlier)
    assert [s.hidden for s in shown] == [Reason.COMPLEMENTARY, None, None]
    later = replace(values[0], until=date(2026, 11, 30))  # counted further: another cell
    assert protect((later,), CATALOGUE, earlier=earlier)[0].hidden is None
