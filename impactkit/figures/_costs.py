"""Figures of a cost evaluation, each built from one of its tables (returned, never shown).

Savings are blue, costs vermillion (Okabe-Ito, never red versus green alone); every bar carries
its value as text, so no meaning depends on colour.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from impactkit.figures._theme import NEGATIVE, NEUTRAL, PALETTE, POSITIVE, apply_theme

__all__ = [
    "costs_acceptability",
    "costs_by_payer",
    "costs_by_year",
    "costs_psa_histogram",
    "costs_tornado",
    "costs_waterfall",
]


def _eur(x: float) -> str:
    return f"−€{-x:,.0f}" if x < 0 else f"€{x:,.0f}"


def _wrap(text: str, width: int = 22) -> str:
    """Break a long axis label into lines of about ``width`` characters."""
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return "<br>".join(lines)


def costs_waterfall(by_path: pd.DataFrame, *, programme_cost: float, title: str | None = None) -> go.Figure:
    """Programme cost → avoided cost per care path → net benefit (present values).

    ``by_path`` needs ``label`` and ``avoided_cost``.
    """
    labels = [_wrap(t) for t in ["Programme cost", *by_path["label"].astype(str), "Net benefit"]]
    values = [-programme_cost, *by_path["avoided_cost"].astype(float)]
    net = float(np.sum(values))
    fig = go.Figure(
        go.Waterfall(
            x=labels,
            y=[*values, net],
            measure=["relative"] * len(values) + ["total"],
            text=[_eur(v) for v in [*values, net]],
            textposition="outside",
            increasing={"marker": {"color": POSITIVE}},
            decreasing={"marker": {"color": NEGATIVE}},
            totals={"marker": {"color": NEUTRAL}},
            connector={"line": {"color": NEUTRAL}},
        )
    )
    fig.update_yaxes(title_text="present value (€)")
    return apply_theme(fig, title=title or "From programme cost to net benefit")


def costs_by_payer(by_payer: pd.DataFrame, *, title: str | None = None) -> go.Figure:
    """Invests and saves per payer (present values): who pays, who gains (the wrong pocket).

    ``by_payer`` needs ``label``, ``invests`` and ``saves``.
    """
    shown = by_payer[(by_payer["invests"] != 0) | (by_payer["saves"] != 0)]
    fig = go.Figure(
        [
            go.Bar(
                y=shown["label"],
                x=-shown["invests"],
                name="invests",
                orientation="h",
                marker={"color": NEGATIVE, "pattern": {"shape": "/"}},
                text=[_eur(v) if v else "" for v in shown["invests"]],
                textposition="auto",
                textangle=0,
                cliponaxis=False,
            ),
            go.Bar(
                y=shown["label"],
                x=shown["saves"],
                name="saves",
                orientation="h",
                marker={"color": POSITIVE},
                text=[_eur(v) if v else "" for v in shown["saves"]],
                textposition="auto",
                textangle=0,
                cliponaxis=False,
            ),
        ]
    )
    fig.update_layout(barmode="relative")
    fig.update_xaxes(title_text="present value (€); invested to the left, saved to the right")
    return apply_theme(fig, title=title or "Who invests and who saves")


def costs_by_year(
    by_year: pd.DataFrame, *, title: str | None = None, labels: Mapping[str, str] | None = None
) -> go.Figure:
    """Net budget effect per payer and year (undiscounted), with the cumulative total as a line.

    ``by_year`` needs ``year``, ``payer``, ``net``; ``calendar_year`` labels the axis when known.
    ``labels`` maps payer ids to the names shown in the legend (e.g. from ``by_payer``).
    """
    labels = dict(labels or {})
    x_col = (
        "calendar_year" if "calendar_year" in by_year and by_year["calendar_year"].notna().all() else "year"
    )
    fig = go.Figure()
    for i, (payer, g) in enumerate(by_year.groupby("payer", sort=False)):
        if not g["net"].abs().sum():
            continue
        fig.add_bar(
            x=g[x_col], y=g["net"], name=labels.get(str(payer), str(payer)),
            marker={"color": PALETTE[i % len(PALETTE)]},
        )  # fmt: skip
    total = by_year.groupby(x_col, sort=True)["net"].sum().cumsum()
    fig.add_scatter(
        x=total.index, y=total.to_numpy(), name="cumulative net (all payers)", mode="lines+markers",
        line={"color": "#000000", "dash": "dash"},
    )  # fmt: skip
    fig.update_layout(barmode="relative")
    fig.update_yaxes(title_text="€ per year (undiscounted)")
    fig.update_xaxes(title_text=x_col.replace("_", " "), dtick=1)
    return apply_theme(fig, title=title or "Budget effect by year and payer")


def costs_psa_histogram(psa_draws: pd.DataFrame, *, title: str | None = None) -> go.Figure:
    """Distribution of the net benefit over the PSA draws, with P(net benefit > 0) and the 95% interval.

    ``psa_draws`` needs ``net_benefit``.
    """
    x = psa_draws["net_benefit"].to_numpy(float)
    p = float(np.mean(x > 0))
    lo, hi = np.quantile(x, [0.025, 0.975])
    size = float(x.max() - x.min()) / 60 or 1.0
    start = float(x.min())
    if x.min() < 0 < x.max():  # align a bin edge with 0, so no bin mixes losses and savings
        start = -np.ceil(-x.min() / size) * size
    bins = {"start": start, "end": float(x.max()) + size, "size": size}
    fig = go.Figure(
        [
            go.Histogram(x=x[x <= 0], xbins=bins, name="loss (net ≤ 0)",
                         marker={"color": NEGATIVE, "pattern": {"shape": "/"}}),
            go.Histogram(x=x[x > 0], xbins=bins, name="saving (net > 0)", marker={"color": POSITIVE}),
        ]
    )  # fmt: skip
    fig.update_layout(barmode="overlay", bargap=0.02)
    fig.add_vline(x=0, line={"color": "#000000", "width": 2}, annotation_text=f"P(saving) = {p:.1%}")
    for q, label in ((lo, "2.5%"), (hi, "97.5%")):
        fig.add_vline(
            x=q, line={"color": NEUTRAL, "dash": "dot"}, annotation_text=label, annotation_position="top left"
        )
    fig.update_xaxes(title_text="net benefit, present value (€)")
    fig.update_yaxes(title_text="draws")
    return apply_theme(fig, title=title or f"Net benefit under uncertainty ({len(x):,} draws)")


def costs_tornado(
    tornado: pd.DataFrame, *, base: float | None = None, top: int = 12, title: str | None = None
) -> go.Figure:
    """One-way sensitivity: the net benefit with each parameter at its low and high value.

    ``tornado`` needs ``parameter, low, high, net_low, net_high``; ``base`` (the base net benefit)
    draws the axis line.
    """
    t = tornado.head(top).iloc[::-1]
    ranges = zip(t["parameter"], t["low"], t["high"], strict=True)
    t = t.assign(parameter=[f"{p} ({lo:.3g} – {hi:.3g})" for p, lo, hi in ranges])
    centre = float(base) if base is not None else 0.0
    fig = go.Figure(
        [
            go.Bar(
                y=t["parameter"], x=t["net_low"] - centre, base=centre, orientation="h",
                name="parameter low", marker={"color": PALETTE[0]}, customdata=t["low"],
                hovertemplate="%{y}: low %{customdata:.4g}",
            ),
            go.Bar(
                y=t["parameter"], x=t["net_high"] - centre, base=centre, orientation="h",
                name="parameter high", marker={"color": PALETTE[1], "pattern": {"shape": "."}},
                customdata=t["high"],
                hovertemplate="%{y}: high %{customdata:.4g}",
            ),
        ]
    )  # fmt: skip
    fig.update_layout(barmode="overlay")
    fig.update_xaxes(title_text="net benefit, present value (€)")
    return apply_theme(fig, title=title or "What the net benefit depends on")


def costs_acceptability(acceptability: pd.DataFrame, *, title: str | None = None) -> go.Figure:
    """P(net benefit > 0) against deadweight (the share of avoided care that would have been avoided anyway).

    ``acceptability`` needs ``deadweight`` and ``p_net_benefit_positive``.
    """
    fig = go.Figure(
        go.Scatter(
            x=acceptability["deadweight"], y=acceptability["p_net_benefit_positive"], mode="lines+markers",
            line={"color": POSITIVE}, name="P(saving)",
        )
    )  # fmt: skip
    fig.add_hline(y=0.5, line={"color": NEUTRAL, "dash": "dot"})
    fig.update_xaxes(title_text="deadweight", tickformat=".0%")
    fig.update_yaxes(title_text="P(net benefit > 0)", tickformat=".0%", range=[0, 1])
    return apply_theme(fig, title=title or "Probability of a saving against deadweight")
