"""Indicators over registered teachers, computed by hand on a small municipality."""

from datetime import date, datetime
from typing import Any

import pytest

from core.monitoring.catalogue import ScopeType, load_catalogue
from core.monitoring.compute import Request, compute
from core.monitoring.facts import Facts
from core.monitoring.periods import month, school_year
from core.monitoring.values import IndicatorValue
from tests.unit.monitoring.build import facts, person, response, utc

MUN, SCHOOL, SUBJECT = ScopeType.MUNICIPALITY, ScopeType.SCHOOL, ScopeType.SUBJECT
MATH, HISTORY = 5, 6


# School 10 has a roster of 20 (8 of them teach maths); school 11 has no roster.
# p1 (10, maths, young), p2 (10, maths+history), p3 (10, history, community member),
# p4 (11, maths, young), p5 (11), p6 (no school, history, young, community member);
# p7 is a methodist only, p8 registers in December: neither counts in November.
PEOPLE = [
    person(1, 10, subject_ids=[MATH], young=True),
    person(2, 10, subject_ids=[MATH, HISTORY]),
    person(3, 10, subject_ids=[HISTORY], community_member=True),
    person(4, 11, subject_ids=[MATH], young=True),
    person(5, 11),
    person(6, None, subject_ids=[HISTORY], young=True, community_member=True),
    person(7, 10, roles=["methodist"]),
    person(8, 10, registered_at=utc(2026, 12, 1)),
]


def municipality() -> Facts:
    return facts(
        schools=[
            {"school_id": 10, "municipality_id": 1, "headcount": 20},
            {"school_id": 11, "municipality_id": 1, "headcount": 0},
        ],
        school_subjects=[{"school_id": 10, "subject_id": MATH, "headcount": 8}],
        people=PEOPLE,
        responses=[
            response(1, "deficits", person_id=1, school_id=10, completed_at=utc(2026, 10, 3)),
            response(2, "deficits", person_id=4, school_id=11, completed_at=utc(2026, 11, 3)),
            response(3, "deficits", person_id=2, school_id=10, completed_at=utc(2026, 8, 20)),
            response(4, "deficits", school_id=11, subject_ids=[HISTORY]),  # anonymous
        ],
        mentoring=[
            pair(2, 1, utc(2026, 10, 1), None),
            pair(5, 4, utc(2026, 10, 1), utc(2026, 11, 15)),
        ],
        seminars=[
            seminar(7, "seminar", utc(2026, 11, 10)),
            seminar(8, "webinar", utc(2026, 10, 5)),
            seminar(9, "webinar", utc(2026, 11, 20)),
        ],
        attendance=[
            {"seminar_id": 7, "person_id": 1, "attended": True},
            {"seminar_id": 7, "person_id": 4, "attended": False},
            {"seminar_id": 7, "person_id": 6, "attended": True},
            {"seminar_id": 8, "person_id": 4, "attended": True},
        ],
    )


def pair(mentor: int, mentee: int, started: datetime, ended: datetime | None) -> dict[str, Any]:
    return {"mentor_id": mentor, "mentee_id": mentee, "started_at": started, "ended_at": ended}


def seminar(seminar_id: int, kind: str, starts: datetime) -> dict[str, Any]:
    return {"seminar_id": seminar_id, "municipality_id": 1, "kind": kind, "starts_at": starts}


def cells(key: str, day: date = date(2026, 11, 1)) -> dict[tuple[ScopeType, int], IndicatorValue]:
    request = Request(1, (month(day),), utc(2026, 11, 30, 20), (key,))
    values = compute(municipality(), load_catalogue(), request)
    return {(v.scope_type, v.scope_id): v for v in values}


def counts(value: IndicatorValue) -> tuple[int, int | None, str]:
    return value.numerator, value.denominator, value.denominator_source


def test_diag_coverage_uses_the_roster_where_a_school_has_one() -> None:
    found = cells("diag_coverage")
    # school 10: roster 20 >= 3 registered; assessed this school year: p1 (p2 was in August)
    assert counts(found[(SCHOOL, 10)]) == (1, 20, "headcount")
    assert found[(SCHOOL, 10)].value == pytest.approx(100 * 1 / 20)
    # school 11: no roster, so its 2 registered teachers; p4 and the anonymous completion
    assert counts(found[(SCHOOL, 11)]) == (2, 2, "registered")
    # total: 20 + 2 + p6 without a school = 23, both kinds of denominator
    assert counts(found[(MUN, 1)]) == (3, 23, "mixed")
    assert found[(MUN, 1)].n == 23
    # maths: roster 8 at school 10 + p4 registered at 11 = 9; p1 and p4 assessed
    assert counts(found[(SUBJECT, MATH)]) == (2, 9, "mixed")
    # history: no roster anywhere: p2, p3 at 10 and p6 = 3; the anonymous answer names history
    assert counts(found[(SUBJECT, HISTORY)]) == (1, 3, "registered")


