"""Computing every catalogue indicator for one municipality and a set of periods."""

from collections.abc import Callable, Hashable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pandas as pd

from core.collector import collector_spared, spare_what_lives
from core.monitoring import event_measures, people_measures, survey_measures
from core.monitoring.catalogue import Catalogue
from core.monitoring.cells import Context, Counts, to_values
from core.monitoring.facts import Facts
from core.monitoring.grid import Scope, Scopes, ids
from core.monitoring.periods import Period, last_weeks, local_day, month, school_year
from core.monitoring.prepared import prepare
from core.monitoring.values import IndicatorValue
from core.monitoring.window import Window

Plain = Callable[[Context], dict[Scope, Counts]]
Faceted = Callable[[Context], dict[str | None, dict[Scope, Counts]]]

PLAIN: dict[str, Plain] = {
    "diag_coverage": people_measures.diag_coverage,
    "young_share": people_measures.young_share,
    "young_in_events": people_measures.young_in_events,
    "mentoring_share": people_measures.mentoring_share,
    "young_mentored": people_measures.young_mentored,
    "community_share": people_measures.community_share,
    "route_share": survey_measures.route_share,
    "burnout_high_risk": survey_measures.burnout_high_risk,
    "satisfaction": survey_measures.satisfaction,
    "nps": survey_measures.nps,
    "events_count": event_measures.events_count,
}
FACETED: dict[str, Faceted] = {
    "deficit_by_area": survey_measures.deficit_by_area,
    "response_rate": event_measures.response_rate,
}


@dataclass(frozen=True)
class Request:
    """What to compute: one municipality, the periods, and the moment `now` (UTC) that
    decides where running periods stop; `indicators` None means the whole catalogue."""

    municipality_id: int
    periods: tuple[Period, ...]
    now: datetime
    indicators: tuple[str, ...] | None = None


def standard_periods(today: date, weeks: int = 8) -> tuple[Period, ...]:
    """The last `weeks` ISO weeks, the current month and the school year to date."""
    return (*last_weeks(today, weeks), month(today), school_year(today))


def today_in(facts: Facts, municipality_id: int, now: datetime) -> date:
    """The local date of `now` in the municipality."""
    return local_day(now, ZoneInfo(facts.timezone(municipality_id)))


def compute(facts: Facts, catalogue: Catalogue, request: Request) -> tuple[IndicatorValue, ...]:
    """Every requested indicator, period and scope (municipality, each school, each subject
    the indicator supports); periods starting after today are skipped."""
    zone = facts.timezone(request.municipality_id)
    today = local_day(request.now, ZoneInfo(zone))
    local = narrow(facts, request.municipality_id)
    scopes = Scopes(
        request.municipality_id, tuple(sorted(ids(local.schools["school_id"]))), _subjects(local)
    )
    prepared = prepare(local, scopes, zone)
    keys = request.indicators if request.indicators is not None else catalogue.keys
    values: list[IndicatorValue] = []
    with collector_spared():  # tens of thousands of values, all kept
        for period in request.periods:
            if period.start > today:
                continue
            window = Window(zone, period.start, period.evaluated_until(today))
            shared: dict[Hashable, Any] = {}
            for key in keys:
                values += _measure(Context(prepared, catalogue[key], period, window, shared))
            spare_what_lives()
    return tuple(values)


def _measure(ctx: Context) -> list[IndicatorValue]:
    key = ctx.indicator.key
    if key in PLAIN:
        return to_values(ctx, PLAIN[key](ctx))
    if key in FACETED:
        return [
            value
            for facet, counts in FACETED[key](ctx).items()
            for value in to_values(ctx, counts, facet)
        ]
    raise KeyError(f"indicator {key} is in the catalogue but has no computation")


def _subjects(facts: Facts) -> tuple[int, ...]:
    found = set(ids(facts.school_subjects["subject_id"]))
    for column in (facts.people["subject_ids"], facts.responses["subject_ids"]):
        found.update(int(s) for subjects in column for s in (subjects or ()))
    return tuple(sorted(found))


def narrow(facts: Facts, municipality_id: int) -> Facts:
    """The facts of one municipality."""

    def mine(frame: pd.DataFrame) -> pd.DataFrame:
        return frame[frame["municipality_id"] == municipality_id]

    schools = mine(facts.schools)
    people = mine(facts.people)
    responses = mine(facts.responses)
    seminars = mine(facts.seminars)
    persons = people["person_id"]
    pairs = facts.mentoring
    return Facts(
        municipalities=mine(facts.municipalities),
        schools=schools,
        school_subjects=facts.school_subjects[
            facts.school_subjects["school_id"].isin(schools["school_id"])
        ],
        people=people,
        responses=responses,
        deficit_bands=facts.deficit_bands[
            facts.deficit_bands["response_id"].isin(responses["response_id"])
        ],
        routes=facts.routes[facts.routes["person_id"].isin(persons)],
        seminars=seminars,
        attendance=facts.attendance[facts.attendance["seminar_id"].isin(seminars["seminar_id"])],
        feedback=facts.feedback[facts.feedback["response_id"].isin(responses["response_id"])],
        mentoring=pairs[pairs["mentor_id"].isin(persons) | pairs["mentee_id"].isin(persons)],
        campaigns=mine(facts.campaigns),
    )
