"""The assumptions table: complete (durations, units, escalations, adjustments, discounting),
used-only, labelled in both languages, in the tornado's order, and saying where programme costs
came from. Durations are parameters (fractional years by hand)."""

from __future__ import annotations

import re

import pandas as pd
import pytest
from _costs_data import TINY_CASE_PV, judged_cohort, tiny

from impactkit.costs import Scenario, business_case, evaluate
from impactkit.costs._labels import param_labels
from impactkit.io import read_dataset


@pytest.fixture(scope="module")
def sample_result(sample_dir):
    return evaluate(read_dataset(sample_dir, today="2026-11-01"), draws=500, seed=1)


def test_fractional_duration_by_hand() -> None:
    """A duration of 1.5 years: a full year 1 and half of year 2. With 10 contacts × €127 × 1.073 a
    year, drop-off 25% and 2.25% discounting: 1362.71 × (1 + 0.5 × 0.75/1.0225) × 0.504."""
    spec = tiny(**{"paths.social_work.components": [{"care_type": "social_work", "units_per_year": 10,
                                                      "years": 1.5}]})  # fmt: skip
    data, cf = judged_cohort([1.0])
    r = evaluate(data, Scenario.from_dict(spec), counterfactuals=cf, draws=0)
    expected = 10 * 127 * 1.073 * (1 + 0.5 * 0.75 / 1.0225) * 0.504
    assert r.headline["gross_avoided_cost"] == pytest.approx(expected)


def test_a_duration_drives_the_tornado_and_the_table() -> None:
    """Doubling the duration range moves the result, so the duration is listed with its range and
    its tornado swing equals two deterministic reruns."""
    years = {"value": 2, "dist": "triangular", "low": 1, "high": 3}
    spec = tiny(**{"paths.social_work.components": [{"care_type": "social_work", "units_per_year": 10,
                                                      "years": years}]})  # fmt: skip
    data, cf = judged_cohort([1.0])
    r = evaluate(data, Scenario.from_dict(spec), counterfactuals=cf, draws=0)
    key = "paths.social_work.components[0].years"
    t = r.tornado.set_index("parameter")
    assert key in t.index
    for end, value in (("net_low", 1), ("net_high", 3)):
        rerun = tiny(**{"paths.social_work.components": [{"care_type": "social_work", "units_per_year": 10,
                                                          "years": value}]})  # fmt: skip
        ref = evaluate(data, Scenario.from_dict(rerun), counterfactuals=cf, draws=0).headline["net_benefit"]
        assert t.loc[key, end] == pytest.approx(ref)
    # three years instead of one: + year 2 and year 3 of one case (hand calculation)
    extra = 10 * 127 * 1.073 * (0.75 / 1.0225 + 0.75**2 / 1.0225**2) * 0.504
    assert t.loc[key, "net_high"] - t.loc[key, "net_low"] == pytest.approx(extra)
    assert pytest.approx(10 * 127 * 1.073 * 0.504 + extra) == TINY_CASE_PV
    a = r.assumptions.set_index("parameter")
    assert a.loc[key, "label_en"] == "Social work: duration in years"
    assert a.loc[key, "label_nl"] == "Social work: duur in jaren"  # the tiny scenario has no Dutch label


def test_used_only_and_complete_on_the_sample(sample_result) -> None:
    a = sample_result.assumptions
    keys = set(a["parameter"])
    # programme cost came from programme_costs.csv: no coordinator, caseload or items, one row instead
    assert not any(k.startswith("programme.") for k in keys)
    assert "programme_costs" in keys
    row = a.set_index("parameter").loc["programme_costs"]
    table = pd.read_csv("data/sample/programme_costs.csv")
    factors = Scenario.default().index
    assert row["value"] == pytest.approx(sum(x * factors[y] for y, x in zip(table["year"], table["amount"],
                                                                             strict=True)))  # fmt: skip
    assert "programme_costs table" in row["source"]
    assert sample_result.meta["programme_cost_origin"] == "programme_costs table"
    # complete: durations, units, escalations, adjustments, discounting, horizon, judgement strength
    for key in ("paths.debt_assistance.components[1].years", "paths.parenting_support.components[0].units_per_year",
                "paths.parenting_support.escalations[0].probability", "adjustments.deadweight",
                "adjustments.displacement", "discount.costs", "discount.effects", "scenario.horizon",
                "uncertainty.judgement_strength", "rules.finances_low_debt.probability"):  # fmt: skip
        assert key in keys, key
    # not used: prices no path or care needs, volunteer time (not valued)
    assert "prices.volunteer_time.price" not in keys
    assert not any(k.startswith("programme.volunteer_time") for k in keys)


def test_rows_in_the_tornado_order(sample_result) -> None:
    a, t = sample_result.assumptions, sample_result.tornado
    ranked = a[a["tornado_rank"].notna()]
    assert ranked["parameter"].tolist() == t["parameter"].tolist()
    assert ranked["tornado_rank"].tolist() == list(range(1, len(t) + 1))
    assert a["tornado_rank"].notna().iloc[: len(t)].all()  # ranked rows first, fixed ones after
    assert set(t["parameter"]) <= set(a["parameter"])  # the tornado is used-only too


def test_every_label_is_human_in_both_languages(sample_result) -> None:
    raw = re.compile(r"\b(paths|prices|rules|adjustments|programme|programmes|discount)\.|\[\d+\]|_[a-z]")
    for table in (sample_result.assumptions, sample_result.tornado):
        for col in ("label_en", "label_nl"):
            for label in table[col]:
                assert label, table
                assert not raw.search(label), label
    labels = param_labels(Scenario.default())
    assert all(p.name in labels for p in Scenario.default().params())
    a = sample_result.assumptions.set_index("parameter")
    assert a.loc["adjustments.deadweight", "label_nl"] == "Deadweight (was ook zonder programma vermeden)"
    assert a.loc["prices.family_home.price", "label_nl"] == "Prijs: plaatsing in een gezinshuis (per jaar)"


def test_scenario_programme_costs_are_listed_when_used() -> None:
    bc = business_case(families_per_year=40, years=2, draws=0)
    keys = set(bc.assumptions["parameter"])
    assert {"programme.caseload_per_fte", "programme.costs.coordinator.amount",
            "programme.costs.training.amount"} <= keys  # fmt: skip
    assert "programme_costs" not in keys
    assert bc.meta["programme_cost_origin"] == "scenario"
    # the light default declaration: no supervision-order or placement parameters
    assert not any("supervision_order" in k or "out_of_home" in k for k in keys)
    with_fte = business_case(families_per_year=40, coordinator_fte=2.0, draws=0)
    assert "programme.caseload_per_fte" not in set(with_fte.assumptions["parameter"])


def test_unmatched_rules_and_unused_prevalences_are_not_listed() -> None:
    rules = [{"id": "fin", "path": "social_work", "domain": "finances", "max_score": 1, "probability": 0.3,
              "source": "t"}]  # fmt: skip
    data, cf = judged_cohort([0.5, 0.5])  # everyone judged, finances 3: the rule matches nobody
    r = evaluate(data, Scenario.from_dict(tiny(rules=rules)), counterfactuals=cf, draws=0)
    keys = set(r.assumptions["parameter"])
    assert "rules.fin.probability" not in keys
    assert "paths.social_work.prevalence" not in keys
    assert "uncertainty.judgement_strength" in keys
