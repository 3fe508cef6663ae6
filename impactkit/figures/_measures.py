"""Figures of the measures tables: radar, distance travelled, improved/unchanged/worse,
reliable-change categories and omnibus effect sizes.

Each takes a tidy table (a measures result, or the same columns with suppressed cells as NaN),
``lang`` and the instrument (default ``table.meta["instrument"]``), and returns a plotly Figure.
A suppressed value is a gap with ``<k`` in its hover text when ``k`` is given.  Colours are
Okabe-Ito and every category also carries a pattern or a text label, never colour alone.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from impactkit.figures._common import meta, one_group, setup, title_of
from impactkit.figures._labels import Labels
from impactkit.figures._theme import (
    NEGATIVE,
    NEUTRAL,
    PALETTE,
    PATTERNS,
    POSITIVE,
    finish,
    hover_value,
    opt,
    wrap,
)
from impactkit.i18n import text
from impactkit.instruments import Instrument

__all__ = [
    "CATEGORIES",
    "CATEGORY_COLOURS",
    "CATEGORY_PATTERNS",
    "change_shares",
    "distance_travelled",
    "omnibus_effects",
    "radar",
    "rci_categories",
]

CATEGORIES = ("recovered", "improved", "unchanged", "mixed", "deteriorated")
CATEGORY_COLOURS = {
    "recovered": POSITIVE,
    "improved": "#56B4E9",
    "unchanged": NEUTRAL,
    "mixed": "#E69F00",
    "deteriorated": NEGATIVE,
}
CATEGORY_PATTERNS = {"recovered": "", "improved": "/", "unchanged": ".", "mixed": "-", "deteriorated": "x"}
_DASH = ["solid", "dash", "dot", "dashdot"]
_SYMBOL = ["circle", "square", "diamond", "triangle-up"]


def radar(
    table: pd.DataFrame,
    *,
    lang: str = "en",
    waves: list[str] | None = None,
    group: object = None,
    instrument: Instrument | None = None,
    k: int | None = None,
    title: str | None = None,
) -> go.Figure:
    """Mean score per domain, one closed polygon per wave, from :func:`~impactkit.measures.describe`.

    Domains run clockwise from the top in the instrument's order; the radial axis spans the
    scale.  With fewer than three domains (no polygon) it draws grouped bars instead.

    Parameters
    ----------
    table : DescribeResult or DataFrame
        Needs ``domain, wave, mean``; a suppressed mean is NaN.
    lang : str
        Any language with catalogues (``"en"``, ``"nl"``).
    waves : list of str, optional
        Waves to draw (default: all in the table).
    group : optional
        The group to draw when the table was made with ``by``.
    instrument : Instrument, optional
        Labels and the radial range; default ``table.meta["instrument"]``.
    k : int, optional
        Hover text ``<k`` for suppressed means.
    title : str, optional
        Default: the catalogue's title; ``""`` for none.
    """
    lab = setup(table, lang, "radar", instrument)
    inst = lab.instrument
    df = one_group(table, group, "radar")
    order = list(pd.unique(df["wave"])) if waves is None else waves
    domains = list(inst.domain_ids) if inst is not None else list(pd.unique(df["domain"]))
    domains = [d for d in domains if d in set(df["domain"])]
    labels = [lab.domain(d) for d in domains]
    fig = go.Figure()
    polar = len(domains) >= 3
    for i, wave in enumerate(order):
        part = df[df["wave"] == wave].set_index("domain")["mean"].reindex(domains)
        values = opt(part)
        hover = [
            f"{lab.wave(wave)} · {name}: {hover_value(lab.fmt.number(v, 2), k)}"
            for name, v in zip(labels, part, strict=True)
        ]
        if polar:
            theta = [wrap(x, 18) for x in labels]
            fig.add_trace(
                go.Scatterpolar(
                    r=[*values, values[0]],
                    theta=[*theta, theta[0]],
                    name=lab.wave(wave),
                    mode="lines+markers",
                    line={"color": PALETTE[i % len(PALETTE)], "dash": _DASH[i % 4], "width": 2.5},
                    marker={"symbol": _SYMBOL[i % 4], "size": 7},
                    text=[*hover, hover[0]],
                    hoverinfo="text",
                )
            )
        else:
            fig.add_trace(
                go.Bar(
                    x=labels, y=values, name=lab.wave(wave), text=hover, textposition="none", hoverinfo="text",
                    marker={"color": PALETTE[i % len(PALETTE)], "pattern": {"shape": PATTERNS[i % len(PATTERNS)]}},
                )
            )  # fmt: skip
    rng = [inst.scale.min, inst.scale.max] if inst is not None else None
    out = finish(fig, lab.fmt, title=title_of(title, lab, "radar"), height=560 if polar else 380)
    if polar:
        out.update_layout(
            polar={"radialaxis": {"range": rng, "dtick": 1}, "angularaxis": {"direction": "clockwise"}},
            margin={"l": 90, "r": 90, "t": 70 if out.layout.title.text else 40, "b": 40},
        )
    else:
        out.update_layout(barmode="group")
        out.update_yaxes(range=rng, dtick=1)
    return out


def distance_travelled(
    table: pd.DataFrame,
    *,
    lang: str = "en",
    group: object = None,
    instrument: Instrument | None = None,
    k: int | None = None,
    title: str | None = None,
) -> go.Figure:
    """Mean change per domain with its confidence interval (a forest plot), from
    :func:`~impactkit.measures.change`; rows top to bottom in the table's order.

    Needs ``domain, mean_diff, ci_low, ci_high`` (``n``, ``baseline``, ``followup`` when present);
    a suppressed row (NaN) keeps its label without a point.  A change in the instrument's good
    direction is a blue diamond, the other way a vermillion square.
    """
    lab = setup(table, lang, "distance_travelled", instrument)
    f = lab.fmt
    df = one_group(table, group, "distance_travelled").reset_index(drop=True)
    labels = [lab.domain(d) for d in df["domain"]]
    est = df["mean_diff"]
    # an improvement: up, or down on a domain where lower is better
    better = (est * df["domain"].map(lab.direction) > 0).to_numpy()
    n = df["n"] if "n" in df else pd.Series([np.nan] * len(df))
    hover = [
        f"{name}: {f.signed(m)} ({f.ci(lo, hi)}), n = {f.integer(nn)}" if pd.notna(m) else f"{name}: <{k}"
        for name, m, lo, hi, nn in zip(labels, est, df["ci_low"], df["ci_high"], n, strict=True)
    ]
    fig = go.Figure(
        go.Scatter(
            x=opt(est),
            y=labels,
            mode="markers",
            marker={"color": np.where(better, POSITIVE, NEGATIVE).tolist(), "size": 11,
                    "symbol": np.where(better, "diamond", "square").tolist()},
            error_x={"type": "data", "symmetric": False, "array": opt(df["ci_high"] - est),
                     "arrayminus": opt(est - df["ci_low"]), "color": NEUTRAL, "thickness": 2, "width": 6},
            text=hover,
            hoverinfo="text",
            showlegend=False,
        )
    )  # fmt: skip
    fig.add_vline(x=0, line={"color": NEUTRAL, "dash": "dash"})
    fig.update_xaxes(title=text("figures", "mean_change", lab.lang), zeroline=False)
    fig.update_yaxes(autorange="reversed")
    m = meta(table)
    b = lab.wave(df["baseline"].iloc[0] if "baseline" in df and len(df) else m.get("baseline", ""))
    fu = lab.wave(df["followup"].iloc[0] if "followup" in df and len(df) else m.get("followup", ""))
    level = f.percent(float(m.get("conf_level", m.get("level", 0.95))))
    name = title_of(title, lab, "distance", b=b, f=fu, level=level)
    return finish(fig, f, title=name, height=120 + 38 * len(labels) + (40 if name else 0), legend=False)


def _stacked(
    labels: list[str],
    parts: list[tuple[Any, ...]],
    lab: Labels,
    k: int | None,
) -> go.Figure:
    """Horizontal 100% bars; ``parts`` = (name, shares, colour, pattern) in stacking order, or
    (name, shares, colour, pattern, texts, hovers) with a segment text and hover text per row
    (None: the share's own)."""
    fmt = lab.fmt
    fig = go.Figure()
    for name, shares, colour, pattern, *own in parts:
        texts, hovers = own if own else (None, None)
        fig.add_trace(
            go.Bar(
                y=labels,
                x=opt(shares),
                name=name,
                orientation="h",
                # a light pattern keeps the share printed on the segment readable
                marker={"color": colour, "pattern": {"shape": pattern, "fgopacity": 0.45}},
                text=texts or [fmt.percent(s) if pd.notna(s) and s >= 0.1 else "" for s in shares],
                textposition="inside",
                insidetextanchor="middle",
                textfont={"size": 11},
                hovertext=hovers
                or [f"{y}: {hover_value(fmt.percent(s), k)}" for y, s in zip(labels, shares, strict=True)],
                hoverinfo="text+name",
            )
        )
    # a row with nothing publishable says so in words (an empty row would read as 0%)
    empty = [y for i, y in enumerate(labels) if all(pd.isna(part[1].iloc[i]) for part in parts)]
    if empty:
        fig.add_trace(
            go.Scatter(
                y=empty, x=[0.01] * len(empty), mode="text", text=[text("figures", "row_not_shown", lab.lang, k=k if k is not None else "k")] * len(empty),
                textposition="middle right", textfont={"color": NEUTRAL, "size": 11}, showlegend=False,
                hoverinfo="skip",
            )
        )  # fmt: skip
    fig.update_layout(
        barmode="stack", legend={"traceorder": "normal"}, uniformtext={"minsize": 9, "mode": "hide"}
    )
    fig.update_xaxes(tickformat=".0%", range=[0, 1])
    fig.update_yaxes(autorange="reversed")
    return fig


def change_shares(
    table: pd.DataFrame,
    *,
    lang: str = "en",
    group: object = None,
    instrument: Instrument | None = None,
    k: int | None = None,
    title: str | None = None,
) -> go.Figure:
    """Share of families improved, unchanged and worse per domain, from
    :func:`~impactkit.measures.change` (``share_improved, share_unchanged, share_worse``).

    Optional ``share_not_improved`` (unchanged or worse) and ``share_not_worse`` (improved or
    unchanged) draw a combined segment where a table publishes the combination instead of its
    parts (small-cell suppression that keeps the largest category visible); a row holds either
    the parts or a combination with the remaining part.

    Optional ``share_<part>_low`` (and ``share_<part>_high``): the published bound of a hidden
    part (``improved`` inside "not worse"; ``worse`` or ``unchanged`` inside "not improved"),
    drawn in the part's colour up to its lower bound and labelled "≥ 78%", the combined segment
    then drawn as the rest of it (the range the part may take), hover with both bounds.
    """
    lab = setup(table, lang, "change_shares", instrument)
    df = one_group(table, group, "change_shares").reset_index(drop=True)
    labels = [lab.domain(d) for d in df["domain"]]
    fmt = lab.fmt
    look = {
        "improved": (POSITIVE, ""),
        "not_worse": ("#9BCFEA", "+"),
        "unchanged": (NEUTRAL, "/"),
        "not_improved": ("#C8C8C8", "x"),
        "worse": (NEGATIVE, "."),
    }
    inside = {"improved": "not_worse", "unchanged": None, "worse": "not_improved"}

    def col(name: str) -> pd.Series:
        return df[name].astype(float) if name in df else pd.Series(np.nan, index=df.index)

    low = {p: col(f"share_{p}_low") for p in ("improved", "unchanged", "worse")}
    high = {p: col(f"share_{p}_high") for p in ("improved", "unchanged", "worse")}

    def around(p: str, i: int) -> str | None:  # the combined part a bound of p is drawn inside
        if pd.isna(low[p].iloc[i]):
            return None
        if inside[p] is not None:
            return inside[p]
        return "not_worse" if pd.notna(col("share_not_worse").iloc[i]) else "not_improved"

    parts = []
    for p in look:
        if f"share_{p}" not in df:
            continue
        shares = col(f"share_{p}").copy()
        texts = [fmt.percent(s) if pd.notna(s) and s >= 0.1 else "" for s in shares]
        hovers = [f"{y}: {hover_value(fmt.percent(s), k)}" for y, s in zip(labels, shares, strict=True)]
        for i in range(len(df)):
            if p in low and pd.isna(shares.iloc[i]) and pd.notna(low[p].iloc[i]):
                shares.iloc[i] = low[p].iloc[i]
                lo = fmt.percent(low[p].iloc[i])
                hi = fmt.percent(high[p].iloc[i]) if pd.notna(high[p].iloc[i]) else fmt.percent(1.0)
                texts[i] = f"≥ {lo}" if low[p].iloc[i] >= 0.1 else ""
                hovers[i] = f"{labels[i]}: " + text("figures", "part_bound", lab.lang, low=lo, high=hi)
            elif p in ("not_worse", "not_improved") and pd.notna(shares.iloc[i]):
                held = [q for q in low if around(q, i) == p]
                if held:  # the rest of the combined part beyond the bound drawn inside it
                    shares.iloc[i] = max(0.0, shares.iloc[i] - low[held[0]].iloc[i])
                    texts[i] = ""
                    hovers[i] = f"{labels[i]}: {fmt.percent(col(f'share_{p}').iloc[i])}"
        if p in ("improved", "unchanged", "worse") or shares.notna().any():
            parts.append((text("figures", f"part_{p}", lab.lang), shares, *look[p], texts, hovers))
    fig = _stacked(labels, parts, lab, k)
    m = meta(table)
    b = lab.wave(df["baseline"].iloc[0] if "baseline" in df and len(df) else m.get("baseline", ""))
    fu = lab.wave(df["followup"].iloc[0] if "followup" in df and len(df) else m.get("followup", ""))
    name = title_of(title, lab, "shares", b=b, f=fu)
    return finish(fig, lab.fmt, title=name, height=160 + 34 * len(labels) + (40 if name else 0))


def rci_categories(
    table: pd.DataFrame,
    *,
    lang: str = "en",
    instrument: Instrument | None = None,
    k: int | None = None,
    title: str | None = None,
) -> go.Figure:
    """Stacked bars of reliable-change categories, from :func:`~impactkit.measures.reliable_change`.

    Takes the per-family table (one bar per domain; ``level="family"``: one bar), or a table of
    shares ``domain, category, share`` such as ``reliable_change_shares`` (suppressed shares NaN).
    Shares are of the classified families; each segment carries its category name and share.
    Optional ``share_low`` / ``share_high``: the published bound of a suppressed share, drawn up to
    its lower bound and labelled "≥ 92%", both bounds in the hover.
    """
    lab = setup(table, lang, "rci_categories", instrument)
    inst = lab.instrument
    m = meta(table)
    family_level = "domain" not in table.columns
    cat_col = table["category"]
    present = set(cat_col.astype(str))
    listed = list(cat_col.cat.categories) if hasattr(cat_col, "cat") else []
    cats = [c for c in CATEGORIES if c in present or c in listed] + sorted(present - set(CATEGORIES))
    if "share" in table.columns and not family_level:
        shares = table.pivot_table(index="domain", columns="category", values="share", aggfunc="first",
                                   dropna=False, observed=False).reindex(columns=cats)  # fmt: skip
    else:
        keys = pd.Series("all", index=table.index) if family_level else table["domain"].astype(str)
        counts = pd.crosstab(keys, cat_col.astype(str)).reindex(columns=cats, fill_value=0)
        shares = counts.div(counts.sum(axis=1), axis=0)
    if family_level:
        labels = [text("figures", "overall", lab.lang)]
    else:
        order = [d for d in (inst.domain_ids if inst else shares.index) if d in shares.index]
        shares = shares.loc[order]
        labels = [lab.domain(d) for d in shares.index]
    bound = {}
    for col in ("share_low", "share_high"):
        if col in table.columns and not family_level:
            bound[col] = table.pivot_table(index="domain", columns="category", values=col, aggfunc="first",
                                           dropna=False, observed=False).reindex(columns=cats, index=shares.index)  # fmt: skip
    parts: list[tuple[Any, ...]] = []
    for c in cats:
        name = text("figures", f"cat_{c}", lab.lang) if c in CATEGORIES else c
        s = shares[c].reset_index(drop=True).astype(float)
        look = (CATEGORY_COLOURS.get(c, NEUTRAL), CATEGORY_PATTERNS.get(c, ""))
        if "share_low" not in bound or bound["share_low"][c].isna().all():
            parts.append((name, s, *look))
            continue
        low = bound["share_low"][c].reset_index(drop=True).astype(float)
        high = bound.get("share_high", bound["share_low"])[c].reset_index(drop=True).astype(float)
        fmt = lab.fmt
        texts = [fmt.percent(x) if pd.notna(x) and x >= 0.1 else "" for x in s]
        hovers = [f"{y}: {hover_value(fmt.percent(x), k)}" for y, x in zip(labels, s, strict=True)]
        for i in range(len(s)):
            if pd.isna(s.iloc[i]) and pd.notna(low.iloc[i]):
                s.iloc[i] = low.iloc[i]
                lo, hi = (
                    fmt.percent(low.iloc[i]),
                    fmt.percent(high.iloc[i] if pd.notna(high.iloc[i]) else 1.0),
                )
                texts[i] = f"≥ {lo}" if low.iloc[i] >= 0.1 else ""
                hovers[i] = f"{labels[i]}: " + text("figures", "part_bound", lab.lang, low=lo, high=hi)
        parts.append((name, s, *look, texts, hovers))
    fig = _stacked(labels, parts, lab, k)
    b, fu = lab.wave(m.get("baseline", "")), lab.wave(m.get("followup", ""))
    name = title_of(title, lab, "rci_family" if family_level else "rci", b=b, f=fu)
    return finish(fig, lab.fmt, title=name, height=160 + 34 * len(labels) + (40 if name else 0))


def omnibus_effects(
    table: pd.DataFrame, *, lang: str = "en", instrument: Instrument | None = None, title: str | None = None
) -> go.Figure:
    """Bar of the generalised eta² per domain, from :func:`~impactkit.measures.omnibus`."""
    lab = setup(table, lang, "omnibus_effects", instrument)
    df = pd.DataFrame(table).dropna(subset=["eta2_generalized"])
    fig = go.Figure(
        go.Bar(
            x=df["eta2_generalized"],
            y=[lab.domain(d) for d in df["domain"]],
            orientation="h",
            marker={"color": POSITIVE},
            text=[lab.fmt.number(v, 3) for v in df["eta2_generalized"]],
            textposition="outside",
            cliponaxis=False,
        )
    )
    fig.update_yaxes(autorange="reversed")
    name = title_of(title, lab, "omnibus")
    return finish(fig, lab.fmt, title=name, height=140 + 34 * len(df) + (40 if name else 0), legend=False)
