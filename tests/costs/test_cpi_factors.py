"""The default scenario's CPI factors against the yearly CPI changes CBS published.

Source: CBS, "Inflatie 3,8 procent in 2023; exclusief energie 6,5 procent" (January 2024), table of
consumer-price changes per year (2015 +0.6 ... 2023 +3.8), and CBS's 2024 figure of +3.3%.
The factor to 2024 prices is the product of (1 + change) over the years after the price year.
"""

from __future__ import annotations

import math

import pytest

import impactkit as ik

CBS_CHANGE_PCT = {2015: 0.6, 2016: 0.3, 2017: 1.4, 2018: 1.7, 2019: 2.6, 2020: 1.3, 2021: 2.7, 2022: 10.0,
                  2023: 3.8, 2024: 3.3}  # fmt: skip
BRIEF = {2014: 1.311, 2015: 1.303, 2022: 1.073}  # BRIEF §5, from CBS index levels


def chained(year: int) -> float:
    return math.prod(1 + CBS_CHANGE_PCT[t] / 100 for t in range(year + 1, 2025))


@pytest.mark.parametrize("year", range(2014, 2025))
def test_factor_matches_the_published_yearly_changes(year):
    factors = ik.costs.Scenario.default().index
    if year in BRIEF:
        # index levels vs changes published to one decimal: agree to within that rounding
        assert factors[year] == BRIEF[year]
        assert chained(year) == pytest.approx(BRIEF[year], abs=0.0015)
    else:
        assert factors[year] == pytest.approx(chained(year), abs=0.0005)  # rounded to 3 decimals
