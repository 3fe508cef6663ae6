"""The result table of :func:`mixed_model`, :func:`clmm` and :func:`gee`, with its figure."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pandas as pd

from impactkit._result import ResultFrame

if TYPE_CHECKING:
    import plotly.graph_objects as go

__all__ = ["MixedModelResult"]

_TITLES = {
    "lmm": "Linear mixed model: score ~ wave + (1 | family)",
    "mmrm": "MMRM: score ~ wave, unstructured covariance over waves (REML)",
    "clmm": "Cumulative-logit mixed model: logit P(score ≤ j) = θ_j − η − b_family",
    "clm": "Cumulative-logit model: logit P(score ≤ j) = θ_j − η (no random effects)",
    "gee": "GEE (exchangeable, cluster-robust SE): score ~ wave",
}


class MixedModelResult(ResultFrame):
    """One row per domain × term of a repeated-measures model (mixed model, CLMM or GEE)."""

    @property
    def _title(self) -> str:  # type: ignore[override]
        model = self.meta.get("model", "")
        time = self.meta.get("time", "wave")
        if model == "lmm" and time != "wave":
            re = f"(1 + {time} | family)" if self.meta.get("random_slope") else "(1 | family)"
            return f"Linear mixed model: score ~ {time} + {re}"
        return _TITLES.get(model, "Repeated-measures model")

    @property
    def omnibus(self) -> pd.DataFrame:
        """F (or Wald χ²) tests of the wave effect per domain (and of ``wave:by``)."""
        return self.meta.get("omnibus", pd.DataFrame())

    @property
    def group_contrasts(self) -> pd.DataFrame:
        """With ``by``: each group minus the reference group, at the first wave, in the change to
        every later wave, and averaged over the waves (empty without ``by``)."""
        return self.meta.get("group_contrasts", pd.DataFrame())

    @property
    def covariance(self) -> pd.DataFrame:
        """MMRM: the estimated covariance of the waves per domain (empty for other models)."""
        return self.meta.get("covariance", pd.DataFrame())

    @property
    def fit_statistics(self) -> pd.DataFrame:
        """logLik, AIC and BIC per domain (R's ``logLik()``, ``AIC()``, ``BIC()``)."""
        return self.meta.get("fit_statistics", pd.DataFrame())

    def marginal_means(self, **kwargs: Any) -> Any:
        """Estimated marginal means and pairwise contrasts (see :func:`impactkit.measures.marginal_means`)."""
        from impactkit.measures._emmeans import marginal_means

        return marginal_means(self, **kwargs)

    def figure(self, *, lang: str = "en", **kwargs: Any) -> go.Figure:
        """Wave contrasts (vs the first wave) with confidence intervals, one line per domain.

        Colour and marker shape both encode the wave (and group), so no cue depends on colour alone.
        """
        import plotly.graph_objects as go  # plotly only when a figure is drawn

        from impactkit.figures._theme import NEUTRAL, PALETTE, apply_theme

        waves = self.meta.get("waves", [])
        time = self.meta.get("time", "wave")
        inst = self.meta.get("instrument")
        tab = pd.DataFrame(self)
        terms = waves[1:] if time == "wave" else [time]
        tab = tab[tab["term"].isin(terms)]
        label = (lambda d: inst.domain_label(d, lang)) if inst is not None else str
        groups: list[Any] = list(tab["group"].dropna().unique()) if "group" in tab else [None]
        symbols = ["circle", "square", "diamond", "triangle-up", "cross", "x", "star", "hexagon"]
        fig = go.Figure()
        i = 0
        for grp in groups:
            for wave in terms:
                sub = tab[tab["term"] == wave]
                if grp is not None:
                    sub = sub[sub["group"] == grp]
                name = (f"{wave} vs {waves[0]}" if time == "wave" else f"change per unit of {time}") + (
                    f" ({grp})" if grp is not None else ""
                )
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
        scale = "log odds" if self.meta.get("model") in ("clmm", "clm") else "score points"
        level = round(100 * self.meta.get("conf_level", 0.95))
        since = (
            f"change since {waves[0] if waves else 'first wave'}" if time == "wave" else f"change per {time}"
        )
        fig.update_layout(
            xaxis_title=f"{since} ({scale}, {level}% CI)",
            yaxis={"autorange": "reversed"},
            scattermode="group",
        )
        return apply_theme(fig, title=kwargs.get("title", _TITLES.get(self.meta.get("model", ""), "")))
