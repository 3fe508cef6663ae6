"""Indexation with the CBS factors of BRIEF §5 and discounting, by hand."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from impactkit.costs import Scenario, discount_factors, index_factor, present_value
from impactkit.errors import ParameterError

BRIEF_FACTORS = {2014: 1.311, 2015: 1.303, 2022: 1.073, 2024: 1.0}  # CBS 83131NED, BRIEF §5


@pytest.mark.parametrize(
    ("price", "year", "expected"),
    [
        (127.0, 2022, 136.271),  # social work per contact: 127 × 1.073
        (64.0, 2022, 68.672),  # home-based guidance per hour: 64 × 1.073
        (18.80, 2022, 20.1724),  # volunteer time per hour: 18.80 × 1.073
        (8758.0, 2014, 11481.738),  # OTS first year: 8,758 × 1.311
        (7323.0, 2014, 9600.453),  # OTS later years: 7,323 × 1.311
        (60327.0, 2015, 78606.081),  # family home: 60,327 × 1.303
        (11600.0, 2024, 11600.0),  # problematic debt, already 2024
    ],
)
def test_cpi_indexation_with_brief_factors(price: float, year: int, expected: float) -> None:
    assert price * index_factor(year, BRIEF_FACTORS) == pytest.approx(expected)


def test_default_scenario_uses_the_brief_factors() -> None:
    s = Scenario.default()
    for year, factor in BRIEF_FACTORS.items():
        assert s.index[year] == factor
    assert s.prices["supervision_order_first_year"].index == 1.311
    assert s.prices["family_home"].index == 1.303
    assert s.prices["social_work"].index == 1.073


def test_missing_index_year_names_the_year() -> None:
    with pytest.raises(ParameterError, match=r"price_year.*2019.*\[index.factors\]"):
        index_factor(2019, BRIEF_FACTORS)


def test_discounting_by_hand() -> None:
    """Year 1 undiscounted; €1,000 a year for 3 years at 2.25%: 1000 + 977.995 + 956.474."""
    assert discount_factors(0.0225, 3) == pytest.approx([1.0, 1 / 1.0225, 1 / 1.0225**2])
    assert present_value([1000, 1000, 1000], 0.0225) == pytest.approx(2934.4696, abs=1e-4)
    # 3.5% (Green Book): 1000 / 1.035 = 966.184
    assert present_value([0, 1000], 0.035) == pytest.approx(966.1836, abs=1e-4)


def test_discount_factors_vectorise_over_draws() -> None:
    df = discount_factors(np.array([0.0, 0.03]), 2)
    assert df.shape == (2, 2)
    assert df[1, 1] == pytest.approx(1 / 1.03)


@given(st.lists(st.floats(-1e6, 1e6, allow_nan=False), min_size=1, max_size=12))
def test_zero_discount_is_the_plain_sum(flows: list[float]) -> None:
    assert present_value(flows, 0.0) == pytest.approx(sum(flows), abs=1e-6)
