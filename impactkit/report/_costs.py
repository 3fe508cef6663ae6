"""The cost summary shared by both reports: the waterfall and the headline table.

Avoided cost per care path rests on the families with a non-zero likelihood of that path (its
``cost:<path>`` sum over them); the gross avoided cost is the sum over every path of the report's
families; programme cost describes no family (it comes from the programme's own accounts or the
scenario).  Intervals and probabilities from the PSA rest on the gross.  A path that is hidden is
drawn only inside "care paths not shown separately" (the gross minus the paths shown: known from
the published figures anyway).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from babel.lists import format_list

from impactkit import figures
from impactkit.report._captions import best_of
from impactkit.report._cohort import cost_stat
from impactkit.report._context import BASES, Ctx, basis_values, cost_notes, draw
from impactkit.report._model import KINDS, Chart, Column, Table
from impactkit.report._publish import Value

__all__ = [
    "basis_table", "cost_stats", "cost_summary_blocks", "gross_count", "gross_value", "headline_values", "interval", "paths",
    "spread_chart",
]  # fmt: skip


def cost_stats(ctx: Ctx) -> list[str]:
    """The per-path cost statistics the release declared (none without a cost model per family)."""
    return [
        cost_stat(str(p))
        for p in ctx.costs.by_path["path"]
        if ctx.pub.ledger.has_statistic(cost_stat(str(p)))
    ]


def _modelled(ctx: Ctx) -> pd.Index:
    if getattr(ctx.dataset, "assessments", None) is None:  # a business case without data: no family
        return pd.Index([])
    pf = ctx.costs.per_family
    if "family_id" in pf and len(pf):
        # the same Index object each time the same frame is asked for: the ledger keeps the codes
        # of an Index it has seen, so the families are looked up once, not at every count
        held: dict[int, tuple[pd.DataFrame, pd.Index]] = ctx.cached("modelled", dict)
        got = held.get(id(pf))
        if got is None or got[0] is not pf:  # (a frame of the same id that has been freed)
            got = held[id(pf)] = (pf, pd.Index(pf["family_id"].astype(str)).unique())
        return got[1]
    return ctx.cohort.everyone


def gross_count(ctx: Ctx) -> Value:
    """The number of families in the cost model, publishing the gross avoided cost (all paths)."""
    stats = ["cost:all"] if ctx.pub.ledger.has_statistic("cost:all") else []
    return ctx.pub.count(("costs", "families"), _modelled(ctx), stats=stats, cost=1e5, measured=True,
                         label=f"{ctx.pub.scope}: families in the cost model")  # fmt: skip


def gross_value(ctx: Ctx) -> Value:
    """The gross avoided cost (all paths), resting on the families in the cost model."""
    stats = ["cost:all"] if ctx.pub.ledger.has_statistic("cost:all") else []
    return ctx.pub.on(gross_count(ctx), ctx.costs.headline["gross_avoided_cost"], stats)


def paths(ctx: Ctx) -> pd.DataFrame:
    """by_path with, per path, the families at risk and its avoided cost as published values."""
    pub, ev = ctx.pub, ctx.costs
    bp = pd.DataFrame(ev.by_path).reset_index(drop=True)
    pf = ev.per_family
    has_data = getattr(ctx.dataset, "assessments", None) is not None  # a business case without data: none
    risk = pf[pf["likelihood"] > 0] if "family_id" in pf and has_data else pf.iloc[0:0]
    ns, avoided = [], []
    risk_path: pd.Series | None = None  # the paths of the families at risk as text: once, not per path
    risk_ids: Any = None  # their ids with their ledger codes: looked up once, not per path
    for p, cost in zip(bp["path"], bp["avoided_cost"], strict=True):
        if risk_path is None:
            risk_path = risk["path"].astype(str)
            risk_ids = pub.ids(risk["family_id"].astype(str))
        ids = risk_ids.where((risk_path == str(p)).to_numpy(bool))
        stat = cost_stat(str(p))
        stats = [stat] if pub.ledger.has_statistic(stat) else []
        n = pub.count(("costs", "path", p), ids, stats=stats, label=f"{pub.scope}: at risk of {p}", cost=5.0,
                      dim=f"path:{p}")  # fmt: skip
        ns.append(n)
        avoided.append(pub.on(n, cost, stats))
    bp["n"] = ns
    bp["avoided"] = avoided
    bp["label_t"] = [ctx.path(p, lab) for p, lab in zip(bp["path"], bp["label"], strict=True)]
    bp["cost_per_case_v"] = pub.consts(bp["cost_per_case"])
    bp["break_even_v"] = pub.consts(bp["break_even_cases"])
    return bp


def interval(ctx: Ctx, quantity: str, on: Value) -> tuple[Value, Value]:
    """The PSA's 95% interval of a quantity, resting on ``on`` (NaN without a PSA)."""
    psa = ctx.costs.psa
    if psa is None:
        return ctx.pub.derived(np.nan, on), ctx.pub.derived(np.nan, on)
    row = psa.set_index("quantity").loc[quantity]
    return ctx.pub.derived(row["q025"], on), ctx.pub.derived(row["q975"], on)


