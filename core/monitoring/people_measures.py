"""Indicators over registered teachers: coverage, young teachers, mentoring, communities."""

import pandas as pd

from core.monitoring.cells import Context, Counts, Scope, id_list, share_counts, sums
from core.monitoring.periods import school_year
from core.monitoring.population import headcount_denominators, teachers
from core.monitoring.window import Window

DEFICITS = "deficits"
UNIT_COLUMNS = ["school_id", "subject_ids", "num", "den"]


def _units(population: pd.DataFrame, num: pd.Series, den: pd.Series | None = None) -> pd.DataFrame:
    """One unit per teacher: num where `num` holds (and `den`), den where `den` holds (or 1)."""
    base = den if den is not None else pd.Series(True, index=population.index)
    return population.assign(num=(num & base).astype(int), den=base.astype(int))[UNIT_COLUMNS]


def _over_headcount(
    ctx: Context, units: pd.DataFrame, population: pd.DataFrame
) -> dict[Scope, Counts]:
    numerators = sums(units, ctx, ("num",))
    return {
        scope: Counts(numerators[scope][0], den, den, source)
        for scope, (den, source) in headcount_denominators(ctx).items()
    }


def _over_registered(ctx: Context, units: pd.DataFrame) -> dict[Scope, Counts]:
    return share_counts(sums(units, ctx, ("num", "den")), "registered")


def _young(population: pd.DataFrame) -> pd.Series:
    return population["young"].fillna(False).astype(bool)


def diag_coverage(ctx: Context) -> dict[Scope, Counts]:
    """Teachers with a deficit self-assessment since 1 September, of all teachers; an
    anonymous completion counts once, in its school and subjects."""
    population = teachers(ctx)
    # the school year of the window's last counted day; of its first when none is counted
    # yet (a period starting today), so 1 September never counts the year before
    day = max(ctx.window.start, ctx.window.last_day)
    year = Window(ctx.window.zone, school_year(day).start, ctx.window.end)
    responses = ctx.facts.responses
    done = responses[
        (responses["instrument"] == DEFICITS) & year.inside(responses["completed_at"])
    ]
    assessed = population["person_id"].isin(set(id_list(done["person_id"])))
    anonymous = done[done["person_id"].isna()].assign(num=1, den=0)[UNIT_COLUMNS]
    units = pd.concat([_units(population, assessed), anonymous], ignore_index=True)
    return _over_headcount(ctx, units, population)


def young_share(ctx: Context) -> dict[Scope, Counts]:
    """Young registered teachers, of all registered teachers."""
    population = teachers(ctx)
    return _over_registered(ctx, _units(population, _young(population)))


def young_in_events(ctx: Context) -> dict[Scope, Counts]:
    """Young teachers who attended a seminar held in the window, of all young teachers."""
    population = teachers(ctx)
    seminars = ctx.facts.seminars
    held = set(id_list(seminars[ctx.window.inside(seminars["starts_at"])]["seminar_id"]))
    attendance = ctx.facts.attendance
    came = attendance[attendance["seminar_id"].isin(held) & attendance["attended"].astype(bool)]
    attended = population["person_id"].isin(set(id_list(came["person_id"])))
    return _over_registered(ctx, _units(population, attended, _young(population)))


def _paired(ctx: Context, column: str) -> set[int]:
    """People in a mentoring pair active on the window's last day, in the role `column`."""
    pairs = ctx.facts.mentoring
    started = ctx.window.by_end(pairs["started_at"])
    going_on = pairs["ended_at"].isna() | ctx.window.after_end(pairs["ended_at"])
    return set(id_list(pairs[started & going_on][column]))


def mentoring_share(ctx: Context) -> dict[Scope, Counts]:
    """Teachers in an active pair (mentor or mentee), of all teachers."""
    population = teachers(ctx)
    involved = _paired(ctx, "mentor_id") | _paired(ctx, "mentee_id")
    units = _units(population, population["person_id"].isin(involved))
    return _over_headcount(ctx, units, population)


def young_mentored(ctx: Context) -> dict[Scope, Counts]:
    """Young teachers with an active mentor, of all young teachers."""
    population = teachers(ctx)
    mentored = population["person_id"].isin(_paired(ctx, "mentee_id"))
    return _over_registered(ctx, _units(population, mentored, _young(population)))


def community_share(ctx: Context) -> dict[Scope, Counts]:
    """Teachers who belong to a methodical association or network community, of all."""
    population = teachers(ctx)
    member = population["community_member"].fillna(False).astype(bool)
    return _over_headcount(ctx, _units(population, member), population)
