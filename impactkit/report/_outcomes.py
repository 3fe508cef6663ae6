"""Annual report: events and care use before, during and after support, observed next to assumed.

Every figure is a published value of the release (:mod:`impactkit.report._publish`).  Per event
or care type and phase, two populations: the families *observed* in the phase (exposure > 0:
``n_families``, the family-years) and those with *any* event or use in it (``families_with_any``;
the total of events, units or euros and the families' costs are sums over these, zero outside
them).  A rate rests on both.  A rate ratio rests on the families observed in its two phases and
on those with an event in either (a ratio resting on fewer than ``k`` families with an event is
hidden).  The release's ledger protects them with every other report (a municipality's events
are never the funder report's minus the others').  The phases are cut on the release's whole
dataset, so a family's exposure is the same in every report.  Per type of event or care the
figures are in the funder report only; a municipal or programme report shows its care costs per
phase (observed next to assumed).  Charts are drawn from the
published numbers only.  The observed care costs are never added to the model's avoided cost.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from impactkit import figures, outcomes
from impactkit.figures import phase_label
from impactkit.io._source import isin_text
from impactkit.report._context import Ctx, draw
from impactkit.report._costs import _modelled, gross_value
from impactkit.report._model import Chart, Column, Section, Table
from impactkit.report._publish import Value, marker, take

__all__ = ["outcome_counts", "outcomes_sections"]

_LABELS = ["source", "outcome", "label", "unit", "phase", "phase_t", "label_t", "contrast_t"]


def outcome_counts(ctx: Ctx) -> tuple[pd.DataFrame, dict[str, Any]] | None:
    """The family × phase counts of the report's families and their meta, or None without events
    or dated care.  Cut once on the release's whole dataset (the same windows in every report)."""
    key = f"outcomes:{ctx.lang}"
    if key not in ctx.shared:
        ctx.shared[key] = _root_counts(ctx)
    got = ctx.shared[key]
    if got is None:
        return None
    frame, meta = got
    _declare(ctx, frame)
    mine = frame[isin_text(frame["family_id"], pd.Series(ctx.cohort.everyone))].reset_index(drop=True)
    return mine, meta


def _root_counts(ctx: Ctx) -> tuple[pd.DataFrame, dict[str, Any]] | None:
    ds = ctx.root if ctx.root is not None else ctx.dataset
    fam = ds.families
    if fam is None or "start_date" not in fam or (ds.events is None and ds.care_used is None):
        return None
    if ds.events is None and not pd.to_datetime(ds.care_used["start"]).notna().any():
        return None
    counts = outcomes.phase_counts(ds, scenario=ctx.costs.scenario, lang=ctx.lang)
    frame = pd.DataFrame(counts).assign(family_id=lambda d: d["family_id"].astype(str))
    frame = frame[frame["exposure_years"] > 0].reset_index(drop=True)
    frame["phase"] = frame["phase"].astype(str)
    return frame, {**counts.meta, "windows": counts.windows}


def _stat(src: object, outcome: object, phase: object, what: str) -> str:
    return f"outcome:{src}:{outcome}:{phase}:{what}"


def _base(src: object, outcome: object, phase: object) -> tuple[object, ...]:
    return ("outcomes", src, outcome, phase)


def _declare(ctx: Ctx, frame: pd.DataFrame) -> None:
    """Declare, once per release, each family's events, units, euros and exposure per phase."""
    if ctx.shared.get("outcomes:declared"):
        return
    ctx.shared["outcomes:declared"] = True
    led = ctx.pub.ledger
    for (src, o, ph), g in frame.groupby(["source", "outcome", "phase"], sort=False, observed=True):
        ids = g["family_id"].to_numpy()
        # the funder report's families with any: every value is zero outside them
        support = "/".join(["funder", *map(str, _base(src, o, ph)), "any"])
        led.statistic(_stat(src, o, ph, "count"), pd.Series(g["count"].fillna(0.0).to_numpy(), index=ids), low=0,
                      support=support)  # fmt: skip
        led.statistic(
            _stat(src, o, ph, "exposure"), pd.Series(g["exposure_years"].to_numpy(), index=ids), low=0
        )
        if g["cost"].notna().any():
            led.statistic(_stat(src, o, ph, "cost"), pd.Series(g["cost"].fillna(0.0).to_numpy(), index=ids), low=0,
                          support=support)  # fmt: skip


