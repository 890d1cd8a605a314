"""Indicators over completed questionnaires: deficits, routes, burnout, satisfaction, NPS.

A response counts through the demographics kept with it (school, subjects), so anonymous
answers count in aggregates without a person; of one person's confidential responses in a
period only the latest counts.
"""

import numpy as np

from core.monitoring.cells import Context, Counts, share_counts
from core.monitoring.grid import Scope

SATISFIED_FROM = 4  # top-2 box of 1-5
PROMOTER_FROM = 9
DETRACTOR_UP_TO = 6


def completed(ctx: Context, instrument: str) -> np.ndarray:
    """Which responses to `instrument` were completed inside the window."""
    responses = ctx.prepared.responses
    found: np.ndarray = ctx.once(
        ("completed", instrument),
        lambda: (responses.instrument == instrument) & ctx.window.inside(responses.completed),
    )
    return found


def _latest(ctx: Context, instrument: str) -> np.ndarray:
    found: np.ndarray = ctx.once(
        ("latest", instrument),
        lambda: ctx.prepared.responses.latest(completed(ctx, instrument)),
    )
    return found


def _ones(length: int) -> np.ndarray:
    return np.ones(length, dtype=bool)


def deficit_by_area(ctx: Context) -> dict[str | None, dict[Scope, Counts]]:
    """Per area: respondents with a high or medium deficit there, of all respondents."""
    responses = ctx.prepared.responses
    latest = _latest(ctx, "deficits")
    areas = responses.areas
    totals = ctx.sums(
        responses.grid,
        latest,
        _ones(len(latest)),
        *(responses.deficits[:, i] for i in range(len(areas))),
    )
    return {
        area: share_counts({scope: [t[i], t[0]] for scope, t in totals.items()}, "respondents")
        for i, area in enumerate(areas, start=1)
    }


def route_share(ctx: Context) -> dict[Scope, Counts]:
    """Confidential respondents with a deficit who opened their route after the assessment,
    of all confidential respondents (with a deficit only, the denominator alone would be a
    count of people with a deficit, published as an ordinary share)."""
    responses, routes = ctx.prepared.responses, ctx.prepared.routes
    assessed = _latest(ctx, "deficits") & (responses.person >= 0)
    with_deficit = assessed & responses.deficits.any(axis=1)
    built = ctx.window.by_end(routes.built)
    last = np.full(routes.count, np.iinfo("int64").min, dtype="int64")
    np.maximum.at(last, routes.person[built], routes.built_utc[built])
    after = with_deficit.copy()
    rows = np.flatnonzero(with_deficit)
    after[rows] = last[routes.of_response[rows]] >= responses.completed_utc[rows]
    totals = ctx.sums(responses.grid, assessed, after, _ones(len(after)))
    return share_counts(totals, "respondents")


def burnout_high_risk(ctx: Context) -> dict[Scope, Counts]:
    """Respondents whose overall CBI band is high, of all scored respondents."""
    responses = ctx.prepared.responses
    scored = _latest(ctx, "cbi") & responses.scored
    totals = ctx.sums(responses.grid, scored, responses.high, _ones(len(scored)))
    return share_counts(totals, "respondents")


def _feedback(ctx: Context, answered: np.ndarray) -> np.ndarray:
    """Which feedback answers count: to a questionnaire completed in the window, answered."""
    found: np.ndarray = completed(ctx, "seminar_feedback")[ctx.prepared.feedback.response]
    counted: np.ndarray = found & answered
    return counted


def satisfaction(ctx: Context) -> dict[Scope, Counts]:
    """Answers rating overall satisfaction 4 or 5, of all answers to that item."""
    feedback = ctx.prepared.feedback
    score = feedback.satisfaction
    counted = _feedback(ctx, ~np.isnan(score))
    satisfied = np.nan_to_num(score) >= SATISFIED_FROM
    totals = ctx.sums(feedback.grid, counted, satisfied, _ones(len(score)))
    return share_counts(totals, "respondents")


def nps(ctx: Context) -> dict[Scope, Counts]:
    """Promoters minus detractors (the numerator), of all answers to the 0-10 item."""
    feedback = ctx.prepared.feedback
    score = feedback.recommend
    counted = _feedback(ctx, ~np.isnan(score))
    known = np.nan_to_num(score)  # unanswered rows are not counted
    net = (known >= PROMOTER_FROM).astype("int64") - (known <= DETRACTOR_UP_TO).astype("int64")
    totals = ctx.sums(feedback.grid, counted, net, _ones(len(score)))
    return share_counts(totals, "respondents")
