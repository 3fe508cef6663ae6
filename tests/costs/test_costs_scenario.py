"""Scenario files: the shipped default is complete and sourced; bad scenarios name file and key."""

from __future__ import annotations

import tomllib
from importlib import resources
from pathlib import Path

import pytest
from _costs_data import tiny

from impactkit.costs import DEFAULT_PAYERS, Scenario
from impactkit.errors import ScenarioError


def test_default_scenario_is_illustrative_and_sourced() -> None:
    s = Scenario.default()
    assert s.illustrative
    assert s.source == "builtin:default"
    assert s.discount_costs.value == s.discount_effects.value == 0.0225
    assert [p.id for p in s.payers] == [p.id for p in DEFAULT_PAYERS]
    for price in s.prices.values():
        assert price.source.strip()
        assert price.price_year in s.index
    for path in s.paths.values():
        assert path.source.strip()
    for rule in s.rules:
        assert rule.source.strip()
    for p in s.params():
        assert p.source.strip(), p.name
    # BRIEF §5 prices at their price years
    assert s.prices["social_work"].price.value == 127.0
    assert s.prices["home_guidance"].price.value == 64.0
    assert s.prices["supervision_order_first_year"].price.value == 8758.0
    assert s.prices["supervision_order_later_year"].price.value == 7323.0
    assert s.prices["family_home"].price.value == 60327.0
    assert s.prices["debt_assistance"].price.value == 2400.0
    assert s.prices["problematic_debt_societal"].price.value == 11600.0
    assert s.volunteer_hour_value.value == 18.80
    assert not s.value_volunteer_time
    # Regioplan 2011: about half of the debt-assistance benefit returns to the municipality
    assert dict(s.prices["problematic_debt_societal"].payers)["municipality_income"] == 0.5


def test_default_is_conservative() -> None:
    """Ranges take their lower end as base (foster allowance €17.50, residential €100,000)."""
    s = Scenario.default()
    assert s.prices["foster_care_allowance"].price.value == 17.50
    assert s.prices["residential_youth_care"].price.value == 100000.0
    assert s.deadweight.value > 0
    assert s.dropoff.value > 0


def test_default_file_round_trips_from_file(tmp_path: Path) -> None:
    text = (resources.files("impactkit.costs") / "data" / "default.toml").read_text(encoding="utf-8")
    p = tmp_path / "mine.toml"
    p.write_text(text, encoding="utf-8")
    s = Scenario.from_file(p)
    assert s.source == str(p)
    assert s.assumptions().equals(Scenario.default().assumptions())


def test_assumptions_table() -> None:
    a = Scenario.default().assumptions()
    assert list(a.columns) == ["parameter", "value", "dist", "sd", "low", "high", "source"]
    assert a["parameter"].is_unique
    assert "Cost scenario default" in Scenario.default()._repr_html_()