def _rates(ctx: Ctx, counts: pd.DataFrame) -> pd.DataFrame:
    """Per event or care type and phase: the published values of the rates table."""
    pub = ctx.pub
    rows: list[dict[str, Any]] = []
    order = {"before": 0, "during": 1, "after": 2}
    keys = ["source", "outcome", "label", "unit", "phase"]
    ids = pub.ids(counts["family_id"])  # with their ledger codes: looked up once, not per population
    at = pd.Series(np.arange(len(counts)), index=counts.index)
    for (src, o, lab, unit, ph), g in counts.groupby(keys, sort=False, observed=True):
        base = _base(src, o, ph)
        anyf = g["count"].fillna(0.0) > 0
        rows_at = at.loc[g.index].to_numpy()
        any_at = anyf.to_numpy(bool)
        n = pub.count((*base, "observed"), take(ids, rows_at), dim=f"observed:{src}:{o}:{ph}",
                      label=f"{pub.scope}: observed for {o} {ph}")  # fmt: skip
        # families with and without one: the two parts of the families observed (a breakdown, so
        # that a split no cover can protect is withheld whole)
        split = f"outcome:{src}:{o}:{ph}"
        n_any = pub.count(
            (*base, "any"), take(ids, rows_at[any_at]), dim=split, label=f"{pub.scope}: any {o} {ph}"
        )
        pub.count((*base, "none"), take(ids, rows_at[~any_at]), dim=split, label=f"{pub.scope}: no {o} {ph}")
        exposure = pub.on(n, float(g["exposure_years"].sum()), [_stat(src, o, ph, "exposure")])
        total = pub.on(n_any, float(g.loc[anyf, "count"].sum()), [_stat(src, o, ph, "count")])
        has_cost = g["cost"].notna().any() and pub.ledger.has_statistic(_stat(src, o, ph, "cost"))
        cost = (
            pub.on(n_any, float(g.loc[anyf, "cost"].fillna(0.0).sum()), [_stat(src, o, ph, "cost")])
            if has_cost
            else pub.derived(np.nan, n)
        )
        rows.append({
            "source": src, "outcome": o, "label": lab, "unit": unit, "phase": str(ph),
            "n_families": n, "families_with_any": n_any, "exposure_years": exposure, "total": total,
            "rate": total / exposure, "share_with_any": n_any / n, "cost": cost,
            "cost_per_year": cost / exposure, "_order": order.get(str(ph), 3),
            "_any_raw": int(anyf.sum()),
        })  # fmt: skip
    rates = pd.DataFrame(rows)
    if not len(rates):
        return rates
    rates = rates.sort_values(["source", "outcome", "_order"], kind="stable").reset_index(drop=True)
    rates["phase_t"] = [phase_label(p, ctx.lang) for p in rates["phase"]]
    rates["label_t"] = [
        ctx.labels.word("care", o, str(v)) if src != "events" else str(v)[:1].upper() + str(v)[1:]
        for src, o, v in zip(rates["source"], rates["outcome"], rates["label"], strict=True)
    ]
    return rates


def _drawn(ctx: Ctx, rates: pd.DataFrame, value: str, kind: str) -> pd.DataFrame:
    """What a chart may draw: the published numbers, rounded as printed, NaN when hidden."""
    out = rates[["source", "outcome", "phase", "label_t", "unit"]].copy()
    out[value] = [ctx.pub.number(v, kind) for v in rates[value]]
    return out.assign(label=rates["label_t"])


def outcomes_sections(ctx: Ctx) -> list[Section]:
    """The section and, with care records, the observed-and-assumed section (none without data)."""
    got = outcome_counts(ctx)
    if got is None:
        return []
    counts, meta = got
    f = ctx.fmt
    pre, post = meta["pre_months"], meta["post_months"]
    win = next(iter(meta["windows"].values()))
    lo, hi = win.attrs.get("observed_from"), win.attrs.get("observed_until")
    sec = Section("outcomes", ctx.t("sec_outcomes"))
    sec.paragraphs.append(
        ctx.t(
            "outcomes_intro" if post is not None else "outcomes_intro_open",
            pre=f.integer(ctx.c(pre)),
            post=f.integer(ctx.c(post)) if post is not None else "",
            start=f.date(lo) if lo is not None else "–",
            end=f.date(hi) if hi is not None else "–",
        )
    )
    sec.paragraphs.append(ctx.t("outcomes_caveat"))
    sec.paragraphs.append(ctx.t("outcomes_rule", k=str(ctx.k)))
    events = counts[counts["source"] == "events"]
    care = counts[counts["source"].isin(["care_used", "care_cost"])]
    if not ctx.detail:  # per type in the funder report only: each type and phase of each smaller
        # report would be a small group to protect across the release
        sec.paragraphs.append(ctx.t("outcomes_elsewhere"))
    elif len(events):
        sec.blocks += _event_blocks(ctx, events, pre)
    out = [sec]
    if len(care):
        if ctx.detail:
            sec.blocks += _care_blocks(ctx, care, pre)
        gross = gross_value(ctx)
        used = ctx.pub.derived(float(ctx.costs.by_path["used_cost"].sum()), gross)
        obs = Section("observed", ctx.t("observed_title"), [ctx.t("observed_intro", used=f.currency(used))])
        obs.blocks.append(_observed_table(ctx, counts, pre, gross))
        out.append(obs)
    return out


