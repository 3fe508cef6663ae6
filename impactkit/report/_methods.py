"""Annual report, appendix: the methods and every table behind the charts (describe, levels,
paired change, change per municipality, omnibus tests, mixed model, model of non-completion).

Model rows rest on the families observed at their wave (a wave estimate on 9 families is
suppressed even when the model holds 300), the model of non-completion on its whole population.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from impactkit import measures
from impactkit.privacy._disclosure import FamilyIds
from impactkit.report._cohort import score_stat
from impactkit.report._context import Ctx
from impactkit.report._measured import change_values
from impactkit.report._model import Column, Section, Table
from impactkit.report._reliable import MIN_PAIRS

__all__ = ["methods_section"]


def methods_section(ctx: Ctx, cv: pd.DataFrame, dv: pd.DataFrame) -> Section:
    f, inst, pub = ctx.fmt, ctx.instrument, ctx.pub
    sec = Section("methods", ctx.t("sec_methods"), appendix=True)
    ok = cv[cv["status"] == "ok"] if len(cv) else cv
    sec.paragraphs.append(
        ctx.t(
            "methods_intro",
            n_dom=f.integer(ctx.c(len(cv))),
            adjust=str(ok["adjust_method"].iloc[0] if len(ok) else "holm").capitalize(),
        )
    )
    if inst.omitted_domains or inst.omitted_waves:  # part of an instrument: say what was not used
        sec.paragraphs.append(
            ctx.t(
                "methods_partial",
                instrument=inst.name_nl if ctx.lang == "nl" else inst.name_en,
                n=f.integer(ctx.c(len(inst.domains))),
                total=f.integer(ctx.c(len(inst.domains) + len(inst.omitted_domains))),
                omitted=", ".join(
                    inst.omitted_label(x, ctx.lang) for x in (*inst.omitted_domains, *inst.omitted_waves)
                ),
            )
        )
    sec.blocks.append(
        Table.build(
            "tbl-describe",
            ctx.t("tbl_describe"),
            dv,
            [
                Column("label", ctx.t("domain")),
                Column("wave_label", ctx.t("wave")),
                Column("n", ctx.t("n"), "count"),
                Column("mean", ctx.t("mean"), "number2"),
                Column("sd", ctx.t("sd"), "number2"),
                Column("median", ctx.t("median"), "number1"),
            ],
            f,
            k=ctx.k,
            sheet="methods",
        )
    )
    cv = cv.copy()
    if len(cv):
        # a described row's exact p sits in the change section's table, with its counts
        described = cv["status"].astype(str).str.startswith("descriptive")
        cv["wilcoxon_p"] = [
            pub.const(np.nan) if d_ else p_ for d_, p_ in zip(described, cv["wilcoxon_p"], strict=True)
        ]
        cv["status_text"] = [  # tested, or described below min_pairs complete pairs (issue 12 item 6)
            ctx.t("status_ok") if s_ == "ok" else ctx.t("status_descriptive", min=str(MIN_PAIRS))
            for s_ in cv["status"].astype(str)
        ]
    base, fup = (ctx.wave(cv["baseline"].iloc[0]), ctx.wave(cv["followup"].iloc[0])) if len(cv) else ("", "")
    sec.blocks.append(
        Table.build(
            "tbl-change",
            ctx.t("tbl_change", baseline=base, followup=fup),
            cv,
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
            k=ctx.k,
            sheet="methods",
        )
    )
    if (
        ctx.detail
        and ctx.families is not None
        and "municipality" in ctx.families
        and ctx.families["municipality"].notna().any()
    ):
        sec.blocks.append(_by_municipality(ctx))
    a = ctx.dataset.assessments
    om = ctx.cached("omnibus", lambda: measures.omnibus(a, degenerate="row"))
    rows = []
    for r in om.itertuples(index=False):
        d = str(r.domain)
        n = pub.count(
            ("omnibus", d), ctx.cohort.complete(d), label=f"{pub.scope}: complete on {d}", measured=True
        )
        row = {"label": ctx.domain(d), "n_complete": n}
        for col in ("friedman_p", "kendall_w", "anova_f", "p_gg", "eta2_generalized"):
            row[col] = pub.on(n, getattr(r, col), [score_stat(d, w) for w in inst.wave_ids])
        rows.append(row)
    sec.blocks.append(
        Table.build(
            "tbl-omnibus",
            ctx.t("tbl_omnibus"),
            pd.DataFrame(rows),
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
            k=ctx.k,
            sheet="methods",
        )
    )
    sec.blocks.append(_mixed(ctx))
    att = ctx.cached("attrition", lambda: measures.attrition(a, families=ctx.families))
    if att.model is not None and len(att.model):
        sec.blocks.append(_attrition_model(ctx, att))
    return sec


def _mixed(ctx: Ctx) -> Table:
    """Mixed-model wave effects; each row rests on the families observed on its domain at its
    wave and on the model's families (the reference wave's)."""
    f, pub, inst = ctx.fmt, ctx.pub, ctx.instrument
    mm = ctx.cached("mixed_model", lambda: measures.mixed_model(ctx.dataset.assessments))
    mm = mm[mm["term"] != "intercept"]
    rows = []
    for r in mm.itertuples(index=False):
        d, w = str(r.domain), str(r.term)
        if w in inst.wave_ids:
            n_wave = pub.count(("describe", d, w), ctx.cohort.measured(d, w), measured=True)
            ref = pub.count(
                ("describe", d, str(r.reference)), ctx.cohort.measured(d, str(r.reference)), measured=True
            )
            on = [n_wave, ref]
        else:  # a covariate term: rests on the model's families
            on = [pub.count(("mixed", d, "families"), ctx.cohort.assessed())]
        row = {"label": ctx.domain(d), "term_label": ctx.wave(w) if w in inst.wave_ids else w}
        for col in ("estimate", "ci_low", "ci_high", "se", "df", "p_value", "icc"):
            row[col] = pub.derived(getattr(r, col), *on)
        row["n_families"] = on[0]
        rows.append(row)
    return Table.build(
        "tbl-mixed",
        ctx.t("tbl_mixed"),
        pd.DataFrame(rows),
        [
            Column("label", ctx.t("domain")),
            Column("term_label", ctx.t("term")),
            Column("estimate", ctx.t("estimate"), "signed2"),
            Column(("ci_low", "ci_high"), ctx.t("ci95"), "ci:number2"),
            Column("se", ctx.t("se"), "number3"),
            Column("df", ctx.t("df"), "number1"),
            Column("p_value", ctx.t("p"), "p"),
            Column("icc", ctx.t("icc"), "number2"),
            Column("n_families", ctx.t("families_at_wave"), "count"),
        ],
        f,
        k=ctx.k,
        sheet="methods",
    )


def _attrition_model(ctx: Ctx, att: measures.Attrition) -> Table:
    f, pub, inst = ctx.fmt, ctx.pub, ctx.instrument
    m = att.model.copy()
    notes = []
    status = str(m["status"].iloc[0]) if "status" in m else "ok"
    if status != "ok":  # separated, not converged or not estimable: a status, never estimates
        m[["estimate", "se", "odds_ratio", "p_value"]] = float("nan")
        notes.append(ctx.t("attrition_model_status", reason=ctx.t(_model_reason(status))))
    first = inst.wave_ids[0]
    on = pub.count(("flow", first), ctx.cohort.observed(first), measured=True)
    rows = []
    for r in m.itertuples(index=False):
        x = str(r.term)
        label = ctx.domain(x) if x in inst.domain_ids else ctx.t("intercept") if x == "intercept" else x
        row = {"label": label}
        for col in ("estimate", "se", "odds_ratio", "p_value"):
            row[col] = pub.derived(getattr(r, col), on)
        rows.append(row)
    return Table.build(
        "tbl-attrition-model",
        ctx.t("tbl_attrition_model"),
        pd.DataFrame(rows),
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


def _model_reason(status: str) -> str:
    """The catalogue key for why a logistic model has no estimates (from the measures' status)."""
    s = status.lower()
    if "separation" in s or "overflow" in s:
        return "model_separated"
    if "not estimable" in s:
        return "model_not_estimable"
    return "model_not_converged"


def _by_municipality(ctx: Ctx) -> Table:
    """Paired change per municipality group of the release and domain (a municipality without a
    report of its own is part of "other municipalities")."""
    f, inst = ctx.fmt, ctx.instrument
    fam = ctx.family_table()
    groups = fam.assign(
        municipality=fam["municipality"]
        .astype("string")
        .fillna("")
        .map(lambda v: ctx.group("municipality", v))
    )
    first, last = inst.wave_ids[0], inst.wave_ids[-1]
    c = ctx.cached(
        "change_by_municipality",
        lambda: measures.change(ctx.dataset.assessments, by="municipality", families=groups, min_n=1,
                                baseline=first, followup=last),
    )  # fmt: skip
    c = pd.DataFrame(c)
    order = {d: i for i, d in enumerate(inst.domain_ids)}
    rows = []
    for g in sorted(c["municipality"].astype(str).unique(), key=lambda v: (v == "other", v)):
        part = c[c["municipality"].astype(str) == g]
        ids = set(groups.loc[groups["municipality"] == g, "family_id"].astype(str))
        sub = _Restricted(ctx, ids, g)
        vals = change_values(sub, part.assign(n=part["n"].fillna(0)), parts=False)  # type: ignore[arg-type]
        vals["municipality"] = ctx.group_label("municipality", g)
        rows.append(vals)
    out = pd.concat(rows, ignore_index=True) if rows else pd.DataFrame()
    if len(out):
        out = (
            out.assign(_o=out["domain"].map(order))
            .sort_values(["_o", "municipality"], kind="stable")
            .drop(columns="_o")
        )
    base, fup = ctx.wave(first), ctx.wave(last)
    return Table.build(
        "tbl-change-municipality",
        ctx.t("tbl_change_by", by=ctx.t("municipality").lower(), baseline=base, followup=fup),
        out,
        [
            Column("label", ctx.t("domain")),
            Column("municipality", ctx.t("municipality")),
            Column("n", ctx.t("n"), "count"),
            Column("mean_diff", ctx.t("mean_diff"), "signed2"),
            Column(("ci_low", "ci_high"), ctx.t("ci95"), "ci:number2"),
            Column("p_adjusted", ctx.t("p_adjusted"), "p"),
        ],
        f,
        k=ctx.k,
        sheet="methods",
    )


class _Restricted:
    """A view of a report's context for one municipality group inside it: the same publisher
    (keys under ``by/municipality/<group>``) and the cohort restricted to the group's families."""

    def __init__(self, ctx: Ctx, ids: set[str], group: str) -> None:
        from impactkit.report._publish import Publisher

        self._ctx = ctx
        base = ctx.pub
        self.pub = Publisher(base.ledger, f"{base.scope}/by/municipality/{group}", base.k, base.fmt,
                             protected=base.protected, kind=f"{base.kind}-by-municipality",
                             group=base.scope if base.scope.startswith("municipality:") else f"municipality:{group}")  # fmt: skip
        self.cohort = _SubCohort(ctx.cohort, ids)

    def __getattr__(self, name: str) -> object:
        return getattr(self._ctx, name)


class _SubCohort:
    """The cohort's selections restricted to the group's families, in their order, with their
    ledger codes (:class:`~impactkit.privacy._disclosure.FamilyIds`): one hashed lookup per
    selection instead of a Python loop over its families."""

    def __init__(self, cohort: object, ids: set[str]) -> None:
        self._c, self._ids = cohort, pd.Index(sorted(ids), dtype=object)

    def __getattr__(self, name: str) -> object:
        fn = getattr(self._c, name)

        def restricted(*args: object) -> np.ndarray:
            got = fn(*args)
            keep = pd.Index(np.asarray(got, dtype=object)).isin(self._ids)
            return got.where(keep) if isinstance(got, FamilyIds) else np.asarray(got)[keep]

        return restricted
