"""The PSA's new sources of uncertainty, each against an analytic value or a second implementation:
judgement draws (beta variance), the Bayesian and ordinary bootstraps (analytic variances of a
weighted total), random groups above MAX_ROWS families, the Sobol split by source (analytic indices
of a product), and P(saving) on small cohorts (simulation)."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest
from _costs_data import TINY_CASE_PV, judged_cohort, tiny

import impactkit as ik
from impactkit._canonical import instrument_of
from impactkit.costs import Scenario, business_case, evaluate
from impactkit.costs import _uncertainty as unc
from impactkit.costs._need import data_need
from impactkit.costs._uncertainty import psa


def _model(spec: dict, likelihoods: list[float]):
    data, cf = judged_cohort(likelihoods)
    s = Scenario.from_dict(spec)
    need = data_need(data, s, instrument_of(data), families=None, counterfactuals=cf, care_used=None)
    return need.model


def _cases(result, n: int) -> np.ndarray:
    """Expected cases per draw, recovered from the net benefit: net = cases × TINY_CASE_PV − 500 n
    (a coordinator at €10,000 per FTE-year, 20 families per FTE, paid in year 1)."""
    return (result.table["net_benefit"].to_numpy() + 500.0 * n) / TINY_CASE_PV


def test_case_value_of_the_tiny_scenario_by_hand() -> None:
    """The helper's hand calculation equals the deterministic evaluation of one recorded case."""
    data, cf = judged_cohort([1.0])
    r = evaluate(data, Scenario.from_dict(tiny()), counterfactuals=cf, draws=0)
    assert r.headline["gross_avoided_cost"] == pytest.approx(TINY_CASE_PV)
    assert r.headline["programme_cost"] == pytest.approx(500.0)


def test_one_judgement_is_drawn_from_its_beta() -> None:
    """One family judged 0.3 with strength κ = 4: cases ~ Beta(1.2, 2.8), mean 0.3 and variance
    m (1 − m) / (κ + 1) = 0.21 / 5 = 0.042 (beta moments); one family, so no bootstrap spread."""
    spec = tiny(**{"uncertainty.judgement_strength": 4})
    res = psa(_model(spec, [0.3]), 40000, 1)
    cases = _cases(res, 1)
    assert cases.mean() == pytest.approx(0.3, abs=0.005)
    assert cases.var() == pytest.approx(0.042, rel=0.03)
    assert res.spread.set_index("source").loc["judgements", "first_order"] == pytest.approx(1.0, abs=0.02)


def test_certain_judgements_stay_certain() -> None:
    """Judgements of exactly 0 or 1 carry no elicitation spread (the beta is a point mass)."""
    res = psa(_model(tiny(**{"uncertainty.bootstrap": "none"}), [1.0, 0.0, 1.0]), 2000, 2)
    assert np.allclose(_cases(res, 3), 2.0)


@pytest.mark.parametrize("n_families", [4, 30])
def test_summed_judgement_draws_against_per_family_draws(n_families: int) -> None:
    """The sum over a cell's families is drawn as one scaled beta with the exact mean Σ m and variance
    Σ m (1 − m) / (κ + 1); a second implementation draws every family from its own beta with numpy
    and sums: same variance, same 5%, 50% and 95% quantiles (within Monte-Carlo error)."""
    m = np.array(([0.2, 0.5, 0.7, 0.1] * n_families)[:n_families])
    spec = tiny(**{"uncertainty.judgement_strength": 4, "uncertainty.bootstrap": "none"})
    ours = _cases(psa(_model(spec, list(m)), 40000, 3, sources=("judgements",), spread=False), len(m))
    rng = np.random.default_rng(4)
    second = rng.beta(4 * m, 4 * (1 - m), size=(40000, len(m))).sum(axis=1)
    expected_var = float((m * (1 - m) / 5).sum())
    assert ours.var() == pytest.approx(expected_var, rel=0.03)
    assert second.var() == pytest.approx(expected_var, rel=0.03)
    sd = np.sqrt(expected_var)
    for q in (0.05, 0.5, 0.95):
        assert np.quantile(ours, q) == pytest.approx(np.quantile(second, q), abs=0.06 * sd)
    assert ours.min() >= 0


X = [0.0, 0.2, 0.4, 0.5, 0.9, 1.0]


@pytest.mark.parametrize(
    ("bootstrap", "factor"),
    [("bayesian", len(X) / (len(X) + 1)), ("ordinary", 1.0)],
)
def test_bootstrap_variance_is_the_analytic_one(bootstrap: str, factor: float) -> None:
    """Total T = Σ w_i x_i over n families. Bayesian bootstrap (w = n × Dirichlet(1, …, 1)):
    Var T = n/(n + 1) × Σ (x_i − x̄)²; ordinary bootstrap (w ~ Multinomial(n, 1/n)): Var T =
    Σ (x_i − x̄)² (Rubin 1981; Efron & Tibshirani 1993, §5.2). Judgement draws switched off."""
    spec = tiny(**{"uncertainty.bootstrap": bootstrap})
    res = psa(_model(spec, X), 40000, 5, sources=("cohort",))
    cases = _cases(res, len(X))
    x = np.asarray(X)
    assert cases.mean() == pytest.approx(x.sum(), abs=0.02)
    assert cases.var() == pytest.approx(factor * ((x - x.mean()) ** 2).sum(), rel=0.03)
    assert res.spread["source"].tolist() == ["cohort"]


