"""Scenario texts in two languages: label_nl/label_en and source_nl/source_en reach the reports."""

from __future__ import annotations

import tomllib
from importlib import resources

import pytest

import impactkit as ik


def _default_spec() -> dict:
    text = (resources.files("impactkit.costs") / "data" / "default.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)


@pytest.fixture(scope="module")
def bilingual() -> ik.costs.Scenario:
    spec = _default_spec()
    path = spec["paths"]["debt_assistance"]
    path.pop("label", None)
    path["label_nl"], path["label_en"] = "Schuldhulpverlening (lokaal)", "Debt counselling (local)"
    price = spec["prices"]["social_work"]
    price["source_nl"] = "Kostenhandleiding 2024, maatschappelijk werk per contact (Nederlandse bron)"
    spec["prices"]["home_guidance"].pop("source_nl")  # a text in one language: both reports show it
    spec["adjustments"]["deadweight"]["source_nl"] = "Illustratief: 30% was ook zonder programma vermeden"
    spec["rules"][0]["source_nl"] = "Illustratieve aanname (regel)"
    spec["payers"] = {
        "municipality_prevention": {
            "label_nl": "Gemeente: preventie",
            "label_en": "Municipality: prevention",
        },
        **{p.id: {"label": p.label, "fiscal": p.fiscal} for p in ik.costs.DEFAULT_PAYERS[1:]},
    }
    return ik.costs.Scenario.from_dict(spec, source="bilingual.toml")


def test_each_text_in_each_language(bilingual):
    s = bilingual
    assert s.paths["debt_assistance"].label_in("nl") == "Schuldhulpverlening (lokaal)"
    assert s.paths["debt_assistance"].label_in("en") == "Debt counselling (local)"
    assert s.paths["debt_assistance"].label == "Debt counselling (local)"  # the English one is the default
    assert s.prices["social_work"].source_in("nl").endswith("(Nederlandse bron)")
    assert s.prices["social_work"].source_in("en").startswith("Kostenhandleiding 2024 (Hakkaart")
    nl = s.assumptions("nl").set_index("parameter")["source"]
    en = s.assumptions("en").set_index("parameter")["source"]
    assert nl["prices.social_work.price"].endswith("(Nederlandse bron)")
    assert nl["adjustments.deadweight"].startswith("Illustratief")
    assert en["adjustments.deadweight"].startswith("Illustrative")
    assert (
        nl["prices.home_guidance.price"] == en["prices.home_guidance.price"]
    )  # no Dutch text: the plain one
    assert s.rules[0].source_in("nl") == "Illustratieve aanname (regel)"
    assert s.payers[0].label_in("nl") == "Gemeente: preventie"


def test_a_wrong_type_names_the_key():
    spec = _default_spec()
    spec["prices"]["social_work"]["label_nl"] = 3
    with pytest.raises(ik.ScenarioError) as err:
        ik.costs.Scenario.from_dict(spec, source="x.toml")
    assert err.value.key == "prices.social_work.label_nl"


def test_the_dutch_report_shows_the_dutch_texts(bilingual, sample_dir):
    ds = ik.read_dataset(sample_dir, today="2026-11-01")
    rep = ik.build_report(ds, lang="nl", scenario=bilingual, draws=200, generated_at="2026-11-01")
    assert (
        "Illustratief: 30% was ook zonder programma vermeden" in rep.html
    )  # (the sample prices its own care)
    assert "Schuldhulpverlening (lokaal)" in rep.html
    en = ik.build_report(ds, lang="en", scenario=bilingual, draws=200, generated_at="2026-11-01")
    assert "Illustratief" not in en.html
    assert "Debt counselling (local)" in en.html
