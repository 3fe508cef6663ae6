"""The municipal business case: investment against avoided cost per payer and per year,
break-even, uncertainty (PSA, acceptability, tornado) and named scenarios.

Payer, year, scenario and tornado rows mix the care paths in ways a reader could solve for one
path; until the cost model reports each row per path, each row is declared as publishing the cost
of every path separately (the strongest reader), so where a path is hidden those rows are hidden
too.  Programme costs describe no family.  PSA results rest on the gross avoided cost.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from impactkit import figures
from impactkit.report._captions import best_of
from impactkit.report._context import Ctx, assumptions_section, design_section, draw
from impactkit.report._costs import (
    _modelled,
    cost_stats,
    cost_summary_blocks,
    headline_values,
    paths,
    spread_chart,
)
from impactkit.report._model import Chart, Column, KeyFigure, Section, Table
from impactkit.report._publish import Value

__all__ = ["business_sections"]

# parameters that scale every path alike: their tornado rows reveal no more than the gross
_GLOBAL = ("adjustments.", "discount", "programme", "coordinator", "caseload", "items.")


def _mixed_row(ctx: Ctx, parts: tuple[object, ...], every_path: bool = True) -> Value:
    """A population for one mixed row (a payer, a year, a scenario): the report's modelled
    families, publishing each path's cost (or, for a global parameter, the gross only)."""
    stats = (
        cost_stats(ctx) if every_path else (["cost:all"] if ctx.pub.ledger.has_statistic("cost:all") else [])
    )
    return ctx.pub.count(("costs", *parts), _modelled(ctx), stats=stats, cost=2.0,
                         label=f"{ctx.pub.scope}: {' '.join(str(p) for p in parts)}")  # fmt: skip


# ---------------------------------------------------------------------------- business case
def business_sections(ctx: Ctx) -> tuple[list[Section], dict[str, Any]]:
    ev, f = ctx.costs, ctx.fmt
    h = headline_values(ctx)
    summary = Section("bc-summary", ctx.t("sec_bc_summary"))
    has_psa = ev.psa is not None
    summary.key_figures = [
        KeyFigure.of(f, h["programme_cost"], "money", ctx.t("kf_investment"), id="programme_cost"),
        KeyFigure.of(f, h["gross"], "money", ctx.t("kf_avoided"), id="avoided"),
        KeyFigure.of(f, h["net"], "money", ctx.t("kf_net"), id="net"),
        KeyFigure.of(
            f, h["bcr"], "number2", ctx.t("kf_bcr"),
            ctx.t("kf_interval", low=f.number(h["bcr_low"], 2), high=f.number(h["bcr_high"], 2)) if has_psa else "",
            id="bcr",
        ),
        KeyFigure.of(f, h["payback"], "months", ctx.t("kf_payback"), id="payback"),
    ]  # fmt: skip
    if has_psa and ctx.pub.shown(h["bcr"]):
        summary.key_figures.append(
            KeyFigure.of(f, h["p_saving"], "probability", ctx.t("kf_psaving"), id="p_saving")
        )
        summary.paragraphs.append(
            ctx.t(
                "summary_costs",
                bcr=f.number(h["bcr"], 2),
                low=f.number(h["bcr_low"], 2),
                high=f.number(h["bcr_high"], 2),
                p=f.probability(h["p_saving"]),
            )
        )
    if ctx.pub.shown(h["bcr"]) and ctx.pub.raw(h["bcr"]) < 1:
        summary.paragraphs.append(ctx.t("summary_costs_below"))
    summary.paragraphs.append(
        ctx.t(
            "costs_intro",
            year=str(ev.scenario.report_year),
            draws=f.integer(ctx.c(ev.meta["draws"])),
            seed=str(ev.meta["seed"]),
        )
    )
    summary.blocks += cost_summary_blocks(ctx)
    sections = [
        summary,
        _payers(ctx),
        _years(ctx),
        _breakeven(ctx, h),
        _uncertainty(ctx, h),
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
            # a business case without data: the families it assumes per year (no family described)
            "families": f.integer(ctx.everyone)
            if getattr(ctx.dataset, "assessments", None) is not None
            else f.integer(ctx.c(ev.meta.get("families", 0))),
            "horizon": str(ev.scenario.horizon),
            "year": str(ev.scenario.report_year),
        },
    }
    return sections, cover


