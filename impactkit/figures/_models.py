"""Figures of the results added for issues 12 and 17: marginal means, reliable change against chance."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from impactkit.figures._common import setup, title_of
from impactkit.figures._theme import NEGATIVE, NEUTRAL, PALETTE, POSITIVE, apply_theme, finish, hover_value
from impactkit.i18n import text
from impactkit.instruments import Instrument

__all__ = ["marginal_means_lines", "reliable_change_chance_bars"]

_SYMBOLS = ["circle", "square", "diamond", "triangle-up", "cross", "x", "star", "hexagon", "pentagon"]


def marginal_means_lines(table: pd.DataFrame, *, lang: str = "en", title: str | None = None) -> go.Figure:
    """Estimated marginal means per wave with confidence intervals, one line per domain (× group).

    Colour and marker shape both identify the line, so no cue depends on colour alone.
    """
    meta: dict[str, Any] = getattr(table, "meta", {})
    inst = meta.get("instrument")
    waves = list(meta.get("waves", pd.unique(table["wave"])))
    label = (lambda d: inst.domain_label(d, lang)) if inst is not None else str
    wave_label = (lambda w: inst.wave_label(w, lang)) if inst is not None else str
    frame = pd.DataFrame(table)
    keys = ["domain", "group"] if "group" in frame else ["domain"]
    fig = go.Figure()
    for i, (key, sub) in enumerate(frame.groupby(keys, sort=False, observed=True)):
        key = key if isinstance(key, tuple) else (key,)
        sub = sub.set_index("wave").reindex(waves)
        name = label(str(key[0])) + (f" ({key[1]})" if len(key) > 1 else "")
        fig.add_trace(
            go.Scatter(
                x=[wave_label(w) for w in waves],
                y=sub["estimate"],
                mode="lines+markers",
                name=name,
                line={"color": PALETTE[i % len(PALETTE)]},
                marker={"symbol": _SYMBOLS[i % len(_SYMBOLS)], "size": 8},
                error_y={"type": "data", "symmetric": False, "array": sub["ci_high"] - sub["estimate"],
                         "arrayminus": sub["estimate"] - sub["ci_low"]},
            )
        )  # fmt: skip
    level = round(100 * meta.get("conf_level", 0.95))
    fig.update_layout(yaxis_title=f"estimated marginal mean ({level}% CI)", xaxis_title="wave")
    return apply_theme(fig, title=title or "Estimated marginal means per wave")


def reliable_change_chance_bars(
    table: pd.DataFrame,
    *,
    lang: str = "en",
    instrument: Instrument | None = None,
    k: int | None = None,
    title: str | None = None,
) -> go.Figure:
    """Reliably improved and reliably deteriorated shares side by side per domain (and on at least
    one domain), each with a marker at the share expected by chance under no true change.

    Takes :func:`impactkit.measures.reliable_change_summary`'s table (a report passes it with its
    suppressed shares NaN: no bar, ``<k`` on hover).  Direction is told by colour *and* by side
    (improved to the right, deteriorated to the left), never by colour alone.
    """
    lab = setup(table, lang, "reliable_change_chance_bars", instrument)
    fmt = lab.fmt
    frame = pd.DataFrame(table).reset_index(drop=True)
    y = [
        text("figures", "rcc_any", lab.lang) if str(d) == "at_least_one_domain" else lab.domain(d)
        for d in frame["domain"]
    ]
    up, down = frame["share_improved"].astype(float), frame["share_deteriorated"].astype(float)
    top = float(np.nanmax([up.max(), down.max(), frame["chance_improved"].max(), 0.05]))
    edge = min(1.0, top * 1.25 + 0.05)
    fig = go.Figure()
    for name, values, sign, colour, pattern in (
        (text("figures", "rcc_improved", lab.lang), up, 1, POSITIVE, ""),
        (text("figures", "rcc_deteriorated", lab.lang), down, -1, NEGATIVE, "/"),
    ):
        fig.add_trace(
            go.Bar(
                y=y, x=[None if pd.isna(v) else sign * float(v) for v in values], orientation="h", name=name,
                marker={"color": colour, "pattern": {"shape": pattern, "fgopacity": 0.45}},
                text=[fmt.percent(v) if pd.notna(v) else "" for v in values], textposition="outside",
                cliponaxis=False, hoverinfo="text+name",
                hovertext=[f"{d}: {hover_value(fmt.percent(v) if pd.notna(v) else None, k)}" for d, v in zip(y, values, strict=True)],
            )
        )  # fmt: skip
    # a hidden share: said, not drawn; a report passes its marker ("<k", or "x" when it is hidden
    # to protect another figure) in mark_improved / mark_deteriorated
    hidden = [
        (yy, sign, frame[f"mark_{side}"].iloc[i] if f"mark_{side}" in frame else f"<{k}")
        for values, sign, side in ((up, 1, "improved"), (down, -1, "deteriorated"))
        for i, (yy, v) in enumerate(zip(y, values, strict=True))
        if pd.isna(v)
    ]
    if hidden and k is not None:
        fig.add_trace(
            go.Scatter(
                y=[h[0] for h in hidden], x=[0.0 for _ in hidden], mode="text",
                text=[h[2] for h in hidden], textposition=["middle right" if h[1] > 0 else "middle left" for h in hidden],
                textfont={"color": NEUTRAL, "size": 11}, showlegend=False, hoverinfo="skip",
            )
        )  # fmt: skip
    for col, sign, first in (("chance_improved", 1, True), ("chance_deteriorated", -1, False)):
        chance = frame[col].astype(float)
        fig.add_trace(
            go.Scatter(
                y=y, x=[sign * v for v in chance], mode="markers", name=text("figures", "rcc_chance", lab.lang), showlegend=first,
                legendgroup="chance", hoverinfo="text+name",
                hovertext=[f"{d}: {fmt.percent(v, 1)}" for d, v in zip(y, chance, strict=True)],
                marker={"symbol": "line-ns-open", "size": 16, "color": NEUTRAL, "line": {"width": 3, "color": NEUTRAL}},
            )
        )  # fmt: skip
    step = 0.1 if edge <= 0.35 else 0.25
    n_ticks = int(edge / step + 1e-9)
    ticks = [step * i for i in range(-n_ticks, n_ticks + 1)]
    fig.update_layout(barmode="overlay", bargap=0.35)
    fig.update_yaxes(autorange="reversed")
    fig.update_xaxes(range=[-edge, edge], tickvals=ticks, ticktext=[fmt.percent(abs(t)) for t in ticks],
                     title_text=text("figures", "rcc_axis", lab.lang), zeroline=True, zerolinewidth=2)  # fmt: skip
    name = title_of(title, lab, "rcc")
    return finish(fig, fmt, title=name, height=170 + 40 * len(y) + (40 if name else 0))
