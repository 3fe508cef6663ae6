"""Annual report: reach (families, children, municipalities, households, years) and
participation and attrition (families per wave, how support ended, intake profiles)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from impactkit import figures, measures
from impactkit.report._context import Ctx
from impactkit.report._model import Chart, Column, KeyFigure, Section, Table
from impactkit.report._suppress import PUBLISHED, suppress_rows

__all__ = ["flow_section", "reach_section"]


# --------------------------------------------------------------------------------------- reach
def reach_section(ctx: Ctx) -> Section:
    sec = Section("reach", ctx.t("sec_reach"), [ctx.t("reach_intro")])
    fam = ctx.families
    if fam is None:
        a = ctx.dataset.assessments
        sec.key_figures.append(KeyFigure.of(ctx.fmt, a["family_id"].nunique(), "count", ctx.t("kf_families")))
        return sec
    by = [("municipality", "tbl_reach_municipality", True), ("household_type", "tbl_reach_household", False)]
    for col, caption, children in by:
        if col not in fam or fam[col].isna().all():
            continue
        g = fam.groupby(fam[col].astype(str), sort=True)
        names = [ctx.household(v) if col == "household_type" else v for v in g.size().index]
        t = pd.DataFrame(
            {col: names, "n": g.size().to_numpy(), "children": g["n_children"].sum().to_numpy(dtype=float)}
        )
        t = _with_total(ctx, t, col, {"n": t["n"].sum(), "children": t["children"].sum()})
        prot = _protect_with_total(t, ctx.k, keep=[col])
        cols = [Column(col, ctx.t(col)), Column("n", ctx.t("families"), "count")]
        if children:
            cols.append(Column("children", ctx.t("children"), "count"))
        sec.blocks.append(
            Table.build(
                f"tbl-reach-{col}", ctx.t(caption), t, cols, ctx.fmt, status=prot, k=ctx.k, sheet="reach"
            )
        )
    if "start_date" in fam:
        years = pd.to_datetime(fam["start_date"]).dt.year
        counts = years.value_counts().sort_index()
        t = pd.DataFrame({"year": counts.index.astype(str), "n": counts.to_numpy()})
        t = _with_total(ctx, t, "year", {"n": t["n"].sum()})
        prot = _protect_with_total(t, ctx.k, keep=["year"])
        sec.blocks.append(
            Table.build(
                "tbl-reach-year",
                ctx.t("tbl_reach_year"),
                t,
                [Column("year", ctx.t("year")), Column("n", ctx.t("families"), "count")],
                ctx.fmt,
                status=prot,
                k=ctx.k,
                sheet="reach",
            )
        )
    return sec


def _with_total(ctx: Ctx, t: pd.DataFrame, label_col: str, totals: dict[str, float]) -> pd.DataFrame:
    row: dict[str, Any] = {c: np.nan for c in t.columns}
    row.update(totals)
    row[label_col] = ctx.t("total")
    return pd.concat([t, pd.DataFrame([row])], ignore_index=True)


def _protect_with_total(t: pd.DataFrame, k: int, keep: list[str]) -> pd.DataFrame:
    """Status of a table of parts plus a last total row (the total is protected with the parts)."""
    parts = t.iloc[:-1]
    prot = suppress_rows(parts, n="n", k=k, keep=keep)
    status = prot.status.copy()
    total_status = prot.totals[0] if prot.totals else PUBLISHED
    tot = pd.DataFrame([{c: (total_status if c not in keep else PUBLISHED) for c in t.columns}])
    return pd.concat([status, tot], ignore_index=True)


# ---------------------------------------------------------------------------------------- flow
def flow_section(ctx: Ctx) -> Section:
    sec = Section("flow", ctx.t("sec_flow"))
    a = ctx.dataset.assessments
    att = measures.attrition(a, families=ctx.families)
    flow = att.flow[att.flow["group"] == "all"].reset_index(drop=True)
    flow["label"] = [ctx.wave(w) for w in flow["wave"]]
    st = suppress_rows(
        flow[["label", "n_families", "share_of_baseline"]],
        n="n_families",
        k=ctx.k,
        total=False,
        keep=["label"],
    ).status
    pub = flow["n_families"].where(st["n_families"] == PUBLISHED)
    f = ctx.fmt
    table = Table.build(
        "tbl-flow",
        ctx.t("flow_title"),
        flow,
        [
            Column("label", ctx.t("wave")),
            Column("n_families", ctx.t("families"), "count"),
            Column("share_of_baseline", ctx.t("flow_share"), "share"),
        ],
        f,
        status=st,
        k=ctx.k,
        sheet="flow",
    )
    fig = figures.attrition_flow(
        flow.assign(n_families=pub), lang=ctx.lang, instrument=ctx.instrument, k=ctx.k, title=""
    )
    n0, nl = flow["n_families"].iloc[0], flow["n_families"].iloc[-1]
    caption = ctx.t(
        "flow_caption",
        n0=f.integer(n0),
        n_last=f.integer(nl),
        share=f.percent(nl / n0),
        last=ctx.wave(flow["wave"].iloc[-1]),
    )
    sec.blocks.append(Chart("flow", ctx.t("flow_title"), caption, fig, table))
    fam = ctx.families
    if fam is not None and "end_reason" in fam:
        reasons = fam["end_reason"].astype("string").fillna("ongoing")
        order = ["completed", "dropped_out", "moved", "referred_on", "ongoing"]
        g = reasons.value_counts()
        t = pd.DataFrame(
            {
                "reason": [ctx.t(f"end_{r}") for r in order if r in g.index],
                "n": [int(g[r]) for r in order if r in g.index],
            }
        )
        t = _with_total(ctx, t, "reason", {"n": t["n"].sum()})
        prot = _protect_with_total(t, ctx.k, keep=["reason"])
        sec.blocks.append(
            Table.build(
                "tbl-end-reason",
                ctx.t("tbl_end_reason"),
                t,
                [Column("reason", ctx.t("end_reason")), Column("n", ctx.t("families"), "count")],
                f,
                status=prot,
                k=ctx.k,
                sheet="flow",
            )
        )
    prof = att.profile.copy()
    prof["label"] = [ctx.domain(d) for d in prof["domain"]]
    prof["n_min"] = prof[["n_completers", "n_noncompleters"]].min(axis=1)
    st = suppress_rows(prof, n="n_min", k=ctx.k, total=False, keep=["label", "domain"]).status
    sec.blocks.append(
        Table.build(
            "tbl-profile",
            ctx.t("tbl_profile"),
            prof,
            [
                Column("label", ctx.t("domain")),
                Column("n_completers", f"{ctx.t('completers')}: n", "count"),
                Column("mean_completers", f"{ctx.t('completers')}: {ctx.t('mean').lower()}", "number2"),
                Column("n_noncompleters", f"{ctx.t('noncompleters')}: n", "count"),
                Column("mean_noncompleters", f"{ctx.t('noncompleters')}: {ctx.t('mean').lower()}", "number2"),
                Column("smd", ctx.t("smd"), "signed2"),
                Column("welch_p", ctx.t("p"), "p"),
            ],
            f,
            status=st,
            k=ctx.k,
            notes=[ctx.t("profile_note")],
            sheet="flow",
        )
    )
    return sec
