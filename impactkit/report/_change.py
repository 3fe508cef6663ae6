"""Annual report: change per life domain (radar, distance travelled, improved / unchanged /
worse), level transitions (Sankey) and reliable change (Jacobson & Truax).

Every number is a published value (:mod:`impactkit.report._measured`); charts are drawn from the
numbers as published (rounded, suppressed ones as gaps) and captions are built from them
(:mod:`impactkit.report._captions`)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from impactkit import figures, measures
from impactkit.errors import DesignError, ParameterError
from impactkit.report._bounds import ShareBound, bound_text, share_bound
from impactkit.report._captions import best_of, say
from impactkit.report._cohort import score_stat
from impactkit.report._context import Ctx, draw
from impactkit.report._measured import pairs_key
from impactkit.report._model import Cell, Chart, Column, Section, Table
from impactkit.report._publish import Value
from impactkit.report._reliable import MIN_PAIRS, item_reliability, reliable_headline

__all__ = ["change_section", "reliable_section", "transitions_section"]


# -------------------------------------------------------------------------------------- change
def change_section(ctx: Ctx, cv: pd.DataFrame, dv: pd.DataFrame) -> Section:
    """``cv``: :func:`change_values` of the first and last wave; ``dv``: :func:`describe_values`."""
    sec = Section("change", ctx.t("sec_change"))
    sec.blocks.append(_radar(ctx, dv))
    # a domain with fewer than min_pairs complete pairs is described, not tested (issue 12 item 6):
    # it leaves the chart of mean change and its interval for its own table
    # (a domain under k pairs stays in the tested table, hidden there, as every other figure under k)
    described = (
        cv["status"].astype(str).str.startswith("descriptive")
        & cv["n"].map(lambda v: ctx.pub.raw(v) >= ctx.k)
        if len(cv)
        else pd.Series(dtype=bool)
    )
    tested = cv[~described].reset_index(drop=True) if len(cv) else cv
    if len(tested):
        sec.blocks.append(_distance(ctx, tested))
        if ctx.detail:
            sec.blocks.append(_shares(ctx, tested))
    if len(cv) and described.any():
        described_block(ctx, sec, cv[described].reset_index(drop=True))
    return sec


def _radar(ctx: Ctx, dv: pd.DataFrame) -> Chart:
    pub, inst = ctx.pub, ctx.instrument
    waves = inst.wave_ids
    published = dv[["domain", "wave"]].assign(mean=pub.numbers(dv["mean"], "number2"))
    fig = draw(ctx, figures.radar, published, lang=ctx.lang, instrument=inst, k=ctx.k, title="")
    by = dv.set_index(["domain", "wave"])
    wide = pd.DataFrame({"label": [ctx.domain(x) for x in inst.domain_ids]})
    cols = [Column("label", ctx.t("domain"))]
    for w in waves:
        wide[w] = [  # type: ignore[assignment]
            by.at[(d, w), "mean"] if (d, w) in by.index else pub.const(np.nan) for d in inst.domain_ids
        ]
        cols.append(Column(w, ctx.t("mean_baseline", wave=ctx.wave(w)), "number2"))
    first, last = waves[0], waves[-1]
    # "lowest at intake" only where a high score is good, named only when really the lowest two
    up = [d for d in inst.domain_ids if ctx.direction(d) > 0] or list(inst.domain_ids)
    intake = sorted(
        ((pub.raw(by.at[(d, first), "mean"]), d) for d in up if (d, first) in by.index),
        key=lambda x: (np.isnan(x[0]), x[0]),
    )
    lows = [d for _, d in intake[:2]]
    gains = []
    for d in inst.domain_ids:
        if (d, first) in by.index and (d, last) in by.index and first != last:
            a, b = by.at[(d, first), "mean"], by.at[(d, last), "mean"]
            if pub.shown(a, b):
                gains.append((pub.number(b) - pub.number(a)) * ctx.direction(d))
    rose = bool(gains) and all(g > 0 for g in gains)
    parts = [ctx.t("radar_rose")] if rose else []
    if len(lows) == 2 and pub.shown(*(by.at[(d, first), "mean"] for d in lows)):
        parts.append(ctx.t("radar_lowest", low1=ctx.domain(lows[0]), low2=ctx.domain(lows[1])))
    elif lows:
        parts.append(ctx.t("radar_lowest_hidden", k=str(ctx.k)))
    parts.append(ctx.t("radar_later"))
    table = Table.build("tbl-radar", ctx.t("radar_title"), wide, cols, ctx.fmt, k=ctx.k, sheet="change")
    return Chart("radar", ctx.t("radar_title"), " ".join(parts), fig, table)


def published_first(ctx: Ctx, cv: pd.DataFrame, col: str = "mean_diff") -> pd.DataFrame:
    """Published rows by gain (largest first), then the hidden ones in the instrument's order:
    the place of a hidden row must not tell how large its change is."""
    pub = ctx.pub
    shown = np.array([pub.shown(v) for v in cv[col]])
    order = {d: i for i, d in enumerate(ctx.instrument.domain_ids)}
    a = cv[shown].sort_values("gain", ascending=False, na_position="last")
    b = cv[~shown].assign(_o=cv.loc[~shown, "domain"].map(order)).sort_values("_o").drop(columns="_o")
    return pd.concat([a, b]).reset_index(drop=True)


def _distance(ctx: Ctx, cv: pd.DataFrame) -> Chart:
    pub, f, inst = ctx.pub, ctx.fmt, ctx.instrument
    c = published_first(ctx, cv)
    base_w, fup_w = ctx.wave(c["baseline"].iloc[0]), ctx.wave(c["followup"].iloc[0])
    drawn = pd.DataFrame(
        {
            "domain": c["domain"],
            "mean_diff": pub.numbers(c["mean_diff"]),
            "ci_low": [pub.number(lo) if pub.shown(m) else np.nan for lo, m in zip(c["ci_low"], c["mean_diff"], strict=True)],
            "ci_high": [pub.number(hi) if pub.shown(m) else np.nan for hi, m in zip(c["ci_high"], c["mean_diff"], strict=True)],
            "n": pub.numbers(c["n"], "count"),
            "baseline": c["baseline"],
            "followup": c["followup"],
        }
    )  # fmt: skip
    fig = draw(ctx, figures.distance_travelled, drawn, lang=ctx.lang, instrument=inst, k=ctx.k, title="")
    rows = [(g, v, i) for i, (g, v) in enumerate(zip(c["gain"], c["mean_diff"], strict=True))]
    best = best_of(pub, rows)
    if best is None:
        cap = ""
    elif not best[1]:
        cap = ctx.t("distance_best_hidden", k=str(ctx.k))
    else:
        i = int(best[0])
        worst = min((r for r in rows if r[0] == r[0]), key=lambda r: r[0])
        gain: Any = c.at[i, "mean_diff"] * ctx.direction(str(c.at[i, "domain"]))  # type: ignore[operator]
        if pub.shown(worst[1]) and worst[2] != i:
            j = int(worst[2])
            cap = ctx.t(
                "distance_caption",
                best=str(c.at[i, "label"]),
                diff=f.number(gain, 2),
                worst=str(c.at[j, "label"]),
                diff_w=f.signed(c.at[j, "mean_diff"] * ctx.direction(str(c.at[j, "domain"]))),  # type: ignore[operator]
            )
        else:
            cap = ctx.t("distance_caption_best", best=str(c.at[i, "label"]), diff=f.number(gain, 2))
    table = Table.build(
        "tbl-distance",
        ctx.t("distance_title", baseline=base_w, followup=fup_w),
        c,
        [
            Column("label", ctx.t("domain")),
            Column("n", ctx.t("n"), "count"),
            Column("mean_diff", ctx.t("mean_diff"), "signed2"),
            Column(("ci_low", "ci_high"), ctx.t("ci95"), "ci:number2"),
            Column("p_adjusted", ctx.t("p_adjusted"), "p"),
        ],
        f,
        k=ctx.k,
        sheet="change",
    )
    return Chart("distance", ctx.t("distance_title", baseline=base_w, followup=fup_w), cap, fig, table)


SHARE_PARTS = ("improved", "unchanged", "worse", "not_improved", "not_worse")
# the combined part a hidden part is drawn inside when only its bound is published
INSIDE = {"not_worse": ("improved", "unchanged"), "not_improved": ("worse", "unchanged")}


def drawn_parts(pub: Any, row: pd.Series) -> dict[str, float]:
    """The finest published split of one domain's families: improved / unchanged / worse, else
    improved / not improved, else not worse / worse, else whatever single part is published."""
    shown = {p: pub.shown(row[f"share_{p}"]) for p in SHARE_PARTS}
    for split in (("improved", "unchanged", "worse"), ("improved", "not_improved"), ("not_worse", "worse")):
        if all(shown[p] for p in split):
            return {p: pub.number(row[f"share_{p}"], "share") for p in split}
    return {p: pub.number(row[f"share_{p}"], "share") for p in ("improved", "unchanged", "worse") if shown[p]}


def part_bounds(pub: Any, row: pd.Series) -> dict[str, ShareBound]:
    """The bounds the release implies for the hidden parts (improved / unchanged / worse) of one
    domain (:mod:`impactkit.report._bounds`): only a part hidden to protect another one, out of
    published pairs, when the bound says more than 0% to 100%."""
    out = {}
    for p in ("improved", "unchanged", "worse"):
        cnt = row.get(f"n_{p}")
        if isinstance(cnt, Value):
            b = share_bound(pub, cnt, row["n"])
            if b is not None:
                out[p] = b
    return out


def drawn_bounds(split: dict[str, float], bounds: dict[str, ShareBound]) -> dict[str, float]:
    """The lower bounds drawn inside a published combined part: for a split "not worse / worse"
    the larger lower bound of improved or unchanged, for "improved / not improved" that of worse
    or unchanged (``share_<part>_low``; the combined segment is drawn as the rest)."""
    for combined, inner in INSIDE.items():
        if combined in split:
            cands = [
                (bounds[p].low, p) for p in inner if p in bounds and bounds[p].has_low and p not in split
            ]
            if cands:
                low, p = max(cands)
                return {p: low}
    return {}


def shares_drawn(pub: Any, c: pd.DataFrame) -> tuple[pd.DataFrame, list[dict[str, ShareBound]]]:
    """What the change-share chart draws of the domains ``c`` (published parts rounded as printed,
    lower bounds of hidden parts, ``share_<part>_low/_high``) and each domain's bounds."""
    splits = [drawn_parts(pub, c.iloc[i]) for i in range(len(c))]
    bounds = [part_bounds(pub, c.iloc[i]) for i in range(len(c))]
    lows = [drawn_bounds(s, b) for s, b in zip(splits, bounds, strict=True)]
    drawn = pd.DataFrame(
        {
            "domain": c["domain"],
            **{f"share_{p}": [s.get(p, np.nan) for s in splits] for p in SHARE_PARTS},
            **{f"share_{p}_low": [lo.get(p, np.nan) for lo in lows] for p in ("improved", "unchanged", "worse")},
            **{f"share_{p}_high": [b[p].high if p in b else np.nan for b in bounds] for p in ("improved", "unchanged", "worse")},
        }
    )  # fmt: skip
    return drawn, bounds


