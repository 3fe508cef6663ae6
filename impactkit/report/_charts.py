"""The report's plotly charts, drawn only from published (already suppressed) tables.

Each function takes plain lists of labels and numbers (suppressed cells are absent or ``None``) plus
hover strings formatted in Python, and returns a themed figure.  No individual-level value ever
reaches a chart: the inputs are aggregates of at least ``k`` families, or simulation draws binned
into a histogram.
"""

from __future__ import annotations

from collections.abc import Sequence

import plotly.graph_objects as go

from impactkit.figures import NEGATIVE, NEUTRAL, PALETTE, POSITIVE, apply_theme
from impactkit.i18n import Formatter

__all__ = [
    "acceptability",
    "dots_ci",
    "flow_bars",
    "grouped_bars",
    "histogram",
    "mean_bars",
    "radar",
    "sankey",
    "stacked_shares",
    "tornado",
    "waterfall",
    "wrap",
    "year_bars",
]

# hatch patterns pair with colours so that no category rests on colour alone
_PATTERNS = ["", "/", ".", "x", "-", "+", "\\", "|"]


def wrap(text: str, width: int = 14) -> str:
    """Break a chart label into lines of about ``width`` characters (plotly's ``<br>``)."""
    lines: list[str] = []
    for word in str(text).split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return "<br>".join(lines)


def _finish(fig: go.Figure, lang: str, *, height: int = 420, legend: bool = True) -> go.Figure:
    apply_theme(fig)
    fig.update_layout(
        separators=Formatter(lang).separators,
        height=height,
        showlegend=legend,
        hoverlabel={"namelength": -1},
        margin={"l": 10, "r": 20, "t": 20, "b": 40},
        legend={"orientation": "h", "y": -0.12, "x": 0},
    )
    fig.update_yaxes(automargin=True)
    fig.update_xaxes(automargin=True)
    return fig


def radar(
    domains: Sequence[str],
    series: Sequence[tuple[str, Sequence[float | None], Sequence[str]]],
    *,
    lo: float,
    hi: float,
    lang: str,
) -> go.Figure:
    """Mean score per domain, one closed polygon per wave; ``series`` = (wave label, means, hover)."""
    domains = [wrap(d, 18) for d in domains]
    fig = go.Figure()
    dash = ["solid", "dash", "dot", "dashdot"]
    for i, (name, values, hover) in enumerate(series):
        fig.add_trace(
            go.Scatterpolar(
                r=[*values, values[0]],
                theta=[*domains, domains[0]],
                name=name,
                mode="lines+markers",
                line={"color": PALETTE[i % len(PALETTE)], "dash": dash[i % len(dash)], "width": 2.5},
                marker={"symbol": ["circle", "square", "diamond", "triangle-up"][i % 4], "size": 7},
                text=[*hover, hover[0]],
                hoverinfo="text",
            )
        )
    fig.update_layout(
        polar={"radialaxis": {"range": [lo, hi], "dtick": 1}, "angularaxis": {"direction": "clockwise"}}
    )
    fig = _finish(fig, lang, height=560)
    fig.update_layout(margin={"l": 90, "r": 90, "t": 40, "b": 40})
    return fig


def mean_bars(
    domains: Sequence[str],
    series: Sequence[tuple[str, Sequence[float | None], Sequence[str]]],
    *,
    lo: float,
    hi: float,
    lang: str,
) -> go.Figure:
    """Mean score per domain as grouped bars, one bar per wave (for fewer than three domains)."""
    fig = go.Figure()
    for i, (name, values, hover) in enumerate(series):
        fig.add_trace(
            go.Bar(
                x=list(domains),
                y=list(values),
                name=name,
                marker={
                    "color": PALETTE[i % len(PALETTE)],
                    "pattern": {"shape": _PATTERNS[i % len(_PATTERNS)]},
                },
                text=list(hover),
                textposition="none",
                hoverinfo="text",
            )
        )
    fig.update_layout(barmode="group")
    fig.update_yaxes(range=[lo, hi], dtick=1)
    return _finish(fig, lang, height=380)


def dots_ci(
    labels: Sequence[str],
    est: Sequence[float | None],
    low: Sequence[float | None],
    high: Sequence[float | None],
    hover: Sequence[str],
    *,
    axis_title: str,
    lang: str,
) -> go.Figure:
    """Estimates with their intervals, one row per label (a forest plot), a line at zero."""
    fig = go.Figure(
        go.Scatter(
            x=list(est),
            y=list(labels),
            mode="markers",
            marker={"color": POSITIVE, "size": 11, "symbol": "diamond"},
            error_x={
                "type": "data",
                "symmetric": False,
                "array": [None if e is None or h is None else h - e for e, h in zip(est, high, strict=True)],
                "arrayminus": [
                    None if e is None or lo_ is None else e - lo_ for e, lo_ in zip(est, low, strict=True)
                ],
                "color": POSITIVE,
                "thickness": 2,
                "width": 6,
            },
            text=list(hover),
            hoverinfo="text",
            showlegend=False,
        )
    )
    fig.add_vline(x=0, line={"color": NEUTRAL, "dash": "dash"})
    fig.update_xaxes(title=axis_title, zeroline=False)
    fig.update_yaxes(autorange="reversed")
    return _finish(fig, lang, height=120 + 38 * len(labels), legend=False)


