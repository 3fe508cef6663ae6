"""Annual report: reach (families, children, municipalities, households, years) and
participation and attrition (families per wave, how support ended, intake profiles).

Breakdowns by municipality and programme use the release's groups: a municipality with no report
of its own (fewer than k families, or withheld to protect the remainder) is counted in "other
municipalities" in every report of the release."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from impactkit import figures, measures
from impactkit.report._captions import say
from impactkit.report._cohort import score_stat
from impactkit.report._context import Ctx, draw
from impactkit.report._measured import CORE
from impactkit.report._model import Chart, Column, Section, Table
from impactkit.report._publish import Value

__all__ = ["families_value", "flow_section", "reach_section"]


def families_value(ctx: Ctx) -> Value:
    """The families table of the report (children and volunteers are summed over it)."""
    fam = ctx.families
    ids = fam["family_id"].astype(str) if fam is not None else pd.Series(ctx.cohort.assessed())
    stats = []
    for stat, col in (("children", "n_children"), ("volunteers", "n_volunteers")):
        if fam is not None and col in fam and fam[col].notna().all() and ctx.pub.ledger.has_statistic(stat):
            stats.append(stat)
    return ctx.pub.count(("reach", "families"), ids, stats=stats, cost=1e5, label=f"{ctx.pub.scope}: families table",
                         measured=True)  # fmt: skip


# --------------------------------------------------------------------------------------- reach
def reach_section(ctx: Ctx) -> Section:
    sec = Section("reach", ctx.t("sec_reach"), [ctx.t("reach_intro")])
    fam = ctx.families
    if fam is None:
        return sec
    pub = ctx.pub
    total = families_value(ctx)
    children_ok = (
        "n_children" in fam and fam["n_children"].notna().all() and pub.ledger.has_statistic("children")
    )
    by = [("municipality", "tbl_reach_municipality", True)]
    if ctx.detail:
        by.append(("household_type", "tbl_reach_household", False))
    for col, caption, with_children in by:
        if col not in fam or fam[col].isna().all():
            continue
        keys = fam[col].astype("string").fillna("")
        if col in ("municipality", "programme"):
            keys = keys.map(lambda v, c=col: ctx.group(c, v))
        rows = []
        for value in sorted(keys.unique(), key=lambda v: (v == "other", v)):
            mask = (keys == value).to_numpy(bool)
            ids = fam.loc[mask, "family_id"].astype(str)
            name = ctx.group_label(col, value) if col == "municipality" else ctx.household(value)
            n = pub.count(("reach", col, value), ids, dim=col, stats=["children"] if children_ok else (),
                          label=f"{pub.scope}: {col} {value}", cost=5.0)  # fmt: skip
            rows.append(_row(ctx, col, name, n, bool(children_ok), mask))
        rows.append(_row(ctx, col, ctx.t("total"), total, bool(children_ok), None))
        t = pd.DataFrame(rows)
        cols = [Column(col, ctx.t(col)), Column("n", ctx.t("families"), "count")]
        if with_children and children_ok:
            cols.append(Column("children", ctx.t("children"), "count"))
        sec.blocks.append(
            Table.build(f"tbl-reach-{col}", ctx.t(caption), t, cols, ctx.fmt, k=ctx.k, sheet="reach")
        )
    if "start_date" in fam and ctx.detail:
        years = pd.to_datetime(fam["start_date"]).dt.year
        rows = []
        for y in sorted(years.dropna().unique()):
            ids = fam.loc[years == y, "family_id"].astype(str)
            rows.append(
                {"year": str(int(y)), "n": pub.count(("reach", "year", int(y)), ids, dim="start_year")}
            )
        rows.append({"year": ctx.t("total"), "n": total})
        sec.blocks.append(
            Table.build(
                "tbl-reach-year",
                ctx.t("tbl_reach_year"),
                pd.DataFrame(rows),
                [Column("year", ctx.t("year")), Column("n", ctx.t("families"), "count")],
                ctx.fmt,
                k=ctx.k,
                sheet="reach",
            )
        )
    return sec


def _row(ctx: Ctx, col: str, name: str, n: Value, children: bool, mask: np.ndarray | None) -> dict[str, Any]:
    """A reach row; ``mask`` selects the row's families in the families table (None: all of them).
    A family id is unique in the families table, so the mask is the row's families exactly (no
    per-row lookup of their ids: at 100,000 families an ``isin`` per row was 6% of the report)."""
    row: dict[str, Any] = {col: name, "n": n}
    if children:
        fam = ctx.family_table()
        total = pd.to_numeric(fam["n_children"] if mask is None else fam.loc[mask, "n_children"]).sum()
        row["children"] = ctx.pub.on(n, total, ["children"])
    return row


# ---------------------------------------------------------------------------------------- flow
def flow_section(ctx: Ctx) -> Section:
    sec = Section("flow", ctx.t("sec_flow"))
    pub, f, co = ctx.pub, ctx.fmt, ctx.cohort
    a = ctx.dataset.assessments
    att = ctx.cached("attrition", lambda: measures.attrition(a, families=ctx.families))
    flow = att.flow[att.flow["group"] == "all"].reset_index(drop=True)
    waves = [str(w) for w in flow["wave"]]
    n = [pub.count(("flow", w), co.observed(w), label=f"{pub.scope}: observed at {w}", measured=True, cost=CORE)
         for w in waves]  # fmt: skip
    t = pd.DataFrame({"wave": waves, "label": [ctx.wave(w) for w in waves], "n_families": n})
    t["share_of_baseline"] = [v / n[0] for v in n]
    table = Table.build(
        "tbl-flow",
        ctx.t("flow_title"),
        t,
        [
            Column("label", ctx.t("wave")),
            Column("n_families", ctx.t("families"), "count"),
            Column("share_of_baseline", ctx.t("flow_share"), "share"),
        ],
        f,
        k=ctx.k,
        sheet="flow",
    )
    fig = draw(ctx, figures.attrition_flow, t[["wave"]].assign(n_families=pub.numbers(n, "count")), lang=ctx.lang, instrument=ctx.instrument, k=ctx.k,
        title="",
    )  # fmt: skip
    cap = ""
    if pub.shown(n[0]):
        cap = say(ctx.t, pub, "flow_caption", [n[-1]], n0=f.integer(n[0]), n_last=f.integer(n[-1]),
                  share=f.percent(t["share_of_baseline"].iloc[-1]), last=ctx.wave(waves[-1]), k=str(ctx.k))  # fmt: skip
    sec.blocks.append(Chart("flow", ctx.t("flow_title"), cap, fig, table))
    fam = ctx.families
    if fam is not None and "end_reason" in fam and ctx.detail:
        reasons = fam["end_reason"].astype("string").fillna("ongoing")
        order = ["completed", "dropped_out", "moved", "referred_on", "ongoing"]
        rows = [
            {"reason": ctx.t(f"end_{r}"),
             "n": pub.count(("end_reason", r), fam.loc[reasons == r, "family_id"].astype(str), dim="end_reason")}
            for r in order if (reasons == r).any()
        ]  # fmt: skip
        rows.append({"reason": ctx.t("total"), "n": families_value(ctx)})
        sec.blocks.append(
            Table.build(
                "tbl-end-reason",
                ctx.t("tbl_end_reason"),
                pd.DataFrame(rows),
                [Column("reason", ctx.t("end_reason")), Column("n", ctx.t("families"), "count")],
                f,
                k=ctx.k,
                sheet="flow",
            )
        )
    if ctx.detail:
        sec.blocks.append(_profile(ctx, att))
    return sec


def _profile(ctx: Ctx, att: Any) -> Table:
    """Intake means of completers and non-completers per domain (the families ``attrition`` keeps:
    observed at intake and not still ongoing)."""
    pub, f, co = ctx.pub, ctx.fmt, ctx.cohort
    inst = ctx.instrument
    first, last = inst.wave_ids[0], inst.wave_ids[-1]
    intake_obs = set(co.observed(first))
    completer = set(co.observed(last))
    fam = ctx.families
    ongoing: set[str] = set()
    if fam is not None and "end_reason" in fam:
        ongoing = set(fam.loc[fam["end_reason"].isna(), "family_id"].astype(str)) - completer
    keep = intake_obs - ongoing
    rows = []
    for r in att.profile.itertuples(index=False):
        d = str(r.domain)
        measured = set(co.measured(d, first)) & keep
        comp = sorted(measured & completer)
        non = sorted(measured - completer)
        if (len(comp), len(non)) != (int(r.n_completers), int(r.n_noncompleters)):
            raise RuntimeError(
                f"report: the intake profile of {d} counts other families than attrition (a bug)"
            )
        nc = pub.count(("profile", d, "completers"), comp, dim=f"completer:{d}")
        nn = pub.count(("profile", d, "noncompleters"), non, dim=f"completer:{d}")
        s = [score_stat(d, first)]
        rows.append(
            {
                "label": ctx.domain(d),
                "n_completers": nc,
                "mean_completers": pub.on(nc, r.mean_completers, s),
                "n_noncompleters": nn,
                "mean_noncompleters": pub.on(nn, r.mean_noncompleters, s),
                "smd": pub.derived(r.smd, nc, nn),
                "welch_p": pub.derived(r.welch_p, nc, nn),
            }
        )
    prof = pd.DataFrame(rows)
    return Table.build(
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
        k=ctx.k,
        notes=[ctx.t("profile_note")],
        sheet="flow",
    )
