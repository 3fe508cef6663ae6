"""clmm against ordinal::clmm(nAGQ = 10).

R: tests/results/mixed/reference.R, clmm(factor(score, ordered = TRUE) ~ wave + (1 | family_id),
nAGQ = 10): thresholds, wave effects with SEs, SD of the family intercept and the log-likelihood.
Tolerance (issue 3): 1e-3 (absolute on the logit scale and on the SD; SEs relative).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import impactkit as ik
from impactkit.instruments import Instrument
from impactkit.measures import MixedModelResult, clmm, mixed_model

RES = Path(__file__).parents[1] / "results" / "mixed"
REF = pd.read_csv(RES / "ref_clmm.csv")


def _check(res: MixedModelResult, dataset: str, domain: str) -> None:
    ref = REF[(REF.dataset == dataset) & (REF.domain == domain)].set_index("term")
    mine = res[res.domain == domain].set_index("term")
    coefs = ref.drop(index=["sd_family", "loglik"])
    assert len(coefs) == len(mine)
    for name, want in coefs.iterrows():
        got = mine.loc[str(name).removeprefix("wave")]
        assert got.estimate == pytest.approx(want.estimate, abs=1e-3), name
        assert got.se == pytest.approx(want.se, rel=1e-3), name
    assert np.sqrt(mine.var_family.iloc[0]) == pytest.approx(ref.loc["sd_family", "estimate"], abs=1e-3)
    # our maximum is at least as high as clmm's (up to its convergence tolerance)
    assert mine.loglik.iloc[0] >= ref.loc["loglik", "estimate"] - 1e-6


def test_sleepstudy_bands_match_clmm() -> None:
    """R: clmm(nAGQ = 10) on sleepstudy days 0/3/6/9, Reaction cut at 250/300/350 ms into 4 bands."""
    ss = pd.read_csv(RES / "sleepstudy_long.csv")
    ss["score"] = pd.cut(ss.score, [0, 250, 300, 350, 1000], labels=False) + 1
    inst = Instrument.from_dict(
        {"id": "sleep", "domains": [{"id": "reaction"}], "scale": {"min": 1, "max": 4},
         "waves": [{"id": f"day{d}"} for d in (0, 3, 6, 9)]}
    )  # fmt: skip
    _check(clmm(ik.canonical(ss, inst)), "sleepstudy", "reaction")


def test_synthetic_matches_clmm() -> None:
    """R: clmm(nAGQ = 10) per domain of the synthetic cohort (social_network sits at the boundary)."""
    res = clmm(ik.canonical(pd.read_csv(RES / "synthetic_cohort.csv")))
    for domain in ["finances", "housing", "social_network"]:
        _check(res, "synthetic", domain)
    status = res.drop_duplicates("domain").set_index("domain").status
    assert status["social_network"] == "singular"
    assert status["finances"] == "ok"


def test_sample_matches_clmm() -> None:
    """R: clmm(nAGQ = 10) on finances and mental_wellbeing of data/sample/assessments.csv (SD ≈ 3)."""
    wide = pd.read_csv(RES / "sample_assessments.csv")
    long = wide.melt(id_vars=["family_id", "wave", "assessed_on"], var_name="domain", value_name="score")
    res = clmm(ik.canonical(long[long.domain.isin(["finances", "mental_wellbeing"])]))
    _check(res, "sample", "finances")
    _check(res, "sample", "mental_wellbeing")


def test_mixed_model_ordinal_flag_and_sign_convention() -> None:
    """Higher scores at year1 give a positive wave effect (logit P(Y ≤ j) = θ_j − η)."""
    syn = ik.canonical(pd.read_csv(RES / "synthetic_cohort.csv"))
    fin = syn[syn.domain == "finances"]
    res = mixed_model(ik.canonical(fin), ordinal=True)
    assert res.meta["model"] == "clmm"
    year1 = res.set_index("term").loc["year1"]
    assert year1.estimate > 0
    assert year1.ci_low < year1.estimate < year1.ci_high
    assert year1.var_residual == pytest.approx(np.pi**2 / 3)
    assert set(res.omnibus.columns) >= {"chi2", "df1", "p_value"}
    assert "Cumulative-logit" in res.summary()


def test_parameter_and_design_errors() -> None:
    syn = ik.canonical(pd.read_csv(RES / "synthetic_cohort.csv"))
    with pytest.raises(ik.ParameterError, match="'n_agq' parameter of clmm"):
        clmm(syn, n_agq=0)
    const = ik.canonical(
        pd.DataFrame({"family_id": ["a", "b", "a", "b"], "wave": ["intake", "intake", "year1", "year1"],
                      "domain": "finances", "score": 3})
    )  # fmt: skip
    with pytest.raises(ik.DesignError, match="clmm: no domain"):
        clmm(const)


def test_separation_gives_a_status_not_warnings() -> None:
    """Every family moves up three levels: the MLE of the wave effect is infinite. The fit must end
    with status not_converged, missing SEs where the Hessian is not positive, and no warning
    (pytest turns warnings into errors)."""
    rows = [(f"f{i}", w, s) for i in range(8) for w, s in (("intake", 1 + i % 2), ("year1", 4 + i % 2))]
    data = ik.canonical(pd.DataFrame(rows, columns=["family_id", "wave", "score"]).assign(domain="finances"))
    res = clmm(data)
    assert (res.status == "not_converged").all()
    assert res.se.isna().any()
    assert res.omnibus.chi2.isna().all()


def test_implicit_and_explicit_missing_agree() -> None:
    data = ik.canonical(pd.read_csv(RES / "synthetic_cohort.csv"))
    data = ik.canonical(data[data.domain == "housing"])
    assert data.score.isna().any()
    a, b = clmm(data), clmm(ik.canonical(data[data.score.notna()]))
    pd.testing.assert_frame_equal(pd.DataFrame(a), pd.DataFrame(b))


def test_duplicated_cohort_same_estimates_half_variance() -> None:
    """Each family twice (renamed): the log-likelihood doubles, so the MLE is unchanged and every
    SE shrinks by √2 (exercises the exact pattern-collapsing of identical families)."""
    syn = pd.read_csv(RES / "synthetic_cohort.csv")
    syn = syn[syn.domain == "finances"]
    twice = pd.concat([syn, syn.assign(family_id=syn.family_id + "b")], ignore_index=True)
    one, two = clmm(ik.canonical(syn)), clmm(ik.canonical(twice))
    np.testing.assert_allclose(two.estimate, one.estimate, atol=1e-4)
    np.testing.assert_allclose(two.se * np.sqrt(2), one.se, rtol=1e-3)
    assert two.loglik.iloc[0] == pytest.approx(2 * one.loglik.iloc[0], rel=1e-9)
    assert two.n_families.iloc[0] == 2 * one.n_families.iloc[0]
