"""Result tables of :mod:`impactkit.outcomes`; each knows which figure draws it.

Figures are imported inside ``figure()`` so that computing never needs plotly at import time.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from impactkit._result import ResultFrame
from impactkit.errors import ParameterError

__all__ = ["PhaseCounts", "PhaseRates", "RateRatios", "check_counts"]

COUNT_COLUMNS = ("family_id", "phase", "source", "outcome", "unit", "count", "exposure_years")


def check_counts(counts: object, func: str) -> pd.DataFrame:
    """The counts table as a DataFrame, or a ParameterError naming what is missing."""
    if not isinstance(counts, pd.DataFrame):
        raise ParameterError(
            f"The 'counts' parameter of {func} must be the table of phase_counts (a DataFrame). "
            f"Got {type(counts).__name__} instead."
        )
    missing = [c for c in COUNT_COLUMNS if c not in counts.columns]
    if missing:
        raise ParameterError(
            f"The 'counts' parameter of {func} is missing columns {missing}; expected the table of "
            f"phase_counts ({', '.join(COUNT_COLUMNS)}). Got columns {list(counts.columns)} instead."
        )
    out = pd.DataFrame(counts)
    if "label" not in out.columns:
        out = out.assign(label=out["outcome"])
    if "cost" not in out.columns:
        out = out.assign(cost=float("nan"))
    return out


class PhaseCounts(ResultFrame):
    """Per family × phase × outcome: count (or units), exposure in years and cost.

    Individual-level data: for analysis and the coordinator's casework view, never for a funder
    report (publish :func:`~impactkit.outcomes.phase_rates` with small-cell suppression instead).
    """

    _title = "Events and care use per family and phase"

    @property
    def windows(self) -> dict[str, pd.DataFrame]:
        """The before / during / after windows per event or care type (``care:<type>``)."""
        return dict(self.meta.get("windows", {}))

    @property
    def exclusions(self) -> pd.DataFrame:
        """Records not placed in any window, counted: ``source, outcome, reason, rows, amount``."""
        return self.meta.get("exclusions", pd.DataFrame())

    @property
    def unit_costs(self) -> pd.DataFrame | None:
        """The unit costs care use was priced at (``None`` without care data)."""
        return self.meta.get("unit_costs")

    def figure(self, **kwargs: Any) -> Any:
        from impactkit.figures._outcomes import phase_rates_bars
        from impactkit.outcomes._rates import phase_rates

        return phase_rates_bars(phase_rates(self), **kwargs)


class PhaseRates(ResultFrame):
    """Per outcome × phase: families, family-years, total, rate per family-year, cost per family-year."""

    _title = "Rates before, during and after support"

    def figure(self, **kwargs: Any) -> Any:
        from impactkit.figures._outcomes import phase_rates_bars

        return phase_rates_bars(self, **kwargs)


class RateRatios(ResultFrame):
    """Per outcome × contrast: the rate ratio between phases with its confidence interval."""

    _title = "Rate ratios between phases"

    def figure(self, **kwargs: Any) -> Any:
        from impactkit.figures._outcomes import rate_ratio_forest

        return rate_ratio_forest(self, **kwargs)
