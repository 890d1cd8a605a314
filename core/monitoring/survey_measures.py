"""Indicators over completed questionnaires: deficits, routes, burnout, satisfaction, NPS.

A response counts through the demographics kept with it (school, subjects), so anonymous
answers count in aggregates without a person; of one person's confidential responses in a
period only the latest counts.
"""

import numpy as np
import pandas as pd

from core.monitoring.cells import Context, Counts, Scope, share_counts, sums

DEFICIT_BANDS = ("high", "medium")  # Р-201: below 81 % calls for a plan or a course
HIGH_RISK = "high"
SATISFIED_FROM = 4  # top-2 box of 1-5
PROMOTER_FROM = 9
DETRACTOR_UP_TO = 6


def completed(ctx: Context, instrument: str) -> pd.DataFrame:
    """Responses to `instrument` completed inside the window."""
    responses = ctx.facts.responses
    inside = (responses["instrument"] == instrument) & ctx.window.inside(responses["completed_at"])
    return responses[inside]


def latest_per_person(responses: pd.DataFrame) -> pd.DataFrame:
    """Each person's latest response, and every anonymous one."""
    ordered = responses.sort_values(["completed_at", "response_id"])
    known = ordered[ordered["person_id"].notna()].drop_duplicates("person_id", keep="last")
    return pd.concat([known, ordered[ordered["person_id"].isna()]], ignore_index=True)


def _deficit_areas(ctx: Context, responses: pd.DataFrame) -> pd.DataFrame:
    """One row per response and area: response_id, area, deficit (bool)."""
    bands = ctx.facts.deficit_bands
    bands = bands[bands["response_id"].isin(responses["response_id"])]
    return bands.assign(deficit=bands["band"].isin(DEFICIT_BANDS))[
        ["response_id", "area", "deficit"]
    ]


def deficit_by_area(ctx: Context) -> dict[str | None, dict[Scope, Counts]]:
    """Per area: respondents with a high or medium deficit there, of all respondents."""
    responses = latest_per_person(completed(ctx, "deficits"))
    areas: list[str] = ctx.once(
        "areas", lambda: sorted(ctx.facts.deficit_bands["area"].astype(str).unique())
    )
    flagged = _deficit_areas(ctx, responses)
    flagged = flagged[flagged["deficit"]]
    table = np.zeros((len(responses), len(areas)), dtype="int64")
    rows = pd.Index(responses["response_id"]).get_indexer(flagged["response_id"])
    table[rows, pd.Index(areas).get_indexer(pd.Index(flagged["area"].astype(str)))] = 1
    units = responses[["school_id", "subject_ids"]].assign(den=1)
    units[areas] = table
    totals = sums(units, ctx, ("den", *areas))
    return {
        area: share_counts({scope: [t[i], t[0]] for scope, t in totals.items()}, "respondents")
        for i, area in enumerate(areas, start=1)
    }


def route_share(ctx: Context) -> dict[Scope, Counts]:
    """Confidential respondents with a deficit who opened their route after the assessment."""
    responses = latest_per_person(completed(ctx, "deficits"))
    responses = responses[responses["person_id"].notna()]
    areas = _deficit_areas(ctx, responses)
    with_deficit = responses[responses["response_id"].isin(areas[areas["deficit"]]["response_id"])]
    routes = ctx.facts.routes[ctx.window.by_end(ctx.facts.routes["built_at"])]
    joined = with_deficit.merge(routes, on="person_id", how="left")
    after = pd.to_datetime(joined["built_at"], utc=True) >= pd.to_datetime(
        joined["completed_at"], utc=True
    )
    built = set(joined[after.fillna(False)]["response_id"])
    units = with_deficit.assign(num=with_deficit["response_id"].isin(built).astype(int), den=1)
    return share_counts(sums(units, ctx, ("num", "den")), "respondents")


def burnout_high_risk(ctx: Context) -> dict[Scope, Counts]:
    """Respondents whose overall CBI band is high, of all scored respondents."""
    responses = latest_per_person(completed(ctx, "cbi"))
    scored = responses[responses["overall_band"].notna()]
    units = scored.assign(num=(scored["overall_band"] == HIGH_RISK).astype(int), den=1)
    return share_counts(sums(units, ctx, ("num", "den")), "respondents")


def _feedback(ctx: Context) -> pd.DataFrame:
    responses = completed(ctx, "seminar_feedback")
    return responses.merge(ctx.facts.feedback, on="response_id", how="inner")


def satisfaction(ctx: Context) -> dict[Scope, Counts]:
    """Answers rating overall satisfaction 4 or 5, of all answers to that item."""
    answers = _feedback(ctx)
    answers = answers[answers["satisfaction"].notna()]
    satisfied = pd.to_numeric(answers["satisfaction"]) >= SATISFIED_FROM
    units = answers.assign(num=satisfied.astype(int), den=1)
    return share_counts(sums(units, ctx, ("num", "den")), "respondents")


def nps(ctx: Context) -> dict[Scope, Counts]:
    """Promoters minus detractors (the numerator), of all answers to the 0-10 item."""
    answers = _feedback(ctx)
    answers = answers[answers["recommend"].notna()]
    score = pd.to_numeric(answers["recommend"])
    net = (score >= PROMOTER_FROM).astype(int) - (score <= DETRACTOR_UP_TO).astype(int)
    units = answers.assign(num=net, den=1)
    return share_counts(sums(units, ctx, ("num", "den")), "respondents")
