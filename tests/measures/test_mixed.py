"""mixed_model against lme4 + lmerTest.

R: tests/results/mixed/reference.R (lme4::lmer(score ~ wave + (1 | family_id), REML = TRUE) with
lmerTest's summary(), contest1D(confint = TRUE), contestMD() and anova(type = 3, ddf =
"Satterthwaite"); REMLcrit()).
Tolerances (issue 3): estimates 1e-6, SEs and variance components 1e-4 (relative), df 0.01 absolute.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest

import impactkit as ik
from impactkit.instruments import Instrument
from impactkit.measures import MixedModelResult, mixed_model

RES = Path(__file__).parents[1] / "results" / "mixed"
REF = pd.read_csv(RES / "ref_lmm.csv")
VAR = pd.read_csv(RES / "ref_lmm_var.csv")
AOV = pd.read_csv(RES / "ref_anova.csv")
SLEEP = Instrument.from_dict(
    {
        "id": "sleep",
        "domains": [{"id": "reaction"}],
        "scale": {"min": 0, "max": 1000, "integer": False},
        "waves": [{"id": f"day{d}"} for d in (0, 3, 6, 9)],
    }
)


def _term(name: str) -> str:
    name = name.replace("(Intercept)", "intercept")
    return name[4:] if name.startswith("wave") else name


def _synthetic() -> tuple[pd.DataFrame, pd.DataFrame]:
    syn = pd.read_csv(RES / "synthetic_cohort.csv")
    fam = syn.drop_duplicates("family_id")[["family_id", "municipality", "household_type", "n_children"]]
    return ik.canonical(syn), fam


def _sample() -> pd.DataFrame:
    wide = pd.read_csv(RES / "sample_assessments.csv")
    long = wide.melt(id_vars=["family_id", "wave", "assessed_on"], var_name="domain", value_name="score")
    return ik.canonical(long)


def _check(res: pd.DataFrame, dataset: str, model: str, domain: str, group: str | None = None) -> None:
    ref = REF[(REF.dataset == dataset) & (REF.model == model) & (REF.domain == domain)]
    ref = ref[ref.group.isna()] if group is None else ref[ref.group == group]
    mine = res[res.domain == domain]
    if group is not None:
        mine = mine[mine.group == group]
    mine = mine.set_index("term")
    assert len(ref) > 0
    for row in ref.itertuples():
        got = mine.loc[_term(row.term)]
        assert got.estimate == pytest.approx(row.estimate, abs=1e-6, rel=1e-8), row.term
        assert got.se == pytest.approx(row.se, rel=1e-4), row.term
        assert got.df == pytest.approx(row.df, abs=0.01), row.term
        assert got.t == pytest.approx(row.t, rel=1e-4), row.term
        assert got.p_value == pytest.approx(row.p_value, rel=1e-3, abs=1e-12), row.term
        assert got.ci_low == pytest.approx(row.ci_low, abs=1e-4 * max(1.0, abs(row.ci_low))), row.term
        assert got.ci_high == pytest.approx(row.ci_high, abs=1e-4 * max(1.0, abs(row.ci_high))), row.term
    var = VAR[(VAR.dataset == dataset) & (VAR.model == model) & (VAR.domain == domain)].iloc[0]
    assert mine.var_family.iloc[0] == pytest.approx(var.var_family, rel=1e-4, abs=1e-10)
    assert mine.var_residual.iloc[0] == pytest.approx(var.var_residual, rel=1e-4)
    assert mine.n_obs.iloc[0] == var.n_obs
    assert mine.n_families.iloc[0] == var.n_families
    assert (mine.status.iloc[0] == "singular") == bool(var.singular)
    if isinstance(res, MixedModelResult):  # REMLcrit(m) / deviance(m): the criterion itself
        assert res.meta["criterion"][domain] == pytest.approx(var.criterion, abs=1e-6)


def _check_anova(res: MixedModelResult, dataset: str, model: str, domain: str) -> None:
    ref = AOV[(AOV.dataset == dataset) & (AOV.model == model) & (AOV.domain == domain)]
    omni = res.omnibus[res.omnibus.domain == domain]
    for row in ref.itertuples():
        if row.term not in set(omni.term):
            continue  # covariate F tests are not reported
        sel = omni[omni.term == row.term]
        if "group" in omni:
            sel = sel[sel.group.isna()] if pd.isna(row.group) else sel[sel.group == row.group]
        got = sel.iloc[0]
        assert got.f_value == pytest.approx(row.f_value, rel=1e-6), row.term
        assert got.df1 == row.df1
        assert got.df2 == pytest.approx(row.df2, abs=0.01), row.term
        assert got.p_value == pytest.approx(row.p_value, rel=1e-4), row.term


@pytest.mark.parametrize(("method", "model"), [("reml", "wave"), ("ml", "wave_ml")])
def test_sleepstudy_matches_lmer(method: str, model: str) -> None:
    """R: lmer(score ~ wave + (1 | family_id), REML = TRUE / FALSE) on lme4::sleepstudy, days 0/3/6/9."""
    data = ik.canonical(pd.read_csv(RES / "sleepstudy_long.csv"), SLEEP)
    res = mixed_model(data, method=method)
    _check(res, "sleepstudy", model, "reaction")
    _check_anova(res, "sleepstudy", model, "reaction")


def test_boundary_fit_is_singular() -> None:
    """R: lmer on a toy with negatively correlated waves: singular, var_family 0, df = n - p."""
    res = mixed_model(ik.canonical(pd.read_csv(RES / "singular_long.csv")))
    _check(res, "singular", "wave", "finances")
    assert (res.status == "singular").all()
    assert res.var_family.iloc[0] == 0.0
    assert res.icc.iloc[0] == 0.0


@pytest.mark.parametrize("domain", ["finances", "housing", "social_network"])
def test_synthetic_cohort_matches_lmer(domain: str) -> None:
    """R: lmer(score ~ wave + (1 | family_id)) and anova() on the unbalanced synthetic cohort."""
    data, _ = _synthetic()
    res = mixed_model(data)
    _check(res, "synthetic", "wave", domain)
    _check_anova(res, "synthetic", "wave", domain)


@pytest.mark.parametrize("domain", ["finances", "housing", "social_network"])
def test_covariates_match_lmer(domain: str) -> None:
    """R: lmer(score ~ wave + n_children + household_type + (1 | family_id)); anova(type = 3)."""
    data, fam = _synthetic()
    res = mixed_model(data, covariates=["n_children", "household_type"], families=fam)
    ref = REF[(REF.dataset == "synthetic") & (REF.model == "covariates") & (REF.domain == domain)]
    assert set(res[res.domain == domain].term) == {
        t.replace("household_type", "household_type=") if t.startswith("household") else _term(t)
        for t in ref.term
    }
    renamed = res.assign(term=res.term.str.replace("household_type=", "household_type", regex=False))
    _check(renamed, "synthetic", "covariates", domain)
    _check_anova(res, "synthetic", "covariates", domain)


@pytest.mark.parametrize("domain", ["finances", "housing", "social_network"])
def test_by_municipality_matches_lmer(domain: str) -> None:
    """R: lmer(score ~ wave * municipality + (1 | family_id)); contest1D / contestMD within groups,
    anova(type = 3) for wave (averaged over groups) and wave:municipality."""
    data, fam = _synthetic()
    res = mixed_model(data, by="municipality", families=fam)
    assert list(res.columns[:6]) == ["domain", "by", "group", "reference_group", "term", "reference"]
    # the reference group's rows are the plain coefficients
    base = res[(res.group == "Arnhem")].assign(group=np.nan)
    ref = REF[(REF.dataset == "synthetic") & (REF.model == "by_municipality") & (REF.domain == domain)]
    ref_base = ref[ref.group.isna() & ref.term.str.match(r"^(\(Intercept\)|wave[^:]*)$")]
    mine = base[base.domain == domain].set_index("term")
    for row in ref_base.itertuples():
        assert mine.loc[_term(row.term)].estimate == pytest.approx(row.estimate, abs=1e-6)
        assert mine.loc[_term(row.term)].df == pytest.approx(row.df, abs=0.01)
    for group in ["Ede", "Zwolle"]:
        _check(res, "synthetic", "by_municipality", domain, group=group)
    _check_anova(res, "synthetic", "by_municipality", domain)


@pytest.mark.parametrize(
    "domain",
    ["finances", "housing", "social_network", "mental_wellbeing", "physical_health", "parenting",
     "child_development", "participation", "paperwork"],
)  # fmt: skip
def test_sample_cohort_matches_lmer(domain: str) -> None:
    """R: lmer(score ~ wave + (1 | family_id)) per domain of data/sample/assessments.csv (copied)."""
    res = mixed_model(_sample())
    _check(res, "sample", "wave", domain)
    _check_anova(res, "sample", "wave", domain)


def test_implicit_and_explicit_missing_agree() -> None:
    """Dropping the NaN rows (implicit missing) gives the identical table."""
    data, _ = _synthetic()
    assert data.score.isna().any()
    implicit = ik.canonical(data[data.score.notna()])
    a, b = mixed_model(data), mixed_model(implicit)
    pd.testing.assert_frame_equal(pd.DataFrame(a), pd.DataFrame(b))


def test_hand_computed_balanced_case() -> None:
    """Balanced, two waves: the wave contrast equals the mean paired difference, its SE
    sd(diff)/sqrt(n) and df = n - 1 (the paired t-test), whatever the variance split.

    Hand calculation: diffs 1, 0, 2, 2 -> mean 1.25, sd 0.9574271, se 0.4787136, df 3."""
    rows = [("a", 2, 3), ("b", 4, 4), ("c", 1, 3), ("d", 3, 5)]
    long = [(f, w, s) for f, x0, x1 in rows for w, s in (("intake", x0), ("year1", x1))]
    data = ik.canonical(pd.DataFrame(long, columns=["family_id", "wave", "score"]).assign(domain="housing"))
    row = mixed_model(data).set_index("term").loc["year1"]
    assert row.estimate == pytest.approx(1.25, abs=1e-12)
    assert row.se == pytest.approx(0.9574271077563381 / 2, rel=1e-9)
    assert row.df == pytest.approx(3.0, abs=1e-6)


def test_too_few_and_constant_domains_get_a_status() -> None:
    data, _ = _synthetic()
    extra = pd.DataFrame(
        {"family_id": ["F000", "F001", "F000", "F001"], "wave": ["intake", "intake", "year1", "year1"],
         "domain": "paperwork", "score": 3.0}
    )  # fmt: skip
    lone = pd.DataFrame({"family_id": ["F000"], "wave": ["intake"], "domain": "parenting", "score": [2.0]})
    both = ik.canonical(pd.concat([pd.DataFrame(data), extra, lone], ignore_index=True))
    res = mixed_model(both)
    status = res.drop_duplicates("domain").set_index("domain").status
    assert status["paperwork"] == "too_few"  # constant
    assert status["parenting"] == "too_few"  # one family, one wave
    assert status["finances"] == "ok"
    assert res[res.domain == "paperwork"].estimate.isna().all()
    assert "2 domain(s) with status 'too_few'." in res.notes


def test_design_errors() -> None:
    one = ik.canonical(
        pd.DataFrame({"family_id": "a", "wave": ["intake", "year1"], "domain": "finances", "score": [1, 2]})
    )
    with pytest.raises(ik.DesignError, match="no domain can be fitted"):
        mixed_model(one)
    only_intake = ik.canonical(
        pd.DataFrame({"family_id": ["a", "b"], "wave": "intake", "domain": "finances", "score": [1, 2]})
    )
    with pytest.raises(ik.DesignError, match="one wave only"):
        mixed_model(only_intake)


def test_parameter_errors() -> None:
    data, fam = _synthetic()
    with pytest.raises(ik.ParameterError, match="'method' parameter of mixed_model"):
        mixed_model(data, method="bayes")
    with pytest.raises(ik.ParameterError, match="'families' parameter of mixed_model is required"):
        mixed_model(data, by="municipality")
    with pytest.raises(ik.ParameterError, match="lacks column"):
        mixed_model(data, covariates=["income"], families=fam)


def test_result_object_and_figure() -> None:
    data, _ = _synthetic()
    res = mixed_model(data)
    assert isinstance(res, MixedModelResult)
    assert list(res.columns) == [
        "domain", "term", "reference", "estimate", "se", "df", "t", "p_value", "p_adjusted", "adjust_method",
        "ci_low", "ci_high",
        "var_family", "var_residual", "icc", "n_families", "n_obs", "status",
    ]  # fmt: skip
    assert "Linear mixed model" in res.summary()
    assert "<table" in res._repr_html_()
    fig = res.figure()
    assert isinstance(fig, go.Figure)
    assert [t.name for t in fig.data] == ["year1 vs intake", "year2 vs intake"]
    assert len(fig.data[0].x) == 3
    assert list(fig.data[0].error_x.array) == pytest.approx(
        list(res[res.term == "year1"].ci_high - res[res.term == "year1"].estimate)
    )


def test_families_matching_is_reported_in_notes() -> None:
    """Families missing from the families table or with a missing covariate are left out, counted,
    and the fit equals the fit on the remaining families alone."""
    data, fam = _synthetic()
    fam = fam.copy()
    fam.loc[fam.family_id == "F001", "n_children"] = np.nan
    fam = fam[fam.family_id != "F002"]
    res = mixed_model(data, covariates="n_children", families=fam)
    assert "1 family(ies) not in the families table left out." in res.notes
    assert "1 family(ies) with a missing covariate or 'by' value left out." in res.notes
    rest = ik.canonical(pd.DataFrame(data)[~data.family_id.isin(["F001", "F002"])])
    alone = mixed_model(rest, covariates="n_children", families=fam.dropna())
    pd.testing.assert_frame_equal(pd.DataFrame(res)[alone.columns], pd.DataFrame(alone))


def test_by_needs_two_groups_and_figure_shows_groups() -> None:
    data, fam = _synthetic()
    with pytest.raises(ik.DesignError, match="fewer than two groups"):
        mixed_model(data, by="municipality", families=fam.assign(municipality="Ede"))
    res = mixed_model(data, by="municipality", families=fam)
    names = [t.name for t in res.figure().data]
    assert "year1 vs intake (Ede)" in names
    assert len(names) == 3 * 2  # three municipalities × two later waves


def test_plain_frame_is_made_canonical() -> None:
    """A plain long DataFrame (strings for wave and domain) gives the same result as ik.canonical."""
    syn = pd.read_csv(RES / "synthetic_cohort.csv")
    a = mixed_model(syn[["family_id", "wave", "domain", "score"]])
    b = mixed_model(ik.canonical(syn))
    pd.testing.assert_frame_equal(pd.DataFrame(a), pd.DataFrame(b))


def _holm(p: list[float]) -> list[float]:
    """Holm (1979) by hand: sort, multiply the i-th smallest by (m - i + 1), running max, cap 1."""
    order = sorted(range(len(p)), key=lambda i: p[i])
    out, running = [0.0] * len(p), 0.0
    for rank, i in enumerate(order):
        running = max(running, min(1.0, (len(p) - rank) * p[i]))
        out[i] = running
    return out


def test_holm_across_domains_per_wave_contrast() -> None:
    res = mixed_model(_sample())
    assert (res.adjust_method == "holm").all()
    assert res[res.term == "intercept"].p_adjusted.isna().all()
    for term in ["year1", "year2"]:
        sub = res[res.term == term]
        assert sub.p_adjusted.tolist() == pytest.approx(_holm(sub.p_value.tolist()), rel=1e-12)
    omni = res.omnibus
    assert omni.p_adjusted.tolist() == pytest.approx(_holm(omni.p_value.tolist()), rel=1e-12)
    none = mixed_model(_sample(), adjust="none")
    assert none[none.term == "year1"].p_adjusted.tolist() == none[none.term == "year1"].p_value.tolist()


def test_p_adjust_matches_r() -> None:
    """R: p.adjust(c(0.01, 0.04, 0.03, 0.2, 0.001), "holm") and "BH"; NaN stays out of the family."""
    from impactkit.measures._adjust import adjust_pvalues as _p_adjust

    p = np.array([0.01, 0.04, 0.03, np.nan, 0.2, 0.001])
    holm = _p_adjust(p, "holm")
    bh = _p_adjust(p, "bh")
    np.testing.assert_allclose(holm[~np.isnan(p)], [0.040, 0.090, 0.090, 0.200, 0.005], rtol=1e-12)
    np.testing.assert_allclose(bh[~np.isnan(p)], [0.025, 0.050, 0.050, 0.200, 0.005], rtol=1e-12)
    assert np.isnan(holm[3])
    assert np.isnan(bh[3])


def test_reads_the_sample_through_io() -> None:
    """The whole path a researcher takes: read_assessments / read_families -> mixed_model(by=...)."""
    from impactkit.io import read_assessments, read_families

    root = Path(__file__).parents[2] / "data" / "sample"
    data = read_assessments(root / "assessments.csv")
    fam = read_families(root / "families.csv")
    res = mixed_model(data, by="household_type", families=fam)
    assert set(res.status) <= {"ok", "singular"}
    assert set(res.group.dropna()) == set(fam.household_type.dropna())
    assert "<strong>Linear mixed model" in res._repr_html_()


def test_no_within_family_noise_is_not_converged_without_warnings() -> None:
    """Every family moves exactly +3: the residual variance goes to 0 and λ = τ²/σ² to infinity.
    The fit reports not_converged (the estimate 3 is still the obvious one), never a warning."""
    rows = [(f"f{i}", w, s) for i in range(8) for w, s in (("intake", 1 + i % 2), ("year1", 4 + i % 2))]
    data = ik.canonical(pd.DataFrame(rows, columns=["family_id", "wave", "score"]).assign(domain="finances"))
    res = mixed_model(data).set_index("term")
    assert (res.status == "not_converged").all()
    assert res.loc["year1", "estimate"] == pytest.approx(3.0, abs=1e-6)


def test_zero_slope_at_the_boundary_is_singular_whatever_the_row_order() -> None:
    """A cohort whose REML slope at λ = 0 is exactly 0: rounding (-7e-15 after shuffling rows) once
    turned it into an interior fit with status 'ok' and other df. R: lmer() gives θ = 0, isSingular TRUE,
    REMLcrit 98.32179 (hypothesis found the case)."""
    rows = ("f0 intake 1;f0 year1 3;f0 year2 1;f1 intake 2;f1 year1 3;f1 year2 3;f2 intake 1;f2 year1 3;"
            "f2 year2 1;f3 intake 2;f3 year1 2;f4 intake 3;f4 year2 1;f5 intake 1;f5 year1 3;f5 year2 3;"
            "f6 intake 3;f6 year1 3;f6 year2 3;f7 intake 2;f7 year1 1;f7 year2 1;f8 intake 1;f8 year2 1;"
            "f9 intake 1;f9 year1 1;f10 intake 1;f10 year1 1;f10 year2 3;f11 intake 1;f11 year1 1;"
            "f11 year2 3;f12 intake 3;f12 year1 2;f13 intake 3;f13 year1 1")  # fmt: skip
    frame = pd.DataFrame([r.split() for r in rows.split(";")], columns=["family_id", "wave", "score"])
    frame = frame.assign(domain="finances", score=frame.score.astype(float))
    shuffled = frame.sample(frac=1.0, random_state=1).reset_index(drop=True)
    for f in (frame, shuffled):
        res = mixed_model(ik.canonical(f))
        assert (res.status == "singular").all()
        assert res.var_family.iloc[0] == 0.0
        assert res.df.tolist() == pytest.approx([33.0] * 3, abs=1e-9)
        assert res.meta["criterion"]["finances"] == pytest.approx(98.32179, abs=1e-5)


def test_adjust_any_method_over_all_contrasts() -> None:
    """adjust_over="all": one family of every wave contrast of every domain (R's p.adjust on the
    pooled vector, here via ik.p_adjust, itself tested against R); the method id is named."""
    res = mixed_model(_sample(), adjust="BY", adjust_over="all")
    waves = res[res.term.isin(["year1", "year2"])]
    np.testing.assert_allclose(waves.p_adjusted, ik.p_adjust(waves.p_value.to_numpy(), "BY"), rtol=1e-12)
    assert (res.adjust_method == "by").all()
    assert "Benjamini-Yekutieli (FDR) over every wave contrast" in " ".join(res.notes)
    per = mixed_model(_sample(), adjust="hommel")
    for term in ["year1", "year2"]:
        sub = per[per.term == term]
        np.testing.assert_allclose(sub.p_adjusted, ik.p_adjust(sub.p_value.to_numpy(), "hommel"), rtol=1e-12)
