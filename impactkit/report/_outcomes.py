"""Annual report: events and care use before, during and after support, observed next to assumed.

Suppression (k families): a row whose period observes fewer than ``k`` families is hidden; a count
of families from 1 to ``k - 1`` is hidden, and so is its complement in the families observed (so
neither can be recomputed); a total of events, units or euros (and its rate) is shown only when at
least ``k`` families contribute to it, or none does.  A rate ratio is shown only when at least ``k``
families had an event in one of the two periods it compares.  Charts are drawn from these
suppressed tables.  The observed care costs are never added to the model's avoided cost.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from impactkit import figures, outcomes
from impactkit.figures import phase_label
from impactkit.report._context import Ctx
from impactkit.report._model import Chart, Column, Section, Table
from impactkit.report._suppress import PRIMARY, PUBLISHED, SECONDARY

__all__ = ["outcome_counts", "outcomes_sections"]

_LABELS = ["source", "outcome", "label", "unit", "phase", "phase_t", "label_t", "contrast_t"]


def outcome_counts(ctx: Ctx) -> outcomes.PhaseCounts | None:
    """The family × phase counts of the report's dataset, or None without events or dated care."""
    ds = ctx.dataset
    fam = ds.families
    if fam is None or "start_date" not in fam or (ds.events is None and ds.care_used is None):
        return None
    if ds.events is None and not pd.to_datetime(ds.care_used["start"]).notna().any():
        return None
    return outcomes.phase_counts(ds, scenario=ctx.costs.scenario, lang=ctx.lang)


def _status(rates: pd.DataFrame, k: int) -> pd.DataFrame:
    """Suppression status of a phase-rates table (see the module docstring)."""
    st = pd.DataFrame(PUBLISHED, index=rates.index, columns=rates.columns, dtype=object)
    value_cols = [c for c in rates.columns if c not in _LABELS]
    for i, r in rates.iterrows():
        n, anyf = float(r["n_families"]), float(r["families_with_any"])
        if n < k:
            st.loc[i, value_cols] = PRIMARY
            continue
        # families with and without one add up to the published n: the pair is protect()'s
        # two-cell case, decided directly (a hidden "with" can't be recomputed; a small "without"
        # would be n minus a published "with", so that one is hidden as well)
        if 0 < anyf < k:
            st.loc[i, "families_with_any"] = PRIMARY
            for c in ("total", "rate", "cost", "cost_per_year", "share_with_any"):  # sums over < k families
                if c in st.columns:
                    st.loc[i, c] = PRIMARY
        elif 0 < n - anyf < k:
            st.loc[i, "families_with_any"] = SECONDARY
            if "share_with_any" in st.columns:
                st.loc[i, "share_with_any"] = SECONDARY
    return st


def _masked(frame: pd.DataFrame, status: pd.DataFrame) -> pd.DataFrame:
    """The frame with every suppressed numeric cell set to NaN (what a chart may draw)."""
    out = frame.copy()
    for c in out.columns:
        if c in _LABELS or not pd.api.types.is_numeric_dtype(out[c]):
            continue
        out[c] = out[c].astype(float).where(status[c] == PUBLISHED)
    return out


