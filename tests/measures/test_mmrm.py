"""mmrm against R.

R: tests/results/models/reference_mmrm.R. R's mmrm package is not installed on the reference
machine, so: nlme::gls(score ~ wave, correlation = corSymm(form = ~ t | family_id), weights =
varIdent(form = ~ 1 | wave), method = "REML") defines the model and its logLik; the same REML
criterion written out in R (generic matrices, family by family) and polished by Newton steps on its
analytic score gives estimates, SEs and covariance at the optimum to machine precision, and the
Satterthwaite df from numDeriv derivatives (the lmerTest / mmrm recipe).
Tolerances: against the polished R optimum, estimates 1e-8 relative, SEs 1e-8 relative,
covariance 1e-8 relative, REML criterion 1e-8 absolute, df 1e-4 absolute (numDeriv's
Richardson Jacobian); against gls itself (which stops at a relative change of ~1e-8 in the
criterion) estimates 1e-5 relative and SEs 1e-4 relative, logLik 1e-6.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import impactkit as ik
from impactkit.errors import DesignError
from impactkit.instruments import Instrument

RES = Path(__file__).parents[1] / "results" / "models"
MIXED = Path(__file__).parents[1] / "results" / "mixed"
COEF = pd.read_csv(RES / "mmrm_coef.csv")
FIT = pd.read_csv(RES / "mmrm_fit.csv")
COV = pd.read_csv(RES / "mmrm_cov.csv")


@pytest.fixture(scope="module")
def fits() -> dict[tuple[str, str], ik.measures.MixedModelResult]:
    syn = pd.read_csv(MIXED / "synthetic_cohort.csv")
    fam = syn.drop_duplicates("family_id")[["family_id", "municipality", "household_type", "n_children"]]
    data = ik.canonical(syn)
    sleep_inst = Instrument.from_dict({"id": "sleep", "domains": [{"id": "reaction"}],
                                       "scale": {"min": 0, "max": 1000, "integer": False},
                                       "waves": [{"id": f"day{d}"} for d in (0, 3, 6, 9)]})  # fmt: skip
    sleep = ik.canonical(pd.read_csv(MIXED / "sleepstudy_long.csv"), sleep_inst)
    return {
        ("sleepstudy", "wave"): ik.mmrm(sleep),
        ("synthetic", "wave"): ik.mmrm(data),
        ("synthetic", "by_municipality"): ik.mmrm(data, by="municipality", families=fam),
        ("synthetic", "covariates"): ik.mmrm(data, covariates=["n_children", "household_type"], families=fam),
    }


def _row(res: ik.measures.MixedModelResult, dom: str, term: str, model: str) -> pd.Series:
    term = term.replace("(Intercept)", "intercept")
    mine = res[res.domain == dom]
    if model == "by_municipality":
        if "municipality" in term:  # R's coefficients against Arnhem are the group contrasts
            group = term.split("municipality")[1]
            base = term.split(":")[0].replace("wave", "") if ":" in term else "intercept"
            gc = res.group_contrasts
            return gc[(gc.domain == dom) & (gc.group == group) & (gc.term == base)].iloc[0]
        return mine[(mine.group == "Arnhem") & (mine.term == term.replace("wave", ""))].iloc[0]
    if term.startswith("household_type"):
        term = term.replace("household_type", "household_type=")
    return mine[mine.term == term.replace("wave", "")].iloc[0]


@pytest.mark.parametrize(
    "key", [("sleepstudy", "wave"), ("synthetic", "wave"), ("synthetic", "by_municipality"),
            ("synthetic", "covariates")], ids=lambda k: "-".join(k),
)  # fmt: skip
def test_matches_the_reml_optimum_and_gls(fits, key: tuple[str, str]) -> None:
    res = fits[key]
    ref = COEF[(COEF.dataset == key[0]) & (COEF.model == key[1])]
    assert len(ref)
    for row in ref.itertuples():
        got = _row(res, row.domain, row.term, key[1])
        scale = max(1.0, abs(row.estimate))
        assert got.estimate == pytest.approx(row.estimate, abs=1e-8 * scale), row.term
        assert got.se == pytest.approx(row.se, rel=1e-8), row.term
        assert got.df == pytest.approx(row.df, abs=1e-4), row.term
        assert got.estimate == pytest.approx(row.estimate_gls, abs=1e-5 * scale), row.term
        assert got.se == pytest.approx(row.se_gls, rel=1e-4), row.term
    fs = res.fit_statistics.set_index("domain")
    for row in FIT[(FIT.dataset == key[0]) & (FIT.model == key[1])].itertuples():
        got = fs.loc[row.domain]
        assert got.criterion == pytest.approx(row.reml_criterion, abs=1e-8)
        assert got.loglik == pytest.approx(row.loglik_gls, abs=1e-6)  # nlme's REML logLik, same constant
        assert got.n_par == row.n_par
        assert got.n_obs == row.n_obs
        cov = res.covariance[res.covariance.domain == row.domain]
        want = COV[(COV.dataset == key[0]) & (COV.model == key[1]) & (COV.domain == row.domain)]
        np.testing.assert_allclose(cov.covariance, want.covariance, rtol=1e-8)
        np.testing.assert_allclose(
            np.diag(cov.correlation.to_numpy().reshape(len(res.meta["waves"]), -1)), 1.0
        )
    assert (res.status == "ok").all()


def test_pairwise_wave_contrasts_match_r(fits) -> None:
    """R: the pairs of emmeans(gls, ~ wave) (estimates, SEs), df written out as above."""
    ref = pd.read_csv(RES / "mmrm_contrasts.csv")
    for dataset in ("sleepstudy", "synthetic"):
        con = fits[(dataset, "wave")].marginal_means(adjust="none").contrasts
        for row in ref[ref.dataset == dataset].itertuples():
            got = con[(con.domain == row.domain) & (con.contrast == row.contrast)].iloc[0]
            assert got.estimate == pytest.approx(row.estimate_own, rel=1e-8), row.contrast
            assert got.se == pytest.approx(row.se_own, rel=1e-8)
            assert got.df == pytest.approx(row.df, abs=1e-4)


def test_mmrm_table_notes_and_errors(fits) -> None:
    res = fits[("synthetic", "wave")]
    assert list(res.columns) == ["domain", "term", "reference", "estimate", "se", "df", "t", "p_value",
                                 "p_adjusted", "adjust_method", "ci_low", "ci_high", "n_families", "n_obs",
                                 "status"]  # fmt: skip
    assert "unstructured covariance over the waves (6 parameters)" in res.summary()
    assert res._title.startswith("MMRM")
    # a pair of waves that no family shares has no identified covariance
    rows = [
        (f"f{i}", w, float((i * 7 + k) % 5 + 1)) for i in range(12) for k, w in enumerate(["intake", "year1"])
    ]
    rows += [
        (f"g{i}", w, float((i * 3 + k) % 5 + 1)) for i in range(12) for k, w in enumerate(["intake", "year2"])
    ]
    data = ik.canonical(pd.DataFrame(rows, columns=["family_id", "wave", "score"]).assign(domain="housing"))
    with pytest.raises(DesignError, match="every pair of waves observed together"):
        ik.mmrm(data)


def test_implicit_and_explicit_missing_agree() -> None:
    data = ik.canonical(pd.read_csv(MIXED / "synthetic_cohort.csv"))
    a, b = ik.mmrm(data), ik.mmrm(ik.canonical(pd.DataFrame(data)[data.score.notna()]))
    pd.testing.assert_frame_equal(pd.DataFrame(a), pd.DataFrame(b))


def test_likelihood_ratio_test_against_the_random_intercept_model_matches_nlme(fits) -> None:
    """R: anova(lme(score ~ wave, random = ~ 1 | family_id), gls(..., corSymm, varIdent)), REML
    with the same fixed effects (tests/results/models/reference_lrt_mmrm.R).  Tolerance 1e-6 on
    χ², as the logLik above (gls stops at ~1e-8 relative on the criterion)."""
    data = ik.canonical(pd.read_csv(MIXED / "synthetic_cohort.csv"))
    lrt = ik.likelihood_ratio_test(ik.mixed_model(data), fits[("synthetic", "wave")], names=["lmm", "mmrm"])
    ref = pd.read_csv(RES / "lrt_mmrm.csv").set_index("domain")
    for dom, want in ref.iterrows():
        got = lrt[lrt.domain == dom].set_index("model")
        assert got.loc["lmm", "loglik"] == pytest.approx(want.loglik_lmm, abs=1e-6)
        assert got.loc["mmrm", "n_par"] == want.n_par_mmrm
        assert got.loc["mmrm", "chi2"] == pytest.approx(want.chi2, abs=1e-6)
        assert got.loc["mmrm", "df"] == want.df
        assert got.loc["mmrm", "p_value"] == pytest.approx(want.p_value, rel=1e-5)
