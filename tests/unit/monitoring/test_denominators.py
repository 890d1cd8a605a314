"""Denominators from the roster headcount, against the rule read plainly, on random schools.

The rule (core.monitoring.population): per school, or per school and subject, the roster's
headcount where there is one and it is not below the registered teachers there, otherwise
the registered teachers; a municipality or a subject adds its schools' parts, plus the
registered teachers without a school. Its source is "headcount" or "registered" when every
part that counts someone is of that kind, "mixed" when both are.
"""

from collections import Counter
from datetime import date
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from core.monitoring.catalogue import ScopeType, load_catalogue
from core.monitoring.compute import Request, compute
from core.monitoring.periods import month
from tests.unit.monitoring.build import facts, person, utc

SCHOOLS, SUBJECTS = (10, 11, 12), (5, 6, 7)
CATALOGUE = load_catalogue()

OTHER_SCHOOL = 99  # not one of the municipality's schools: counted in no part
teachers = st.lists(
    st.tuples(
        st.sampled_from((*SCHOOLS, None, OTHER_SCHOOL)),
        st.lists(st.sampled_from(SUBJECTS), max_size=2, unique=True),
        st.sampled_from((["teacher"], ["mentor"], ["methodist"])),
        st.booleans(),  # registered after November: not counted
    ),
    max_size=25,
)
rosters = st.dictionaries(st.sampled_from(SCHOOLS), st.integers(0, 6))
pair_rosters = st.dictionaries(
    st.tuples(st.sampled_from(SCHOOLS), st.sampled_from(SUBJECTS)), st.integers(0, 4)
)


def expected(
    people: list[tuple[Any, list[int], list[str], bool]],
    roster: dict[int, int],
    pairs: dict[tuple[int, int], int],
) -> dict[tuple[ScopeType, int], tuple[int, str]]:
    teaching = [(s, subjects) for s, subjects, roles, late in people
                if roles != ["methodist"] and not late]  # fmt: skip
    by_school = Counter(s for s, _ in teaching if s in SCHOOLS)
    by_pair = Counter((s, j) for s, subjects in teaching if s in SCHOOLS for j in subjects)
    alone = Counter(j for s, subjects in teaching if s is None for j in subjects)

    def part(roster_count: int, registered: int) -> tuple[int, str]:
        if roster_count > 0 and roster_count >= registered:
            return roster_count, "headcount"
        return registered, "registered"

    def total(parts: list[tuple[int, str]]) -> tuple[int, str]:
        kinds = {kind for count, kind in parts if count > 0}
        kind = "mixed" if len(kinds) > 1 else next(iter(kinds), "registered")
        return sum(count for count, _ in parts), kind

    schools = {s: part(roster.get(s, 0), by_school[s]) for s in SCHOOLS}
    without = sum(1 for s, _ in teaching if s is None)
    found = {(ScopeType.MUNICIPALITY, 1): total([*schools.values(), (without, "registered")])}
    found |= {(ScopeType.SCHOOL, s): schools[s] for s in SCHOOLS}
    named = {j for _, j in pairs} | {j for _, subjects, _, _ in people for j in subjects}
    for j in sorted(named):  # a subject is a cell once the roster or a person names it
        parts = [part(pairs.get((s, j), 0), by_pair[(s, j)]) for s in SCHOOLS]
        found[(ScopeType.SUBJECT, j)] = total([*parts, (alone[j], "registered")])
    return found


@settings(max_examples=150, deadline=None)
@given(teachers, rosters, pair_rosters)
def test_headcount_denominators_follow_the_rule(
    people: list[tuple[Any, list[int], list[str], bool]],
    roster: dict[int, int],
    pairs: dict[tuple[int, int], int],
) -> None:
    data = facts(
        schools=[{"school_id": s, "municipality_id": 1, "headcount": roster.get(s, 0)}
                 for s in SCHOOLS],
        school_subjects=[{"school_id": s, "subject_id": j, "headcount": n}
                         for (s, j), n in pairs.items()],
        people=[person(i, school, subject_ids=subjects, roles=roles,
                       registered_at=utc(2026, 12, 2) if late else utc(2026, 9, 1))
                for i, (school, subjects, roles, late) in enumerate(people, start=1)],
    )  # fmt: skip
    request = Request(1, (month(date(2026, 11, 1)),), utc(2026, 11, 30), ("community_share",))
    values = compute(data, CATALOGUE, request)
    found = {(v.scope_type, v.scope_id): (v.denominator, v.denominator_source) for v in values}
    wanted = expected(people, roster, pairs)
    assert found == wanted
