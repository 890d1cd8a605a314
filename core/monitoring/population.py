"""Registered teachers at a period's end, and denominators from the roster headcount."""

import pandas as pd

from core.monitoring.catalogue import ScopeType
from core.monitoring.cells import Context, Scope, id_list, sums
from core.monitoring.values import DenominatorSource

TEACHING_ROLES = frozenset({"teacher", "mentor"})


def teachers(ctx: Context) -> pd.DataFrame:
    """People with a teaching role registered by the end of the window: the people frame's
    columns, one row per person (the same frame for every indicator of the period)."""
    found: pd.DataFrame = ctx.once("teachers", lambda: _teachers(ctx))
    return found


def _teachers(ctx: Context) -> pd.DataFrame:
    people = ctx.facts.people
    registered = ctx.window.by_end(people["registered_at"])
    teaching = people["roles"].map(lambda roles: bool(TEACHING_ROLES & set(roles or ())))
    return people[registered & teaching].reset_index(drop=True)


def headcount_denominators(ctx: Context) -> dict[Scope, tuple[int, DenominatorSource]]:
    """Per scope: the roster headcount where a school (or school and subject) has one and it
    is not below the registered teachers there, otherwise the registered teachers; a total
    adds its schools, plus registered teachers without a school (of `teachers(ctx)`, so
    the result is shared by the indicators of the period)."""
    found: dict[Scope, tuple[int, DenominatorSource]] = ctx.once(
        ("headcount", ctx.indicator.breakdowns), lambda: _denominators(ctx, teachers(ctx))
    )
    return found


def _denominators(
    ctx: Context, population: pd.DataFrame
) -> dict[Scope, tuple[int, DenominatorSource]]:
    parts = _parts(ctx, population)
    result: dict[Scope, tuple[int, DenominatorSource]] = {}
    for scope in ctx.scopes():
        pieces = parts.get(scope, [])
        total = sum(count for count, _ in pieces)
        kinds = {source for count, source in pieces if count > 0}
        source: DenominatorSource = "mixed" if len(kinds) > 1 else next(iter(kinds), "registered")
        result[scope] = (total, source)
    return result


def _parts(
    ctx: Context, population: pd.DataFrame
) -> dict[Scope, list[tuple[int, DenominatorSource]]]:
    units = population.assign(one=1)
    registered = sums(units, ctx, ("one",))
    per_pair = _registered_pairs(population)
    rosters = _roster(ctx.facts.schools, ("school_id",))
    pair_rosters = _roster(ctx.facts.school_subjects, ("school_id", "subject_id"))
    municipality: Scope = (ScopeType.MUNICIPALITY, ctx.municipality_id)
    parts: dict[Scope, list[tuple[int, DenominatorSource]]] = {}
    for school in ctx.school_ids:
        piece = _piece(
            rosters.get((school,), 0), registered.get((ScopeType.SCHOOL, school), [0])[0]
        )
        parts[(ScopeType.SCHOOL, school)] = [piece]
        parts.setdefault(municipality, []).append(piece)
        for subject in ctx.subject_ids:
            pair = _piece(
                pair_rosters.get((school, subject), 0), per_pair.get((school, subject), 0)
            )
            parts.setdefault((ScopeType.SUBJECT, subject), []).append(pair)
    no_school = population[population["school_id"].isna()]
    parts.setdefault(municipality, []).append((len(no_school), "registered"))
    for subject, count in _subject_counts(no_school).items():
        parts.setdefault((ScopeType.SUBJECT, subject), []).append((count, "registered"))
    return parts


def _piece(roster: int, registered: int) -> tuple[int, DenominatorSource]:
    if roster > 0 and roster >= registered:
        return roster, "headcount"
    return registered, "registered"


def _roster(frame: pd.DataFrame, keys: tuple[str, ...]) -> dict[tuple[int, ...], int]:
    columns = [id_list(frame[k]) for k in keys]
    counts = [int(v) if pd.notna(v) else 0 for v in frame["headcount"]]
    return {tuple(key): count for *key, count in zip(*columns, counts, strict=True)}


def _registered_pairs(population: pd.DataFrame) -> dict[tuple[int, int], int]:
    """Registered teachers per (school, subject)."""
    pairs = population[["school_id", "subject_ids"]].dropna(subset=["school_id"])
    pairs = pairs.explode("subject_ids").dropna(subset=["subject_ids"])
    counts = pairs.astype("int64").groupby(["school_id", "subject_ids"]).size()
    schools, subjects = counts.index.get_level_values(0), counts.index.get_level_values(1)
    return {
        (int(school), int(subject)): int(n)
        for school, subject, n in zip(schools, subjects, counts, strict=True)
    }


def _subject_counts(people: pd.DataFrame) -> dict[int, int]:
    subjects = people["subject_ids"].explode().dropna().astype("int64")
    counts = subjects.value_counts()
    return {int(subject): int(n) for subject, n in zip(counts.index, counts, strict=True)}
