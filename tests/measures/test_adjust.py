"""impactkit.p_adjust against R's p.adjust and statsmodels.

R: tests/results/measures/reference_adjust.R (stats::p.adjust for bonferroni, holm, hochberg,
hommel, BH, BY, none, with and without a larger n; Šidák and Holm-Šidák written out in R).
Second library: statsmodels.stats.multitest.multipletests with the method named.
Tolerance: 1e-12 relative (closed forms).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from _measures_data import reference
from hypothesis import given, settings
from hypothesis import strategies as st
from statsmodels.stats.multitest import multipletests

import impactkit as ik
from impactkit.errors import ParameterError
from impactkit.measures import p_adjust
from impactkit.measures._adjust import ADJUST_METHODS, adjust_pvalues

REF = reference("adjust.csv")
R_NAMES = {"BH": "bh", "BY": "by"}


@pytest.mark.parametrize("method", sorted(REF["method"].unique()))
def test_every_method_matches_r(method: str) -> None:
    """R: p.adjust(p, method, n = n) on five vectors (ties, NA, 0 and 1, 25 values), n = m and m + 3."""
    for (_, n), grp in REF[REF["method"] == method].groupby(["vector", "n"]):
        got = p_adjust(grp["p"].to_numpy(), method, n=int(n))
        np.testing.assert_allclose(got, grp["adjusted"].to_numpy(), rtol=1e-12, atol=0, err_msg=method)
        # the id spelling used by impactkit's tables gives the same
        assert np.array_equal(got, p_adjust(grp["p"].to_numpy(), R_NAMES.get(method, method), n=int(n)),
                              equal_nan=True)  # fmt: skip


@settings(max_examples=10, deadline=None)  # statsmodels runs gc.collect() per call: slow
@given(st.lists(st.floats(1e-12, 1.0, exclude_max=True), min_size=1, max_size=15))
def test_matches_statsmodels(ps: list[float]) -> None:
    """Second library: statsmodels multipletests, every method it shares with R, plus 'hs' and 'sidak'."""
    p = np.array(ps)  # p = 1 exactly is in the R test; statsmodels warns on log1p(-1) there
    pairs = {"holm": "holm", "bh": "fdr_bh", "by": "fdr_by", "hochberg": "simes-hochberg",
             "hommel": "hommel", "bonferroni": "bonferroni", "holm-sidak": "hs", "sidak": "sidak"}  # fmt: skip
    for ours, theirs in pairs.items():
        want = multipletests(p, method=theirs)[1]
        if len(p) == 1:  # R (and impactkit) never adjust a single test; statsmodels' BY does
            want = p
        np.testing.assert_allclose(adjust_pvalues(p, ours), want, rtol=1e-10, err_msg=ours)


def test_holm_is_not_holm_sidak() -> None:
    """Hand calculation: Holm multiplies the k-th smallest of m p-values by m - k + 1;
    Holm-Šidák uses 1 - (1 - p)^(m - k + 1): 1 - 0.99^3 = 0.029701 for the smallest."""
    p = np.array([0.01, 0.02, 0.03])
    np.testing.assert_allclose(p_adjust(p, "holm"), [0.03, 0.04, 0.04], rtol=1e-15)
    np.testing.assert_allclose(p_adjust(p, "holm-sidak")[0], 1 - 0.99**3, rtol=1e-14)


def test_nan_stays_out_and_series_keep_their_index() -> None:
    out = p_adjust(pd.Series([0.01, np.nan, 0.02], index=["a", "b", "c"], name="p"), "BH")
    assert isinstance(out, pd.Series)
    assert list(out.index) == ["a", "b", "c"]
    assert out.name == "p"
    np.testing.assert_allclose(out.to_numpy(), [0.02, np.nan, 0.02])
    assert ik.p_adjust is p_adjust


def test_bad_input_is_a_parameter_error() -> None:
    with pytest.raises(ParameterError, match="'adjust' parameter of p_adjust must be one of"):
        p_adjust([0.1], "tukey")
    with pytest.raises(ParameterError, match=r"must lie in \[0, 1\]"):
        p_adjust([0.1, 1.2])
    with pytest.raises(ParameterError, match="'n' parameter of p_adjust must be an integer of at least 2"):
        p_adjust([0.1, 0.2], n=1)
    assert set(ADJUST_METHODS) >= {"holm", "hochberg", "hommel", "bonferroni", "bh", "by", "holm-sidak"}
