"""The vectorised engine: the folded present-value formula used by the PSA equals the calendar-year
flows of the detailed run, draw by draw (two independent computations of the same sums)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from impactkit._canonical import instrument_of
from impactkit.costs import Scenario
from impactkit.costs._engine import run
from impactkit.costs._evaluate import _override_prices, _programme_amounts, _programme_table
from impactkit.costs._need import cohort_need, data_need
from impactkit.costs._params import sample
from impactkit.io import read_dataset


@pytest.fixture(scope="module")
def sample_model(sample_dir):
    ds = read_dataset(sample_dir, today="2026-11-01")
    s = _override_prices(Scenario.default(), ds.prices)
    table, years = _programme_table(ds.programme_costs, s)
    need = data_need(
        ds.assessments, s, instrument_of(ds.assessments), families=ds.families,
        counterfactuals=ds.counterfactuals, care_used=ds.care_used, programme_years=years,
    )  # fmt: skip
    need.model.programme_amounts = _programme_amounts(table, need)
    return need.model


def _check(model) -> None:
    theta = sample(model.scenario.params(), 64, seed=5)
    out = run(model, theta, detail=True)
    n = model.n_years
    df_e = (1 + theta["discount.effects"][:, None]) ** -np.arange(n)
    df_c = (1 + theta["discount.costs"][:, None]) ** -np.arange(n)
    assert out.saves_pv == pytest.approx(np.einsum("dyn,dn->dy", out.avoided, df_e), rel=1e-10, abs=1e-6)
    assert out.invests_pv == pytest.approx(np.einsum("dyn,dn->dy", out.invests, df_c), rel=1e-10, abs=1e-6)
    by_path = out.path_avoided_pv.sum(axis=1)
    assert by_path == pytest.approx(out.gross_pv, rel=1e-10, abs=1e-6)
    lean = run(model, theta)
    assert lean.net_pv == pytest.approx(out.net_pv)


def test_folded_pv_equals_calendar_flows_on_the_sample(sample_model) -> None:
    _check(sample_model)


def test_folded_pv_equals_calendar_flows_for_cohorts() -> None:
    need = cohort_need(Scenario.default(), families_per_year=33, years=4, fte=1.2)
    _check(need.model)


def test_care_used_goes_to_the_first_path_using_its_type(sample_model) -> None:
    owner = pd.Series(
        {ct: next((p for p in sample_model.paths if any(c.care_type == ct for c in
          sample_model.scenario.paths[p].components)), None) for ct in sample_model.care_types}
    )  # fmt: skip
    assert owner["home_guidance"] == "parenting_support"  # also used by youth_care, listed later
    assert owner["debt_assistance"] == "debt_assistance"
