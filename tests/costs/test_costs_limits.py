"""Issue 10, costs side: limits on draws, horizon and scenario nesting with a message naming the
limit; non-finite and huge numbers refused where they enter; the PSA's memory bounded by chunks."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from _costs_data import four_families, judged_cohort, recorded, tiny
from typer.testing import CliRunner

from impactkit.cli import app
from impactkit.costs import Scenario, business_case, evaluate
from impactkit.costs import _uncertainty as unc
from impactkit.errors import ParameterError, ScenarioError, ValidationError


def test_draws_above_the_limit_are_refused_naming_it() -> None:
    with pytest.raises(
        ParameterError, match=r"'draws' parameter of evaluate must be at most 1,000,000 \(the limit\)"
    ):
        evaluate(four_families(), Scenario.from_dict(tiny()), draws=100_000_000)
    with pytest.raises(ParameterError, match="at most 1,000,000"):
        business_case(families_per_year=10, draws=1_000_001)


def test_cli_draws_above_the_limit_exit_2_without_traceback(sample_dir) -> None:
    res = CliRunner().invoke(app, ["costs", str(sample_dir), "--draws", "100000000"])
    assert res.exit_code == 2
    assert "1,000,000" in res.output
    assert "Traceback" not in res.output


def test_horizon_limit(tmp_path) -> None:
    with pytest.raises(ScenarioError, match="at most 100 years") as info:
        Scenario.from_dict(tiny(**{"scenario.horizon": 1_000_000}))
    assert info.value.key == "scenario.horizon"
    f = tmp_path / "s.toml"
    f.write_text(
        '[scenario]\nid = "x"\nreport_year = 2024\nhorizon = 1000000\n', encoding="utf-8"
    )  # the case: it asked for 71 GiB
    with pytest.raises(ScenarioError, match="limit on the horizon"):
        Scenario.from_file(f)
    with pytest.raises(ScenarioError, match="at most 100"):
        Scenario.from_dict(tiny(**{"paths.social_work.components": [{"care_type": "social_work",
                                                                     "units_per_year": 1, "years": 500}]}))  # fmt: skip


def test_nesting_limit(tmp_path) -> None:
    f = tmp_path / "deep.toml"
    f.write_text("a = " + "[" * 5000 + "]" * 5000 + "\n", encoding="utf-8")
    with pytest.raises(ScenarioError, match="nested too deeply"):
        Scenario.from_file(f)
    deep: dict = {"value": 1}
    for _ in range(20):
        deep = {"value": deep}
    spec = tiny(**{"paths.social_work.prevalence": deep})
    with pytest.raises(ScenarioError, match="more than 8 levels deep"):
        Scenario.from_dict(spec)
    f.write_bytes(b'[scenario]\nid = "caf\xe9"\n')
    with pytest.raises(ScenarioError, match="not UTF-8"):
        Scenario.from_file(f)


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("prices.social_work.price", math.inf, "finite"),
        ("prices.social_work.price", 1e300, "at most 1e\\+12"),
        ("paths.social_work.prevalence", math.nan, "finite"),
        ("programme.caseload_per_fte", -math.inf, "finite"),
    ],
)
def test_non_finite_and_huge_scenario_numbers(key: str, value: float, message: str) -> None:
    with pytest.raises(ScenarioError, match=message):
        Scenario.from_dict(tiny(**{key: value}))


def test_non_finite_and_huge_table_numbers_are_reported() -> None:
    s = Scenario.from_dict(tiny())
    care = pd.DataFrame({"family_id": ["F1", "F2"], "care_type": "social_work", "units": [math.inf, 1e9]})
    with pytest.raises(ValidationError) as info:
        evaluate(four_families(), s, care_used=care, draws=0)
    assert info.value.problems["row"].tolist() == [2, 3]
    prices = pd.DataFrame({"care_type": ["social_work"], "unit": ["contact"], "price": [1e300], "price_year": [2022],
                           "payer": ["state"], "source": ["x"]})  # fmt: skip
    with pytest.raises(ValidationError, match="at most 1e\\+12"):
        evaluate(four_families(), s, prices=prices, draws=0)
    table = pd.DataFrame({"year": [2024], "amount": [math.inf]})
    with pytest.raises(ValidationError, match="at most"):
        evaluate(four_families(), s, programme_costs=table, draws=0)
    cf = recorded(0.5).assign(likelihood=[0.5, math.inf, 0.5, math.nan])
    with pytest.raises(ValidationError) as info:
        evaluate(four_families(), s, counterfactuals=cf, draws=0)
    assert info.value.problems["row"].tolist() == [3, 5]


def test_largest_allowed_numbers_stay_finite() -> None:
    spec = tiny(**{"prices.social_work.price": 1e12, "paths.social_work.components": [
        {"care_type": "social_work", "units_per_year": 1e12, "years": 100}], "scenario.horizon": 100})  # fmt: skip
    data, cf = judged_cohort([1.0])
    r = evaluate(data, Scenario.from_dict(spec), counterfactuals=cf, draws=50)
    assert np.isfinite(r.headline["net_benefit"])
    assert np.isfinite(r.psa_draws["net_benefit"]).all()


def test_psa_in_chunks_is_the_same_analysis(monkeypatch: pytest.MonkeyPatch) -> None:
    """With a tiny memory budget the draws come in chunks of 100: every draw is there, the same seed
    gives the same result, and the summary matches the draws."""
    monkeypatch.setattr(unc, "_BUDGET", 1.0)
    data, cf = judged_cohort([0.2, 0.5, 0.9])
    s = Scenario.from_dict(
        tiny(**{"prices.social_work.price": {"value": 127.0, "dist": "gamma", "sd": 20.0}})
    )
    a = evaluate(data, s, counterfactuals=cf, draws=350, seed=4)
    b = evaluate(data, s, counterfactuals=cf, draws=350, seed=4)
    assert len(a.psa_draws) == 350
    pd.testing.assert_frame_equal(pd.DataFrame(a.psa_draws), pd.DataFrame(b.psa_draws))
    assert a.psa.set_index("quantity").loc["net_benefit", "mean"] == pytest.approx(
        a.psa_draws["net_benefit"].mean()
    )
