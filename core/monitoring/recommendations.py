"""Next actions for methodists, from rules as data (recommendations.yaml).

Checks read published values only (ShownValue after disclosure control; a hidden cell has no
value, so it can neither trigger a rule nor appear in its text) and the alerts the caller
counted. At most `limit` recommendations come back, by priority, one per action; the rules
with an alert text also give the summary's opening ⚠ lines, every finding of them.
"""

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from core.monitoring.catalogue import ScopeType, Text
from core.monitoring.disclosure import ShownValue
from core.monitoring.names import Names
from core.monitoring.periods import Period, PeriodKind
from core.monitoring.trends import trends

RULES = Path(__file__).resolve().parent / "recommendations.yaml"
LIMIT = 5


@dataclass(frozen=True)
class CampaignAlert:
    campaign_id: int
    days_left: int  # whole days until the deadline, in the municipality's zone


@dataclass(frozen=True)
class Alerts:
    """What needs attention besides the indicators, counted by the caller."""

    support_waiting: int = 0  # support requests not yet handled
    mentoring_overdue: int = 0  # mentor requests waiting more than 3 days
    problems_waiting: int = 0  # open mentoring pairs with a reported problem not yet handled
    mentor_capacity: int = 0  # free mentee places mentors offer
    open_campaigns: tuple[CampaignAlert, ...] = ()


@dataclass(frozen=True)
class Action:
    """What the bot offers: e.g. ("seminar_new", "method"), ("mentoring", None),
    ("mentoring_pairs", None), ("campaign_remind", 12), ("school_support", 40),
    ("support_list", None)."""

    kind: str
    ref: int | str | None


@dataclass(frozen=True)
class Recommendation:
    rule: str
    priority: int
    action: Action
    text: str  # plain text; the caller escapes it for its markup


@dataclass(frozen=True)
class Rule:
    id: str
    check: str
    params: Mapping[str, Any]
    priority: int
    action: str
    ref: str | None
    text: Text
    alert: Text | None = None  # the ⚠ line of each finding, for the rules that open the summary


@dataclass(frozen=True)
class Finding:
    ref: int | str | None
    fields: dict[str, Any]
    weight: float  # more urgent first within a priority


def load_rules(path: Path = RULES) -> tuple[Rule, ...]:
    """The rules of the file; ValueError naming a rule whose check or text is wrong."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    rules = []
    for entry in data["rules"]:
        if entry.get("check") not in CHECKS:
            raise ValueError(f"rule {entry.get('id')}: unknown check {entry.get('check')!r}")
        text = Text(ru=entry["text"]["ru"], en=entry["text"]["en"])
        alert = entry.get("alert")
        rules.append(
            Rule(str(entry["id"]), entry["check"], entry.get("params", {}), int(entry["priority"]),
                 str(entry["action"]), entry.get("ref"), text,
                 Text(ru=alert["ru"], en=alert["en"]) if alert else None)
        )  # fmt: skip
    return tuple(rules)


@dataclass(frozen=True)
class Situation:
    """Published values and alerts, as the checks read them."""

    shown: tuple[ShownValue, ...]
    alerts: Alerts
    names: Names

    def latest(self, indicator: str, kind: str | None = None) -> Period | None:
        periods = [
            s.period for s in self.shown
            if s.indicator == indicator and (kind is None or s.period.kind == PeriodKind(kind))
        ]  # fmt: skip
        return max(periods, key=lambda p: (p.end, p.start), default=None)

    def visible(
        self, indicator: str, period: Period | None, scope: ScopeType, facet: str | None = None
    ) -> list[ShownValue]:
        return [
            s for s in self.shown
            if s.indicator == indicator and s.period == period and s.scope_type is scope
            and s.facet == facet and s.value is not None and s.hidden is None
        ]  # fmt: skip


def recommend(
    shown: Sequence[ShownValue],
    alerts: Alerts,
    names: Names,
    rules: Sequence[Rule] | None = None,
    language: str = "ru",
    limit: int = LIMIT,
) -> tuple[Recommendation, ...]:
    """Up to `limit` next actions, most urgent first, one per action and reference."""
    chosen: dict[Action, Recommendation] = {}
    for rule, finding in _findings(Situation(tuple(shown), alerts, names), rules):
        action = Action(rule.action, finding.ref if finding.ref is not None else rule.ref)
        text = rule.text.get(language).format(**finding.fields)
        chosen.setdefault(action, Recommendation(rule.id, rule.priority, action, text))
    return tuple(chosen.values())[:limit]


def warnings(
    shown: Sequence[ShownValue],
    alerts: Alerts,
    names: Names,
    rules: Sequence[Rule] | None = None,
    language: str = "ru",
) -> tuple[str, ...]:
    """The alert line of every finding of the rules that have one, most urgent first (plain
    text, from published values only, like the recommendations)."""
    found = _findings(Situation(tuple(shown), alerts, names), rules)
    return tuple(
        rule.alert.get(language).format(**finding.fields)
        for rule, finding in found
        if rule.alert is not None
    )


def _findings(situation: Situation, rules: Sequence[Rule] | None) -> list[tuple[Rule, Finding]]:
    """Every rule's findings, by priority, then the more urgent first."""
    found = [
        (rule, finding)
        for rule in (rules if rules is not None else load_rules())
        for finding in CHECKS[rule.check](situation, rule.params)
    ]
    return sorted(found, key=lambda f: (f[0].priority, -f[1].weight))


