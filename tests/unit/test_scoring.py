"""Scores equal the published keys (cited in each file's source), item by item, by hand."""

from pathlib import Path

import pytest

from surveys.engine import AnswerError, check_answer, next_item, nps, score, top_box_share
from surveys.loader import load
from surveys.model import Instrument

FOLDER = Path(__file__).resolve().parents[2] / "surveys" / "instruments"
CBI = load(FOLDER / "cbi.yaml")
DEFICITS = load(FOLDER / "deficits.yaml")
FEEDBACK = load(FOLDER / "seminar_feedback.yaml")


def answers(
    instrument: Instrument, codes: list[int | None]
) -> dict[str, int | float | str | None]:
    return {i.id: c for i, c in zip(instrument.items, codes, strict=False) if c is not None}


def cbi(codes: list[int | None]) -> dict[str, tuple[float | None, str | None]]:
    result = score(CBI, answers(CBI, codes)).to_json()
    found = {k: (v["score"], v["band"]) for k, v in result["scales"].items()}
    found["overall"] = (
        result["derived"]["overall"]["score"],
        result["derived"]["overall"]["band"],
    )
    return found


# Codes 1..5 carry points 0/25/50/75/100; q13 (energy for family and friends) is reversed.
@pytest.mark.parametrize(
    ("codes", "expected"),
    [
        # all minimum: q13 "never" gives 100 - 0 = 100, so work = 100 / 7
        (
            [1] * 19,
            {
                "personal": (0.0, "low"),
                "work": (14.29, "low"),
                "student": (0.0, "low"),
                "overall": (14.29, "low"),
            },
        ),
        # all maximum: q13 "always" gives 100 - 100 = 0, so work = 600 / 7
        (
            [5] * 19,
            {
                "personal": (100.0, "high"),
                "work": (85.71, "high"),
                "student": (100.0, "high"),
                "overall": (100.0, "high"),
            },
        ),
        # all middle: 50 everywhere (q13: 100 - 50 = 50); 50 is "moderate"
        (
            [3] * 19,
            {
                "personal": (50.0, "moderate"),
                "work": (50.0, "moderate"),
                "student": (50.0, "moderate"),
                "overall": (50.0, "moderate"),
            },
        ),
        # work items low but q13 "always" (energy left): work = 0; student 75 = high
        (
            [1] * 12 + [5] + [4] * 6,
            {
                "personal": (0.0, "low"),
                "work": (0.0, "low"),
                "student": (75.0, "high"),
                "overall": (75.0, "high"),
            },
        ),
        # personal 5 x 75 + 50 = 425 / 6 = 70.83: just under "high";
        # work 6 x 25 + (100 - 75) = 175 / 7 = 25
        (
            [4, 4, 4, 4, 4, 3] + [2] * 6 + [4] + [2] * 6,
            {
                "personal": (70.83, "moderate"),
                "work": (25.0, "low"),
                "student": (25.0, "low"),
                "overall": (25.0, "low"),
            },
        ),
    ],
)
def test_cbi_scale_scores_and_bands(
    codes: list[int | None], expected: dict[str, tuple[float | None, str | None]]
) -> None:
    assert cbi(codes) == expected


@pytest.mark.parametrize(
    ("codes", "scale", "scored"),
    [
        ([5, 5] + [None] * 4 + [3] * 13, "personal", False),  # 2 of 6 personal items
        ([5, 5, 5] + [None] * 3 + [3] * 13, "personal", True),  # 3 of 6
        ([3] * 6 + [5, 5, 5] + [None] * 4 + [3] * 6, "work", False),  # 3 of 7 work items
        ([3] * 6 + [5, 5, 5, 5] + [None] * 3 + [3] * 6, "work", True),  # 4 of 7
        ([3] * 13 + [5, 5] + [None] * 4, "student", False),  # 2 of 6 student items
        ([3] * 13 + [5, 5, 5] + [None] * 3, "student", True),  # 3 of 6
    ],
)
def test_cbi_non_responders_are_not_scored(
    codes: list[int | None], scale: str, scored: bool
) -> None:
    result = cbi(codes)
    assert (result[scale][0] is not None) is scored
    if scale in ("work", "student") and not scored:
        assert result["overall"] == (None, None)  # no overall for a non-responder


@pytest.mark.parametrize(
    ("value", "band"),
    [
        (0, "low"),
        (49.99, "low"),
        (50, "moderate"),
        (74.99, "moderate"),
        (75, "high"),
        (100, "high"),
    ],
)
def test_cbi_band_edges(value: float, band: str) -> None:
    for scale in CBI.scales:
        assert scale.band(value) == band


def test_cbi_scores_only_what_was_answered_with_the_mean() -> None:
    # personal: codes 5,4 and four unanswered is too few; with 5,4,2: (100+75+25)/3 = 66.67
    assert cbi([5, 4, 2, None, None, None] + [3] * 13)["personal"] == (66.67, "moderate")