def shares_caption(
    ctx: Ctx, c: pd.DataFrame, drawn: pd.DataFrame, bounds: list[dict[str, ShareBound]]
) -> str:
    """The caption of the change-share chart, from published values and bounds only: the domain
    where most families improved with its share; when that share is hidden, the domain with the
    largest published lower bound ("at least 78% of the 41 families"), if that bound is the
    largest published figure, else that the best is not shown; combined parts said in words."""
    pub, f = ctx.pub, ctx.fmt
    base_w, fup_w = ctx.wave(c["baseline"].iloc[0]), ctx.wave(c["followup"].iloc[0])
    best = best_of(pub, [(pub.raw(v), v, i) for i, v in enumerate(c["share_improved"])])
    if best is None:
        cap = ""
    elif best[1]:
        i = int(best[0])
        cap = ctx.t(
            "shares_caption",
            best=str(c.at[i, "label"]),
            share=f.percent(c.at[i, "share_improved"]),
            baseline=base_w,
            followup=fup_w,
        )
    elif (j := _best_bounded(pub, c["share_improved"], [b.get("improved") for b in bounds])) is not None:
        b = bounds[j]["improved"]
        v: Value = c.at[j, "share_improved"]  # type: ignore[assignment]
        cap = say(ctx.t, pub, "shares_caption", [v], at_least=f.base.percent(b.low),
                  best=str(c.at[j, "label"]), n=f.integer(c.at[j, "n"]), baseline=base_w, followup=fup_w)  # fmt: skip
    else:
        cap = ctx.t("shares_best_hidden", k=str(ctx.k))
    if any(drawn[f"share_{p}"].notna().any() for p in ("not_improved", "not_worse")):
        cap += " " + ctx.t("shares_combined")
    return cap.strip()


