"""Planning: power_paired against R's power.t.test, minimum detectable change, mixed-model power
by simulation against the exact noncentral-t power of the balanced design.

R: tests/results/measures/reference_planning.R (power.t.test(type = "paired", tol = 1e-12) and the
noncentral t with df = (n - 1)(T - 1), SE √(2σ²/n): the balanced random-intercept design, where the
mixed model's wave contrast is the RM-ANOVA error-stratum test).
Tolerances: power 1e-9 absolute (noncentral t on both sides); solved n and delta 1e-7 relative
(both solved to ~1e-12); simulated power within 3.5 Monte Carlo SEs (n_sim = 600, seed fixed).
"""

from __future__ import annotations

import numpy as np
import pytest
from _measures_data import load, reference

import impactkit as ik
from impactkit.errors import ParameterError
from impactkit.measures import minimum_detectable_change, power_mixed, power_paired

REF = reference("power_t.csv")


@pytest.mark.parametrize("i", range(10))
def test_power_paired_matches_power_t_test(i: int) -> None:
    row = REF.iloc[i]
    kw: dict[str, object] = {"sd_diff": row.sd, "alpha": row["sig.level"], "strict": bool(row.strict),
                             "alternative": "two-sided" if row.alternative == "two.sided" else "one-sided"}  # fmt: skip
    kw |= {k: row[k] for k in ("n", "delta", "power") if k != row.solved}
    got = power_paired(**kw).iloc[0]  # type: ignore[arg-type]
    assert got.solved == row.solved
    assert got.power == pytest.approx(row.power, abs=1e-9)
    assert got.n == pytest.approx(row.n, rel=1e-7)
    assert got.delta == pytest.approx(row.delta, rel=1e-7)


def test_sd_from_correlation_and_errors() -> None:
    """Hand: sd_diff = sd √(2(1 - ρ)) = 0.9 √(2 · 0.4) = 0.804984..."""
    got = power_paired(n=50, delta=0.3, sd=0.9, correlation=0.6).iloc[0]
    assert got.sd_diff == pytest.approx(0.9 * np.sqrt(0.8), rel=1e-15)
    with pytest.raises(ParameterError, match="Exactly one of 'n', 'delta' and 'power'"):
        power_paired(n=50, delta=0.3, sd_diff=1.0, power=0.8)
    with pytest.raises(ParameterError, match="needs 'sd_diff'"):
        power_paired(n=50, delta=0.3)


def test_minimum_detectable_change_on_the_sample() -> None:
    """The SD of the differences is change()'s (mean_diff / d_z); mdc_group solves power.t.test for
    delta; mdc_individual equals reliable_change's threshold (critical 1.96 = z at alpha 0.05)."""
    data = load("sample")
    mdc = minimum_detectable_change(data, n_families=[50, 200])
    ch = ik.change(data).set_index("domain")
    fin = mdc[mdc.domain == "finances"].set_index("n_families")
    assert fin.loc[50, "sd_diff"] == pytest.approx(
        ch.loc["finances", "mean_diff"] / ch.loc["finances", "cohen_dz"], rel=1e-12
    )
    want = power_paired(n=200, sd_diff=fin.loc[200, "sd_diff"], power=0.8).delta.iloc[0]
    assert fin.loc[200, "mdc_group"] == pytest.approx(want, rel=1e-12)
    assert fin.loc[50, "mdc_group"] > fin.loc[200, "mdc_group"]  # more families detect smaller change
    par = ik.reliable_change(data).meta["parameters"].set_index("domain")
    np.testing.assert_allclose(mdc.drop_duplicates("domain").set_index("domain")["mdc_individual"],
                               par["threshold"], rtol=1e-3)  # z = 1.959964 vs critical = 1.96  # fmt: skip
    assert mdc.reliability_placeholder.all()
    assert any("placeholders" in n for n in mdc.notes)


