"""Descriptive rates per outcome and phase: what happened, per family-year, before / during / after."""

from __future__ import annotations

import numpy as np
import pandas as pd

from impactkit.measures._smallcells import check_min_n, suppress
from impactkit.outcomes._results import PhaseRates, check_counts

__all__ = ["phase_rates"]

KEYS = ["source", "outcome", "label", "unit", "phase"]


def phase_rates(counts: pd.DataFrame, *, min_n: int | None = None) -> PhaseRates:
    """Totals and rates per family-year for every outcome and phase.

    Parameters
    ----------
    counts : PhaseCounts or DataFrame
        :func:`phase_counts` (one row per family × phase × outcome).
    min_n : int, optional
        Blank every statistic of a row with fewer families (small-cell suppression; status says so).

    Returns
    -------
    PhaseRates
        ``source, outcome, label, unit, phase, n_families, exposure_years, total, rate,
        families_with_any, share_with_any, cost, cost_per_year, status``.  ``rate`` is the total
        divided by the family-years of exposure (a ratio estimator: families observed longer
        weigh more); ``cost_per_year`` likewise for care in report-year euros.

    Notes
    -----
    Descriptive only: a pre-period often holds the crisis that led to the referral, so rates tend
    to fall afterwards even without any effect (regression to the mean).  See :func:`rate_ratios`
    for estimates with confidence intervals.

    Examples
    --------
    >>> import pandas as pd
    >>> c = pd.DataFrame({"family_id": ["a", "a", "b", "b"], "phase": ["before", "after"] * 2,
    ...                   "source": "events", "outcome": "nuisance_report", "label": "nuisance report",
    ...                   "unit": "event", "count": [3, 0, 1, 1], "exposure_years": [1.0, 0.5, 1.0, 0.5],
    ...                   "cost": float("nan")})
    >>> phase_rates(c)[["phase", "total", "rate"]]
        phase  total  rate
    0  before    4.0   2.0
    1   after    1.0   1.0
    """
    data = check_counts(counts, "phase_rates")
    data = data[data["exposure_years"] > 0]
    g = data.groupby(KEYS, observed=True, sort=False)
    out = g.agg(
        n_families=("family_id", "nunique"),
        exposure_years=("exposure_years", "sum"),
        total=("count", "sum"),
        families_with_any=("count", lambda c: int((c > 0).sum())),
        cost=("cost", lambda c: c.sum(min_count=1)),
    ).reset_index()
    out["total"] = out["total"].astype(float)
    out["rate"] = out["total"] / out["exposure_years"]
    out["share_with_any"] = out["families_with_any"] / out["n_families"]
    out["cost_per_year"] = out["cost"] / out["exposure_years"]
    out["status"] = "ok"
    out = out[[*KEYS, "n_families", "exposure_years", "total", "rate", "families_with_any", "share_with_any",
               "cost", "cost_per_year", "status"]]  # fmt: skip
    order = {"before": 0, "during": 1, "after": 2}
    out = out.sort_values(
        ["source", "outcome", "phase"], key=lambda s: s.map(order) if s.name == "phase" else s
    )
    out = out.reset_index(drop=True)
    out["phase"] = out["phase"].astype(str)
    if min_n is not None:
        out = suppress(out, n_col="n_families", keep=KEYS, min_n=check_min_n(min_n, "phase_rates"))
    meta = dict(getattr(counts, "meta", {}))
    meta["notes"] = [
        "rate = total / family-years of exposure in the phase; share_with_any = families with at least one / "
        "families observed in the phase.",
        "Descriptive: without a comparison group a fall after the start may be regression to the mean "
        "(families are often referred at a peak).",
        *[n for n in meta.get("notes", []) if n.startswith(("Windows", "events cover", "care_used cover"))],
    ]
    res = PhaseRates(out, meta={k: v for k, v in meta.items() if k in ("notes", "report_year", "lang")})
    res["families_with_any"] = (
        res["families_with_any"].astype(np.int64) if min_n is None else res["families_with_any"]
    )
    return res