def _count(attribute: str) -> Callable[[Situation, Mapping[str, Any]], list[Finding]]:
    def check(s: Situation, params: Mapping[str, Any]) -> list[Finding]:
        count = int(getattr(s.alerts, attribute))
        return [Finding(None, {"count": count}, count)] if count >= params.get("min", 1) else []

    return check


def _campaign_behind(s: Situation, params: Mapping[str, Any]) -> list[Finding]:
    found = []
    for alert in s.alerts.open_campaigns:
        if alert.days_left > params["days_left"]:
            continue
        facet = str(alert.campaign_id)
        cells = s.visible(
            "response_rate", s.latest("response_rate"), ScopeType.MUNICIPALITY, facet
        )
        for cell in cells:
            if cell.value is not None and cell.value < params["below"]:
                fields = {"campaign": s.names.facet(facet), "value": cell.value,
                          "days": alert.days_left}  # fmt: skip
                found.append(Finding(alert.campaign_id, fields, 100 - cell.value))
    return found


def _school_rise(s: Situation, params: Mapping[str, Any]) -> list[Finding]:
    period = s.latest(params["indicator"], params["period"])
    changes = trends([c for c in s.shown if c.indicator == params["indicator"]])  # its cells
    found = []
    for cell in s.visible(params["indicator"], period, ScopeType.SCHOOL):
        change = changes[cell.cell].change
        if cell.value is None or change is None:
            continue
        if cell.value >= params["at_least"] and change >= params["rise"]:
            school = s.names.scope(ScopeType.SCHOOL, cell.scope_id)
            fields = {"school": school, "value": cell.value, "change": change}
            found.append(Finding(cell.scope_id, fields, change))
    return found


def _subject_area_deficit(s: Situation, params: Mapping[str, Any]) -> list[Finding]:
    period = s.latest("deficit_by_area", params["period"])
    areas = {c.facet for c in s.shown if c.indicator == "deficit_by_area" and c.facet}
    found = []
    for area in sorted(areas):
        for cell in s.visible("deficit_by_area", period, ScopeType.SUBJECT, area):
            if cell.value is not None and cell.value >= params["at_least"]:
                subject = s.names.scope(ScopeType.SUBJECT, cell.scope_id)
                fields = {"area": s.names.facet(area), "subject": subject, "value": cell.value}
                found.append(Finding(area, fields, cell.value))
    return found


def _young_unmentored(s: Situation, params: Mapping[str, Any]) -> list[Finding]:
    if s.alerts.mentor_capacity <= 0:
        return []
    period = s.latest("young_mentored")
    found = []
    for cell in s.visible("young_mentored", period, ScopeType.MUNICIPALITY):
        if cell.value is not None and cell.value < params["below"]:
            fields = {"value": cell.value, "capacity": s.alerts.mentor_capacity}
            found.append(Finding(None, fields, 100 - cell.value))
    return found


def _school_low_response(s: Situation, params: Mapping[str, Any]) -> list[Finding]:
    found = []
    period = s.latest("response_rate")
    for alert in s.alerts.open_campaigns:
        facet = str(alert.campaign_id)
        for cell in s.visible("response_rate", period, ScopeType.SCHOOL, facet):
            if cell.value is not None and cell.value < params["below"]:
                school = s.names.scope(ScopeType.SCHOOL, cell.scope_id)
                fields = {"school": school, "campaign": s.names.facet(facet), "value": cell.value}
                found.append(Finding(alert.campaign_id, fields, 100 - cell.value))
    return found


def _municipal_below(s: Situation, params: Mapping[str, Any]) -> list[Finding]:
    period = s.latest(params["indicator"], params["period"])
    return [
        Finding(None, {"value": cell.value}, params["below"] - cell.value)
        for cell in s.visible(params["indicator"], period, ScopeType.MUNICIPALITY)
        if cell.value is not None and cell.value < params["below"]
    ]


CHECKS: dict[str, Callable[[Situation, Mapping[str, Any]], list[Finding]]] = {
    "support_waiting": _count("support_waiting"),
    "mentoring_overdue": _count("mentoring_overdue"),
    "problems_waiting": _count("problems_waiting"),
    "campaign_behind": _campaign_behind,
    "school_rise": _school_rise,
    "subject_area_deficit": _subject_area_deficit,
    "young_unmentored": _young_unmentored,
    "school_low_response": _school_low_response,
    "municipal_below": _municipal_below,
}
