"""Indicators over seminars held and questionnaire campaigns."""

import pandas as pd

from core.monitoring.catalogue import ScopeType
from core.monitoring.cells import Context, Counts, Scope, id_list, no_subjects, sums
from core.monitoring.population import teachers


def events_count(ctx: Context) -> dict[Scope, Counts]:
    """Seminars started in the window (a school's or subject's: those its teachers attended);
    n is the number of different people marked as attended."""
    seminars = ctx.facts.seminars
    held = seminars[ctx.window.inside(seminars["starts_at"])]
    attendance = ctx.facts.attendance
    came = attendance[
        attendance["seminar_id"].isin(held["seminar_id"]) & attendance["attended"].astype(bool)
    ]
    who = teachers(ctx)[["person_id", "school_id", "subject_ids"]]
    visits = came.merge(who, on="person_id", how="left")
    events = _distinct(ctx, visits, "seminar_id")
    people = _distinct(ctx, visits, "person_id")
    municipality = (ScopeType.MUNICIPALITY, ctx.municipality_id)
    if municipality in events:
        events[municipality] = len(held)  # held even when nobody was marked as attended
    return {scope: Counts(events[scope], 0, people[scope], "none") for scope in events}


def _distinct(ctx: Context, visits: pd.DataFrame, unit: str) -> dict[Scope, int]:
    """Different `unit` values per scope (a seminar counts once per school and subject)."""
    found: dict[Scope, int] = {
        (ScopeType.MUNICIPALITY, ctx.municipality_id): visits[unit].nunique()
    }
    schools = visits.dropna(subset=["school_id"])
    subjects = visits.explode("subject_ids").dropna(subset=["subject_ids"])
    for frame, by, scope_type in (
        (schools, "school_id", ScopeType.SCHOOL),
        (subjects, "subject_ids", ScopeType.SUBJECT),
    ):
        counts = frame.assign(key=id_list(frame[by])).groupby("key")[unit].nunique()
        pairs = zip(counts.index.tolist(), counts.tolist(), strict=True)
        found.update({(scope_type, int(k)): int(v) for k, v in pairs})
    return {scope: found.get(scope, 0) for scope in ctx.scopes()}


def response_rate(ctx: Context) -> dict[str | None, dict[Scope, Counts]]:
    """Per campaign whose deadline falls in the period: completed of invited."""
    campaigns = ctx.facts.campaigns
    period = ctx.period
    due = campaigns[
        (ctx.window.local(campaigns["closes_at"]) >= pd.Timestamp(period.start))
        & (ctx.window.local(campaigns["closes_at"]) < pd.Timestamp(period.end))
    ]
    result: dict[str | None, dict[Scope, Counts]] = {}
    for campaign in sorted(set(id_list(due["campaign_id"]))):
        rows = due[due["campaign_id"] == campaign]
        units = rows.assign(subject_ids=no_subjects(rows))
        totals = sums(units, ctx, ("completed", "invited"))
        result[str(campaign)] = {
            scope: Counts(num, den, den, "invited") for scope, (num, den) in totals.items()
        }
    return result
