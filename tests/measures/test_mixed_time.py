"""Time as a number, random slopes and time-varying covariates in mixed_model, against lme4.

R: tests/results/models/reference_time.R on dated_cohort.csv (make_dated.py: dates, a programme
group, support_hours per assessment) and the sample cohort: lmer(score ~ months + (1 | family)),
(1 + months | family), months * programme, wave + support_hours; lmerTest summary(), contest1D(),
anova(type = 3) and anova(m1, m2, refit = FALSE); months = days since the intake assessment /
(365.25 / 12).
Tolerances: estimates 1e-6 absolute, SEs and variance components 1e-5 relative, REML criterion
1e-7 absolute, F 1e-5 relative.  df: 1e-4 absolute for the random intercept; 1e-4 *relative* with a
random slope, because lmerTest takes the Hessian of the deviance from numDeriv on function values,
whose steps scale with the (here tiny) slope parameters; ours, from central differences of the
analytic gradient, is stable to 1e-8 over steps 1e-5 to 1e-6.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import impactkit as ik
from impactkit.errors import ParameterError

RES = Path(__file__).parents[1] / "results" / "models"
COEF = pd.read_csv(RES / "time_coef.csv")
VAR = pd.read_csv(RES / "time_var.csv")
AOV = pd.read_csv(RES / "time_anova.csv")
INST = ik.Instrument.from_dict(
    {"id": "dated", "domains": [{"id": "finances"}, {"id": "mental_wellbeing"}], "scale": {"min": 1, "max": 5},
     "waves": [{"id": "intake"}, {"id": "year1"}, {"id": "year2"}]}
)  # fmt: skip


@pytest.fixture(scope="module")
def dated() -> tuple[pd.DataFrame, pd.DataFrame]:
    raw = pd.read_csv(RES / "dated_cohort.csv")
    data = ik.canonical(raw, INST)
    data["support_hours"] = raw["support_hours"].to_numpy()  # a covariate that varies over the waves
    return data, raw.drop_duplicates("family_id")[["family_id", "programme"]]


MODELS = {
    "months": {"time": "months"},
    "slope": {"time": "months", "random_slope": True},
    "slope_by_programme": {"time": "months", "random_slope": True, "by": "programme"},
    "time_varying": {"covariates": "support_hours"},
    "slope_time_varying": {"time": "months", "random_slope": True, "covariates": "support_hours"},
}


def _got(res: pd.DataFrame, dom: str, term: str, model: str) -> pd.Series:
    mine = res[res.domain == dom]
    if model != "slope_by_programme":
        return mine[mine.term == term.replace("wave", "")].iloc[0]
    if term.startswith("slope_in"):  # contest1D of months + months:programme
        return mine[(mine.group == "Samen Oplopen") & (mine.term == "months")].iloc[0]
    if "programme" in term:
        gc = res.group_contrasts
        return gc[(gc.domain == dom) & (gc.term == ("months" if ":" in term else "intercept"))].iloc[0]
    return mine[(mine.group == "Home-Start") & (mine.term == term)].iloc[0]


@pytest.mark.parametrize("model", list(MODELS))
def test_matches_lmer(dated, model: str) -> None:
    data, fam = dated
    kw = dict(MODELS[model])
    if "by" in kw:
        kw["families"] = fam
    res = ik.mixed_model(data, **kw)
    slope = bool(kw.get("random_slope"))
    for row in COEF[(COEF.dataset == "dated") & (COEF.model == model)].itertuples():
        got = _got(res, row.domain, row.term.replace("(Intercept)", "intercept"), model)
        assert got.estimate == pytest.approx(row.estimate, abs=1e-6), row.term
        assert got.se == pytest.approx(row.se, rel=1e-5), row.term
        assert got.df == pytest.approx(row.df, rel=1e-4 if slope else 0, abs=0 if slope else 1e-4), row.term
        assert got.p_value == pytest.approx(row.p_value, rel=1e-4, abs=1e-15), row.term
    for row in VAR[(VAR.dataset == "dated") & (VAR.model == model)].itertuples():
        got = res[res.domain == row.domain].iloc[0]
        assert got.var_family == pytest.approx(row.var_family, rel=1e-5)
        assert got.var_residual == pytest.approx(row.var_residual, rel=1e-5)
        if slope:
            assert got.var_slope == pytest.approx(row.var_slope, rel=1e-5)
            assert got.cor_intercept_slope == pytest.approx(row.cor_intercept_slope, abs=1e-5)
        fs = res.fit_statistics.set_index("domain").loc[row.domain]
        assert fs.criterion == pytest.approx(row.criterion, abs=1e-7)
        assert fs.loglik == pytest.approx(row.loglik, abs=1e-7)  # R: logLik(m); AIC = -2 logLik + 2 n_par
        assert fs.aic == pytest.approx(-2 * row.loglik + 2 * row.n_par, abs=1e-7)
        assert fs.n_par == row.n_par
        assert fs.n_obs == row.n_obs
        assert (got.status == "singular") == bool(row.singular)
    omni = res.omnibus[res.omnibus.group.isna()] if "group" in res.omnibus else res.omnibus
    omni = omni.set_index(["domain", "term"])
    for row in AOV[(AOV.dataset == "dated") & (AOV.model == model)].itertuples():
        if (row.domain, row.term) in omni.index:  # covariate F tests are not reported
            got = omni.loc[(row.domain, row.term)]
            assert got.f_value == pytest.approx(row.statistic, rel=1e-5), row.term
            assert got.df2 == pytest.approx(row.df2, rel=1e-4), row.term


def test_months_from_the_sample_dates_and_singular_slopes() -> None:
    """R: lmer(score ~ months + (1 + months | family_id)) on the sample: a boundary fit (correlation 1,
    isSingular TRUE); the fixed effects and the criterion still match."""
    wide = pd.read_csv(Path(__file__).parents[1] / "results" / "mixed" / "sample_assessments.csv")
    long = wide.melt(id_vars=["family_id", "wave", "assessed_on"], var_name="domain", value_name="score")
    long = long[long.domain.isin(["finances", "mental_wellbeing"])]
    res = ik.mixed_model(ik.canonical(long), time="months", random_slope=True)
    for row in COEF[COEF.dataset == "sample"].itertuples():
        got = _got(res, row.domain, row.term.replace("(Intercept)", "intercept"), "slope")
        assert got.estimate == pytest.approx(row.estimate, abs=1e-6)
        assert got.se == pytest.approx(row.se, rel=1e-5)
    for row in VAR[VAR.dataset == "sample"].itertuples():
        fs = res.fit_statistics.set_index("domain").loc[row.domain]
        assert fs.criterion == pytest.approx(row.criterion, abs=1e-6)
        assert (res[res.domain == row.domain].status == "singular").all()
    assert set(res.reference.dropna()) == {"months = 0"}
    assert "(1 + months | family)" in res._title


@pytest.mark.parametrize("model", ["months", "slope", "slope_by_programme", "slope_time_varying"])
def test_kenward_roger_matches_pbkrtest(dated, model: str) -> None:
    """R: tests/results/models/reference_kr_slopes.R: summary(m, ddf = "Kenward-Roger"),
    contest1D(ddf = "Kenward-Roger") and anova(type = 3, ddf = "Kenward-Roger") (pbkrtest 0.5.2) with
    numeric time and random slopes: V = Z G Z' + σ² I, G unstructured 2 × 2.  Tolerances as above
    (df 1e-6 relative: both sides are closed-form at the same optimum; observed 5e-8)."""
    data, fam = dated
    kw = dict(MODELS[model]) | ({"families": fam} if model == "slope_by_programme" else {})
    res = ik.mixed_model(data, ddf="kenward-roger", **kw)
    ref = pd.read_csv(RES / "kr_slopes.csv")
    for row in ref[ref.model == model].itertuples():
        got = _got(res, row.domain, row.term.replace("(Intercept)", "intercept"), model)
        assert got.estimate == pytest.approx(row.estimate, abs=1e-6), row.term
        assert got.se == pytest.approx(row.se, rel=1e-6), row.term
        assert got.df == pytest.approx(row.df, rel=1e-6), row.term
        assert got.p_value == pytest.approx(row.p_value, rel=1e-5, abs=1e-15), row.term
    aov = pd.read_csv(RES / "kr_slopes_anova.csv")
    omni = res.omnibus[res.omnibus.group.isna()] if "group" in res.omnibus else res.omnibus
    omni = omni.set_index(["domain", "term"])
    for row in aov[aov.model == model].itertuples():
        if (row.domain, row.term) in omni.index:
            assert omni.loc[(row.domain, row.term), "f_value"] == pytest.approx(row.f_value, rel=1e-6)
            assert omni.loc[(row.domain, row.term), "df2"] == pytest.approx(row.df2, rel=1e-6)
    assert "Kenward-Roger" in " ".join(res.notes)


def test_slope_likelihood_ratio_test_matches_anova(dated) -> None:
    """R: anova(m_intercept, m_slope, refit = FALSE): REML fits with the same fixed effects."""
    data, _ = dated
    lrt = ik.likelihood_ratio_test(ik.mixed_model(data, time="months"),
                                   ik.mixed_model(data, time="months", random_slope=True))  # fmt: skip
    ref = AOV[AOV.model == "lrt_slope"].set_index("domain")
    for dom in ["finances", "mental_wellbeing"]:
        row = lrt[(lrt.domain == dom) & lrt.chi2.notna()].iloc[0]
        assert row.chi2 == pytest.approx(ref.loc[dom, "statistic"], abs=1e-6)
        assert row.df == ref.loc[dom, "df1"]


def test_dates_are_required_and_counted(dated) -> None:
    """Scores without a date, or whose family has no intake date, leave the numeric-time model, counted.

    Hand count: the first five rows are F000's three finances rows and its intake and year-1
    mental-wellbeing rows; clearing their dates also leaves F000's year-2 mental-wellbeing row
    without an intake date: 6 rows."""
    data, _ = dated
    cut = data.copy()
    cut.loc[cut.index[:5], "assessed_on"] = pd.NaT
    res = ik.mixed_model(cut, time="months")
    assert "6 observed score(s) without an assessment date (or no first-wave date) left out." in res.notes
    full = ik.mixed_model(data, time="months")
    assert res.fit_statistics.n_obs.sum() == full.fit_statistics.n_obs.sum() - 6
    with pytest.raises(ParameterError, match="'time' parameter of mixed_model must be"):
        ik.mixed_model(data, time="weeks")
    with pytest.raises(ParameterError, match="'random_slope' parameter of mixed_model needs a numeric time"):
        ik.mixed_model(data, random_slope=True)
    with pytest.raises(ParameterError, match="needs a model with time='wave'"):
        ik.marginal_means(ik.mixed_model(data, time="months"))


def test_time_varying_covariate_differs_from_a_family_constant(dated) -> None:
    """The covariate is taken per assessment: replacing it by its family mean changes the estimate,
    and the family-level version equals the same column passed through the families table."""
    data, _ = dated
    per_row = ik.mixed_model(data, covariates="support_hours")
    means = (
        data.groupby("family_id", observed=True)["support_hours"].mean().rename("hours_mean").reset_index()
    )
    flat = data.merge(means, on="family_id")
    flat.attrs = data.attrs
    a = ik.mixed_model(flat, covariates="hours_mean")
    b = ik.mixed_model(data, covariates="hours_mean", families=means)
    np.testing.assert_allclose(a.estimate, b.estimate, rtol=1e-12)
    assert not np.allclose(per_row.estimate, a.estimate)
    assert any("Time-varying covariate(s)" in n for n in per_row.notes)


@pytest.mark.parametrize("model", ["gee", "clm", "mmrm"])
def test_time_varying_covariate_in_gee_clm_mmrm_matches_r(dated, model: str) -> None:
    """R: tests/results/models/reference_time_varying.R: geeglm / clm / gls(corSymm, varIdent) of
    score ~ wave + support_hours, the covariate taken per assessment.  Tolerances: GEE 1e-6
    (estimates) and 1e-6 relative (robust SEs); clm 1e-9; MMRM 1e-5 (gls stops at ~1e-8 relative
    on the REML criterion, so its estimates differ in the 6th digit; observed 1.3e-6)."""
    data, _ = dated
    res = {"gee": ik.gee, "clm": ik.clm, "mmrm": ik.mmrm}[model](data, covariates="support_hours")
    ref = pd.read_csv(RES / "time_varying.csv").query("model == @model")
    ref = ref.assign(
        term=ref.term.str.replace("(Intercept)", "intercept", regex=False).str.replace("wave", "")
    )
    got = pd.DataFrame(res).merge(ref, on=["domain", "term"], suffixes=("", "_r"), validate="1:1")
    assert len(got) == len(ref) == len(res)
    tol = {"gee": 1e-6, "clm": 1e-9, "mmrm": 1e-5}[model]
    np.testing.assert_allclose(got.estimate, got.estimate_r, atol=tol)
    np.testing.assert_allclose(got.se, got.se_r, rtol=tol)
    assert any("Time-varying covariate(s)" in n for n in res.notes)