def stacked_shares(
    labels: Sequence[str],
    parts: Sequence[tuple[str, Sequence[float | None], Sequence[str]]],
    *,
    lang: str,
    colors: Sequence[str] | None = None,
) -> go.Figure:
    """Horizontal 100% bars; ``parts`` = (name, shares, hover) in stacking order."""
    colors = list(colors or PALETTE)
    fig = go.Figure()
    for i, (name, shares, hover) in enumerate(parts):
        fig.add_trace(
            go.Bar(
                y=list(labels),
                x=list(shares),
                name=name,
                orientation="h",
                marker={
                    "color": colors[i % len(colors)],
                    "pattern": {"shape": _PATTERNS[i % len(_PATTERNS)]},
                },
                text=list(hover),
                textposition="none",
                hoverinfo="text+name",
            )
        )
    fig.update_layout(barmode="stack", legend={"traceorder": "normal"})
    fig.update_xaxes(tickformat=".0%", range=[0, 1])
    fig.update_yaxes(autorange="reversed")
    return _finish(fig, lang, height=160 + 34 * len(labels))


def sankey(
    nodes: Sequence[str],
    node_colors: Sequence[str],
    links: Sequence[tuple[int, int, float, str]],
    *,
    lang: str,
    grey_target: int | None = None,
    x: Sequence[float] | None = None,
    y: Sequence[float] | None = None,
) -> go.Figure:
    """Flows between levels; ``links`` = (source index, target index, families, hover); links into
    ``grey_target`` (the "not shown" node) are grey.  Nodes without a link are dropped (plotly
    would misplace fixed positions otherwise)."""
    used = sorted({s for s, _, _, _ in links} | {t for _, t, _, _ in links})
    new = {old: i for i, old in enumerate(used)}
    nodes = [nodes[i] for i in used]
    node_colors = [node_colors[i] for i in used]
    if x is not None and y is not None:
        x, y = [x[i] for i in used], [y[i] for i in used]
    grey_target = new.get(grey_target) if grey_target is not None else None
    links = [(new[s], new[t], v, h) for s, t, v, h in links]
    fig = go.Figure(
        go.Sankey(
            arrangement="snap",
            node={
                "label": list(nodes),
                "color": list(node_colors),
                "pad": 18,
                "thickness": 18,
                "hoverinfo": "none",
                **({"x": list(x), "y": list(y)} if x is not None and y is not None else {}),
            },
            link={
                "source": [s for s, _, _, _ in links],
                "target": [t for _, t, _, _ in links],
                "value": [v for _, _, v, _ in links],
                "customdata": [h for _, _, _, h in links],
                "hovertemplate": "%{customdata}<extra></extra>",
                "color": [
                    "rgba(150,150,150,0.35)" if t == grey_target else "rgba(0,114,178,0.25)"
                    for _, t, _, _ in links
                ],
            },
        )
    )
    return _finish(fig, lang, height=520, legend=False)


def flow_bars(
    labels: Sequence[str], values: Sequence[float | None], hover: Sequence[str], *, lang: str
) -> go.Figure:
    fig = go.Figure(
        go.Bar(
            x=list(labels),
            y=list(values),
            marker={"color": POSITIVE},
            text=list(hover),
            textposition="outside",
            hoverinfo="text",
            cliponaxis=False,
        )
    )
    return _finish(fig, lang, height=360, legend=False)


def waterfall(
    labels: Sequence[str],
    values: Sequence[float],
    measures: Sequence[str],
    hover: Sequence[str],
    *,
    lang: str,
) -> go.Figure:
    """Programme cost (negative), avoided cost per path (positive), net benefit (total)."""
    fig = go.Figure(
        go.Waterfall(
            x=list(labels),
            y=list(values),
            measure=list(measures),
            text=list(hover),
            textposition="outside",
            hoverinfo="text",
            cliponaxis=False,
            decreasing={"marker": {"color": NEGATIVE}},
            increasing={"marker": {"color": POSITIVE}},
            totals={"marker": {"color": "#000000"}},
            connector={"line": {"color": NEUTRAL}},
        )
    )
    fig.update_yaxes(tickprefix="€", separatethousands=True)
    out = _finish(fig, lang, height=500, legend=False)
    # horizontal, wrapped category labels read better than rotated ones (long Dutch care-path names)
    out.update_xaxes(tickangle=0, tickfont={"size": 11}, automargin=True)
    return out


