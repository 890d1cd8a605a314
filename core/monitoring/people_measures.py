"""Indicators over registered teachers: coverage, young teachers, mentoring, communities."""

import numpy as np

from core.monitoring.cells import Context, Counts, share_counts
from core.monitoring.grid import Scope
from core.monitoring.periods import school_year
from core.monitoring.population import headcount_denominators, teachers
from core.monitoring.window import Window

DEFICITS = "deficits"


def _over_headcount(ctx: Context, numerators: dict[Scope, list[int]]) -> dict[Scope, Counts]:
    return {
        scope: Counts(numerators[scope][0], den, den, source)
        for scope, (den, source) in headcount_denominators(ctx).items()
    }


def _over_registered(
    ctx: Context, num: np.ndarray, den: np.ndarray | None = None
) -> dict[Scope, Counts]:
    """Teachers where `num` (and `den`) holds, of teachers where `den` holds (or all)."""
    mask = teachers(ctx) if den is None else teachers(ctx) & den
    ones = np.ones(len(mask), dtype=bool)
    totals = ctx.sums(ctx.prepared.people.grid, mask, num, ones)
    return share_counts(totals, "registered")


def _people(ctx: Context, rows: np.ndarray) -> np.ndarray:
    """A mask of the people at these rows (-1: someone else, left out)."""
    found = np.zeros(len(ctx.prepared.people.ids), dtype=bool)
    found[rows[rows >= 0]] = True
    return found


def diag_coverage(ctx: Context) -> dict[Scope, Counts]:
    """Teachers with a deficit self-assessment since 1 September, of all teachers; an
    anonymous completion counts once, in its school and subjects."""
    prepared = ctx.prepared
    responses = prepared.responses
    # the school year of the window's last counted day; of its first when none is counted
    # yet (a period starting today), so 1 September never counts the year before
    day = max(ctx.window.start, ctx.window.last_day)
    year = Window(ctx.window.zone, school_year(day).start, ctx.window.end)
    done = (responses.instrument == DEFICITS) & year.inside(responses.completed)
    assessed = _people(ctx, responses.person_row[done])
    known = ctx.sums(prepared.people.grid, teachers(ctx), assessed)
    anonymous = done & (responses.person < 0)
    unknown = ctx.sums(responses.grid, anonymous, anonymous)
    return _over_headcount(ctx, {s: [known[s][0] + unknown[s][0]] for s in known})


def young_share(ctx: Context) -> dict[Scope, Counts]:
    """Young registered teachers, of all registered teachers."""
    return _over_registered(ctx, ctx.prepared.people.young)


def young_in_events(ctx: Context) -> dict[Scope, Counts]:
    """Young teachers who attended a seminar held in the window, of all young teachers."""
    events = ctx.prepared.events
    held = ctx.window.inside(events.starts)
    came = events.attended & held[events.seminar]
    young = ctx.prepared.people.young
    return _over_registered(ctx, _people(ctx, events.person[came]) & young, young)


def _paired(ctx: Context, role: str) -> np.ndarray:
    """People in a mentoring pair active on the window's last day, in the role `role`."""
    pairs = ctx.prepared.mentoring
    started = ctx.window.by_end(pairs.started)
    going_on = np.isnat(pairs.ended) | ctx.window.after_end(pairs.ended)
    rows = pairs.mentor if role == "mentor" else pairs.mentee
    return _people(ctx, rows[started & going_on])


def mentoring_share(ctx: Context) -> dict[Scope, Counts]:
    """Teachers in an active pair (mentor or mentee), of all teachers."""
    involved = _paired(ctx, "mentor") | _paired(ctx, "mentee")
    return _over_headcount(ctx, ctx.sums(ctx.prepared.people.grid, teachers(ctx), involved))


def young_mentored(ctx: Context) -> dict[Scope, Counts]:
    """Young teachers with an active mentor, of all young teachers."""
    young = ctx.prepared.people.young
    return _over_registered(ctx, _paired(ctx, "mentee") & young, young)


def community_share(ctx: Context) -> dict[Scope, Counts]:
    """Teachers who belong to a methodical association or network community, of all."""
    people = ctx.prepared.people
    return _over_headcount(ctx, ctx.sums(people.grid, teachers(ctx), people.community))
