"""impactkit.measures.attrition against R on data/sample (reference_attrition.R).

R: t.test(completers, noncompleters, var.equal = FALSE); glm(noncompleter ~ intake scores,
family = binomial) with confint.default; flows counted with colSums.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from _measures_data import load, reference, sample_families

import impactkit as ik
from impactkit.measures import attrition

CLOSED = 1e-9
GLM = 1e-6  # iterative fit: statsmodels Newton vs R IRLS (both converge to ~1e-8 deviance change)


def test_flow_and_profile_match_r() -> None:
    """R: colSums of observed waves; Welch t.test and the SMD per intake domain."""
    res = attrition(load("sample"), sample_families())
    flow = res.flow.to_frame()
    overall = flow[flow["group"] == "all"]
    assert overall["n_families"].tolist() == reference("attrition_flow_sample.csv")["n_families"].tolist()
    per = flow[flow["group"] != "all"].reset_index(drop=True)
    ref = reference("attrition_flow_municipality_sample.csv")
    assert per["group"].tolist() == ref["group"].tolist()
    assert per["n_families"].astype(int).tolist() == ref["n_families"].tolist()
    prof = res.profile.to_frame()
    ref = reference("attrition_profile_sample.csv")
    for col in ref.columns[1:]:
        np.testing.assert_allclose(prof[col].astype(float), ref[col], rtol=CLOSED, err_msg=col)


def test_model_matches_r_glm() -> None:
    """R: glm(noncompleter ~ ., family = binomial); summary coefficients and confint.default."""
    model = attrition(load("sample"), sample_families()).model.to_frame()
    ref = reference("attrition_model_sample.csv")
    assert model["term"].tolist() == ref["term"].tolist()
    for col in ["estimate", "se", "z", "p_value", "ci_low", "ci_high"]:
        np.testing.assert_allclose(model[col], ref[col], rtol=GLM, atol=1e-10, err_msg=col)
    assert (model["status"] == "ok").all()


def test_patterns_and_small_group_suppression() -> None:
    res = attrition(load("sample"), sample_families(), min_n=30)
    pats = res.patterns.to_frame()
    assert pats["n"].sum() == 350
    assert pats.loc[0, ["intake", "year1", "year2"]].tolist() == [True, True, True]
    flow = res.flow.to_frame()
    small = flow["status"].str.startswith("suppressed")
    assert set(flow.loc[small, "group"]) == {"Tiel", "Zutphen"}  # 22 and 23 families at intake
    assert flow.loc[small, "n_families"].isna().all()
    shown = flow.loc[flow["group"] != "all", "n_families"].dropna()
    assert (shown >= 30).all()
    lost = flow.loc[flow["group"] != "all", "n_lost"].dropna()
    assert ((lost == 0) | (lost >= 30)).all()


def test_without_families_and_everyone_completing() -> None:
    """No families: overall flow only; nobody drops out: the model is reported as not estimable."""
    data = load("ordinal")
    full = data[data["family_id"].isin(data.loc[data["wave"] == "year2", "family_id"])]
    res = attrition(ik.canonical(full.reset_index(drop=True), data.attrs["instrument"]))
    assert set(res.flow["group"]) == {"all"}
    assert res.model["status"].str.startswith("not estimable").all()
    assert "Attrition flow" in res.summary()
    assert "<table" in res._repr_html_()


def test_ongoing_families_are_not_noncompleters() -> None:
    fam = sample_families()
    fam.loc[fam["end_reason"] == "dropped_out", "end_reason"] = pd.NA
    res = attrition(load("sample"), fam)
    assert any("ongoing" in n for n in res.notes)
    assert res.profile["n_noncompleters"].max() < 94  # R: 94 with the original end reasons
