"""evaluate(Dataset) uses the dataset's own tables and scenario: the same numbers as passing them."""

from __future__ import annotations

import impactkit as ik


def test_dataset_equals_explicit_tables():
    ds = ik.read_dataset("data/sample", today="2026-11-01")
    whole = ik.costs.evaluate(ds, draws=300, seed=4)
    explicit = ik.costs.evaluate(
        ds.assessments, ds.scenario_path, families=ds.families, counterfactuals=ds.counterfactuals,
        care_used=ds.care_used, programme_costs=ds.programme_costs, prices=ds.prices, draws=300, seed=4,
    )  # fmt: skip
    assert whole.to_dict() == explicit.to_dict()
    # an explicit option still wins over the dataset's table
    without = ik.costs.evaluate(ds, counterfactuals=ds.counterfactuals.iloc[:0], draws=0)
    assert without.headline["gross_avoided_cost"] != whole.headline["gross_avoided_cost"]
