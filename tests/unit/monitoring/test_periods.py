"""Periods are local date ranges: labels, edges, and the same moment in different zones."""

from datetime import date
from zoneinfo import ZoneInfo

import pytest

from core.monitoring.catalogue import ScopeType, load_catalogue
from core.monitoring.compute import Request, compute, standard_periods
from core.monitoring.periods import (
    PeriodKind,
    last_weeks,
    local_day,
    month,
    parse_period,
    school_year,
    week,
)
from tests.unit.monitoring.build import (
    KOMSOMOLSK,
    MOSCOW,
    ORSK,
    facts,
    frame,
    person,
    response,
    utc,
)


def test_labels_and_edges() -> None:
    assert week(date(2026, 11, 22)).label == "2026-W47"  # a Sunday
    assert week(date(2026, 11, 23)).label == "2026-W48"
    assert week(date(2027, 1, 1)).label == "2026-W53"  # ISO year, not calendar year
    assert month(date(2026, 12, 31)) == month(date(2026, 12, 1))
    assert month(date(2026, 12, 31)).end == date(2027, 1, 1)
    assert school_year(date(2026, 8, 31)).label == "2025/26"
    assert school_year(date(2026, 9, 1)).label == "2026/27"
    assert school_year(date(2026, 9, 1)).end == date(2027, 9, 1)


@pytest.mark.parametrize("label", ["2026-W47", "2026-W01", "2026-11", "2026/27", "1999/00"])
def test_labels_parse_back(label: str) -> None:
    assert parse_period(label).label == label


@pytest.mark.parametrize("label", ["2026-W", "2026/28", "2026-1", "W47"])
def test_bad_labels_are_refused(label: str) -> None:
    with pytest.raises(ValueError, match="not a period label"):
        parse_period(label)


def test_previous_and_last_weeks() -> None:
    assert week(date(2026, 1, 1)).previous().label == "2025-W52"
    assert month(date(2026, 3, 5)).previous().label == "2026-02"
    assert school_year(date(2026, 11, 1)).previous().label == "2025/26"
    weeks = last_weeks(date(2026, 11, 18), 8)
    assert [w.label for w in weeks][-2:] == ["2026-W46", "2026-W47"]
    assert len(weeks) == 8 and weeks[0].label == "2026-W40"
    periods = standard_periods(date(2026, 11, 18))
    assert [p.kind for p in periods[-2:]] == [PeriodKind.MONTH, PeriodKind.SCHOOL_YEAR]


def test_a_running_period_counts_the_whole_days_before_today() -> None:
    # counted on its last day (Sunday 22.11) a week stops before it, so that counted whole
    # on Monday it has another `until`: equal (cell, until) must mean equal numbers, or two
    # publications together would give Sunday's answers away
    assert week(date(2026, 11, 18)).evaluated_until(date(2026, 11, 18)) == date(2026, 11, 18)
    assert week(date(2026, 11, 22)).evaluated_until(date(2026, 11, 22)) == date(2026, 11, 22)
    assert week(date(2026, 11, 22)).evaluated_until(date(2026, 11, 23)) == date(2026, 11, 23)
    assert week(date(2026, 11, 9)).evaluated_until(date(2026, 11, 18)) == date(2026, 11, 16)


def test_local_day_depends_on_the_zone() -> None:
    moment = utc(2026, 11, 22, 20, 30)  # Sunday 23:30 in Moscow, Monday 06:30 in Komsomolsk
    assert local_day(moment, ZoneInfo(MOSCOW)) == date(2026, 11, 22)
    assert local_day(moment, ZoneInfo(KOMSOMOLSK)) == date(2026, 11, 23)
    assert local_day(moment.replace(tzinfo=None), ZoneInfo(ORSK)) == date(2026, 11, 23)


def test_the_same_moment_falls_in_different_weeks_in_different_zones() -> None:
    moment = utc(2026, 11, 22, 20, 30)  # Sunday 23:30 in Vladikavkaz (Moscow time)
    data = facts(
        municipalities=[
            {"municipality_id": 1, "timezone": MOSCOW},
            {"municipality_id": 2, "timezone": KOMSOMOLSK},
        ],
        responses=[
            response(1, "cbi", overall_band="high", completed_at=moment),
            response(2, "cbi", municipality_id=2, overall_band="high", completed_at=moment),
        ],
    )
    w47, w48 = week(date(2026, 11, 16)), week(date(2026, 11, 23))

    def respondents(municipality: int) -> dict[str, int]:
        request = Request(municipality, (w47, w48), utc(2026, 11, 30), ("burnout_high_risk",))
        values = compute(data, load_catalogue(), request)
        return {v.period.label: v.n for v in values if v.scope_type is ScopeType.MUNICIPALITY}

    assert respondents(1) == {"2026-W47": 1, "2026-W48": 0}
    assert respondents(2) == {"2026-W47": 0, "2026-W48": 1}


def test_a_registration_late_on_the_last_evening_counts_in_that_month() -> None:
    late = utc(2026, 11, 30, 20, 30)  # 23:30 on 30 November in Moscow
    after = utc(2026, 11, 30, 21, 30)  # 00:30 on 1 December in Moscow
    data = facts(
        people=[person(1, None, registered_at=late), person(2, None, registered_at=after)]
    )
    request = Request(1, (month(date(2026, 11, 1)),), utc(2026, 12, 5), ("young_share",))
    (value,) = compute(data, load_catalogue(), request)
    assert value.denominator == 1


def test_future_periods_are_skipped_and_facts_must_have_their_columns() -> None:
    data = facts()
    request = Request(1, (week(date(2026, 12, 7)),), utc(2026, 11, 30), ("young_share",))
    assert compute(data, load_catalogue(), request) == ()
    with pytest.raises(ValueError, match="people: missing columns"):
        type(data)(people=frame("routes", []))


def test_a_municipality_with_no_data_yet_gives_empty_cells() -> None:
    data = facts(schools=[{"school_id": 10, "municipality_id": 1, "headcount": 25}])
    request = Request(1, standard_periods(date(2026, 11, 18)), utc(2026, 11, 18))
    values = compute(data, load_catalogue(), request)
    assert values and all(v.numerator == 0 for v in values)
    coverage = [v for v in values if v.indicator == "diag_coverage"]
    assert {(v.denominator, v.value, v.denominator_source) for v in coverage} == {
        (25, 0.0, "headcount")
    }
    burnout = [v for v in values if v.indicator == "burnout_high_risk"]
    assert {(v.n, v.value) for v in burnout} == {(0, None)}