def _payers(ctx: Ctx) -> Section:
    f, pub = ctx.fmt, ctx.pub
    sec = Section("payers", ctx.t("sec_payers"), [ctx.t("wrong_pocket")])
    bp = pd.DataFrame(ctx.costs.by_payer).reset_index(drop=True)
    bp = bp[(bp["invests"] != 0) | (bp["saves"] != 0)].reset_index(drop=True)
    bp["label_t"] = [ctx.payer(p, lab) for p, lab in zip(bp["payer"], bp["label"], strict=True)]
    saves = [pub.on(_mixed_row(ctx, ("payer", p)), s) for p, s in zip(bp["payer"], bp["saves"], strict=True)]
    invests = pub.consts(bp["invests"])
    t = pd.DataFrame({"label_t": bp["label_t"], "invests": invests, "saves": saves})
    t["net"] = [s - i for s, i in zip(saves, invests, strict=True)]
    drawn = pd.DataFrame(
        {
            "payer": bp["payer"],
            "label": bp["label_t"],
            "invests": pub.numbers(invests, "money"),
            "saves": pub.numbers(saves, "money"),
        }
    )
    fig = draw(ctx, figures.costs_by_payer, drawn.fillna({"invests": 0.0}), lang=ctx.lang, title="")
    inv = best_of(pub, [(pub.raw(v), v, i) for i, v in enumerate(invests)])
    sav = best_of(pub, [(pub.raw(v), v, i) for i, v in enumerate(saves)])
    if inv is not None and sav is not None and inv[1] and sav[1]:
        i, j = int(inv[0]), int(sav[0])
        cap = ctx.t("payers_caption", investor=str(t.at[i, "label_t"]), invest=f.currency(invests[i]),
                    saver=str(t.at[j, "label_t"]), save=f.currency(saves[j]))  # fmt: skip
    else:
        cap = ctx.t("payers_caption_hidden", k=str(ctx.k))
    table = Table.build(
        "tbl-payers",
        ctx.t("payers_title"),
        t,
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
    f, pub = ctx.fmt, ctx.pub
    sec = Section("years", ctx.t("sec_years"))
    by = pd.DataFrame(ctx.costs.by_year)
    y = by.groupby(["year", "calendar_year"], as_index=False)[["invests", "saves", "net"]].sum()
    saves = [
        pub.on(_mixed_row(ctx, ("year", int(cy))), s)
        for cy, s in zip(y["calendar_year"], y["saves"], strict=True)
    ]
    invests = pub.consts(y["invests"])
    net = [s - i for s, i in zip(saves, invests, strict=True)]
    cumulative: list[Value] = []
    for v in net:
        cumulative.append(v if not cumulative else cumulative[-1] + v)
    t = pd.DataFrame({"label": y["calendar_year"].astype(str), "invests": invests, "saves": saves, "net": net,
                      "cumulative": cumulative})  # fmt: skip
    drawn = pd.DataFrame(
        {
            "year": y["year"],
            "calendar_year": y["calendar_year"],
            "payer": "all",
            "invests": pub.numbers(invests, "money"),
            "saves": pub.numbers(saves, "money"),
            "net": pub.numbers(net, "money"),
        }
    )
    fig = draw(ctx, figures.costs_by_year, drawn.dropna(subset=["net"]), lang=ctx.lang, by="flow", title="")
    if all(pub.shown(v) for v in cumulative):
        cum = [pub.raw(v) for v in cumulative]
        neg = [i for i, v in enumerate(cum) if v <= 0]
        first_pos = 0 if not neg else neg[-1] + 1
        cap = (
            ctx.t("years_caption", year=str(t.at[first_pos, "label"]))
            if first_pos < len(t)
            else ctx.t("years_caption_never", horizon=str(ctx.costs.scenario.horizon))
        )
    else:
        cap = ctx.t("years_caption_hidden", k=str(ctx.k))
    table = Table.build(
        "tbl-years",
        ctx.t("years_title"),
        t,
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


def _breakeven(ctx: Ctx, h: dict[str, Value]) -> Section:
    f, pub = ctx.fmt, ctx.pub
    bp = paths(ctx)
    idx = bp.set_index("path")
    ots = idx["break_even_v"].get("supervision_order", idx["break_even_v"].get("ots", ctx.c(np.nan)))
    plc = idx["break_even_v"].get("out_of_home_placement", ctx.c(np.nan))
    share = h["break_even_share"]
    paragraphs = []
    if pub.shown(share):
        key = "breakeven_intro" if pub.raw(share) <= 1 else "breakeven_impossible"
        paragraphs.append(
            ctx.t(key, share=f.percent(share), ots=f.number(ots, 0), placements=f.number(plc, 0))
        )
    sec = Section("breakeven", ctx.t("sec_breakeven"), paragraphs)
    sec.blocks.append(
        Table.build(
            "tbl-breakeven",
            ctx.t("tbl_breakeven"),
            bp,
            [
                Column("label_t", ctx.t("care_path")),
                Column("cost_per_case_v", ctx.t("cost_per_case"), "money"),
                Column("break_even_v", ctx.t("break_even_cases"), "number1"),
            ],
            f,
            k=ctx.k,
            sheet="break-even",
        )
    )
    return sec


def _uncertainty(ctx: Ctx, h: dict[str, Value]) -> Section:
    f, ev, pub = ctx.fmt, ctx.costs, ctx.pub
    sec = Section("uncertainty", ctx.t("sec_uncertainty"))
    gross = h["gross"]
    if ev.psa_draws is not None and pub.shown(gross):
        nb = pd.DataFrame(ev.psa_draws)["net_benefit"].to_numpy(dtype=float)
        fig = draw(
            ctx,
            figures.costs_psa_histogram,
            pd.DataFrame({"net_benefit": np.round(nb)}),
            lang=ctx.lang,
            title="",
        )
        cap = ctx.t("psa_caption", p=f.probability(h["p_saving"]), low=f.currency(h["net_low"]),
                    high=f.currency(h["net_high"]))  # fmt: skip
        q = pd.DataFrame(ev.psa).reset_index(drop=True)
        q = q[~q["quantity"].isin(["programme_cost", "benefit_cost_ratio"])].reset_index(drop=True)
        names = {"gross_avoided_cost": "gross_avoided", "net_benefit": "net_benefit"}
        q["label"] = [ctx.t(names.get(x, "value")) for x in q["quantity"]]
        for col in ("mean", "q025", "q500", "q975"):
            q[col] = [pub.derived(v, gross) for v in q[col]]
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
        sec.blocks.append(Chart("psa", ctx.t("psa_title", draws=f.integer(ctx.c(len(nb)))), cap, fig, table))
        spread = spread_chart(ctx)
        if spread is not None:
            sec.blocks.append(spread)
        acc = ev.acceptability
        if acc is not None and len(acc):
            acc = pd.DataFrame(acc)
            acc_v = acc.assign(
                deadweight=pub.consts(acc["deadweight"]),
                p_net_benefit_positive=[pub.derived(v, gross) for v in acc["p_net_benefit_positive"]],
            )
            fig = draw(
                ctx,
                figures.costs_acceptability,
                acc[["deadweight"]].assign(p_net_benefit_positive=acc["p_net_benefit_positive"].round(2)),
                lang=ctx.lang,
                title="",
            )
            above = acc[acc["p_net_benefit_positive"] >= 0.5]
            cap = (
                ctx.t("accept_caption", dw=f.percent(ctx.c(above["deadweight"].max())))
                if len(above)
                else ctx.t("accept_caption_never")
            )
            table = Table.build(
                "tbl-acceptability",
                ctx.t("accept_title"),
                acc_v,
                [
                    Column("deadweight", ctx.t("deadweight"), "share"),
                    Column("p_net_benefit_positive", ctx.t("p_saving"), "probability"),
                ],
                f,
                k=ctx.k,
                sheet="uncertainty",
            )
            sec.blocks.append(Chart("acceptability", ctx.t("accept_title"), cap, fig, table))
    sec.blocks.append(_tornado(ctx))
    return sec


def _tornado(ctx: Ctx) -> Chart:
    f, ev, pub = ctx.fmt, ctx.costs, ctx.pub
    tor = pd.DataFrame(ev.tornado).head(12).reset_index(drop=True)
    col = f"label_{ctx.lang}"  # the costs labels (en, nl); other languages: the figures' words
    tor["name"] = [
        str(x) if col in tor.columns and isinstance(x, str) and x else ctx.param(p)
        for p, x in zip(tor["parameter"], tor[col] if col in tor.columns else tor["parameter"], strict=True)
    ]
    rows = [
        _mixed_row(ctx, ("tornado", p), every_path=not str(p).startswith(_GLOBAL)) for p in tor["parameter"]
    ]
    t = tor[["parameter", "name"]].assign(
        low=pub.consts(tor["low"]),
        high=pub.consts(tor["high"]),
        net_low=[pub.on(r, v) for r, v in zip(rows, tor["net_low"], strict=True)],
        net_high=[pub.on(r, v) for r, v in zip(rows, tor["net_high"], strict=True)],
    )
    shown = [pub.shown(r) for r in rows]
    drawn = tor[["parameter", "low", "high"]].assign(
        net_low=[pub.number(v, "money") for v in t["net_low"]],
        net_high=[pub.number(v, "money") for v in t["net_high"]],
    )[shown]
    base = headline_values(ctx)["net"]
    fig = None
    if len(drawn) and pub.shown(base):
        fig = draw(ctx, figures.costs_tornado, drawn.reset_index(drop=True), base=pub.number(base, "money"), lang=ctx.lang,
                                    scenario=ev.scenario, instrument=ctx.instrument, title="")  # fmt: skip
    if len(tor) and shown[0]:
        cap = ctx.t("tornado_caption", param=str(tor.at[0, "name"]), low=f.currency(t.at[0, "net_low"]),
                    high=f.currency(t.at[0, "net_high"]))  # fmt: skip
    else:
        cap = ctx.t("tornado_caption_hidden", k=str(ctx.k))
    table = Table.build(
        "tbl-tornado",
        ctx.t("tornado_title"),
        t,
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
    return Chart("tornado", ctx.t("tornado_title"), cap, fig, table)


def _scenarios(ctx: Ctx) -> Section:
    f, pub = ctx.fmt, ctx.pub
    sec = Section("scenarios", ctx.t("sec_scenarios"), [ctx.t("scenarios_intro")])
    sc = pd.DataFrame(ctx.costs.scenarios).reset_index(drop=True)
    rows = [_mixed_row(ctx, ("scenario", s)) for s in sc["scenario"]]
    t = pd.DataFrame(
        {
            "label": [ctx.t(f"sc_{s}") if ctx.known(f"sc_{s}") else str(s) for s in sc["scenario"]],
            "programme_cost": pub.consts(sc["programme_cost"]),
            "gross_avoided_cost": [pub.on(r, v) for r, v in zip(rows, sc["gross_avoided_cost"], strict=True)],
            "net_benefit": [pub.on(r, v) for r, v in zip(rows, sc["net_benefit"], strict=True)],
            "benefit_cost_ratio": [pub.on(r, v) for r, v in zip(rows, sc["benefit_cost_ratio"], strict=True)],
        }
    )
    sec.blocks.append(
        Table.build(
            "tbl-scenarios",
            ctx.t("tbl_scenarios"),
            t,
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
