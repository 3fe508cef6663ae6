"""p.adjust across domains: the hand-written Holm and BH equal statsmodels' (method named explicitly)."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from statsmodels.stats.multitest import multipletests

from impactkit.measures._adjust import adjust_pvalues


@settings(max_examples=60, deadline=None)
@given(st.lists(st.floats(1e-12, 1.0), min_size=1, max_size=15))
def test_matches_statsmodels_holm_and_bh(ps):
    """Second library: statsmodels.stats.multitest.multipletests(method="holm" / "fdr_bh")."""
    p = np.array(ps)
    np.testing.assert_allclose(adjust_pvalues(p, "holm"), multipletests(p, method="holm")[1], rtol=1e-12)
    np.testing.assert_allclose(adjust_pvalues(p, "bh"), multipletests(p, method="fdr_bh")[1], rtol=1e-12)


def test_holm_is_not_holm_sidak():
    """Hand calculation: Holm multiplies the k-th smallest of m p-values by m - k + 1."""
    p = np.array([0.01, 0.02, 0.03])
    np.testing.assert_allclose(adjust_pvalues(p, "holm"), [0.03, 0.04, 0.04])
    sidak = multipletests(p, method="hs")[1]  # statsmodels' default, Holm-Šidák, differs
    assert not np.allclose(sidak, [0.03, 0.04, 0.04])


def test_nan_stays_out_of_the_family():
    out = adjust_pvalues(np.array([0.01, np.nan, 0.02]), "bh")
    np.testing.assert_allclose(out, [0.02, np.nan, 0.02])