# ------------------------------------------------------------------------------------ events
def _event_blocks(ctx: Ctx, events: pd.DataFrame, pre: int) -> list[Table | Chart]:
    f, pub = ctx.fmt, ctx.pub
    rates = _rates(ctx, events)
    cols = [
        Column("label_t", ctx.t("event")),
        Column("phase_t", ctx.t("phase")),
        Column("n_families", ctx.t("families_observed"), "count"),
        Column("families_with_any", ctx.t("families_any"), "count"),
        Column("exposure_years", ctx.t("family_years"), "number1"),
        Column("total", ctx.t("n_events"), "count"),
        Column("rate", ctx.t("per_family_year"), "number2"),
    ]
    table = Table.build("tbl-outcome-events", ctx.t("tbl_events"), rates, cols, f, k=ctx.k, sheet="outcomes")
    drawn = _drawn(ctx, rates, "rate", "number2")
    fig = draw(ctx, figures.phase_rates_bars, drawn, lang=ctx.lang, k=ctx.k, title="")
    cap = ctx.t("events_caption_hidden", k=str(ctx.k))
    # the type most families had before the start, among those published in every phase (or, when
    # the time after rests on fewer than k families, before and during): ranking on published
    # counts only; the caption prints published rates
    by = {
        (str(o), str(ph)): v for o, ph, v in zip(rates["outcome"], rates["phase"], rates["rate"], strict=True)
    }
    before = rates[rates["phase"] == "before"]
    before = before[[pub.shown(v) for v in before["families_with_any"]]]
    for phases, key in (
        (("before", "during", "after"), "events_caption"),
        (("before", "during"), "events_caption_partial"),
    ):

        def fits(o: str, phases: tuple[str, ...] = phases, key: str = key) -> bool:
            if not all((o, ph) in by and pub.shown(by[(o, ph)]) for ph in phases):
                return False
            # "the time after rests on fewer than k families" only when it does (primary)
            return key == "events_caption" or (
                (o, "after") in by and pub.status(by[(o, "after")]) == "primary"
            )

        cand = before[[fits(str(o)) for o in before["outcome"]]]
        if len(cand):
            top = str(cand.iloc[int(np.argmax([pub.raw(v) for v in cand["families_with_any"]]))]["outcome"])
            label = str(rates.loc[rates["outcome"] == top, "label_t"].iloc[0])
            after = f.number(by[(top, "after")], 2) if key == "events_caption" else ""
            cap = ctx.t(key, event=label[:1].upper() + label[1:], before=f.number(by[(top, "before")], 2),
                        during=f.number(by[(top, "during")], 2), after=after, pre=f.integer(ctx.c(pre)),
                        k=str(ctx.k))  # fmt: skip
            break
    blocks: list[Table | Chart] = [Chart("outcome-events", ctx.t("events_title"), cap, fig, table)]
    blocks.append(_ratio_chart(ctx, events))
    return blocks


