"""Figures of the measures tables: radar, distance travelled, Sankey, reliable-change bars.

Each function takes a result table (or any DataFrame with the same columns), never raw data,
and returns a plotly Figure; labels come from the instrument (``lang="en"`` or ``"nl"``).
Colours are Okabe-Ito and every category also carries a text label, never colour alone.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from impactkit.errors import ParameterError
from impactkit.figures._theme import NEGATIVE, NEUTRAL, PALETTE, POSITIVE, apply_theme
from impactkit.i18n import catalogue, check_lang
from impactkit.instruments import Instrument

__all__ = [
    "attrition_flow",
    "distance_travelled",
    "omnibus_effects",
    "radar",
    "rci_categories",
    "transitions_sankey",
]

CATEGORY_COLOURS = {
    "recovered": POSITIVE,
    "improved": "#56B4E9",
    "unchanged": NEUTRAL,
    "mixed": "#E69F00",
    "deteriorated": NEGATIVE,
}
CATEGORY_PATTERNS = {"recovered": "", "improved": "/", "unchanged": "", "mixed": "x", "deteriorated": "."}


def _lang(lang: str, func: str) -> dict[str, str]:
    return catalogue(check_lang(lang, func), "figures")


def _inst(table: pd.DataFrame, instrument: Instrument | None) -> Instrument | None:
    if instrument is not None:
        return instrument
    meta = getattr(table, "meta", {}) or {}
    inst = meta.get("instrument")
    return inst if isinstance(inst, Instrument) else None


def _domain_label(inst: Instrument | None, domain: str, lang: str) -> str:
    if inst is None or domain not in inst.domain_ids:
        return str(domain)
    label = inst.domain_label(domain, lang)
    if not inst.higher_is_better(domain):  # every chart says which way is better on such a domain
        return catalogue(check_lang(lang, "figures"), "figures")["domain_lower_better"].format(domain=label)
    return label


def _better(inst: Instrument | None, domains: pd.Series, diff: pd.Series) -> np.ndarray:
    """Whether each change is an improvement: up, or down on a domain where lower is better."""
    up = np.array(
        [inst.higher_is_better(d) if inst is not None and d in inst.domain_ids else True for d in domains]
    )
    d = diff.to_numpy(dtype=float)
    return np.where(up, d > 0, d < 0)


def _wave_label(inst: Instrument | None, wave: str, lang: str) -> str:
    return inst.wave_label(wave, lang) if inst is not None else str(wave)


def _one_group(table: pd.DataFrame, group: object, func: str) -> pd.DataFrame:
    by = (getattr(table, "meta", {}) or {}).get("by")
    if by is None or by not in table.columns:
        return pd.DataFrame(table)
    groups = list(pd.unique(table[by]))
    if group is None or group not in groups:
        raise ParameterError(
            f"The 'group' parameter of {func} must be one of {groups} for a table made with by={by!r}. "
            f"Got {group!r} instead."
        )
    return pd.DataFrame(table[table[by] == group])


def radar(
    table: pd.DataFrame,
    *,
    lang: str = "en",
    waves: list[str] | None = None,
    group: object = None,
    instrument: Instrument | None = None,
) -> go.Figure:
    """Radar of the mean score per domain, one trace per wave, from :func:`~impactkit.measures.describe`.

    Parameters
    ----------
    table : DescribeResult
        Needs ``domain, wave, mean``.
    lang : {"en", "nl"}
    waves : list of str, optional
        Waves to draw (default: all in the table).
    group : optional
        The group to draw when the table was made with ``by``.
    instrument : Instrument, optional
        For labels and the radial range; default ``table.meta["instrument"]``.
    """
    text = _lang(lang, "radar")
    inst = _inst(table, instrument)
    df = _one_group(table, group, "radar")
    order = list(pd.unique(df["wave"])) if waves is None else waves
    fig = go.Figure()
    for i, wave in enumerate(order):
        part = df[df["wave"] == wave]
        labels = [_domain_label(inst, d, lang) for d in part["domain"]]
        fig.add_trace(
            go.Scatterpolar(
                r=[*part["mean"], part["mean"].iloc[0]] if len(part) else [],
                theta=[*labels, labels[0]] if labels else [],
                name=_wave_label(inst, wave, lang),
                mode="lines+markers",
                line={"color": PALETTE[i % len(PALETTE)], "dash": ["solid", "dash", "dot", "dashdot"][i % 4]},
            )
        )
    rng = [inst.scale.min, inst.scale.max] if inst is not None else None
    fig.update_layout(polar={"radialaxis": {"range": rng, "visible": True}})
    return apply_theme(fig, title=text["radar"])


def distance_travelled(
    table: pd.DataFrame,
    *,
    lang: str = "en",
    group: object = None,
    instrument: Instrument | None = None,
) -> go.Figure:
    """Mean change per domain with its confidence interval, from :func:`~impactkit.measures.change`.

    Needs ``domain, baseline, followup, mean_diff, ci_low, ci_high``; suppressed rows are left out.
    """
    text = _lang(lang, "distance_travelled")
    inst = _inst(table, instrument)
    df = _one_group(table, group, "distance_travelled").dropna(subset=["mean_diff"])
    df = df.iloc[::-1]  # first domain on top
    labels = [_domain_label(inst, d, lang) for d in df["domain"]]
    better = _better(inst, df["domain"], df["mean_diff"])
    fig = go.Figure(
        go.Scatter(
            x=df["mean_diff"],
            y=labels,
            mode="markers",
            marker={"size": 11, "color": np.where(better, POSITIVE, NEGATIVE),
                    "symbol": np.where(better, "circle", "diamond")},
            error_x={"type": "data", "symmetric": False, "array": df["ci_high"] - df["mean_diff"],
                     "arrayminus": df["mean_diff"] - df["ci_low"], "color": NEUTRAL},
            text=[f"{m:+.2f} [{lo:.2f}; {hi:.2f}]" for m, lo, hi in zip(df["mean_diff"], df["ci_low"],
                                                                          df["ci_high"], strict=True)],
            hovertemplate="%{y}: %{text}<extra></extra>",
            showlegend=False,
        )
    )  # fmt: skip
    fig.add_vline(x=0, line={"color": NEUTRAL, "width": 1})
    fig.update_xaxes(title=text["mean_change"])
    b = _wave_label(inst, df["baseline"].iloc[0], lang) if len(df) else ""
    f = _wave_label(inst, df["followup"].iloc[0], lang) if len(df) else ""
    level = float((getattr(table, "meta", {}) or {}).get("level", 0.95))
    return apply_theme(fig, title=text["distance"].format(b=b, f=f, level=level))


def transitions_sankey(
    table: pd.DataFrame,
    *,
    domain: str | None = None,
    lang: str = "en",
    instrument: Instrument | None = None,
) -> go.Figure:
    """Sankey of level transitions for one domain, from :func:`~impactkit.measures.transitions`.

    Needs ``domain, baseline, followup, from_level, to_level, n``; ``domain`` defaults to the first.
    """
    text = _lang(lang, "transitions_sankey")
    inst = _inst(table, instrument)
    domains = list(pd.unique(table["domain"]))
    domain = domains[0] if domain is None else domain
    if domain not in domains:
        raise ParameterError(
            f"The 'domain' parameter of transitions_sankey must be one of {domains}. Got {domain!r} instead."
        )
    df = table[(table["domain"] == domain) & (table["n"] > 0)]
    levels = sorted(set(table["from_level"]) | set(table["to_level"]))
    k = len(levels)

    def name(v: int) -> str:  # "3 Beperkt zelfredzaam", or "3" alone on a scale without labels
        return inst.level_text(int(v), lang) if inst is not None else str(v)

    b = _wave_label(inst, table["baseline"].iloc[0], lang)
    f = _wave_label(inst, table["followup"].iloc[0], lang)
    node_labels = [f"{b}: {name(v)}" for v in levels] + [f"{f}: {name(v)}" for v in levels]
    colours = [PALETTE[i % len(PALETTE)] for i in range(k)] * 2
    idx = {v: i for i, v in enumerate(levels)}
    fig = go.Figure(
        go.Sankey(
            node={"label": node_labels, "color": colours, "pad": 12},
            link={
                "source": [idx[v] for v in df["from_level"]],
                "target": [k + idx[v] for v in df["to_level"]],
                "value": df["n"].tolist(),
                "color": ["rgba(153,153,153,0.4)"] * len(df),
            },
        )
    )
    return apply_theme(fig, title=text["sankey"].format(b=b, f=f, domain=_domain_label(inst, domain, lang)))


def rci_categories(
    table: pd.DataFrame,
    *,
    lang: str = "en",
    instrument: Instrument | None = None,
) -> go.Figure:
    """Stacked bars of reliable-change categories, from :func:`~impactkit.measures.reliable_change`.

    A per-domain table gives one bar per domain; a per-family table (``level="family"``) one bar.
    Shares are of the classified families; each segment carries its category name and share.
    """
    text = _lang(lang, "rci_categories")
    inst = _inst(table, instrument)
    meta = getattr(table, "meta", {}) or {}
    family_level = "domain" not in table.columns
    cats = (
        list(table["category"].cat.categories)
        if hasattr(table["category"], "cat")
        else sorted(set(table["category"]))
    )
    if family_level:
        counts = table["category"].astype(str).value_counts().reindex(cats, fill_value=0).to_frame().T
        counts.index = [text["overall"]]
    else:
        counts = pd.crosstab(table["domain"].astype(str), table["category"].astype(str)).reindex(
            columns=cats, fill_value=0
        )
        order = [d for d in (inst.domain_ids if inst else counts.index) if d in counts.index]
        counts = counts.loc[order]
        counts.index = [_domain_label(inst, d, lang) for d in counts.index]
    shares = counts.div(counts.sum(axis=1), axis=0)
    fig = go.Figure()
    for cat in cats:
        fig.add_trace(
            go.Bar(
                x=shares[cat],
                y=shares.index,
                orientation="h",
                name=text.get(cat, cat),
                marker={"color": CATEGORY_COLOURS.get(cat, NEUTRAL),
                        "pattern": {"shape": CATEGORY_PATTERNS.get(cat, "")}},
                text=[f"{s:.0%}" if s >= 0.05 else "" for s in shares[cat]],
                customdata=counts[cat],
                hovertemplate="%{y}: %{x:.1%} (%{customdata})<extra>" + text.get(cat, cat) + "</extra>",
            )
        )  # fmt: skip
    fig.update_layout(barmode="stack", legend={"traceorder": "normal"})
    fig.update_xaxes(title=text["share"], tickformat=".0%", range=[0, 1])
    fig.update_yaxes(autorange="reversed")
    b = _wave_label(inst, meta.get("baseline", ""), lang)
    f = _wave_label(inst, meta.get("followup", ""), lang)
    return apply_theme(fig, title=text["rci_family" if family_level else "rci"].format(b=b, f=f))


def omnibus_effects(
    table: pd.DataFrame, *, lang: str = "en", instrument: Instrument | None = None
) -> go.Figure:
    """Bar of the generalised eta² per domain, from :func:`~impactkit.measures.omnibus`."""
    text = _lang(lang, "omnibus_effects")
    inst = _inst(table, instrument)
    df = pd.DataFrame(table).dropna(subset=["eta2_generalized"])
    fig = go.Figure(
        go.Bar(
            x=df["eta2_generalized"],
            y=[_domain_label(inst, d, lang) for d in df["domain"]],
            orientation="h",
            marker={"color": POSITIVE},
            text=[f"{v:.3f}" for v in df["eta2_generalized"]],
        )
    )
    fig.update_yaxes(autorange="reversed")
    return apply_theme(fig, title=text["omnibus"])


def attrition_flow(
    flow: pd.DataFrame, *, lang: str = "en", instrument: Instrument | None = None
) -> go.Figure:
    """Grouped bars of the families measured per wave (overall and per group), from ``attrition().flow``."""
    text = _lang(lang, "attrition_flow")
    fig = go.Figure()
    for i, (group, part) in enumerate(pd.DataFrame(flow).groupby("group", sort=False)):
        fig.add_trace(
            go.Bar(
                x=[_wave_label(instrument, w, lang) for w in part["wave"]],
                y=part["n_families"],
                name=str(group),
                marker={"color": PALETTE[i % len(PALETTE)]},
                text=part["n_families"],
            )
        )
    fig.update_layout(barmode="group")
    fig.update_yaxes(title=text["families"])
    return apply_theme(fig, title=text["flow"])