BAD = [
    ({"prices.social_work.price": -5.0}, "prices.social_work.price.value", "at least 0"),
    ({"adjustments.deadweight.value": 1.2}, "adjustments.deadweight.value", "at most 1"),
    ({"paths.social_work.prevalence": 1.5}, "paths.social_work.prevalence.value", "at most 1"),
    ({"prices.social_work.payer": "the_moon"}, "prices.social_work.payer", "unknown payer"),
    (
        {"prices.social_work.payer": {"state": 0.5, "municipality_youth": 0.3}},
        "prices.social_work.payer",
        "add up",
    ),
    ({"prices.social_work.source": None}, "prices.social_work.source", "required"),
    ({"adjustments.dropoff": {"value": 0.1}}, "adjustments.dropoff.source", "source"),
    ({"prices.social_work.unit": "week"}, "prices.social_work.unit", "unknown unit"),
    ({"prices.social_work.price_year": 2019}, "prices.social_work.price_year", "no index factor"),
    (
        {
            "paths.social_work.components": [
                {"care_type": "social_work", "units_per_year": 10, "unit": "hour"}
            ]
        },
        "paths.social_work.components[0].unit",
        "units mismatch",
    ),
    (
        {"paths.social_work.components": [{"care_type": "therapy", "units_per_year": 1}]},
        "paths.social_work.components[0].care_type",
        "unknown care type",
    ),
    (
        {"paths.social_work.escalations": [{"to": "prison", "probability": 0.1}]},
        "paths.social_work.escalations[0].to",
        "unknown care path",
    ),
    (
        {"paths.social_work.escalations": [{"to": "social_work", "probability": 0.1}]},
        "paths.social_work.escalations",
        "cycle",
    ),
    (
        {
            "rules": [
                {
                    "id": "r",
                    "path": "nowhere",
                    "domain": "finances",
                    "max_score": 2,
                    "probability": 0.3,
                    "source": "t",
                }
            ]
        },
        "rules[0].path",
        "unknown care path",
    ),
    (
        {
            "rules": [
                {"id": "r", "path": "social_work", "domain": "finances", "max_score": 2, "probability": 0.3}
            ]
        },
        "rules[0].source",
        "required",
    ),
    (
        {"prices.social_work.price": {"value": 127.0, "dist": "weibull", "sd": 3}},
        "prices.social_work.price.dist",
        "unknown distribution",
    ),
    (
        {"adjustments.deadweight": {"value": 0.5, "dist": "beta", "sd": 0.6, "source": "t"}},
        "adjustments.deadweight",
        "beta needs",
    ),
    (
        {"prices.social_work.price": {"value": 127.0, "dist": "triangular"}},
        "prices.social_work.price",
        "triangular needs",
    ),
    (
        {"prices.social_work.price": {"value": 127.0, "low": 130, "high": 150}},
        "prices.social_work.price",
        "enclose",
    ),
    ({"programme.payer": "bank"}, "programme.payer", "unknown payer"),
    ({"programme.costs.coordinator.per": "week"}, "programme.costs.coordinator.per", "unknown 'per'"),
    ({"index.factors": {"2022": 1.073}}, "index.factors.2024", "factor 1.0"),
    ({"scenario.colour": "blue"}, "scenario.colour", "unknown key"),
    ({"adjustments.deadweight": None}, "adjustments.deadweight", "required"),
]


@pytest.mark.parametrize(("change", "key", "message"), BAD)
def test_bad_scenario_names_key(change: dict, key: str, message: str) -> None:
    with pytest.raises(ScenarioError, match=message) as info:
        Scenario.from_dict(tiny(**change), source="mine.toml")
    assert info.value.key == key
    assert info.value.source == "mine.toml"
    assert "mine.toml" in str(info.value)
    assert key in str(info.value)


def test_bad_file_names_file_and_key(tmp_path: Path) -> None:
    text = (resources.files("impactkit.costs") / "data" / "default.toml").read_text(encoding="utf-8")
    p = tmp_path / "bad.toml"
    p.write_text(text.replace("price = 8758.0", "price = -8758.0"), encoding="utf-8")
    with pytest.raises(ScenarioError) as info:
        Scenario.from_file(p)
    assert str(p) in str(info.value)
    assert info.value.key == "prices.supervision_order_first_year.price.value"


def test_unreadable_files(tmp_path: Path) -> None:
    with pytest.raises(ScenarioError, match="file not found"):
        Scenario.from_file(tmp_path / "nope.toml")
    p = tmp_path / "broken.toml"
    p.write_text("[scenario\nid = 1", encoding="utf-8")
    with pytest.raises(ScenarioError, match="not valid TOML"):
        Scenario.from_file(p)


def test_scenario_errors_are_value_errors() -> None:
    with pytest.raises(ValueError, match="section is required"):
        Scenario.from_dict({k: v for k, v in tiny().items() if k != "prices"})


def test_default_toml_parses_with_tomllib() -> None:
    spec = tomllib.loads(
        (resources.files("impactkit.costs") / "data" / "default.toml").read_text(encoding="utf-8")
    )
    assert spec["scenario"]["illustrative"] is True


def test_custom_payers() -> None:
    payers = {"gemeente": {"label": "Gemeente"}, "zorgverzekeraar": {"label": "Zorgverzekeraar"},
              "gezin": {"label": "Gezin", "fiscal": False}}  # fmt: skip
    spec = tiny(payers=payers, **{"prices.social_work.payer": "gemeente", "programme.payer": "gemeente"})
    spec["programme"]["volunteer_time"] = {"payer": "gezin"}
    s = Scenario.from_dict(spec)
    assert s.payer_ids == ["gemeente", "zorgverzekeraar", "gezin"]
    assert [p.fiscal for p in s.payers] == [True, True, False]
    assert not s.illustrative  # only the shipped scenario says so by default
    with pytest.raises(ScenarioError, match="unknown payer 'state'") as info:
        Scenario.from_dict(tiny(payers=payers, **{"prices.social_work.payer": "state"}))
    assert info.value.key == "prices.social_work.payer"