@pytest.mark.parametrize(("bootstrap", "bayes"), [("bayesian", True), ("ordinary", False)])
def test_bootstrap_of_a_large_cohort_keeps_the_variance(
    monkeypatch: pytest.MonkeyPatch, bootstrap: str, bayes: bool
) -> None:
    """Above MAX_ROWS families the bulk total is drawn from the normal with the bootstrap's exact
    covariance and families with a rare feature keep their own weight: the variance of the cohort
    total stays n/(n + 1) Σ (x − x̄)² (Bayesian) or Σ (x − x̄)² (ordinary), as at family level."""
    monkeypatch.setattr(unc, "MAX_ROWS", 60)
    rng = np.random.default_rng(8)
    x = rng.choice([0.0, 0.1, 0.3, 0.8, 1.0], size=900)
    spec = tiny(**{"uncertainty.bootstrap": bootstrap})
    res = psa(_model(spec, list(x)), 30000, 6, sources=("cohort",), spread=False)
    cases = _cases(res, len(x))
    ss = ((x - x.mean()) ** 2).sum()
    assert cases.mean() == pytest.approx(x.sum(), rel=1e-3)
    assert cases.var() == pytest.approx(ss * (len(x) / (len(x) + 1) if bayes else 1.0), rel=0.04)


def test_a_rare_feature_keeps_its_own_weight(monkeypatch: pytest.MonkeyPatch) -> None:
    """One family of 900 is judged 0.6 likely to need a supervision order: that total is
    0.6 × w with w its own bootstrap weight (Exp(1): mean 1, variance 1), never negative, and
    zero in no draw (a normal approximation would give P(total < 0) ≈ 16%)."""
    monkeypatch.setattr(unc, "MAX_ROWS", 60)
    data, cf = judged_cohort([0.5] * 900)
    cf = pd.concat([cf, pd.DataFrame({"family_id": ["F7"], "care_path": ["supervision_order"], "likelihood": [0.6],
                                      "judged_by": ["referrer"]})])  # fmt: skip
    s = Scenario.default()
    model = data_need(data, s, instrument_of(data), families=None, counterfactuals=cf, care_used=None).model
    cohort = unc._Cohort(model, model.detail)
    w = cohort.weights(np.random.default_rng(3), 20000)
    totals = cohort.totals(w, None, 20000)
    ots = totals.judged[:, 0, 0, model.paths.index("supervision_order")]
    assert (ots > 0).all()
    assert ots.mean() == pytest.approx(0.6, rel=0.03)
    assert ots.var() == pytest.approx(0.36, rel=0.06)


def test_sobol_indices_of_a_product_are_the_analytic_ones() -> None:
    """Net benefit = K × price × (1 − deadweight) − cost with independent price ~ gamma(127, sd 30)
    and deadweight ~ beta(0.3, sd 0.1). For a product of independent X, Y:
    V = σx² σy² + μy² σx² + μx² σy², S_x = μy² σx² / V, S_y = μx² σy² / V and the total index
    ST_x = (σx² σy² + μy² σx²) / V (Sobol 1993; Saltelli et al. 2010)."""
    spec = tiny(
        **{
            "prices.social_work.price": {"value": 127.0, "dist": "gamma", "sd": 30.0},
            "adjustments.deadweight": {"value": 0.3, "dist": "beta", "sd": 0.1, "source": "t"},
        }
    )
    r = business_case(Scenario.from_dict(spec), families_per_year=20, draws=40000, seed=9)
    mx, sx, my, sy = 127.0, 30.0, 0.7, 0.1
    v = sx**2 * sy**2 + my**2 * sx**2 + mx**2 * sy**2
    sp = r.spread.set_index("source")
    assert sp.index.tolist() == ["prices", "adjustments"]  # nothing else varies, nothing else is listed
    assert sp.loc["prices", "first_order"] == pytest.approx(my**2 * sx**2 / v, abs=0.03)
    assert sp.loc["adjustments", "first_order"] == pytest.approx(mx**2 * sy**2 / v, abs=0.03)
    assert sp.loc["prices", "total_order"] == pytest.approx((sx**2 * sy**2 + my**2 * sx**2) / v, abs=0.03)
    assert sp.loc["adjustments", "total_order"] == pytest.approx(
        (sx**2 * sy**2 + mx**2 * sy**2) / v, abs=0.03
    )


# ------------------------------------------------------------------ small cohorts (issue 12)
MIX = [0.9, 0.1, 0.6, 0.0, 0.4]  # five kinds of family, judged likely to need the default path


