"""Indicators over questionnaires and campaigns, computed by hand."""

from datetime import date
from typing import Any

import pytest

from core.monitoring.catalogue import ScopeType, load_catalogue
from core.monitoring.compute import Request, compute
from core.monitoring.facts import Facts
from core.monitoring.periods import week
from core.monitoring.values import IndicatorValue
from tests.unit.monitoring.build import facts, person, response, utc

MUN, SCHOOL, SUBJECT = ScopeType.MUNICIPALITY, ScopeType.SCHOOL, ScopeType.SUBJECT
W47 = week(date(2026, 11, 16))  # Monday 16 to Sunday 22 November 2026
SCHOOLS = [
    {"school_id": 10, "municipality_id": 1, "headcount": 0},
    {"school_id": 11, "municipality_id": 1, "headcount": 0},
]


def bands(response_id: int, **areas: str) -> list[dict[str, Any]]:
    return [{"response_id": response_id, "area": a, "band": b} for a, b in areas.items()]


def cells(data: Facts, key: str) -> dict[tuple[ScopeType, int, str | None], IndicatorValue]:
    values = compute(data, load_catalogue(), Request(1, (W47,), utc(2026, 11, 25), (key,)))
    return {(v.scope_type, v.scope_id, v.facet): v for v in values}


def fraction(value: IndicatorValue) -> tuple[int, int | None]:
    return value.numerator, value.denominator


def test_burnout_counts_each_persons_latest_result_and_anonymous_answers() -> None:
    data = facts(
        schools=SCHOOLS,
        responses=[
            response(1, "cbi", person_id=1, school_id=10, subject_ids=[5], overall_band="high",
                     completed_at=utc(2026, 11, 17)),
            response(2, "cbi", person_id=1, school_id=10, subject_ids=[5],
                     overall_band="moderate", completed_at=utc(2026, 11, 19)),
            response(3, "cbi", person_id=2, school_id=10, overall_band="high"),
            response(4, "cbi", school_id=11, overall_band="high"),  # anonymous
            response(5, "cbi", overall_band="low"),  # anonymous, school generalised away
            response(6, "cbi", person_id=3, school_id=11),  # too few items: not scored
            response(7, "cbi", person_id=4, school_id=11, overall_band="high",
                     completed_at=utc(2026, 11, 23)),  # next week
        ],
    )  # fmt: skip
    found = cells(data, "burnout_high_risk")
    # responses 2 (moderate), 3 (high), 4 (high), 5 (low): 2 of 4
    assert fraction(found[(MUN, 1, None)]) == (2, 4)
    assert found[(MUN, 1, None)].value == pytest.approx(50.0)
    assert fraction(found[(SCHOOL, 10, None)]) == (1, 2)  # responses 2 and 3
    assert fraction(found[(SCHOOL, 11, None)]) == (1, 1)  # response 4
    assert fraction(found[(SUBJECT, 5, None)]) == (0, 1)  # response 2 only
    assert found[(MUN, 1, None)].denominator_source == "respondents"


def deficits() -> Facts:
    return facts(
        schools=SCHOOLS,
        people=[person(1, 10), person(2, 10), person(3, 11)],
        responses=[
            response(10, "deficits", person_id=1, school_id=10, subject_ids=[5],
                     completed_at=utc(2026, 11, 17)),
            response(11, "deficits", person_id=2, school_id=10, subject_ids=[5]),
            response(12, "deficits", school_id=11),  # anonymous
            response(13, "deficits", person_id=3, school_id=11, completed_at=utc(2026, 11, 18)),
        ],
        deficit_bands=[
            *bands(10, method="high", digital="medium", norm="minimal"),
            *bands(11, method="minimal", digital="minimal", norm="minimal"),
            *bands(12, method="medium", digital="minimal", norm="high"),
            *bands(13, method="high", digital="minimal", norm="minimal"),
        ],
        routes=[
            {"person_id": 1, "built_at": utc(2026, 11, 18)},  # after response 10
            {"person_id": 3, "built_at": utc(2026, 11, 10)},  # before response 13
        ],
    )  # fmt: skip


