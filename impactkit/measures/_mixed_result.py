"""The result table of :func:`mixed_model`, :func:`clmm` and :func:`gee`, with its figure."""

from __future__ import annotations

from typing import Any

import pandas as pd
import plotly.graph_objects as go

from impactkit._result import ResultFrame
from impactkit.figures._theme import NEUTRAL, PALETTE, apply_theme

__all__ = ["MixedModelResult"]

_TITLES = {
    "lmm": "Linear mixed model: score ~ wave + (1 | family)",
    "clmm": "Cumulative-logit mixed model: logit P(score ≤ j) = θ_j − η − b_family",
    "gee": "GEE (exchangeable, cluster-robust SE): score ~ wave",
}


class MixedModelResult(ResultFrame):
    """One row per domain × term of a repeated-measures model (mixed model, CLMM or GEE)."""

    @property
    def _title(self) -> str:  # type: ignore[override]
        return _TITLES.get(self.meta.get("model", ""), "Repeated-measures model")

    @property
    def omnibus(self) -> pd.DataFrame:
        """F (or Wald χ²) tests of the wave effect per domain (and of ``wave:by``)."""
        return self.meta.get("omnibus", pd.DataFrame())

    def figure(self, *, lang: str = "en", **kwargs: Any) -> go.Figure:
        """Wave contrasts (vs the first wave) with confidence intervals, one line per domain.

        Colour and marker shape both encode the wave (and group), so no cue depends on colour alone.
        """
        waves = self.meta.get("waves", [])
        inst = self.meta.get("instrument")
        tab = pd.DataFrame(self)
        tab = tab[tab["term"].isin(waves[1:])]
        label = (lambda d: inst.domain_label(d, lang)) if inst is not None else str
        groups: list[Any] = list(tab["group"].dropna().unique()) if "group" in tab else [None]
        symbols = ["circle", "square", "diamond", "triangle-up", "cross", "x", "star", "hexagon"]
        fig = go.Figure()
        i = 0
        for grp in groups:
            for wave in waves[1:]:
                sub = tab[tab["term"] == wave]
                if grp is not None:
                    sub = sub[sub["group"] == grp]
                name = f"{wave} vs {waves[0]}" + (f" ({grp})" if grp is not None else "")
                fig.add_trace(
                    go.Scatter(
                        x=sub["estimate"],
                        y=[label(str(d)) for d in sub["domain"]],
                        mode="markers",
                        name=name,
                        marker={"color": PALETTE[i % len(PALETTE)], "symbol": symbols[i % len(symbols)],
                                "size": 9},
                        error_x={"type": "data", "symmetric": False,
                                 "array": sub["ci_high"] - sub["estimate"],
                                 "arrayminus": sub["estimate"] - sub["ci_low"]},
                    )
                )  # fmt: skip
                i += 1
        fig.add_vline(x=0, line={"color": NEUTRAL, "dash": "dash"})
        scale = "log odds" if self.meta.get("model") == "clmm" else "score points"
        level = round(100 * self.meta.get("conf_level", 0.95))
        fig.update_layout(
            xaxis_title=f"change since {waves[0] if waves else 'first wave'} ({scale}, {level}% CI)",
            yaxis={"autorange": "reversed"},
            scattermode="group",
        )
        return apply_theme(fig, title=kwargs.get("title", _TITLES.get(self.meta.get("model", ""), "")))
