"""The cost summary shared by both reports: the waterfall and the headline table.

Avoided cost per care path is suppressed by the number of families with a non-zero likelihood of
that path (a path resting on fewer than ``k`` families is merged into "other paths", and secondary
suppression makes sure at least two are merged).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from impactkit import figures
from impactkit.report._context import Ctx, cost_notes
from impactkit.report._model import KINDS, Chart, Column, Table
from impactkit.report._suppress import PUBLISHED, suppress_rows

__all__ = ["cost_summary_blocks", "interval", "paths"]


def paths(ctx: Ctx) -> tuple[pd.DataFrame, pd.DataFrame]:
    """by_path with its family counts and suppression status."""
    ev = ctx.costs
    bp = pd.DataFrame(ev.by_path).reset_index(drop=True)
    pf = ev.per_family
    n = pf[pf["likelihood"] > 0].groupby("path")["family_id"].nunique() if "family_id" in pf else pd.Series()
    bp["n"] = [int(n.get(p, 0)) for p in bp["path"]]
    if ev.meta.get("kind") == "business_case":  # what-if cohorts: no individual families
        bp["n"] = int(ev.meta.get("families", 0))
    bp["label_t"] = [ctx.path(p, lab) for p, lab in zip(bp["path"], bp["label"], strict=True)]
    st = suppress_rows(bp, n="n", k=ctx.k, keep=["path", "label", "label_t"]).status
    return bp, st


def interval(ctx: Ctx, quantity: str) -> tuple[float, float]:
    psa = ctx.costs.psa
    if psa is None:
        return (np.nan, np.nan)
    row = psa.set_index("quantity").loc[quantity]
    return float(row["q025"]), float(row["q975"])


def cost_summary_blocks(ctx: Ctx) -> list[Table | Chart]:
    """Waterfall (programme cost → avoided cost per path → net) and the headline table."""
    f, h = ctx.fmt, ctx.costs.headline
    bp, st = paths(ctx)
    shown = bp[st["avoided_cost"] == PUBLISHED]
    other = float(bp.loc[st["avoided_cost"] != PUBLISHED, "avoided_cost"].sum())
    drawn = shown[["path", "label_t", "avoided_cost"]].rename(columns={"label_t": "label"})
    if (st["avoided_cost"] != PUBLISHED).any():  # the suppressed paths together, as one bar
        merged = {"path": "", "label": f"{ctx.t('care_path')}: <{ctx.k}", "avoided_cost": other}
        drawn = pd.concat([drawn, pd.DataFrame([merged])], ignore_index=True)
    fig = figures.costs_waterfall(
        drawn, programme_cost=h["programme_cost"], net_benefit=h["net_benefit"], lang=ctx.lang, title=""
    )
    top = str(shown.at[shown["avoided_cost"].idxmax(), "label_t"]) if len(shown) else "–"  # by label
    cap = ctx.t(
        "waterfall_caption",
        cost=f.currency(h["programme_cost"]),
        avoided=f.currency(h["gross_avoided_cost"]),
        net=f.currency(h["net_benefit"]),
        path=top,
    )
    table = Table.build(
        "tbl-waterfall",
        ctx.t("waterfall_title"),
        bp,
        [
            Column("label_t", ctx.t("care_path")),
            Column("n", ctx.t("families_at_risk"), "count"),
            Column("avoided_cost", ctx.t("gross_avoided"), "money"),
        ],
        f,
        status=st,
        k=ctx.k,
        sheet="costs",
    )
    blocks: list[Table | Chart] = [Chart("waterfall", ctx.t("waterfall_title"), cap, fig, table)]
    rows = [
        ("programme_cost", "money", None),
        ("gross_avoided_cost", "money", "gross_avoided_cost"),
        ("net_benefit", "money", "net_benefit"),
        ("benefit_cost_ratio", "number2", "benefit_cost_ratio"),
        ("roi", "share", None),
        ("payback_months", "months", None),
        ("p_net_benefit_positive", "probability", None),
    ]
    names = {
        "programme_cost": "programme_cost",
        "gross_avoided_cost": "gross_avoided",
        "net_benefit": "net_benefit",
        "benefit_cost_ratio": "bcr",
        "roi": "roi",
        "payback_months": "payback",
        "p_net_benefit_positive": "p_saving",
    }
    out = []
    for key, kind, q in rows:
        lo, hi = interval(ctx, q) if q else (np.nan, np.nan)
        value = h[key]
        text = {
            "money": f.currency,
            "number2": lambda v: f.number(v, 2),
            "share": f.percent,
            "probability": f.probability,
            "months": f.months,
        }[kind](value)
        out.append(
            {
                "item": ctx.t(names[key]),
                "estimate": text,
                "interval": f.ci(lo, hi, money=kind == "money") if q and not np.isnan(lo) else "–",
                "value": value,
                "low": lo,
                "high": hi,
            }
        )
    tab = pd.DataFrame(out)
    summary = Table.build(
        "tbl-costs-summary",
        ctx.t("tbl_costs_summary"),
        tab,
        [
            Column("item", ctx.t("item")),
            Column("estimate", ctx.t("estimate")),
            Column("interval", ctx.t("interval95")),
        ],
        f,
        k=ctx.k,
        notes=cost_notes(ctx),
        sheet="costs",
    )
    # the spreadsheet gets the numbers, each row with its own type (money, ratio, share, months)
    types = [KINDS[kind][1] for _, kind, _ in rows]
    sheet = pd.DataFrame(
        {
            ctx.t("item"): tab["item"],
            # a value without a number (payback not within the horizon) keeps its words
            ctx.t("estimate"): [
                v if np.isfinite(v) else t_ for v, t_ in zip(tab["value"], tab["estimate"], strict=True)
            ],
            f"{ctx.t('interval95')} ({ctx.t('low').lower()})": tab["low"],
            f"{ctx.t('interval95')} ({ctx.t('high').lower()})": tab["high"],
        }
    )
    summary.excel = (sheet, {c: ("text" if i == 0 else types) for i, c in enumerate(sheet.columns)})
    blocks.append(summary)
    return blocks