def _replicated(m: int) -> dict[str, pd.DataFrame]:
    """The same five-family mix, m times over; programme cost €3,000 per family (a table)."""
    lik = MIX * m
    data, cf = judged_cohort(lik, path="debt_assistance")
    cf = pd.concat([cf, cf.assign(care_path="parenting_support", likelihood=[x / 2 for x in lik])])
    cost = pd.DataFrame({"year": [2024], "item": ["coordinator"], "amount": [3000.0 * len(lik)]})
    return {"data": data, "counterfactuals": cf, "programme_costs": cost}


@pytest.fixture(scope="module")
def by_size() -> dict[int, ik.costs.CostEvaluation]:
    out = {}
    for m in (70, 20, 7, 2, 1):
        kw = _replicated(m)
        out[5 * m] = evaluate(kw.pop("data"), Scenario.default(), **kw, draws=6000, seed=21)
    return out


def test_interval_and_p_saving_widen_as_the_cohort_shrinks(by_size) -> None:
    """Simulation: one five-family mix replicated to 350, 100, 35, 10 and 5 families has the same
    net benefit per family; with judgements drawn and families resampled, the 95% interval per family
    widens at every step down and P(saving) moves towards 0.5 (less certain) at every step down."""
    sizes = sorted(by_size, reverse=True)
    per_family = {n: by_size[n].headline["net_benefit"] / n for n in sizes}
    assert np.ptp(list(per_family.values())) < 1e-6 * abs(per_family[350])
    width = [
        (lambda q: (q["q975"] - q["q025"]) / n)(by_size[n].psa.set_index("quantity").loc["net_benefit"])
        for n in sizes
    ]
    doubt = [abs(by_size[n].headline["p_net_benefit_positive"] - 0.5) for n in sizes]
    assert all(a < b for a, b in itertools.pairwise(width)), width
    assert all(a > b for a, b in itertools.pairwise(doubt)), doubt
    cohort_share = [by_size[n].spread.set_index("source").loc["cohort", "total_order"] for n in sizes]
    assert cohort_share[-1] > cohort_share[0]


def _youth_protection() -> dict[str, pd.DataFrame]:
    """scripts/psa_by_cohort.py: five families feared to need a supervision order (0.5–0.7) and
    a placement (0.1–0.3), parenting support (0.7–0.9); one coordinator budget of €51,000."""
    ids = [f"Y{i}" for i in range(1, 6)]
    data, _ = judged_cohort([0.0] * 5, prefix="Y")
    judged = {"supervision_order": [0.6, 0.5, 0.7, 0.6, 0.6], "out_of_home_placement": [0.2, 0.1, 0.3, 0.2, 0.2],
              "parenting_support": [0.8, 0.9, 0.7, 0.8, 0.8]}  # fmt: skip
    cf = pd.DataFrame(
        [{"family_id": f, "care_path": p, "likelihood": v[i], "judged_by": "referrer"}
         for p, v in judged.items() for i, f in enumerate(ids)]
    )  # fmt: skip
    families = pd.DataFrame({"family_id": ids, "programme": "Samen Oplopen", "start_date": "2024-01-10"})
    cost = pd.DataFrame({"year": [2024], "item": ["coordinator"], "amount": [51000.0]})
    return {"data": data, "families": families, "counterfactuals": cf, "programme_costs": cost}


def test_five_family_youth_protection_case_no_longer_reads_certain() -> None:
    """Issue 12: prices and adjustments alone gave P(saving) ≈ 100% at BCR ≈ 1.8 for five families;
    with the judgements drawn and the five families resampled it is clearly below 99%, and both new
    sources carry a visible share of the variance."""
    kw = _youth_protection()
    data = kw.pop("data")
    r = evaluate(data, Scenario.default(), **kw, draws=10000, seed=0)
    assert 1.6 < r.headline["benefit_cost_ratio"] < 2.0
    from impactkit.costs._evaluate import _programme_amounts, _programme_table

    s = Scenario.default()
    table, years = _programme_table(kw["programme_costs"], s)
    need = data_need(data, s, instrument_of(data), families=kw["families"], counterfactuals=kw["counterfactuals"],
                     care_used=None, programme_years=years)  # fmt: skip
    need.model.programme_amounts = _programme_amounts(table, need)
    # the PSA as it was: prices, care, rules and adjustments only
    old_style = psa(need.model, 10000, 0, sources=("need", "care", "prices", "adjustments", "programme"),
                    spread=False)  # fmt: skip
    p_old = float((old_style.table["net_benefit"] > 0).mean())
    p_new = r.headline["p_net_benefit_positive"]
    assert p_old > 0.99
    assert p_new < 0.98
    sp = r.spread.set_index("source")
    assert sp.loc["judgements", "total_order"] > 0.1
    assert sp.loc["cohort", "total_order"] > 0.05
    q_old = old_style.summary.set_index("quantity").loc["gross_avoided_cost"]
    q_new = r.psa.set_index("quantity").loc["gross_avoided_cost"]
    assert q_new["q975"] - q_new["q025"] > 1.2 * (q_old["q975"] - q_old["q025"])
