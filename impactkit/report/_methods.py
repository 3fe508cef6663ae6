"""Annual report, appendix: the methods and every table behind the charts (describe, levels,
paired change, change per municipality, omnibus tests, mixed model, model of non-completion)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from impactkit import measures
from impactkit.report._context import Ctx, hide_small_parts
from impactkit.report._model import Column, Section, Table
from impactkit.report._reliable import MIN_PAIRS
from impactkit.report._suppress import PUBLISHED, suppress_rows

__all__ = ["methods_section"]


# ------------------------------------------------------------------------------------- methods
def methods_section(ctx: Ctx, ch: pd.DataFrame, desc: pd.DataFrame) -> Section:
    f, inst = ctx.fmt, ctx.instrument
    ok = ch[ch["status"] == "ok"]
    sec = Section("methods", ctx.t("sec_methods"), appendix=True)
    sec.paragraphs.append(
        ctx.t(
            "methods_intro",
            n_dom=f.integer(len(ch)),
            adjust=str(ok["adjust_method"].iloc[0] if len(ok) else "holm").capitalize(),
        )
    )
    if inst.omitted_domains or inst.omitted_waves:  # part of an instrument: say what was not used
        sec.paragraphs.append(
            ctx.t(
                "methods_partial",
                instrument=inst.name_nl if ctx.lang == "nl" else inst.name_en,
                n=f.integer(len(inst.domains)),
                total=f.integer(len(inst.domains) + len(inst.omitted_domains)),
                omitted=", ".join(
                    inst.omitted_label(x, ctx.lang) for x in (*inst.omitted_domains, *inst.omitted_waves)
                ),
            )
        )
    d = desc.copy()
    d["label"], d["wave_label"] = [ctx.domain(x) for x in d["domain"]], [ctx.wave(x) for x in d["wave"]]
    st = suppress_rows(d, n="n", k=ctx.k, total=False, keep=["label", "wave_label", "domain", "wave"]).status
    sec.blocks.append(
        Table.build(
            "tbl-describe",
            ctx.t("tbl_describe"),
            d,
            [
                Column("label", ctx.t("domain")),
                Column("wave_label", ctx.t("wave")),
                Column("n", ctx.t("n"), "count"),
                Column("mean", ctx.t("mean"), "number2"),
                Column("sd", ctx.t("sd"), "number2"),
                Column("median", ctx.t("median"), "number1"),
            ],
            f,
            status=st,
            k=ctx.k,
            sheet="methods",
        )
    )
    # distribution over levels as counts of families per level (row total n), protected per row
    lvl_cols = [c_ for c_ in d.columns if c_.startswith("share_level_")]
    if lvl_cols:
        counts = pd.DataFrame({c_: np.round(d[c_].fillna(0) * d["n"].fillna(0)) for c_ in lvl_cols})
        stl = hide_small_parts(counts, ctx.k)
        lv = pd.concat([d[["label", "wave_label"]], counts, d[["n"]]], axis=1)
        stl = pd.concat(
            [
                pd.DataFrame(PUBLISHED, index=d.index, columns=["label", "wave_label"]),
                stl,
                pd.DataFrame(PUBLISHED, index=d.index, columns=["n"]),
            ],
            axis=1,
        )
        stl.loc[d["n"].fillna(0) < ctx.k, [*lvl_cols, "n"]] = "primary"
        sec.blocks.append(
            Table.build(
                "tbl-levels",
                ctx.t("tbl_describe") + f" ({ctx.t('level').lower()})",
                lv,
                [Column("label", ctx.t("domain")), Column("wave_label", ctx.t("wave"))]
                + [Column(c_, ctx.level(int(c_.rsplit("_", 1)[1])), "count") for c_ in lvl_cols]
                + [Column("n", ctx.t("n"), "count")],
                f,
                status=stl,
                k=ctx.k,
                sheet="methods",
            )
        )
    c = ch.copy()
    c["label"] = [ctx.domain(x) for x in c["domain"]]
    # a described row's exact p sits in the change section's table, protected with its counts
    c.loc[c["status"].astype(str).str.startswith("descriptive"), "wilcoxon_p"] = np.nan
    c["status_text"] = [  # tested, or described below min_pairs complete pairs (issue 12 item 6)
        ctx.t("status_ok") if s_ == "ok" else ctx.t("status_descriptive", min=f.integer(MIN_PAIRS))
        for s_ in c["status"].astype(str)
    ]
    st = suppress_rows(c, n="n", k=ctx.k, total=False, keep=["label", "domain", "status_text"]).status
    base, fup = (ctx.wave(c["baseline"].iloc[0]), ctx.wave(c["followup"].iloc[0])) if len(c) else ("", "")
    sec.blocks.append(
        Table.build(
            "tbl-change",
            ctx.t("tbl_change", baseline=base, followup=fup),
            c,
            [
                Column("label", ctx.t("domain")),
                Column("n", ctx.t("n"), "count"),
                Column("mean_baseline", ctx.t("mean_baseline", wave=base), "number2"),
                Column("mean_followup", ctx.t("mean_baseline", wave=fup), "number2"),
                Column("mean_diff", ctx.t("mean_diff"), "signed2"),
                Column(("ci_low", "ci_high"), ctx.t("ci95"), "ci:number2"),
                Column("t", "t", "number2"),
                Column("df", ctx.t("df"), "count"),
                Column("p_value", ctx.t("p"), "p"),
                Column("p_adjusted", ctx.t("p_adjusted"), "p"),
                Column("wilcoxon_p", ctx.t("wilcoxon_p"), "p"),
                Column("cohen_dz", ctx.t("cohen_dz"), "number2"),
                Column("hedges_gav", ctx.t("hedges_gav"), "number2"),
                Column("status_text", ctx.t("status_col")),
            ],
            f,
            status=st,
            k=ctx.k,
            sheet="methods",
        )
    )
    if ctx.families is not None and ctx.families["municipality"].notna().any():
        sec.blocks.append(_by_municipality(ctx))
    om = measures.omnibus(ctx.dataset.assessments, degenerate="row")
    om["label"] = [ctx.domain(x) for x in om["domain"]]
    st = suppress_rows(om, n="n_complete", k=ctx.k, total=False, keep=["label", "domain"]).status
    sec.blocks.append(
        Table.build(
            "tbl-omnibus",
            ctx.t("tbl_omnibus"),
            om,
            [
                Column("label", ctx.t("domain")),
                Column("n_complete", ctx.t("n_complete"), "count"),
                Column("friedman_p", ctx.t("friedman_p"), "p"),
                Column("kendall_w", ctx.t("kendall_w"), "number2"),
                Column("anova_f", ctx.t("anova_f"), "number2"),
                Column("p_gg", ctx.t("p_gg"), "p"),
                Column("eta2_generalized", ctx.t("eta2_generalized"), "number3"),
            ],
            f,
            status=st,
            k=ctx.k,
            sheet="methods",
        )
    )
    mm = measures.mixed_model(ctx.dataset.assessments)
    mm = mm[mm["term"] != "intercept"].copy()
    mm["label"] = [ctx.domain(x) for x in mm["domain"]]
    mm["term_label"] = [ctx.wave(x) for x in mm["term"]]
    st = suppress_rows(
        mm, n="n_families", k=ctx.k, total=False, keep=["label", "domain", "term", "term_label"]
    ).status
    sec.blocks.append(
        Table.build(
            "tbl-mixed",
            ctx.t("tbl_mixed"),
            mm,
            [
                Column("label", ctx.t("domain")),
                Column("term_label", ctx.t("term")),
                Column("estimate", ctx.t("estimate"), "signed2"),
                Column(("ci_low", "ci_high"), ctx.t("ci95"), "ci:number2"),
                Column("se", ctx.t("se"), "number3"),
                Column("df", ctx.t("df"), "number1"),
                Column("p_value", ctx.t("p"), "p"),
                Column("icc", ctx.t("icc"), "number2"),
                Column("n_families", ctx.t("families"), "count"),
            ],
            f,
            status=st,
            k=ctx.k,
            sheet="methods",
        )
    )
    att = measures.attrition(ctx.dataset.assessments, families=ctx.families)
    if att.model is not None and len(att.model):
        m = att.model.copy()
        notes = []
        status = str(m["status"].iloc[0]) if "status" in m else "ok"
        if status != "ok":  # separated, not converged or not estimable: a status, never estimates
            m[["estimate", "se", "odds_ratio", "p_value"]] = float("nan")
            notes.append(ctx.t("attrition_model_status", reason=ctx.t(_model_reason(status))))
        m["label"] = [
            ctx.domain(x) if x in inst.domain_ids else ctx.t("intercept") if x == "intercept" else x
            for x in m["term"]
        ]
        sec.blocks.append(
            Table.build(
                "tbl-attrition-model",
                ctx.t("tbl_attrition_model"),
                m,
                [
                    Column("label", ctx.t("term")),
                    Column("estimate", ctx.t("estimate"), "signed2"),
                    Column("se", ctx.t("se"), "number3"),
                    Column("odds_ratio", ctx.t("odds_ratio"), "number2"),
                    Column("p_value", ctx.t("p"), "p"),
                ],
                f,
                k=ctx.k,
                notes=notes,
                sheet="methods",
            )
        )
    return sec


def _model_reason(status: str) -> str:
    """The catalogue key for why a logistic model has no estimates (from the measures' status)."""
    s = status.lower()
    if "separation" in s or "overflow" in s:
        return "model_separated"
    if "not estimable" in s:
        return "model_not_estimable"
    return "model_not_converged"


def _by_municipality(ctx: Ctx) -> Table:
    """Paired change per municipality and domain: subgroup rows, suppressed per domain against the
    published overall n (a municipality under k families takes a second one with it)."""
    f, inst = ctx.fmt, ctx.instrument
    c = measures.change(ctx.dataset.assessments, by="municipality", families=ctx.families, min_n=1)
    c = c.copy()
    c["municipality"] = c["municipality"].astype(str)
    c["n"] = c["n"].fillna(0)
    c["label"] = [ctx.domain(x) for x in c["domain"]]
    c = c.sort_values(
        ["domain", "municipality"],
        key=lambda s: s.map({d: i for i, d in enumerate(inst.domain_ids)}) if s.name == "domain" else s,
    ).reset_index(drop=True)
    st = suppress_rows(c, n="n", k=ctx.k, by="domain", keep=["label", "municipality", "domain"]).status
    base, fup = ctx.wave(inst.wave_ids[0]), ctx.wave(inst.wave_ids[-1])
    return Table.build(
        "tbl-change-municipality",
        ctx.t("tbl_change_by", by=ctx.t("municipality").lower(), baseline=base, followup=fup),
        c,
        [
            Column("label", ctx.t("domain")),
            Column("municipality", ctx.t("municipality")),
            Column("n", ctx.t("n"), "count"),
            Column("mean_diff", ctx.t("mean_diff"), "signed2"),
            Column(("ci_low", "ci_high"), ctx.t("ci95"), "ci:number2"),
            Column("p_adjusted", ctx.t("p_adjusted"), "p"),
        ],
        f,
        status=st,
        k=ctx.k,
        sheet="methods",
    )
