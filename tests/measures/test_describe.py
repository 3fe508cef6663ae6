"""impactkit.measures.describe and transitions (R: reference_describe.R; hand calculations)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from _measures_data import instrument, load, reference, sample_families
from hypothesis import given, settings
from hypothesis import strategies as st

import impactkit as ik
from impactkit.errors import DesignError
from impactkit.measures import describe, transitions

CLOSED = 1e-9


def test_describe_matches_r_on_sample() -> None:
    """R: mean, sd, median, mean(x >= 4), mean(x == level) per domain × wave of data/sample."""
    ours = describe(load("sample")).to_frame()
    ref = reference("describe_sample.csv")
    assert list(ours["domain"]) == list(ref["domain"])
    assert list(ours["wave"]) == list(ref["wave"])
    for col in ref.columns[2:]:
        np.testing.assert_allclose(ours[col].astype(float), ref[col], rtol=CLOSED, err_msg=col)


def test_describe_hand_example_and_missing_kinds() -> None:
    """Hand: scores 1, 2, 4 and one NaN at intake: n 3, mean 7/3, median 2, sd sqrt(7/3), 1 missing."""
    inst = instrument(["intake", "year1"], ["d1"], sufficient=4)
    rows = [("a", 1.0), ("b", 2.0), ("c", 4.0), ("d", np.nan)]
    frame = pd.DataFrame({"family_id": [r[0] for r in rows], "wave": "intake", "domain": "d1",
                          "score": [r[1] for r in rows]})  # fmt: skip
    res = describe(ik.canonical(frame, inst)).set_index("wave")
    assert res.loc["intake", "n"] == 3
    assert res.loc["intake", "n_missing"] == 1
    assert res.loc["intake", "mean"] == pytest.approx(7 / 3, rel=1e-15)
    assert res.loc["intake", "sd"] == pytest.approx(np.sqrt(7 / 3), rel=1e-15)
    assert res.loc["intake", "median"] == 2.0
    assert res.loc["intake", "share_sufficient"] == pytest.approx(1 / 3)
    assert res.loc["year1", "n"] == 0
    assert res.loc["year1", "status"] == "no scores"
    implicit = describe(ik.canonical(frame.dropna(), inst)).set_index("wave")
    # family d has no row at all now, so it is no longer "in the data"
    assert implicit.loc["intake", "n_missing"] == 0


def test_describe_level_shares_sum_to_one() -> None:
    res = describe(load("sample")).to_frame()
    shares = res.filter(like="share_level_").sum(axis=1)
    np.testing.assert_allclose(shares, 1.0, rtol=1e-12)


@settings(max_examples=30, deadline=None)
@given(st.integers(1, 40), st.integers(0, 2**31 - 1))
def test_suppression_never_publishes_small_cells(min_n: int, seed: int) -> None:
    """Property: with by=, no row with a count below min_n shows a count or a statistic."""
    data = load("ordinal")
    rng = np.random.default_rng(seed)
    fams = data["family_id"].unique()
    groups = pd.Series(rng.choice(["a", "b", "c"], size=len(fams), p=[0.7, 0.2, 0.1]), index=fams)
    res = describe(data, by=groups, min_n=min_n).to_frame()
    shown = res["n"].notna()
    assert (res.loc[shown, "n"] >= min_n).all()
    assert res.loc[~shown, ["mean", "sd", "median", "share_level_1"]].isna().all().all()


def test_describe_by_families_column() -> None:
    res = describe(load("sample"), by="household_type", families=sample_families())
    assert res.columns[0] == "household_type"
    assert res.meta["by"] == "household_type"


def test_transitions_match_r_table() -> None:
    """R: table(intake level, year2 level) on complete pairs per domain."""
    ours = transitions(load("sample")).to_frame()
    ref = reference("transitions_sample.csv")
    assert ours["n"].tolist() == ref["n"].tolist()
    assert ours["from_level"].tolist() == ref["from_level"].tolist()
    rows = ours.groupby(["domain", "from_level"])["share"].sum()
    assert np.allclose(rows[rows.notna() & (rows > 0)], 1.0)


def test_transitions_need_integer_scale() -> None:
    with pytest.raises(DesignError, match="non-integer scale"):
        transitions(load("continuous"))
