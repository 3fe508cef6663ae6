"""Count models of before / during / after against R.

R: tests/results/outcomes/reference.R (R 4.2.2, lme4 1.1-31, glmmTMB 1.1.5, geepack 1.3.9):
``count ~ phase + offset(log(exposure_years)) + (1 | family_id)`` with
glmmTMB(family = poisson / nbinom2) (Laplace), lme4::glmer(family = poisson, nAGQ = 1 / 10 / 25),
the exact NB2 marginal likelihood (stats::integrate per family, nlminb), geepack::geeglm(family =
poisson, corstr = "exchangeable" / "independence") and poisson.test, on a seeded synthetic cohort
(three outcomes), MASS::epil as before / during, and a 5-family project without events after.
Tolerances: estimates 1e-4 absolute (the issue's bar; most agree to 1e-6), SEs 1e-3 relative
(both sides take them from a finite-difference Hessian), GEE estimates 1e-6 and robust SEs 1e-4.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import impactkit as ik
from impactkit.outcomes import exact_rate_ratio, fit_count_glmm, rate_ratios

RES = Path(__file__).parents[1] / "results" / "outcomes"
GLMM = pd.read_csv(RES / "ref_glmm.csv")
GEE = pd.read_csv(RES / "ref_gee.csv")
EXACT = pd.read_csv(RES / "ref_exact.csv")
SYN = pd.read_csv(RES / "synthetic_counts.csv")
EPIL = pd.read_csv(RES / "epil_counts.csv")
CASES = [("synthetic", o) for o in ("crisis_contact", "nuisance_report", "social_work")] + [
    ("epil", "seizures")
]
# (R model, impactkit family, nodes): the Laplace fits agree with glmmTMB, AGQ with lme4, NB AGQ with the
# exact integral (25 nodes reproduce it to < 1e-5 on these data; 10 nodes do not for sparse counts)
MODELS = [
    ("poisson_laplace", "poisson", 1),
    ("poisson_lme4_1", "poisson", 1),
    ("poisson_agq10", "poisson", 10),
    ("poisson_agq25", "poisson", 25),
    ("negbin_laplace", "negbin", 1),
    ("negbin_exact", "negbin", 25),
]
TERMS = {"(Intercept)": 0, "phaseduring": 1, "phaseafter": 2}


def _data(dataset: str, outcome: str) -> pd.DataFrame:
    d = SYN[SYN.outcome == outcome] if dataset == "synthetic" else EPIL
    return d.assign(source="events", unit="event", label=outcome)


def _fit(dataset: str, outcome: str, family: str, n_agq: int) -> ik.outcomes.GlmmFit:
    d = _data(dataset, outcome)
    phases = [p for p in ("before", "during", "after") if (d.phase == p).any()]
    x = np.column_stack([np.ones(len(d))] + [(d.phase == p).to_numpy(float) for p in phases[1:]])
    return fit_count_glmm(d["count"].to_numpy(), x, np.log(d.exposure_years.to_numpy()), d.family_id.to_numpy(),
                          family=family, n_agq=n_agq)  # fmt: skip


@pytest.fixture(scope="module")
def fits() -> dict[tuple[str, str, str, int], ik.outcomes.GlmmFit]:
    return {
        (ds, o, fam, q): _fit(ds, o, fam, q) for ds, o in CASES for fam, q in {(f, q) for _, f, q in MODELS}
    }


@pytest.mark.parametrize(("dataset", "outcome"), CASES)
@pytest.mark.parametrize(("model", "family", "n_agq"), MODELS)
def test_glmm_matches_r(fits, dataset: str, outcome: str, model: str, family: str, n_agq: int) -> None:  # type: ignore[no-untyped-def]
    ref = GLMM[(GLMM.dataset == dataset) & (GLMM.outcome == outcome) & (GLMM.model == model)].set_index(
        "term"
    )
    fit = fits[(dataset, outcome, family, n_agq)]
    assert fit.status == "ok"
    for term, i in TERMS.items():
        if term not in ref.index:
            continue
        assert fit.beta[i] == pytest.approx(ref.loc[term, "estimate"], abs=1e-4), term
        if model != "poisson_lme4_1":  # lme4's Laplace vcov is not the full Hessian's (glmmTMB's is)
            assert np.sqrt(fit.vcov[i, i]) == pytest.approx(ref.loc[term, "se"], rel=1e-3), term
    assert fit.sd_family == pytest.approx(ref.loc["sd_family", "estimate"], abs=1e-4)
    theta = ref.loc["theta", "estimate"]
    if family == "negbin" and theta < 1e4:
        assert fit.theta == pytest.approx(theta, rel=1e-3)
    elif family == "negbin":  # R stops somewhere on the flat way to θ = ∞; impactkit takes the limit
        assert np.isinf(fit.theta)
    if not model.startswith("poisson_agq"):  # lme4's AGQ log-likelihood drops constants
        assert fit.loglik == pytest.approx(ref.loc["loglik", "estimate"], abs=1e-4)


@pytest.mark.parametrize(("dataset", "outcome"), CASES)
@pytest.mark.parametrize(("method", "model"), [("negbin", "negbin_exact"), ("poisson", "poisson_agq25")])
def test_rate_ratios_contrasts_match_r(dataset: str, outcome: str, method: str, model: str) -> None:
    """Contrasts L b with sqrt(L V L'), incl. after vs during, and their rate-ratio CIs."""
    res = rate_ratios(_data(dataset, outcome), method=method).set_index("contrast")
    ref = GLMM[(GLMM.dataset == dataset) & (GLMM.outcome == outcome) & (GLMM.model == model)].set_index(
        "term"
    )
    names = {"during/before": "phaseduring", "after/before": "phaseafter", "after/during": "after-during"}
    for contrast, term in names.items():
        if term not in ref.index:
            continue
        row = res.loc[contrast]
        assert row.estimate == pytest.approx(ref.loc[term, "estimate"], abs=1e-4), contrast
        assert row.se == pytest.approx(ref.loc[term, "se"], rel=1e-3), contrast
        assert row.rate_ratio == pytest.approx(np.exp(row.estimate))
        assert np.log(row.ci_high) - row.estimate == pytest.approx(1.959963984540054 * row.se)


@pytest.mark.parametrize(("dataset", "outcome"), CASES)
@pytest.mark.parametrize("corstr", ["exchangeable", "independence"])
def test_gee_matches_geeglm(dataset: str, outcome: str, corstr: str) -> None:
    method = "gee" if corstr == "exchangeable" else "gee_independence"
    res = rate_ratios(_data(dataset, outcome), method=method).set_index("contrast")
    ref = GEE[(GEE.dataset == dataset) & (GEE.outcome == outcome) & (GEE.model == corstr)].set_index("term")
    for contrast, term in {"during/before": "phaseduring", "after/before": "phaseafter",
                           "after/during": "after-during"}.items():  # fmt: skip
        if term not in ref.index:
            continue
        assert res.loc[contrast, "estimate"] == pytest.approx(ref.loc[term, "estimate"], abs=1e-6), contrast
        assert res.loc[contrast, "se"] == pytest.approx(ref.loc[term, "se"], rel=1e-4), contrast
    assert res["working_corr"].iloc[0] == pytest.approx(ref.loc["alpha", "estimate"], rel=1e-4, abs=1e-12)


@pytest.mark.parametrize("i", range(len(EXACT)))
def test_exact_matches_poisson_test(i: int) -> None:
    r = EXACT.iloc[i]
    rr, lo, hi, p = exact_rate_ratio(r["count"], r.exposure, r.ref_count, r.ref_exposure)
    assert rr == pytest.approx(r.rate_ratio, rel=1e-10)
    assert lo == pytest.approx(r.ci_low, rel=1e-8, abs=1e-12)
    assert hi == pytest.approx(r.ci_high, rel=1e-8)
    assert p == pytest.approx(r.p_value, rel=1e-6)


def test_small_project_without_events_after() -> None:
    """5 families: 10 nuisance reports in the year before, none after (the project's only published outcome).

    No model has a finite estimate; the rows say so and the exact test gives RR 0 with upper bound
    0.686 (R: poisson.test(c(0, 10), c(3.25, 5))).
    """
    small = pd.read_csv(RES / "small_counts.csv").assign(source="events", unit="event")
    for method in ("negbin", "poisson", "gee"):
        row = rate_ratios(small, method=method).iloc[0]
        assert row.status == "no_events"
        assert row.rate_ratio == 0
        assert np.isnan(row.ci_high)
        assert row.events == 0
        assert row.ref_events == 10
    row = rate_ratios(small, method="exact").iloc[0]
    want = EXACT[EXACT.dataset == "small"].iloc[0]
    assert row.rate_ratio == 0
    assert row.ci_high == pytest.approx(want.ci_high, rel=1e-8)
    assert row.p_value == pytest.approx(want.p_value, rel=1e-6)


def test_not_counts_need_gee_and_bad_options() -> None:
    d = _data("epil", "seizures").assign(count=lambda f: f["count"] * 0.5 + 0.25)
    assert set(rate_ratios(d, method="negbin")["status"]) == {"not_counts"}
    assert rate_ratios(d, method="gee")["status"].iloc[0] == "ok"
    with pytest.raises(ik.ParameterError, match="The 'method' parameter of rate_ratios"):
        rate_ratios(d, method="zip")
    with pytest.raises(ik.ParameterError, match="The 'n_agq' parameter"):
        rate_ratios(d, n_agq=0)
    with pytest.raises(ik.ParameterError, match="names \\['nope'\\]"):
        rate_ratios(d, outcomes=["nope"])


def test_holm_across_outcomes_within_contrast() -> None:
    res = rate_ratios(SYN.assign(source="events", unit="event"), method="poisson", n_agq=1)
    sub = res[res.contrast == "after/before"].sort_values("p_value")
    p = sub.p_value.to_numpy()
    want = np.minimum(np.maximum.accumulate(p * np.array([3, 2, 1])), 1)  # Holm by hand, m = 3
    assert sub.p_adjusted.to_numpy() == pytest.approx(want)


def test_boundary_family_sd_is_singular() -> None:
    """No family effect at all (every family has the same counts): σ at 0, the GLM's estimates.

    GLM by hand: before 2 events in 1 year per family, after 1 in 1 -> log RR = log(1/2).
    """
    d = pd.DataFrame({"family_id": np.repeat([f"f{i}" for i in range(6)], 2), "phase": ["before", "after"] * 6,
                      "count": [2, 1] * 6, "exposure_years": 1.0, "source": "events", "outcome": "x",
                      "unit": "event"})  # fmt: skip
    row = rate_ratios(d, method="poisson").iloc[0]
    assert row.status == "singular"
    assert row.sd_family == 0
    assert row.estimate == pytest.approx(np.log(0.5), abs=1e-6)
    # GLM SE of a log rate ratio: sqrt(1/12 + 1/6)
    assert row.se == pytest.approx(np.sqrt(1 / 12 + 1 / 6), rel=1e-4)


BOUNDARY = pd.read_csv(RES / "ref_boundary.csv").set_index(["model", "term"])["estimate"]
GLMER_NB = pd.read_csv(RES / "ref_glmer_nb.csv")


def test_negbin_at_the_poisson_boundary() -> None:
    """Crisis contacts of the sample: the family effect leaves no overdispersion, θ runs off to ∞.

    R (reference_boundary.R): glmmTMB(nbinom2) stops at θ ≈ 2e7 ("false convergence") with the Poisson's
    estimates; the NB's limit is the Poisson GLMM, lme4::glmer(poisson, nAGQ = 25).  Before the fix the
    25-node NB stopped at θ ≈ 1e6, 4e-6 log-likelihood units (quadrature noise) above the Poisson, and
    was reported not_converged.
    """
    d = pd.read_csv(RES / "sample_crisis_counts.csv").assign(source="events", unit="event", label="crisis")
    rr = rate_ratios(d, method="negbin", reference="before").set_index("contrast")
    assert (rr["status"] == "ok").all()
    assert np.isinf(rr["theta"]).all()
    for contrast, term in (("during/before", "phaseduring"), ("after/before", "phaseafter")):
        assert rr.loc[contrast, "estimate"] == pytest.approx(BOUNDARY["poisson_agq25", term], abs=1e-5)
    assert rr["sd_family"].iloc[0] == pytest.approx(BOUNDARY["poisson_agq25", "sd_family"], abs=1e-5)
    assert BOUNDARY["negbin_laplace", "theta"] > 1e6  # R agrees there is no finite θ
    laplace = _boundary_fit(d, 1)
    assert laplace.beta[1] == pytest.approx(BOUNDARY["negbin_laplace", "phaseduring"], abs=1e-4)


def _boundary_fit(d: pd.DataFrame, n_agq: int) -> ik.outcomes.GlmmFit:
    x = np.column_stack([np.ones(len(d)), d.phase.eq("during"), d.phase.eq("after")]).astype(float)
    return fit_count_glmm(d["count"].to_numpy(), x, np.log(d.exposure_years.to_numpy()), d.family_id.to_numpy(),
                          family="negbin", n_agq=n_agq)  # fmt: skip


@pytest.mark.parametrize("outcome", ["nuisance_report", "seizures"])
def test_glmer_nb_is_a_cruder_approximation(fits, outcome: str) -> None:  # type: ignore[no-untyped-def]
    """Why lme4::glmer.nb is not the reference (reference_glmer_nb.R): its Laplace approximation for the
    NB2 (a non-canonical family) lands further from the exact marginal likelihood than impactkit's
    25-node quadrature, which reproduces it (and fails on social_work: "pwrssUpdate did not converge")."""
    dataset = "epil" if outcome == "seizures" else "synthetic"
    exact = GLMM[(GLMM.dataset == dataset) & (GLMM.outcome == outcome) & (GLMM.model == "negbin_exact")]
    exact = exact.set_index("term")["estimate"]
    lme4 = GLMER_NB[GLMER_NB.outcome == outcome].set_index("term")["estimate"]
    fit = fits[(dataset, outcome, "negbin", 25)]
    ours = max(abs(fit.beta[i] - exact[t]) for t, i in TERMS.items() if t in exact.index)
    theirs = max(abs(lme4[t] - exact[t]) for t in TERMS if t in exact.index)
    assert ours < 1e-4
    assert theirs > 10 * ours
    assert GLMER_NB.loc[GLMER_NB.outcome == "social_work", "status"].str.contains("did not converge").all()


def test_negbin_likelihood_tends_to_the_poisson() -> None:
    """NB2(μ, θ) → Poisson(μ) as θ → ∞, so the NB GLMM's log-likelihood at large θ is the Poisson GLMM's
    at the same (β, σ) to O(1/θ) (limit by hand: log NB − log Pois = (y(y−1) − 2yμ + μ²) / 2θ + O(θ⁻²)).
    The split into θ log θ and (y + θ) log(θ + μ) used before cancelled to noise: 0.27 log-likelihood
    units too high at θ ≈ 3e6 on 10,000 sample families, and the fit ended "not_converged"."""
    from impactkit.outcomes._glmm import _CountModel

    d = _data("synthetic", "nuisance_report")
    x = np.column_stack([np.ones(len(d)), d.phase.eq("during"), d.phase.eq("after")]).astype(float)
    cl = np.unique(d.family_id, return_inverse=True)[1]
    args = (d["count"].to_numpy(), x, np.log(d.exposure_years.to_numpy()), cl)
    beta_sd = np.array([-0.8, -0.4, -0.7, np.log(0.9)])
    pois = _CountModel(*args, "poisson", 25).nll(beta_sd)
    nb = _CountModel(*args, "negbin", 25)
    gaps = [nb.nll(np.r_[beta_sd, np.log(theta)]) - pois for theta in (1e4, 1e6, 1e8, 1e10, 1e13)]
    # O(1/θ): each step of 100× in θ shrinks the gap 100×, down to rounding (1e-9 of ~200 units)
    assert gaps[1:] == pytest.approx([gaps[0] * 1e4 / t for t in (1e6, 1e8, 1e10, 1e13)], rel=1e-2, abs=1e-9)


def test_identical_families_are_weighted_not_repeated(fits) -> None:  # type: ignore[no-untyped-def]
    """Every family twice (fresh ids): the likelihood is squared, so the same estimates, twice the
    log-likelihood and SEs / √2 (the Hessian doubles).  The fit collapses identical families into
    weights: this checks the weights against the known answer; the order of rows must not matter."""
    d = _data("synthetic", "social_work")
    twice = pd.concat([d, d.assign(family_id=d.family_id + "b")]).sample(frac=1.0, random_state=3)
    x = np.column_stack([np.ones(len(twice)), twice.phase.eq("during"), twice.phase.eq("after")]).astype(
        float
    )
    fit = fit_count_glmm(twice["count"].to_numpy(), x, np.log(twice.exposure_years.to_numpy()),
                         twice.family_id.to_numpy(), family="negbin", n_agq=25)  # fmt: skip
    once = fits[("synthetic", "social_work", "negbin", 25)]
    assert fit.beta == pytest.approx(once.beta, abs=1e-6)
    assert fit.sd_family == pytest.approx(once.sd_family, abs=1e-6)
    assert fit.loglik == pytest.approx(2 * once.loglik, abs=1e-6)
    assert np.sqrt(np.diag(fit.vcov)) == pytest.approx(np.sqrt(np.diag(once.vcov)) / np.sqrt(2), rel=1e-4)
    assert fit.n_families == 2 * once.n_families


@pytest.mark.parametrize("family", ["poisson", "negbin"])
@pytest.mark.parametrize("n_agq", [1, 9])
def test_exact_hessian_is_the_derivative_of_the_exact_gradient(family: str, n_agq: int) -> None:
    """The analytic Hessian (nodes moving with the parameters) against central differences of the
    analytic gradient, an independent route to the same matrix (O(h²) error: 1e-8 here), on NB2 data
    with a family effect and families missing their after-period (padded rows)."""
    from impactkit.outcomes._glmm import _CountModel

    rng = np.random.default_rng(7)
    n_fam = 150
    fam = np.repeat(np.arange(n_fam), 3)
    phase = np.tile([0, 1, 2], n_fam)
    keep = ~((phase == 2) & (rng.random(len(fam)) < 0.3))
    fam, phase = fam[keep], phase[keep]
    x = np.column_stack([np.ones(len(fam)), phase == 1, phase == 2]).astype(float)
    offset = np.log(rng.uniform(0.3, 1.0, len(fam)))
    mu = np.exp(offset + x @ [0.3, -0.3, -0.6] + rng.normal(0, 0.7, n_fam)[fam])
    y = rng.negative_binomial(2.0, 2.0 / (2.0 + mu)).astype(float)
    model = _CountModel(y, x, offset, fam, family, n_agq)
    par = np.r_[0.2, -0.2, -0.5, np.log(0.6), [np.log(1.5)] if family == "negbin" else []]
    h = 1e-4
    steps = np.eye(len(par)) * h
    central = np.array([(model.nll_grad(par + e)[1] - model.nll_grad(par - e)[1]) / (2 * h) for e in steps])
    np.testing.assert_allclose(model.hessian(par), (central + central.T) / 2, rtol=1e-6, atol=1e-6)