def _shares(ctx: Ctx, cv: pd.DataFrame) -> Chart:
    pub, f, inst = ctx.pub, ctx.fmt, ctx.instrument
    c = cv.copy().reset_index(drop=True)
    drawn, bounds = shares_drawn(pub, c)
    fig = draw(ctx, figures.change_shares, drawn, lang=ctx.lang, instrument=inst, k=ctx.k, title="")
    cap = shares_caption(ctx, c, drawn, bounds)
    used = [
        p for p in SHARE_PARTS if drawn[f"share_{p}"].notna().any() or p in ("improved", "unchanged", "worse")
    ]
    table = Table.build(
        "tbl-shares",
        ctx.t("shares_title"),
        c,
        [Column("label", ctx.t("domain")), Column("n", ctx.t("n"), "count")]
        + [Column(f"share_{p}", ctx.t(p), "share") for p in used],
        f,
        k=ctx.k,
        sheet="change",
    )
    _print_bounds(ctx, table, {p: f"share_{p}" for p in used}, bounds)
    return Chart("shares", ctx.t("shares_title"), cap, fig, table)


def _best_bounded(pub: Any, values: Any, bounds: list[ShareBound | None]) -> int | None:
    """When the best row's share is hidden: the row whose published lower bound is the largest of
    every published share (``values``) and lower bound, if that is a bound (decided on published
    numbers only, so naming it tells nothing of the hidden ones); else None (say the best is not
    shown, never cite a runner-up)."""
    cands: list[tuple[float, int, int]] = []
    for i, (v, b) in enumerate(zip(values, bounds, strict=True)):
        if pub.shown(v):
            cands.append((pub.number(v, "share"), 1, i))  # a published share wins a tie
        elif b is not None and b.has_low:
            cands.append((b.low, 0, i))
    if not cands:
        return None
    _, published, i = max(cands)
    return None if published else i


