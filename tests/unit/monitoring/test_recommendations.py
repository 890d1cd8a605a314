"""Recommendations: the issue's examples, alerts first, and never a hidden value."""

from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from core.monitoring.catalogue import ScopeType, load_catalogue
from core.monitoring.disclosure import ShownValue, protect
from core.monitoring.names import Names
from core.monitoring.periods import Period, month, school_year
from core.monitoring.recommendations import (
    RULES,
    Action,
    Alerts,
    CampaignAlert,
    load_rules,
    recommend,
)
from core.monitoring.rules import Reason
from tests.unit.monitoring.attack import value

YEAR = school_year(date(2026, 11, 18))
OCTOBER, NOVEMBER = month(date(2026, 10, 1)), month(date(2026, 11, 1))
MUN, SCHOOL, SUBJECT = ScopeType.MUNICIPALITY, ScopeType.SCHOOL, ScopeType.SUBJECT
NAMES = Names(
    "Новотроицк",
    schools={10: "СОШ № 1", 11: "СОШ № 2"},
    subjects={5: "математика"},
    facets={"method": "методическая", "12": "Выгорание, ноябрь"},
)


def shown(
    key: str,
    period: Period,
    scope: tuple[ScopeType, int],
    val: float | None,
    facet: str | None = None,
) -> ShownValue:
    hidden = Reason.SMALL if val is None else None
    return ShownValue(
        key, facet, period, *scope, None, None, val, None, "respondents", hidden
    )  # fmt: skip


def publication() -> list[ShownValue]:
    return [
        shown("deficit_by_area", YEAR, (SUBJECT, 5), 55.0, "method"),
        shown("young_mentored", YEAR, (MUN, 1), 30.0),
        shown("response_rate", NOVEMBER, (MUN, 1), 61.0, "12"),
        shown("response_rate", NOVEMBER, (SCHOOL, 10), 20.0, "12"),
        shown("diag_coverage", YEAR, (MUN, 1), 80.0),
    ]


def test_the_issues_examples_become_actions() -> None:
    alerts = Alerts(mentor_capacity=4, open_campaigns=(CampaignAlert(12, days_left=6),))
    found = recommend(publication(), alerts, NAMES)
    # same priority: 70 % of young teachers without a mentor outweigh a 55 % deficit
    assert [r.action for r in found] == [
        Action("mentoring", None),
        Action("seminar_new", "method"),
        Action("campaign_remind", 12),
    ]
    assert "у наставников 4 свободных мест" in found[0].text
    assert found[1].text == (
        "Запланируйте семинар по области «методическая»: дефицит отмечают 55 % учителей "
        "предмета «математика»."
    )
    assert found[2].text.startswith("СОШ № 1: в кампании «Выгорание, ноябрь» ответили 20 %")
    english = recommend(publication(), alerts, NAMES, language="en")
    assert english[1].text.startswith("Plan a seminar on “методическая”")


def test_alerts_come_first_and_at_most_five_are_given() -> None:
    alerts = Alerts(
        support_waiting=2,
        mentoring_overdue=1,
        mentor_capacity=4,
        open_campaigns=(CampaignAlert(12, days_left=2),),
    )
    values = [*publication(), shown("community_share", YEAR, (MUN, 1), 55.0)]
    found = recommend(values, alerts, NAMES)
    # 61 % answered campaign 12: not behind; the young-mentor action is the same as the
    # overdue requests' one; the diagnostics coverage of 80 % is not low
    assert [r.rule for r in found] == [
        "support_waiting",
        "mentoring_requests_overdue",
        "deficit_seminar",
        "school_low_response",
        "community_low",
    ]
    assert found[0].text == "Ответьте на запросы о поддержке: ждут 2."
    assert len({r.action for r in found}) == len(found)


def test_a_campaign_under_half_two_days_before_its_deadline() -> None:
    values = [shown("response_rate", NOVEMBER, (MUN, 1), 41.0, "12")]
    soon = recommend(values, Alerts(open_campaigns=(CampaignAlert(12, 2),)), NAMES)
    assert [r.rule for r in soon] == ["campaign_behind"]
    assert "41 %" in soon[0].text and "2 дн." in soon[0].text
    later = recommend(values, Alerts(open_campaigns=(CampaignAlert(12, 5),)), NAMES)
    assert later == ()


def test_a_school_whose_high_burnout_share_rose() -> None:
    values = [
        shown("burnout_high_risk", OCTOBER, (SCHOOL, 10), 24.0),
        shown("burnout_high_risk", NOVEMBER, (SCHOOL, 10), 35.0),
        shown("burnout_high_risk", OCTOBER, (SCHOOL, 11), 31.0),
        shown("burnout_high_risk", NOVEMBER, (SCHOOL, 11), 33.0),  # rose by 2 only
    ]
    (found,) = recommend(values, Alerts(), NAMES)
    assert found.action == Action("school_support", 10)
    assert found.text.startswith(
        "СОШ № 1: доля педагогов с высоким риском выгорания выросла до 35 %"
    )


def test_hidden_values_never_trigger_or_appear() -> None:
    # the truth would trigger every rule below; disclosure control hides the small groups
    truth = (
        replace(value("deficit_by_area", YEAR, (SUBJECT, 5), 8, 9), facet="method"),  # n < 10
        value("young_mentored", YEAR, (MUN, 1), 1, 4),  # 25 %, n < 5
        value("burnout_high_risk", OCTOBER, (SCHOOL, 10), 2, 12),
        value("burnout_high_risk", NOVEMBER, (SCHOOL, 10), 7, 9),  # 78 %, n < 10
    )
    published = protect(truth, load_catalogue())
    assert all(s.hidden for s in published)
    alerts = Alerts(mentor_capacity=3)
    assert recommend(published, alerts, NAMES) == ()


def test_rules_with_an_unknown_check_are_refused(tmp_path: Path) -> None:
    broken = tmp_path / "rules.yaml"
    broken.write_text(
        RULES.read_text(encoding="utf-8").replace("check: school_rise", "check: vibes")
    )
    with pytest.raises(ValueError, match="rule burnout_rise: unknown check 'vibes'"):
        load_rules(broken)
