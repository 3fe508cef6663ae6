"""PSA, acceptability, tornado and named scenarios, checked against independent reruns."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
from _costs_data import tiny

from impactkit.costs import Scenario, business_case

SPEC = tiny(
    **{
        "prices.social_work.price": {"value": 127.0, "dist": "gamma", "sd": 30.0},
        "paths.social_work.prevalence": {"value": 0.5, "dist": "beta", "sd": 0.1},
        "adjustments.deadweight": {"value": 0.3, "dist": "beta", "sd": 0.1, "source": "t"},
        "adjustments.dropoff": {"value": 0.25, "low": 0.1, "high": 0.5, "source": "t"},
        "programme.costs.coordinator.amount": {"value": 4000.0, "dist": "gamma", "sd": 800.0},
    }
)


@pytest.fixture(scope="module")
def result():
    return business_case(Scenario.from_dict(SPEC), families_per_year=20, years=2, draws=20000, seed=11)


def test_psa_summary_matches_the_draws(result) -> None:
    draws = result.psa_draws
    assert len(draws) == 20000
    psa = result.psa.set_index("quantity")
    assert psa.loc["net_benefit", "mean"] == pytest.approx(draws["net_benefit"].mean())
    assert psa.loc["net_benefit", "q500"] == pytest.approx(draws["net_benefit"].median())
    assert psa.loc["net_benefit", "p_favourable"] == result.headline["p_net_benefit_positive"]
    assert result.headline["p_net_benefit_positive"] == pytest.approx((draws["net_benefit"] > 0).mean())
    assert result.headline["p_bcr_above_1"] == pytest.approx((draws["benefit_cost_ratio"] > 1).mean())
    assert (draws["net_benefit"] == draws["gross_avoided_cost"] - draws["programme_cost"]).all()


def test_same_seed_same_output_other_seed_other_draws() -> None:
    s = Scenario.from_dict(SPEC)
    a = business_case(s, families_per_year=20, years=2, draws=500, seed=3).to_dict()
    b = business_case(s, families_per_year=20, years=2, draws=500, seed=3).to_dict()
    c = business_case(s, families_per_year=20, years=2, draws=500, seed=4).to_dict()
    assert json.dumps(a, allow_nan=False) == json.dumps(b, allow_nan=False)
    assert a["psa"] != c["psa"]


def test_acceptability_against_a_rerun_with_fixed_deadweight(result) -> None:
    """P(saving) at deadweight 0.5 from the curve equals a fresh PSA with deadweight fixed at 0.5,
    within binomial sampling error (two independent samples of 20,000)."""
    acc = result.acceptability.set_index("deadweight")
    assert acc["p_net_benefit_positive"].is_monotonic_decreasing
    spec = {**SPEC, "adjustments": {**SPEC["adjustments"], "deadweight": {"value": 0.5, "source": "t"}}}
    rerun = business_case(Scenario.from_dict(spec), families_per_year=20, years=2, draws=20000, seed=99)
    p_curve = acc.loc[0.5, "p_net_benefit_positive"]
    p_rerun = rerun.headline["p_net_benefit_positive"]
    se = math.sqrt(2 * p_rerun * (1 - p_rerun) / 20000)
    assert abs(p_curve - p_rerun) < 5 * se + 1e-9


def test_tornado_rows_equal_deterministic_reruns(result) -> None:
    t = result.tornado.set_index("parameter")
    assert t["swing"].is_monotonic_decreasing
    row = t.loc["adjustments.dropoff"]
    assert (row["low"], row["high"]) == (0.1, 0.5)
    for end in ("low", "high"):
        spec = {**SPEC, "adjustments": {**SPEC["adjustments"], "dropoff": {"value": row[end], "source": "t"}}}
        rerun = business_case(Scenario.from_dict(spec), families_per_year=20, years=2, draws=0)
        assert row[f"net_{end}"] == pytest.approx(rerun.headline["net_benefit"])
    assert "paths.social_work.prevalence" in t.index
    assert "scenario.horizon" not in t.index  # structure, not a parameter


def test_named_scenarios_bracket_the_base(result) -> None:
    sc = result.scenarios.set_index("scenario")
    assert sc.index.tolist() == ["pessimistic", "base", "optimistic"]
    assert sc.loc["base", "net_benefit"] == pytest.approx(result.headline["net_benefit"])
    assert (
        sc.loc["pessimistic", "net_benefit"]
        <= sc.loc["base", "net_benefit"]
        <= sc.loc["optimistic", "net_benefit"]
    )
    # the pessimistic net benefit is no better than any single tornado end
    assert sc.loc["pessimistic", "net_benefit"] <= result.tornado[["net_low", "net_high"]].min().min() + 1e-6


def test_no_psa_when_draws_is_zero() -> None:
    r = business_case(Scenario.from_dict(SPEC), families_per_year=20, draws=0)
    assert r.psa is None
    assert r.psa_draws is None
    assert r.acceptability is None
    assert math.isnan(r.headline["p_net_benefit_positive"])
    d = r.to_dict()
    assert d["p_net_benefit_positive"] is None
    json.dumps(d, allow_nan=False)


def test_business_case_coordinator_fte_and_bad_options() -> None:
    from impactkit.errors import ParameterError

    s = Scenario.from_dict(SPEC)
    r = business_case(s, families_per_year=20, coordinator_fte=2.0, years=1, draws=0)
    assert r.headline["programme_cost"] == pytest.approx(2.0 * 4000.0)
    r = business_case(s, families_per_year=20, years=1, draws=0)
    assert r.headline["programme_cost"] == pytest.approx(20 / 20 * 4000.0)  # caseload 20 per FTE
    for kw in ({"families_per_year": 0}, {"families_per_year": 5, "years": 0}, {"families_per_year": 5,
               "coordinator_fte": -1}):  # fmt: skip
        with pytest.raises(ParameterError, match="parameter of business_case"):
            business_case(s, draws=0, **kw)


def test_psa_of_the_default_business_case_is_finite() -> None:
    """10,000 draws of the default business case (its speed is a target in benchmarks/, not a test)."""
    r = business_case(Scenario.default(), families_per_year=40, years=3, draws=10000)
    assert np.isfinite(r.psa_draws["net_benefit"]).all()
    assert len(r.psa_draws) == 10000
