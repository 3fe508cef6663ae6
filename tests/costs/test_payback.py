"""Payback: the moment the running balance turns positive for good (hand calculations)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from impactkit.costs import payback_months


def test_crossing_within_the_second_year():
    # cost 100 up front; avoided 40 then 80: balance -60 after year 1, crosses 0 after 60/80 of year 2
    assert payback_months(np.array([100.0, 0, 0]), np.array([40.0, 80, 0])) == pytest.approx(
        12 + 12 * 60 / 80
    )


def test_a_temporary_crossing_is_not_payback():
    # balance +50 after year 1, then year 2's cost (100) pushes it to -50 and it ends at -30
    assert math.isnan(payback_months(np.array([100.0, 100, 0]), np.array([150.0, 20, 0])))


def test_last_upward_crossing_counts():
    # start of year 3: 170 - 200 = -30; year 3 avoids 100: crosses after 30/100 of year 3
    assert payback_months(np.array([100.0, 100, 0]), np.array([150.0, 20, 100])) == pytest.approx(
        24 + 12 * 0.3
    )


def test_never_negative_is_zero_and_no_programme_cost():
    assert payback_months(np.array([0.0, 0]), np.array([10.0, 10])) == 0.0
