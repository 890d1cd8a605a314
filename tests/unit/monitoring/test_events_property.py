"""events_count against its definition read plainly, on random seminars and attendance.

A municipality counts the seminars held in the period and n = the different people marked as
attended; a school or a subject counts the seminars its teachers (a teaching role,
registered by the period's end) attended, and n = those teachers.
"""

from datetime import date, datetime
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from core.monitoring.catalogue import ScopeType, load_catalogue
from core.monitoring.compute import Request, compute
from core.monitoring.periods import month
from tests.unit.monitoring.build import facts, person, utc

SCHOOLS, SUBJECTS = (10, 11), (5, 6)
NOVEMBER = month(date(2026, 11, 1))
CATALOGUE = load_catalogue()
DAYS = (utc(2026, 10, 30), utc(2026, 11, 3), utc(2026, 11, 20), utc(2026, 12, 2))

people = st.lists(
    st.tuples(
        st.sampled_from((*SCHOOLS, None)),
        st.lists(st.sampled_from(SUBJECTS), max_size=2, unique=True),
        st.sampled_from((["teacher"], ["methodist"])),
        st.sampled_from((utc(2026, 9, 1), utc(2026, 12, 5))),  # the second: after November
    ),
    min_size=1,
    max_size=8,
)
seminars = st.lists(st.sampled_from(DAYS), max_size=5)
visits = st.lists(st.tuples(st.integers(0, 4), st.integers(1, 10), st.booleans()), max_size=20)


def expected(
    who: list[tuple[Any, list[int], list[str], datetime]],
    starts: list[datetime],
    came: list[tuple[int, int, bool]],
) -> dict[tuple[ScopeType, int], tuple[float, int]]:
    held = {i for i, at in enumerate(starts) if at.month == 11}
    seen = {(s, p) for s, p, attended in came if attended and s in held}
    teacher = {
        i: (school, subjects)
        for i, (school, subjects, roles, registered) in enumerate(who, start=1)
        if roles == ["teacher"] and registered.month != 12
    }
    found = {(ScopeType.MUNICIPALITY, 1): (float(len(held)), len({p for _, p in seen}))}

    def cell(member: Any) -> tuple[float, int]:
        mine = {(s, p) for s, p in seen if p in teacher and member(*teacher[p])}
        return float(len({s for s, _ in mine})), len({p for _, p in mine})

    found |= {(ScopeType.SCHOOL, k): cell(lambda s, _, k=k: s == k) for k in SCHOOLS}
    named = sorted({j for _, subjects, _, _ in who for j in subjects})
    found |= {(ScopeType.SUBJECT, j): cell(lambda _, js, j=j: j in js) for j in named}
    return found


@settings(max_examples=150, deadline=None)
@given(people, seminars, visits)
def test_events_count_follows_its_definition(
    who: list[tuple[Any, list[int], list[str], datetime]],
    starts: list[datetime],
    came: list[tuple[int, int, bool]],
) -> None:
    unique = {(s, p): a for s, p, a in came if s < len(starts)}  # one registration each
    came = [(s, p, a) for (s, p), a in unique.items()]
    data = facts(
        schools=[{"school_id": s, "municipality_id": 1, "headcount": 0} for s in SCHOOLS],
        people=[person(i, school, subject_ids=subjects, roles=roles, registered_at=at)
                for i, (school, subjects, roles, at) in enumerate(who, start=1)],
        seminars=[{"seminar_id": 100 + i, "municipality_id": 1, "kind": "seminar",
                   "starts_at": at} for i, at in enumerate(starts)],
        attendance=[{"seminar_id": 100 + s, "person_id": p, "attended": a} for s, p, a in came],
    )  # fmt: skip
    request = Request(1, (NOVEMBER,), utc(2026, 12, 10), ("events_count",))
    values = compute(data, CATALOGUE, request)
    found = {(v.scope_type, v.scope_id): (v.value, v.n) for v in values}
    assert found == expected(who, starts, came)
