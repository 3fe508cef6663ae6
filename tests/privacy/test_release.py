"""The release plan: reports per municipality and programme, decided once from the whole data."""

from __future__ import annotations

import itertools

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from impactkit.errors import DesignError, ParameterError
from impactkit.privacy import OTHER, plan_release


def _families(sizes: dict[str, int], programme: dict[str, str] | None = None) -> pd.DataFrame:
    rows = [
        (f"{m}{i}", m, (programme or {}).get(m, "Samen Oplopen")) for m, n in sizes.items() for i in range(n)
    ]
    return pd.DataFrame(rows, columns=["family_id", "municipality", "programme"])


def test_the_cohort_of_the_issue():
    """Groups of 4, 9, 10, 11, 25 and 30 families: 4 and 9 have no report and form "other" (13 >= k);
    the four others get their own report; funder minus the four reports = 13, never 4 or 9."""
    fam = _families({"A": 4, "B": 9, "C": 10, "D": 11, "E": 25, "F": 30})
    plan = plan_release(fam, k=10, programmes=False)
    t = plan.table(exact=True).set_index("name")
    assert t.loc[["C", "D", "E", "F"], "published"].all()
    assert not t.loc[["A", "B"], "published"].any()
    assert t.loc["A", "reason"] == "4 families, fewer than k = 10"
    assert [plan.group("municipality", m) for m in "ABCDEF"] == [OTHER, OTHER, "C", "D", "E", "F"]
    with pytest.raises(DesignError, match="withheld from this release: 9 families"):
        plan.scope("municipality", "B")
    assert plan.scope("municipality", "E").n == 25
    with pytest.raises(ParameterError, match="no municipality 'Atlantis'"):
        plan.scope("municipality", "Atlantis")


def test_a_report_whose_remainder_is_under_k_is_withheld():
    """4, 25, 30: the 4 alone would be the funder report minus the 25 and the 30, so the 25's
    report is withheld too and both form "other" (29)."""
    plan = plan_release(_families({"S": 4, "M": 25, "L": 30}), k=10, programmes=False)
    t = plan.table(exact=True).set_index("name")
    assert t.loc["M", "published"] == False  # noqa: E712 - a numpy bool
    assert "leave 4 families in the other municipalities" in t.loc["M", "reason"]
    assert plan.group("municipality", "M") == OTHER
    # the manifest's form: no withheld report's size, in its numbers or its reasons
    public = plan.table().set_index("name")
    assert public.loc[["S", "M"], "families"].isna().all()
    assert public.loc["L", "families"] == 30
    assert not public["reason"].str.contains("4|25").any()
    assert public.loc["S", "reason"] == "fewer than k = 10 families"


def test_reports_not_asked_for_still_count():
    """Only L and M asked for: the 4 families outside would be their remainder, so M is withheld."""
    plan = plan_release(
        _families({"S": 4, "M": 25, "L": 30}), k=10, municipalities=["M", "L"], programmes=False
    )
    t = plan.table()
    t = t[t["kind"] != "programme"].set_index("name")
    assert t["published"].to_dict() == {"": True, "L": True, "M": False, "S": False}


def test_programmes_are_planned_the_same_way():
    fam = _families(
        {"A": 30, "B": 20, "C": 6}, programme={"A": "Samen Oplopen", "B": "Home-Start", "C": "Steunouder"}
    )
    plan = plan_release(fam, k=10)
    t = plan.table()
    progs = t[t["kind"] == "programme"].set_index("name")["published"].to_dict()
    assert progs == {"Home-Start": False, "Samen Oplopen": True, "Steunouder": False}
    assert plan.group("programme", "Home-Start") == OTHER


@settings(max_examples=60, deadline=None, derandomize=True)
@given(sizes=st.lists(st.integers(1, 40), min_size=1, max_size=7), k=st.integers(3, 12))
def test_property_no_remainder_under_k(sizes, k):
    """Whatever the sizes: every published report has >= k families, and the funder report minus
    any combination of published reports never leaves 1 to k-1 families (the whole remainder is
    what subtraction gives; a subset of reports leaves more)."""
    fam = _families({f"m{i}": n for i, n in enumerate(sizes)})
    if len(fam) < k:
        with pytest.raises(DesignError):
            plan_release(fam, k=k)
        return
    plan = plan_release(fam, k=k, programmes=False)
    pub = {s.name: s.n for s in plan.scopes if s.kind == "municipality" and s.published}
    assert all(n >= k for n in pub.values())
    for r in range(len(pub) + 1):
        for combo in itertools.combinations(pub, r):
            rest = len(fam) - sum(pub[c] for c in combo)
            assert rest == 0 or rest >= k


def test_a_single_municipal_report_follows_the_release_plan():
    """build_report(municipality=...) asks the plan of the whole dataset: with municipalities of
    4, 25 and 30 families, the 25's report is refused (the 4 would be the funder report minus the
    25 and the 30), the 30's is rendered."""
    import dataclasses

    from impactkit.io import read_dataset
    from impactkit.report import build_report

    ds = read_dataset("data/sample", today="2026-11-01")
    fam = ds.families
    sizes = {"Tiel": 4, "Ede": 25, "Arnhem": 30}
    limit = fam["municipality"].astype(str).map(sizes).fillna(0)
    keep = fam[fam.groupby("municipality", observed=True).cumcount() < limit]
    ids = set(keep["family_id"])
    small = dataclasses.replace(
        ds,
        families=keep.reset_index(drop=True),
        assessments=ds.assessments[ds.assessments["family_id"].isin(ids)].reset_index(drop=True),
        counterfactuals=ds.counterfactuals[ds.counterfactuals["family_id"].isin(ids)].reset_index(drop=True),
        care_used=ds.care_used[ds.care_used["family_id"].isin(ids)].reset_index(drop=True),
    )
    with pytest.raises(DesignError, match=r"municipality report of 'Ede' is withheld.*leave 4 families"):
        build_report(small, kind="business-case", municipality="Ede", draws=0)
    with pytest.raises(DesignError, match=r"'Tiel' is withheld.*4 families, fewer than k"):
        build_report(small, kind="business-case", municipality="Tiel", draws=0)
    rep = build_report(small, kind="business-case", municipality="Arnhem", draws=0, generated_at="2026-11-23")
    assert "Arnhem" in rep.html
