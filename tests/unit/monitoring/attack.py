"""An attacker for the disclosure tests, written apart from core.monitoring.relations.

It knows the published numbers and the relations a reader of the publication knows (a total is
the sum of its parts; a school year is the sum of its weeks) and solves for hidden numbers with
exact fractions. `determined` names the hidden cells whose numerator (or denominator) follows
exactly; `alternative` builds a second set of hidden numbers that fits every published number
and every relation but differs in one cell, so the published table cannot tell the two apart.
"""

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from fractions import Fraction
from itertools import product

from core.monitoring.catalogue import ScopeType
from core.monitoring.disclosure import ShownValue
from core.monitoring.periods import Period, school_year, week
from core.monitoring.values import CellKey, IndicatorValue

MUN, SCHOOL, SUBJECT = ScopeType.MUNICIPALITY, ScopeType.SCHOOL, ScopeType.SUBJECT
WEEKS = tuple(week(date(2026, 10, 26) + timedelta(days=7 * i)) for i in range(4))  # W44-W47
W1, W2 = WEEKS[2], WEEKS[3]
YEAR = school_year(date(2026, 11, 16))
TODAY_END = date(2026, 11, 23)


def value(
    indicator: str, period: Period, scope: tuple[ScopeType, int], num: int, den: int
) -> IndicatorValue:
    return IndicatorValue(
        indicator=indicator,
        period=period,
        scope_type=scope[0],
        scope_id=scope[1],
        numerator=num,
        denominator=den,
        value=100 * num / den if den else None,
        n=den,
        denominator_source="respondents",
        until=min(period.end, TODAY_END),
    )


@dataclass(frozen=True)
class Person:
    week: int  # 0 for W1, 1 for W2 (or an index into the weeks given to `table`)
    school: int
    subject: int
    flag: bool  # in the numerator


def table(
    indicator: str, people: Sequence[Person], weeks: Sequence[Period] = (W1, W2)
) -> tuple[IndicatorValue, ...]:
    """The weeks and the school year for the municipality, each school and each subject."""
    schools = sorted({p.school for p in people})
    subjects = sorted({p.subject for p in people})
    values = []
    periods = [(w, {i}) for i, w in enumerate(weeks)] + [(YEAR, set(range(len(weeks))))]
    for period, indices in periods:
        here = [p for p in people if p.week in indices]
        groups = [((MUN, 1), here)]
        groups += [((SCHOOL, s), [p for p in here if p.school == s]) for s in schools]
        groups += [((SUBJECT, s), [p for p in here if p.subject == s]) for s in subjects]
        for scope, members in groups:
            flagged = sum(p.flag for p in members)
            values.append(value(indicator, period, scope, flagged, len(members)))
    return tuple(values)


def known_relations(cells: Sequence[CellKey]) -> list[tuple[CellKey, list[CellKey]]]:
    """What a reader knows: total = schools, total = subjects, year = its weeks."""
    found = []
    for period in {c.period for c in cells}:
        here = [c for c in cells if c.period == period]
        total = next(c for c in here if c.scope_type is MUN)
        for kind in (SCHOOL, SUBJECT):
            found.append((total, [c for c in here if c.scope_type is kind]))
    for scope in {(c.scope_type, c.scope_id) for c in cells}:
        series = {c.period: c for c in cells if (c.scope_type, c.scope_id) == scope}
        if YEAR in series:
            found.append((series[YEAR], [c for p, c in series.items() if p != YEAR]))
    return found


def _system(shown: Sequence[ShownValue], field: str) -> tuple[list[CellKey], list[list[Fraction]]]:
    """Rows [coefficients of hidden cells..., constant] for each known relation."""
    published = {s.cell: getattr(s, field) for s in shown}
    hidden = sorted((c for c, v in published.items() if v is None), key=str)
    index = {c: i for i, c in enumerate(hidden)}
    rows = []
    for parent, children in known_relations(list(published)):
        row = [Fraction(0)] * (len(hidden) + 1)
        for sign, cell in [(1, parent), *((-1, c) for c in children)]:
            if cell in index:
                row[index[cell]] += sign
            else:
                row[-1] -= sign * published[cell]
        rows.append(row)
    return hidden, rows


def _reduce(rows: list[list[Fraction]], width: int) -> list[list[Fraction]]:
    """Reduced row echelon form over the first `width` columns."""
    rows = [r[:] for r in rows]
    lead = 0
    for column in range(width):
        pivot = next((i for i in range(lead, len(rows)) if rows[i][column] != 0), None)
        if pivot is None:
            continue
        rows[lead], rows[pivot] = rows[pivot], rows[lead]
        rows[lead] = [x / rows[lead][column] for x in rows[lead]]
        for i, row in enumerate(rows):
            if i != lead and row[column] != 0:
                rows[i] = [a - row[column] * b for a, b in zip(row, rows[lead], strict=True)]
        lead += 1
    return rows[:lead]