def _print_bounds(ctx: Ctx, table: Table, keys: dict[str, str], bounds: list[dict[str, ShareBound]]) -> None:
    """A hidden part with a bound prints it (``≥ 78%``) in the table, its spreadsheet form and so
    the results file, instead of ``x``, with a note saying where the bound comes from.  ``keys``:
    part -> the table column showing its share; ``bounds``: per table row, part -> bound."""
    if ctx.collecting:  # the collecting pass renders no table (and knows no bound: nothing is hidden yet)
        return
    frame, _types = table.excel_frame()
    if not all(isinstance(col.key, str) for col in table.columns):  # one spreadsheet column each
        raise ParameterError(f"table {table.id!r}: a bound needs one spreadsheet column per table column")
    at = {str(col.key): j for j, col in enumerate(table.columns)}
    printed = 0
    for i, b in enumerate(bounds):
        for p, bound in b.items():
            key = keys.get(p)
            if key is None:
                continue
            j = at[key]
            text = bound_text(ctx.fmt.base, bound)
            table.rows[i][j] = Cell(text, True)
            frame.iat[i, j] = text
            table.n_suppressed -= 1
            printed += 1
    if printed:
        table.notes.append(ctx.t("shares_bound_note", k=str(ctx.k)))


def described_block(ctx: Ctx, sec: Section, d: pd.DataFrame) -> None:
    """Domains with fewer than ``min_pairs`` complete pairs: medians, the families better /
    unchanged / worse (parts of n, populations of the release) and the exact tests, with why no
    claim is made.  An exact p-value is a function of the counts better and worse (the sign
    test's of those alone): it rests on them (:func:`change_values`), shown only where both are."""
    f = ctx.fmt
    d = d.copy()
    d["label"] = [ctx.domain(x) for x in d["domain"]]
    base_w, fup_w = ctx.wave(d["baseline"].iloc[0]), ctx.wave(d["followup"].iloc[0])
    sec.paragraphs.append(ctx.t("change_descriptive", min=str(MIN_PAIRS), domains=", ".join(d["label"])))
    sec.blocks.append(
        Table.build(
            "tbl-described",
            ctx.t("tbl_descriptive", min=str(MIN_PAIRS)),
            d,
            [
                Column("label", ctx.t("domain")),
                Column("n", ctx.t("n"), "count"),
                Column("median_baseline", ctx.t("median_baseline", wave=base_w), "number1"),
                Column("median_followup", ctx.t("median_baseline", wave=fup_w), "number1"),
                Column("median_diff", ctx.t("median_diff"), "number1"),
                Column("n_improved", ctx.t("n_better"), "count"),
                Column("n_unchanged", ctx.t("n_same"), "count"),
                Column("n_worse", ctx.t("n_worse_col"), "count"),
                Column("wilcoxon_p", ctx.t("wilcoxon_exact_p"), "p"),
                Column("sign_test_p", ctx.t("sign_test_p"), "p"),
            ],
            f,
            k=ctx.k,
            sheet="change",
        )
    )


