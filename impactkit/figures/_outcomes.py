"""Figures of events and care use before, during and after support.

Each function takes a table of :mod:`impactkit.outcomes` (or any DataFrame with its columns),
never raw records, and returns a plotly Figure.  Phases always carry their name on the axis and
a fixed colour and pattern, so nothing depends on colour alone.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from impactkit.errors import ParameterError
from impactkit.figures._theme import NEUTRAL, PALETTE, apply_theme
from impactkit.i18n import Formatter, catalogue, check_lang

__all__ = ["PHASE_COLOURS", "phase_rates_bars", "rate_ratio_forest"]

PHASE_COLOURS = {"before": PALETTE[1], "during": PALETTE[0], "after": PALETTE[2]}
PHASE_PATTERNS = {"before": "/", "during": "", "after": "."}
PHASE_ORDER = ("before", "during", "after")


def _need(table: pd.DataFrame, columns: list[str], func: str) -> None:
    missing = [c for c in columns if c not in table.columns]
    if missing:
        raise ParameterError(
            f"The 'table' parameter of {func} must have columns {columns}; missing {missing}. "
            f"Got columns {list(table.columns)} instead."
        )


def phase_label(phase: str, lang: str) -> str:
    """The name of a phase in ``lang`` (figures catalogue ``phase.<id>``)."""
    return catalogue(lang, "figures").get(f"phase.{phase}", phase)


def phase_rates_bars(
    table: pd.DataFrame,
    *,
    lang: str = "en",
    outcomes: list[str] | None = None,
    value: str = "rate",
    columns: int = 3,
    title: str | None = None,
) -> go.Figure:
    """Small multiples: per outcome, the rate (or cost) per family-year in each phase.

    Parameters
    ----------
    table : PhaseRates or DataFrame
        :func:`impactkit.outcomes.phase_rates` (``outcome, label, phase, rate, cost_per_year``);
        suppressed (NaN) cells are drawn as no bar.
    lang : str
    outcomes : list of str, optional
        Which outcomes (default all, in table order).
    value : {"rate", "cost_per_year"}
        Events or units per family-year, or euros per family-year.
    columns : int
        Panels per row.
    """
    texts = catalogue(check_lang(lang, "phase_rates_bars"), "figures")
    _need(table, ["outcome", "label", "phase", value], "phase_rates_bars")
    if value not in ("rate", "cost_per_year"):
        raise ParameterError(
            f"The 'value' parameter of phase_rates_bars must be one of 'rate', 'cost_per_year'. Got {value!r} instead."
        )
    tab = pd.DataFrame(table)
    keys = list(dict.fromkeys(tab["outcome"])) if outcomes is None else list(outcomes)
    if not keys:
        raise ParameterError("The 'table' parameter of phase_rates_bars holds no outcome to draw.")
    n_col = max(1, min(columns, len(keys)))
    n_row = int(np.ceil(len(keys) / n_col))
    labels = [
        str(tab.loc[tab["outcome"] == k, "label"].iloc[0]) if (tab["outcome"] == k).any() else k for k in keys
    ]
    fig = make_subplots(rows=n_row, cols=n_col, subplot_titles=labels, horizontal_spacing=0.08,
                        vertical_spacing=0.18 if n_row > 1 else 0.1)  # fmt: skip
    fmt = Formatter(lang)
    shown: set[str] = set()
    for i, key in enumerate(keys):
        sub = tab[tab["outcome"] == key]
        values = dict(zip(sub["phase"].astype(str), sub[value].astype(float), strict=True))
        r, c = divmod(i, n_col)
        for phase in PHASE_ORDER:
            if phase not in values:
                continue
            v = values[phase]
            txt = fmt.currency(v) if value == "cost_per_year" else fmt.number(v, 2)
            fig.add_trace(
                go.Bar(
                    x=[phase_label(phase, lang)],
                    y=[v if np.isfinite(v) else None],
                    name=phase_label(phase, lang),
                    legendgroup=phase,
                    showlegend=phase not in shown,
                    marker={"color": PHASE_COLOURS[phase], "pattern": {"shape": PHASE_PATTERNS[phase]}},
                    text=[txt if np.isfinite(v) else ""],
                    textposition="outside",
                    cliponaxis=False,
                    hovertemplate=f"{labels[i]}<br>{phase_label(phase, lang)}: {txt}<extra></extra>",
                ),
                row=r + 1,
                col=c + 1,
            )
            shown.add(phase)
    unit = texts["cost_per_year"] if value == "cost_per_year" else texts["rate_per_year"]
    fig.update_yaxes(title_text=unit, rangemode="tozero", separatethousands=True)
    fig.update_layout(height=300 * n_row + 80, bargap=0.25, separators=fmt.separators)
    return apply_theme(fig, title=title if title is not None else texts["phase_rates"])


def rate_ratio_forest(
    table: pd.DataFrame,
    *,
    lang: str = "en",
    contrasts: list[str] | None = None,
    title: str | None = None,
) -> go.Figure:
    """Rate ratios with confidence intervals on a log axis, one row per outcome × contrast.

    Parameters
    ----------
    table : RateRatios or DataFrame
        :func:`impactkit.outcomes.rate_ratios` (``label, contrast, phase, reference, rate_ratio,
        ci_low, ci_high, status``).  A ratio of 0 (no events in a phase) is written out, not drawn.
    contrasts : list of str, optional
        E.g. ``["after/before"]`` (default every contrast in the table).
    """
    texts = catalogue(check_lang(lang, "rate_ratio_forest"), "figures")
    _need(
        table,
        ["label", "contrast", "phase", "reference", "rate_ratio", "ci_low", "ci_high"],
        "rate_ratio_forest",
    )
    tab = pd.DataFrame(table)
    if contrasts is not None:
        tab = tab[tab["contrast"].isin(contrasts)]
    fmt = Formatter(lang)
    fig = go.Figure()
    symbols = ["circle", "square", "diamond", "triangle-up"]
    for i, (_, sub) in enumerate(tab.groupby("contrast", sort=False)):
        phase, ref = str(sub["phase"].iloc[0]), str(sub["reference"].iloc[0])
        name = texts["contrast"].format(phase=phase_label(phase, lang), reference=phase_label(ref, lang))
        ok = (sub["rate_ratio"] > 0) & np.isfinite(sub["rate_ratio"])
        rr, lo, hi = sub["rate_ratio"].where(ok), sub["ci_low"].where(ok), sub["ci_high"].where(ok)
        fig.add_trace(
            go.Scatter(
                x=rr,
                y=sub["label"],
                mode="markers",
                name=name,
                marker={"color": PALETTE[i % len(PALETTE)], "symbol": symbols[i % len(symbols)], "size": 10},
                error_x={"type": "data", "symmetric": False, "array": hi - rr, "arrayminus": rr - lo},
                customdata=np.column_stack([lo, hi]),
                hovertemplate="%{y}: %{x:.2f} (%{customdata[0]:.2f}–%{customdata[1]:.2f})<extra>"
                + name
                + "</extra>",
            )
        )
        for label, value in zip(sub["label"][~ok], sub["rate_ratio"][~ok], strict=True):
            word = texts["no_events"] if value == 0 or not np.isfinite(value) else fmt.number(value, 2)
            fig.add_annotation(x=0, y=label, xref="x domain", text=f"{name}: {word}", showarrow=False,
                               xanchor="left", font={"color": NEUTRAL})  # fmt: skip
    fig.add_vline(x=1, line={"color": NEUTRAL, "dash": "dash"})
    level = 0.95
    fig.update_layout(
        xaxis={"type": "log", "title": texts["rate_ratio"]},
        yaxis={"autorange": "reversed"},
        scattermode="group",
        height=max(300, 60 * tab["label"].nunique() + 150),
        separators=fmt.separators,
    )
    return apply_theme(
        fig, title=title if title is not None else texts["rate_ratio_forest"].format(level=level)
    )
