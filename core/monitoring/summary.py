"""The weekly summary for methodists as plain data, and a one-screen plain-text rendering.

The text is not escaped here: the caller escapes it for its markup (Telegram HTML).
"""

from dataclasses import dataclass

from core.monitoring.catalogue import Catalogue, Kind, ScopeType
from core.monitoring.disclosure import ShownValue
from core.monitoring.names import Names
from core.monitoring.periods import Period
from core.monitoring.recommendations import Alerts, Recommendation, Rule, recommend
from core.monitoring.targets import Progress, Target, progress, target_for
from core.monitoring.trends import Arrow, trends

ARROWS = {"up": "▲", "down": "▼", "flat": "→"}
WORDS = {
    "ru": {
        "title": "Неделя {week} · {place}",
        "support": "Запросы о поддержке ждут ответа: {n}",
        "mentoring": "Запросы наставника ждут больше 3 дней: {n}",
        "hidden": "скрыто",
        "no_data": "нет данных",
        "target": "цель {target:.0f} %",
        "reached": "цель {target:.0f} % достигнута",
        "seminars": "Ближайшие семинары:",
        "actions": "Что сделать:",
    },
    "en": {
        "title": "Week {week} · {place}",
        "support": "Support requests waiting: {n}",
        "mentoring": "Mentor requests waiting over 3 days: {n}",
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
    changes = trends(data.shown)
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
    return WeeklySummary(
        data.names.municipality, data.week, data.alerts, tuple(lines), data.seminars, actions
    )


def render(summary: WeeklySummary, language: str = "ru") -> str:
    """Plain text for one phone screen: title, alerts, indicator lines, seminars, actions."""
    words = WORDS["en" if language == "en" else "ru"]
    out = [words["title"].format(week=summary.week.label, place=summary.place)]
    if summary.alerts.support_waiting:
        out.append("⚠ " + words["support"].format(n=summary.alerts.support_waiting))
    if summary.alerts.mentoring_overdue:
        out.append("⚠ " + words["mentoring"].format(n=summary.alerts.mentoring_overdue))
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
