"""impactkit.measures.reliable_change and cronbach_alpha against R (reference_reliable.R).

R: Jacobson & Truax (1991) written out per family × domain (RCI, cut-offs a and c, categories);
psych::alpha(x, check.keys = FALSE)$total$raw_alpha on complete rows.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from _measures_data import RESULTS, load, reference

import impactkit as ik
from impactkit.errors import DesignError, ParameterError
from impactkit.measures import cronbach_alpha, reliable_change

CLOSED = 1e-9


def _compare(ours: pd.DataFrame, ref: pd.DataFrame) -> None:
    ours = ours.assign(domain=ours["domain"].astype(str)).sort_values(["domain", "family_id"])
    ref = ref.sort_values(["domain", "family_id"])
    assert list(ours["family_id"]) == list(ref["family_id"])
    for col in ["baseline_score", "followup_score", "rci"]:
        np.testing.assert_allclose(ours[col], ref[col], rtol=CLOSED, err_msg=col)
    assert list(ours["category"].astype(str)) == list(ref["category"])


def test_sample_with_instrument_reliability_and_sufficient_cutoff() -> None:
    """R: RCI with r = 0.80 (default instrument) and cut-off = sufficient level 4."""
    res = reliable_change(load("sample"))
    _compare(res.to_frame(), reference("rci_sample.csv"))
    assert res.meta["parameters"]["cutoff"].eq(4).all()


@pytest.mark.parametrize(("rule", "norms"), [("a", None), ("c", (3.8, 0.7))])
def test_cutoffs_a_and_c(rule: str, norms: tuple[float, float] | None) -> None:
    """R: cut-off a = M1 + 2 SD1, c = (SD0 M1 + SD1 M0) / (SD0 + SD1) with norms (3.8, 0.7)."""
    ref = reference(f"rci_ordinal_{rule}.csv")
    res = reliable_change(load("ordinal"), reliability=0.75, cutoff=rule, norms=norms)
    _compare(res.to_frame(), ref)
    cut = ref.groupby("domain")["cutoff"].first()
    params = res.meta["parameters"].set_index("domain")["cutoff"]
    np.testing.assert_allclose(params[cut.index], cut, rtol=CLOSED)


def test_cutoff_b_hand_calculation() -> None:
    """Hand calculation: b = M0 - 2 SD0 = 3.8 - 1.4 = 2.4."""
    res = reliable_change(load("ordinal"), reliability=0.75, cutoff="b", norms=(3.8, 0.7))
    assert res.meta["parameters"]["cutoff"].tolist() == pytest.approx([2.4] * 3, rel=1e-15)


def test_family_level_classification_hand_example() -> None:
    """Hand calculation on three domains: SD1 = 1, r = 0.5 gives S_diff = 1, so RCI = change.

    Family a: +3 (1 → 4 crosses 4: recovered), 0, 0 → recovered.  Family b: -3, +3 (2 → 5) → mixed.
    Family c: -3, 0, 0 → deteriorated.  Family d: +2.5 from 4 (already sufficient) → improved.
    """
    inst = ik.Instrument.from_dict(
        {"id": "t", "domains": [{"id": "x"}, {"id": "y"}, {"id": "z"}], "scale": {"min": 0, "max": 8},
         "waves": [{"id": "t0"}, {"id": "t1"}], "sufficient": 4}
    )  # fmt: skip
    base = {"a": [1, 5, 5], "b": [5, 2, 5], "c": [5, 5, 5], "d": [4, 5, 5]}
    follow = {"a": [4, 5, 5], "b": [2, 5, 5], "c": [2, 5, 5], "d": [6.5, 5, 5]}
    rows = [
        {"family_id": f, "wave": w, "domain": d, "score": vals[f][i]}
        for w, vals in (("t0", base), ("t1", follow))
        for f in base
        for i, d in enumerate(["x", "y", "z"])
    ]
    data = ik.canonical(pd.DataFrame(rows), inst)
    res = reliable_change(data, reliability=0.5, sd=1.0)
    assert res.loc[res["family_id"] == "a", "category"].astype(str).tolist() == [
        "recovered", "unchanged", "unchanged",
    ]  # fmt: skip
    fam = reliable_change(data, reliability=0.5, sd=1.0, level="family").set_index("family_id")
    assert fam["category"].astype(str).to_dict() == {
        "a": "recovered", "b": "mixed", "c": "deteriorated", "d": "improved",
    }  # fmt: skip
    assert fam.loc["b", ["n_recovered", "n_deteriorated", "n_unchanged"]].tolist() == [1, 1, 1]


def test_lower_is_better_flips_direction() -> None:
    """A fall on a lower-is-better scale is an improvement (hand: RCI = -3 with S_diff = 1)."""
    inst = ik.Instrument.from_dict(
        {"id": "t", "domains": [{"id": "x"}], "scale": {"min": 0, "max": 8, "higher_is_better": False},
         "waves": [{"id": "t0"}, {"id": "t1"}]}
    )  # fmt: skip
    data = ik.canonical(
        pd.DataFrame({"family_id": ["a", "a", "b", "b"], "wave": ["t0", "t1"] * 2, "domain": "x",
                      "score": [6.0, 3.0, 5.0, 5.0]}),
        inst,
    )  # fmt: skip
    res = reliable_change(data, reliability=0.5, sd=1.0, cutoff=4.0)
    assert res["rci"].tolist() == pytest.approx([-3.0, 0.0])
    assert res["category"].astype(str).tolist() == ["recovered", "unchanged"]


def test_errors() -> None:
    data = load("ordinal")  # test instrument without reliabilities
    with pytest.raises(DesignError, match="no reliability for domain 'finances'"):
        reliable_change(data)
    with pytest.raises(ParameterError, match="'functional_norms' parameter"):
        reliable_change(data, reliability=0.8, cutoff="c")
    with pytest.raises(ParameterError, match="'level' parameter"):
        reliable_change(data, reliability=0.8, level="domains")
    with pytest.raises(ParameterError, match="strictly between 0 and 1"):
        reliable_change(data, reliability=1.0, cutoff="a")


def test_implicit_and_explicit_missing_identical() -> None:
    data = load("ordinal")
    implicit = ik.canonical(data.dropna(subset=["score"]), data.attrs["instrument"])
    a = reliable_change(data, reliability=0.75, cutoff="a").to_frame()
    b = reliable_change(implicit, reliability=0.75, cutoff="a").to_frame()
    pd.testing.assert_frame_equal(a, b)


def _item_instrument() -> ik.Instrument:
    items = [{"id": f"a{i}", "domain": "area_a", "reverse": i == 4} for i in range(1, 5)]
    items += [{"id": f"b{i}", "domain": "area_b"} for i in range(1, 6)]
    return ik.Instrument.from_dict(
        {"id": "items", "domains": [{"id": "area_a"}, {"id": "area_b"}], "scale": {"min": 1, "max": 4},
         "waves": [{"id": "intake"}, {"id": "year1"}], "items": items}
    )  # fmt: skip


def _items_long() -> pd.DataFrame:
    wide = pd.read_csv(RESULTS / "items_wide.csv")
    long = wide.melt(id_vars="family_id", var_name="item", value_name="answer")
    return long.assign(wave="intake")


def test_cronbach_alpha_matches_psych() -> None:
    """R: psych::alpha(x, check.keys = FALSE)$total$raw_alpha (a4 reverse-keyed, complete rows)."""
    ours = cronbach_alpha(_items_long(), instrument=_item_instrument()).to_frame()
    ref = reference("alpha_items.csv")
    assert ours["n"].tolist() == ref["n"].tolist()
    np.testing.assert_allclose(ours["alpha"], ref["alpha"], rtol=CLOSED)


def test_alpha_used_when_instrument_has_no_reliability() -> None:
    """With items=..., the RCI standard error uses Cronbach's alpha of the baseline items."""
    inst = _item_instrument()
    rng = np.random.default_rng(5)
    fams = pd.read_csv(RESULTS / "items_wide.csv")["family_id"]
    rows = [
        {"family_id": f, "wave": w, "domain": d, "score": float(rng.integers(1, 5))}
        for f in fams
        for w in ("intake", "year1")
        for d in ("area_a", "area_b")
    ]
    data = ik.canonical(pd.DataFrame(rows), inst)
    res = reliable_change(data, items=_items_long(), cutoff="a")
    alpha = reference("alpha_items.csv")["alpha"].to_numpy()
    np.testing.assert_allclose(res.meta["parameters"]["reliability"], alpha, rtol=CLOSED)


