"""A cell counted up to another day than when it was shown: the change in between is a group
of its own, and the protection treats it as one (the differencing attack across cut-offs)."""

from dataclasses import replace
from datetime import date, timedelta

from core.monitoring.catalogue import ScopeType, load_catalogue
from core.monitoring.disclosure import ShownValue, protect
from core.monitoring.periods import Period, month, week
from core.monitoring.rules import Reason
from core.monitoring.values import CellKey, IndicatorValue
from core.monitoring.versions import Earlier
from tests.unit.monitoring.attack import MUN, SCHOOL, YEAR, value

CATALOGUE = load_catalogue()
TUESDAY = date(2026, 11, 18)
WEDNESDAY = TUESDAY + timedelta(days=1)


def burnout(scope: tuple[ScopeType, int], high: int, of: int, until: date) -> IndicatorValue:
    return replace(value("burnout_high_risk", YEAR, scope, high, of), until=until)


def by_scope(shown: tuple[ShownValue, ...]) -> dict[tuple[ScopeType, int], ShownValue]:
    return {(s.scope_type, s.scope_id): s for s in shown}


def test_one_more_answer_since_a_shown_report_is_not_shown() -> None:
    """The reviewer's attack: the school year by school on Tuesday, 4 of 12 at high risk, and
    on Wednesday 5 of 13 would say the one teacher who answered in between is at high risk."""
    tuesday = protect((burnout((SCHOOL, 10), 4, 12, TUESDAY),), CATALOGUE)
    assert tuesday[0].hidden is None and tuesday[0].numerator == 4
    earlier = [Earlier.of(s) for s in tuesday]
    wednesday = (burnout((SCHOOL, 10), 5, 13, WEDNESDAY),)
    assert protect(wednesday, CATALOGUE)[0].hidden is None  # alone, nothing looks wrong
    (shown,) = protect(wednesday, CATALOGUE, earlier=earlier)
    assert shown.hidden is Reason.COMPLEMENTARY and shown.numerator is None
    # once the answers since Tuesday are a group that could be shown, so is the year
    later = (burnout((SCHOOL, 10), 9, 25, WEDNESDAY + timedelta(days=7)),)
    (again,) = protect(later, CATALOGUE, earlier=earlier)  # 5 of 13 since: k = 10, 5 and 8
    assert again.hidden is None and again.numerator == 9


def wednesday_after_tuesday(tuesday: tuple[int, int], wednesday: tuple[int, int]) -> ShownValue:
    """School 10's school year (high risk, of) shown on Tuesday, then counted to Wednesday."""
    (first,) = protect((burnout((SCHOOL, 10), *tuesday, TUESDAY),), CATALOGUE)
    later = (burnout((SCHOOL, 10), *wednesday, WEDNESDAY),)
    (shown,) = protect(later, CATALOGUE, earlier=[Earlier.of(first)])
    return shown


def test_a_change_with_fewer_than_three_on_one_side_is_not_shown() -> None:
    # 12 answers since: enough people, but all 12 at low risk (0 of 12 tells each one's)
    assert wednesday_after_tuesday((4, 12), (4, 24)).hidden is Reason.COMPLEMENTARY


def test_a_version_hidden_then_tells_nothing_to_compare_with() -> None:
    (first,) = protect((burnout((SCHOOL, 10), 4, 9, TUESDAY),), CATALOGUE)
    assert first.hidden is Reason.SMALL
    (shown,) = protect(
        (burnout((SCHOOL, 10), 5, 12, WEDNESDAY),), CATALOGUE, earlier=[Earlier.of(first)]
    )
    assert shown.hidden is None  # 4 of 9 was never seen: the three since are not singled out


def test_schools_hidden_together_do_not_give_away_their_change() -> None:
    """School 10 gains one answer and is hidden; its complement must not be a school that did
    not change, or the town minus the rest on both days would give that one answer."""
    tuesday = (
        burnout((MUN, 1), 24, 70, TUESDAY),
        burnout((SCHOOL, 10), 4, 12, TUESDAY),
        burnout((SCHOOL, 11), 5, 13, TUESDAY),  # the smallest: the first complement tried
        burnout((SCHOOL, 12), 15, 45, TUESDAY),
    )
    shown = protect(tuesday, CATALOGUE)
    assert not any(s.hidden for s in shown)
    wednesday = (
        burnout((MUN, 1), 32, 95, WEDNESDAY),
        burnout((SCHOOL, 10), 5, 13, WEDNESDAY),  # one more, at high risk
        burnout((SCHOOL, 11), 5, 13, WEDNESDAY),  # unchanged
        burnout((SCHOOL, 12), 22, 69, WEDNESDAY),  # 24 more, 7 at high risk
    )
    now = by_scope(protect(wednesday, CATALOGUE, earlier=[Earlier.of(s) for s in shown]))
    assert now[(SCHOOL, 10)].hidden is Reason.COMPLEMENTARY
    assert now[(MUN, 1)].hidden is None  # 25 more, 8 at high risk: a group that may be shown
    hidden = [v for v in wednesday if now[(v.scope_type, v.scope_id)].hidden]
    before = {(v.scope_type, v.scope_id): v for v in tuesday}
    changed = [v.n - before[(v.scope_type, v.scope_id)].n for v in hidden]
    high = [v.numerator - before[(v.scope_type, v.scope_id)].numerator for v in hidden]
    # what the town minus the shown schools reveals on each day, taken between the days
    assert sum(changed) >= 10 and min(sum(high), sum(changed) - sum(high)) >= 3
    assert now[(SCHOOL, 11)].hidden is None


