"""The business case's one definition (costs/_casemodel.py) against an independent implementation.

The reference is ``_engine.run`` on the same model *without* the case graph: the vectorised numpy
engine that evaluates data (einsum over cohorts, variants, paths, payers and years), written
separately from the graph.  Every array of its Outcome must agree with the graph's to 1e-12 (only
the order of additions differs), for the deterministic values and for PSA draws, with and without
data.  Hand calculations pin the numbers themselves.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

import impactkit as ik
from impactkit.costs._case import CaseInfo, attach, data_profile, scenario_with
from impactkit.costs._casemodel import Profile, build, draw_key
from impactkit.costs._engine import base_theta, run
from impactkit.costs._need import cohort_need, data_need
from impactkit.costs._params import sample
from impactkit.costs._uncertainty import _Cohort

FIELDS = ("gross_pv", "cost_pv", "before_adjustment_pv", "attributed", "saves_pv", "invests_pv", "avoided",
          "invests", "case_cost", "cases", "df_effects", "decay", "price", "split", "path_cf_pv", "path_used_pv",
          "path_avoided_pv")  # fmt: skip


def _agree(ref, got, fields=FIELDS):
    for f in fields:
        a, b = np.asarray(getattr(ref, f)), np.asarray(getattr(got, f))
        assert a.shape == b.shape, f
        np.testing.assert_allclose(b, a, rtol=1e-12, atol=1e-9, err_msg=f)


def _settings(families, years, fte, s):
    return {"case.families_per_year": float(families), "case.years": float(years),
            "case.coordinator_fte": float(fte if fte is not None else families / s.caseload_per_fte.value),
            "case.fte_from_caseload": 1.0 if fte is None else 0.0, "case.start_year": 2025.0}  # fmt: skip


@pytest.mark.parametrize(("programme", "fte", "years"), [(None, None, 1), ("samen_oplopen", None, 3),
                                                         ("samen_oplopen", 1.6, 2), ("home_start", 0.5, 4)])  # fmt: skip
def test_graph_equals_engine_without_data(programme, fte, years):
    s = ik.costs.Scenario.default()
    need = cohort_need(s, families_per_year=40, years=years, fte=fte, programme=programme)
    theta = sample(s.params(), 400, 7)
    for th in (base_theta(s), theta):
        ref = run(need.model, th, detail=True)
        model = dataclasses.replace(need.model)
        attach(model, CaseInfo(s, Profile.assumed(s, programme), _settings(40, years, fte, s)))
        _agree(ref, run(model, th, detail=True))


def test_graph_equals_engine_on_data():
    """The sample's families in one cohort: the projection with families = n and one funded year
    is exactly the engine's evaluation of that cohort (judgements, rule groups, care used,
    programme variants), at the base values and under PSA draws of the parameters and of the cohort."""
    ds = ik.read_dataset("data/sample", today="2026-11-01")
    s = ik.costs.Scenario.from_file(ds.scenario_path)
    obs = data_need(ds.assessments, s, ds.instrument, families=ds.families, counterfactuals=ds.counterfactuals,
                    care_used=ds.care_used)  # fmt: skip
    dp = data_profile(obs, s, k=1)  # k = 1: nothing merged, the data as they are
    n = dp.profile.n
    model = dp.model
    theta = sample(s.params(), 300, 11)
    cohort = _Cohort(model, model.detail)
    rng = np.random.default_rng(2)
    w = cohort.weights(rng, 300)
    draws = cohort.totals(w, cohort.noise(rng, w, 300), 300)
    with_case = dataclasses.replace(model)
    attach(with_case, CaseInfo(s, dp.profile, _settings(n, 1, None, s)))
    _agree(run(model, base_theta(s), detail=True), run(with_case, base_theta(s), detail=True))
    # under cohort draws only the present values (the engine's yearly detail keeps the observed care
    # used; the PSA reads present values only)
    _agree(run(model, theta, cohort=draws), run(with_case, theta, cohort=draws), FIELDS[:6])


def test_hand_calculation():
    """Default scenario, 40 families for one year, the default programme (social work, parenting
    support and debt assistance), coordinator from the caseload (40 / 25 = 1.6 FTE):

    * programme cost 1.6 × 80,000 + 40 × (300 + 250) = 150,000 (year 1, undiscounted);
    * one case of social work = 10 contacts × €127 × 1.073 (CPI 2022 → 2024) = €1,362.71;
      expected cases 40 × 0.40 = 16, counterfactual care 16 × 1,362.71 = €21,803.36 (year 1:
      no drop-off, no discounting); after deadweight 30% and attribution 20%: × 0.56 = €12,209.88.
    """
    bc = ik.costs.business_case(families_per_year=40, years=1, draws=0)
    assert bc.headline["programme_cost"] == pytest.approx(150_000, rel=1e-12)
    row = bc.by_path.set_index("path").loc["social_work"]
    assert row["cost_per_case"] == pytest.approx(1362.71, rel=1e-12)
    assert row["expected_cases"] == pytest.approx(16, rel=1e-12)
    assert row["counterfactual_cost"] == pytest.approx(21_803.36, rel=1e-12)
    assert row["avoided_cost"] == pytest.approx(12_209.8816, rel=1e-12)
    assert bc.by_year["calendar_year"].iloc[0] == 2025  # the year after the 2024 prices


def test_page_sizes_do_not_change_the_numbers():
    """The page's graph (10 funded years × 10 horizon years) gives the engine's figures."""
    bc = ik.costs.business_case(families_per_year=40, years=3, programme="samen_oplopen", draws=300, seed=2)
    w = bc.what_if()
    for k in ("programme_cost", "gross_avoided_cost", "net_benefit", "payback_months", "break_even_share"):
        assert w.headline[k] == pytest.approx(bc.headline[k], rel=1e-12, nan_ok=True)
    assert w.psa["p_net_benefit_positive"] == bc.headline["p_net_benefit_positive"]
    assert w.by_year.reset_index(drop=True)[["invests", "saves"]].to_numpy() == pytest.approx(
        bc.by_year.reset_index(drop=True)[["invests", "saves"]].to_numpy(), rel=1e-12, abs=1e-9
    )


def test_what_if_equals_a_rerun():
    """what_if at other inputs = business_case re-run with those inputs (deterministic)."""
    bc = ik.costs.business_case(families_per_year=40, years=3, draws=200, seed=4)
    values = {"case.families_per_year": 55.0, "case.years": 5.0, "scenario.horizon": 8.0,
              "adjustments.deadweight": 0.45, "prices.social_work.price": 140.0,
              "paths.social_work.components[0].years": 1.5}  # fmt: skip
    w = bc.what_if(**values)
    rerun = ik.costs.business_case(scenario_with(bc.scenario, values), families_per_year=55, years=5, draws=0)
    for k in ("programme_cost", "gross_avoided_cost", "net_benefit", "break_even_share"):
        assert w.headline[k] == pytest.approx(rerun.headline[k], rel=1e-12)
    assert len(w.by_year) == len(rerun.by_year) == (5 + 8 - 1) * len(bc.scenario.payers)
    # the PSA moved: a higher deadweight lowers the chance of a saving
    assert (
        w.psa["p_net_benefit_positive"] < bc.headline["p_net_benefit_positive"]
        or bc.headline["p_net_benefit_positive"] == 0
    )


def test_moved_draws():
    """An input left alone keeps its draws exactly; a scaled one is multiplied; a share is shifted
    on the log-odds scale and stays in (0, 1)."""
    s = ik.costs.Scenario.default()
    info = CaseInfo(s, Profile.assumed(s), _settings(40, 1, None, s))
    pm = build(s, info.profile, settings=info.settings, max_cohorts=1, max_horizon=5, psa=True)
    key_p, key_s = "prices.social_work.price", "adjustments.deadweight"
    g = pm.graph
    eff_p = next(n for n in g.nodes if n.op == "where" and draw_key(key_p) in {a.name for a in n.args})
    eff_s = next(n for n in g.nodes if n.op == "where" and draw_key(key_s) in {a.name for a in n.args})
    d = np.array([100.0, 127.0, 160.0])
    q = np.array([0.1, 0.3, 0.6])
    same = g.evaluate({key_p: 127.0, draw_key(key_p): d}, [eff_p])[0]
    scaled = g.evaluate({key_p: 254.0, draw_key(key_p): d}, [eff_p])[0]
    assert same.tolist() == d.tolist()
    assert scaled == pytest.approx(2 * d, rel=1e-15)
    kept = g.evaluate({key_s: 0.3, draw_key(key_s): q}, [eff_s])[0]
    moved = g.evaluate({key_s: 0.5, draw_key(key_s): q}, [eff_s])[0]
    assert kept.tolist() == q.tolist()
    logit = np.log(q / (1 - q)) + np.log(0.5 / 0.5) - np.log(0.3 / 0.7)
    assert moved == pytest.approx(1 / (1 + np.exp(-logit)), rel=1e-12)
    assert ((moved > 0) & (moved < 1)).all()


def test_profile_rests_on_k_families():
    """With k = 30 every number from the data rests on at least 30 families: paths fewer carry take
    the prevalence, care used in sparse years moves to an earlier year, sparse care types become
    cost-equivalent units of the most used type; the subtracted care cost at base prices is kept."""
    ds = ik.read_dataset("data/sample", today="2026-11-01")
    s = ik.costs.Scenario.from_file(ds.scenario_path)
    obs = data_need(ds.assessments, s, ds.instrument, families=ds.families, counterfactuals=ds.counterfactuals,
                    care_used=ds.care_used)  # fmt: skip
    dp = data_profile(obs, s, k=30)
    uf, uh, uk, uu = dp.model.detail.used
    for kk in np.unique(uk):
        for h in np.unique(uh[uk == kk]):
            assert len(set(uf[(uk == kk) & (uh == h)].tolist())) >= 30
    price = np.array([s.prices[ct].price.value * s.prices[ct].index for ct in dp.model.care_types])
    _, _, k0, u0 = obs.model.detail.used
    assert (uu * price[uk]).sum() == pytest.approx((u0 * price[k0]).sum(), rel=1e-12)
    assert all(v >= 30 or v == 0 for k, v in dp.families.items() if k.startswith("path:"))
