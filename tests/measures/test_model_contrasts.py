"""Group contrasts, Kenward-Roger df, marginal means, clm, fit statistics and likelihood-ratio tests.

R: tests/results/models/reference_contrasts.R on the seeded synthetic cohort (and sleepstudy):
lmerTest summary() / contest1D() / anova(type = 3) with a releveled reference group; pbkrtest's
Kenward-Roger via summary(ddf = "Kenward-Roger") and anova(ddf = "Kenward-Roger"); emmeans()
with lmer.df = "satterthwaite" / "kenward-roger" and pairs(reverse = TRUE, adjust = ...);
ordinal::clm; logLik(), AIC(), BIC(); anova(m0, m1).
Tolerances (the estimators are identical; R's optimum is found to ~1e-9): estimates 1e-7 absolute,
SEs 1e-6 relative, df 1e-4 absolute (Satterthwaite and KR depend on the optimum's second
derivatives), F 1e-6 relative, p-values 1e-5 relative; Tukey p 1e-8 absolute (R's ptukey and
scipy's studentized_range are both numerical integrations, good to about that);
clm (Newton to machine precision on both sides) 1e-9; logLik, AIC, BIC 1e-8 absolute (clmm:
1e-6, adaptive quadrature).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import impactkit as ik
from impactkit.errors import DesignError, ParameterError
from impactkit.instruments import Instrument

RES = Path(__file__).parents[1] / "results" / "models"
MIXED = Path(__file__).parents[1] / "results" / "mixed"
DOMAINS = ["finances", "housing", "social_network"]


def _close(
    got: pd.Series | object, want: object, *, rel: float = 0.0, abs_: float = 0.0, what: str = ""
) -> None:
    assert got == pytest.approx(want, rel=rel, abs=abs_), what


@pytest.fixture(scope="module")
def cohort() -> tuple[pd.DataFrame, pd.DataFrame]:
    syn = pd.read_csv(MIXED / "synthetic_cohort.csv")
    fam = syn.drop_duplicates("family_id")[["family_id", "municipality", "household_type", "n_children"]]
    return ik.canonical(syn), fam


@pytest.fixture(scope="module")
def by_ede(cohort: tuple[pd.DataFrame, pd.DataFrame]) -> ik.measures.MixedModelResult:
    data, fam = cohort
    return ik.mixed_model(data, by="municipality", families=fam, reference_group="Ede")


def test_group_contrasts_with_a_chosen_reference_match_lmer(by_ede) -> None:
    """R: lmer(score ~ wave * municipality) with relevel(municipality, "Ede"): the coefficients
    municipalityG (difference at intake) and waveyearK:municipalityG (difference in change), and
    contest1D of the difference averaged over the three waves; anova(type = 3) F tests."""
    ref_all = pd.read_csv(RES / "groups.csv")
    gc = by_ede.group_contrasts
    assert list(gc.columns[:6]) == ["domain", "by", "group", "reference_group", "term", "reference"]
    assert set(gc.reference_group) == {"Ede"}
    assert set(gc.group) == {"Arnhem", "Zwolle"}
    key = {"intercept": "municipality{g}", "year1": "waveyear1:municipality{g}",
           "year2": "waveyear2:municipality{g}", "average": "average:{g}"}  # fmt: skip
    for dom in DOMAINS:
        ref = ref_all[ref_all.domain == dom].set_index("term")
        for row in gc[gc.domain == dom].itertuples():
            want = ref.loc[key[row.term].format(g=row.group)]
            _close(row.estimate, want.estimate, abs_=1e-7, what=f"{dom} {row.group} {row.term}")
            _close(row.se, want.se, rel=1e-6)
            _close(row.df, want.df, abs_=1e-4)
            _close(row.p_value, want.p_value, rel=1e-5)
        # the reference group's own rows are the plain coefficients of the releveled model
        ede = by_ede[(by_ede.domain == dom) & (by_ede.group == "Ede")].set_index("term")
        _close(ede.loc["intercept", "estimate"], ref.loc["(Intercept)", "estimate"], abs_=1e-7)
        _close(ede.loc["year2", "se"], ref.loc["waveyear2", "se"], rel=1e-6)
        omni = by_ede.omnibus[(by_ede.omnibus.domain == dom) & by_ede.omnibus.group.isna()].set_index("term")
        for term in ["wave", "municipality", "wave:municipality"]:
            _close(omni.loc[term, "f_value"], ref.loc[f"F:{term}", "estimate"], rel=1e-6, what=term)
            _close(omni.loc[term, "df2"], ref.loc[f"F:{term}", "df"], abs_=1e-4)
    assert gc.loc[gc.term == "average", "reference"].isna().all()
    assert set(gc.loc[gc.term == "year1", "reference"]) == {"intake"}


def _kr_row(res: pd.DataFrame, dom: str, term: str, model: str) -> pd.Series:
    mine = res[res.domain == dom]
    if model == "by_municipality":  # Ede is the reference level of this R fit
        if "municipality" in term:
            group = term.split("municipality")[1]
            base = term.split(":")[0].replace("wave", "") if ":" in term else "intercept"
            gc = res.group_contrasts
            return gc[(gc.domain == dom) & (gc.group == group) & (gc.term == base)].iloc[0]
        return mine[(mine.group == "Ede") & (mine.term == term.replace("wave", ""))].iloc[0]
    name = term.replace("household_type", "household_type=") if term.startswith("household") else term
    return mine[mine.term == name.replace("wave", "")].iloc[0]


@pytest.mark.parametrize("model", ["wave", "by_municipality", "covariates"])
def test_kenward_roger_matches_pbkrtest(cohort, model: str) -> None:
    """R: summary(lmer(...), ddf = "Kenward-Roger") (SEs from pbkrtest's adjusted vcov, df from
    Lb_ddf) and anova(type = 3, ddf = "Kenward-Roger") (scaled F, KR denominator df)."""
    data, fam = cohort
    kw = {"wave": {}, "by_municipality": {"by": "municipality", "families": fam, "reference_group": "Ede"},
          "covariates": {"covariates": ["n_children", "household_type"], "families": fam}}[model]  # fmt: skip
    res = ik.mixed_model(data, ddf="kenward-roger", **kw)
    ref = pd.read_csv(RES / "kr.csv")
    aov = pd.read_csv(RES / "kr_anova.csv")
    for dom in DOMAINS:
        for row in ref[(ref.model == model) & (ref.domain == dom)].itertuples():
            got = _kr_row(res, dom, row.term.replace("(Intercept)", "intercept"), model)
            _close(got.estimate, row.estimate, abs_=1e-7, what=row.term)
            _close(got.se, row.se, rel=1e-6, what=row.term)
            _close(got.df, row.df, abs_=1e-4, what=row.term)
            _close(got.p_value, row.p_value, rel=1e-5, abs_=1e-15, what=row.term)
        omni = res.omnibus[res.omnibus.domain == dom]
        omni = (omni[omni.group.isna()] if "group" in omni else omni).set_index("term")
        for row in aov[(aov.model == model) & (aov.domain == dom)].itertuples():
            if row.term in omni.index:  # covariate F tests are not reported
                _close(omni.loc[row.term, "f_value"], row.f_value, rel=1e-6, what=row.term)
                _close(omni.loc[row.term, "df2"], row.df2, abs_=1e-4, what=row.term)
    assert "Kenward-Roger" in " ".join(res.notes)


def test_kenward_roger_sleepstudy() -> None:
    """R: summary(lmer(score ~ wave + (1 | family_id)), ddf = "Kenward-Roger") on sleepstudy."""
    inst = Instrument.from_dict({"id": "sleep", "domains": [{"id": "reaction"}],
                                 "scale": {"min": 0, "max": 1000, "integer": False},
                                 "waves": [{"id": f"day{d}"} for d in (0, 3, 6, 9)]})  # fmt: skip
    res = ik.mixed_model(ik.canonical(pd.read_csv(MIXED / "sleepstudy_long.csv"), inst), ddf="kenward-roger")
    ref = pd.read_csv(RES / "kr.csv").query("dataset == 'sleepstudy'")
    np.testing.assert_allclose(res.estimate, ref.estimate, atol=1e-6)
    np.testing.assert_allclose(res.se, ref.se, rtol=1e-6)
    np.testing.assert_allclose(res.df, ref.df, atol=1e-4)


def _emm_fits(cohort) -> dict[tuple[str, str], tuple[ik.measures.MixedModelResult, dict]]:
    data, fam = cohort
    by = ik.mixed_model(data, by="municipality", families=fam, reference_group="Ede")
    cov = {"covariates": ["n_children", "household_type"], "families": fam}
    return {
        ("by_municipality_wave", "satterthwaite"): (by, {}),
        ("by_municipality_avg", "satterthwaite"): (by, {"average_groups": True}),
        ("by_municipality_groups", "satterthwaite"): (by, {"pairs": "groups"}),
        ("wave", "satterthwaite"): (ik.mixed_model(data), {}),
        ("wave", "kenward-roger"): (ik.mixed_model(data, ddf="kenward-roger"), {}),
        ("covariates", "satterthwaite"): (ik.mixed_model(data, **cov), {}),
        ("covariates", "kenward-roger"): (ik.mixed_model(data, ddf="kenward-roger", **cov), {}),
    }


def test_marginal_means_and_pairs_match_emmeans(cohort) -> None:
    """R: emmeans(m, ~ wave | municipality), ~ wave (averaged over groups), ~ municipality | wave,
    ~ wave with covariates (n_children at its mean, household_type averaged), Satterthwaite and
    Kenward-Roger df; pairs(reverse = TRUE, adjust = holm / tukey / none / bonferroni)."""
    means, pairs = pd.read_csv(RES / "emmeans.csv"), pd.read_csv(RES / "emm_pairs.csv")
    means, pairs = means[means.dataset == "synthetic"], pairs[pairs.dataset == "synthetic"]
    for (model, mode), (fit, kw) in _emm_fits(cohort).items():
        for adjust in ["holm", "tukey", "none", "bonferroni"]:
            emm = fit.marginal_means(adjust=adjust, **kw)
            for row in means[(means.model == model) & (means["mode"] == mode)].itertuples():
                got = emm[(emm.domain == row.domain) & (emm.wave == row.wave)]
                if "group" in emm:
                    got = got[got.group == row.municipality]
                got = got.iloc[0]
                _close(got.estimate, row.estimate, abs_=1e-7, what=f"{model} {row.domain} {row.wave}")
                _close(got.se, row.se, rel=1e-6)
                _close(got.df, row.df, abs_=1e-4)
                _close(got.ci_low, row.ci_low, abs_=1e-6)
            con = emm.contrasts
            want = pairs[(pairs.model == model) & (pairs["mode"] == mode) & (pairs.adjust == adjust)]
            assert len(want) == len(con)
            for row in want.itertuples():
                got = con[(con.domain == row.domain) & (con.contrast == row.contrast)]
                got = got[got.wave == row.wave] if kw.get("pairs") == "groups" else got
                got = got[got.group == row.municipality] if "group" in got and not kw else got
                got = got.iloc[0]
                _close(got.estimate, row.estimate, abs_=1e-7, what=row.contrast)
                _close(got.se, row.se, rel=1e-6)
                _close(got.ci_high, row.ci_high, abs_=1e-6)
                if adjust == "tukey":
                    _close(got.p_adjusted, row.p_adjusted, abs_=1e-8, what="tukey")
                else:
                    _close(got.p_adjusted, row.p_adjusted, rel=1e-5, abs_=1e-15, what=adjust)
            assert (con.adjust_method == adjust).all()


def test_marginal_means_table_and_figure(by_ede) -> None:
    emm = ik.marginal_means(by_ede)
    assert list(emm.columns) == ["domain", "by", "group", "wave", "estimate", "se", "df", "ci_low", "ci_high",
                                 "n_obs", "status"]  # fmt: skip
    assert list(emm.contrasts.columns[:6]) == ["domain", "by", "group", "contrast", "wave", "reference"]
    # n_obs counts the observed scores of the cell (hand: from the model's rows)
    fin = emm[(emm.domain == "finances")]
    assert fin.n_obs.sum() == by_ede[by_ede.domain == "finances"].n_obs.iloc[0]
    fig = emm.figure()
    assert len(fig.data) == 3 * 3  # domains × groups
    assert "unadjusted" in " ".join(emm.notes)
    with pytest.raises(ParameterError, match="'pairs' parameter of marginal_means"):
        emm = ik.marginal_means(by_ede, pairs="domains")
    with pytest.raises(ParameterError, match="'adjust' parameter of marginal_means"):
        ik.marginal_means(by_ede, adjust="scheffe")
    with pytest.raises(ParameterError, match="must be a result of mixed_model or mmrm"):
        ik.marginal_means(ik.change(ik.read_dataset("data/sample", today="2026-11-01").assessments))


def test_reference_group_must_exist(cohort) -> None:
    data, fam = cohort
    with pytest.raises(ParameterError, match="'reference_group' parameter of mixed_model must be one of"):
        ik.mixed_model(data, by="municipality", families=fam, reference_group="Utrecht")
    with pytest.raises(ParameterError, match="needs 'by'"):
        ik.mixed_model(data, reference_group="Ede")
    with pytest.raises(ParameterError, match="'ddf' parameter of mixed_model is 'kenward-roger'"):
        ik.mixed_model(data, ddf="kenward-roger", method="ml")


@pytest.fixture(scope="module")
def ordinal_fits(cohort):
    data, _ = cohort
    return ik.clm(data), ik.clmm(data)


def test_clm_matches_ordinal(ordinal_fits) -> None:
    """R: ordinal::clm(factor(score, ordered = TRUE) ~ wave, gradTol = 1e-10): thresholds, wave
    effects, SEs and logLik."""
    c, _ = ordinal_fits
    ref = pd.read_csv(RES / "clm.csv")
    for dom in DOMAINS:
        want, got = ref[ref.domain == dom], c[c.domain == dom]
        assert [t.replace("wave", "") for t in want.term] == got.term.tolist()
        np.testing.assert_allclose(got.estimate, want.estimate, atol=1e-9)
        np.testing.assert_allclose(got.se, want.se, rtol=1e-9)
        np.testing.assert_allclose(got.z, want.estimate / want.se, rtol=1e-9)
        assert got.loglik.iloc[0] == pytest.approx(want.loglik.iloc[0], abs=1e-8)
    assert set(c.reference.dropna()) == {"intake"}
    assert "clustering" in " ".join(c.notes)


def test_fit_statistics_match_logLik_AIC_BIC(cohort, ordinal_fits) -> None:
    """R: logLik(), attr(, "df"), AIC(), BIC() of lmer (REML, ML, ML with covariates), clm, clmm."""
    data, fam = cohort
    fits = {"lmm_reml": ik.mixed_model(data), "lmm_ml": ik.mixed_model(data, method="ml"),
            "lmm_ml_cov": ik.mixed_model(data, method="ml", covariates=["n_children", "household_type"],
                                         families=fam),
            "clm": ordinal_fits[0], "clmm": ordinal_fits[1]}  # fmt: skip
    ref = pd.read_csv(RES / "fit.csv")
    for name, fit in fits.items():
        fs = fit.fit_statistics.set_index("domain")
        tol = 1e-6 if name == "clmm" else 1e-8
        for row in ref[ref.model == name].itertuples():
            got = fs.loc[row.domain]
            assert got.n_par == row.n_par, name
            for col in ("loglik", "aic", "bic"):
                assert got[col] == pytest.approx(getattr(row, col), abs=tol), (name, col)


def test_likelihood_ratio_tests_match_anova(cohort, ordinal_fits) -> None:
    """R: anova(m0, m1) of lmer ML fits (wave vs wave + n_children + household_type) and
    anova(clm, clmm) (the family variance)."""
    data, fam = cohort
    m0 = ik.mixed_model(data, method="ml")
    m1 = ik.mixed_model(data, method="ml", covariates=["n_children", "household_type"], families=fam)
    ref = pd.read_csv(RES / "lrt.csv").set_index(["domain", "test"])
    lmm = ik.likelihood_ratio_test(m1, m0, names=["covariates", "wave"])  # ordered by n_par, as R
    lik = ik.likelihood_ratio_test(*ordinal_fits, names=["clm", "clmm"])
    for dom in DOMAINS:
        row = lmm[(lmm.domain == dom) & (lmm.model == "covariates")].iloc[0]
        assert row.chi2 == pytest.approx(ref.loc[(dom, "lmm_ml_cov"), "chi2"], abs=1e-7)
        assert row.df == ref.loc[(dom, "lmm_ml_cov"), "df"]
        assert row.p_value == pytest.approx(ref.loc[(dom, "lmm_ml_cov"), "p_value"], rel=1e-6)
        assert lmm[(lmm.domain == dom)].model.tolist() == ["wave", "covariates"]
        row = lik[(lik.domain == dom) & (lik.model == "clmm")].iloc[0]
        assert row.chi2 == pytest.approx(ref.loc[(dom, "clmm"), "chi2"], abs=1e-6)
    assert "Self & Liang" in " ".join(lik.notes)


def test_likelihood_ratio_test_refuses_what_is_not_comparable(cohort) -> None:
    data, fam = cohort
    reml0 = ik.mixed_model(data)
    reml1 = ik.mixed_model(data, covariates=["n_children"], families=fam)
    with pytest.raises(ParameterError, match="Refit the models with method='ml'"):
        ik.likelihood_ratio_test(reml0, reml1)
    with pytest.raises(ParameterError, match="mix estimation methods"):
        ik.likelihood_ratio_test(reml0, ik.mixed_model(data, method="ml"))
    with pytest.raises(ParameterError, match="has no likelihood"):
        ik.likelihood_ratio_test(reml0, ik.gee(data))
    fewer = ik.canonical(pd.DataFrame(data).iloc[:-40])
    with pytest.raises(DesignError, match="fitted to different rows"):
        ik.likelihood_ratio_test(ik.mixed_model(data, method="ml"), ik.mixed_model(fewer, method="ml"))


def test_marginal_means_adjust_over_all_and_reference_group_invariance(cohort, by_ede) -> None:
    """adjust_over="all": one family of every contrast of the table (ik.p_adjust on the pooled
    p-values, itself checked against R). The reference group changes the parameterisation, never the
    fitted means, nor the GEE or clm rows of a group."""
    data, fam = cohort
    emm = ik.marginal_means(by_ede, adjust="hochberg", adjust_over="all")
    con = emm.contrasts
    np.testing.assert_allclose(con.p_adjusted, ik.p_adjust(con.p_value.to_numpy(), "hochberg"), rtol=1e-12)
    default = ik.marginal_means(ik.mixed_model(data, by="municipality", families=fam))
    key = ["domain", "group", "wave"]
    a = pd.DataFrame(emm).sort_values(key).reset_index(drop=True)
    b = pd.DataFrame(default).sort_values(key).reset_index(drop=True)
    np.testing.assert_allclose(a.estimate, b.estimate, rtol=1e-9)
    np.testing.assert_allclose(a.se, b.se, rtol=1e-7)
    for fit in (ik.gee, ik.clm):
        ref = fit(data, by="municipality", families=fam, reference_group="Zwolle")
        plain = fit(data, by="municipality", families=fam)
        assert set(ref.reference_group) == {"Zwolle"}
        for frame in (ref, plain):
            frame.attrs = {}
        sel = lambda f: pd.DataFrame(f)[(f.group == "Ede") & (f.term == "year2")].set_index("domain")  # noqa: E731
        np.testing.assert_allclose(sel(ref).estimate, sel(plain).estimate, atol=1e-5)


@pytest.mark.parametrize("model", ["gee", "clm", "clmm"])
def test_group_contrasts_of_gee_clm_clmm_match_r(cohort, model: str) -> None:
    """R: tests/results/models/reference_group_wald.R: geeglm / clm / clmm(nAGQ = 10) of
    wave * municipality with reference "Ede": municipalityG (difference at intake),
    waveyearK:municipalityG (difference in change), and the average over the waves, L b with
    sqrt(L V L').  Tolerances: clm 1e-9 (Newton on both sides); GEE estimates 1e-6, SEs 1e-6
    relative (geepack's and statsmodels' iterations stop at ~1e-7); clmm 1e-4 absolute / relative:
    ordinal's fit stops at max |gradient| 3.4e-4 (finances) with a logLik 6e-9 below ours."""
    data, fam = cohort
    fit = {"gee": ik.gee, "clm": ik.clm, "clmm": ik.clmm}[model]
    res = fit(data, by="municipality", families=fam, reference_group="Ede")
    gc = res.group_contrasts
    ref = pd.read_csv(RES / "group_wald.csv").query("model == @model")
    got = gc.merge(ref, on=["domain", "group", "term"], suffixes=("", "_r"), validate="1:1")
    assert len(got) == len(ref) == len(gc) == 3 * 2 * 4
    tol = {"gee": (1e-6, 1e-6), "clm": (1e-9, 1e-9), "clmm": (1e-4, 1e-4)}[model]
    np.testing.assert_allclose(got.estimate, got.estimate_r, atol=tol[0])
    np.testing.assert_allclose(got.se, got.se_r, rtol=tol[1])
    np.testing.assert_allclose(got.z, got.estimate / got.se, rtol=1e-12)
    assert list(gc.columns[:6]) == ["domain", "by", "group", "reference_group", "term", "reference"]
    assert "z" in gc.columns
    assert not {"t", "df"} & set(gc.columns)
    assert set(gc.reference_group) == {"Ede"}
    assert set(gc.loc[gc.term == "year2", "reference"]) == {"intake"}
    # p_adjusted: one family per (term, group) across the three domains (ik.p_adjust, checked against R)
    sel = gc[(gc.term == "year1") & (gc.group == "Zwolle")]
    np.testing.assert_allclose(sel.p_adjusted, ik.p_adjust(sel.p_value.to_numpy(), "holm"), rtol=1e-12)


def test_clm_with_covariates_fit_statistics_and_lrt_match_ordinal(cohort, ordinal_fits) -> None:
    """R: clm(y ~ wave + n_children + household_type): coefficients, logLik, AIC, BIC; and
    anova(clm(y ~ wave), that model) (reference_group_wald.R). Tolerance 1e-8 (Newton both sides)."""
    data, fam = cohort
    c1 = ik.clm(data, covariates=["n_children", "household_type"], families=fam)
    ref = pd.read_csv(RES / "clm_cov.csv")
    fs = c1.fit_statistics.set_index("domain")
    lrt = ik.likelihood_ratio_test(ordinal_fits[0], c1, names=["wave", "covariates"])
    for dom in DOMAINS:
        want = ref[(ref.domain == dom) & (ref.term != "lrt")]
        got = c1[c1.domain == dom]
        names = [t.replace("wave", "").replace("household_type", "household_type=") for t in want.term]
        assert got.term.tolist() == names
        np.testing.assert_allclose(got.estimate, want.estimate, atol=1e-8)
        np.testing.assert_allclose(got.se, want.se, rtol=1e-8)
        for col in ("loglik", "n_par", "aic", "bic"):
            assert fs.loc[dom, col] == pytest.approx(want[col].iloc[0], abs=1e-8), col
        row = lrt[(lrt.domain == dom) & (lrt.model == "covariates")].iloc[0]
        want_lrt = ref[(ref.domain == dom) & (ref.term == "lrt")].iloc[0]
        assert row.chi2 == pytest.approx(want_lrt.estimate, abs=1e-8)
        assert row.df == want_lrt.df
        assert row.p_value == pytest.approx(want_lrt.p_value, rel=1e-7)
    assert set(c1.loc[c1.term.str.startswith("household_type"), "reference"]) == {"household_type=newcomer"}
