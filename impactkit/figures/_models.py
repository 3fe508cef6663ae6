"""Figures of the results added for issues 12 and 17: marginal means, reliable change against chance."""

from __future__ import annotations

from typing import Any

import pandas as pd
import plotly.graph_objects as go

from impactkit.figures._theme import NEGATIVE, NEUTRAL, PALETTE, POSITIVE, apply_theme

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
    table: pd.DataFrame, *, lang: str = "en", title: str | None = None
) -> go.Figure:
    """Reliably improved and reliably deteriorated shares side by side per domain (and on at least
    one domain), each with a marker at the share expected by chance under no true change.

    Takes :func:`impactkit.measures.reliable_change_summary`'s table.  Direction is told by colour
    *and* by side (improved to the right, deteriorated to the left), never by colour alone.
    """
    frame = pd.DataFrame(table)
    meta: dict[str, Any] = getattr(table, "meta", {})
    inst = meta.get("instrument")
    any_label = "at least one domain" if lang == "en" else "minstens één domein"

    def label(d: str) -> str:
        if d == "at_least_one_domain":
            return any_label
        return inst.domain_label(d, lang) if inst is not None else d

    y = [label(str(d)) for d in frame["domain"]]
    fig = go.Figure()
    fig.add_trace(go.Bar(y=y, x=frame["share_improved"], orientation="h", name="reliably improved",
                         marker={"color": POSITIVE}))  # fmt: skip
    fig.add_trace(go.Bar(y=y, x=-frame["share_deteriorated"], orientation="h", name="reliably deteriorated",
                         marker={"color": NEGATIVE, "pattern": {"shape": "/"}},
                         customdata=frame["share_deteriorated"], hovertemplate="%{customdata:.1%}"))  # fmt: skip
    for col, sign, name in (("chance_improved", 1, "expected by chance"), ("chance_deteriorated", -1, None)):
        fig.add_trace(go.Scatter(y=y, x=sign * frame[col], mode="markers", name=name or "", showlegend=name is not None,
                                 marker={"symbol": "line-ns-open", "size": 16, "color": NEUTRAL,
                                         "line": {"width": 3, "color": NEUTRAL}}))  # fmt: skip
    fig.update_layout(barmode="overlay", yaxis={"autorange": "reversed"},
                      xaxis={"tickformat": ".0%", "title": "share of families (deteriorated to the left)"})  # fmt: skip
    return apply_theme(fig, title=title or "Reliable change against chance")
