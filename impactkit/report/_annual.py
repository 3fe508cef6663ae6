"""The annual impact report: its sections in order, the summary and the cover.

Every table passes small-cell suppression before it is formatted, and every chart is drawn from
the suppressed table (never from family-level rows).  The sections live in ``_reach`` (reach,
participation and attrition), ``_change`` (change, transitions, reliable change), ``_costs`` and
``_methods`` (the appendix).
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from impactkit import measures
from impactkit.report._change import change_section, reliable_section, transitions_section
from impactkit.report._context import Ctx, assumptions_section, design_section
from impactkit.report._costs import cost_summary_blocks, spread_chart
from impactkit.report._methods import methods_section
from impactkit.report._model import KeyFigure, Section
from impactkit.report._outcomes import outcomes_sections
from impactkit.report._reach import flow_section, reach_section
from impactkit.report._reliable import MIN_PAIRS

__all__ = ["annual_sections"]


def annual_sections(ctx: Ctx) -> tuple[list[Section], dict[str, Any]]:
    """The sections of the annual report and the strings of its cover."""
    a = ctx.dataset.assessments
    inst = ctx.instrument
    first, last = inst.wave_ids[0], inst.wave_ids[-1]
    ch = measures.change(a, baseline=first, followup=last)
    desc = measures.describe(a)
    summary = Section("summary", ctx.t("sec_summary"))
    sections = [
        summary,
        reach_section(ctx),
        flow_section(ctx),
        change_section(ctx, ch, desc),
        transitions_section(ctx, ch),
        reliable_section(ctx, summary),
        _costs(ctx),
        *outcomes_sections(ctx),
        assumptions_section(ctx),
        design_section(ctx),
        methods_section(ctx, ch, desc),
    ]
    _summary(ctx, summary, ch)
    fam = ctx.families if ctx.families is not None else pd.DataFrame({"family_id": a["family_id"].unique()})
    starts = pd.to_datetime(fam["start_date"]) if "start_date" in fam else pd.Series(dtype="datetime64[ns]")
    programmes = sorted(fam["programme"].dropna().astype(str).unique()) if "programme" in fam else []
    cover: dict[str, Any] = {
        "kicker": ctx.t("annual_kicker"),
        "title": ctx.t("annual_title", n=ctx.fmt.integer(a["family_id"].nunique())),
        "subtitle_parts": {
            "programmes": ", ".join(programmes) or inst.name_en,
            "municipalities": ctx.fmt.integer(fam["municipality"].nunique())
            if "municipality" in fam
            else "–",
            "start": ctx.fmt.date(starts.min()) if len(starts) else "–",
            "end": ctx.fmt.date(starts.max()) if len(starts) else "–",
        },
    }
    return sections, cover


# ------------------------------------------------------------------------------------- summary
def _summary(ctx: Ctx, sec: Section, ch: pd.DataFrame) -> None:
    a = ctx.dataset.assessments
    fam = ctx.families
    f = ctx.fmt
    kfs = [KeyFigure.of(f, a["family_id"].nunique(), "count", ctx.t("kf_families"))]
    if fam is not None and fam["n_children"].notna().any():
        kfs.append(KeyFigure.of(f, fam["n_children"].sum(), "count", ctx.t("kf_children")))
    if fam is not None and fam["municipality"].notna().any():
        kfs.append(KeyFigure.of(f, fam["municipality"].nunique(), "count", ctx.t("kf_municipalities")))
    if fam is not None and "n_volunteers" in fam and fam["n_volunteers"].notna().any():
        kfs.append(KeyFigure.of(f, fam["n_volunteers"].sum(), "count", ctx.t("kf_volunteers")))
    if fam is not None and "start_date" in fam and fam["start_date"].notna().any():
        kfs.append(
            KeyFigure.of(f, pd.to_datetime(fam["start_date"]).dt.year.nunique(), "count", ctx.t("kf_years"))
        )
    sec.key_figures = kfs + sec.key_figures
    h, psa = ctx.costs.headline, ctx.costs.psa
    ok = ch[ch["status"] == "ok"]
    if len(ok):
        gain = ok["mean_diff"] * ok["domain"].map(ctx.direction)  # improvement, whichever way is better
        best = ok.iloc[int(gain.to_numpy().argmax())]
        sec.paragraphs.append(
            ctx.t(
                "summary_change",
                baseline=ctx.wave(best["baseline"]),
                followup=ctx.wave(best["followup"]),
                best=ctx.domain(best["domain"]),
                diff=f.number(best["mean_diff"] * ctx.direction(best["domain"]), 2),
                lo=f.integer(ctx.instrument.scale.min),
                hi=f.integer(ctx.instrument.scale.max),
                ci=f.ci(best["ci_low"], best["ci_high"]),
                n_sig=f.integer(int(((ok["p_adjusted"] < 0.05) & (gain > 0)).sum())),
                n_dom=f.integer(len(ok)),
                adjust=str(ok["adjust_method"].iloc[0]).capitalize(),
            )
        )
    elif len(ch) and ch["status"].astype(str).str.startswith("descriptive").any():
        # no domain has min_pairs complete pairs: the report describes, it claims nothing (12.6)
        sec.paragraphs.append(
            ctx.t(
                "summary_descriptive",
                min=f.integer(MIN_PAIRS),
                baseline=ctx.wave(ch["baseline"].iloc[0]),
                followup=ctx.wave(ch["followup"].iloc[0]),
            )
        )
    if psa is not None:
        bcr = psa.set_index("quantity").loc["benefit_cost_ratio"]
        sec.key_figures.append(
            KeyFigure.of(
                f,
                h["benefit_cost_ratio"],
                "number2",
                ctx.t("kf_bcr"),
                ctx.t("kf_interval", low=f.number(bcr["q025"], 2), high=f.number(bcr["q975"], 2)),
            )
        )
        sec.key_figures.append(
            KeyFigure.of(f, h["p_net_benefit_positive"], "probability", ctx.t("kf_psaving"))
        )
        sec.paragraphs.append(
            ctx.t(
                "summary_costs",
                bcr=f.number(h["benefit_cost_ratio"], 2),
                low=f.number(bcr["q025"], 2),
                high=f.number(bcr["q975"], 2),
                p=f.probability(h["p_net_benefit_positive"]),
            )
        )
        if h["benefit_cost_ratio"] < 1:
            sec.paragraphs.append(ctx.t("summary_costs_below"))
    sec.paragraphs.append(ctx.t("summary_caveat"))


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
                draws=ctx.fmt.integer(ev.meta["draws"]),
                seed=str(ev.meta["seed"]),
            )
        ],
    )
    sec.blocks += cost_summary_blocks(ctx)
    spread = spread_chart(ctx)
    if spread is not None:
        sec.blocks.append(spread)
    return sec
