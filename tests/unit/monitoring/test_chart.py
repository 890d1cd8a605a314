"""Charts: PNG of the right size, Russian text, hidden values never drawn."""

import math
import struct
from datetime import date

import numpy as np
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle
from matplotlib.text import Text

from core.monitoring.catalogue import ScopeType, load_catalogue
from core.monitoring.chart import school_chart, school_figure, weekly_chart, weekly_figure
from core.monitoring.disclosure import ShownValue
from core.monitoring.periods import Period, last_weeks, school_year
from core.monitoring.rules import Reason

CATALOGUE = load_catalogue()
WEEKS = last_weeks(date(2026, 11, 18), 8)
YEAR = school_year(date(2026, 11, 18))
NAMES = {10: "МБОУ СОШ № 1", 11: "Гимназия № 3", 12: "Лицей"}


def cell(
    key: str,
    period: Period,
    value: float | None,
    scope: tuple[ScopeType, int] = (ScopeType.MUNICIPALITY, 1),
) -> ShownValue:
    hidden = Reason.SMALL if value is None else None
    return ShownValue(key, None, period, *scope, None, None, value, None, "respondents", hidden)


def publication(hidden_week: int | None) -> list[ShownValue]:
    values = [cell("satisfaction", w, 70.0 + i) for i, w in enumerate(WEEKS)]
    values += [
        cell("burnout_high_risk", w, None if i == hidden_week else 20.0 + 2 * i)
        for i, w in enumerate(WEEKS)
    ]
    return values


def size(png: bytes) -> tuple[int, int]:
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", png[16:24])
    return width, height


def texts(figure: Figure) -> list[Text]:
    return [t for t in figure.findobj(Text) if t.get_text()]


def drawn(figure: Figure) -> list[list[float]]:
    return [
        [float(y) for y in np.asarray(line.get_ydata())] for line in figure.axes[0].get_lines()
    ]


def test_weekly_chart_is_a_1280_by_720_png() -> None:
    png = weekly_chart(publication(None), CATALOGUE, ["satisfaction", "burnout_high_risk"], WEEKS)
    assert size(png) == (1280, 720)


def test_a_hidden_week_is_not_drawn_and_the_footnote_says_why() -> None:
    keys = ["satisfaction", "burnout_high_risk"]
    full = weekly_figure(publication(None), CATALOGUE, keys, WEEKS)
    gap = weekly_figure(publication(5), CATALOGUE, keys, WEEKS)
    drawn_full, drawn_gap = drawn(full), drawn(gap)
    assert drawn_full[1][5] == 30.0  # 20 + 2 * 5
    assert math.isnan(drawn_gap[1][5])
    assert drawn_gap[1][:5] == drawn_full[1][:5] and drawn_gap[0] == drawn_full[0]
    words = " ".join(t.get_text() for t in texts(gap))
    assert "скрыто" in words and "Высокий риск выгорания" in words
    assert "30" not in [t.get_text() for t in texts(gap)]


def test_every_text_is_at_least_12_points() -> None:
    figure = weekly_figure(publication(3), CATALOGUE, ["satisfaction"], WEEKS)
    figure.canvas.draw()  # tick labels exist only once drawn
    assert all(float(t.get_fontsize()) >= 12 for t in texts(figure))


def test_school_bars_leave_hidden_schools_out() -> None:
    shown = [
        cell("community_share", YEAR, 64.5, (ScopeType.SCHOOL, 10)),
        cell("community_share", YEAR, None, (ScopeType.SCHOOL, 11)),
        cell("community_share", YEAR, 81.0, (ScopeType.SCHOOL, 12)),
    ]
    figure = school_figure(shown, CATALOGUE, "community_share", YEAR, NAMES)
    bars = [p.get_width() for p in figure.axes[0].patches if isinstance(p, Rectangle)]
    assert sorted(bars) == [64.5, 81.0]
    figure.canvas.draw()
    labels = [t.get_text() for t in texts(figure)]
    assert "Гимназия № 3" in labels and "скрыто" in labels
    assert size(school_chart(shown, CATALOGUE, "community_share", YEAR, NAMES)) == (1280, 720)
