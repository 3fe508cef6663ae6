"""The cost summary shared by both reports: the waterfall and the headline table.

Avoided cost per care path is suppressed by the number of families with a non-zero likelihood of
that path (a path resting on fewer than ``k`` families is merged into "other paths", and secondary
suppression makes sure at least two are merged).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from babel.lists import format_list

from impactkit import figures
from impactkit.report._context import Ctx, basis_counts, cost_notes
from impactkit.report._model import KINDS, Chart, Column, Table
from impactkit.report._suppress import PRIMARY, PUBLISHED, suppress_rows

__all__ = ["basis_table", "cost_summary_blocks", "interval", "paths", "spread_chart"]

BASES_SHOWN = ("recorded", "rule", "prevalence")  # the bases a need rests on (the others count none)


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
    basis = basis_table(ctx, bp, st)
    if basis is not None:
        blocks.append(basis)
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


def basis_table(ctx: Ctx, bp: pd.DataFrame, st: pd.DataFrame) -> Table | None:
    """Avoided cost per care path by what the need rests on: judgements recorded at intake, intake
    rules or the programme's assumed prevalence, each with the number of families it rests on.

    Rows of one path are parts of its published family count (the waterfall table), so they are
    protected together (secondary suppression within the path).  The sentence under the table is
    built from the published totals per basis only; a basis resting on fewer than ``k`` families is
    named without its amount.  Business cases (no families) have no such table.
    """
    ev, f = ctx.costs, ctx.fmt
    if ev.meta.get("kind") == "business_case" or ev.by_basis is None or not len(ev.by_basis):
        return None
    bb = pd.DataFrame(ev.by_basis)
    bb = bb[bb["basis"].isin(BASES_SHOWN) & bb["path"].isin(bp["path"])].reset_index(drop=True)
    if not len(bb):
        return None
    path_rank = {p: i for i, p in enumerate(bp["path"])}
    bb = bb.sort_values(["path", "basis"], key=lambda c: c.map(path_rank) if c.name == "path" else
                        c.map(BASES_SHOWN.index), kind="stable").reset_index(drop=True)  # fmt: skip
    bb["label_t"] = [ctx.path(p, lab) for p, lab in zip(bb["path"], bb["label"], strict=True)]
    bb["basis_t"] = [ctx.t(f"basis.{b}") for b in bb["basis"]]
    st_b = suppress_rows(bb, n="families", k=ctx.k, by="path", keep=["path", "label", "label_t", "basis",
                                                                       "basis_t"]).status  # fmt: skip
    # the amounts per basis sum to the path's published avoided cost: a path with one hidden row
    # already hides a second one (secondary suppression within the block)
    labels = ("path", "label", "label_t", "basis", "basis_t")
    merged = bb["path"].isin(set(bp.loc[st["avoided_cost"] != PUBLISHED, "path"])).to_numpy()
    for col in st_b.columns:  # a path merged in the waterfall stays hidden here
        if col not in labels:
            st_b.loc[merged & (st_b[col] == PUBLISHED).to_numpy(), col] = "secondary"
    return Table.build(
        "tbl-basis",
        ctx.t("basis_title"),
        bb,
        [
            Column("label_t", ctx.t("care_path")),
            Column("basis_t", ctx.t("basis_col")),
            Column("families", ctx.t("families_on_basis"), "count"),
            Column("avoided_cost", ctx.t("gross_avoided"), "money"),
        ],
        f,
        status=st_b,
        k=ctx.k,
        notes=[basis_sentence(ctx)],
        sheet="costs",
    )


def basis_sentence(ctx: Ctx) -> str:
    """'The avoided cost of € X rests on: ...', from published values only.

    The families per basis are the protected parts of the cost notes (:func:`basis_counts`); an
    amount is shown only where its count is.  When exactly one amount is hidden and nothing else
    unpublished enters the total (care used by families without a counted need), the smallest
    shown amount is hidden too, so the hidden one cannot be worked out from the total.
    """
    ev, f = ctx.costs, ctx.fmt
    counts, status = basis_counts(ctx)
    bb = pd.DataFrame(ev.by_basis)
    amount = bb.groupby("basis")["avoided_cost"].sum()
    other = float(bb.loc[~bb["basis"].isin(BASES_SHOWN), "avoided_cost"].sum())
    present = [b for b in BASES_SHOWN if counts[b] > 0]
    hidden = {b for b in present if status[b] != PUBLISHED}
    secondary: set[str] = set()
    if len(hidden) == 1 and other == 0:
        shown = [b for b in present if b not in hidden]
        if shown:
            secondary.add(min(shown, key=lambda b: abs(float(amount.get(b, 0.0)))))
    parts = []
    for b in present:
        name = ctx.t(f"basis_in.{b}")
        if b in hidden and status[b] == PRIMARY:
            parts.append(ctx.t("basis_part_hidden", basis=name, k=f.integer(ctx.k)))
        elif b in hidden:  # hidden only to protect another part: its count is not "fewer than k"
            parts.append(ctx.t("basis_part_protected", basis=name))
        elif b in secondary:
            parts.append(ctx.t("basis_part_secondary", basis=name, n=f.integer(counts[b])))
        else:
            parts.append(ctx.t("basis_part", basis=name, amount=f.currency(float(amount.get(b, 0.0))),
                               n=f.integer(counts[b])))  # fmt: skip
    text = ctx.t("basis_sentence", total=f.currency(ev.headline["gross_avoided_cost"]),
                 parts=format_list(parts, locale=f.locale) if parts else ctx.t("basis_none"))  # fmt: skip
    if other != 0:
        text += " " + ctx.t("basis_used_other")
    return text


def spread_chart(ctx: Ctx) -> Chart | None:
    """Where the PSA's uncertainty comes from (first-order and total Sobol indices per source)."""
    ev, f = ctx.costs, ctx.fmt
    if ev.spread is None or not len(ev.spread):
        return None
    sp = (
        pd.DataFrame(ev.spread)
        .sort_values("total_order", ascending=False, kind="stable")
        .reset_index(drop=True)
    )
    col = f"label_{ctx.lang}"
    sp["label_t"] = [
        str(x) if col in sp.columns and isinstance(x, str) and x else f.text_of("figures", f"source.{src}")
        for src, x in zip(sp["source"], sp[col] if col in sp.columns else sp["source"], strict=True)
    ]
    fig = figures.costs_spread(sp, lang=ctx.lang, title="")
    top = sp.iloc[0]
    cap = ctx.t("spread_caption", source=str(top["label_t"]), first=f.percent(top["first_order"]),
                total=f.percent(top["total_order"]))  # fmt: skip
    cohort = sp[sp["source"].isin(["judgements", "cohort"])]
    if len(cohort) and cohort["total_order"].sum() >= 0.2:  # small cohorts: what five families carry
        cap += " " + ctx.t("spread_caption_cohort", share=f.percent(min(1.0, float(cohort["total_order"].sum()))),
                           n=f.integer(ev.meta.get("families", 0)))  # fmt: skip
    table = Table.build(
        "tbl-spread",
        ctx.t("spread_title"),
        sp,
        [
            Column("label_t", ctx.t("spread_source")),
            Column("first_order", ctx.t("spread_first"), "share"),
            Column("total_order", ctx.t("spread_total"), "share"),
        ],
        f,
        k=ctx.k,
        notes=[ctx.t("spread_note", draws=f.integer(ev.meta.get("draws", 0)))],
        sheet="uncertainty",
    )
    return Chart("spread", ctx.t("spread_title"), cap, fig, table)
