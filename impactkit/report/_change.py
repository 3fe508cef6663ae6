"""Annual report: change per life domain (radar, distance travelled, improved / unchanged /
worse), level transitions (Sankey) and reliable change (Jacobson & Truax)."""

from __future__ import annotations

from typing import Any, cast

import numpy as np
import pandas as pd

from impactkit import figures, measures
from impactkit.errors import DesignError
from impactkit.report._context import Ctx, hide_small_parts
from impactkit.report._model import Chart, Column, Section, Table
from impactkit.report._reliable import MIN_PAIRS, item_reliability, reliable_headline
from impactkit.report._suppress import PUBLISHED, suppress_counts

__all__ = ["change_section", "reliable_section", "transitions_section"]


# -------------------------------------------------------------------------------------- change
def change_section(ctx: Ctx, ch: pd.DataFrame, desc: pd.DataFrame) -> Section:
    sec = Section("change", ctx.t("sec_change"))
    f, inst = ctx.fmt, ctx.instrument
    d = desc.copy()
    d["hidden"] = d["n"].fillna(0) < ctx.k
    means = d.pivot(index="domain", columns="wave", values="mean").reindex(inst.domain_ids)
    hidden = d.pivot(index="domain", columns="wave", values="hidden").reindex(inst.domain_ids).fillna(True)
    labels = [ctx.domain(x) for x in inst.domain_ids]
    published = d.assign(mean=d["mean"].where(~d["hidden"]))  # suppressed means are gaps
    radar_fig = figures.radar(published, lang=ctx.lang, instrument=inst, k=ctx.k, title="")
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
    # a domain with fewer than min_pairs complete pairs (but at least k) is described, not tested
    # (issue 12 item 6): it leaves the chart of mean change and its interval for its own table
    described = c["status"].astype(str).str.startswith("descriptive") & (c["n"].fillna(0) >= ctx.k)
    c_described = c[described].reset_index(drop=True)
    c = c[~described].reset_index(drop=True)
    if not len(c):  # every domain described: no chart of mean change, no shares of a tested change
        described_block(ctx, sec, c_described)
        return sec
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
    fig = figures.distance_travelled(
        pub.assign(domain=c["domain"]), lang=ctx.lang, instrument=inst, k=ctx.k, title=""
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
    published = c[["domain"]].assign(
        **{f"share_{p}": shares[f"share_{p}"].where(st_sh[f"share_{p}"] == PUBLISHED) for p in counts.columns}
    )
    fig = figures.change_shares(published, lang=ctx.lang, instrument=inst, k=ctx.k, title="")
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
    if len(c_described):
        described_block(ctx, sec, c_described)
    return sec


def described_block(ctx: Ctx, sec: Section, d: pd.DataFrame) -> None:
    """Domains with fewer than ``min_pairs`` complete pairs: medians, the families better /
    unchanged / worse (protected as parts of n) and the exact tests, with why no claim is made."""
    f = ctx.fmt
    d = d.copy()
    d["label"] = [ctx.domain(x) for x in d["domain"]]
    counts = d[["n_improved", "n_unchanged", "n_worse"]].fillna(0).astype(float)
    stp = hide_small_parts(counts, ctx.k)
    st = pd.DataFrame(PUBLISHED, index=d.index, columns=d.columns)
    for col in counts.columns:
        st[col] = stp[col]
    # an exact p-value is a function of the counts better and worse (the sign test's of those
    # alone): it is shown only where both are, else it would give a hidden count away
    leaks = ((stp["n_improved"] != PUBLISHED) | (stp["n_worse"] != PUBLISHED)).to_numpy()
    for col in ("wilcoxon_p", "sign_test_p"):
        st.loc[leaks, col] = "secondary"
    base_w, fup_w = ctx.wave(d["baseline"].iloc[0]), ctx.wave(d["followup"].iloc[0])
    sec.paragraphs.append(
        ctx.t("change_descriptive", min=f.integer(MIN_PAIRS), domains=", ".join(d["label"]))
    )
    sec.blocks.append(
        Table.build(
            "tbl-described",
            ctx.t("tbl_descriptive", min=f.integer(MIN_PAIRS)),
            d,
            [
                Column("label", ctx.t("domain")),
                Column("n", ctx.t("n"), "count"),
                Column("median_baseline", ctx.t("median_baseline", wave=base_w), "number1"),
                Column("median_followup", ctx.t("median_baseline", wave=fup_w), "number1"),
                Column("median_diff", ctx.t("median_diff"), "number1"),
                Column("n_improved", ctx.t("n_better"), "count"),
                Column("n_unchanged", ctx.t("n_same"), "count"),
                Column("n_worse", ctx.t("n_worse_col"), "count"),
                Column("wilcoxon_p", ctx.t("wilcoxon_exact_p"), "p"),
                Column("sign_test_p", ctx.t("sign_test_p"), "p"),
            ],
            f,
            status=st,
            k=ctx.k,
            sheet="change",
        )
    )


def _opt(s: pd.Series) -> list[float | None]:
    return [None if pd.isna(v) else float(v) for v in s]


# --------------------------------------------------------------------------------- transitions
def transitions_section(ctx: Ctx, ch: pd.DataFrame) -> Section:
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
    # the published flows; per source, the hidden flows together (row total minus drawn flows:
    # known from the totals anyway) go to one grey "not shown" node, so node sizes stay true
    rows = []
    for i in idx:
        drawn = 0.0
        for j in idx:
            cell = float(cast(float, mat.at[i, j]))
            if prot.status.at[i, j] == PUBLISHED and cell > 0:
                rows.append({"from_level": names[i], "to_level": names[j], "n": cell})
                drawn += cell
        rest = float(mat.loc[i].to_numpy().sum()) - drawn
        if rest >= ctx.k:  # a hidden sum under k is not drawn either: it would read as a published count
            rows.append({"from_level": names[i], "to_level": figures.HIDDEN, "n": rest})
    flows = pd.DataFrame(rows, columns=["from_level", "to_level", "n"]).assign(baseline=first, followup=last)
    fig = figures.transitions_sankey(flows, lang=ctx.lang, instrument=inst, levels=names, k=ctx.k, title="")
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


def reliable_section(ctx: Ctx, summary: Section) -> Section:
    f = ctx.fmt
    sec = Section("reliable", ctx.t("sec_reliable"), [ctx.t("rci_intro")])
    a = ctx.dataset.assessments
    alpha, unusable = item_reliability(ctx)  # Cronbach's alpha where the export holds item answers
    try:
        rc = measures.reliable_change(a, reliability=alpha)
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
    published = pd.DataFrame(
        [
            {
                "domain": dm,
                "category": cat,
                "share": shares.at[r, cat] if st.at[r, cat] == PUBLISHED else np.nan,
            }
            for r, dm in enumerate(vals.index)
            for cat in CATEGORIES
        ]
    )
    published["category"] = pd.Categorical(published["category"], categories=list(CATEGORIES))
    fig = figures.rci_categories(published, lang=ctx.lang, instrument=ctx.instrument, k=ctx.k, title="")
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
    # both directions against chance, and the two key figures of the summary (issue 12 item 4)
    reliable_headline(ctx, sec, summary, rc, st, unusable)
    return sec