# --------------------------------------------------------------------------------- transitions
def transitions_section(ctx: Ctx, cv: pd.DataFrame) -> Section:
    """The level transitions of the domain with the largest average gain (when it may be shown)."""
    pub, f, inst = ctx.pub, ctx.fmt, ctx.instrument
    first, last = inst.wave_ids[0], inst.wave_ids[-1]
    sec = Section(
        "transitions",
        ctx.t("sec_transitions"),
        [ctx.t("transitions_intro", baseline=ctx.wave(first), followup=ctx.wave(last))],
    )
    ok = cv[cv["status"] == "ok"] if len(cv) else cv
    if not inst.scale.integer or ok.empty:
        return sec
    best = best_of(
        pub, [(g, v, str(d)) for g, v, d in zip(ok["gain"], ok["mean_diff"], ok["domain"], strict=True)]
    )
    if best is None:
        return sec
    domain, shown = best
    if not shown:
        sec.paragraphs.append(ctx.t("sankey_best_hidden", k=str(ctx.k)))
        return sec
    row = ok.set_index("domain").loc[domain]
    bands = _choose_bands(ctx, domain, first, last)
    idx = list(range(len(bands)))
    names = [label for _, label in bands]
    co = ctx.cohort
    key = ("transitions", first, last, domain)
    n_pairs = pub.count(pairs_key(domain, first, last), co.pairs(domain, first, last), measured=True)
    cell = {
        (i, j): pub.count(
            (*key, i, j), co.banded(domain, first, last, bands[i][0], bands[j][0]), dim=f"to:{domain}:{i}",
            label=f"{pub.scope}: {domain} from {names[i]} to {names[j]}",
        )
        for i in idx for j in idx
    }  # fmt: skip
    src = {
        i: pub.count((*key, "from", i), co.banded(domain, first, last, bands[i][0], _all(ctx)), dim=f"from:{domain}",
                     stats=[score_stat(domain, first)] if len(bands[i][0]) == 1 else ())
        for i in idx
    }  # fmt: skip
    dst = {
        j: pub.count((*key, "to", j), co.banded(domain, first, last, _all(ctx), bands[j][0]), dim=f"tod:{domain}",
                     stats=[score_stat(domain, last)] if len(bands[j][0]) == 1 else ())
        for j in idx
    }  # fmt: skip
    flows = []
    for i in idx:
        drawn = 0.0
        for j in idx:
            v = cell[(i, j)]
            if pub.shown(v) and pub.raw(v) > 0:
                flows.append({"from_level": names[i], "to_level": names[j], "n": pub.number(v, "count")})
                drawn += pub.number(v, "count")
        if pub.shown(src[i]):
            rest = pub.number(src[i], "count") - drawn
            if rest >= ctx.k:  # the hidden flows of this source together: known from the totals anyway
                flows.append({"from_level": names[i], "to_level": figures.HIDDEN, "n": rest})
    frame = pd.DataFrame(flows, columns=["from_level", "to_level", "n"]).assign(baseline=first, followup=last)
    title = ctx.t(
        "sankey_title", domain=ctx.domain(domain), baseline=ctx.wave(first), followup=ctx.wave(last)
    )
    fig = None
    if (frame["to_level"] != figures.HIDDEN).any():
        fig = draw(
            ctx,
            figures.transitions_sankey,
            frame,
            lang=ctx.lang,
            instrument=inst,
            levels=names,
            k=ctx.k,
            title="",
        )
    bound = part_bounds(pub, row)
    up_b, down_b = bound.get("improved"), bound.get("worse")
    sentences = [
        say(ctx.t, pub, "sankey_up", [row["share_improved"]], domain=ctx.domain(domain),
            up=f.percent(row["share_improved"]), n=f.integer(n_pairs), k=str(ctx.k),
            at_least=f.base.percent(up_b.low) if up_b is not None and up_b.has_low else None),
        say(ctx.t, pub, "sankey_down", [row["share_worse"]], down=f.percent(row["share_worse"]), k=str(ctx.k),
            at_most=f.base.percent(down_b.high) if down_b is not None and down_b.has_high else None),
        ctx.t("sankey_note", k=str(ctx.k)) if fig is not None else ctx.t("sankey_empty", k=str(ctx.k)),
    ]  # fmt: skip
    tab = pd.DataFrame({"from": [*names, ctx.t("total")]})
    cols = [Column("from", f"{ctx.wave(first)} \\ {ctx.wave(last)}")]
    for j in idx:
        tab[f"to_{j}"] = [cell[(i, j)] for i in idx] + [dst[j]]
        cols.append(Column(f"to_{j}", names[j], "count"))
    tab["to_total"] = [src[i] for i in idx] + [n_pairs]
    cols.append(Column("to_total", ctx.t("total"), "count"))
    table = Table.build("tbl-sankey", title, tab, cols, f, k=ctx.k, sheet="transitions")
    sec.blocks.append(Chart("sankey", title, " ".join(s for s in sentences if s), fig, table))
    return sec