def determined(shown: Sequence[ShownValue], field: str) -> dict[CellKey, Fraction]:
    """Hidden cells whose `field` ("numerator" or "denominator") the relations pin down."""
    hidden, rows = _system(shown, field)
    found = {}
    for row in _reduce(rows, len(hidden)):
        nonzero = [i for i in range(len(hidden)) if row[i] != 0]
        if len(nonzero) == 1:
            found[hidden[nonzero[0]]] = row[-1]
    return found


def _cells_of(person: Person, indicator: str, weeks: Sequence[Period]) -> set[CellKey]:
    scopes = [(MUN, 1), (SCHOOL, person.school), (SUBJECT, person.subject)]
    return {
        CellKey(indicator, None, period, scope_type, scope_id)
        for period in (weeks[person.week], YEAR)
        for scope_type, scope_id in scopes
    }


Group = tuple[int, int, int]  # week, school, subject


def alternative(
    shown: Sequence[ShownValue],
    people: Sequence[Person],
    target: CellKey,
    weeks: Sequence[Period] = (W1, W2),
) -> tuple[Person, ...] | None:
    """Other people, published exactly as these are, with a different numerator in `target`:
    flags turned over in up to four groups (same week, school and subject) so that every
    published cell that changes is hidden. None if the search finds no such change."""
    hidden = {s.cell for s in shown if s.hidden}
    published = {s.cell for s in shown}
    groups = {(p.week, p.school, p.subject) for p in people}
    flags = {g: [p.flag for p in people if (p.week, p.school, p.subject) == g] for g in groups}
    cells = {g: _cells_of(Person(*g, False), target.indicator, weeks) & published for g in groups}

    def search(moves: dict[Group, int], depth: int) -> dict[Group, int] | None:
        change: Counter[CellKey] = Counter()
        for group, sign in moves.items():
            change.update(dict.fromkeys(cells[group], sign))
        shown_changes = [c for c, v in change.items() if v and c not in hidden]
        if not shown_changes:
            return moves if change[target] else None
        need = -1 if change[shown_changes[0]] > 0 else 1
        for group in sorted(g for g in groups if shown_changes[0] in cells[g]):
            if depth and group not in moves and need in _turns(flags[group]):
                found = search({**moves, group: need}, depth - 1)
                if found:
                    return found
        return None

    for group in sorted(g for g in groups if target in cells[g]):
        for sign in _turns(flags[group]):
            found = search({group: sign}, 3)
            if found:
                return _turned(people, found)
    return None


def _turns(flags: list[bool]) -> list[int]:
    """+1 if someone unflagged can be flagged, -1 if someone flagged can be unflagged."""
    return [sign for sign, able in ((1, not all(flags)), (-1, any(flags))) if able]


def _turned(people: Sequence[Person], moves: dict[Group, int]) -> tuple[Person, ...]:
    left = dict(moves)
    result = []
    for p in people:
        group = (p.week, p.school, p.subject)
        if left.get(group) == (1 if not p.flag else -1):
            del left[group]
            p = Person(p.week, p.school, p.subject, not p.flag)
        result.append(p)
    return tuple(result)


def possible_numerators(
    shown: Sequence[ShownValue], truth: Sequence[IndicatorValue], limit: int = 200_000
) -> dict[CellKey, set[int]] | None:
    """Every numerator each hidden cell can have, over all whole-number tables that match
    every published number and relation, each hidden numerator within 0..its denominator
    (denominators taken as known). None when there are more than `limit` cases to try."""
    hidden, rows = _system(shown, "numerator")
    real = {v.cell: v for v in truth}
    top = [real[c].denominator or 0 for c in hidden]
    pivots = {next(i for i, x in enumerate(r) if x != 0): r for r in _reduce(rows, len(hidden))}
    free = [i for i in range(len(hidden)) if i not in pivots]
    cases = 1
    for i in free:
        cases *= top[i] + 1
    if cases > limit:
        return None
    seen: dict[CellKey, set[int]] = {c: set() for c in hidden}
    for choice in product(*(range(top[i] + 1) for i in free)):
        x = dict(zip(free, (Fraction(v) for v in choice), strict=True))
        for column, row in pivots.items():
            x[column] = row[-1] - sum(row[f] * x[f] for f in free)
        if all(v.denominator == 1 and 0 <= v <= top[i] for i, v in x.items()):
            for i, v in x.items():
                seen[hidden[i]].add(int(v))
    return seen
