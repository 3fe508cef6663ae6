"""Figures of events and care use before, during and after support, and of one family's journey.

Each function takes a tidy table of :mod:`impactkit.outcomes` (or any DataFrame with its columns;
suppressed cells as NaN, drawn as gaps) and returns a plotly Figure.  Phases always carry their
name on the axis and a fixed colour and pattern, so nothing depends on colour alone.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from impactkit.errors import ParameterError
from impactkit.figures._common import setup, title_of
from impactkit.figures._theme import NEUTRAL, PALETTE, finish, hover_value, opt, wrap
from impactkit.i18n import text
from impactkit.instruments import Instrument

__all__ = [
    "PHASE_COLOURS",
    "family_journey_lines",
    "family_timeline",
    "phase_label",
    "phase_rates_bars",
    "rate_ratio_forest",
    "short_label",
]

PHASE_COLOURS = {"before": PALETTE[1], "during": PALETTE[0], "after": PALETTE[2]}
PHASE_FILL = {
    "before": "rgba(230,159,0,0.10)",
    "during": "rgba(0,114,178,0.08)",
    "after": "rgba(0,158,115,0.10)",
}
PHASE_PATTERNS = {"before": "/", "during": "", "after": "."}
PHASE_ORDER = ("before", "during", "after")
_SYMBOLS = ["circle", "square", "diamond", "triangle-up", "cross", "x", "star", "hexagon", "pentagon"]


def _need(table: pd.DataFrame, columns: list[str], func: str) -> None:
    missing = [c for c in columns if c not in table.columns]
    if missing:
        raise ParameterError(
            f"The 'table' parameter of {func} must have columns {columns}; missing {missing}. "
            f"Got columns {list(table.columns)} instead."
        )


def short_label(label: str, longest: int = 28) -> str:
    """A chart title for a long label: a trailing explanation in brackets is left to the table.

    >>> short_label("Home-based guidance (proxy for parenting support / ambulatory youth help)")
    'Home-based guidance'
    """
    text_ = str(label)
    if len(text_) > longest and text_.endswith(")") and " (" in text_:
        text_ = text_[: text_.index(" (")]
    return text_[:1].upper() + text_[1:]


def phase_label(phase: str, lang: str) -> str:
    """The name of a phase in ``lang`` (figures catalogue ``phase.<id>``)."""
    return text("figures", f"phase.{phase}", lang) if phase in PHASE_ORDER else str(phase)


def phase_rates_bars(
    table: pd.DataFrame,
    *,
    lang: str = "en",
    outcomes: list[str] | None = None,
    value: str = "rate",
    columns: int = 3,
    k: int | None = None,
    title: str | None = None,
) -> go.Figure:
    """Small multiples: per outcome, the rate (or cost) per family-year in each phase.

    Parameters
    ----------
    table : PhaseRates or DataFrame
        :func:`impactkit.outcomes.phase_rates` (``outcome, label, phase`` and ``value``);
        suppressed (NaN) cells are drawn as no bar, hover ``<k``.
    lang : str
        Any language with catalogues.
    outcomes : list of str, optional
        Which outcomes (default all, in table order).
    value : {"rate", "cost_per_year"}
        Events or units per family-year, or euros per family-year.
    columns : int
        Panels per row.
    k : int, optional
        Hover text ``<k`` for suppressed cells.
    title : str, optional
        Default: the catalogue's title; ``""`` for none.
    """
    lab = setup(table, lang, "phase_rates_bars")
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
    names = dict(zip(tab["outcome"], tab["label"], strict=False))
    labels = [wrap(short_label(str(names.get(key, key))), 30) for key in keys]
    fig = make_subplots(rows=n_row, cols=n_col, subplot_titles=labels, horizontal_spacing=0.09,
                        vertical_spacing=min(0.25, 0.6 / n_row) if n_row > 1 else 0.1)  # fmt: skip
    shown: set[str] = set()
    money = value == "cost_per_year"
    for i, key in enumerate(keys):
        sub = tab[tab["outcome"] == key]
        values = dict(zip(sub["phase"].astype(str), sub[value].astype(float), strict=True))
        r, c = divmod(i, n_col)
        for phase in PHASE_ORDER:
            if phase not in values:
                continue
            v = values[phase]
            shown_text = (
                None if not np.isfinite(v) else (lab.fmt.currency(v) if money else lab.fmt.number(v, 2))
            )
            fig.add_trace(
                go.Bar(
                    x=[phase_label(phase, lab.lang)],
                    y=opt([v]),
                    name=phase_label(phase, lab.lang),
                    legendgroup=phase,
                    showlegend=phase not in shown,
                    marker={"color": PHASE_COLOURS[phase], "pattern": {"shape": PHASE_PATTERNS[phase]}},
                    text=[shown_text or ""],
                    textposition="outside",
                    cliponaxis=False,
                    hovertext=[
                        f"{names.get(key, key)} · {phase_label(phase, lab.lang)}: "
                        f"{hover_value(shown_text, k)}"
                    ],
                    hoverinfo="text",
                ),
                row=r + 1,
                col=c + 1,
            )
            shown.add(phase)
            if shown_text is None and k is not None:  # suppressed: the marker where the bar would be
                fig.add_trace(
                    go.Scatter(x=[phase_label(phase, lab.lang)], y=[0], mode="text", text=[f"<{k}"],
                               textposition="top center", showlegend=False, hoverinfo="skip",
                               textfont={"color": NEUTRAL}),
                    row=r + 1, col=c + 1,
                )  # fmt: skip
    unit = text("figures", "cost_per_year" if money else "rate_per_year", lab.lang)
    fig.update_yaxes(title_text=unit, rangemode="tozero", separatethousands=True)
    fig.update_xaxes(
        showticklabels=False,
        categoryorder="array",
        categoryarray=[phase_label(p, lab.lang) for p in PHASE_ORDER],
    )  # the legend names the phases
    return finish(fig, lab.fmt, title=title_of(title, lab, "phase_rates"), height=280 * n_row + 120)


def rate_ratio_forest(
    table: pd.DataFrame,
    *,
    lang: str = "en",
    contrasts: list[str] | None = None,
    conf_level: float | None = None,
    k: int | None = None,
    title: str | None = None,
) -> go.Figure:
    """Rate ratios with confidence intervals on a log axis, one row per outcome × contrast.

    Parameters
    ----------
    table : RateRatios or DataFrame
        :func:`impactkit.outcomes.rate_ratios` (``label, contrast, phase, reference, rate_ratio,
        ci_low, ci_high``).  A ratio of 0 (no events in a phase) is written out, not drawn; a
        suppressed ratio (NaN) is left out, hover ``<k``.
    contrasts : list of str, optional
        E.g. ``["after/before"]`` (default every contrast in the table).
    conf_level : float, optional
        For the title (default the table's, else 0.95).
    """
    lab = setup(table, lang, "rate_ratio_forest")
    _need(
        table,
        ["label", "contrast", "phase", "reference", "rate_ratio", "ci_low", "ci_high"],
        "rate_ratio_forest",
    )
    tab = pd.DataFrame(table)
    if contrasts is not None:
        tab = tab[tab["contrast"].isin(contrasts)]
    level = (
        conf_level if conf_level is not None else float(getattr(table, "meta", {}).get("conf_level", 0.95))
    )
    fig = go.Figure()
    for i, (_, sub) in enumerate(tab.groupby("contrast", sort=False)):
        phase, ref = str(sub["phase"].iloc[0]), str(sub["reference"].iloc[0])
        name = text("figures", "contrast", lab.lang, phase=phase_label(phase, lab.lang),
                    reference=phase_label(ref, lab.lang))  # fmt: skip
        rr = sub["rate_ratio"].astype(float)
        ok = (rr > 0) & np.isfinite(rr)
        lo, hi = sub["ci_low"].astype(float).where(ok), sub["ci_high"].astype(float).where(ok)
        hover = [
            f"{label} · {name}: " + hover_value(
                None if not np.isfinite(v) else f"{lab.fmt.number(v, 2)} ({lab.fmt.ci(a, b)})", k
            )
            for label, v, a, b in zip(sub["label"], rr.where(ok), lo, hi, strict=True)
        ]  # fmt: skip
        fig.add_trace(
            go.Scatter(
                x=opt(rr.where(ok)),
                y=[wrap(short_label(str(v)), 28) for v in sub["label"]],
                mode="markers",
                orientation="h",  # so that scattermode="group" sets the comparisons apart vertically
                name=name,
                marker={
                    "color": PALETTE[i % len(PALETTE)],
                    "symbol": _SYMBOLS[i % len(_SYMBOLS)],
                    "size": 10,
                },
                error_x={
                    "type": "data",
                    "symmetric": False,
                    "array": opt(hi - rr),
                    "arrayminus": opt(rr - lo),
                },
                hovertext=hover,
                hoverinfo="text",
            )
        )
        for label, value in zip(sub["label"][~ok & (rr == 0)], rr[~ok & (rr == 0)], strict=True):
            del value
            fig.add_annotation(x=0, y=wrap(short_label(str(label)), 28), xref="x domain", xanchor="left", showarrow=False,
                               text=f"{name}: {text('figures', 'no_events', lab.lang)}",
                               font={"color": NEUTRAL})  # fmt: skip
    fig.add_vline(x=1, line={"color": NEUTRAL, "dash": "dash"})
    bounds = pd.concat([tab["ci_low"], tab["ci_high"], tab["rate_ratio"]]).astype(float)
    bounds = bounds[np.isfinite(bounds) & (bounds > 0)]
    lo_b, hi_b = (float(bounds.min()), float(bounds.max())) if len(bounds) else (0.5, 2.0)
    ticks = [
        t
        for t in (0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50, 100)
        if lo_b / 2.5 <= t <= hi_b * 2.5
    ]
    fig.update_layout(xaxis={"type": "log", "title": text("figures", "rate_ratio", lab.lang), "tickvals": ticks,
                             "ticktext": [lab.fmt.general(t) for t in ticks]},
                      yaxis={"autorange": "reversed"}, scattermode="group")  # fmt: skip
    height = max(320, 70 * tab["label"].nunique() + 160)
    return finish(fig, lab.fmt, title=title_of(title, lab, "rate_ratio_forest", level=level), height=height)


def family_journey_lines(
    table: pd.DataFrame,
    *,
    lang: str = "en",
    instrument: Instrument | None = None,
    columns: int = 3,
    title: str | None = None,
) -> go.Figure:
    """One family's score per domain over the waves: a small line chart per domain.

    Parameters
    ----------
    table : DataFrame
        ``domain, wave, score`` of one family (the canonical long frame filtered to it); a
        missing score is a gap.
    instrument : Instrument, optional
        Domain and wave labels, the scale and the "sufficient" line; default the table's.
    """
    lab = setup(table, lang, "family_journey_lines", instrument)
    _need(table, ["domain", "wave", "score"], "family_journey_lines")
    inst = lab.instrument
    tab = pd.DataFrame(table)
    domains = [
        d
        for d in (inst.domain_ids if inst is not None else pd.unique(tab["domain"]))
        if d in set(tab["domain"])
    ]
    waves = [
        w
        for w in (inst.wave_ids if inst is not None else pd.unique(tab["wave"]))
        if w in set(tab["wave"].astype(str))
    ]
    if not domains:
        raise ParameterError("The 'table' parameter of family_journey_lines holds no scores to draw.")
    n_col = max(1, min(columns, len(domains)))
    n_row = int(np.ceil(len(domains) / n_col))
    fig = make_subplots(rows=n_row, cols=n_col, subplot_titles=[wrap(lab.domain(d), 30) for d in domains],
                        horizontal_spacing=0.07, vertical_spacing=min(0.2, 0.55 / n_row) if n_row > 1 else 0.1)  # fmt: skip
    x = [lab.wave(w) for w in waves]
    for i, d in enumerate(domains):
        part = tab[tab["domain"] == d].set_index(tab.loc[tab["domain"] == d, "wave"].astype(str))["score"]
        y = opt(part.reindex(waves))
        r, c = divmod(i, n_col)
        fig.add_trace(
            go.Scatter(x=x, y=y, mode="lines+markers+text", name=lab.domain(d), showlegend=False,
                       line={"color": PALETTE[0], "width": 2.5}, marker={"size": 8},
                       text=[lab.fmt.number(v, 0) if v is not None else "" for v in y], textposition="top center",
                       hovertext=[f"{lab.domain(d)} · {w}: {lab.fmt.number(v, 0) if v is not None else '–'}"
                                  for w, v in zip(x, y, strict=True)], hoverinfo="text"),
            row=r + 1, col=c + 1,
        )  # fmt: skip
        if inst is not None and inst.sufficient is not None:
            fig.add_hline(
                y=inst.sufficient, line={"color": NEUTRAL, "dash": "dot", "width": 1}, row=r + 1, col=c + 1
            )
    if inst is not None:
        fig.update_yaxes(range=[inst.scale.min - 0.5, inst.scale.max + 0.7], dtick=1)
    return finish(
        fig, lab.fmt, title=title_of(title, lab, "journey_lines"), height=230 * n_row + 80, legend=False
    )


def family_timeline(
    records: pd.DataFrame,
    windows: pd.DataFrame,
    *,
    lang: str = "en",
    title: str | None = None,
) -> go.Figure:
    """One family's events and care over time, on the background of its before / during / after.

    Parameters
    ----------
    records : DataFrame
        ``source`` (``events`` or ``care_used``), ``label, start, end, amount, unit`` (one row per
        event, period or care episode of one family).
    windows : DataFrame
        ``phase, start, end`` of that family (:func:`impactkit.outcomes.phase_windows`).
    """
    lab = setup(records, lang, "family_timeline")
    _need(records, ["source", "label", "start", "end", "amount"], "family_timeline")
    _need(windows, ["phase", "start", "end"], "family_timeline")
    rec = pd.DataFrame(records).sort_values(["source", "label", "start"], kind="stable")
    rows = list(dict.fromkeys(rec["label"].astype(str)))
    fig = go.Figure()
    for _, w in windows.iterrows():
        ph = str(w["phase"])
        fig.add_vrect(x0=w["start"], x1=pd.Timestamp(w["end"]) + pd.Timedelta(days=1), fillcolor=PHASE_FILL[ph],
                      line_width=0, layer="below", annotation_text=phase_label(ph, lab.lang),
                      annotation_position="top left", annotation_font={"color": PHASE_COLOURS[ph]})  # fmt: skip
    for i, label in enumerate(rows):
        sub = rec[rec["label"].astype(str) == label]
        colour = PALETTE[i % len(PALETTE)]
        spans = sub[pd.to_datetime(sub["end"]) > pd.to_datetime(sub["start"])]
        points = sub[~sub.index.isin(spans.index)]
        for _, r in spans.iterrows():
            amount = lab.fmt.number(r["amount"], 1 if r["amount"] % 1 else 0)
            fig.add_trace(
                go.Scatter(x=[r["start"], r["end"]], y=[label, label], mode="lines", showlegend=False,
                           line={"color": colour, "width": 10}, opacity=0.75,
                           hovertext=f"{label}: {amount} {r.get('unit', '')} ({lab.fmt.date(r['start'])} – "
                           f"{lab.fmt.date(r['end'])})", hoverinfo="text")
            )  # fmt: skip
        if len(points):
            fig.add_trace(
                go.Scatter(x=points["start"], y=[label] * len(points), mode="markers", showlegend=False,
                           marker={"color": colour, "symbol": _SYMBOLS[i % len(_SYMBOLS)], "size": 11,
                                   "line": {"color": "white", "width": 1}},
                           hovertext=[f"{label}: {lab.fmt.date(d)}" for d in points["start"]], hoverinfo="text")
            )  # fmt: skip
    fig.update_yaxes(categoryorder="array", categoryarray=rows[::-1], type="category")
    fig.update_xaxes(type="date")
    return finish(fig, lab.fmt, title=title_of(title, lab, "timeline"), height=max(260, 46 * len(rows) + 140),
                  legend=False)  # fmt: skip