def _ratio_chart(ctx: Ctx, events: pd.DataFrame) -> Chart:
    f, pub = ctx.fmt, ctx.pub
    data = events.copy()
    rr = _rate_ratios(ctx, data)
    rr = rr[rr["reference"] == "before"].reset_index(drop=True) if (rr["reference"] == "before").any() else rr
    ids = pub.ids(data["family_id"])  # with their ledger codes: looked up once, not per population
    has_event = (data["count"].fillna(0) > 0).to_numpy(bool)
    vals: dict[str, list[Value]] = {c: [] for c in ("rate_ratio", "ci_low", "ci_high", "p_adjusted")}
    n_with: list[int] = []
    for _, r in rr.iterrows():
        o, p, q = r["outcome"], str(r["phase"]), str(r["reference"])
        is_o = (data["outcome"] == o).to_numpy(bool)
        obs = data[is_o]
        src = str(obs["source"].iloc[0]) if len(obs) else "events"
        phase = data["phase"]
        n_p = pub.count((*_base(src, o, p), "observed"), ids.where(is_o & (phase == p).to_numpy(bool)))
        n_q = pub.count((*_base(src, o, q), "observed"), ids.where(is_o & (phase == q).to_numpy(bool)))
        ev_ids = ids.where(has_event & is_o & phase.isin([p, q]).to_numpy(bool))
        n_ev = pub.count(("outcomes", src, o, f"{p}|{q}", "any"), ev_ids, dim=f"any:{src}:{o}:{p}|{q}",
                         label=f"{pub.scope}: any {o} {p} or {q}")  # fmt: skip
        n_with.append(int(pd.unique(np.asarray(ev_ids)).size))
        for c in vals:
            vals[c].append(pub.derived(r[c], n_p, n_q, n_ev))
    for c, v in vals.items():
        rr[c] = v  # type: ignore[assignment]
    rr["n_with_events"] = n_with
    rr["label_t"] = [str(v)[:1].upper() + str(v)[1:] for v in rr["label"]]
    rr["contrast_t"] = [
        f"{phase_label(str(p), ctx.lang)} / {phase_label(str(q), ctx.lang)}"
        for p, q in zip(rr["phase"], rr["reference"], strict=True)
    ]
    remarks = {
        "no_events": "no_events_after",
        "singular": "ratio_singular",
        "not_converged": "ratio_not_converged",
    }
    rr["remark"] = [
        ctx.t(remarks[s_]) if s_ in remarks and pub.shown(v) else ""
        for s_, v in zip(rr["status"], rr["rate_ratio"], strict=True)
    ]
    # a fit that did not converge has no estimate to publish: the row says so instead of a number
    failed = (rr["status"] == "not_converged").to_numpy()
    for c in ("rate_ratio", "ci_low", "ci_high", "p_adjusted"):
        rr[c] = [pub.derived(np.nan, v) if bad else v for v, bad in zip(rr[c], failed, strict=True)]
    cols = [
        Column("label_t", ctx.t("event")),
        Column("contrast_t", ctx.t("comparison")),
        Column("rate_ratio", ctx.t("rate_ratio"), "number2"),
        Column(("ci_low", "ci_high"), ctx.t("interval95"), "ci:number2"),
        Column("p_adjusted", ctx.t("p_adjusted"), "p"),
        Column("remark", ctx.t("remark")),
    ]
    notes = [ctx.t("ratios_method", n_agq=f.integer(ctx.c(25)), adjust="Holm")]
    table = Table.build("tbl-outcome-ratios", ctx.t("tbl_ratios"), rr, cols, f, k=ctx.k, notes=notes,
                        sheet="outcomes")  # fmt: skip
    drawn = rr[["outcome", "phase", "reference", "contrast", "status"]].copy()
    for c in ("rate_ratio", "ci_low", "ci_high"):
        drawn[c] = [pub.number(v, "number2") for v in rr[c]]
    drawn["label"] = rr["label_t"]
    fig = draw(ctx, figures.rate_ratio_forest, drawn, lang=ctx.lang, k=ctx.k, title="")
    cap = ctx.t("ratios_caption_hidden", k=str(ctx.k))
    ok = [
        i for i in range(len(rr))
        if rr.at[i, "phase"] == "after" and rr.at[i, "status"] == "ok" and pub.shown(rr.at[i, "rate_ratio"])
        and np.isfinite(pub.raw(rr.at[i, "rate_ratio"]))
    ]  # fmt: skip
    if ok:
        i = max(ok, key=lambda j: n_with[j])
        label = str(rr.at[i, "label_t"])
        cap = ctx.t("ratios_caption", event=label[:1].upper() + label[1:], rr=f.number(rr.at[i, "rate_ratio"], 2),
                    ci=f.ci(rr.at[i, "ci_low"], rr.at[i, "ci_high"]))  # fmt: skip
    return Chart("outcome-ratios", ctx.t("ratios_title"), cap, fig, table)


