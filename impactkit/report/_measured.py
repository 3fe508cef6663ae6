"""The measures tables as published values: every cell a :class:`~impactkit.report._publish.Value`
resting on the population it describes (see :mod:`impactkit.report._cohort`).

* :func:`describe_values`: per domain × wave the families measured, mean (a sum), SD (a sum of
  squares), median, and the families at each level (sums too: their scores are the level);
* :func:`change_values`: per domain the complete pairs, means, difference, CI and tests (on the
  sums and the squared changes), and the families improved / unchanged / worse, plus the
  combinations *not improved* (unchanged or worse) and *not worse*, so that suppression can keep
  the largest category visible by publishing a combination instead of blanking it.

A row whose figures are not computed (too few families for a test) keeps NaN in a value: it
prints as a dash, never as a number.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from impactkit.report._cohort import d2_stat, score_stat, sq_stat
from impactkit.report._context import Ctx

__all__ = ["CORE", "PARTS", "change_values", "describe_values", "pairs_key"]

# the parts of "how did families change", what hiding each costs (the finding stays visible:
# hide "unchanged" first, never "improved" while anything else can protect)
PARTS = {"improved": 8.0, "unchanged": 1.0, "worse": 4.0, "not_improved": 3.0, "not_worse": 2.0}
CORE = 20.0  # what hiding a core population costs (the families measured, the pairs): means and change


def describe_values(ctx: Ctx, desc: pd.DataFrame) -> pd.DataFrame:
    """One row per domain × wave: ``domain, wave, label, wave_label, n, mean, sd, median`` and
    as published values.  (The distribution over levels is not published: with one table per domain and
    wave it would let a reader reconstruct single families from the overlaps.)"""
    pub, co = ctx.pub, ctx.cohort
    rows = []
    for r in desc.itertuples(index=False):
        d, w = str(r.domain), str(r.wave)
        members = co.measured(d, w)
        _check(len(members), r.n, f"describe {d} {w}")
        # a one-row breakdown of its own: a count nothing can protect is withheld whole
        n = pub.count(("describe", d, w), members, label=f"{pub.scope}: measured on {d} at {w}", measured=True,
                      cost=CORE, dim=f"measured:{d}:{w}")  # fmt: skip
        row = {
            "domain": d,
            "wave": w,
            "label": ctx.domain(d),
            "wave_label": ctx.wave(w),
            "n": n,
            "mean": pub.on(n, r.mean, [score_stat(d, w)]),
            "sd": pub.on(n, r.sd, [score_stat(d, w), sq_stat(d, w)]),
            "median": pub.on(n, r.median),
        }
        rows.append(row)
    return pd.DataFrame(rows)


def change_values(ctx: Ctx, ch: pd.DataFrame, *, parts: bool = True) -> pd.DataFrame:
    """One row per domain of a ``change`` table (one baseline and follow-up) as published values,
    with ``gain`` (the raw improvement, for ordering only) and, with ``parts``, the families of
    each part of :data:`PARTS` (declare only what a report publishes)."""
    pub, co = ctx.pub, ctx.cohort
    rows = []
    for r in ch.itertuples(index=False):
        d, w1, w2 = str(r.domain), str(r.baseline), str(r.followup)
        members = co.pairs(d, w1, w2)
        _check(len(members), r.n, f"change {d} {w1}-{w2}")
        n = pub.count(pairs_key(d, w1, w2), members, label=f"{pub.scope}: pairs on {d}, {w1} to {w2}", measured=True,
                      cost=CORE, dim=f"pairs:{d}:{w1}:{w2}")  # fmt: skip
        means = [score_stat(d, w1), score_stat(d, w2)]
        spread = [*means, d2_stat(d, w1, w2)]
        both = [*spread, sq_stat(d, w1), sq_stat(d, w2)]
        row = {
            "domain": d,
            "baseline": w1,
            "followup": w2,
            "label": ctx.domain(d),
            "status": str(r.status),
            "gain": float(r.mean_diff) * ctx.direction(d) if pd.notna(r.mean_diff) else np.nan,  # type: ignore[arg-type]
            "n": n,
            "mean_baseline": pub.on(n, r.mean_baseline, [means[0]]),
            "mean_followup": pub.on(n, r.mean_followup, [means[1]]),
            "mean_diff": pub.on(n, r.mean_diff, means),
        }
        for col in ("ci_low", "ci_high", "t", "df", "p_value", "p_adjusted", "cohen_dz"):
            row[col] = pub.on(n, getattr(r, col, np.nan), spread)
        row["hedges_gav"] = pub.on(n, getattr(r, "hedges_gav", np.nan), both)
        row["adjust_method"] = str(getattr(r, "adjust_method", "holm"))
        for col in ("median_baseline", "median_followup", "median_diff"):
            row[col] = pub.on(n, getattr(r, col, np.nan))
        # a described domain (fewer than min_pairs pairs) shows its families better / unchanged / worse
        described = str(r.status).startswith("descriptive")
        for part, cost in PARTS.items() if parts or described else ():
            cnt = pub.count(
                ("change", w1, w2, d, part),
                co.moved(d, w1, w2, part),
                dim=f"moved:{d}" if part in ("improved", "unchanged", "worse") else "",
                cost=cost,
                label=f"{pub.scope}: {part.replace('_', ' ')} on {d}, {w1} to {w2}",
            )
            row[f"n_{part}"] = cnt
            row[f"share_{part}"] = cnt / n
        # exact tests of a described domain are functions of the counts better and worse
        tests = [row["n_improved"], row["n_worse"]] if described else []
        row["wilcoxon_p"] = pub.derived(getattr(r, "wilcoxon_p", np.nan), n, *tests)
        row["sign_test_p"] = pub.derived(getattr(r, "sign_test_p", np.nan), n, *tests)
        rows.append(row)
    return pd.DataFrame(rows)


def pairs_key(domain: str, w1: str, w2: str) -> tuple[str, ...]:
    return ("change", w1, w2, domain, "pairs")


def _check(members: int, n: object, what: str) -> None:
    """The population must be the families the measure counted (else the audit is of other sets)."""
    got = 0 if n is None or pd.isna(n) else int(n)  # type: ignore[call-overload]
    if got != members:
        raise RuntimeError(f"report: {what} counts {got} families but its population holds {members} (a bug)")