def test_simulated_mixed_model_power_matches_the_balanced_formula() -> None:
    """Complete data: 2 waves (the paired t: R power.t.test(n = 60, delta = 0.4, sd = 1, strict)) and
    3 waves (noncentral t, df = 2(n - 1)); the simulation is unbiased and covers at 95%."""
    for row, waves in ((REF.iloc[10], [0.4]), (REF.iloc[11], [0.4, 0.4])):
        res = power_mixed(
            n_families=int(row.n), change=waves, var_family=0.3, var_residual=0.5, n_sim=600, seed=7
        )
        got = res.iloc[0]
        assert abs(got.power - row.power) < 3.5 * got.power_se, (got.power, row.power)
        assert got.mean_estimate == pytest.approx(0.4, abs=0.02)
        assert abs(got.coverage - 0.95) < 3.5 * np.sqrt(0.95 * 0.05 / 600)
        assert got.mean_df == pytest.approx((row.n - 1) * len(waves), rel=0.02)


def test_dropout_lowers_power_and_is_reproducible() -> None:
    full = power_mixed(n_families=80, change=[0.2, 0.35], var_family=0.4, var_residual=0.5, n_sim=200, seed=1)
    drop = power_mixed(n_families=80, change=[0.2, 0.35], var_family=0.4, var_residual=0.5, retention=[0.8, 0.6],
                       n_sim=200, seed=1)  # fmt: skip
    assert (drop.power.to_numpy() < full.power.to_numpy()).all()
    again = power_mixed(
        n_families=80, change=[0.2, 0.35], var_family=0.4, var_residual=0.5, n_sim=200, seed=1
    )
    assert full.equals(again)
    with pytest.raises(ParameterError, match="'retention' parameter of power_mixed"):
        power_mixed(n_families=80, change=0.3, var_family=0.4, var_residual=0.5, retention=0.0)


def test_simulated_power_of_a_comparison_group_matches_the_two_sample_formula() -> None:
    """A programme and a comparison group, complete data: the difference in change is the
    two-sample t on the change scores (2 waves: R power.t.test(type = "two.sample", n = 50,
    delta = 0.4, sd = 1)); with 3 waves and 60 vs 40 families the noncentral t with
    df = (n1 + n2 - 2)(T - 1), SE √(2σ² (1/n1 + 1/n2)) (reference_planning.R)."""
    cases = ((REF.iloc[12], 50, 50, [0.4], 0.0), (REF.iloc[13], 60, 40, [0.45, 0.55], [0.1, 0.2]))
    for row, n1, n2, change, comparison in cases:
        waves = ["intake", "year1", "year2"][: len(change) + 1]
        res = power_mixed(n_families=n1, n_comparison=n2, change=change, comparison_change=comparison,
                          var_family=0.3, var_residual=0.5, n_sim=600, seed=7, waves=waves)  # fmt: skip
        assert res.wave.tolist() == waves[1:]
        assert set(res.reference) == {"intake"}
        assert set(res.effect) == {"difference in change"}
        for got in res.itertuples():
            assert got.difference == pytest.approx(row.delta)
            assert abs(got.power - row.power) < 3.5 * got.power_se, (got.power, row.power)
            assert got.mean_estimate == pytest.approx(row.delta, abs=0.03)
            assert abs(got.coverage - 0.95) < 3.5 * np.sqrt(0.95 * 0.05 / 600)
            assert got.mean_df == pytest.approx((n1 + n2 - 2) * len(change), rel=1e-3)
    with pytest.raises(ParameterError, match="'n_comparison' parameter of power_mixed"):
        power_mixed(n_families=40, n_comparison=1, change=0.3, var_family=0.4, var_residual=0.5)
    with pytest.raises(ParameterError, match="'waves' parameter of power_mixed must name 2 waves"):
        power_mixed(n_families=40, change=0.3, var_family=0.4, var_residual=0.5, waves=["a", "b", "c"])