def _rates(ctx: Ctx, counts: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    rates = pd.DataFrame(outcomes.phase_rates(counts)).reset_index(drop=True)
    rates["phase_t"] = [phase_label(p, ctx.lang) for p in rates["phase"]]
    rates["label_t"] = [
        ctx.labels.word("care", o, str(v)) if src != "events" else str(v)[:1].upper() + str(v)[1:]
        for src, o, v in zip(rates["source"], rates["outcome"], rates["label"], strict=True)
    ]
    return rates, _status(rates, ctx.k)


def outcomes_sections(ctx: Ctx) -> list[Section]:
    """The section and, with care records, the observed-and-assumed section (none without data)."""
    counts = outcome_counts(ctx)
    if counts is None:
        return []
    f = ctx.fmt
    meta = counts.meta
    pre, post = meta["pre_months"], meta["post_months"]
    win = next(iter(counts.windows.values()))
    lo, hi = win.attrs.get("observed_from"), win.attrs.get("observed_until")
    sec = Section("outcomes", ctx.t("sec_outcomes"))
    sec.paragraphs.append(
        ctx.t(
            "outcomes_intro" if post is not None else "outcomes_intro_open",
            pre=f.integer(pre),
            post=f.integer(post) if post is not None else "",
            start=f.date(lo) if lo is not None else "–",
            end=f.date(hi) if hi is not None else "–",
        )
    )
    sec.paragraphs.append(ctx.t("outcomes_caveat"))
    sec.paragraphs.append(ctx.t("outcomes_rule", k=ctx.k))
    events = counts[counts["source"] == "events"]
    if len(events):
        sec.blocks += _event_blocks(ctx, events, pre)
    care = counts[counts["source"].isin(["care_used", "care_cost"])]
    out = [sec]
    if len(care):
        sec.blocks += _care_blocks(ctx, care, pre)
        used = float(ctx.costs.by_path["used_cost"].sum())
        obs = Section("observed", ctx.t("observed_title"), [ctx.t("observed_intro", used=f.currency(used))])
        obs.blocks.append(_observed_table(ctx, counts, pre))
        out.append(obs)
    return out


# ------------------------------------------------------------------------------------ events
def _event_blocks(ctx: Ctx, events: pd.DataFrame, pre: int) -> list[Table | Chart]:
    f = ctx.fmt
    rates, st = _rates(ctx, events)
    cols = [
        Column("label_t", ctx.t("event")),
        Column("phase_t", ctx.t("phase")),
        Column("n_families", ctx.t("families_observed"), "count"),
        Column("families_with_any", ctx.t("families_any"), "count"),
        Column("exposure_years", ctx.t("family_years"), "number1"),
        Column("total", ctx.t("n_events"), "count"),
        Column("rate", ctx.t("per_family_year"), "number2"),
    ]
    table = Table.build("tbl-outcome-events", ctx.t("tbl_events"), rates, cols, f, status=st, k=ctx.k,
                        sheet="outcomes")  # fmt: skip
    drawn = _masked(rates, st).assign(label=rates["label_t"])
    fig = figures.phase_rates_bars(drawn, lang=ctx.lang, k=ctx.k, title="")
    cap = ctx.t("events_caption_hidden", k=ctx.k)
    # the type most families had before the start (ranking only: the caption prints published rates)
    before = rates[rates["phase"] == "before"].set_index("outcome")["families_with_any"].astype(float)
    published = drawn.pivot_table(index="outcome", columns="phase", values="rate", aggfunc="first")
    for phases, key in (
        (("before", "during", "after"), "events_caption"),
        (("before", "during"), "events_caption_partial"),
    ):
        if not set(phases) <= set(published.columns):
            continue
        full = published[list(phases)].notna().all(axis=1)
        ok = full[full].index.intersection(before.index)
        if len(ok):
            top = str(before.loc[ok].idxmax())
            r = published.loc[top]
            label = str(rates.loc[rates["outcome"] == top, "label_t"].iloc[0])
            cap = ctx.t(key, event=label, before=f.number(r["before"], 2), during=f.number(r["during"], 2),
                        after=f.number(r.get("after"), 2), pre=f.integer(pre), k=ctx.k)  # fmt: skip
            break
    blocks: list[Table | Chart] = [Chart("outcome-events", ctx.t("events_title"), cap, fig, table)]
    blocks.append(_ratio_chart(ctx, events))
    return blocks


def _ratio_chart(ctx: Ctx, events: pd.DataFrame) -> Chart:
    f = ctx.fmt
    rr = pd.DataFrame(outcomes.rate_ratios(events, method="negbin")).reset_index(drop=True)
    rr = rr[rr["reference"] == "before"].reset_index(drop=True) if (rr["reference"] == "before").any() else rr
    data = pd.DataFrame(events)
    with_event = data[data["count"] > 0]
    contributing = [
        with_event[(with_event["outcome"] == o) & with_event["phase"].astype(str).isin([p, q])][
            "family_id"
        ].nunique()
        for o, p, q in zip(rr["outcome"], rr["phase"], rr["reference"], strict=True)
    ]
    rr["n_with_events"] = contributing
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
    rr["remark"] = [ctx.t(remarks[s]) if s in remarks else "" for s in rr["status"]]
    # a fit that did not converge has no estimate to publish: the row says so instead of a number
    failed = rr["status"] == "not_converged"
    rr.loc[failed, ["rate_ratio", "ci_low", "ci_high", "p_value", "p_adjusted"]] = np.nan
    st = pd.DataFrame(PUBLISHED, index=rr.index, columns=rr.columns, dtype=object)
    hidden = (rr["n_families"] < ctx.k) | (rr["n_with_events"] < ctx.k)
    for c in ("rate_ratio", "ci_low", "ci_high", "p_adjusted", "remark"):
        st.loc[hidden, c] = PRIMARY
    cols = [
        Column("label_t", ctx.t("event")),
        Column("contrast_t", ctx.t("comparison")),
        Column("rate_ratio", ctx.t("rate_ratio"), "number2"),
        Column(("ci_low", "ci_high"), ctx.t("interval95"), "ci:number2"),
        Column("p_adjusted", ctx.t("p_adjusted"), "p"),
        Column("remark", ctx.t("remark")),
    ]
    notes = [ctx.t("ratios_method", n_agq=f.integer(25), adjust="Holm")]
    table = Table.build("tbl-outcome-ratios", ctx.t("tbl_ratios"), rr, cols, f, status=st, k=ctx.k, notes=notes,
                        sheet="outcomes")  # fmt: skip
    drawn = rr.copy()
    for c in ("rate_ratio", "ci_low", "ci_high"):
        drawn[c] = drawn[c].where(~hidden)
    drawn["label"] = drawn["label_t"]
    fig = figures.rate_ratio_forest(drawn, lang=ctx.lang, k=ctx.k, title="")
    cap = ctx.t("ratios_caption_hidden", k=ctx.k)
    ok = drawn[(drawn["phase"] == "after") & drawn["rate_ratio"].notna() & (drawn["status"] == "ok")]
    if len(ok):
        top = ok.iloc[int(ok["n_with_events"].to_numpy().argmax())]
        label = str(top["label_t"])
        cap = ctx.t("ratios_caption", event=label[:1].upper() + label[1:], rr=f.number(top["rate_ratio"], 2),
                    ci=f.ci(top["ci_low"], top["ci_high"]))  # fmt: skip
    return Chart("outcome-ratios", ctx.t("ratios_title"), cap, fig, table)


# -------------------------------------------------------------------------------------- care
def _care_blocks(ctx: Ctx, care: pd.DataFrame, pre: int) -> list[Table | Chart]:
    f = ctx.fmt
    rates, st = _rates(ctx, care)
    rates["unit_t"] = [ctx.labels.word("unit", u) for u in rates["unit"]]
    st["unit_t"] = PUBLISHED
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
    view_st = st[rates["source"] == "care_used"].reset_index(drop=True)
    table = Table.build("tbl-outcome-care", ctx.t("tbl_care"), view, cols, f, status=view_st, k=ctx.k,
                        sheet="outcomes")  # fmt: skip
    drawn = _masked(rates, st).assign(label=rates["label_t"])
    fig = figures.phase_rates_bars(drawn, value="cost_per_year", lang=ctx.lang, k=ctx.k, title="")
    total = drawn[drawn["source"] == "care_cost"].set_index("phase")["cost_per_year"]
    cap = ctx.t("care_caption_hidden", k=ctx.k)
    if len(total) == 3 and total.notna().all():
        cap = ctx.t("care_caption", before=f.currency(total["before"]), during=f.currency(total["during"]),
                    after=f.currency(total["after"]), pre=f.integer(pre),
                    year=str(ctx.costs.scenario.report_year))  # fmt: skip
    return [Chart("outcome-care", ctx.t("care_title"), cap, fig, table)]


def _observed_table(ctx: Ctx, counts: pd.DataFrame, pre: int) -> Table:
    """Observed care costs beside the model's assumed ones; no row adds the two."""
    f, ev = ctx.fmt, ctx.costs
    total = counts[counts["source"] == "care_cost"]
    rates, st = _rates(ctx, total)
    rates, st = rates.set_index("phase"), st.set_index(rates["phase"])
    rows: list[dict[str, Any]] = []
    status_rows: list[str] = []
    for phase, key in (("before", "obs_before"), ("during", "obs_during"), ("after", "obs_after")):
        if phase not in rates.index:
            continue
        r = rates.loc[str(phase)]
        if not isinstance(r, pd.Series):  # one row per phase in the care-cost total
            raise TypeError("care cost rates: more than one row per phase")
        rows.append({"item": ctx.t(key, pre=f.integer(pre)), "kind": ctx.t("kind_observed"),
                     "value": float(r["cost_per_year"]), "low": np.nan, "high": np.nan,
                     "basis": ctx.t("basis_records", n=f.integer(r["n_families"]),
                                    years=f.number(r["exposure_years"], 1)), "money": True})  # fmt: skip
        status_rows.append(str(st.loc[phase, "cost_per_year"]))
    if {"before", "after"} <= set(rates.index):
        g = pd.DataFrame(outcomes.rate_ratios(total, method="gee", reference="before"))
        g = g[g["contrast"] == "after/before"]
        if len(g):
            row = g.iloc[0]
            ok = all(str(st.loc[p, "cost_per_year"]) == PUBLISHED for p in ("before", "after"))
            rows.append({"item": ctx.t("obs_ratio"), "kind": ctx.t("kind_observed"), "value": row["rate_ratio"],
                         "low": row["ci_low"], "high": row["ci_high"],
                         "basis": ctx.t("basis_ratio", n=f.integer(row["n_families"])), "money": False})  # fmt: skip
            status_rows.append(PUBLISHED if ok else PRIMARY)
    bp, h = ev.by_path, ev.headline
    n_fam = int(ev.meta.get("families", 0))
    basis = ctx.t("basis_model", scenario=ev.scenario.id, n=f.integer(n_fam))
    used = float(bp["used_cost"].sum())
    factor = f.number(h["attributed_share"], 2)
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
            "ass_counterfactual": {"horizon": f.integer(ev.scenario.horizon)},
            "ass_avoided": {"factor": factor},
        }
        low = high = np.nan
        row_basis = basis
        if key == "ass_avoided" and psa is not None:  # the PSA's 95% uncertainty interval
            low, high = float(psa["q025"]), float(psa["q975"])
            row_basis = ctx.t("basis_model_psa", scenario=ev.scenario.id, n=f.integer(n_fam),
                              draws=f.integer(int(ev.meta.get("draws", 0))))  # fmt: skip
        rows.append({"item": ctx.t(key, **words.get(key, {})), "kind": ctx.t("kind_assumed"),
                     "value": value, "low": low, "high": high, "basis": row_basis, "money": True})  # fmt: skip
        status_rows.append(PUBLISHED)
    tab = pd.DataFrame(rows)
    tab["estimate"] = [
        (f.currency(v) if m else f.number(v, 2)) for v, m in zip(tab["value"], tab["money"], strict=True)
    ]
    tab["interval"] = [
        (f.ci(a, b, money=m) if np.isfinite(a) else "–")
        for a, b, m in zip(tab["low"], tab["high"], tab["money"], strict=True)
    ]
    status = pd.DataFrame(PUBLISHED, index=tab.index, columns=tab.columns, dtype=object)
    status["estimate"] = status_rows
    status.loc[status["estimate"] != PUBLISHED, "interval"] = PRIMARY
    cols = [
        Column("item", ctx.t("item")),
        Column("kind", ctx.t("kind")),
        Column("estimate", ctx.t("estimate")),
        Column("interval", ctx.t("interval95")),
        Column("basis", ctx.t("rests_on")),
    ]
    table = Table.build("tbl-outcome-observed", ctx.t("tbl_observed"), tab, cols, f, status=status, k=ctx.k,
                        sheet="outcomes")  # fmt: skip
    # the spreadsheet gets numbers (money or a ratio per row), suppressed cells as their marker
    hidden = status["estimate"] != PUBLISHED
    marker = f"<{ctx.k}"
    sheet = pd.DataFrame(
        {
            ctx.t("item"): tab["item"],
            ctx.t("kind"): tab["kind"],
            ctx.t("estimate"): [marker if x else v for v, x in zip(tab["value"], hidden, strict=True)],
            f"{ctx.t('interval95')} ({ctx.t('low').lower()})": tab["low"].where(~hidden),
            f"{ctx.t('interval95')} ({ctx.t('high').lower()})": tab["high"].where(~hidden),
            ctx.t("rests_on"): tab["basis"],
        }
    )
    kinds = ["money" if m else "ratio" for m in tab["money"]]
    types: dict[str, Any] = dict(
        zip(sheet.columns, ["text", "text", kinds, "estimate", "estimate", "text"], strict=True)
    )
    table.excel = (sheet, types)
    return table