def headline_values(ctx: Ctx) -> dict[str, Value]:
    """The headline figures as published values (intervals NaN without a PSA)."""
    h = ctx.costs.headline
    gross = gross_value(ctx)
    pub = ctx.pub
    out = {
        "programme_cost": ctx.c(h["programme_cost"]),
        "gross": gross,
        "net": pub.derived(h["net_benefit"], gross),
        "bcr": pub.derived(h["benefit_cost_ratio"], gross),
        "roi": pub.derived(h["roi"], gross),
        "payback": pub.derived(h["payback_months"], gross),
        "p_saving": pub.derived(h["p_net_benefit_positive"], gross),
        "break_even_share": pub.derived(h.get("break_even_share", np.nan), gross),
    }
    for q, name in (("benefit_cost_ratio", "bcr"), ("gross_avoided_cost", "gross"), ("net_benefit", "net")):
        out[f"{name}_low"], out[f"{name}_high"] = interval(ctx, q, gross)
    return out


def cost_summary_blocks(ctx: Ctx) -> list[Table | Chart]:
    """Waterfall (programme cost → avoided cost per path → net) and the headline table."""
    f, pub = ctx.fmt, ctx.pub
    h = headline_values(ctx)
    bp = paths(ctx)
    shown = [pub.shown(v) for v in bp["avoided"]]
    drawn = [{"path": p, "label": lab, "avoided_cost": pub.number(v, "money")}
             for p, lab, v, s in zip(bp["path"], bp["label_t"], bp["avoided"], shown, strict=True) if s]  # fmt: skip
    if not all(shown) and pub.shown(h["gross"]):
        rest: Any = h["gross"]
        for v, s in zip(bp["avoided"], shown, strict=True):
            if s:
                rest = rest - v
        drawn.append(
            {"path": "", "label": ctx.t("paths_not_shown"), "avoided_cost": pub.number(rest, "money")}
        )
    fig = draw(
        ctx,
        figures.costs_waterfall,
        pd.DataFrame(drawn, columns=["path", "label", "avoided_cost"]),
        programme_cost=pub.number(h["programme_cost"], "money"),
        net_benefit=pub.number(h["net"], "money"),
        lang=ctx.lang,
        title="",
    )
    best = best_of(pub, [(pub.raw(v), v, i) for i, v in enumerate(bp["avoided"])])
    values = {
        "cost": f.currency(h["programme_cost"]),
        "avoided": f.currency(h["gross"]),
        "net": f.currency(h["net"]),
    }
    if best is not None and best[1]:
        cap = ctx.t("waterfall_caption", path=str(bp.at[int(best[0]), "label_t"]), **values)
    else:
        cap = ctx.t("waterfall_caption_hidden", **values)
    table = Table.build(
        "tbl-waterfall",
        ctx.t("waterfall_title"),
        bp,
        [
            Column("label_t", ctx.t("care_path")),
            Column("n", ctx.t("families_at_risk"), "count"),
            Column("avoided", ctx.t("gross_avoided"), "money"),
        ],
        f,
        k=ctx.k,
        sheet="costs",
    )
    blocks: list[Table | Chart] = [Chart("waterfall", ctx.t("waterfall_title"), cap, fig, table)]
    basis = basis_table(ctx, bp)
    if basis is not None:
        blocks.append(basis)
    rows = [
        ("programme_cost", "money", None, "programme_cost"),
        ("gross", "money", "gross", "gross_avoided"),
        ("net", "money", "net", "net_benefit"),
        ("bcr", "number2", "bcr", "bcr"),
        ("roi", "share", None, "roi"),
        ("payback", "months", None, "payback"),
        ("p_saving", "probability", None, "p_saving"),
    ]
    out = []
    excel_rows = []
    for key, kind, q, label in rows:
        value = h[key]
        lo, hi = (h[f"{q}_low"], h[f"{q}_high"]) if q else (None, None)
        interval_text = (
            f.ci(lo, hi, money=kind == "money")
            if lo is not None and hi is not None and pub.raw(lo) == pub.raw(lo)
            else "–"
        )
        out.append({"item": ctx.t(label), "estimate": KINDS[kind][0](f, value), "interval": interval_text})
        number = pub.number(value, kind)
        excel_rows.append(
            {
                "item": ctx.t(label),
                # a value without a number (payback not within the horizon) keeps its words
                "estimate": number if pd.notna(number) and np.isfinite(number) else KINDS[kind][0](f, value),
                "low": pub.number(lo, kind) if lo is not None else np.nan,
                "high": pub.number(hi, kind) if hi is not None else np.nan,
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
    types = [KINDS[kind][1] for _, kind, _, _ in rows]
    ex = pd.DataFrame(excel_rows)
    sheet = pd.DataFrame(
        {
            ctx.t("item"): ex["item"],
            ctx.t("estimate"): ex["estimate"],
            f"{ctx.t('interval95')} ({ctx.t('low').lower()})": ex["low"],
            f"{ctx.t('interval95')} ({ctx.t('high').lower()})": ex["high"],
        }
    )
    summary.excel = (sheet, {c: ("text" if i == 0 else types) for i, c in enumerate(sheet.columns)})
    blocks.append(summary)
    return blocks


def basis_table(ctx: Ctx, bp: pd.DataFrame) -> Table | None:
    """Avoided cost per care path by what the need rests on: judgements recorded at intake, intake
    rules or the programme's assumed prevalence, each with the number of families it rests on.

    Each row is a population of the release: the families at risk of the path on that basis, a
    disjoint part of the path's families (the waterfall table), publishing the sum of their cost
    on the path; the release protects the rows with everything else it publishes.  The sentence
    under the table is built from published values only.  Business cases (no families) have no
    such table.
    """
    ev, pub = ctx.costs, ctx.pub
    pf = ev.per_family
    if (ev.meta.get("kind") == "business_case" or ev.by_basis is None or not len(ev.by_basis)
            or "family_id" not in pf or "basis" not in pf):  # fmt: skip
        return None
    bb = pd.DataFrame(ev.by_basis)
    bb = bb[bb["basis"].isin(BASES) & bb["path"].isin(bp["path"])].reset_index(drop=True)
    if not len(bb):
        return None
    path_rank = {p: i for i, p in enumerate(bp["path"])}
    bb = bb.sort_values(["path", "basis"], key=lambda c: c.map(path_rank) if c.name == "path" else
                        c.map(BASES.index), kind="stable").reset_index(drop=True)  # fmt: skip
    bb["label_t"] = [ctx.path(p, lab) for p, lab in zip(bb["path"], bb["label"], strict=True)]
    bb["basis_t"] = [ctx.t(f"basis.{b}") for b in bb["basis"]]
    risk = pf[pf["likelihood"] > 0]
    ns, amounts = [], []
    as_text: tuple[pd.Series, pd.Series] | None = None  # path and basis of the families at risk: once
    risk_ids: Any = None  # and their ids with their ledger codes
    for p, b, cost in zip(bb["path"], bb["basis"], bb["avoided_cost"], strict=True):
        if as_text is None:
            as_text = (risk["path"].astype(str), risk["basis"].astype(str))
            risk_ids = pub.ids(risk["family_id"].astype(str))
        on = (as_text[0] == str(p)) & (as_text[1] == str(b))
        stat = cost_stat(str(p))
        stats = [stat] if pub.ledger.has_statistic(stat) else []
        n = pub.count(("costs", "basis", p, b), risk_ids.where(on.to_numpy(bool)), dim=f"basis:{p}",
                      stats=stats, cost=5.0, label=f"{pub.scope}: at risk of {p} on basis {b}")  # fmt: skip
        ns.append(n)
        amounts.append(pub.on(n, cost, stats))
    bb["n"] = ns
    bb["avoided"] = amounts
    return Table.build(
        "tbl-basis",
        ctx.t("basis_title"),
        bb,
        [
            Column("label_t", ctx.t("care_path")),
            Column("basis_t", ctx.t("basis_col")),
            Column("n", ctx.t("families_on_basis"), "count"),
            Column("avoided", ctx.t("gross_avoided"), "money"),
        ],
        ctx.fmt,
        k=ctx.k,
        notes=[basis_sentence(ctx, bb)],
        sheet="costs",
    )


def basis_sentence(ctx: Ctx, bb: pd.DataFrame) -> str:
    """'The avoided cost of € X rests on: ...', from published values only.

    The families per basis are the parts of the cost notes (:func:`basis_values`: each family
    counted by the strongest basis of its need); the amount of a basis is the sum of its rows in
    the table, shown only when every one of them is.
    """
    ev, f, pub = ctx.costs, ctx.fmt, ctx.pub
    _n, counts = basis_values(ctx)
    other = float(
        pd.DataFrame(ev.by_basis).pipe(lambda d: d.loc[~d["basis"].isin(BASES), "avoided_cost"]).sum()
    )
    parts = []
    for b in BASES:
        rows = bb[bb["basis"] == b]
        if not len(rows) or pub.raw(counts[b]) == 0:
            continue
        amount = pub.derived(float(rows["avoided_cost"].sum()), *rows["avoided"])
        name = ctx.t(f"basis_in.{b}")
        st = pub.status(counts[b])
        if st == "primary":
            parts.append(ctx.t("basis_part_hidden", basis=name, k=str(ctx.k)))
        elif st:  # hidden only to protect another part: its count is not "fewer than k"
            parts.append(ctx.t("basis_part_protected", basis=name))
        elif not pub.shown(amount):
            parts.append(ctx.t("basis_part_secondary", basis=name, n=f.integer(counts[b])))
        else:
            parts.append(ctx.t("basis_part", basis=name, amount=f.currency(amount), n=f.integer(counts[b])))
    text = ctx.t("basis_sentence", total=f.currency(gross_value(ctx)),
                 parts=format_list(parts, locale=f.base.locale) if parts else ctx.t("basis_none"))  # fmt: skip
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
    # the shares come from the PSA of the report's families: they rest on the gross avoided cost
    gross = gross_value(ctx)
    pub = ctx.pub
    if not pub.shown(gross):
        return None
    for c in ("first_order", "total_order"):
        sp[c] = [pub.derived(x, gross) for x in sp[c]]
    drawn = sp.assign(**{c: pub.numbers(sp[c], "share") for c in ("first_order", "total_order")})
    fig = draw(ctx, figures.costs_spread, drawn, lang=ctx.lang, title="")
    top = sp.iloc[0]
    from impactkit.costs._labels import _lower

    # the group's legend label, mid-sentence: "... is deadweight, attributie, ..." (acronyms kept)
    cap = ctx.t("spread_caption", source=_lower(str(top["label_t"])), first=f.percent(top["first_order"]),
                total=f.percent(top["total_order"]))  # fmt: skip
    cohort = drawn[drawn["source"].isin(["judgements", "cohort"])]
    if len(cohort) and cohort["total_order"].sum() >= 0.2:  # small cohorts: what five families carry
        share = pub.derived(min(1.0, float(cohort["total_order"].sum())), gross)
        n = gross_count(ctx)
        cap += " " + ctx.t("spread_caption_cohort", share=f.percent(share), n=f.integer(n))
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
        notes=[ctx.t("spread_note", draws=f.integer(ctx.c(ev.meta.get("draws", 0))))],
        sheet="uncertainty",
    )
    return Chart("spread", ctx.t("spread_title"), cap, fig, table)
