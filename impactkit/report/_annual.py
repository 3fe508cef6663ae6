"""The annual impact report: reach, attrition, change, transitions, reliable change, costs.

Every table passes small-cell suppression before it is formatted, and every chart is drawn from
the suppressed table (never from family-level rows).
"""

from __future__ import annotations

from typing import Any, cast

import numpy as np
import pandas as pd

from impactkit import measures
from impactkit.errors import DesignError
from impactkit.figures import NEGATIVE, NEUTRAL, PALETTE, POSITIVE
from impactkit.report import _charts
from impactkit.report._context import Ctx, assumptions_section, design_section, hide_small_parts
from impactkit.report._costs import cost_summary_blocks
from impactkit.report._model import Chart, Column, KeyFigure, Section, Table
from impactkit.report._suppress import PUBLISHED, suppress_counts, suppress_rows

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
        _reach(ctx),
        _flow(ctx),
        _change(ctx, ch, desc),
        _transitions(ctx, ch),
        _reliable(ctx, summary),
        _costs(ctx),
        assumptions_section(ctx),
        design_section(ctx),
        _methods(ctx, ch, desc),
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


# --------------------------------------------------------------------------------------- reach
def _reach(ctx: Ctx) -> Section:
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
def _flow(ctx: Ctx) -> Section:
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
    fig = _charts.flow_bars(
        list(flow["label"]),
        [None if pd.isna(v) else float(v) for v in pub],
        [f.integer(v) if pd.notna(v) else f"<{ctx.k}" for v in pub],
        lang=ctx.lang,
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


# -------------------------------------------------------------------------------------- change
def _change(ctx: Ctx, ch: pd.DataFrame, desc: pd.DataFrame) -> Section:
    sec = Section("change", ctx.t("sec_change"))
    f, inst = ctx.fmt, ctx.instrument
    d = desc.copy()
    d["hidden"] = d["n"].fillna(0) < ctx.k
    means = d.pivot(index="domain", columns="wave", values="mean").reindex(inst.domain_ids)
    hidden = d.pivot(index="domain", columns="wave", values="hidden").reindex(inst.domain_ids).fillna(True)
    labels = [ctx.domain(x) for x in inst.domain_ids]
    series = []
    for w in inst.wave_ids:
        vals = [
            None
            if hidden.at[dm, w] or pd.isna(cast(float, means.at[dm, w]))
            else float(cast(float, means.at[dm, w]))
            for dm in inst.domain_ids
        ]
        hover = [
            f"{ctx.wave(w)} · {lab}: {f.number(v, 2) if v is not None else f'<{ctx.k}'}"
            for lab, v in zip(labels, vals, strict=True)
        ]
        series.append((ctx.wave(w), vals, hover))
    if len(labels) >= 3:
        radar_fig = _charts.radar(labels, series, lo=inst.scale.min, hi=inst.scale.max, lang=ctx.lang)
    else:  # a radar needs three axes; two domains are bars
        radar_fig = _charts.mean_bars(labels, series, lo=inst.scale.min, hi=inst.scale.max, lang=ctx.lang)
    wide = pd.DataFrame({"label": labels})
    st_wide = pd.DataFrame({"label": [PUBLISHED] * len(labels)})
    cols = [Column("label", ctx.t("domain"))]
    for w in inst.wave_ids:
        wide[w] = means[w].to_numpy()
        st_wide[w] = np.where(hidden[w].to_numpy(dtype=bool), "primary", PUBLISHED)
        cols.append(Column(w, ctx.t("mean_baseline", wave=ctx.wave(w)), "number2"))
    up = [
        d for d in means.index if ctx.direction(d) > 0
    ]  # "lowest" intake means worst only where high is good
    intake = means[inst.wave_ids[0]].loc[up or list(means.index)].sort_values()
    gains = (means[inst.wave_ids[-1]] - means[inst.wave_ids[0]]).dropna()
    rose = len(gains) and (gains > 0).all() and all(ctx.direction(d) > 0 for d in gains.index)
    key = "radar_caption" if rose else "radar_caption_mixed"
    cap = ctx.t(key, low1=ctx.domain(intake.index[0]), low2=ctx.domain(intake.index[min(1, len(intake) - 1)]))
    sec.blocks.append(
        Chart(
            "radar",
            ctx.t("radar_title"),
            cap,
            radar_fig,
            Table.build(
                "tbl-radar", ctx.t("radar_title"), wide, cols, f, status=st_wide, k=ctx.k, sheet="change"
            ),
        )
    )

    c = ch.copy().reset_index(drop=True)
    c["label"] = [ctx.domain(x) for x in c["domain"]]
    c["gain"] = c["mean_diff"] * c["domain"].map(ctx.direction)  # most improved first, either direction
    c = c.sort_values("gain", ascending=False, na_position="last").reset_index(drop=True)
    row_hidden = (c["n"].fillna(0) < ctx.k) | (c["status"] != "ok")
    st = pd.DataFrame(PUBLISHED, index=c.index, columns=c.columns)
    for col in c.columns:
        if col not in ("label", "domain"):
            st.loc[row_hidden, col] = "primary"
    base_w, fup_w = ctx.wave(c["baseline"].iloc[0]), ctx.wave(c["followup"].iloc[0])
    pub = c.mask(st != PUBLISHED)
    hover = [
        f"{lab}: {f.signed(m)} ({f.ci(lo, hi)}), n = {f.integer(n)}" if pd.notna(m) else f"{lab}: <{ctx.k}"
        for lab, m, lo, hi, n in zip(
            c["label"], pub["mean_diff"], pub["ci_low"], pub["ci_high"], pub["n"], strict=True
        )
    ]
    fig = _charts.dots_ci(
        list(c["label"]),
        _opt(pub["mean_diff"]),
        _opt(pub["ci_low"]),
        _opt(pub["ci_high"]),
        hover,
        axis_title=ctx.t("mean_diff"),
        lang=ctx.lang,
    )
    ok = pub.dropna(subset=["mean_diff"])
    cap = (
        ctx.t(
            "distance_caption",
            best=ok["label"].iloc[0],
            diff=f.number(ok["gain"].iloc[0], 2),
            worst=ok["label"].iloc[-1],
            diff_w=f.signed(ok["gain"].iloc[-1]),
        )
        if len(ok)
        else ""
    )
    table = Table.build(
        "tbl-distance",
        ctx.t("distance_title", baseline=base_w, followup=fup_w),
        c,
        [
            Column("label", ctx.t("domain")),
            Column("n", ctx.t("n"), "count"),
            Column("mean_diff", ctx.t("mean_diff"), "signed2"),
            Column(("ci_low", "ci_high"), ctx.t("ci95"), "ci:number2"),
            Column("p_adjusted", ctx.t("p_adjusted"), "p"),
        ],
        f,
        status=st,
        k=ctx.k,
        sheet="change",
    )
    sec.blocks.append(
        Chart("distance", ctx.t("distance_title", baseline=base_w, followup=fup_w), cap, fig, table)
    )

    # improved / unchanged / worse: three parts of n, protected as complementary cells
    counts = pd.DataFrame(
        {
            p: np.round(c[f"share_{p}"].fillna(0) * c["n"].fillna(0))
            for p in ("improved", "unchanged", "worse")
        }
    )
    stp = hide_small_parts(counts, ctx.k)
    stp[row_hidden.to_numpy()] = "primary"
    shares = pd.DataFrame({"label": c["label"], **{f"share_{p}": c[f"share_{p}"] for p in counts.columns}})
    st_sh = pd.DataFrame({"label": PUBLISHED, **{f"share_{p}": stp[p] for p in counts.columns}})
    parts = []
    colors = [POSITIVE, NEUTRAL, NEGATIVE]
    for p in counts.columns:
        v = shares[f"share_{p}"].where(st_sh[f"share_{p}"] == PUBLISHED)
        parts.append(
            (
                ctx.t(p),
                _opt(v),
                [
                    f"{lab}: {f.percent(x) if pd.notna(x) else f'<{ctx.k}'}"
                    for lab, x in zip(shares["label"], v, strict=True)
                ],
            )
        )
    fig = _charts.stacked_shares(list(shares["label"]), parts, lang=ctx.lang, colors=colors)
    imp = shares["share_improved"].where(st_sh["share_improved"] == PUBLISHED)
    best_i = imp.idxmax() if imp.notna().any() else None
    cap = (
        ""
        if best_i is None
        else ctx.t(
            "shares_caption",
            best=shares.at[best_i, "label"],
            share=f.percent(imp.loc[cast(int, best_i)]),
            baseline=base_w,
            followup=fup_w,
        )
    )
    table = Table.build(
        "tbl-shares",
        ctx.t("shares_title"),
        shares,
        [Column("label", ctx.t("domain"))]
        + [Column(f"share_{p}", ctx.t(p), "share") for p in counts.columns],
        f,
        status=st_sh,
        k=ctx.k,
        sheet="change",
    )
    sec.blocks.append(Chart("shares", ctx.t("shares_title"), cap, fig, table))
    return sec


def _opt(s: pd.Series) -> list[float | None]:
    return [None if pd.isna(v) else float(v) for v in s]


# --------------------------------------------------------------------------------- transitions
def _transitions(ctx: Ctx, ch: pd.DataFrame) -> Section:
    f, inst = ctx.fmt, ctx.instrument
    first, last = inst.wave_ids[0], inst.wave_ids[-1]
    sec = Section(
        "transitions",
        ctx.t("sec_transitions"),
        [ctx.t("transitions_intro", baseline=ctx.wave(first), followup=ctx.wave(last))],
    )
    ok = ch[(ch["status"] == "ok") & (ch["n"] >= ctx.k)]
    if not inst.scale.integer or ok.empty:
        return sec
    best = str(
        ok["domain"].iloc[int((ok["mean_diff"] * ok["domain"].map(ctx.direction)).to_numpy().argmax())]
    )
    tr = measures.transitions(ctx.dataset.assessments, baseline=first, followup=last, domains=[best])
    # every level, or levels grouped: whichever lets more families' flows be drawn
    options: list[tuple[float, int, Any, pd.DataFrame, Any]] = []
    for bands in ([([v], ctx.level(v)) for v in ctx.instrument.scale.values], _bands(ctx, best)):
        band_of = {v: i for i, (vals, _) in enumerate(bands) for v in vals}
        t_ = tr.assign(src=tr["from_level"].map(band_of), dst=tr["to_level"].map(band_of))
        m_ = t_.pivot_table(index="src", columns="dst", values="n", aggfunc="sum", fill_value=0)
        ix = list(range(len(bands)))
        m_ = m_.reindex(index=ix, columns=ix, fill_value=0)
        p_ = suppress_counts(m_, k=ctx.k, totals="both", total_label="total")
        drawn = float(m_.to_numpy()[(p_.status.loc[ix, ix] == PUBLISHED).to_numpy()].sum())
        options.append((drawn, -len(options), bands, m_, p_))
    _, _, bands, mat, prot = max(options, key=lambda o: (o[0], o[1]))
    idx = list(range(len(bands)))
    names = [label for _, label in bands]
    nodes = [f"{ctx.wave(first)}: {n_}" for n_ in names] + [f"{ctx.wave(last)}: {n_}" for n_ in names]
    colors = [PALETTE[i % len(PALETTE)] for i in idx] * 2
    links = []
    for i in idx:
        for j in idx:
            cell = int(cast(int, mat.at[i, j]))
            if prot.status.at[i, j] == PUBLISHED and cell > 0:
                n = cell
                links.append(
                    (i, len(idx) + j, float(n), f"{nodes[i]} → {nodes[len(idx) + j]}: {f.integer(n)}")
                )
    # per source, the hidden flows together (row total minus drawn flows: known from the totals
    # anyway) go to one grey "not shown" node, so node sizes stay true
    hidden = {i: float(mat.loc[i].to_numpy().sum()) - sum(v for s_, _, v, _ in links if s_ == i) for i in idx}
    # (a hidden sum under k is not drawn either: it would read as a small published count)
    hidden = {i: v for i, v in hidden.items() if v >= ctx.k}
    if hidden:
        nodes.append(ctx.t("not_shown_flows", k=ctx.k))
        colors.append("#BBBBBB")
        for i, v in hidden.items():
            links.append((i, len(nodes) - 1, v, f"{nodes[i]} → {nodes[-1]}: {f.integer(v)}"))
    grey = len(nodes) - 1 if len(nodes) > 2 * len(idx) else None
    # fixed positions: baseline left, follow-up right, the best level on top, "not shown" at the bottom
    n_b = len(idx)
    ys = [0.02 + 0.5 * (n_b - 1 - i) / max(n_b - 1, 1) for i in idx]
    xs = [0.001] * n_b + [0.999] * n_b + ([0.999] if grey is not None else [])
    ys = ys + ys + ([0.62] if grey is not None else [])
    fig = _charts.sankey(nodes, colors, links, lang=ctx.lang, grey_target=grey, x=xs, y=ys)
    row = cast(pd.Series, ok.set_index("domain").loc[best])
    cap = ctx.t(
        "sankey_caption",
        domain=ctx.domain(best),
        up=_share_or_marker(ctx, row, "share_improved"),
        down=_share_or_marker(ctx, row, "share_worse"),
        k=ctx.k,
    )
    tab = prot.values.copy()
    st = prot.status.copy()
    keys = [f"to_{c_}" for c_ in tab.columns]
    tab.columns, st.columns = keys, keys
    tab.insert(0, "from", [names[v] if v != "total" else ctx.t("total") for v in tab.index])
    st.insert(0, "from", PUBLISHED)
    cols = [Column("from", f"{ctx.wave(first)} \\ {ctx.wave(last)}")]
    cols += [
        Column(key, names[int(c_)] if c_ != "total" else ctx.t("total"), "count")
        for key, c_ in zip(keys, prot.values.columns, strict=True)
    ]
    title = ctx.t("sankey_title", domain=ctx.domain(best), baseline=ctx.wave(first), followup=ctx.wave(last))
    table = Table.build("tbl-sankey", title, tab, cols, f, status=st, k=ctx.k, sheet="transitions")
    sec.blocks.append(Chart("sankey", title, cap, fig, table))
    return sec


def _bands(ctx: Ctx, domain: str) -> list[tuple[list[int], str]]:
    """Levels grouped for the Sankey: below "sufficient" minus one, the level just below it, and
    sufficient or higher (1–2, 3, 4–5 on the default scale), so fewer flows fall under k."""
    scale, suff = ctx.instrument.scale, ctx.instrument.sufficient_for(domain)
    values = list(scale.values)
    if suff is None or not ctx.instrument.higher_is_better(domain) or len(values) <= 3:
        return [([v], ctx.level(v)) for v in values]
    s = int(suff)
    groups = [
        [v for v in values if v < s - 1],
        [v for v in values if v == s - 1],
        [v for v in values if v >= s],
    ]
    out = []
    for g in groups:
        if not g:
            continue
        if len(g) == 1:
            out.append((g, ctx.level(g[0])))
        else:
            first_label = scale.level_label(g[0], ctx.lang)
            last_label = scale.level_label(g[-1], ctx.lang)
            if first_label == str(g[0]):  # a scale without level labels: the numbers, once
                out.append((g, f"{g[0]}–{g[-1]}"))
            else:
                out.append((g, f"{g[0]}–{g[-1]} {first_label} – {last_label.lower()}"))
    return out


def _share_or_marker(ctx: Ctx, row: pd.Series, col: str) -> str:
    parts = pd.DataFrame(
        [{p: round(row[f"share_{p}"] * row["n"]) for p in ("improved", "unchanged", "worse")}]
    )
    st = hide_small_parts(parts, ctx.k)
    key = col.removeprefix("share_")
    return ctx.fmt.percent(row[col]) if st.at[0, key] == PUBLISHED else ctx.t("fewer_than", k=ctx.k)


# ------------------------------------------------------------------------------ reliable change
CATEGORIES = ("recovered", "improved", "unchanged", "deteriorated")


def _reliable(ctx: Ctx, summary: Section) -> Section:
    f = ctx.fmt
    sec = Section("reliable", ctx.t("sec_reliable"), [ctx.t("rci_intro")])
    a = ctx.dataset.assessments
    try:
        rc = measures.reliable_change(a)
    except DesignError as err:  # e.g. an instrument without reliabilities: say so, show nothing
        sec.paragraphs = [ctx.t("rci_unavailable", reason=str(err))]
        return sec
    counts = (
        rc.groupby(["domain", "category"], observed=True)
        .size()
        .unstack("category")
        .reindex(index=ctx.instrument.domain_ids, columns=list(CATEGORIES))
        .fillna(0)
    )
    prot = suppress_counts(counts, k=ctx.k, totals="rows", total_label="n")
    vals = prot.values.copy()
    n = vals["n"].replace(0, np.nan)
    shares = vals[list(CATEGORIES)].div(n, axis=0)
    shares.insert(0, "label", [ctx.domain(x) for x in shares.index])
    shares["n"] = vals["n"]
    st = prot.status.copy()
    st.insert(0, "label", PUBLISHED)
    shares, st = shares.reset_index(drop=True), st.reset_index(drop=True)
    colors = [PALETTE[0], PALETTE[4], "#BBBBBB", NEGATIVE]
    parts = []
    for cat in CATEGORIES:
        v = shares[cat].where(st[cat] == PUBLISHED)
        parts.append(
            (
                ctx.t(f"cat_{cat}"),
                _opt(v),
                [
                    f"{lab}: {f.percent(x) if pd.notna(x) else f'<{ctx.k}'}"
                    for lab, x in zip(shares["label"], v, strict=True)
                ],
            )
        )
    fig = _charts.stacked_shares(list(shares["label"]), parts, lang=ctx.lang, colors=colors)
    better = shares["recovered"].where(st["recovered"] == PUBLISHED).fillna(0) + shares["improved"].where(
        st["improved"] == PUBLISHED
    ).fillna(0)
    i = int(better.to_numpy().argmax())
    cap = ctx.t("rci_caption", best=shares.at[i, "label"], share=f.percent(better[i]))
    table = Table.build(
        "tbl-reliable",
        ctx.t("tbl_reliable"),
        shares,
        [Column("label", ctx.t("domain")), Column("n", ctx.t("n"), "count")]
        + [Column(c_, ctx.t(f"cat_{c_}"), "share") for c_ in CATEGORIES],
        f,
        status=st,
        k=ctx.k,
        sheet="reliable change",
    )
    sec.blocks.append(Chart("reliable", ctx.t("rci_title"), cap, fig, table))
    fam = measures.reliable_change(a, level="family")
    up = int(((fam["n_recovered"] + fam["n_improved"]) > 0).sum())
    st1 = hide_small_parts(pd.DataFrame([[up, len(fam) - up]]), ctx.k)
    if st1.iat[0, 0] == PUBLISHED and len(fam):
        summary.key_figures.append(KeyFigure.of(f, up / len(fam), "share", ctx.t("kf_improved")))
    return sec


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
    return sec


# ------------------------------------------------------------------------------------- methods
def _methods(ctx: Ctx, ch: pd.DataFrame, desc: pd.DataFrame) -> Section:
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
    st = suppress_rows(c, n="n", k=ctx.k, total=False, keep=["label", "domain"]).status
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
            ],
            f,
            status=st,
            k=ctx.k,
            sheet="methods",
        )
    )
    if ctx.families is not None and ctx.families["municipality"].notna().any():
        sec.blocks.append(_by_municipality(ctx))
    om = measures.omnibus(ctx.dataset.assessments)
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
