"""Figures of a cost evaluation, each built from one of its tables (returned, never shown).

Savings are blue, costs vermillion (Okabe-Ito, never red versus green alone); every bar carries
its value as text or hover, formatted for ``lang``; ids (payers, care paths, parameters) are
shown in words.  A suppressed value (NaN) is not drawn.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from impactkit.errors import check_choice
from impactkit.figures._common import setup, title_of
from impactkit.figures._theme import NEGATIVE, NEUTRAL, PALETTE, POSITIVE, finish, wrap
from impactkit.i18n import text

__all__ = [
    "costs_acceptability",
    "costs_by_payer",
    "costs_by_year",
    "costs_psa_histogram",
    "costs_spread",
    "costs_tornado",
    "costs_waterfall",
]

_MONEY_AXIS = {"tickprefix": "€", "separatethousands": True}


def _t(lab: Any, key: str, **values: Any) -> str:
    return text("figures", key, lab.lang, **values)


def costs_waterfall(
    by_path: pd.DataFrame,
    *,
    programme_cost: float,
    net_benefit: float | None = None,
    lang: str = "en",
    scenario: Any = None,
    title: str | None = None,
) -> go.Figure:
    """Programme cost → avoided cost per care path → net benefit (present values).

    ``by_path`` needs ``label`` (or ``path``) and ``avoided_cost``; rows with a NaN cost are left
    out (a report passes suppressed paths merged into one row of its own).  ``net_benefit``
    defaults to the sum of the bars.
    """
    lab = setup(by_path, lang, "costs_waterfall", scenario=scenario)
    df = pd.DataFrame(by_path).dropna(subset=["avoided_cost"])
    paths = df["path"] if "path" in df else df["label"]
    names = [lab.path(p, str(lb)) for p, lb in zip(paths, df.get("label", paths), strict=True)]
    values = [-float(programme_cost), *df["avoided_cost"].astype(float)]
    net = float(np.sum(values)) if net_benefit is None else float(net_benefit)
    labels = [wrap(x, 12, longest=16) for x in [_t(lab, "programme_cost"), *names, _t(lab, "net_benefit")]]
    shown = [lab.fmt.currency(v) for v in [*values, net]]
    fig = go.Figure(
        go.Waterfall(
            x=labels,
            y=[*values, net],
            measure=["relative"] * len(values) + ["total"],
            text=shown,
            textposition="outside",
            hoverinfo="text",
            cliponaxis=False,
            increasing={"marker": {"color": POSITIVE}},
            decreasing={"marker": {"color": NEGATIVE}},
            totals={"marker": {"color": "#000000"}},
            connector={"line": {"color": NEUTRAL}},
        )
    )
    fig.update_yaxes(**_MONEY_AXIS, title_text=_t(lab, "present_value"))
    name = title_of(title, lab, "waterfall")
    out = finish(fig, lab.fmt, title=name, height=500 + (40 if name else 0), legend=False)
    # horizontal, wrapped category labels read better than rotated ones (long Dutch care-path names)
    out.update_xaxes(tickangle=0, tickfont={"size": 11}, automargin=True)
    return out


def costs_by_payer(by_payer: pd.DataFrame, *, lang: str = "en", title: str | None = None) -> go.Figure:
    """Invests and saves per payer (present values): who pays, who gains (the wrong pocket).

    ``by_payer`` needs ``invests`` and ``saves`` with ``payer`` and/or ``label``; payers with
    neither are left out.
    """
    lab = setup(by_payer, lang, "costs_by_payer")
    df = pd.DataFrame(by_payer)
    df = df[(df["invests"] != 0) | (df["saves"] != 0)]
    ids = df["payer"] if "payer" in df else df["label"]
    names = [lab.payer(p, str(lb)) for p, lb in zip(ids, df.get("label", ids), strict=True)]
    fig = go.Figure()
    for i, (col, colour) in enumerate((("invests", NEGATIVE), ("saves", POSITIVE))):
        fig.add_trace(
            go.Bar(
                y=names,
                x=df[col],
                name=_t(lab, col),
                orientation="h",
                marker={"color": colour, "pattern": {"shape": ["", "/"][i]}},
                text=[lab.fmt.currency(v) if v else "" for v in df[col]],
                textposition="outside",
                textfont={"size": 11},
                cliponaxis=False,
                hoverinfo="text+name",
            )
        )
    fig.update_layout(barmode="group")
    fig.update_yaxes(autorange="reversed")
    top = float(np.nanmax([df["invests"].max(), df["saves"].max(), 0.0])) if len(df) else 0.0
    # room on the right for the amount printed after the longest bar
    fig.update_xaxes(**_MONEY_AXIS, title_text=_t(lab, "present_value"), range=[0, top * 1.22 or 1])
    name = title_of(title, lab, "by_payer")
    return finish(fig, lab.fmt, title=name, height=160 + 46 * len(names) + (40 if name else 0))


def costs_by_year(
    by_year: pd.DataFrame, *, lang: str = "en", by: str = "flow", title: str | None = None
) -> go.Figure:
    """The budget per year (undiscounted) with the cumulative net as a line.

    ``by="flow"``: invested (down) and saved (up), all payers together; ``by="payer"``: the net
    per payer (stacked).  ``by_year`` needs ``year, payer, invests, saves, net``
    (``calendar_year`` labels the axis when known).
    """
    check_choice("by", "costs_by_year", by, ("flow", "payer"))
    lab = setup(by_year, lang, "costs_by_year")
    df = pd.DataFrame(by_year)
    x_col = "calendar_year" if "calendar_year" in df and df["calendar_year"].notna().all() else "year"
    f = lab.fmt
    fig = go.Figure()
    if by == "flow":
        y = df.groupby(x_col, sort=True)[["invests", "saves", "net"]].sum()
        x = [str(v) for v in y.index]
        for col, sign, colour, pattern in (("invests", -1, NEGATIVE, ""), ("saves", 1, POSITIVE, "/")):
            fig.add_bar(
                x=x, y=sign * y[col], name=_t(lab, col), marker={"color": colour, "pattern": {"shape": pattern}},
                text=[f.currency(v) for v in y[col]], textposition="none", hoverinfo="text+name",
            )  # fmt: skip
        total = y["net"].cumsum()
    else:
        x = None
        for i, (payer, g) in enumerate(df.groupby("payer", sort=False)):
            if not g["net"].abs().sum():
                continue
            label = str(g["label"].iloc[0]) if "label" in g else ""
            fig.add_bar(
                x=[str(v) for v in g[x_col]], y=g["net"], name=lab.payer(payer, label),
                marker={"color": PALETTE[i % len(PALETTE)]},
                text=[f.currency(v) for v in g["net"]], textposition="none", hoverinfo="text+name",
            )  # fmt: skip
        total = df.groupby(x_col, sort=True)["net"].sum().cumsum()
    fig.add_scatter(
        x=x or [str(v) for v in total.index], y=total.to_numpy(), name=_t(lab, "cumulative"),
        mode="lines+markers", line={"color": "#000000", "width": 2.5}, marker={"symbol": "diamond", "size": 9},
        text=[f.currency(v) for v in total], hoverinfo="text+name",
    )  # fmt: skip
    fig.add_hline(y=0, line={"color": NEUTRAL})
    fig.update_layout(barmode="relative")
    fig.update_yaxes(**_MONEY_AXIS, title_text=_t(lab, "per_year"))
    name = title_of(title, lab, "by_year")
    return finish(fig, f, title=name, height=420 + (40 if name else 0))


def costs_psa_histogram(
    psa_draws: pd.DataFrame, *, lang: str = "en", bins: int = 40, title: str | None = None
) -> go.Figure:
    """Distribution of the net benefit over the PSA draws (share of draws per bin), with
    P(net benefit > 0) and the 95% interval.  A bin edge sits at 0, so no bin mixes losses and
    savings; losses are vermillion and hatched.  ``psa_draws`` needs ``net_benefit``.
    """
    lab = setup(psa_draws, lang, "costs_psa_histogram")
    f = lab.fmt
    x = pd.DataFrame(psa_draws)["net_benefit"].to_numpy(float)
    p = float(np.mean(x > 0))
    lo, hi = np.quantile(x, [0.025, 0.975])
    size = float(x.max() - x.min()) / bins or 1.0
    start = float(x.min())
    if x.min() < 0 < x.max():
        start = -float(np.ceil(-x.min() / size)) * size
    edges = start + size * np.arange(int(np.ceil((x.max() - start) / size)) + 2)
    counts, _ = np.histogram(x, bins=edges)
    keep = counts > 0
    left, right, share = edges[:-1][keep], edges[1:][keep], (counts / counts.sum())[keep]
    centres = (left + right) / 2
    loss = centres < 0
    hover = [
        f"{f.currency(a)} – {f.currency(b)}: {f.percent(s, 1)}"
        for a, b, s in zip(left, right, share, strict=True)
    ]
    fig = go.Figure()
    # one trace per side, each of one colour: the theme's hatch ("overlay") takes its colour from the
    # bar's, which plotly.js cannot do for one colour per bar ("Invalid color specifier: Array" in
    # the browser console, and a black hatch)
    for side, colour, shape in ((loss, NEGATIVE, "x"), (~loss, POSITIVE, "")):
        if side.any():
            fig.add_trace(
                go.Bar(
                    x=centres[side], y=share[side], width=size,
                    marker={"color": colour, "pattern": {"shape": shape}},
                    hovertext=[h for h, on in zip(hover, side, strict=True) if on], hoverinfo="text",
                )
            )  # fmt: skip
    fig.update_layout(barmode="overlay")  # the two sides never share a bin: no offset between them
    fig.add_vline(
        x=0, line={"color": "#000000", "width": 2}, annotation_position="top right",
        annotation_text=_t(lab, "p_saving_is", p=f.probability(p)),
    )  # fmt: skip
    for q, label in ((lo, f.percent(0.025, 1)), (hi, f.percent(0.975, 1))):
        fig.add_vline(x=float(q), line={"color": NEUTRAL, "dash": "dot"}, annotation_text=label,
                      annotation_position="top left")  # fmt: skip
    fig.update_xaxes(**_MONEY_AXIS, title_text=_t(lab, "net_benefit_pv"))
    fig.update_yaxes(tickformat=".0%", title_text=_t(lab, "share_of_draws"))
    name = title_of(title, lab, "psa", draws=f.integer(len(x)))
    return finish(fig, f, title=name, height=380 + (40 if name else 0), legend=False)


def costs_tornado(
    tornado: pd.DataFrame,
    *,
    base: float | None = None,
    top: int = 12,
    lang: str = "en",
    scenario: Any = None,
    instrument: Any = None,
    title: str | None = None,
) -> go.Figure:
    """One-way sensitivity: the net benefit with each parameter at its low and its high value,
    as bars from the base case; the parameter that moves it most on top.

    ``tornado`` needs ``parameter, low, high, net_low, net_high``; ``base`` (the base net
    benefit) is where the bars start.  Parameters are named in words (``scenario`` gives the
    names of its prices and care paths).  Low and high are a neutral pair (orange, hatched /
    blue), not the loss/saving colours: a low value is not bad in itself.
    """
    lab = setup(tornado, lang, "costs_tornado", instrument, scenario)
    f = lab.fmt
    t = pd.DataFrame(tornado).head(top)
    column = f"label_{lab.lang}"  # costs labels every parameter in en and nl; other languages: Labels
    names = [
        str(x) if column in t.columns and isinstance(x, str) and x else lab.param(p)
        for p, x in zip(t["parameter"], t[column] if column in t.columns else t["parameter"], strict=True)
    ]
    centre = float(base) if base is not None else 0.0
    fig = go.Figure()
    for side, colour, pattern in (("low", PALETTE[1], "x"), ("high", PALETTE[0], "")):
        fig.add_trace(
            go.Bar(
                y=names, x=t[f"net_{side}"] - centre, base=centre, orientation="h", name=_t(lab, f"at_{side}"),
                marker={"color": colour, "pattern": {"shape": pattern}},
                hovertext=[f"{n}: {f.general(v)} → {f.currency(nb)}" for n, v, nb in zip(names, t[side], t[f"net_{side}"], strict=True)],
                hoverinfo="text+name",
            )
        )  # fmt: skip
    fig.add_vline(x=centre, line={"color": "#000000"})
    fig.update_layout(barmode="overlay")
    fig.update_yaxes(autorange="reversed")
    fig.update_xaxes(**_MONEY_AXIS, title_text=_t(lab, "net_benefit_pv"))
    name = title_of(title, lab, "tornado")
    return finish(fig, f, title=name, height=160 + 34 * len(names) + (40 if name else 0))


def costs_acceptability(
    acceptability: pd.DataFrame, *, lang: str = "en", title: str | None = None
) -> go.Figure:
    """P(net benefit > 0) against deadweight (the share of avoided care that would have been avoided anyway).

    ``acceptability`` needs ``deadweight`` and ``p_net_benefit_positive``.
    """
    lab = setup(acceptability, lang, "costs_acceptability")
    f = lab.fmt
    df = pd.DataFrame(acceptability)
    fig = go.Figure(
        go.Scatter(
            x=df["deadweight"], y=df["p_net_benefit_positive"], mode="lines+markers",
            line={"color": POSITIVE, "width": 2.5}, name=_t(lab, "p_positive"),
            text=[f"{f.percent(d)}: {f.probability(p)}" for d, p in zip(df["deadweight"], df["p_net_benefit_positive"], strict=True)],
            hoverinfo="text",
        )
    )  # fmt: skip
    fig.add_hline(y=0.5, line={"color": NEUTRAL, "dash": "dash"})
    fig.update_xaxes(tickformat=".0%", title_text=_t(lab, "deadweight"))
    fig.update_yaxes(tickformat=".0%", range=[0, 1], title_text=_t(lab, "p_positive"))
    name = title_of(title, lab, "acceptability")
    return finish(fig, f, title=name, height=360 + (40 if name else 0), legend=False)


def costs_spread(spread: pd.DataFrame, *, lang: str = "en", title: str | None = None) -> go.Figure:
    """Where the PSA's spread comes from: per source of uncertainty the share of the variance of
    the net benefit it causes alone (first-order Sobol index) and with its interactions (total).

    ``spread`` is :attr:`CostEvaluation.spread` (``source, first_order, total_order`` and the
    labels ``label_en``/``label_nl``; other languages use the figures catalogue ``source.<id>``).
    Largest total first.
    """
    lab = setup(spread, lang, "costs_spread")
    f = lab.fmt
    df = pd.DataFrame(spread).sort_values("total_order", ascending=False, kind="stable")
    col = f"label_{lab.lang}"
    names = [
        str(x) if col in df.columns and isinstance(x, str) and x else _t(lab, f"source.{src}")
        for src, x in zip(df["source"], df[col] if col in df.columns else df["source"], strict=True)
    ]
    names = [wrap(x, 34) for x in names]
    fig = go.Figure()
    for key, colour, pattern in (("first_order", PALETTE[0], ""), ("total_order", PALETTE[1], "x")):
        values = df[key].astype(float)
        fig.add_trace(
            go.Bar(
                y=names, x=values, orientation="h", name=_t(lab, f"spread_{key}"),
                marker={"color": colour, "pattern": {"shape": pattern}},
                text=[f.percent(v) for v in values], textposition="outside", hoverinfo="text+name",
            )
        )  # fmt: skip
    fig.update_layout(barmode="group")
    fig.update_yaxes(autorange="reversed")
    fig.update_xaxes(tickformat=".0%", range=[0, 1.1], title_text=_t(lab, "spread_axis"))
    name = title_of(title, lab, "spread")
    return finish(fig, f, title=name, height=160 + 56 * len(names) + (40 if name else 0))
