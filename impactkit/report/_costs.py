"""Cost sections: the annual report's cost summary and the municipal business case.

Avoided cost per care path is suppressed by the number of families with a non-zero likelihood of
that path (a path resting on fewer than ``k`` families is merged into "other paths", and secondary
suppression makes sure at least two are merged).  Payer, year and PSA figures are sums over the
whole cohort.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from impactkit.figures import NEGATIVE, POSITIVE
from impactkit.report import _charts
from impactkit.report._context import Ctx, assumptions_section, cost_notes, design_section
from impactkit.report._model import KINDS, Chart, Column, KeyFigure, Section, Table
from impactkit.report._suppress import PUBLISHED, suppress_rows

__all__ = ["business_sections", "cost_summary_blocks"]


def _paths(ctx: Ctx) -> tuple[pd.DataFrame, pd.DataFrame]:
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


def _interval(ctx: Ctx, quantity: str) -> tuple[float, float]:
    psa = ctx.costs.psa
    if psa is None:
        return (np.nan, np.nan)
    row = psa.set_index("quantity").loc[quantity]
    return float(row["q025"]), float(row["q975"])


def cost_summary_blocks(ctx: Ctx) -> list[Table | Chart]:
    """Waterfall (programme cost → avoided cost per path → net) and the headline table."""
    f, h = ctx.fmt, ctx.costs.headline
    bp, st = _paths(ctx)
    shown = bp[st["avoided_cost"] == PUBLISHED]
    other = float(bp.loc[st["avoided_cost"] != PUBLISHED, "avoided_cost"].sum())
    labels = [_charts.wrap(ctx.t("programme_cost"), 12), *(_charts.wrap(x, 12) for x in shown["label_t"])]
    values = [-h["programme_cost"], *shown["avoided_cost"]]
    if (st["avoided_cost"] != PUBLISHED).any():
        labels.append(f"{ctx.t('care_path')}: <{ctx.k}")
        values.append(other)
    labels.append(ctx.t("net_benefit"))
    values.append(h["net_benefit"])
    measures = ["relative"] * (len(values) - 1) + ["total"]
    hover = [f.currency(v) for v in values]
    fig = _charts.waterfall(labels, values, measures, hover, lang=ctx.lang)
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
        lo, hi = _interval(ctx, q) if q else (np.nan, np.nan)
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


# ---------------------------------------------------------------------------- business case
def business_sections(ctx: Ctx) -> tuple[list[Section], dict[str, Any]]:
    ev, f, h = ctx.costs, ctx.fmt, ctx.costs.headline
    summary = Section("bc-summary", ctx.t("sec_bc_summary"))
    lo, hi = _interval(ctx, "benefit_cost_ratio")
    summary.key_figures = [
        KeyFigure.of(f, h["programme_cost"], "money", ctx.t("kf_investment")),
        KeyFigure.of(f, h["gross_avoided_cost"], "money", ctx.t("kf_avoided")),
        KeyFigure.of(f, h["net_benefit"], "money", ctx.t("kf_net")),
        KeyFigure.of(
            f,
            h["benefit_cost_ratio"],
            "number2",
            ctx.t("kf_bcr"),
            ctx.t("kf_interval", low=f.number(lo, 2), high=f.number(hi, 2)) if not np.isnan(lo) else "",
        ),
        KeyFigure.of(f, h["payback_months"], "months", ctx.t("kf_payback")),
    ]
    if not np.isnan(h["p_net_benefit_positive"]):
        summary.key_figures.append(
            KeyFigure.of(f, h["p_net_benefit_positive"], "probability", ctx.t("kf_psaving"))
        )
        summary.paragraphs.append(
            ctx.t(
                "summary_costs",
                bcr=f.number(h["benefit_cost_ratio"], 2),
                low=f.number(lo, 2),
                high=f.number(hi, 2),
                p=f.probability(h["p_net_benefit_positive"]),
            )
        )
    if h["benefit_cost_ratio"] < 1:
        summary.paragraphs.append(ctx.t("summary_costs_below"))
    summary.paragraphs.append(
        ctx.t(
            "costs_intro",
            year=str(ev.scenario.report_year),
            draws=f.integer(ev.meta["draws"]),
            seed=str(ev.meta["seed"]),
        )
    )
    summary.blocks += cost_summary_blocks(ctx)
    sections = [
        summary,
        _payers(ctx),
        _years(ctx),
        _breakeven(ctx),
        _uncertainty(ctx),
        _scenarios(ctx),
        assumptions_section(ctx),
        design_section(ctx),
    ]
    programmes = []
    if ctx.families is not None and "programme" in ctx.families:
        programmes = sorted(ctx.families["programme"].dropna().astype(str).unique())
    cover: dict[str, Any] = {
        "kicker": ctx.t("bc_kicker"),
        "title": ctx.t("bc_title", programme=" / ".join(programmes) or "the programme"),
        "subtitle_parts": {
            "families": f.integer(ev.meta.get("families", 0)),
            "horizon": str(ev.scenario.horizon),
            "year": str(ev.scenario.report_year),
        },
    }
    return sections, cover


def _payers(ctx: Ctx) -> Section:
    f = ctx.fmt
    sec = Section("payers", ctx.t("sec_payers"), [ctx.t("wrong_pocket")])
    bp = pd.DataFrame(ctx.costs.by_payer).reset_index(drop=True)
    bp = bp[(bp["invests"] != 0) | (bp["saves"] != 0)].reset_index(drop=True)
    bp["label_t"] = [ctx.payer(p, lab) for p, lab in zip(bp["payer"], bp["label"], strict=True)]
    fig = _charts.grouped_bars(
        list(bp["label_t"]),
        [
            (ctx.t("invests"), list(bp["invests"]), [f.currency(v) for v in bp["invests"]], NEGATIVE),
            (ctx.t("saves"), list(bp["saves"]), [f.currency(v) for v in bp["saves"]], POSITIVE),
        ],
        lang=ctx.lang,
    )
    inv = bp.iloc[int(bp["invests"].to_numpy().argmax())]
    sav = bp.iloc[int(bp["saves"].to_numpy().argmax())]
    cap = ctx.t(
        "payers_caption",
        investor=inv["label_t"],
        invest=f.currency(inv["invests"]),
        saver=sav["label_t"],
        save=f.currency(sav["saves"]),
    )
    table = Table.build(
        "tbl-payers",
        ctx.t("payers_title"),
        bp,
        [
            Column("label_t", ctx.t("payer")),
            Column("invests", ctx.t("invests"), "money"),
            Column("saves", ctx.t("saves"), "money"),
            Column("net", ctx.t("net"), "money"),
        ],
        f,
        k=ctx.k,
        sheet="payers",
    )
    sec.blocks.append(Chart("payers", ctx.t("payers_title"), cap, fig, table))
    return sec


def _years(ctx: Ctx) -> Section:
    f = ctx.fmt
    sec = Section("years", ctx.t("sec_years"))
    by = pd.DataFrame(ctx.costs.by_year)
    y = by.groupby(["year", "calendar_year"], as_index=False)[["invests", "saves", "net"]].sum()
    y["cumulative"] = y["net"].cumsum()
    y["label"] = y["calendar_year"].astype(str)
    fig = _charts.year_bars(
        list(y["label"]),
        list(y["invests"]),
        list(y["saves"]),
        list(y["cumulative"]),
        (ctx.t("invests"), ctx.t("saves"), ctx.t("cumulative")),
        (
            [f.currency(v) for v in y["invests"]],
            [f.currency(v) for v in y["saves"]],
            [f.currency(v) for v in y["cumulative"]],
        ),
        lang=ctx.lang,
    )
    # the year from which the cumulative balance stays positive (not a first, passing crossing)
    neg = np.flatnonzero(y["cumulative"].to_numpy() <= 0)
    first_pos = 0 if len(neg) == 0 else int(neg[-1]) + 1
    pos = y.iloc[first_pos:]
    cap = (
        ctx.t("years_caption", year=str(pos["label"].iloc[0]))
        if len(pos)
        else ctx.t("years_caption_never", horizon=str(ctx.costs.scenario.horizon))
    )
    table = Table.build(
        "tbl-years",
        ctx.t("years_title"),
        y,
        [
            Column("label", ctx.t("year")),
            Column("invests", ctx.t("invests"), "money"),
            Column("saves", ctx.t("saves"), "money"),
            Column("net", ctx.t("net"), "money"),
            Column("cumulative", ctx.t("cumulative"), "money"),
        ],
        f,
        k=ctx.k,
        sheet="years",
    )
    sec.blocks.append(Chart("years", ctx.t("years_title"), cap, fig, table))
    return sec


def _breakeven(ctx: Ctx) -> Section:
    f, h = ctx.fmt, ctx.costs.headline
    bp, _ = _paths(ctx)
    idx = bp.set_index("path")
    ots = idx["break_even_cases"].get("supervision_order", idx["break_even_cases"].get("ots", np.nan))
    plc = idx["break_even_cases"].get("out_of_home_placement", np.nan)
    key = "breakeven_intro" if h["break_even_share"] <= 1 else "breakeven_impossible"
    sec = Section(
        "breakeven",
        ctx.t("sec_breakeven"),
        [
            ctx.t(
                key, share=f.percent(h["break_even_share"]), ots=f.number(ots, 0), placements=f.number(plc, 0)
            )
        ],
    )
    sec.blocks.append(
        Table.build(
            "tbl-breakeven",
            ctx.t("tbl_breakeven"),
            bp,
            [
                Column("label_t", ctx.t("care_path")),
                Column("cost_per_case", ctx.t("cost_per_case"), "money"),
                Column("break_even_cases", ctx.t("break_even_cases"), "number1"),
            ],
            f,
            k=ctx.k,
            sheet="break-even",
        )
    )
    return sec


def _uncertainty(ctx: Ctx) -> Section:
    f, ev = ctx.fmt, ctx.costs
    sec = Section("uncertainty", ctx.t("sec_uncertainty"))
    if ev.psa_draws is None:
        return sec
    nb = pd.DataFrame(ev.psa_draws)["net_benefit"].to_numpy()
    edges = np.histogram_bin_edges(nb, bins=40)
    counts, _ = np.histogram(nb, bins=edges)
    centers = (edges[:-1] + edges[1:]) / 2
    shares = counts / counts.sum()
    hover = [
        f"{f.currency(a)} – {f.currency(b)}: {f.percent(s, 1)}"
        for a, b, s in zip(edges[:-1], edges[1:], shares, strict=True)
    ]
    fig = _charts.histogram(
        list(centers), list(shares), float(edges[1] - edges[0]), hover, "0", lang=ctx.lang
    )
    lo, hi = _interval(ctx, "net_benefit")
    cap = ctx.t(
        "psa_caption",
        p=f.probability(ev.headline["p_net_benefit_positive"]),
        low=f.currency(lo),
        high=f.currency(hi),
    )
    q = pd.DataFrame(ev.psa).reset_index(drop=True)
    q = q[q["quantity"] != "programme_cost"].reset_index(drop=True) if len(q) > 1 else q
    names = {
        "programme_cost": "programme_cost",
        "gross_avoided_cost": "gross_avoided",
        "net_benefit": "net_benefit",
        "benefit_cost_ratio": "bcr",
    }
    q = q[q["quantity"] != "benefit_cost_ratio"].reset_index(drop=True)
    q["label"] = [ctx.t(names.get(x, "value")) for x in q["quantity"]]
    table = Table.build(
        "tbl-psa",
        ctx.t("tbl_psa"),
        q,
        [
            Column("label", ctx.t("quantity")),
            Column("mean", ctx.t("mean"), "money"),
            Column("q025", ctx.t("q025"), "money"),
            Column("q500", ctx.t("q500"), "money"),
            Column("q975", ctx.t("q975"), "money"),
        ],
        f,
        k=ctx.k,
        sheet="uncertainty",
    )
    sec.blocks.append(Chart("psa", ctx.t("psa_title", draws=f.integer(len(nb))), cap, fig, table))
    acc = ev.acceptability
    if acc is not None and len(acc):
        acc = pd.DataFrame(acc)
        fig = _charts.acceptability(
            list(acc["deadweight"]),
            list(acc["p_net_benefit_positive"]),
            [
                f"{f.percent(d)}: {f.percent(p)}"
                for d, p in zip(acc["deadweight"], acc["p_net_benefit_positive"], strict=True)
            ],
            ctx.t("deadweight"),
            lang=ctx.lang,
        )
        above = acc[acc["p_net_benefit_positive"] >= 0.5]
        cap = (
            ctx.t("accept_caption", dw=f.percent(above["deadweight"].max()))
            if len(above)
            else ctx.t("accept_caption_never")
        )
        table = Table.build(
            "tbl-acceptability",
            ctx.t("accept_title"),
            acc,
            [
                Column("deadweight", ctx.t("deadweight"), "share"),
                Column("p_net_benefit_positive", ctx.t("p_saving"), "probability"),
            ],
            f,
            k=ctx.k,
            sheet="uncertainty",
        )
        sec.blocks.append(Chart("acceptability", ctx.t("accept_title"), cap, fig, table))
    tor = pd.DataFrame(ev.tornado).head(12).reset_index(drop=True)
    tor["name"] = [ctx.param(p) for p in tor["parameter"]]
    base = ev.headline["net_benefit"]
    fig = _charts.tornado(
        list(tor["name"]),
        list(tor["net_low"]),
        list(tor["net_high"]),
        base,
        (ctx.t("at_low"), ctx.t("at_high")),
        ([f.currency(v) for v in tor["net_low"]], [f.currency(v) for v in tor["net_high"]]),
        lang=ctx.lang,
    )
    top = tor.iloc[0]
    cap = ctx.t(
        "tornado_caption",
        param=str(top["name"]),
        low=f.currency(top["net_low"]),
        high=f.currency(top["net_high"]),
    )
    table = Table.build(
        "tbl-tornado",
        ctx.t("tornado_title"),
        tor,
        [
            Column("name", ctx.t("parameter")),
            Column("low", ctx.t("low"), "general"),
            Column("high", ctx.t("high"), "general"),
            Column("net_low", ctx.t("at_low"), "money"),
            Column("net_high", ctx.t("at_high"), "money"),
        ],
        f,
        k=ctx.k,
        sheet="uncertainty",
    )
    sec.blocks.append(Chart("tornado", ctx.t("tornado_title"), cap, fig, table))
    return sec


def _scenarios(ctx: Ctx) -> Section:
    f = ctx.fmt
    sec = Section("scenarios", ctx.t("sec_scenarios"), [ctx.t("scenarios_intro")])
    sc = pd.DataFrame(ctx.costs.scenarios).reset_index(drop=True)
    sc["label"] = [ctx.t(f"sc_{s}") if ctx.known(f"sc_{s}") else str(s) for s in sc["scenario"]]
    sec.blocks.append(
        Table.build(
            "tbl-scenarios",
            ctx.t("tbl_scenarios"),
            sc,
            [
                Column("label", ctx.t("scenario_name")),
                Column("programme_cost", ctx.t("programme_cost"), "money"),
                Column("gross_avoided_cost", ctx.t("gross_avoided"), "money"),
                Column("net_benefit", ctx.t("net_benefit"), "money"),
                Column("benefit_cost_ratio", ctx.t("bcr"), "number2"),
            ],
            f,
            k=ctx.k,
            sheet="scenarios",
        )
    )
    return sec