def test_one_family_is_a_design_error() -> None:
    data = load("ordinal")
    one = ik.canonical(data[data["family_id"] == "F001"].reset_index(drop=True), data.attrs["instrument"])
    with pytest.raises(DesignError, match="positive SD"):
        reliable_change(one, reliability=0.8, cutoff="a")


def test_by_adds_the_group_of_each_family() -> None:
    from _measures_data import sample_families

    fam = sample_families()
    res = reliable_change(load("sample"), by="municipality", families=fam, level="family")
    assert res.columns[0] == "municipality"
    lookup = fam.set_index("family_id")["municipality"]
    assert (res["municipality"] == lookup.reindex(res["family_id"]).to_numpy()).all()


def test_shares_sum_to_one_per_domain() -> None:
    from impactkit.measures import reliable_change_shares

    shares = reliable_change_shares(reliable_change(load("sample")))
    assert shares.groupby("domain")["share"].sum().round(12).eq(1).all()
    # R (rci_sample.csv): 193 recovered over all domains
    assert shares.loc[shares["category"] == "recovered", "n"].sum() == 193


def test_the_waves_compared_are_named_in_every_table() -> None:
    """Issue 17 item 9: the domain and family tables and the summary name the baseline and
    follow-up waves (here the sample's year1 → year2, chosen explicitly)."""
    data = ik.read_dataset("data/sample", today="2026-11-01").assessments
    for level in ("domain", "family"):
        rc = ik.reliable_change(data, baseline="year1", followup="year2", level=level)
        first = "domain" if level == "domain" else "family_id"
        i = list(rc.columns).index(first)
        assert list(rc.columns[i + 1 : i + 3]) == ["baseline", "followup"]
        assert set(rc.baseline) == {"year1"}
        assert set(rc.followup) == {"year2"}
    summary = ik.reliable_change_summary(data, baseline="year1", followup="year2")
    assert list(summary.columns[:3]) == ["domain", "baseline", "followup"]
    assert set(summary.followup) == {"year2"}