def test_a_roster_below_the_registered_teachers_gives_way() -> None:
    data = municipality()
    data.schools.loc[data.schools["school_id"] == 10, "headcount"] = 2  # stale: 3 registered
    request = Request(1, (month(date(2026, 11, 1)),), utc(2026, 11, 30), ("diag_coverage",))
    found = {(v.scope_type, v.scope_id): v for v in compute(data, load_catalogue(), request)}
    assert counts(found[(SCHOOL, 10)]) == (1, 3, "registered")
    assert counts(found[(MUN, 1)]) == (3, 6, "registered")  # 3 + 2 + 1


def test_young_share_is_over_registered_teachers() -> None:
    found = cells("young_share")
    assert counts(found[(MUN, 1)]) == (3, 6, "registered")  # p1, p4, p6 of p1..p6
    assert counts(found[(SCHOOL, 10)]) == (1, 3, "registered")
    assert counts(found[(SCHOOL, 11)]) == (1, 2, "registered")
    assert counts(found[(SUBJECT, MATH)]) == (2, 3, "registered")  # p1, p4 of p1, p2, p4
    assert counts(found[(SUBJECT, HISTORY)]) == (1, 3, "registered")  # p6 of p2, p3, p6
    assert found[(MUN, 1)].value == pytest.approx(50.0)


def test_mentoring_counts_pairs_active_on_the_last_day() -> None:
    found = cells("mentoring_share")
    # p2 mentors p1; the pair p5-p4 ended on 15 November
    assert counts(found[(MUN, 1)]) == (2, 23, "mixed")
    assert counts(found[(SCHOOL, 10)]) == (2, 20, "headcount")
    assert counts(found[(SCHOOL, 11)]) == (0, 2, "registered")
    october = cells("mentoring_share", date(2026, 10, 1))
    assert counts(october[(SCHOOL, 11)]) == (2, 2, "registered")


def test_young_mentored_is_over_young_teachers() -> None:
    assert counts(cells("young_mentored")[(MUN, 1)]) == (1, 3, "registered")  # p1 of p1, p4, p6
    assert counts(cells("young_mentored", date(2026, 10, 1))[(MUN, 1)]) == (2, 3, "registered")


def test_community_share_is_over_the_headcount() -> None:
    found = cells("community_share")
    assert counts(found[(MUN, 1)]) == (2, 23, "mixed")  # p3, p6
    assert counts(found[(SCHOOL, 10)]) == (1, 20, "headcount")
    assert found[(MUN, 1)].value == pytest.approx(100 * 2 / 23)


def test_young_in_events_counts_attendance_not_registration() -> None:
    found = cells("young_in_events")
    # November: seminar 7 attended by p1 and p6 (p4 registered but did not come)
    assert counts(found[(MUN, 1)]) == (2, 3, "registered")
    assert counts(found[(SCHOOL, 11)]) == (0, 1, "registered")
    october = cells("young_in_events", date(2026, 10, 1))
    assert counts(october[(SCHOOL, 11)]) == (1, 1, "registered")  # p4 at seminar 8


def test_events_count_counts_seminars_and_different_participants() -> None:
    found = cells("events_count")
    # November: seminars 7 and 9 held (nobody marked at 9); participants p1, p6
    assert (found[(MUN, 1)].numerator, found[(MUN, 1)].n) == (2, 2)
    assert found[(MUN, 1)].value == 2.0 and found[(MUN, 1)].denominator is None
    assert (found[(SCHOOL, 10)].numerator, found[(SCHOOL, 10)].n) == (1, 1)  # 7 via p1
    assert (found[(SCHOOL, 11)].numerator, found[(SCHOOL, 11)].n) == (0, 0)
    assert (found[(SUBJECT, HISTORY)].numerator, found[(SUBJECT, HISTORY)].n) == (1, 1)  # p6


def test_on_1_september_the_new_school_year_counts_no_assessment_of_the_last() -> None:
    # counted on its first day the school year has no whole day yet: 0 assessed, not p2's
    # August self-assessment of the year before
    request = Request(1, (school_year(date(2026, 9, 1)),), utc(2026, 9, 1, 6), ("diag_coverage",))
    found = {
        (v.scope_type, v.scope_id): v for v in compute(municipality(), load_catalogue(), request)
    }
    assert found[(SCHOOL, 10)].numerator == 0
    assert found[(SCHOOL, 10)].until == date(2026, 9, 1)
