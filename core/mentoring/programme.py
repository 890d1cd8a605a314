"""The draft of a pair's personalised programme (pure: no database).

One goal per requested area, the mentee's most serious deficits first (high, medium, then
areas they asked about without a diagnosed deficit), and one for the request's own topic.
Each goal carries the Р-201 advice for its level and the local seminars tagged with it. The
programme ends with the school year (31 May), but lasts at least 3 and at most 12 months;
the goals fall due one after another across it.
"""

from calendar import monthrange
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from core.questionnaires.routes import ADVICE

SHORTEST, LONGEST = 3, 12  # months
YEAR_END = (5, 31)  # the school year's last day (month, day)
LEVELS = {"high": 0, "medium": 1, "minimal": 2}


@dataclass(frozen=True)
class GoalDraft:
    area: str | None  # None: the request's own topic
    advice: str | None  # plan | plan_or_course | informal, by the area's level
    seminar_ids: tuple[int, ...]
    due_on: date


@dataclass(frozen=True)
class ProgrammeDraft:
    ends_on: date
    goals: tuple[GoalDraft, ...]


def add_months(day: date, months: int) -> date:
    """The same day `months` later (the month's last day where it is shorter)."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return date(year, month, min(day.day, monthrange(year, month)[1]))


def programme_end(start: date) -> date:
    """The school year's end, within 3 to 12 months of the start."""
    year_end = date(start.year if start.month <= YEAR_END[0] else start.year + 1, *YEAR_END)
    return min(max(year_end, add_months(start, SHORTEST)), add_months(start, LONGEST))


def draft_programme(
    start: date,
    areas: Sequence[str],
    topic: str | None,
    bands: Mapping[str, str],
    seminars: Mapping[str, Sequence[int]],
) -> ProgrammeDraft:
    """The goals for `areas` (with the mentee's `bands` per area) and the topic, if any."""
    ordered = sorted(areas, key=lambda a: (LEVELS.get(bands.get(a, ""), 3), areas.index(a)))
    kinds: list[str | None] = [*ordered, *([None] if topic else [])]
    ends_on = programme_end(start)
    span = (ends_on - start).days
    goals = tuple(
        GoalDraft(
            area,
            ADVICE.get(bands.get(area, "")) if area else None,
            tuple(seminars.get(area, ())) if area else (),
            date.fromordinal(start.toordinal() + span * (i + 1) // len(kinds)),
        )
        for i, area in enumerate(kinds)
    )
    return ProgrammeDraft(ends_on, goals)
