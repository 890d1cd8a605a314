"""The weekly summary for methodists as plain data, and a one-screen plain-text rendering
whose numbered actions come with a button each (the same numbers).

The text is not escaped here: the caller escapes it for its markup (Telegram HTML).
"""

from collections.abc import Sequence
from dataclasses import dataclass

from core.monitoring.catalogue import Catalogue, Kind, ScopeType
from core.monitoring.disclosure import ShownValue
from core.monitoring.names import Names
from core.monitoring.periods import Period
from core.monitoring.recommendations import (
    Action,
    Alerts,
    Recommendation,
    Rule,
    recommend,
    warnings,
)
from core.monitoring.targets import Progress, Target, progress, target_for
from core.monitoring.trends import Arrow, trends
from core.screens import Button, Ref, text
from core.seminars.listing import AREAS

ARROWS = {"up": "▲", "down": "▼", "flat": "→"}
# the actions a button does (core.monitoring.summary_actions), as recommendations.yaml names them
ACTIONS = (
    "support_list",
    "mentoring",
    "mentoring_pairs",
    "campaign_remind",
    "school_support",
    "seminar_new",
    "campaign_new",
    "announcement_new",
)
PREFIX = "summary."  # a button's action is "summary.<action>"
WORDS = {
    "ru": {
        "title": "Неделя {week} · {place}",
        "hidden": "скрыто",
        "no_data": "нет данных",
        "target": "цель {target:.0f} %",
        "reached": "цель {target:.0f} % достигнута",
        "seminars": "Ближайшие семинары:",
        "actions": "Что сделать:",
    },
    "en": {
        "title": "Week {week} · {place}",
        "hidden": "hidden",
        "no_data": "no data",
        "target": "target {target:.0f} %",
        "reached": "target {target:.0f} % reached",
        "seminars": "Coming seminars:",
        "actions": "Next steps:",
    },
}


@dataclass(frozen=True)
class IndicatorLine:
    indicator: str
    name: str
    kind: Kind
    value: float | None  # None: hidden or no data
    hidden: bool
    arrow: Arrow | None
    change: float | None
    improving: bool | None  # whether the change goes the good way
    target: Progress | None


@dataclass(frozen=True)
class UpcomingSeminar:
    title: str
    starts: str  # as the caller shows dates


@dataclass(frozen=True)
class WeeklySummary:
    place: str
    week: Period
    alerts: Alerts
    lines: tuple[IndicatorLine, ...]
    seminars: tuple[UpcomingSeminar, ...]
    recommendations: tuple[Recommendation, ...]
    warnings: tuple[str, ...] = ()  # the ⚠ lines it opens with (recommendations.yaml's alerts)


@dataclass(frozen=True)
class SummaryInput:
    """What the weekly summary is built from, all already published or counted."""

    shown: tuple[ShownValue, ...]
    catalogue: Catalogue
    targets: tuple[Target, ...]
    alerts: Alerts
    names: Names
    week: Period
    indicators: tuple[str, ...]
    seminars: tuple[UpcomingSeminar, ...] = ()
    rules: tuple[Rule, ...] | None = None


def weekly_summary(data: SummaryInput, language: str = "ru") -> WeeklySummary:
    """The week's municipality lines with trend and target, alerts and next actions."""
    changes = trends(  # the municipality's lines only: a publication has thousands of cells
        [s for s in data.shown if s.scope_type is ScopeType.MUNICIPALITY and s.facet is None]
    )
    cells = {
        s.indicator: s
        for s in data.shown
        if s.period == data.week and s.scope_type is ScopeType.MUNICIPALITY and s.facet is None
    }
    lines = []
    for key in data.indicators:
        indicator = data.catalogue[key]
        cell = cells.get(key)
        found = changes[cell.cell] if cell is not None else None
        change = found.change if found is not None else None
        target = target_for(data.targets, key, data.week)
        value = cell.value if cell is not None else None
        lines.append(IndicatorLine(
            key, indicator.short.get(language), indicator.kind, value,
            cell is not None and cell.hidden is not None, found.arrow if found else None, change,
            None if change is None else (change > 0) == indicator.higher_is_better,
            progress(value, target, indicator) if target is not None else None,
        ))  # fmt: skip
    actions = recommend(data.shown, data.alerts, data.names, data.rules, language)
    warned = warnings(data.shown, data.alerts, data.names, data.rules, language)
    return WeeklySummary(
        data.names.municipality, data.week, data.alerts, tuple(lines), data.seminars, actions,
        warned,
    )  # fmt: skip


def render(summary: WeeklySummary, language: str = "ru") -> str:
    """Plain text for one phone screen: title, alerts, indicator lines, seminars, and the
    numbered actions (the message's buttons carry the same numbers)."""
    words = WORDS["en" if language == "en" else "ru"]
    out = [words["title"].format(week=summary.week.label, place=summary.place)]
    out += ["⚠ " + warning for warning in summary.warnings]
    out += [_line(line, words) for line in summary.lines]
    if summary.seminars:
        out.append(words["seminars"])
        out += [f"• {s.starts} {s.title}" for s in summary.seminars[:3]]
    if summary.recommendations:
        out.append(words["actions"])
        out += [f"{i}. {r.text}" for i, r in enumerate(summary.recommendations, start=1)]
    return "\n".join(out)


def _line(line: IndicatorLine, words: dict[str, str]) -> str:
    if line.value is None:
        return f"{line.name}: {words['hidden'] if line.hidden else words['no_data']}"
    unit = " %" if line.kind is Kind.SHARE else ""
    text = f"{line.name}: {line.value:.0f}{unit}"
    if line.arrow is not None and line.change is not None:
        text += f" {ARROWS[line.arrow]} {line.change:+.0f}"
    if line.target is not None:
        key = "reached" if line.target.reached else "target"
        text += " · " + words[key].format(target=line.target.target)
    return text


def buttons(recommendations: Sequence[Recommendation]) -> tuple[tuple[Button, ...], ...]:
    """A button a row for each recommendation, numbered as `render` numbers its line."""
    return tuple(
        (Button(text(f"mon_do_{r.action.kind}", number=number), PREFIX + r.action.kind,
                _ref(r.action)),)
        for number, r in enumerate(recommendations, start=1)
        if r.action.kind in ACTIONS
    )  # fmt: skip


def _ref(action: Action) -> Ref:
    """Ids as they are; a competency area as its place in AREAS from 1 (0: none)."""
    if action.kind == "seminar_new":
        return (AREAS.index(str(action.ref)) + 1 if action.ref in AREAS else 0,)
    return (action.ref,) if isinstance(action.ref, int) else ()