def deficits(codes: list[int]) -> dict[str, object]:
    return score(DEFICITS, answers(DEFICITS, codes)).to_json()  # type: ignore[arg-type]


AREA_SIZES = {s.id: len(s.items) for s in DEFICITS.scales}


def codes_for(area_codes: dict[str, list[int]], default: int = 5) -> list[int]:
    codes: list[int] = []
    for scale in DEFICITS.scales:
        codes += area_codes.get(scale.id, [default] * len(scale.items))
    return codes


def test_deficit_areas_have_three_to_five_items() -> None:
    assert list(AREA_SIZES) == [
        "norm",
        "subject",
        "method",
        "upbringing",
        "developmental",
        "communication",
        "digital",
    ]
    assert all(3 <= size <= 5 for size in AREA_SIZES.values())


@pytest.mark.parametrize(
    ("area", "codes", "percent", "band"),
    [
        ("norm", [1, 1, 1], 0.0, "high"),
        ("norm", [3, 3, 3], 50.0, "high"),  # (3 - 1) / 4 * 100
        ("norm", [4, 4, 3], 66.67, "medium"),  # mean 11/3: (11/3 - 1) / 4 * 100
        ("norm", [4, 4, 4], 75.0, "medium"),
        ("norm", [5, 4, 4], 83.33, "minimal"),
        ("method", [3, 3, 4, 4], 62.5, "medium"),
        ("digital", [5, 4, 4, 4], 81.25, "minimal"),
        ("digital", [5, 5, 5, 5], 100.0, "minimal"),
    ],
)
def test_deficit_area_percent_and_level(
    area: str, codes: list[int], percent: float, band: str
) -> None:
    result = deficits(codes_for({area: codes}))
    assert result["scales"][area] == {  # type: ignore[index]
        "score": percent,
        "band": band,
        "answered": len(codes),
    }


@pytest.mark.parametrize(
    ("value", "band"),
    [(59.9, "high"), (60, "medium"), (80, "medium"), (80.1, "minimal"), (100, "minimal")],
)
def test_deficit_band_edges(value: float, band: str) -> None:
    assert DEFICITS.scale("norm").band(value) == band


def test_point_deficits_are_items_rated_one_or_two_whatever_the_area_level() -> None:
    result = deficits(codes_for({"norm": [5, 5, 2], "digital": [1, 5, 5, 5]}))
    assert result["scales"]["norm"]["band"] == "medium"  # type: ignore[index]  # 75
    assert result["derived"]["point_deficits"] == ["norm3", "digital1"]  # type: ignore[index]
    assert deficits([5] * 23)["derived"]["point_deficits"] == []  # type: ignore[index]
    assert len(deficits([1] * 23)["derived"]["point_deficits"]) == 23  # type: ignore[index]


def test_every_deficit_item_is_required() -> None:
    with pytest.raises(AnswerError, match="answer_required"):
        check_answer(DEFICITS, DEFICITS.items[0], None)


@pytest.mark.parametrize(
    ("values", "expected"),
    [([10, 9, 8, 7, 6, 0], 0.0), ([10, 10, 9, 8], 75.0), ([6, 6, 7, 10], -25.0), ([], None)],
)
def test_nps_worked_examples(values: list[int], expected: float | None) -> None:
    assert nps(values) == expected


def test_satisfaction_is_the_top_two_box_share() -> None:
    assert top_box_share([5, 4, 3, 2]) == 50.0
    assert top_box_share([4, 4, 5]) == 100.0


@pytest.mark.parametrize(
    ("q1", "q6", "satisfied", "category"),
    [
        (4, 9, True, "promoter"),
        (5, 10, True, "promoter"),
        (3, 8, False, "passive"),
        (1, 7, False, "passive"),
        (2, 6, False, "detractor"),
        (5, 0, True, "detractor"),
    ],
)
def test_seminar_feedback_per_respondent(q1: int, q6: int, satisfied: bool, category: str) -> None:
    result = score(FEEDBACK, {"q1": q1, "q2": 3, "q3": 3, "q4": 3, "q5": 3, "q6": q6}).to_json()
    assert result["derived"] == {"satisfied": satisfied, "nps": category}
    assert result["scales"]["satisfaction"]["score"] == q1


def test_answers_are_checked_and_progress_resumes() -> None:
    q6, q7 = FEEDBACK.item("q6"), FEEDBACK.item("q7")
    assert check_answer(FEEDBACK, q6, "10") == 10
    for bad in ("11", "-1", "7.5", "десять"):
        with pytest.raises(AnswerError):
            check_answer(FEEDBACK, q6, bad)
    assert check_answer(FEEDBACK, q7, "  ") is None  # optional free text may be skipped
    with pytest.raises(AnswerError, match="answer_code"):
        check_answer(FEEDBACK, FEEDBACK.item("q1"), "6")
    done = {"q1": 4, "q2": 4, "q3": None}
    item = next_item(FEEDBACK, done)
    assert item is not None and item.id == "q4"
