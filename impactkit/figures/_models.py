"""Figures of model results added for issue 17: estimated marginal means per wave."""

from __future__ import annotations

from typing import Any

import pandas as pd
import plotly.graph_objects as go

from impactkit.figures._theme import PALETTE, apply_theme

__all__ = ["marginal_means_lines"]

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
