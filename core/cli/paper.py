"""Answers typed or collected on paper, as codes in item order, checked like the bot checks them.

Every problem is named by row and item with what the item accepts, so a sheet of a hundred
respondents is corrected in one pass. An empty cell is an unanswered item.
"""

from core.tables import TableError, TableProblem
from surveys.engine import AnswerError, Value, check_answer
from surveys.model import Instrument, Item, ItemType


def answers_of_row(
    instrument: Instrument, codes: list[str], row: int = 0
) -> tuple[dict[str, Value], list[TableProblem]]:
    """One respondent's answers and the problems of their cells (row 0: typed, not a file)."""
    problems = []
    if len(codes) > len(instrument.items):
        message = f"{len(codes)} answers for {len(instrument.items)} items"
        problems.append(TableProblem(row, "", message))
    answers: dict[str, Value] = {}
    for item, raw in zip(instrument.items, codes, strict=False):
        if not raw.strip():
            continue
        try:
            answers[item.id] = check_answer(instrument, item, raw.strip())
        except AnswerError as exc:
            problems.append(TableProblem(row, item.id, accepted(instrument, item, raw, exc)))
    return answers, problems


def answers_of_table(instrument: Instrument, rows: list[list[str]]) -> list[dict[str, Value]]:
    """Each non-empty row's answers; TableError names every bad cell by row and item.

    A first row of item ids (q1, q2, …) is a header and is skipped.
    """
    ids = {item.id for item in instrument.items}
    header = bool(rows) and {cell.strip() for cell in rows[0] if cell.strip()} <= ids
    respondents, problems = [], []
    for number, row in enumerate(rows[1:] if header else rows, start=2 if header else 1):
        if not any(cell.strip() for cell in row):
            continue
        answers, found = answers_of_row(instrument, row, number)
        respondents.append(answers)
        problems += found
    if not respondents and not problems:
        problems.append(TableProblem.file("no answers in the file"))
    if problems:
        raise TableError(problems)
    return respondents


def accepted(instrument: Instrument, item: Item, raw: str, exc: AnswerError) -> str:
    """What was wrong with `raw` and what the item accepts instead."""
    if exc.code == "answer_too_long":
        return f"longer than {exc.details['limit']} characters"
    if item.type == ItemType.CHOICE and item.answers:
        codes = len(instrument.answer_scales[item.answers].options)
        return f"{raw!r} is not an answer code: expected 1 to {codes}, or empty (unanswered)"
    whole = "a whole number" if item.type == ItemType.RATING else "a number"
    return f"{raw!r} is not {whole} from {item.minimum:g} to {item.maximum:g}"
