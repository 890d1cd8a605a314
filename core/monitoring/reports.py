"""Monitoring reports on demand: the periods and breakdowns a methodist chooses, the key
indicators as a screen with a PNG chart, and the analytical report as XLSX. Each comes from
one protected publication (core.monitoring.publication), so no output shows a cell another
hides; a period is counted when it was never stored or its stored count is a day old."""

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from core.errors import NotFound, PedPulseError, StaleAction
from core.models import Municipality, Role
from core.monitoring import chart, store
from core.monitoring.catalogue import Catalogue, Kind, ScopeType, load_catalogue
from core.monitoring.disclosure import ShownValue
from core.monitoring.periods import Period, last_weeks, local_day, month, school_year, week
from core.monitoring.publication import Publication, Selection, publish
from core.monitoring.rules import Thresholds, told
from core.monitoring.workbook import workbook
from core.offload import heavy
from core.people.viewer import load_person
from core.screens import Button, Screen, Text, screen, text
from core.texts import Texts

PERIODS: dict[str, Callable[[date], Period]] = {  # button order; a button carries the index
    "this_week": week,
    "last_week": lambda day: week(day - timedelta(days=7)),
    "this_month": month,
    "school_year": school_year,
}
VIEWS = ("weeks", "schools", "subjects")
KEY = (  # the lines of the text, municipality first
    "diag_coverage",
    "burnout_high_risk",
    "satisfaction",
    "nps",
    "young_share",
    "mentoring_share",
    "community_share",
    "events_count",
)
DRAWN = ("diag_coverage", "burnout_high_risk", "satisfaction", "mentoring_share")  # shares
HEADLINE = "diag_coverage"  # the indicator shown by school and by subject
WEEKS = 8


@dataclass(frozen=True)
class Ask:
    """A request: the moment asked, the disclosure limits of the settings, and in the bot the
    period (an index of PERIODS) and the view (an index of VIEWS; None for the XLSX)."""

    now: datetime
    limits: Thresholds
    period: int = 0
    view: int | None = None


@dataclass(frozen=True)
class Made:
    """The lines to show and the file to send (PNG or XLSX); no file: nothing to report."""

    screen: Screen
    file: bytes | None = None
    filename: str = ""


def periods_screen(export: bool) -> Screen:
    """The periods to choose from, for the report (then its breakdown) or for the XLSX."""
    action = "report.export" if export else "report.view"
    buttons = [Button(Text(f"rep_btn_{name}"), action, (i,)) for i, name in enumerate(PERIODS)]
    prompt = text("rep_export_choose" if export else "rep_choose_period")
    return screen([prompt], [buttons[:2], buttons[2:]])


def views_screen(period: int) -> Screen:
    """The breakdowns to choose from for the chosen period."""
    if not 0 <= period < len(PERIODS):
        raise StaleAction()
    name = list(PERIODS)[period]
    return screen(
        [text("rep_choose_view", period=Text(f"rep_btn_{name}"))],
        [
            [Button(Text(f"rep_btn_{view}"), "report.show", (period, i))]
            for i, view in enumerate(VIEWS)
        ],
    )


def check(ask: Ask) -> None:
    """StaleAction for a period or view no button offers (an old or forged press)."""
    if not 0 <= ask.period < len(PERIODS) or not 0 <= (ask.view or 0) < len(VIEWS):
        raise StaleAction()


async def report(session: AsyncSession, me: int, ask: Ask, t: Texts) -> Made:
    """The key indicators of the methodist's municipality as text, with a PNG chart."""
    check(ask)
    town, today = await _town_of(session, me, ask.now)
    period = list(PERIODS.values())[ask.period](today)
    view = VIEWS[ask.view or 0]
    last = min(period.end - timedelta(days=1), today)
    weeks = last_weeks(last, WEEKS) if view == "weeks" else ()
    catalogue = load_catalogue()
    published = await _published(session, catalogue, town.id, Selection((period,), weeks), ask, t)
    await session.commit()
    if _empty(published.shown):
        return Made(screen([text("rep_nothing", place=town.name)]))
    shown = _Shown(published, catalogue, period, view, weeks, ask.limits)
    lines = [text("rep_title", place=town.name, period=period_text(period)), *shown.lines()]
    png = await heavy(shown.chart, t)
    return Made(screen(lines), png, f"report-{_file_label(period)}.png")


async def export(session: AsyncSession, me: int, ask: Ask, t: Texts) -> Made:
    """The analytical report (XLSX) of the methodist's municipality for the chosen period."""
    check(ask)
    town, today = await _town_of(session, me, ask.now)
    period = list(PERIODS.values())[ask.period](today)
    data = await workbook_of(session, town.id, period, ask, t)
    await session.commit()
    if data is None:
        return Made(screen([text("rep_nothing", place=town.name)]))
    done = text("rep_export_done", place=town.name, period=period_text(period))
    return Made(screen([done]), data, f"spravka-{_file_label(period)}.xlsx")


async def workbook_of(
    session: AsyncSession, municipality_id: int, period: Period, ask: Ask, t: Texts
) -> bytes | None:
    """The XLSX of one period, counted if needed and published (flushed: the caller commits
    once the file is delivered); None when nobody is in it (nothing to report)."""
    catalogue = load_catalogue()
    published = await _published(session, catalogue, municipality_id, Selection((period,)), ask, t)
    if _empty(published.shown):
        return None
    shown, names = published.shown, published.names
    return await heavy(workbook, shown, catalogue, names, ask.limits, t.language)


