"""The municipal business case: investment against avoided cost per payer and per year,
break-even, uncertainty (PSA, acceptability, tornado) and named scenarios.  Payer, year and PSA
figures are sums over the whole cohort."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from impactkit import figures
from impactkit.report._context import Ctx, assumptions_section, design_section
from impactkit.report._costs import cost_summary_blocks, interval, paths, spread_chart
from impactkit.report._model import Chart, Column, KeyFigure, Section, Table

__all__ = ["business_sections"]


# ---------------------------------------------------------------------------- business case
def business_sections(ctx: Ctx) -> tuple[list[Section], dict[str, Any]]:
    ev, f, h = ctx.costs, ctx.fmt, ctx.costs.headline
    summary = Section("bc-summary", ctx.t("sec_bc_summary"))
    lo, hi = interval(ctx, "benefit_cost_ratio")
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
        "title": ctx.t(
            "bc_title",
            programme=" / ".join(programmes)
            or ev.meta.get("programme_label")
            or ctx.t("case_programme_generic"),
        ),
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
    fig = figures.costs_by_payer(bp.assign(label=bp["label_t"]), lang=ctx.lang, title="")
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
    fig = figures.costs_by_year(by, lang=ctx.lang, by="flow", title="")
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
    bp, _ = paths(ctx)
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
    fig = figures.costs_psa_histogram(ev.psa_draws, lang=ctx.lang, title="")
    lo, hi = interval(ctx, "net_benefit")
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
    spread = spread_chart(ctx)
    if spread is not None:
        sec.blocks.append(spread)
    acc = ev.acceptability
    if acc is not None and len(acc):
        acc = pd.DataFrame(acc)
        fig = figures.costs_acceptability(acc, lang=ctx.lang, title="")
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
    col = f"label_{ctx.lang}"  # the costs labels (en, nl); other languages: the figures' words
    tor["name"] = [
        str(x) if col in tor.columns and isinstance(x, str) and x else ctx.param(p)
        for p, x in zip(tor["parameter"], tor[col] if col in tor.columns else tor["parameter"], strict=True)
    ]
    base = ev.headline["net_benefit"]
    fig = figures.costs_tornado(
        tor, base=base, lang=ctx.lang, scenario=ev.scenario, instrument=ctx.instrument, title=""
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