def test_deficit_by_area_counts_high_and_medium_bands() -> None:
    found = cells(deficits(), "deficit_by_area")
    # method: 10 (high), 12 (medium), 13 (high) of 10, 11, 12, 13
    assert fraction(found[(MUN, 1, "method")]) == (3, 4)
    assert fraction(found[(SCHOOL, 10, "method")]) == (1, 2)
    assert fraction(found[(SCHOOL, 11, "method")]) == (2, 2)
    assert fraction(found[(SUBJECT, 5, "method")]) == (1, 2)
    assert fraction(found[(MUN, 1, "digital")]) == (1, 4)  # 10 (medium)
    assert fraction(found[(MUN, 1, "norm")]) == (1, 4)  # 12 (high)


def test_route_share_needs_a_route_opened_after_the_assessment() -> None:
    found = cells(deficits(), "route_share")
    # assessed with a person: 10 (p1, a deficit, route after), 11 (p2, no deficit) and 13 (p3,
    # a deficit, route before); 12 is anonymous. Of all three, not of the two with a deficit:
    # a denominator of those with a deficit would publish their number as an ordinary share
    assert fraction(found[(MUN, 1, None)]) == (1, 3)
    assert fraction(found[(SCHOOL, 10, None)]) == (1, 2)
    assert fraction(found[(SCHOOL, 11, None)]) == (0, 1)
    assert fraction(found[(SUBJECT, 5, None)]) == (1, 2)
    assert load_catalogue()["route_share"].sensitive  # k = 10 and the class rule, as deficits


def feedback(recommend: list[int | None], satisfied: list[int | None]) -> Facts:
    schools = [10, 10, 10, 10, 11, 11]
    return facts(
        schools=SCHOOLS,
        responses=[
            response(i, "seminar_feedback", school_id=schools[i % 6])
            for i in range(len(recommend))
        ],
        feedback=[
            {"response_id": i, "satisfaction": s, "recommend": r}
            for i, (r, s) in enumerate(zip(recommend, satisfied, strict=True))
        ],
    )


@pytest.mark.parametrize(
    ("scores", "expected"),
    [([10, 9, 8, 7, 6, 0], 0.0), ([10, 10, 9, 8], 75.0), ([6, 6, 7, 10], -25.0)],
)
def test_nps_matches_the_worked_examples(scores: list[int | None], expected: float) -> None:
    found = cells(feedback(scores, [None] * len(scores)), "nps")
    assert found[(MUN, 1, None)].value == pytest.approx(expected)
    assert found[(MUN, 1, None)].denominator == len(scores)


def test_satisfaction_is_the_top_two_box_of_those_who_answered() -> None:
    data = feedback([10, 9, 8, 7, 6, 0], [5, 4, 3, 4, None, 2])
    found = cells(data, "satisfaction")
    assert fraction(found[(MUN, 1, None)]) == (3, 5)  # 5, 4, 4 of the five answers
    assert fraction(found[(SCHOOL, 10, None)]) == (3, 4)
    assert fraction(found[(SCHOOL, 11, None)]) == (0, 1)
    nps = cells(data, "nps")
    assert nps[(SCHOOL, 10, None)].value == pytest.approx(50.0)  # 10, 9 promoters of 4
    assert nps[(SCHOOL, 11, None)].value == pytest.approx(-100.0)  # 6, 0 detractors


def test_response_rate_per_campaign_due_in_the_period() -> None:
    rows = [
        (3, 10, 12, 9, utc(2026, 11, 20)),
        (3, 11, 3, 1, utc(2026, 11, 20)),
        (3, None, 2, 2, utc(2026, 11, 20)),  # invited people without a school
        (4, 10, 5, 5, utc(2026, 11, 24)),  # due next week
    ]
    data = facts(
        schools=SCHOOLS,
        campaigns=[
            {"campaign_id": c, "municipality_id": 1, "school_id": s, "invited": i,
             "completed": d, "closes_at": at}
            for c, s, i, d, at in rows
        ],
    )  # fmt: skip
    found = cells(data, "response_rate")
    assert fraction(found[(MUN, 1, "3")]) == (12, 17)
    assert fraction(found[(SCHOOL, 10, "3")]) == (9, 12)
    assert found[(SCHOOL, 10, "3")].value == pytest.approx(75.0)
    assert fraction(found[(SCHOOL, 11, "3")]) == (1, 3)
    assert not any(facet == "4" for _, _, facet in found)
    assert not any(scope is SUBJECT for scope, _, _ in found)