def test_earlier_keeps_what_a_shown_cell_showed_and_nothing_of_a_hidden_one() -> None:
    shown, hidden = protect(
        (burnout((SCHOOL, 10), 4, 12, TUESDAY), burnout((SCHOOL, 11), 1, 3, TUESDAY)),
        CATALOGUE,
    )
    kept = Earlier.of(shown).counts
    assert kept is not None and (kept.numerator, kept.denominator, kept.n) == (4, 12, 12)
    assert Earlier.of(hidden).counts is None
    assert Earlier.of(hidden).cell == CellKey("burnout_high_risk", None, YEAR, SCHOOL, 11)


def burnout_in(period: Period, high: int, of: int, until: date) -> IndicatorValue:
    return replace(value("burnout_high_risk", period, (MUN, 1), high, of), until=until)


def test_a_month_completed_after_its_last_sunday_does_not_give_the_days_in_between() -> None:
    """The weekly summaries: November up to its last Sunday in one, then complete as the
    month before, with the week across the month end and December so far in the next."""
    last_week, next_week = week(date(2026, 11, 29)), week(date(2026, 11, 30))
    november, december = month(date(2026, 11, 1)), month(date(2026, 12, 1))
    first = protect(
        (
            burnout_in(last_week, 6, 20, last_week.end),
            burnout_in(november, 18, 60, next_week.start),
        ),
        CATALOGUE,
    )
    assert not any(s.hidden for s in first)
    # Monday 30 November: one answer, at low risk; 1-6 December: 24 answers, 8 at high risk
    second = (
        burnout_in(next_week, 8, 25, next_week.end),
        burnout_in(december, 8, 24, next_week.end),
        burnout_in(november, 18, 61, november.end),
    )
    shown = {
        s.period: s for s in protect(second, CATALOGUE, earlier=[Earlier.of(s) for s in first])
    }
    assert shown[november].hidden is not None  # complete minus up to Sunday: one answer
    # and the week across the month end minus December so far is that same answer
    assert shown[next_week].hidden is not None or shown[december].hidden is not None


def test_a_month_minus_its_weeks_does_not_give_the_days_at_its_edges() -> None:
    """November minus its four whole weeks is Sunday 1 and Monday 30: here one answer."""
    weeks = [week(date(2026, 11, day)) for day in (2, 9, 16, 23)]
    november = month(date(2026, 11, 1))
    values = (
        *(burnout_in(w, 5, 15, w.end) for w in weeks),
        burnout_in(november, 21, 61, november.end),
    )
    shown = protect(values, CATALOGUE)
    assert any(s.hidden for s in shown)
    alone = protect(values[:4], CATALOGUE)  # the weeks alone: nothing to hide
    assert not any(s.hidden for s in alone)


def test_a_subjects_month_minus_its_week_is_a_group_too() -> None:
    """December so far (1-13) and its first whole week (7-13) for one subject: the six days
    before the week hold one answer, at high risk."""
    w50, december = week(date(2026, 12, 7)), month(date(2026, 12, 1))
    values = tuple(
        replace(value("burnout_high_risk", p, (ScopeType.SUBJECT, 7), high, of), until=w50.end)
        for p, high, of in ((w50, 10, 29), (december, 11, 30))
    )
    assert any(s.hidden for s in protect(values, CATALOGUE))


def test_a_negative_nps_remainder_is_a_group_too() -> None:
    """NPS counts promoters minus detractors: the town minus its schools, -1 of 1, would say
    the one teacher in no school is a detractor."""
    values = (
        value("nps", YEAR, (MUN, 1), 3, 21),
        value("nps", YEAR, (SCHOOL, 10), 2, 10),
        value("nps", YEAR, (SCHOOL, 11), 2, 10),
    )
    assert any(s.hidden for s in protect(values, CATALOGUE))


def test_a_share_that_moved_while_its_group_did_not_is_a_change_of_someone() -> None:
    """4 of 12, then 5 of 12: one teacher answered again, now at high risk."""
    assert wednesday_after_tuesday((4, 12), (5, 12)).hidden is Reason.COMPLEMENTARY


def test_a_small_schools_september_does_not_hide_the_whole_town() -> None:
    """12 October: a school with 4 answers in September. The relations year = its months,
    year = the week and October = the week, remainders taken as known, give September with
    every cell hidden: hiding more cannot protect it, so nothing else is hidden for it."""
    w41, september, october = (
        week(date(2026, 10, 11)),
        month(date(2026, 9, 1)),
        month(date(2026, 10, 1)),
    )
    until = w41.end  # Monday 12 October: counted up to the week's Sunday

    def cell(period: Period, scope: tuple[ScopeType, int], num: int, n: int) -> IndicatorValue:
        counted = until if period != september else october.start
        return replace(value("satisfaction", period, scope, num, n), until=counted)

    values = []
    for school, (sep, octo, wk) in {
        0: (4, 14, 8),
        1: (47, 30, 20),
        2: (44, 25, 16),
        3: (50, 28, 15),
    }.items():
        values += [
            cell(YEAR, (SCHOOL, school), sep // 3 + 1 + octo // 3, sep + octo),
            cell(september, (SCHOOL, school), sep // 3 + 1, sep),
            cell(october, (SCHOOL, school), octo // 3, octo),
            cell(w41, (SCHOOL, school), wk // 3, wk),
        ]
    for period in (YEAR, september, october, w41):
        parts = [v for v in values if v.period == period]
        values.append(
            cell(period, (MUN, 1), sum(v.numerator for v in parts), sum(v.n for v in parts))
        )
    shown = protect(tuple(values), CATALOGUE)
    assert not any(s.hidden for s in shown if s.scope_type is MUN)
    hidden_schools = {s.scope_id for s in shown if s.hidden}
    assert 0 in hidden_schools and len(hidden_schools) == 2  # the small one and one complement
