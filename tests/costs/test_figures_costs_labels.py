"""The budget-by-year legend names payers as people read them, not by their ids."""

from __future__ import annotations

import impactkit as ik


def test_by_year_legend_uses_payer_labels():
    bc = ik.costs.business_case(families_per_year=40, years=3, draws=200, seed=1)
    names = [trace.name for trace in bc.figure("by_year").data]
    labels = dict(zip(bc.by_payer["payer"], bc.by_payer["label"], strict=True))
    assert labels["municipality_prevention"] in names
    assert "municipality_prevention" not in names
