"""Flows of families: level transitions (Sankey) and families measured per wave (attrition)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from impactkit.errors import ParameterError
from impactkit.figures._common import setup, title_of
from impactkit.figures._theme import PALETTE, POSITIVE, finish, hover_value, opt
from impactkit.i18n import text
from impactkit.instruments import Instrument

__all__ = ["HIDDEN", "attrition_flow", "transitions_sankey"]

HIDDEN = "hidden"  # a to_level meaning "flows not shown" (suppressed, gathered per source)
_FLOW = "rgba(0,114,178,0.25)"
_GREY = "rgba(150,150,150,0.35)"


def transitions_sankey(
    table: pd.DataFrame,
    *,
    domain: str | None = None,
    lang: str = "en",
    instrument: Instrument | None = None,
    levels: Sequence[Any] | None = None,
    k: int | None = None,
    title: str | None = None,
) -> go.Figure:
    """Sankey of level transitions for one domain, from :func:`~impactkit.measures.transitions`.

    Needs ``from_level, to_level, n`` (``domain``, ``baseline``, ``followup`` when present);
    ``domain`` defaults to the first.  Levels may be scale values (labelled by the instrument) or
    words (bands of levels); ``levels`` orders them from worst to best (best drawn on top).  A
    flow with ``n`` NaN or 0 is not drawn; rows with ``to_level == HIDDEN`` go to one grey node
    "not shown" (flows under ``k`` gathered per source, so node sizes stay true).
    """
    lab = setup(table, lang, "transitions_sankey", instrument)
    df = pd.DataFrame(table)
    if "domain" in df:
        domains = list(pd.unique(df["domain"]))
        domain = domains[0] if domain is None else domain
        if domain not in domains:
            raise ParameterError(
                f"The 'domain' parameter of transitions_sankey must be one of {domains}. Got {domain!r} instead."
            )
        df = df[df["domain"] == domain]
    order = list(levels) if levels is not None else sorted(
        {v for v in [*df["from_level"], *df["to_level"]] if v != HIDDEN}, key=lambda v: (str(type(v)), v)
    )  # fmt: skip
    idx = {v: i for i, v in enumerate(order)}
    b = lab.wave(df["baseline"].iloc[0]) if "baseline" in df and len(df) else ""
    f = lab.wave(df["followup"].iloc[0]) if "followup" in df and len(df) else ""
    nodes = [f"{b}: {lab.level(v)}" for v in order] + [f"{f}: {lab.level(v)}" for v in order]
    colours = [PALETTE[i % len(PALETTE)] for i in range(len(order))] * 2
    hidden_node = None
    if (df["to_level"] == HIDDEN).any():
        nodes.append(text("figures", "not_shown_flows", lab.lang, k=k if k is not None else "k"))
        colours.append("#BBBBBB")
        hidden_node = len(nodes) - 1
    links: list[tuple[int, int, float, str]] = []
    for src, dst, n in zip(df["from_level"], df["to_level"], df["n"], strict=True):
        if pd.isna(n) or float(n) <= 0:
            continue
        s = idx[src]
        t = hidden_node if dst == HIDDEN and hidden_node is not None else len(order) + idx[dst]
        links.append((s, t, float(n), f"{nodes[s]} → {nodes[t]}: {lab.fmt.integer(n)}"))
    # fixed positions: baseline left, follow-up right, the best level on top, "not shown" below;
    # nodes without a link are dropped (plotly misplaces fixed positions otherwise)
    m = len(order)
    ys = [0.02 + 0.5 * (m - 1 - i) / max(m - 1, 1) for i in range(m)]
    xs = [0.001] * m + [0.999] * m + ([0.999] if hidden_node is not None else [])
    ys = ys + ys + ([0.62] if hidden_node is not None else [])
    used = sorted({s for s, _, _, _ in links} | {t for _, t, _, _ in links})
    new = {old: i for i, old in enumerate(used)}
    fig = go.Figure(
        go.Sankey(
            arrangement="snap",
            node={
                "label": [nodes[i] for i in used],
                "color": [colours[i] for i in used],
                "x": [xs[i] for i in used],
                "y": [ys[i] for i in used],
                "pad": 18,
                "thickness": 18,
                "hoverinfo": "none",
            },
            link={
                "source": [new[s] for s, _, _, _ in links],
                "target": [new[t] for _, t, _, _ in links],
                "value": [v for _, _, v, _ in links],
                "customdata": [h for _, _, _, h in links],
                "hovertemplate": "%{customdata}<extra></extra>",
                "color": [_GREY if t == hidden_node else _FLOW for _, t, _, _ in links],
            },
        )
    )
    name = title_of(title, lab, "sankey", b=b, f=f, domain=lab.domain(domain) if domain else "")
    return finish(fig, lab.fmt, title=name, height=520 + (40 if name else 0), legend=False)


def attrition_flow(
    flow: pd.DataFrame,
    *,
    lang: str = "en",
    instrument: Instrument | None = None,
    k: int | None = None,
    title: str | None = None,
) -> go.Figure:
    """Families measured per wave (overall and per group), from ``attrition().flow``.

    Needs ``wave, n_families`` (and ``group`` for several groups); a suppressed count is NaN.
    """
    lab = setup(flow, lang, "attrition_flow", instrument)
    df = pd.DataFrame(flow)
    if "group" not in df:
        df = df.assign(group="all")
    groups = list(pd.unique(df["group"]))
    fig = go.Figure()
    for i, (group, part) in enumerate(df.groupby("group", sort=False)):
        fig.add_trace(
            go.Bar(
                x=[lab.wave(w) for w in part["wave"]],
                y=opt(part["n_families"]),
                name=text("figures", "all_families", lab.lang) if group == "all" else str(group),
                marker={"color": POSITIVE if len(groups) == 1 else PALETTE[i % len(PALETTE)]},
                text=[hover_value(lab.fmt.integer(v), k) for v in part["n_families"]],
                textposition="outside",
                hoverinfo="text+x",
                cliponaxis=False,
            )
        )
    fig.update_layout(barmode="group")
    fig.update_yaxes(title=text("figures", "families", lab.lang))
    name = title_of(title, lab, "flow")
    return finish(fig, lab.fmt, title=name, height=360 + (40 if name else 0), legend=len(groups) > 1)
