"""Annual report: the reliable-change headline (issue 12 item 4).

Reliably improved *and* reliably deteriorated, per domain and on at least one domain, each next to
the share expected by chance with no true change (:func:`impactkit.measures.reliable_change_summary`:
the chance level follows from the threshold, the scale's step and the number of domains).  A
reliability that is a placeholder is named in the headline itself; where the export holds item
answers, Cronbach's alpha of the intake items is the reliability (``Dataset.items``).

Below ``MIN_PAIRS`` classified families the headline gives counts, not shares, and says it makes no
comparison with chance (issue 12 item 6).

Publication: the per-domain shares come from the protected category table of the reliable-change
chart (a share is shown only where the cells it sums are); the "at least one domain" counts are
protected as parts of the classified families (each with its complement).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from impactkit import figures, measures
from impactkit.report._context import Ctx, hide_small_parts
from impactkit.report._model import Chart, Column, KeyFigure, Section, Table
from impactkit.report._suppress import PUBLISHED

__all__ = ["MIN_PAIRS", "item_reliability", "reliable_headline"]

MIN_PAIRS = 10  # below: descriptive (the measures' min_pairs default)
ANY = "at_least_one_domain"


def item_reliability(ctx: Ctx) -> tuple[pd.DataFrame | None, list[tuple[str, float]]]:
    """Cronbach's alpha of the intake items of the report's families, where the export holds item
    answers: the usable alphas (0 < alpha < 1, a table for ``reliable_change(reliability=...)``;
    other domains keep the instrument's value) and the domains whose alpha is not a reliability."""
    items = getattr(ctx.dataset, "items", None)
    if items is None or len(items) == 0:
        return None, []
    keep = set(ctx.dataset.assessments["family_id"].astype(str))
    items = items[items["family_id"].astype(str).isin(keep)]
    if not len(items):
        return None, []
    tab = pd.DataFrame(
        measures.cronbach_alpha(items, wave=ctx.instrument.wave_ids[0], instrument=ctx.instrument)
    )
    alpha = tab["alpha"].astype(float)
    usable = alpha.gt(0) & alpha.lt(1)
    bad = [
        (str(d), float(a))
        for d, a in zip(tab["domain"], alpha, strict=True)
        if np.isfinite(a) and not 0 < a < 1
    ]
    return (tab[usable].reset_index(drop=True) if usable.any() else None), bad


def headline_frame(ctx: Ctx, summ: pd.DataFrame, st: pd.DataFrame) -> pd.DataFrame:
    """One row per domain and the "at least one domain" row: the published shares (NaN where not
    published), the chance levels and the status; ``st`` is the status of the category table
    (rows in the instrument's domain order, columns recovered/improved/deteriorated)."""
    s = pd.DataFrame(summ).reset_index(drop=True)
    dom = s[s["domain"] != ANY].copy()
    status = st.assign(domain=list(ctx.instrument.domain_ids)[: len(st)]).set_index("domain")
    ok_up = [
        d in status.index and status.at[d, "recovered"] == PUBLISHED and status.at[d, "improved"] == PUBLISHED
        for d in dom["domain"]
    ]
    ok_down = [d in status.index and status.at[d, "deteriorated"] == PUBLISHED for d in dom["domain"]]
    dom["share_improved"] = dom["share_improved"].where(np.array(ok_up, dtype=bool))
    dom["share_deteriorated"] = dom["share_deteriorated"].where(np.array(ok_down, dtype=bool))
    any_row = s[s["domain"] == ANY].copy()
    if len(any_row):
        r = any_row.iloc[0]
        n = int(r["n"])
        parts = pd.DataFrame(
            [[r["n_improved"], n - r["n_improved"]], [r["n_deteriorated"], n - r["n_deteriorated"]]]
        )
        hid = hide_small_parts(parts, ctx.k)
        any_row["share_improved"] = r["share_improved"] if hid.iat[0, 0] == PUBLISHED else np.nan
        any_row["share_deteriorated"] = r["share_deteriorated"] if hid.iat[1, 0] == PUBLISHED else np.nan
        any_row["n_improved"] = r["n_improved"] if hid.iat[0, 0] == PUBLISHED else np.nan
        any_row["n_deteriorated"] = r["n_deteriorated"] if hid.iat[1, 0] == PUBLISHED else np.nan
    out = pd.concat([dom, any_row], ignore_index=True)
    out["hidden_n"] = out["n"] < ctx.k  # a domain (or the whole) under k classified families
    for c in ("share_improved", "share_deteriorated"):
        out[c] = out[c].where(~out["hidden_n"])
    out["descriptive"] = out["status"].astype(str).str.startswith("descriptive")
    return out


def reliable_headline(
    ctx: Ctx,
    sec: Section,
    summary: Section,
    rc: pd.DataFrame,
    st: pd.DataFrame,
    unusable: Sequence[tuple[str, float]] = (),
) -> None:
    """Add the chance chart and the sentences to ``sec`` and the two key figures to ``summary``;
    ``unusable``: domains whose items' alpha is not a reliability (from :func:`item_reliability`)."""
    f = ctx.fmt
    summ = measures.reliable_change_summary(rc, min_pairs=MIN_PAIRS)
    hf = headline_frame(ctx, summ, st)
    doms, last = hf[hf["domain"] != ANY], hf[hf["domain"] == ANY]
    n_dom = len(doms)
    any_r: dict[str, Any] | None = (
        {str(c): v for c, v in last.iloc[0].items()} if len(last) and int(last.iloc[0]["n"]) > 0 else None
    )
    placeholder = [str(d) for d, p in zip(doms["domain"], doms["reliability_placeholder"], strict=True) if p]
    alpha = [str(d) for d, src in zip(doms["domain"], doms["reliability_source"], strict=True)
             if src == "cronbach_alpha"]  # fmt: skip

    def names(ds: list[str]) -> str:
        return ", ".join(ctx.domain(d) for d in ds)

    ph_text = (
        ctx.t("rci_placeholder_short", n=f.integer(len(placeholder)), total=f.integer(n_dom))
        if placeholder
        else ""
    )
    # ---- key figures: improved and deteriorated on at least one domain, with the chance level
    if any_r is not None and not any_r["hidden_n"]:
        for side in ("improved", "deteriorated"):
            share, count = any_r[f"share_{side}"], any_r[f"n_{side}"]
            if pd.isna(share):
                continue
            if any_r["descriptive"]:
                detail = ctx.t("kf_rci_descriptive", n=f.integer(any_r["n"]), min=f.integer(MIN_PAIRS))
                summary.key_figures.append(
                    KeyFigure.of(
                        f,
                        count,
                        "count",
                        ctx.t(f"kf_rci_{side}_n", n=f.integer(any_r["n"])),
                        "; ".join(x for x in (detail, ph_text) if x),
                    )
                )
            else:
                detail = ctx.t("kf_rci_chance", chance=f.percent(any_r[f"chance_{side}"]))
                summary.key_figures.append(
                    KeyFigure.of(
                        f,
                        share,
                        "share",
                        ctx.t(f"kf_rci_{side}", n_dom=f.integer(n_dom)),
                        "; ".join(x for x in (detail, ph_text) if x),
                    )
                )
    # ---- the chart: both directions per domain and on at least one, chance marked
    fig = figures.reliable_change_chance_bars(hf, lang=ctx.lang, instrument=ctx.instrument, k=ctx.k, title="")
    tab = hf.assign(label=[ctx.t("rci_any_domain") if d == ANY else ctx.domain(d) for d in hf["domain"]])
    tab["source"] = [
        ""
        if d == ANY
        else ctx.t(
            f"rel_source_{s}_placeholder"
            if p and ctx.known(f"rel_source_{s}_placeholder")
            else f"rel_source_{s}"
        )
        for d, s, p in zip(
            tab["domain"], tab["reliability_source"], tab["reliability_placeholder"], strict=True
        )
    ]
    cols = [Column("label", ctx.t("domain")), Column("n", ctx.t("n"), "count"),
            Column("share_improved", ctx.t("rci_col_improved"), "share"),
            Column("chance_improved", ctx.t("rci_col_chance_improved"), "share1"),
            Column("share_deteriorated", ctx.t("rci_col_deteriorated"), "share"),
            Column("chance_deteriorated", ctx.t("rci_col_chance_deteriorated"), "share1"),
            Column("min_change", ctx.t("rci_col_min_change"), "number2"),
            Column("reliability", ctx.t("rci_col_reliability"), "number2"),
            Column("source", ctx.t("rci_col_source"))]  # fmt: skip
    status = pd.DataFrame(PUBLISHED, index=tab.index, columns=tab.columns)
    for c in ("share_improved", "share_deteriorated"):
        status.loc[tab[c].isna() & (tab["n"] > 0), c] = "primary"
    status.loc[tab["hidden_n"], "n"] = "primary"
    table = Table.build("tbl-reliable-chance", ctx.t("rcc_title"), tab, cols, f, status=status, k=ctx.k,
                        sheet="reliable change")  # fmt: skip
    cap = _caption(ctx, any_r, n_dom)
    sec.blocks.append(Chart("reliable-chance", ctx.t("rcc_title"), cap, fig, table))
    if placeholder:
        where = ctx.t("rci_every_domain") if len(placeholder) == n_dom else names(placeholder)
        advice = (
            "" if getattr(ctx.dataset, "items", None) is not None else " " + ctx.t("rci_placeholder_advice")
        )
        sec.paragraphs.append(ctx.t("rci_placeholder", domains=where) + advice)
    if alpha:
        sec.paragraphs.append(ctx.t("rci_alpha", domains=names(alpha)))
    if unusable:
        sec.paragraphs.append(
            ctx.t(
                "rci_alpha_unusable",
                domains=", ".join(f"{ctx.domain(d)} ({f.number(a, 2)})" for d, a in unusable),
            )
        )
    if any_r is not None and any_r["descriptive"]:
        sec.paragraphs.append(ctx.t("rci_descriptive", n=f.integer(any_r["n"]), min=f.integer(MIN_PAIRS)))


def _caption(ctx: Ctx, r: dict[str, Any] | None, n_dom: int) -> str:
    """The sentence under the chance chart, from published values only."""
    f = ctx.fmt
    if r is None or r["hidden_n"]:
        return ""
    up, down = r["share_improved"], r["share_deteriorated"]
    if r["descriptive"]:
        if pd.isna(up) or pd.isna(down):
            return ""
        return ctx.t("rcc_caption_descriptive", up=f.integer(r["n_improved"]), down=f.integer(r["n_deteriorated"]),
                     n=f.integer(r["n"]), n_dom=f.integer(n_dom))  # fmt: skip
    if pd.isna(up) or pd.isna(down):
        return ctx.t("rcc_caption_chance", chance=f.percent(r["chance_improved"]), n_dom=f.integer(n_dom))
    return ctx.t("rcc_caption", up=f.percent(up), down=f.percent(down), chance=f.percent(r["chance_improved"]),
                 n_dom=f.integer(n_dom))  # fmt: skip
