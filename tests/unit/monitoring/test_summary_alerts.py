"""Issue 12: the summary opens with its ⚠ alerts (every finding of the rules with an alert
text, from published values only) and ends with numbered actions, each with its button."""

from dataclasses import replace
from datetime import date

from bot.monitoring.action_callbacks import ACTION_OF, SummaryActionCallback
from bot.ui.buttons import stored_keyboard
from core.monitoring.catalogue import ScopeType, load_catalogue
from core.monitoring.disclosure import ShownValue, protect
from core.monitoring.names import Names
from core.monitoring.periods import month, week
from core.monitoring.recommendations import (
    Action,
    Alerts,
    CampaignAlert,
    Recommendation,
    load_rules,
    warnings,
)
from core.monitoring.summary import (
    ACTIONS,
    PREFIX,
    SummaryInput,
    buttons,
    render,
    weekly_summary,
)
from core.questionnaires.reminders import NO, YES
from core.screens import Button, Text, label, stored
from core.texts import load_catalogues
from tests.unit.monitoring.attack import value
from tests.unit.monitoring.test_recommendations import shown

OCTOBER, NOVEMBER = month(date(2026, 10, 1)), month(date(2026, 11, 1))
W47 = week(date(2026, 11, 16))
MUN, SCHOOL = ScopeType.MUNICIPALITY, ScopeType.SCHOOL
NAMES = Names(
    "Новотроицк", schools={10: "СОШ № 1", 11: "СОШ № 2"}, facets={"12": "№12 «Выгорание»"}
)
ALERTS = Alerts(support_waiting=2, mentoring_overdue=1, open_campaigns=(CampaignAlert(12, 2),))


def published() -> list[ShownValue]:
    return [
        shown("response_rate", NOVEMBER, (MUN, 1), 41.0, "12"),  # 41 % < 50, 2 days left
        shown("burnout_high_risk", OCTOBER, (SCHOOL, 10), 24.0),
        shown("burnout_high_risk", NOVEMBER, (SCHOOL, 10), 35.0),  # +11 to 35 %: both past
        shown("burnout_high_risk", OCTOBER, (SCHOOL, 11), 20.0),
        shown("burnout_high_risk", NOVEMBER, (SCHOOL, 11), 29.0),  # +9, but under 30 %
    ]


def test_all_four_alerts_most_urgent_first() -> None:
    # priority 1: the requests (one each, in the file's order); priority 2: the campaign
    # (weight 100 - 41 = 59) before the school (weight +11)
    assert warnings(published(), ALERTS, NAMES) == (
        "Запросы о поддержке ждут ответа: 2",
        "Запросы наставника ждут больше 3 дней: 1",
        "Кампания №12 «Выгорание» отстаёт: ответили 41 %, до срока 2 дн.",
        "СОШ № 1: высокий риск выгорания — 35 % (+11 п. п. за месяц)",
    )
    english = warnings(published(), ALERTS, NAMES, language="en")
    assert english[3] == "СОШ № 1: high burnout risk at 35 % (+11 pp in a month)"


def test_a_campaign_three_days_out_or_at_half_is_no_alert() -> None:
    later = Alerts(open_campaigns=(CampaignAlert(12, 3),))
    assert warnings(published()[:1], later, NAMES) == ()
    half = [shown("response_rate", NOVEMBER, (MUN, 1), 50.0, "12")]
    assert warnings(half, Alerts(open_campaigns=(CampaignAlert(12, 2),)), NAMES) == ()


def test_a_hidden_burnout_cell_is_no_alert() -> None:
    # the truth: 3 of 12 in October, 7 of 9 (78 %) in November; 9 < 10 hides November
    truth = (
        value("burnout_high_risk", OCTOBER, (SCHOOL, 10), 3, 12),
        value("burnout_high_risk", NOVEMBER, (SCHOOL, 10), 7, 9),
    )
    public = protect(truth, load_catalogue())
    assert [s.hidden is not None for s in public] == [False, True]
    assert warnings(public, Alerts(), NAMES) == ()
    # the same rise shown (12 in November too) is an alert: 25 % -> 75 %, +50
    seen = protect((truth[0], value("burnout_high_risk", NOVEMBER, (SCHOOL, 10), 9, 12)),
                   load_catalogue())  # fmt: skip
    assert warnings(seen, Alerts(), NAMES) == (
        "СОШ № 1: высокий риск выгорания — 75 % (+50 п. п. за месяц)",
    )


