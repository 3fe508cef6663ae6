"""Valid data that used to end in a traceback (issue 10), each fixed at its cause."""

from __future__ import annotations

import dataclasses

import pandas as pd
import pytest

import impactkit as ik
from impactkit.report import build_report
from tests.report._report_data import GENERATED, sample

DRAWS = 200


@pytest.mark.parametrize("municipality", ["Tiel", "Zutphen"])
def test_a_separated_attrition_model_is_reported_as_a_status(municipality):
    """In Tiel and Zutphen a combination of intake scores predicts completion exactly (statsmodels:
    "Perfect separation" / overflow, odds ratio = inf). The report used to crash in babel on the
    infinite odds ratio; now it shows no estimates and says why."""
    rep = build_report(
        sample(), kind="annual", municipality=municipality, draws=DRAWS, generated_at=GENERATED, lang="nl"
    )
    model = rep.tables["attrition-model"]
    assert model.drop(columns=model.columns[0]).isna().all().all()  # no estimate published
    notes = next(t for s in rep.sections for t in s.tables if t.id == "tbl-attrition-model").notes
    assert any("niet betrouwbaar geschat" in n for n in notes), notes
    assert "∞" not in rep.html


def test_a_care_path_on_fewer_than_k_families_does_not_break_the_cost_summary():
    """Social work rests on 3 families (k = 10), the other paths on none but debt assistance: the
    waterfall's largest published path was looked up by position in a filtered frame (KeyError)."""
    ds = sample()
    ids = list(ds.families["family_id"])
    cf = pd.DataFrame(
        {
            "family_id": ids + ids[:3],
            "care_path": ["debt_assistance"] * len(ids) + ["social_work"] * 3,
            "likelihood": [0.3] * len(ids) + [0.5] * 3,
            "judged_by": "coordinator",
        }
    )
    ds = dataclasses.replace(ds, counterfactuals=cf)
    rep = build_report(ds, kind="annual", draws=DRAWS, generated_at=GENERATED)
    paths = rep.tables["waterfall"]
    social = paths[paths.iloc[:, 0].astype(str).str.contains("Social work")]
    assert social.iloc[0, 1] == "<10"
    assert social.iloc[0, 2] == "<10"  # its avoided cost rests on those 3 families: "<10", never "x"
    published = paths[pd.to_numeric(paths.iloc[:, 2], errors="coerce").notna()]
    top = published.iloc[pd.to_numeric(published.iloc[:, 2]).to_numpy().argmax(), 0]
    cap = next(c for s in rep.sections for c in s.charts if c.id == "waterfall").caption
    # the caption names the largest avoided cost only when that path is published (never the
    # runner-up as if it were the largest); reference: the cost model's own by_path
    by_path = ik.costs.evaluate(ds, draws=0).by_path
    largest = str(by_path.loc[by_path["avoided_cost"].idxmax(), "label"])
    if published.iloc[:, 0].astype(str).str.contains(largest, case=False).any():
        assert cap.endswith(f"The largest avoided cost is {top}.")
    else:
        assert "The largest avoided cost is" not in cap
        assert cap.endswith("Care paths that rest on too few families are shown together.")
