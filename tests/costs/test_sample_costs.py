"""The default scenario on the committed sample: internal consistency and the programme cost
recomputed independently from programme_costs.csv."""

from __future__ import annotations

import pandas as pd
import pytest

from impactkit.costs import Scenario, evaluate
from impactkit.io import read_dataset


@pytest.fixture(scope="module")
def result(sample_dir):
    ds = read_dataset(sample_dir, today="2026-11-01")
    return evaluate(
        ds.assessments,
        families=ds.families,
        counterfactuals=ds.counterfactuals,
        care_used=ds.care_used,
        programme_costs=ds.programme_costs,
        prices=ds.prices,
        draws=2000,
        seed=0,
    )


def test_programme_cost_from_the_csv(result, sample_dir) -> None:
    """Σ amount × CPI factor(year) / 1.0225^(year − first year), first year = 2021 (first start)."""
    factors = Scenario.default().index
    table = pd.read_csv(sample_dir / "programme_costs.csv").groupby("year")["amount"].sum()
    families = pd.read_csv(sample_dir / "families.csv", parse_dates=["start_date"])
    first = min(int(families["start_date"].dt.year.min()), int(table.index.min()))
    expected = sum(a * factors[y] / 1.0225 ** (y - first) for y, a in table.items())
    assert result.headline["programme_cost"] == pytest.approx(expected)


def test_tables_add_up(result) -> None:
    h = result.headline
    assert result.by_payer["saves"].sum() == pytest.approx(h["gross_avoided_cost"])
    assert result.by_payer["invests"].sum() == pytest.approx(h["programme_cost"])
    assert result.by_path["avoided_cost"].sum() == pytest.approx(h["gross_avoided_cost"])
    pv = (result.by_year["saves"] * result.by_year["discount_factor"]).sum()
    assert pv == pytest.approx(h["gross_avoided_cost"])
    assert result.meta["families"] == 350
    assert set(result.per_family["basis"]) <= {
        "recorded",
        "rule",
        "no rule matched",
        "prevalence",
        "not declared",
    }
    by_basis = result.by_basis.groupby("path")[["counterfactual_cost", "used_cost", "avoided_cost"]].sum()
    bp = result.by_path.set_index("path")
    for col in by_basis.columns:
        assert by_basis[col].to_numpy() == pytest.approx(bp.loc[by_basis.index, col].to_numpy())


def test_used_care_is_allocated(result) -> None:
    bp = result.by_path.set_index("path")
    assert bp.loc["social_work", "used_cost"] > 0  # the sample records social work during the programme
    assert (bp["counterfactual_cost"] >= 0).all()
