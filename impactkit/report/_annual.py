"""The annual impact report: its sections in order, the summary and the cover.

Every number is a published value of the release (:mod:`impactkit.report._publish`); every chart
is drawn from the values as published.  The sections live in ``_reach`` (reach, participation and
attrition), ``_change`` (change, transitions, reliable change), ``_costs`` and ``_methods`` (the
appendix).
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from impactkit import measures
from impactkit.report._captions import best_of
from impactkit.report._change import change_section, reliable_section, transitions_section
from impactkit.report._context import Ctx, assumptions_section, design_section
from impactkit.report._costs import cost_summary_blocks, headline_values, spread_chart
from impactkit.report._measured import change_values, describe_values
from impactkit.report._methods import methods_section
from impactkit.report._model import KeyFigure, Section
from impactkit.report._outcomes import outcomes_sections
from impactkit.report._reach import families_value, flow_section, reach_section
from impactkit.report._reliable import MIN_PAIRS

__all__ = ["annual_sections"]


def annual_sections(ctx: Ctx) -> tuple[list[Section], dict[str, Any]]:
    """The sections of the annual report and the strings of its cover."""
    a = ctx.dataset.assessments
    inst = ctx.instrument
    first, last = inst.wave_ids[0], inst.wave_ids[-1]
    ch = ctx.cached("change", lambda: measures.change(a, baseline=first, followup=last))
    desc = ctx.cached("describe", lambda: measures.describe(a))
    cv = change_values(ctx, ch, parts=ctx.detail)
    dv = describe_values(ctx, desc)
    summary = Section("summary", ctx.t("sec_summary"))
    sections = [
        summary,
        reach_section(ctx),
        flow_section(ctx),
        change_section(ctx, cv, dv),
        *([transitions_section(ctx, cv), reliable_section(ctx, summary)] if ctx.detail else []),
        _costs(ctx),
        *outcomes_sections(ctx),
        assumptions_section(ctx),
        design_section(ctx),
        methods_section(ctx, cv, dv),
    ]
    if not ctx.detail:
        summary.paragraphs.append(ctx.t("detail_elsewhere"))
    _summary(ctx, summary, cv)
    fam = ctx.families if ctx.families is not None else pd.DataFrame({"family_id": a["family_id"].unique()})
    starts = pd.to_datetime(fam["start_date"]) if "start_date" in fam else pd.Series(dtype="datetime64[ns]")
    programmes = sorted(fam["programme"].dropna().astype(str).unique()) if "programme" in fam else []
    everyone = ctx.everyone
    cover: dict[str, Any] = {
        "kicker": ctx.t("annual_kicker"),
        "title": ctx.t("annual_title", n=ctx.fmt.integer(everyone)),
        "subtitle_parts": {
            "programmes": ", ".join(programmes) or inst.name_en,
            "municipalities": ctx.fmt.integer(ctx.c(fam["municipality"].nunique()))
            if "municipality" in fam
            else "–",
            # intake dates at month level only (a day could point at one family)
            "start": ctx.fmt.date(starts.min()) if len(starts) else "–",
            "end": ctx.fmt.date(starts.max()) if len(starts) else "–",
        },
    }
    places = sorted(fam["municipality"].dropna().astype(str).unique()) if "municipality" in fam else []
    if len(places) == 1:  # one municipality's report: its name, not "1 municipalities"
        cover["subtitle_key"] = "subtitle_one"
        cover["subtitle_parts"]["municipalities"] = places[0]
    return sections, cover


# ------------------------------------------------------------------------------------- summary
def _summary(ctx: Ctx, sec: Section, cv: pd.DataFrame) -> None:
    fam = ctx.families
    f, pub = ctx.fmt, ctx.pub
    kfs = [KeyFigure.of(f, ctx.everyone, "count", ctx.t("kf_families"), id="families")]
    if fam is not None:
        table = families_value(ctx)
        for col, stat, key in (
            ("n_children", "children", "kf_children"),
            ("n_volunteers", "volunteers", "kf_volunteers"),
        ):
            if col in fam and fam[col].notna().all() and pub.ledger.has_statistic(stat):
                kfs.append(
                    KeyFigure.of(f, pub.on(table, fam[col].sum(), [stat]), "count", ctx.t(key), id=stat)
                )
            if col == "n_children" and "municipality" in fam and fam["municipality"].notna().any():
                kfs.append(
                    KeyFigure.of(
                        f,
                        ctx.c(fam["municipality"].nunique()),
                        "count",
                        ctx.t("kf_municipalities"),
                        id="municipalities",
                    )
                )
        if "start_date" in fam and fam["start_date"].notna().any():
            years = pd.to_datetime(fam["start_date"]).dt.year.nunique()
            kfs.append(KeyFigure.of(f, ctx.c(years), "count", ctx.t("kf_years"), id="years"))
    sec.key_figures = kfs + sec.key_figures
    ok = cv[cv["status"] == "ok"] if len(cv) else cv
    if len(ok):
        best = best_of(
            pub, [(g, v, i) for i, (g, v) in enumerate(zip(ok["gain"], ok["mean_diff"], strict=True))]
        )
        shown = ok[[pub.shown(v) for v in ok["mean_diff"]]]
        if best is not None and best[1]:
            row = ok.iloc[int(best[0])]
            sig = [
                pub.raw(p) < 0.05 and g > 0 for p, g in zip(shown["p_adjusted"], shown["gain"], strict=True)
            ]
            sec.paragraphs.append(
                ctx.t(
                    "summary_change",
                    baseline=ctx.wave(row["baseline"]),
                    followup=ctx.wave(row["followup"]),
                    best=ctx.domain(row["domain"]),
                    diff=f.number(row["mean_diff"] * ctx.direction(row["domain"]), 2),
                    lo=f.integer(ctx.c(ctx.instrument.scale.min)),
                    hi=f.integer(ctx.c(ctx.instrument.scale.max)),
                    ci=_ci(ctx, row),
                    n_sig=f.integer(ctx.c(sum(sig))),
                    n_dom=f.integer(ctx.c(len(shown))),
                    adjust=str(row["adjust_method"]).capitalize(),
                )
                + (
                    " "
                    + ctx.t(
                        "summary_change_some_hidden",
                        n_hidden=str(len(ok) - len(shown)),
                        n_all=str(len(ok)),
                        k=str(ctx.k),
                    )
                    if len(shown) < len(ok)
                    else ""
                )
            )
        elif best is not None:
            sec.paragraphs.append(ctx.t("summary_change_hidden", k=str(ctx.k)))
    elif len(cv) and cv["status"].astype(str).str.startswith("descriptive").any():
        # no domain has min_pairs complete pairs: the report describes, it claims nothing (12.6)
        sec.paragraphs.append(
            ctx.t(
                "summary_descriptive",
                min=str(MIN_PAIRS),
                baseline=ctx.wave(cv["baseline"].iloc[0]),
                followup=ctx.wave(cv["followup"].iloc[0]),
            )
        )
    h = headline_values(ctx)
    if ctx.costs.psa is not None:
        sec.key_figures.append(
            KeyFigure.of(
                f, h["bcr"], "number2", ctx.t("kf_bcr"),
                ctx.t("kf_interval", low=f.number(h["bcr_low"], 2), high=f.number(h["bcr_high"], 2)), id="bcr",
            )
        )  # fmt: skip
        sec.key_figures.append(
            KeyFigure.of(f, h["p_saving"], "probability", ctx.t("kf_psaving"), id="p_saving")
        )
        if pub.shown(h["bcr"]):
            sec.paragraphs.append(
                ctx.t(
                    "summary_costs",
                    bcr=f.number(h["bcr"], 2),
                    low=f.number(h["bcr_low"], 2),
                    high=f.number(h["bcr_high"], 2),
                    p=f.probability(h["p_saving"]),
                )
            )
            if pub.raw(h["bcr"]) < 1:
                sec.paragraphs.append(ctx.t("summary_costs_below"))
    sec.paragraphs.append(ctx.t("summary_caveat"))


def _ci(ctx: Ctx, row: pd.Series) -> str:
    d = ctx.direction(row["domain"])
    lo, hi = (row["ci_low"], row["ci_high"]) if d > 0 else (-row["ci_high"], -row["ci_low"])
    return ctx.fmt.ci(lo, hi)


# --------------------------------------------------------------------------------------- costs
def _costs(ctx: Ctx) -> Section:
    ev = ctx.costs
    sec = Section(
        "costs",
        ctx.t("sec_costs"),
        [
            ctx.t(
                "costs_intro",
                year=str(ev.scenario.report_year),
                draws=ctx.fmt.integer(ctx.c(ev.meta["draws"])),
                seed=str(ev.meta["seed"]),
            )
        ],
    )
    sec.blocks += cost_summary_blocks(ctx)
    spread = spread_chart(ctx)
    if spread is not None:
        sec.blocks.append(spread)
    return sec