def _rate_ratios(ctx: Ctx, events: pd.DataFrame) -> pd.DataFrame:
    """:func:`impactkit.outcomes.rate_ratios` of the report's event counts, fitted once for both
    passes of the release.  The passes cut the counts in their own language (``outcome_counts``),
    which differ only in the ``label`` column; the fit carries each outcome's label along and
    uses it for nothing else, so a fit of the other language's counts is this one's with this
    language's labels (each outcome's first, of the rows the fit keeps)."""
    fit = ctx.cached(
        "rate_ratios:events",
        lambda: pd.DataFrame(outcomes.rate_ratios(events, method="negbin")).reset_index(drop=True),
    )
    rr = fit.copy()
    kept = events[(events["exposure_years"] > 0) & events["count"].notna()]
    label = {
        (str(src), str(o)): str(g["label"].iloc[0])
        for (src, o), g in kept.groupby(["source", "outcome"], sort=True, observed=True)
    }
    rr["label"] = [label[(str(src), str(o))] for src, o in zip(rr["source"], rr["outcome"], strict=True)]
    return rr


# -------------------------------------------------------------------------------------- care
def _care_blocks(ctx: Ctx, care: pd.DataFrame, pre: int) -> list[Table | Chart]:
    f, pub = ctx.fmt, ctx.pub
    rates = _rates(ctx, care)
    rates["unit_t"] = [ctx.labels.word("unit", u) for u in rates["unit"]]
    cols = [
        Column("label_t", ctx.t("care")),
        Column("phase_t", ctx.t("phase")),
        Column("n_families", ctx.t("families_observed"), "count"),
        Column("families_with_any", ctx.t("families_using"), "count"),
        Column("exposure_years", ctx.t("family_years"), "number1"),
        Column("total", ctx.t("units"), "number1"),
        Column("unit_t", ctx.t("unit")),
        Column("cost_per_year", ctx.t("cost_per_family_year"), "money"),
    ]
    view = rates[rates["source"] == "care_used"].reset_index(drop=True)
    table = Table.build("tbl-outcome-care", ctx.t("tbl_care"), view, cols, f, k=ctx.k, sheet="outcomes")
    drawn = _drawn(ctx, rates, "cost_per_year", "money")
    fig = draw(ctx, figures.phase_rates_bars, drawn, value="cost_per_year", lang=ctx.lang, k=ctx.k, title="")
    total = rates[rates["source"] == "care_cost"].set_index("phase")["cost_per_year"]
    cap = ctx.t("care_caption_hidden", k=str(ctx.k))
    if len(total) == 3 and pub.shown(*total):
        cap = ctx.t("care_caption", before=f.currency(total["before"]), during=f.currency(total["during"]),
                    after=f.currency(total["after"]), pre=f.integer(ctx.c(pre)),
                    year=str(ctx.costs.scenario.report_year))  # fmt: skip
    return [Chart("outcome-care", ctx.t("care_title"), cap, fig, table)]


