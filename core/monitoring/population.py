"""Registered teachers at a period's end, and denominators from the roster headcount."""

import numpy as np

from core.monitoring.cells import Context
from core.monitoring.grid import NO_SCHOOL, Scope
from core.monitoring.prepared import Prepared
from core.monitoring.values import DenominatorSource

Denominator = tuple[int, DenominatorSource]


def teachers(ctx: Context) -> np.ndarray:
    """Which people have a teaching role and registered by the end of the window (the same
    mask for every indicator of the period)."""
    people = ctx.prepared.people
    found: np.ndarray = ctx.once(
        "teachers", lambda: ctx.window.by_end(people.registered) & people.teaching
    )
    return found


def headcount_denominators(ctx: Context) -> dict[Scope, Denominator]:
    """Per scope: the roster headcount where a school (or school and subject) has one and it
    is not below the registered teachers there, otherwise the registered teachers; a total
    adds its schools, plus registered teachers without a school."""
    found: list[Denominator] = ctx.once(
        "headcount", lambda: _denominators(ctx.prepared, teachers(ctx))
    )
    return ctx.pick(found)


def _denominators(prepared: Prepared, teacher: np.ndarray) -> list[Denominator]:
    """For every scope of the municipality, in order."""
    people, rosters = prepared.people, prepared.rosters
    schools, subjects = rosters.pairs.shape
    school = people.school
    registered = np.bincount(school[teacher & (school >= 0)], minlength=schools)
    rows, subject = people.subjects
    member = teacher[rows]
    placed = member & (school[rows] >= 0)
    pairs = np.zeros((schools, subjects), dtype="int64")
    np.add.at(pairs, (school[rows][placed], subject[placed]), 1)
    alone = member & (school[rows] == NO_SCHOOL)
    alone_by_subject = np.bincount(subject[alone], minlength=subjects)
    without_school = int(np.count_nonzero(teacher & (school == NO_SCHOOL)))
    school_value, school_roster = _pieces(rosters.schools, registered)
    pair_value, pair_roster = _pieces(rosters.pairs, pairs)
    found = [_total(school_value, school_roster, without_school)]
    found += [
        (int(v), "headcount" if r else "registered")
        for v, r in zip(school_value.tolist(), school_roster.tolist(), strict=True)
    ]
    found += [
        _total(pair_value[:, j], pair_roster[:, j], int(alone_by_subject[j]))
        for j in range(subjects)
    ]
    return found


def _pieces(roster: np.ndarray, registered: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each part's count, and whether it is the roster's."""
    use = (roster > 0) & (roster >= registered)
    return np.where(use, roster, registered), use


def _total(values: np.ndarray, roster: np.ndarray, registered_apart: int) -> Denominator:
    """A total of parts (and of registered teachers counted apart): "mixed" when parts of
    both kinds count someone."""
    headcount = bool(roster.any())
    registered = bool((values[~roster] > 0).any()) or registered_apart > 0
    source: DenominatorSource = "registered"
    if headcount:
        source = "mixed" if registered else "headcount"
    return int(values.sum()) + registered_apart, source
