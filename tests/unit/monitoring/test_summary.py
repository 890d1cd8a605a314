"""The weekly summary: lines with trend and target, alerts, actions, one phone screen."""

from datetime import date

from core.monitoring.catalogue import ScopeType, load_catalogue
from core.monitoring.disclosure import ShownValue
from core.monitoring.names import Names
from core.monitoring.periods import Period, week
from core.monitoring.recommendations import Alerts
from core.monitoring.rules import Reason
from core.monitoring.summary import SummaryInput, UpcomingSeminar, render, weekly_summary
from core.monitoring.targets import Target

W46, W47 = week(date(2026, 11, 9)), week(date(2026, 11, 16))


def municipal(key: str, period: Period, value: float | None) -> ShownValue:
    hidden = Reason.SMALL if value is None else None
    return ShownValue(
        key, None, period, ScopeType.MUNICIPALITY, 1, None, None, value, None, "headcount", hidden
    )


def summary_input() -> SummaryInput:
    shown = (
        municipal("satisfaction", W46, 81.0),
        municipal("satisfaction", W47, 84.0),
        municipal("burnout_high_risk", W46, 22.0),
        municipal("burnout_high_risk", W47, None),
        municipal("community_share", W46, 71.0),
        municipal("community_share", W47, 72.0),
    )
    return SummaryInput(
        shown=shown,
        catalogue=load_catalogue(),
        targets=(Target("community_share", "2026/27", 80.0, 61.0, "test"),),
        alerts=Alerts(support_waiting=2),
        names=Names("Новотроицк"),
        week=W47,
        indicators=("satisfaction", "burnout_high_risk", "community_share", "events_count"),
        seminars=(UpcomingSeminar("Формирующее оценивание", "25.11 15:00"),),
    )


def test_lines_carry_value_trend_and_target() -> None:
    summary = weekly_summary(summary_input())
    satisfaction, burnout, community, events = summary.lines
    assert (satisfaction.value, satisfaction.arrow, satisfaction.change) == (84.0, "up", 3.0)
    assert satisfaction.improving is True
    assert burnout.hidden and burnout.value is None and burnout.change is None
    assert community.target is not None and community.target.gap == 8.0
    assert events.value is None and not events.hidden  # not in the publication
    assert [r.rule for r in summary.recommendations] == ["support_waiting"]


def test_the_text_fits_a_phone_screen() -> None:
    text = render(weekly_summary(summary_input()))
    assert text.splitlines() == [
        "Неделя 2026-W47 · Новотроицк",
        "⚠ Запросы о поддержке ждут ответа: 2",
        "Удовлетворённость: 84 % ▲ +3",
        "Высокий риск выгорания: скрыто",
        "В сообществах и МО: 72 % ▲ +1 · цель 80 %",
        "Мероприятия: нет данных",
        "Ближайшие семинары:",
        "• 25.11 15:00 Формирующее оценивание",
        "Что сделать:",
        "1. Ответьте на запросы о поддержке: ждут 2.",
    ]
    english = render(weekly_summary(summary_input(), "en"), "en")
    assert english.splitlines()[3] == "High burnout risk: hidden"
