"""The catalogue, targets and trends: data files read and checked, progress and arrows."""

from datetime import date
from pathlib import Path

import pytest

from core.monitoring.catalogue import (
    CATALOGUE,
    Base,
    CatalogueError,
    PeriodRule,
    ScopeType,
    Sensitivity,
    load_catalogue,
)
from core.monitoring.compute import FACETED, PLAIN
from core.monitoring.disclosure import ShownValue
from core.monitoring.periods import Period, month, school_year, week
from core.monitoring.rules import Reason
from core.monitoring.targets import load_targets, progress, target_for
from core.monitoring.trends import trend, trends
from core.seminars.listing import AREAS
from surveys.registry import load_all

KEYS = {
    "diag_coverage", "deficit_by_area", "route_share", "burnout_high_risk", "satisfaction",
    "nps", "young_share", "young_in_events", "mentoring_share", "young_mentored",
    "events_count", "community_share", "response_rate",
}  # fmt: skip


def test_the_catalogue_has_every_indicator_with_both_languages() -> None:
    catalogue = load_catalogue()
    assert set(catalogue.keys) == KEYS == set(PLAIN) | set(FACETED)
    for indicator in catalogue:
        assert indicator.name.ru and indicator.name.en and indicator.source
        assert indicator.definition.ru.endswith(".") and indicator.definition.en.endswith(".")
        assert ScopeType.MUNICIPALITY in indicator.breakdowns
    sensitive = {i.key for i in catalogue if i.sensitivity is Sensitivity.SENSITIVE}
    assert sensitive == {"burnout_high_risk", "deficit_by_area", "route_share"}  # route: deficits
    assert catalogue["community_share"].denominator is Base.HEADCOUNT
    assert catalogue["response_rate"].period_rule is PeriodRule.PER_CAMPAIGN
    assert not catalogue["burnout_high_risk"].higher_is_better
    assert catalogue["satisfaction"].name.get("en") == "Participants' satisfaction with events"


def test_a_broken_catalogue_names_the_indicator_and_field(tmp_path: Path) -> None:
    broken = tmp_path / "indicators.yaml"
    text = CATALOGUE.read_text(encoding="utf-8")
    broken.write_text(text.replace("  kind: count\n", "  kind: tally\n"), encoding="utf-8")
    with pytest.raises(CatalogueError, match="events_count: 'tally' is not a valid Kind"):
        load_catalogue(broken)
    broken.write_text(text.replace('  source: "000 §4; 004 plan"\n', ""), encoding="utf-8")
    with pytest.raises(CatalogueError, match="events_count: missing field 'source'"):
        load_catalogue(broken)


def test_seed_004_targets_and_progress() -> None:
    targets = load_targets()
    indicator = load_catalogue()["community_share"]
    target = target_for(targets, "community_share", week(date(2023, 11, 20)))
    assert target is not None and (target.school_year, target.value) == ("2023/24", 90.0)
    assert target_for(targets, "community_share", month(date(2030, 1, 1))) is None
    found = progress(75.5, target, indicator)
    # from the baseline 61 to 90: (75.5 - 61) / (90 - 61) = 14.5 / 29 = 0.5
    assert found is not None and found.done == pytest.approx(0.5)
    assert found.gap == pytest.approx(14.5) and not found.reached
    reached = progress(91.0, target, indicator)
    assert reached is not None and reached.reached and reached.gap == 0
    assert progress(None, target, indicator) is None


def shown(period: Period, value: float | None, hidden: Reason | None = None) -> ShownValue:
    return ShownValue(
        "satisfaction", None, period, ScopeType.MUNICIPALITY, 1, None, None, value, None,
        "respondents", hidden,
    )  # fmt: skip


def test_trends_compare_with_the_previous_period_in_the_publication() -> None:
    w46, w47 = week(date(2026, 11, 9)), week(date(2026, 11, 16))
    assert trend(shown(w47, 80.0), shown(w46, 70.0)).arrow == "up"
    assert trend(shown(w47, 80.0), shown(w46, 70.0)).change == pytest.approx(10.0)
    assert trend(shown(w47, 60.0), shown(w46, 70.0)).arrow == "down"
    assert trend(shown(w47, 70.2), shown(w46, 70.0)).arrow == "flat"
    hidden = trend(shown(w47, 80.0), shown(w46, None, Reason.SMALL))
    assert (hidden.change, hidden.arrow) == (None, None)
    year = school_year(date(2026, 11, 16))
    found = trends([shown(w46, 50.0), shown(w47, 55.0), shown(year, 52.0)])
    assert found[shown(w47, 0).cell].change == pytest.approx(5.0)
    assert found[shown(year, 0).cell].change is None  # 2025/26 is not in the publication


def test_the_deficit_areas_read_from_stored_scores_are_the_instruments_scales() -> None:
    # the indicators read each area's band by its name (a JSON path in SQL): an area the
    # instrument gained and AREAS lacks would be silently left out of deficit_by_area
    deficits = [i for i in load_all().values() if i.key == "deficits"]
    assert deficits
    assert all({s.id for s in i.scales} == set(AREAS) for i in deficits)
