"""The budget-by-year legend names payers as people read them, not by their ids."""

from __future__ import annotations

import impactkit as ik


def test_by_year_legend_uses_payer_labels():
    bc = ik.costs.business_case(families_per_year=40, years=3, draws=200, seed=1)
    names = [trace.name for trace in bc.figure("by_year", by="payer").data]
    assert "Municipality: prevention" in names  # the catalogue's word (nl: "Gemeente: preventie")
    assert "municipality_prevention" not in names
    nl = [trace.name for trace in bc.figure("by_year", by="payer", lang="nl").data]
    assert "Gemeente: preventie" in nl
