"""Annual report: the reliable-change headline (issue 12 item 4).

Reliably improved *and* reliably deteriorated, per domain and on at least one domain, each next to
the share expected by chance with no true change (:func:`impactkit.measures.reliable_change_summary`:
the chance level follows from the threshold, the scale's step and the number of domains).  A
reliability that is a placeholder is named in the headline itself; where the export holds item
answers, Cronbach's alpha of the intake items is the reliability (``Dataset.items``).

Below ``MIN_PAIRS`` classified families the headline gives counts, not shares, and says it makes no
comparison with chance (issue 12 item 6).

Publication: every number is a published value of the release.  Per domain the shares rest on
the families classified on it and those reliably better (recovered or improved) / deteriorated on
it (the populations of the reliable-change chart); on at least one domain on the classified
families and those reliably better / deteriorated on some domain.  The chance level, the minimal
change and the reliability follow from the classified families' spread (and their items' alpha):
they rest on the classified families.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from impactkit import figures, measures
from impactkit.report._captions import form
from impactkit.report._context import Ctx, draw
from impactkit.report._model import Chart, Column, KeyFigure, Section, Table
from impactkit.report._publish import marker

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


def headline_frame(
    ctx: Ctx, summ: pd.DataFrame, rows: Sequence[dict[str, Any]], anyv: dict[str, Any] | None
) -> pd.DataFrame:
    """One row per domain and the "at least one domain" row, numbers as published values.

    ``rows``: per domain ``n`` (classified), ``better`` and ``deteriorated`` (their shares) from
    the reliable-change chart; ``anyv``: ``n``, ``n_improved``, ``n_deteriorated`` of the families
    classified on at least one domain.  The chance levels and thresholds come from ``summ``
    (:func:`~impactkit.measures.reliable_change_summary`), resting on the classified families."""
    pub = ctx.pub
    s = pd.DataFrame(summ).reset_index(drop=True).set_index("domain", drop=False)
    out = []
    for r in rows:
        d = str(r["domain"])
        if d not in s.index:
            continue
        m = s.loc[d]
        n = r["n"]
        out.append({
            "domain": d, "n": n, "share_improved": r["better"], "share_deteriorated": r["deteriorated"],
            "n_improved": r["n_better"], "n_deteriorated": r["n_deteriorated"],
            **{c: pub.derived(m[c], n) for c in ("chance_improved", "chance_deteriorated", "min_change")},
            # the instrument's reliability describes no family; an alpha of the items does
            "reliability": pub.derived(m["reliability"], n) if m["reliability_source"] == "cronbach_alpha"
            else pub.const(m["reliability"]),
            **{c: m[c] for c in ("status", "reliability_source", "reliability_placeholder")},
        })  # fmt: skip
    if anyv is not None and ANY in s.index:
        m = s.loc[ANY]
        n = anyv["n"]
        out.append({
            "domain": ANY, "n": n, "share_improved": anyv["n_improved"] / n,
            "share_deteriorated": anyv["n_deteriorated"] / n, "n_improved": anyv["n_improved"],
            "n_deteriorated": anyv["n_deteriorated"],
            **{c: pub.derived(m[c], n) for c in ("chance_improved", "chance_deteriorated")},
            "min_change": pub.const(np.nan), "reliability": pub.const(np.nan),
            **{c: m[c] for c in ("status", "reliability_source", "reliability_placeholder")},
        })  # fmt: skip
    frame = pd.DataFrame(out)
    frame["descriptive"] = frame["status"].astype(str).str.startswith("descriptive")
    return frame


def reliable_headline(
    ctx: Ctx,
    sec: Section,
    summary: Section,
    summ: pd.DataFrame,
    rows: Sequence[dict[str, Any]],
    anyv: dict[str, Any] | None,
    unusable: Sequence[tuple[str, float]] = (),
) -> None:
    """Add the chance chart and the sentences to ``sec`` and the two key figures to ``summary``;
    ``unusable``: domains whose items' alpha is not a reliability (from :func:`item_reliability`)."""
    f, pub = ctx.fmt, ctx.pub
    hf = headline_frame(ctx, summ, rows, anyv)
    doms, last = hf[hf["domain"] != ANY], hf[hf["domain"] == ANY]
    n_dom = len(doms)
    any_r: dict[str, Any] | None = (
        {str(c): v for c, v in last.iloc[0].items()} if len(last) and pub.raw(last.iloc[0]["n"]) > 0 else None
    )
    placeholder = [str(d) for d, p in zip(doms["domain"], doms["reliability_placeholder"], strict=True) if p]
    alpha = [str(d) for d, src in zip(doms["domain"], doms["reliability_source"], strict=True)
             if src == "cronbach_alpha"]  # fmt: skip

    def names(ds: list[str]) -> str:
        return ", ".join(ctx.domain(d) for d in ds)

    ph_text = ctx.t("rci_placeholder_short", n=str(len(placeholder)), total=str(n_dom)) if placeholder else ""
    # ---- key figures: improved and deteriorated on at least one domain, with the chance level
    if any_r is not None and pub.shown(any_r["n"]):
        for side in ("improved", "deteriorated"):
            share, count = any_r[f"share_{side}"], any_r[f"n_{side}"]
            if not pub.shown(share):
                continue
            if any_r["descriptive"]:
                detail = ctx.t("kf_rci_descriptive", n=f.integer(any_r["n"]), min=str(MIN_PAIRS))
                summary.key_figures.append(
                    KeyFigure.of(
                        f,
                        count,
                        "count",
                        ctx.t(f"kf_rci_{side}_n", n=f.integer(any_r["n"])),
                        "; ".join(x for x in (detail, ph_text) if x),
                        id=f"reliable_{side}",
                    )
                )
            else:
                detail = ctx.t("kf_rci_chance", chance=f.percent(any_r[f"chance_{side}"]))
                summary.key_figures.append(
                    KeyFigure.of(
                        f,
                        share,
                        "share",
                        ctx.t(f"kf_rci_{side}", n_dom=str(n_dom)),
                        "; ".join(x for x in (detail, ph_text) if x),
                        id=f"reliable_{side}",
                    )
                )
    # ---- the chart: both directions per domain and on at least one, chance marked (as published)
    drawn = pd.DataFrame({
        "domain": hf["domain"],
        **{c: pub.numbers(hf[c], "share") for c in ("share_improved", "share_deteriorated")},
        **{c: pub.numbers(hf[c], "share1") for c in ("chance_improved", "chance_deteriorated")},
        "n": pub.numbers(hf["n"], "count"),
        **{f"mark_{side}": [marker(pub.status(v), ctx.k) for v in hf[f"share_{side}"]]
           for side in ("improved", "deteriorated")},
    })  # fmt: skip
    fig = draw(
        ctx,
        figures.reliable_change_chance_bars,
        drawn,
        lang=ctx.lang,
        instrument=ctx.instrument,
        k=ctx.k,
        title="",
    )
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
    table = Table.build("tbl-reliable-chance", ctx.t("rcc_title"), tab, cols, f, k=ctx.k,
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
        base = ctx.fmt.base  # an alpha outside (0, 1) is a property of the items, not a count
        sec.paragraphs.append(
            ctx.t(
                "rci_alpha_unusable",
                domains=", ".join(f"{ctx.domain(d)} ({base.number(a, 2)})" for d, a in unusable),
            )
        )
    if any_r is not None and any_r["descriptive"] and pub.shown(any_r["n"]):
        sec.paragraphs.append(ctx.t("rci_descriptive", n=f.integer(any_r["n"]), min=str(MIN_PAIRS)))


def _caption(ctx: Ctx, r: dict[str, Any] | None, n_dom: int) -> str:
    """The sentence under the chance chart, from published values only."""
    f, pub = ctx.fmt, ctx.pub
    if r is None or not pub.shown(r["n"]):
        return ""
    up, down = r["share_improved"], r["share_deteriorated"]
    if r["descriptive"]:
        if not pub.shown(up, down):
            return ""
        return ctx.t("rcc_caption_descriptive", up=f.integer(r["n_improved"]), down=f.integer(r["n_deteriorated"]),
                     n=f.integer(r["n"]), n_dom=str(n_dom))  # fmt: skip
    if form(pub, up, down):
        return ctx.t("rcc_caption_chance", chance=f.percent(r["chance_improved"]), n_dom=str(n_dom))
    return ctx.t("rcc_caption", up=f.percent(up), down=f.percent(down), chance=f.percent(r["chance_improved"]),
                 n_dom=str(n_dom))  # fmt: skip
