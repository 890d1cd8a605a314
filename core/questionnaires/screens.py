"""A questionnaire's item as a person sees it: the question, its answer buttons, navigation."""

from core.questionnaires.responses import Question
from core.screens import BLANK, Button, Screen, Text, text
from surveys.model import ItemType

RATING_ROW = 6


def question_screen(q: Question) -> Screen:
    """One item: the title and mode first, then "n / N", the text and the buttons."""
    lines: list[Text] = []
    if q.answered == 0:
        mode = Text("survey_mode_anonymous" if q.anonymous else "survey_mode_confidential")
        lines += [text("survey_title", title=q.instrument.title), mode, BLANK]
    lines += [
        text("survey_progress", number=q.number, total=q.total),
        BLANK,
        text("survey_question", text=q.item.text),
    ]
    if q.item.type == ItemType.NUMBER:
        low, high = f"{q.item.minimum:g}", f"{q.item.maximum:g}"
        lines.append(text("survey_type_number", low=low, high=high))
    elif q.item.type == ItemType.TEXT:
        lines.append(Text("survey_type_text"))
    return Screen(tuple(lines), tuple(row for row in (*_answers(q), _navigation(q)) if row))


def _answers(q: Question) -> list[tuple[Button, ...]]:
    """A button per option of a choice, rows of numbers for a rating; nothing for typing."""
    ref = (q.response_id, q.number - 1)
    if q.item.type == ItemType.CHOICE and q.item.answers is not None:
        return [
            (Button(option.label, "survey.answer", (*ref, option.code)),)
            for option in q.instrument.answer_scales[q.item.answers].options
        ]
    if q.item.type == ItemType.RATING and q.item.minimum is not None:
        assert q.item.maximum is not None
        values = [
            Button(str(v), "survey.answer", (*ref, v))
            for v in range(int(q.item.minimum), int(q.item.maximum) + 1)
        ]
        return [tuple(values[i : i + RATING_ROW]) for i in range(0, len(values), RATING_ROW)]
    return []


def _navigation(q: Question) -> tuple[Button, ...]:
    ref = (q.response_id, q.number - 1)
    back = (Button(Text("btn_prev"), "survey.back", ref),) if q.answered else ()
    skip = (Button(Text("btn_skip"), "survey.skip", ref),) if q.item.optional else ()
    return back + skip