def test_the_thresholds_are_the_rules_data() -> None:
    rules = {rule.id: rule for rule in load_rules()}
    assert dict(rules["burnout_rise"].params) == {
        "indicator": "burnout_high_risk", "period": "month", "at_least": 30, "rise": 5,
    }  # fmt: skip
    assert dict(rules["campaign_behind"].params) == {"below": 50, "days_left": 2}
    with_alerts = {rule.id for rule in rules.values() if rule.alert is not None}
    assert with_alerts == {
        "support_waiting", "mentoring_requests_overdue", "mentoring_problems",
        "campaign_behind", "burnout_rise",
    }  # fmt: skip


def test_pairs_with_a_problem_are_an_alert_among_the_first() -> None:
    waiting = replace(ALERTS, problems_waiting=2)
    found = warnings(published(), waiting, NAMES)
    # priority 1, by count, then in the file's order: 2 support requests, 2 pairs, 1 request
    assert found[:3] == (
        "Запросы о поддержке ждут ответа: 2",
        "Пары наставничества с проблемой ждут помощи: 2",
        "Запросы наставника ждут больше 3 дней: 1",
    )
    assert len(found) == 5  # then the campaign and the school
    assert warnings([], Alerts(problems_waiting=0), NAMES) == ()


def test_alerts_open_the_text_and_the_buttons_number_the_actions() -> None:
    data = SummaryInput(
        tuple(published()), load_catalogue(), (), ALERTS, NAMES, W47, ("satisfaction",)
    )
    summary = weekly_summary(data)
    lines = render(summary).splitlines()
    assert lines[0] == "Неделя 2026-W47 · Новотроицк"
    assert [line[:2] for line in lines[1:5]] == ["⚠ "] * 4
    assert lines[5] == "Удовлетворённость: нет данных"
    actions = lines[lines.index("Что сделать:") + 1 :]
    assert [a.split(".")[0] for a in actions] == ["1", "2", "3", "4"]
    rows = buttons(summary.recommendations)
    assert [(b.label, b.action, b.ref) for (b,) in rows] == [
        (Text("mon_do_support_list", {"number": 1}), "summary.support_list", ()),
        (Text("mon_do_mentoring", {"number": 2}), "summary.mentoring", ()),
        (Text("mon_do_campaign_remind", {"number": 3}), "summary.campaign_remind", (12,)),
        (Text("mon_do_school_support", {"number": 4}), "summary.school_support", (10,)),
    ]


def test_a_seminar_button_carries_its_area_and_an_unknown_action_none() -> None:
    found = (
        Recommendation("a", 3, Action("seminar_new", "method"), "…"),
        Recommendation("b", 4, Action("something_new", 7), "…"),  # no button, still number 2
        Recommendation("c", 5, Action("seminar_new", "astrology"), "…"),
        Recommendation("d", 5, Action("campaign_new", "deficits"), "…"),
    )
    rows = buttons(found)
    assert [(b.action, b.ref) for (b,) in rows] == [
        ("summary.seminar_new", (3,)),  # AREAS: norm, subject, method, …
        ("summary.seminar_new", (0,)),
        ("summary.campaign_new", ()),
    ]
    ru = load_catalogues()["ru"]
    labels = [label(ru, b.label) for (b,) in rows]
    assert labels == [
        "1. Запланировать семинар",
        "3. Запланировать семинар",
        "4. Запустить кампанию",
    ]


def test_every_summary_button_packs_and_comes_back() -> None:
    """Each action core gives a summary button, and the reminder's «Да»/«Нет», as stored in
    the outbox, becomes callback data of at most 64 bytes that unpacks to the same action."""
    names = [*(PREFIX + a for a in ACTIONS), YES, NO]
    rows = [[Button(Text("btn_no"), name, (2**31 - 1,))] for name in names]
    keyboard = stored_keyboard(stored(load_catalogues()["ru"], rows))
    for name, (button,) in zip(names, keyboard.inline_keyboard, strict=True):
        data = str(button.callback_data)
        assert len(data.encode()) <= 64
        unpacked = SummaryActionCallback.unpack(data)
        assert (PREFIX + ACTION_OF[unpacked.act], unpacked.id) == (name, 2**31 - 1)