async def refresh(
    session: AsyncSession,
    catalogue: Catalogue,
    municipality_id: int,
    periods: Sequence[Period],
    now: datetime,
) -> int:
    """Count and store the periods never stored, or stored up to an earlier day than today
    allows; within one day the stored count stands, so two publications of a day agree."""
    today = await local_today(session, municipality_id, now)
    until = {v.period: v.until for v in await store.stored(session, municipality_id, periods)}
    due = [p for p in periods if until.get(p) != p.evaluated_until(today)]
    if not due:
        return 0
    return await store.aggregate(session, catalogue, municipality_id, now, due)


async def local_today(session: AsyncSession, municipality_id: int, now: datetime) -> date:
    """The municipality's local date at `now`."""
    town = await session.get(Municipality, municipality_id)
    if town is None:
        raise NotFound("municipality_unknown")
    return local_day(now, ZoneInfo(town.timezone))


def period_text(period: Period) -> Text:
    """A period as people say it: the week's or month's days, or the school year."""
    last = period.end - timedelta(days=1)
    return text(
        f"rep_period_{period.kind.value}",
        label=period.label,
        first=period.start.strftime("%d.%m"),
        last=last.strftime("%d.%m.%Y"),
    )


async def _town_of(session: AsyncSession, me: int, now: datetime) -> tuple[Municipality, date]:
    person = await load_person(session, me)
    if Role.METHODIST not in {r.role for r in person.roles}:
        raise PedPulseError("rep_methodists_only")
    town = await session.get(Municipality, person.municipality_id)
    if town is None:
        raise NotFound("municipality_unknown")
    return town, local_day(now, ZoneInfo(town.timezone))


async def _published(
    session: AsyncSession,
    catalogue: Catalogue,
    municipality_id: int,
    selection: Selection,
    ask: Ask,
    t: Texts,
) -> Publication:
    await refresh(session, catalogue, municipality_id, selection.periods, ask.now)
    return await publish(session, catalogue, ask.limits, municipality_id, selection, t)


def _empty(shown: Sequence[ShownValue]) -> bool:
    """Nobody in any cell: no teacher registered and no roster headcount (hidden is somebody)."""
    return all(s.n == 0 for s in shown)


def _cells(
    shown: Sequence[ShownValue], key: str, period: Period, scope: ScopeType
) -> list[ShownValue]:
    """The values of one indicator (no facet) and period in the scopes of one kind."""
    return [
        s
        for s in shown
        if (s.indicator, s.period, s.scope_type, s.facet) == (key, period, scope, None)
    ]


def _line(
    s: ShownValue | None, catalogue: Catalogue, key: str, limits: Thresholds, name: object = None
) -> Text:
    indicator = catalogue[key]
    name = name if name is not None else _localized(catalogue, key)
    if s is not None and s.hidden is not None:
        k = limits.k_sensitive if indicator.sensitive else limits.k
        return text(f"rep_hidden_{told(s.hidden).name.lower()}", name=name, k=k)
    if s is None or s.value is None:
        return text("rep_no_data", name=name)
    if indicator.kind is Kind.COUNT:
        return text("rep_count", name=name, value=f"{s.value:.0f}", n=s.n)
    if indicator.kind is Kind.SCORE:
        return text("rep_score", name=name, value=f"{s.value:+.0f}", n=s.n)
    share = {"numerator": s.numerator, "denominator": s.denominator}
    return text("rep_share", name=name, value=f"{s.value:.0f}", **share)


@dataclass(frozen=True)
class _Shown:
    """One report's publication and what was asked of it."""

    published: Publication
    catalogue: Catalogue
    period: Period
    view: str
    weeks: Sequence[Period]
    limits: Thresholds

    def lines(self) -> list[Text]:
        """The municipality's key indicators, then the headline by school or subject."""
        shown, period, limits = self.published.shown, self.period, self.limits
        lines = []
        for key in KEY:
            cell = next(iter(_cells(shown, key, period, ScopeType.MUNICIPALITY)), None)
            lines.append(_line(cell, self.catalogue, key, limits))
        if self.view == "weeks":
            lines.append(text("rep_weeks", weeks=WEEKS))
        else:
            scope = ScopeType.SCHOOL if self.view == "schools" else ScopeType.SUBJECT
            names = self.published.names
            cells = _cells(shown, HEADLINE, period, scope)  # in the roster's order
            lines.append(text(f"rep_by_{self.view}", name=_localized(self.catalogue, HEADLINE)))
            lines += [
                _line(s, self.catalogue, HEADLINE, limits, "• " + names.scope(scope, s.scope_id))
                for s in cells
            ]
        return [*lines, text("rep_note", k=limits.k, k_sensitive=limits.k_sensitive)]

    def chart(self, t: Texts) -> bytes:
        """The PNG: the weeks' lines, or a bar per school or subject (run in a thread)."""
        shown, names, language = self.published.shown, self.published.names, t.language
        if self.view == "weeks":
            return chart.weekly_chart(shown, self.catalogue, DRAWN, self.weeks, language)
        bars = names.schools
        if self.view == "subjects":  # drawn as the schools' bars, with a title of its own
            shown = tuple(replace(s, scope_type=ScopeType.SCHOOL) for s in _subjects(shown))
            bars = names.subjects
        figure = chart.school_figure(shown, self.catalogue, HEADLINE, self.period, bars, language)
        if self.view == "schools":
            return chart.png(figure)
        name = self.catalogue[HEADLINE].short.get(language)
        title = t.plain("rep_chart_subjects", name=name, period=self.period.label)
        figure.axes[0].set_title(title, fontdict=chart.FONT)
        return chart.png(figure)


def _subjects(shown: Sequence[ShownValue]) -> list[ShownValue]:
    return [s for s in shown if s.scope_type is ScopeType.SUBJECT]


def _localized(catalogue: Catalogue, key: str) -> dict[str, str]:
    short = catalogue[key].short
    return {"ru": short.ru, "en": short.en}


def _file_label(period: Period) -> str:
    return period.label.replace("/", "-")
