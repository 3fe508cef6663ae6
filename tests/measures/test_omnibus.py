"""impactkit.measures.omnibus against R (tests/results/measures/reference_omnibus.R).

R: afex::aov_ez(id, dv, data, within = "wave") on complete cases; summary(fit) for Mauchly,
GG and HF epsilons (car 3.1-1 ``summary.Anova.mlm``: HF with the Lecoutre correction,
``((N-1+1) p GG - 2) / (p (N-1 - p GG))``); anova(fit, es = "ges" / "pes"); friedman.test(matrix).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from _measures_data import instrument, load, reference, sample_families

import impactkit as ik
from impactkit.errors import DesignError, ParameterError
from impactkit.measures import omnibus

CLOSED = 1e-9


@pytest.mark.parametrize("name", ["ordinal", "continuous", "obk_phase", "obk_hour_pre", "sample"])
def test_omnibus_matches_afex_and_friedman(name: str) -> None:
    """R: afex::aov_ez + summary (Mauchly, GG, HF), anova(es = "ges"/"pes"), friedman.test."""
    ours = omnibus(load(name)).to_frame()
    ref = reference(f"omnibus_{name}.csv")
    assert list(ours["domain"]) == list(ref["domain"])
    cols = [c for c in ref.columns if c != "domain"]
    for col in cols:
        np.testing.assert_allclose(ours[col].astype(float), ref[col], rtol=CLOSED, atol=1e-300, err_msg=col)


def test_hf_above_one_is_reported_and_capped_in_p() -> None:
    """R (car): 'HF eps > 1 treated as 1' for p, the epsilon itself reported as computed."""
    ours = omnibus(load("ordinal")).to_frame()
    above = ours["hf_epsilon"] > 1  # R: 1.027 (finances), 1.024 (housing)
    assert above.any()
    np.testing.assert_allclose(ours.loc[above, "p_hf"], ours.loc[above, "anova_p"], rtol=CLOSED)


def test_two_waves_have_no_mauchly() -> None:
    """With two waves sphericity holds trivially: GG = 1, p_gg = anova_p, Mauchly NaN."""
    res = omnibus(load("sleep")).to_frame()
    assert res["gg_epsilon"].iloc[0] == pytest.approx(1.0, rel=1e-12)
    assert np.isnan(res["mauchly_w"].iloc[0])
    # R: t.test(paired = TRUE) gives t = 4.0621, and F = t^2 for two waves
    assert res["anova_f"].iloc[0] == pytest.approx(4.062127683382037**2, rel=CLOSED)


def test_mauchly_is_nan_with_fewer_families_than_contrasts() -> None:
    """Two families on three waves: error df 1 < 2 contrasts, so the 2 x 2 SSPE has rank 1 and
    Mauchly's W is undefined (its correction rho = 1 - (2p^2 + p + 2) / (6 p df) = 1 - 12/12 = 0 by
    hand); it was a ZeroDivisionError (found by tests/cli/test_cli_cohorts.py)."""
    res = omnibus(_frame([[1, 2, 4], [2, 3, 3]]), min_pairs=2).to_frame()
    assert np.isnan(res["mauchly_w"].iloc[0])
    assert np.isnan(res["mauchly_p"].iloc[0])
    assert np.isfinite(res["anova_f"].iloc[0])


def test_implicit_and_explicit_missing_identical() -> None:
    data = load("ordinal")
    implicit = ik.canonical(data.dropna(subset=["score"]), data.attrs["instrument"])
    pd.testing.assert_frame_equal(omnibus(data).to_frame(), omnibus(implicit).to_frame())


def _frame(values: list[list[float]]) -> pd.DataFrame:
    rows = [
        {"family_id": f"f{i}", "wave": w, "domain": "d1", "score": v}
        for i, row in enumerate(values)
        for w, v in zip(["intake", "year1", "year2"], row, strict=True)
    ]
    return ik.canonical(pd.DataFrame(rows), instrument(["intake", "year1", "year2"], ["d1"]))


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ([[1, 2, 3]], "1 complete case"),
        ([[1, 2, np.nan], [2, np.nan, 3]], "0 complete case"),
        ([[3, 3, 3], [3, 3, 3]], "constant"),
        ([[1, 1, 1], [4, 4, 4]], "no change within any family"),
    ],
)
def test_degenerate_domain_is_design_error(values: list[list[float]], message: str) -> None:
    with pytest.raises(DesignError, match=message):
        omnibus(_frame(values))


def test_degenerate_domain_as_a_row_beside_the_others() -> None:
    """degenerate="row" (a report of a short period): the untestable domain is a row saying why,
    the other domain's statistics are those of omnibus on that domain alone."""
    rows = [
        {"family_id": f"f{i}", "wave": w, "domain": d, "score": v}
        for i in range(4)
        for d in ("d1", "d2")
        for w, v in zip(
            ["intake", "year1", "year2"], [1 + i % 2] * 3 if d == "d1" else [1, 2 + i % 2, 3 + i], strict=True
        )
    ]
    data = ik.canonical(pd.DataFrame(rows), instrument(["intake", "year1", "year2"], ["d1", "d2"]))
    with pytest.raises(DesignError, match="'d1' shows no change within any family"):
        omnibus(data, min_pairs=2)
    res = omnibus(data, min_pairs=2, degenerate="row").to_frame().set_index("domain")
    assert res.loc["d1", "status"] == "shows no change within any family, so no test is defined"
    assert np.isnan(res.loc["d1", "friedman_p"])
    assert res.loc["d1", "n_complete"] == 4
    alone = omnibus(data, min_pairs=2, domains=["d2"]).to_frame().set_index("domain")
    pd.testing.assert_series_equal(
        res.loc["d2"].drop("status"), alone.loc["d2"].drop("status"), check_dtype=False
    )
    with pytest.raises(ParameterError, match="'degenerate' parameter of omnibus"):
        omnibus(data, degenerate="skip")


def test_waves_subset_and_errors() -> None:
    data = load("ordinal")
    two = omnibus(data, waves=["intake", "year2"]).to_frame()
    assert two["anova_df1"].eq(1).all()
    with pytest.raises(ParameterError, match="'waves' parameter of omnibus"):
        omnibus(data, waves=["intake"])


def test_by_suppresses_small_groups() -> None:
    res = omnibus(load("sample"), by="municipality", families=sample_families(), min_n=20)
    small = res["status"].str.startswith("suppressed")
    assert small.any()
    assert res.loc[small, ["n_complete", "anova_f", "friedman_chi2"]].isna().all().all()
    assert (res.loc[~small, "n_complete"] >= 20).all()


def test_small_samples_are_descriptive() -> None:
    """Below min_pairs (10) complete cases: statistics stay, p-values go; min_pairs=2 gives the tests
    (the same statistics)."""
    small = ik.canonical(reference("small_long.csv"))
    desc, full = omnibus(small), omnibus(small, min_pairs=2)
    assert desc["status"].str.startswith("descriptive").all()
    assert desc[["friedman_p", "anova_p", "p_gg", "p_hf", "mauchly_p"]].isna().all().all()
    np.testing.assert_allclose(desc["anova_f"], full["anova_f"], rtol=0)
    assert full["anova_p"].notna().all()
    assert any("no claim that a change is beyond chance" in n for n in desc.notes)