def _observed_table(ctx: Ctx, counts: pd.DataFrame, pre: int, gross: Value) -> Table:
    """Observed care costs beside the model's assumed ones; no row adds the two."""
    f, ev, pub = ctx.fmt, ctx.costs, ctx.pub
    total = counts[counts["source"] == "care_cost"]
    rates = _rates(ctx, total).set_index("phase")
    rows: list[dict[str, Any]] = []
    nan = pub.const(np.nan)
    for phase, key in (("before", "obs_before"), ("during", "obs_during"), ("after", "obs_after")):
        if phase not in rates.index:
            continue
        r = rates.loc[str(phase)]
        if not isinstance(r, pd.Series):  # one row per phase in the care-cost total
            raise TypeError("care cost rates: more than one row per phase")
        rows.append({"item": ctx.t(key, pre=f.integer(ctx.c(pre))), "kind": ctx.t("kind_observed"),
                     "value": r["cost_per_year"], "low": nan, "high": nan,
                     "basis": ctx.t("basis_records", n=f.integer(r["n_families"]),
                                    years=f.number(r["exposure_years"], 1)), "money": True})  # fmt: skip
    if {"before", "after"} <= set(rates.index):
        g = pd.DataFrame(outcomes.rate_ratios(total, method="gee", reference="before"))
        g = g[g["contrast"] == "after/before"]
        if len(g):
            row = g.iloc[0]
            on = (rates.loc["before", "cost_per_year"], rates.loc["after", "cost_per_year"])
            n_fam = pub.count(("outcomes", "care_cost", "gee", "families"),
                              total.loc[total["phase"].isin(["before", "after"]), "family_id"])  # fmt: skip
            rows.append({"item": ctx.t("obs_ratio"), "kind": ctx.t("kind_observed"),
                         "value": pub.derived(row["rate_ratio"], *on, n_fam),
                         "low": pub.derived(row["ci_low"], *on, n_fam), "high": pub.derived(row["ci_high"], *on, n_fam),
                         "basis": ctx.t("basis_ratio", n=f.integer(n_fam)), "money": False})  # fmt: skip
    bp, h = ev.by_path, ev.headline
    n_model = pub.count(("costs", "families"), _modelled(ctx), measured=True)
    basis = ctx.t("basis_model", scenario=ev.scenario.id, n=f.integer(n_model))
    used = float(bp["used_cost"].sum())
    factor = f.number(pub.derived(h["attributed_share"], gross), 2)
    psa = None
    if getattr(ev, "psa", None) is not None and int(ev.meta.get("draws", 0) or 0) > 0:
        q = ev.psa.set_index("quantity")
        if "gross_avoided_cost" in q.index:
            psa = q.loc["gross_avoided_cost"]
    for key, value in (
        ("ass_counterfactual", float(bp["counterfactual_cost"].sum())),
        ("ass_used", -used),
        ("ass_avoided", float(h["gross_avoided_cost"])),
    ):
        words = {
            "ass_counterfactual": {"horizon": f.integer(ctx.c(ev.scenario.horizon))},
            "ass_avoided": {"factor": factor},
        }
        v = gross if key == "ass_avoided" else pub.derived(value, gross)
        low, high, row_basis = nan, nan, basis
        if key == "ass_avoided" and psa is not None:  # the PSA's 95% uncertainty interval
            low, high = pub.derived(psa["q025"], gross), pub.derived(psa["q975"], gross)
            row_basis = ctx.t("basis_model_psa", scenario=ev.scenario.id, n=f.integer(n_model),
                              draws=f.integer(ctx.c(int(ev.meta.get("draws", 0)))))  # fmt: skip
        rows.append({"item": ctx.t(key, **words.get(key, {})), "kind": ctx.t("kind_assumed"),
                     "value": v, "low": low, "high": high, "basis": row_basis, "money": True})  # fmt: skip
    tab = pd.DataFrame(rows)
    tab["estimate"] = [
        (f.currency(v) if m else f.number(v, 2)) for v, m in zip(tab["value"], tab["money"], strict=True)
    ]
    tab["interval"] = [
        (f.ci(a, b, money=m) if np.isfinite(pub.raw(a)) else "–")
        for a, b, m in zip(tab["low"], tab["high"], tab["money"], strict=True)
    ]
    cols = [
        Column("item", ctx.t("item")),
        Column("kind", ctx.t("kind")),
        Column("estimate", ctx.t("estimate")),
        Column("interval", ctx.t("interval95")),
        Column("basis", ctx.t("rests_on")),
    ]
    table = Table.build(
        "tbl-outcome-observed", ctx.t("tbl_observed"), tab, cols, f, k=ctx.k, sheet="outcomes"
    )
    # the spreadsheet gets numbers (money or a ratio per row), suppressed cells as their marker
    hidden = [not pub.shown(v) for v in tab["value"]]
    if any(hidden):
        table.notes.append(ctx.fmt.base.text("suppression_note", k=ctx.k))
        table.n_suppressed = sum(hidden)

    def num(v: Value, money: bool) -> Any:
        st = pub.status(v)
        return marker(st, ctx.k) if st else pub.number(v, "money" if money else "number2")

    sheet = pd.DataFrame(
        {
            ctx.t("item"): tab["item"],
            ctx.t("kind"): tab["kind"],
            ctx.t("estimate"): [num(v, m) for v, m in zip(tab["value"], tab["money"], strict=True)],
            f"{ctx.t('interval95')} ({ctx.t('low').lower()})": [pub.number(v, "number2") for v in tab["low"]],
            f"{ctx.t('interval95')} ({ctx.t('high').lower()})": [
                pub.number(v, "number2") for v in tab["high"]
            ],
            ctx.t("rests_on"): tab["basis"],
        }
    )
    kinds = ["money" if m else "ratio" for m in tab["money"]]
    types: dict[str, Any] = dict(
        zip(sheet.columns, ["text", "text", kinds, "estimate", "estimate", "text"], strict=True)
    )
    table.excel = (sheet, types)
    return table
