"""The price of one unit of each care type in report-year euros, as the cost model uses it."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from impactkit.costs._evaluate import _override_prices, _scenario
from impactkit.costs._scenario import Scenario

__all__ = ["unit_costs"]


def unit_costs(
    scenario: Scenario | str | Path | None = None, *, prices: pd.DataFrame | None = None
) -> pd.DataFrame:
    """One row per care type: its unit and its price indexed to the scenario's report year.

    Parameters
    ----------
    scenario : Scenario, path or None
        None uses :meth:`Scenario.default`.
    prices : DataFrame, optional
        Local tariffs (the ``prices`` table) replacing the scenario's, as :func:`evaluate` does.

    Returns
    -------
    DataFrame
        ``care_type, label, unit, unit_cost, price, price_year, index, payer, source, report_year``:
        ``unit_cost = price × index`` (CBS CPI to the report year); ``payer`` names the payers
        with their shares (``"municipality_youth"`` or ``"municipality_income 0.5; ..."``).

    Examples
    --------
    Social work costs €127 a contact at 2022 prices; CBS CPI 2022 → 2024 is 1.073:

    >>> t = unit_costs().set_index("care_type")
    >>> t.loc["social_work", "unit"], round(float(t.loc["social_work", "unit_cost"]), 3)
    ('contact', 136.271)
    """
    s = _scenario(scenario)
    if prices is not None:
        s = _override_prices(s, prices)
    rows = [
        {
            "care_type": p.care_type,
            "label": p.label,
            "unit": p.unit,
            "unit_cost": p.price.value * p.index,
            "price": p.price.value,
            "price_year": p.price_year,
            "index": p.index,
            "payer": p.payers[0][0] if len(p.payers) == 1 else "; ".join(f"{k} {v:g}" for k, v in p.payers),
            "source": p.source,
            "report_year": s.report_year,
        }
        for p in s.prices.values()
    ]
    return pd.DataFrame(rows)
