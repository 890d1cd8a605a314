"""Mentor ranking and the programme draft, on cases worked out by hand."""

from datetime import date

import pytest

from core.mentoring.programme import add_months, draft_programme, programme_end
from core.mentoring.ranking import Candidate, Wanted, rank

MATH, RUSSIAN = 1, 2
WANTED = Wanted(
    mentee_id=100, municipality_id=1, school_id=10, subject_id=MATH, areas=("method", "digital")
)


def mentor(pid: int, **kw: object) -> Candidate:
    values: dict[str, object] = {
        "person_id": pid,
        "name": f"M{pid}",
        "municipality_id": 1,
        "school_id": 99,
        "subject_ids": frozenset({RUSSIAN}),
        "strengths": (),
        "capacity": 2,
        "mentees": 0,
    } | kw
    return Candidate(**values)  # type: ignore[arg-type]


def ids(candidates: list[Candidate], wanted: Wanted = WANTED) -> list[int]:
    return [s.candidate.person_id for s in rank(candidates, wanted)]


def test_covering_more_requested_areas_beats_everything_else() -> None:
    one = mentor(1, strengths=("method",), school_id=10, subject_ids=frozenset({MATH}))
    two = mentor(2, strengths=("digital", "method", "norm"), municipality_id=2)
    assert ids([one, two]) == [2, 1]


@pytest.mark.parametrize(
    ("better", "worse"),
    [
        ({"subject_ids": frozenset({MATH})}, {"school_id": 10}),  # subject before school
        ({"school_id": 10}, {"capacity": 5}),  # school before free places
        ({"municipality_id": 1}, {"municipality_id": 2, "capacity": 5}),  # then municipality
        ({"capacity": 3, "mentees": 1}, {"capacity": 2, "mentees": 1}),  # 2 free before 1
    ],
)
def test_ties_on_coverage_are_broken_in_the_documented_order(
    better: dict[str, object], worse: dict[str, object]
) -> None:
    # the worse one has the smaller id: only the rule, not the id, can put it second
    assert ids([mentor(1, **worse), mentor(2, **better)]) == [2, 1]


def test_equal_mentors_come_in_id_order_every_time() -> None:
    assert ids([mentor(7), mentor(3), mentor(5)]) == [3, 5, 7]


def test_paused_unconfirmed_full_and_the_mentee_themself_are_never_suggested() -> None:
    pool = [
        mentor(1, paused=True, strengths=("method", "digital")),
        mentor(2, confirmed=False, strengths=("method", "digital")),
        mentor(3, capacity=2, mentees=2, strengths=("method", "digital")),
        mentor(100, strengths=("method", "digital")),
        mentor(4),
    ]
    assert ids(pool) == [4]


def test_at_most_five_with_the_reasons_to_show() -> None:
    pool = [mentor(i, strengths=("digital",)) for i in range(1, 9)]
    pool.append(mentor(20, strengths=("digital", "method"), subject_ids=frozenset({MATH})))
    found = rank(pool, WANTED)
    assert [s.candidate.person_id for s in found] == [20, 1, 2, 3, 4]
    best = found[0]
    assert best.covered == ("method", "digital") and best.same_subject
    assert not best.same_school and best.same_municipality


def test_programme_ends_with_the_school_year_within_three_to_twelve_months() -> None:
    assert programme_end(date(2026, 9, 15)) == date(2027, 5, 31)
    assert programme_end(date(2027, 4, 10)) == date(2027, 7, 10)  # 3 months at least
    assert programme_end(date(2026, 6, 1)) == date(2027, 5, 31)  # within 12 months
    assert programme_end(date(2026, 5, 31)) == date(2026, 8, 31)
    assert add_months(date(2026, 11, 30), 3) == date(2027, 2, 28)


def test_programme_draft_puts_serious_deficits_first_with_their_advice() -> None:
    bands = {"method": "medium", "digital": "high", "norm": "minimal"}
    draft = draft_programme(
        date(2026, 12, 1),
        ["method", "norm", "digital"],
        "Как вести родительские собрания",
        bands,
        {"digital": [7, 9], "norm": [3]},
    )
    assert draft.ends_on == date(2027, 5, 31)  # 181 days later
    goals = [(g.area, g.advice, g.seminar_ids) for g in draft.goals]
    assert goals == [
        ("digital", "plan", (7, 9)),
        ("method", "plan_or_course", ()),
        ("norm", "informal", (3,)),
        (None, None, ()),
    ]
    # 181 days in four steps: +45, +90, +135, +181 days
    assert [g.due_on for g in draft.goals] == [
        date(2027, 1, 15),
        date(2027, 3, 1),
        date(2027, 4, 15),
        date(2027, 5, 31),
    ]


def test_an_area_without_a_self_assessment_comes_after_diagnosed_ones() -> None:
    draft = draft_programme(date(2026, 9, 1), ["subject", "method"], None, {"method": "high"}, {})
    assert [(g.area, g.advice) for g in draft.goals] == [("method", "plan"), ("subject", None)]
    assert draft.goals[-1].due_on == draft.ends_on == date(2027, 5, 31)
