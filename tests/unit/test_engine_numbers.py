"""An answer that is not a finite number is refused like any wrong answer, never a crash."""

from pathlib import Path

import pytest

from surveys.engine import AnswerError, check_answer
from surveys.loader import load

FOLDER = Path(__file__).resolve().parents[2] / "surveys" / "instruments"
CBI = load(FOLDER / "cbi.yaml")
FEEDBACK = load(FOLDER / "seminar_feedback.yaml")
NOT_FINITE = ["nan", "NaN", "inf", "-inf", "Infinity", "1e999", "-1e999"]


@pytest.mark.parametrize("raw", NOT_FINITE)
def test_a_choice_refuses_numbers_that_are_not_finite(raw: str) -> None:
    with pytest.raises(AnswerError, match="answer_code"):
        check_answer(CBI, CBI.item("q1"), raw)


@pytest.mark.parametrize("raw", NOT_FINITE)
def test_a_rating_refuses_numbers_that_are_not_finite(raw: str) -> None:
    with pytest.raises(AnswerError, match="answer_range"):
        check_answer(FEEDBACK, FEEDBACK.item("q6"), raw)


def test_ordinary_answers_still_pass() -> None:
    assert check_answer(CBI, CBI.item("q1"), "3") == 3
    assert check_answer(CBI, CBI.item("q1"), "3,0") == 3
    assert check_answer(FEEDBACK, FEEDBACK.item("q6"), "10") == 10
