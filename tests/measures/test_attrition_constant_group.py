"""Welch's t in the attrition profile when one group is constant (a small municipality's
non-completers often all score the same): no scipy "catastrophic cancellation" warning, and the
values of Welch's test written out by hand.

Hand calculation (R: ``t.test(c(1, 2, 3, 4), c(3, 3, 3))`` gives t = -0.7746, df = 3, p = 0.495):
completers 1, 2, 3, 4 (mean 2.5, variance 5/3), non-completers 3, 3, 3 (variance 0);
t = (2.5 - 3) / sqrt(5/3 / 4) = -0.77460; with one variance 0 the Welch-Satterthwaite df is
n_completers - 1 = 3; p = 2 * P(T_3 > 0.77460) = 0.49503.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from impactkit.measures._attrition import _profile


def test_welch_with_a_constant_group_is_exact_and_silent() -> None:
    intake = np.array([[1.0], [2.0], [3.0], [4.0], [3.0], [3.0], [3.0]])
    completer = np.array([True, True, True, True, False, False, False])
    keep = np.ones(7, bool)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        row = _profile(intake, completer, keep, ["finances"]).iloc[0]
    assert row["welch_t"] == pytest.approx(-0.774597, abs=1e-6)
    assert row["welch_df"] == pytest.approx(3.0)
    assert row["welch_p"] == pytest.approx(0.49503, abs=1e-5)
    assert row["sd_noncompleters"] == 0.0
