"""Money over time: price indexation to the report year and discounting to present value.

Conventions (stated once, used everywhere):

* **Indexation.** A price of price year *y* is brought to the report year by multiplying with the
  index factor of *y* (CBS CPI 83131NED by default: factor = CPI(report year) / CPI(y)).
* **Discounting.** Year 1 is the first programme year and is not discounted; year *t* is
  discounted by (1 + r)^-(t - 1) (the Dutch MKBA practice of discounting to the start year).
  Costs and effects may use different rates (3% and 1.5% under the 2024 Dutch health-economic
  guideline); the default is 2.25% real for both (MKBA standard since 2021).

>>> present_value([100.0, 100.0], 0.0225)
197.799...
>>> index_factor(2022, {2022: 1.073, 2024: 1.0})
1.073
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from impactkit.errors import ParameterError

__all__ = ["discount_factors", "index_factor", "present_value"]


def index_factor(price_year: int, factors: Mapping[int, float]) -> float:
    """The factor that brings a price of ``price_year`` to the report year.

    Raises
    ------
    ParameterError
        When ``price_year`` has no factor (add it to the scenario's ``[index.factors]``).
    """
    try:
        return float(factors[int(price_year)])
    except KeyError as err:
        known = ", ".join(str(y) for y in sorted(factors))
        raise ParameterError(
            f"The 'price_year' parameter of index_factor must be a year with an index factor "
            f"({known}). Got {price_year!r} instead: add it to [index.factors] in the scenario."
        ) from err


def discount_factors(rate: float | np.ndarray, n_years: int) -> np.ndarray:
    """Discount factors (1 + rate)^-(t - 1) for years t = 1..n_years.

    ``rate`` may be an array of draws, shape ``(draws,)``; the result then has shape
    ``(draws, n_years)``.
    """
    t = np.arange(n_years, dtype=float)
    r = np.asarray(rate, dtype=float)
    return np.power(1.0 + r[..., None], -t)


def present_value(flows: Sequence[float] | np.ndarray, rate: float) -> float:
    """Present value of yearly ``flows`` (year 1 first) at ``rate``."""
    f = np.asarray(flows, dtype=float)
    return float(np.sum(f * discount_factors(rate, len(f))))
