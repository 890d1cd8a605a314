"""PNG charts of published values (matplotlib object API, Agg canvas, no pyplot state).

Hidden values are never drawn: a line has a gap there and a bar is left out, and the footnote
says why. The figure builders are public so tests can inspect what will be drawn.
"""

import io
import math
from collections.abc import Mapping, Sequence

from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from core.monitoring.catalogue import Catalogue, Kind, ScopeType
from core.monitoring.disclosure import ShownValue
from core.monitoring.periods import Period

SIZE, DPI = (8, 4.5), 160  # 1280 x 720 pixels
FONT = {"family": "DejaVu Sans", "size": 12}
TEXTS = {
    "ru": {
        "weekly": "Ключевые показатели по неделям",
        "schools": "{name}: по школам, {period}",
        "hidden": "Нет точки или столбца — значение скрыто: в группе меньше k человек "
        "или его можно было бы вычислить из других ячеек.",
        "hidden_bar": "скрыто",
        "percent": "%",
    },
    "en": {
        "weekly": "Key indicators by week",
        "schools": "{name}: by school, {period}",
        "hidden": "No point or bar: the value is hidden (fewer than k people in the group, "
        "or it could be worked out from other cells).",
        "hidden_bar": "hidden",
        "percent": "%",
    },
}


def _texts(language: str) -> dict[str, str]:
    return TEXTS.get(language, TEXTS["ru"])


def _figure() -> Figure:
    figure = Figure(figsize=SIZE, dpi=DPI, layout="constrained")
    figure.set_facecolor("white")
    FigureCanvasAgg(figure)
    return figure


def png(figure: Figure) -> bytes:
    """The figure as PNG bytes, at the figure's own size."""
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=DPI)
    return buffer.getvalue()


def weekly_figure(
    shown: Sequence[ShownValue],
    catalogue: Catalogue,
    indicators: Sequence[str],
    weeks: Sequence[Period],
    language: str = "ru",
) -> Figure:
    """Municipality values of `indicators` (shares or scores) over `weeks`, one line each."""
    texts = _texts(language)
    by_cell = {(s.indicator, s.period): s for s in shown if _municipal(s)}
    figure = _figure()
    axes = figure.add_subplot()
    positions = list(range(len(weeks)))
    for key in indicators:
        points = [by_cell.get((key, week)) for week in weeks]
        ys = [p.value if p is not None and p.value is not None else math.nan for p in points]
        label = catalogue[key].short.get(language)
        axes.plot(positions, ys, marker="o", linewidth=2, label=label)
        _label_last(axes, positions, ys)
    axes.set_xticks(positions, [w.start.strftime("%d.%m") for w in weeks], fontsize=12)
    axes.tick_params(labelsize=12)
    axes.set_ylabel(texts["percent"], fontdict=FONT)
    axes.set_title(texts["weekly"], fontdict={**FONT, "size": 14})
    axes.grid(alpha=0.3)
    axes.legend(fontsize=12, loc="best", framealpha=0.9)
    _footnote(figure, texts["hidden"])
    return figure


def school_figure(
    shown: Sequence[ShownValue],
    catalogue: Catalogue,
    indicator: str,
    period: Period,
    names: Mapping[int, str],
    language: str = "ru",
) -> Figure:
    """One bar per school for `indicator` in `period`; hidden schools get no bar."""
    texts = _texts(language)
    rows = sorted(
        (s for s in shown if s.indicator == indicator and s.period == period and s.facet is None
         and s.scope_type is ScopeType.SCHOOL),
        key=lambda s: names.get(s.scope_id, str(s.scope_id)),
    )  # fmt: skip
    figure = _figure()
    axes = figure.add_subplot()
    labels = [_short(names.get(s.scope_id, str(s.scope_id)), 28) for s in rows]
    visible = [(i, s.value) for i, s in enumerate(rows) if s.value is not None]
    bars = axes.barh([i for i, _ in visible], [v for _, v in visible], color="#3b6ea5")
    axes.bar_label(bars, fmt="%.0f", fontsize=12, padding=3)
    for i, s in enumerate(rows):
        if s.hidden is not None:
            axes.text(1, i, texts["hidden_bar"], va="center", fontsize=12, color="#777777")
    axes.set_yticks(range(len(rows)), labels, fontsize=12)
    axes.invert_yaxis()
    if catalogue[indicator].kind is Kind.SHARE:
        axes.set_xlim(0, 105)
    axes.tick_params(labelsize=12)
    name = catalogue[indicator].short.get(language)
    axes.set_title(texts["schools"].format(name=name, period=period.label), fontdict=FONT)
    axes.grid(axis="x", alpha=0.3)
    _footnote(figure, texts["hidden"])
    return figure


def weekly_chart(
    shown: Sequence[ShownValue],
    catalogue: Catalogue,
    indicators: Sequence[str],
    weeks: Sequence[Period],
    language: str = "ru",
) -> bytes:
    """PNG (1280 x 720) of the key indicators over the weeks."""
    return png(weekly_figure(shown, catalogue, indicators, weeks, language))


def school_chart(
    shown: Sequence[ShownValue],
    catalogue: Catalogue,
    indicator: str,
    period: Period,
    names: Mapping[int, str],
    language: str = "ru",
) -> bytes:
    """PNG (1280 x 720) of one indicator by school in one period."""
    return png(school_figure(shown, catalogue, indicator, period, names, language))


def _municipal(s: ShownValue) -> bool:
    return s.scope_type is ScopeType.MUNICIPALITY and s.facet is None


def _label_last(axes: Axes, xs: list[int], ys: list[float]) -> None:
    last = [(x, y) for x, y in zip(xs, ys, strict=True) if not math.isnan(y)]
    if last:
        x, y = last[-1]
        axes.annotate(f"{y:.0f}", (x, y), textcoords="offset points", xytext=(6, 4), fontsize=12)


def _short(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _footnote(figure: Figure, text: str) -> None:
    # a figure-level label, so the constrained layout keeps room for it
    figure.supxlabel(_wrap(text), fontsize=12, color="#444444", x=0.01, ha="left")


def _wrap(text: str, width: int = 75) -> str:
    words, lines, line = text.split(), [], ""
    for word in words:
        if len(line) + len(word) + 1 > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    return "\n".join([*lines, line])