def _all(ctx: Ctx) -> list[int]:
    return [int(v) for v in ctx.instrument.scale.values]


def _choose_bands(ctx: Ctx, domain: str, first: str, last: str) -> list[tuple[list[int], str]]:
    """Every level, or levels grouped: whichever leaves more families in flows of at least k
    (decided on the counts alone, the same in every pass of the release)."""
    co = ctx.cohort
    options = [[([v], ctx.level(v)) for v in _all(ctx)], _bands(ctx, domain)]
    best, score = options[0], -1.0
    for bands in options:
        drawn = 0
        for a, _ in bands:
            for b, _ in bands:
                n = len(co.banded(domain, first, last, a, b))
                drawn += n if n >= ctx.k else 0
        if drawn > score:
            best, score = bands, drawn
    return best


def _bands(ctx: Ctx, domain: str) -> list[tuple[list[int], str]]:
    """Levels grouped for the Sankey: below "sufficient" minus one, the level just below it, and
    sufficient or higher (1–2, 3, 4–5 on the default scale), so fewer flows fall under k."""
    scale, suff = ctx.instrument.scale, ctx.instrument.sufficient_for(domain)
    values = list(scale.values)
    if suff is None or not ctx.instrument.higher_is_better(domain) or len(values) <= 3:
        return [([v], ctx.level(v)) for v in values]
    s = int(suff)
    groups = [
        [v for v in values if v < s - 1],
        [v for v in values if v == s - 1],
        [v for v in values if v >= s],
    ]
    out = []
    for g in groups:
        if not g:
            continue
        if len(g) == 1:
            out.append((g, ctx.level(g[0])))
        else:
            first_label = scale.level_label(g[0], ctx.lang)
            last_label = scale.level_label(g[-1], ctx.lang)
            if first_label == str(g[0]):  # a scale without level labels: the numbers, once
                out.append((g, f"{g[0]}–{g[-1]}"))
            else:
                out.append((g, f"{g[0]}–{g[-1]} {first_label} – {last_label.lower()}"))
    return out