def grouped_bars(
    labels: Sequence[str],
    groups: Sequence[tuple[str, Sequence[float | None], Sequence[str], str]],
    *,
    lang: str,
    horizontal: bool = True,
) -> go.Figure:
    """Bars side by side; ``groups`` = (name, values, hover, colour)."""
    fig = go.Figure()
    for i, (name, values, hover, color) in enumerate(groups):
        kw = (
            {"y": list(labels), "x": list(values), "orientation": "h"}
            if horizontal
            else {"x": list(labels), "y": list(values)}
        )
        fig.add_trace(
            go.Bar(
                name=name,
                marker={"color": color, "pattern": {"shape": _PATTERNS[i]}},
                text=list(hover),
                textposition="none",
                hoverinfo="text+name",
                **kw,
            )
        )
    fig.update_layout(barmode="group")
    if horizontal:
        fig.update_yaxes(autorange="reversed")
        fig.update_xaxes(tickprefix="€", separatethousands=True)
    else:
        fig.update_yaxes(tickprefix="€", separatethousands=True)
    return _finish(fig, lang, height=160 + 46 * len(labels) if horizontal else 420)


def year_bars(
    years: Sequence[str],
    cost: Sequence[float],
    avoided: Sequence[float],
    cumulative: Sequence[float],
    names: tuple[str, str, str],
    hover: tuple[Sequence[str], Sequence[str], Sequence[str]],
    *,
    lang: str,
) -> go.Figure:
    fig = go.Figure()
    fig.add_trace(
        go.Bar(
            x=list(years),
            y=[-c for c in cost],
            name=names[0],
            marker={"color": NEGATIVE},
            text=list(hover[0]),
            textposition="none",
            hoverinfo="text+name",
        )
    )
    fig.add_trace(
        go.Bar(
            x=list(years),
            y=list(avoided),
            name=names[1],
            marker={"color": POSITIVE, "pattern": {"shape": "/"}},
            text=list(hover[1]),
            textposition="none",
            hoverinfo="text+name",
        )
    )
    fig.add_trace(
        go.Scatter(
            x=list(years),
            y=list(cumulative),
            name=names[2],
            mode="lines+markers",
            line={"color": "#000000", "width": 2.5},
            marker={"symbol": "diamond", "size": 9},
            text=list(hover[2]),
            hoverinfo="text+name",
        )
    )
    fig.add_hline(y=0, line={"color": NEUTRAL})
    fig.update_layout(barmode="relative")
    fig.update_yaxes(tickprefix="€", separatethousands=True)
    return _finish(fig, lang, height=420)


def histogram(
    centers: Sequence[float],
    shares: Sequence[float],
    width: float,
    hover: Sequence[str],
    zero_label: str,
    *,
    lang: str,
) -> go.Figure:
    """A pre-binned histogram of simulated net benefits; bars below zero in vermillion, hatched."""
    colors = [NEGATIVE if c < 0 else POSITIVE for c in centers]
    patterns = ["x" if c < 0 else "" for c in centers]
    fig = go.Figure(
        go.Bar(
            x=list(centers),
            y=list(shares),
            width=width,
            marker={"color": colors, "pattern": {"shape": patterns}},
            text=list(hover),
            textposition="none",
            hoverinfo="text",
        )
    )
    fig.add_vline(
        x=0,
        line={"color": "#000000", "width": 2},
        annotation_text=zero_label,
        annotation_position="top right",
    )
    fig.update_xaxes(tickprefix="€", separatethousands=True)
    fig.update_yaxes(tickformat=".0%")
    return _finish(fig, lang, height=380, legend=False)


def acceptability(
    x: Sequence[float], p: Sequence[float], hover: Sequence[str], x_title: str, *, lang: str
) -> go.Figure:
    fig = go.Figure(
        go.Scatter(
            x=list(x),
            y=list(p),
            mode="lines+markers",
            line={"color": POSITIVE, "width": 2.5},
            text=list(hover),
            hoverinfo="text",
        )
    )
    fig.add_hline(y=0.5, line={"color": NEUTRAL, "dash": "dash"})
    fig.update_xaxes(tickformat=".0%", title=x_title)
    fig.update_yaxes(tickformat=".0%", range=[0, 1])
    return _finish(fig, lang, height=360, legend=False)


def tornado(
    labels: Sequence[str],
    low: Sequence[float],
    high: Sequence[float],
    base: float,
    names: tuple[str, str],
    hover: tuple[Sequence[str], Sequence[str]],
    *,
    lang: str,
) -> go.Figure:
    """Net benefit at each parameter's low and high value, as bars from the base case."""
    fig = go.Figure()
    fig.add_trace(
        go.Bar(
            y=list(labels),
            x=[v - base for v in low],
            base=base,
            orientation="h",
            name=names[0],
            marker={"color": NEGATIVE, "pattern": {"shape": "x"}},
            text=list(hover[0]),
            textposition="none",
            hoverinfo="text+name",
        )
    )
    fig.add_trace(
        go.Bar(
            y=list(labels),
            x=[v - base for v in high],
            base=base,
            orientation="h",
            name=names[1],
            marker={"color": POSITIVE},
            text=list(hover[1]),
            textposition="none",
            hoverinfo="text+name",
        )
    )
    fig.add_vline(x=base, line={"color": "#000000"})
    fig.update_layout(barmode="overlay")
    fig.update_yaxes(autorange="reversed")
    fig.update_xaxes(tickprefix="€", separatethousands=True)
    return _finish(fig, lang, height=160 + 34 * len(labels))
