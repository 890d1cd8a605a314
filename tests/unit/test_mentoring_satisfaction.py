"""The mentee's satisfaction-with-mentoring questionnaire: scored by hand, item by item.

Key (mentoring_satisfaction.yaml): q1-q6 agree 1-5 (code = points), scale `overall` = their
mean, all six required, no bands; `satisfied` = q1 is 4 or 5; `nps` = the category of q7
(0-10): promoter 9-10, passive 7-8, detractor 0-6; q8 is an optional comment, not scored.
"""

from typing import Any

import pytest

from surveys.engine import AnswerError, check_answer, nps, score
from surveys.loader import load
from surveys.model import ItemType
from surveys.registry import BUILT_IN, load_all

INSTRUMENT = load(BUILT_IN / "mentoring_satisfaction.yaml")
Answer = int | float | str | None


def answers(codes: list[Answer]) -> dict[str, Answer]:
    """Answers to q1..q8 in order; None is a skipped item (stored as None, like the bot does)."""
    assert len(codes) == len(INSTRUMENT.items)
    return {item.id: code for item, code in zip(INSTRUMENT.items, codes, strict=True)}


def scored(codes: list[Answer]) -> dict[str, Any]:
    return score(INSTRUMENT, answers(codes)).to_json()


def test_it_is_anonymous_offered_only_at_the_end_of_a_pair_and_in_the_registry() -> None:
    assert INSTRUMENT.key == "mentoring_satisfaction" and INSTRUMENT.version == 1
    assert INSTRUMENT.privacy == "anonymous"
    assert INSTRUMENT.self_service is False  # not in /surveys: the pair-closing flow starts it
    assert load_all()["mentoring_satisfaction"].items == INSTRUMENT.items
    assert "not a validated" in INSTRUMENT.wording
    assert [i.id for i in INSTRUMENT.items] == [f"q{n}" for n in range(1, 9)]
    assert [i.type for i in INSTRUMENT.items] == [ItemType.CHOICE] * 6 + [
        ItemType.RATING,
        ItemType.TEXT,
    ]
    assert [i.id for i in INSTRUMENT.items if i.optional] == ["q8"]  # only the comment
    assert [s.id for s in INSTRUMENT.scales] == ["overall"]
    assert INSTRUMENT.scale("overall").bands == ()


@pytest.mark.parametrize(
    ("codes", "mean", "satisfied", "category"),
    [
        # (4+5+3+4+5+4)/6 = 25/6 = 4.1666… -> 4.17; q1 = 4 is the top-box boundary: satisfied;
        # q7 = 9 is the lowest promoter
        ([4, 5, 3, 4, 5, 4, 9, "Больше совместных уроков"], 4.17, True, "promoter"),
        # (3+4+4+5+4+5)/6 = 25/6 = 4.17 again, but q1 = 3 is just below the top box;
        # q7 = 8 is the highest passive; the comment skipped
        ([3, 4, 4, 5, 4, 5, 8, None], 4.17, False, "passive"),
        # (2+1+2+1+3+2)/6 = 11/6 = 1.8333… -> 1.83; q7 = 6 is the highest detractor
        ([2, 1, 2, 1, 3, 2, 6, None], 1.83, False, "detractor"),
        # (5+5+5+5+5+5)/6 = 5.0; q7 = 7 is the lowest passive
        ([5, 5, 5, 5, 5, 5, 7, None], 5.0, True, "passive"),
        # (1+1+1+1+1+1)/6 = 1.0; q7 = 0 detractor
        ([1, 1, 1, 1, 1, 1, 0, None], 1.0, False, "detractor"),
    ],
)
def test_a_full_response_scores_as_computed_by_hand(
    codes: list[Answer], mean: float, satisfied: bool, category: str
) -> None:
    result = scored(codes)
    assert result["scales"] == {"overall": {"score": mean, "band": None, "answered": 6}}
    assert result["derived"] == {"satisfied": satisfied, "nps": category}


def test_the_exact_mean_before_rounding() -> None:
    found = score(INSTRUMENT, answers([4, 5, 3, 4, 5, 4, 10, None])).scales["overall"]
    assert found.score == pytest.approx(25 / 6)  # (4+5+3+4+5+4)/6
    assert found.band is None


def test_nps_over_the_respondents_of_the_cases_above() -> None:
    # q7 answers 9, 8, 6, 7, 0: promoters 1 (9), passives 2 (8, 7), detractors 2 (6, 0)
    # NPS = (1 - 2) / 5 * 100 = -20
    q7 = [scored([4, 4, 4, 4, 4, 4, v, None])["derived"]["nps"] for v in (9, 8, 6, 7, 0)]
    assert q7 == ["promoter", "passive", "detractor", "passive", "detractor"]
    assert nps([9, 8, 6, 7, 0]) == pytest.approx(-20.0)


def test_a_response_missing_a_rated_item_is_not_scored() -> None:
    partial = {"q1": 5, "q2": 5, "q3": 5, "q4": 5, "q5": 5, "q7": 10}  # q6 missing
    found = score(INSTRUMENT, partial).to_json()
    assert found["scales"]["overall"] == {"score": None, "band": None, "answered": 5}
    assert found["derived"] == {"satisfied": True, "nps": "promoter"}


def test_only_the_comment_may_be_skipped_and_answers_stay_in_range() -> None:
    q1, q7, q8 = INSTRUMENT.item("q1"), INSTRUMENT.item("q7"), INSTRUMENT.item("q8")
    assert check_answer(INSTRUMENT, q8, None) is None
    with pytest.raises(AnswerError, match="answer_required"):
        check_answer(INSTRUMENT, q1, None)
    with pytest.raises(AnswerError, match="answer_required"):
        check_answer(INSTRUMENT, q7, "")
    with pytest.raises(AnswerError, match="answer_code"):
        check_answer(INSTRUMENT, q1, 6)
    with pytest.raises(AnswerError, match="answer_range"):
        check_answer(INSTRUMENT, q7, 11)
    assert check_answer(INSTRUMENT, q7, "10") == 10