# ------------------------------------------------------------------------------ reliable change
CATEGORIES = ("recovered", "improved", "unchanged", "deteriorated")
_RCI_COST = {"recovered": 6.0, "improved": 6.0, "unchanged": 1.0, "deteriorated": 4.0, "better": 3.0}


def reliable_section(ctx: Ctx, summary: Section) -> Section:
    pub, f = ctx.pub, ctx.fmt
    sec = Section("reliable", ctx.t("sec_reliable"), [ctx.t("rci_intro")])
    a = ctx.dataset.assessments
    alpha, unusable = item_reliability(ctx)  # Cronbach's alpha where the export holds item answers
    try:
        rc = ctx.cached("reliable_change", lambda: measures.reliable_change(a, reliability=alpha))
    except DesignError as err:  # e.g. an instrument without reliabilities: say so, show nothing
        sec.paragraphs = [ctx.t("rci_unavailable", reason=str(err))]
        return sec
    rc_raw = rc
    rc = pd.DataFrame(rc)
    # the rows' families with their ledger codes, their domains and categories as text: once, not
    # per domain and category (at 100,000 families each was a conversion or a lookup of 500,000)
    ids = pub.ids(rc["family_id"].astype(str))
    domains = (rc["domain"].astype(str)).to_numpy(dtype=object)
    is_cat = {cat: text_in(rc["category"], (cat,)) for cat in CATEGORIES}
    is_better = text_in(rc["category"], ("recovered", "improved"))
    rows = []
    for d in ctx.instrument.domain_ids:
        on_d = domains == d
        key = ("rci", d)
        n = pub.count((*key, "n"), ids.where(on_d), label=f"{pub.scope}: classified on {d}")
        row: dict[str, Any] = {"domain": d, "label": ctx.domain(d), "n": n}
        for cat in CATEGORIES:
            cnt = pub.count((*key, cat), ids.where(on_d & is_cat[cat]), dim=f"rci:{d}",
                            cost=_RCI_COST[cat], label=f"{pub.scope}: {cat} on {d}")  # fmt: skip
            row[cat] = cnt / n
            row[f"n_{cat}"] = cnt
        better = pub.count((*key, "better"), ids.where(on_d & is_better),
                           cost=_RCI_COST["better"], label=f"{pub.scope}: reliably better on {d}")  # fmt: skip
        row["better"] = better / n
        row["n_better"] = better
        rows.append(row)
    shares = pd.DataFrame(rows)
    # the bound a category hidden for another one still has ("no reliable change >= 92%")
    bounds = [
        {c: b for c in CATEGORIES if (b := share_bound(pub, r[f"n_{c}"], r["n"])) is not None} for r in rows
    ]
    published = pd.DataFrame(
        [
            {
                "domain": r["domain"],
                "category": cat,
                "share": pub.number(r[cat], "share"),
                "share_low": b[cat].low if cat in b and b[cat].has_low else np.nan,
                "share_high": b[cat].high if cat in b else np.nan,
            }
            for r, b in zip(rows, bounds, strict=True)
            for cat in CATEGORIES
        ]
    )
    published["category"] = pd.Categorical(published["category"], categories=list(CATEGORIES))
    fig = draw(
        ctx, figures.rci_categories, published, lang=ctx.lang, instrument=ctx.instrument, k=ctx.k, title=""
    )
    best = best_of(pub, [(pub.raw(r["better"]), r["better"], i) for i, r in enumerate(rows)])
    better = [share_bound(pub, r["n_better"], r["n"]) for r in rows]
    if best is None:
        cap = ""
    elif best[1]:
        i = int(best[0])
        cap = ctx.t("rci_caption", best=str(rows[i]["label"]), share=f.percent(rows[i]["better"]))
    elif (j := _best_bounded(pub, [r["better"] for r in rows], better)) is not None:
        low = better[j].low
        cap = say(ctx.t, pub, "rci_caption", [rows[j]["better"]], at_least=f.base.percent(low),
                  best=str(rows[j]["label"]), n=f.integer(rows[j]["n"]))  # fmt: skip
    else:
        cap = ctx.t("rci_best_hidden", k=str(ctx.k))
    table = Table.build(
        "tbl-reliable",
        ctx.t("tbl_reliable"),
        shares,
        [Column("label", ctx.t("domain")), Column("n", ctx.t("n"), "count")]
        + [Column(c_, ctx.t(f"cat_{c_}"), "share") for c_ in CATEGORIES],
        f,
        k=ctx.k,
        sheet="reliable change",
    )
    _print_bounds(ctx, table, {c: c for c in CATEGORIES}, bounds)
    sec.blocks.append(Chart("reliable", ctx.t("rci_title"), cap, fig, table))
    fam = ctx.cached(
        "reliable_family", lambda: measures.reliable_change(a, level="family", reliability=alpha)
    )
    fam = pd.DataFrame(fam)
    anyv: dict[str, Any] | None = None
    if len(fam):
        fam_ids = pub.ids(fam["family_id"].astype(str))
        n_all = pub.count(("rci", "family", "n"), fam_ids, label=f"{pub.scope}: classified families")
        up = ((fam["n_recovered"] + fam["n_improved"]) > 0).to_numpy(bool)
        down = (fam["n_deteriorated"] > 0).to_numpy(bool)
        anyv = {"n": n_all}
        for name, mask, cost in (("improved", up, 6.0), ("deteriorated", down, 4.0)):
            anyv[f"n_{name}"] = pub.count(("rci", "family", f"any_{name}"), fam_ids.where(mask),
                                          dim=f"rci:family:{name}", cost=cost,
                                          label=f"{pub.scope}: reliably {name} on a domain")  # fmt: skip
            pub.count(("rci", "family", f"none_{name}"), fam_ids.where(~mask), dim=f"rci:family:{name}",
                      cost=1.0, label=f"{pub.scope}: not reliably {name} on any domain")  # fmt: skip
    summ = ctx.cached(
        "reliable_summary", lambda: measures.reliable_change_summary(rc_raw, min_pairs=MIN_PAIRS)
    )
    # both directions against chance, and the two key figures of the summary (issue 12 item 4)
    reliable_headline(ctx, sec, summary, summ, rows, anyv, unusable)
    return sec


def text_in(column: pd.Series, values: tuple[str, ...]) -> np.ndarray:
    """``column.astype(str).isin(values)`` as a boolean array; a categorical column is compared on
    its codes (the same rows: a missing value's text ``"nan"`` is no category)."""
    if isinstance(column.dtype, pd.CategoricalDtype):
        want = [i for i, c in enumerate(column.cat.categories) if str(c) in values]
        return np.isin(column.cat.codes.to_numpy(), want)
    return column.astype(str).isin(values).to_numpy(bool)


def _values_of(rows: list[dict[str, Any]], col: str) -> list[Value]:
    return [r[col] for r in rows]
