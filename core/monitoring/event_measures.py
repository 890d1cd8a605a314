"""Indicators over seminars held and questionnaire campaigns."""

import numpy as np

from core.monitoring.cells import Context, Counts
from core.monitoring.grid import Scope
from core.monitoring.population import teachers
from core.monitoring.window import Window


def events_count(ctx: Context) -> dict[Scope, Counts]:
    """Seminars started in the window (a school's or subject's: those its teachers attended);
    n is the number of different people marked as attended."""
    events = ctx.prepared.events
    held = ctx.window.inside(events.starts)
    visits = events.attended & held[events.seminar]
    teacher = np.zeros(len(visits), dtype=bool)
    known = events.person >= 0
    teacher[known] = teachers(ctx)[events.person[known]]
    seminars = _distinct(ctx, teacher & visits, events.seminar)
    people = _distinct(ctx, teacher & visits, events.person)
    seminars[0] = int(np.count_nonzero(held))  # held even when nobody was marked as attended
    people[0] = len(np.unique(events.person_id[visits]))
    return {
        scope: Counts(count, 0, n, "none")
        for (scope, count), n in zip(
            ctx.pick(seminars).items(), ctx.pick(people).values(), strict=True
        )
    }


def _distinct(ctx: Context, visits: np.ndarray, unit: np.ndarray) -> list[int]:
    """Per scope of the municipality, how many different `unit` values the visits have
    there (a seminar counts once per school and per subject)."""
    events = ctx.prepared.events
    rows, scopes = events.cells
    kept = visits[rows]
    rows, scopes = rows[kept], scopes[kept]
    size = int(unit.max(initial=0)) + 1
    pairs = np.unique(scopes * size + unit[rows])
    found: list[int] = np.bincount(pairs // size, minlength=len(ctx.prepared.scopes.all)).tolist()
    return found


def response_rate(ctx: Context) -> dict[str | None, dict[Scope, Counts]]:
    """Per campaign whose deadline falls in the period: completed of invited."""
    campaigns = ctx.prepared.campaigns
    period = Window(ctx.window.zone, ctx.period.start, ctx.period.end)
    due = period.inside(campaigns.closes)
    result: dict[str | None, dict[Scope, Counts]] = {}
    for campaign in sorted(set(campaigns.ids[due].tolist())):
        rows = due & (campaigns.ids == campaign)
        totals = ctx.sums(campaigns.grid, rows, campaigns.completed, campaigns.invited)
        result[str(campaign)] = {
            scope: Counts(num, den, den, "invited") for scope, (num, den) in totals.items()
        }
    return result
