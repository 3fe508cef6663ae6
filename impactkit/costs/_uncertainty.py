"""Uncertainty: probabilistic sensitivity analysis, acceptability against deadweight, tornado, scenarios.

* **PSA**: every parameter drawn ``draws`` times from ``np.random.default_rng(seed)`` (in the
  scenario's parameter order) and the model evaluated once on the whole ``(draws, ...)`` array.
* **Acceptability**: P(net benefit > 0) and P(BCR > 1) with deadweight fixed at each value of a
  grid while every other parameter keeps its draws (net benefit is linear in 1 − deadweight).
* **Tornado**: each parameter with a range set to its low and high value, all others at base.
* **Named scenarios**: *pessimistic* puts every varied parameter at the end of its range that
  lowers the net benefit, *optimistic* at the end that raises it, *base* at the base values.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from impactkit.costs._engine import Model, base_theta, run
from impactkit.costs._params import sample

__all__ = ["acceptability", "named_scenarios", "psa", "tornado"]

QUANTILES = (0.025, 0.05, 0.25, 0.5, 0.75, 0.95, 0.975)


def psa(model: Model, draws: int, seed: int) -> tuple[pd.DataFrame, pd.DataFrame, dict[str, np.ndarray]]:
    """Draws table, summary table and the sampled parameters.

    The draws table has columns ``draw, programme_cost, gross_avoided_cost, net_benefit,
    benefit_cost_ratio``; the summary one row per quantity with ``mean, sd, q025 ... q975`` and
    ``p_favourable`` (P(net benefit > 0) for money, P(BCR > 1) for the ratio).
    """
    theta = sample(model.scenario.params(), draws, seed)
    out = run(model, theta)
    table = pd.DataFrame(
        {
            "draw": np.arange(draws),
            "programme_cost": out.cost_pv,
            "gross_avoided_cost": out.gross_pv,
            "net_benefit": out.net_pv,
            "benefit_cost_ratio": out.bcr,
        }
    )
    rows = []
    for col, favourable in (
        ("programme_cost", None),
        ("gross_avoided_cost", None),
        ("net_benefit", table["net_benefit"] > 0),
        ("benefit_cost_ratio", table["benefit_cost_ratio"] > 1),
    ):
        x = table[col].to_numpy(float)
        q = np.nanquantile(x, QUANTILES)
        row: dict[str, object] = {
            "quantity": col,
            "mean": float(np.nanmean(x)),
            "sd": float(np.nanstd(x, ddof=1)),
        }
        row.update({f"q{round(p * 1000):03d}": float(v) for p, v in zip(QUANTILES, q, strict=True)})
        row["p_favourable"] = float(favourable.mean()) if favourable is not None else np.nan
        rows.append(row)
    theta["_before"] = out.before_adjustment_pv
    theta["_cost"] = out.cost_pv
    return table, pd.DataFrame(rows), theta


def acceptability(model: Model, theta: dict[str, np.ndarray], grid: np.ndarray | None = None) -> pd.DataFrame:
    """P(net benefit > 0) and P(BCR > 1) for deadweight fixed at each grid value (0 to 0.9 by default).

    Returns
    -------
    pandas.DataFrame
        Columns ``deadweight, p_net_benefit_positive, p_bcr_above_1``.
    """
    s = model.scenario
    grid = np.round(np.arange(0.0, 0.91, 0.05), 2) if grid is None else np.asarray(grid, float)
    other = (1 - theta[s.displacement.name]) * (1 - theta[s.attribution.name]) * theta["_before"]
    gross = other[None, :] * (1 - grid[:, None])  # (G, D)
    cost = theta["_cost"][None, :]
    return pd.DataFrame(
        {
            "deadweight": grid,
            "p_net_benefit_positive": (gross - cost > 0).mean(axis=1),
            "p_bcr_above_1": (gross > cost).mean(axis=1),
        }
    )


def _rows(model: Model, settings: list[dict[str, float]]) -> dict[str, np.ndarray]:
    base = base_theta(model.scenario)
    return {k: np.array([row.get(k, float(v[0])) for row in settings]) for k, v in base.items()}


def tornado(model: Model) -> pd.DataFrame:
    """Net benefit (PV) with each parameter at its low and at its high value, the rest at base.

    Returns
    -------
    pandas.DataFrame
        Columns ``parameter, source, base, low, high, net_low, net_high, swing``, sorted by
        ``swing`` (= |net_high − net_low|), largest first; parameters without a range are left out.
    """
    varied = [(p, p.range) for p in model.scenario.params() if p.range is not None]
    varied = [(p, r) for p, r in varied if r[0] != r[1]]
    if not varied:
        return pd.DataFrame(
            columns=["parameter", "source", "base", "low", "high", "net_low", "net_high", "swing"]
        )
    settings = [{p.name: v} for p, r in varied for v in r]
    net = run(model, _rows(model, settings)).net_pv.reshape(-1, 2)
    table = pd.DataFrame(
        {
            "parameter": [p.name for p, _ in varied],
            "source": [p.source for p, _ in varied],
            "base": [p.value for p, _ in varied],
            "low": [r[0] for _, r in varied],
            "high": [r[1] for _, r in varied],
            "net_low": net[:, 0],
            "net_high": net[:, 1],
        }
    )
    table["swing"] = (table["net_high"] - table["net_low"]).abs()
    return table.sort_values("swing", ascending=False, kind="stable").reset_index(drop=True)


def named_scenarios(model: Model, tornado_table: pd.DataFrame) -> pd.DataFrame:
    """Pessimistic, base and optimistic results.

    Returns
    -------
    pandas.DataFrame
        Columns ``scenario, programme_cost, gross_avoided_cost, net_benefit, benefit_cost_ratio``.
    """
    t = tornado_table
    low_worse = t["net_low"] <= t["net_high"]
    pess = dict(zip(t["parameter"], np.where(low_worse, t["low"], t["high"]), strict=True))
    opt = dict(zip(t["parameter"], np.where(low_worse, t["high"], t["low"]), strict=True))
    out = run(model, _rows(model, [pess, {}, opt]))
    return pd.DataFrame(
        {
            "scenario": ["pessimistic", "base", "optimistic"],
            "programme_cost": out.cost_pv,
            "gross_avoided_cost": out.gross_pv,
            "net_benefit": out.net_pv,
            "benefit_cost_ratio": out.bcr,
        }
    )
