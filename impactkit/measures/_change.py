"""Paired change per domain between two waves, on complete pairs."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd
from scipy import optimize, stats

from impactkit.errors import DesignError, ParameterError, check_choice
from impactkit.instruments import Instrument
from impactkit.measures._adjust import adjust_pvalues
from impactkit.measures._cube import cube, group_codes, resolve_wave
from impactkit.measures._results import ChangeResult
from impactkit.measures._signrank import signed_rank
from impactkit.measures._smallcells import check_min_n, suppress

__all__ = ["change"]

ADJUST = {"holm": "holm", "bh": "fdr_bh", "none": None}
COLUMNS = [
    "domain", "baseline", "followup", "n", "mean_baseline", "mean_followup", "mean_diff", "ci_low",
    "ci_high", "t", "df", "p_value", "wilcoxon_v", "wilcoxon_p", "cohen_dz", "cohen_dav", "hedges_gav",
    "rank_biserial", "share_improved", "share_unchanged", "share_worse", "p_adjusted", "adjust_method",
    "dz_ci_low", "dz_ci_high", "wilcoxon_method", "status",
]  # fmt: skip


def _dz_ci(t: float, df: float, n: int, level: float) -> tuple[float, float]:
    """Confidence interval of d_z by inverting the noncentral t distribution (Steiger & Fouladi 1997)."""
    if not np.isfinite(t) or df < 1:
        return np.nan, np.nan
    alpha = (1 - level) / 2
    width = 10 + 2 * abs(t)

    def ncp(target: float) -> float:
        f = lambda nc: stats.nct.sf(t, df, nc) - target  # noqa: E731 (one-line root function)
        return float(optimize.brentq(f, t - width, t + width, xtol=1e-12))

    try:
        lo, hi = ncp(alpha), ncp(1 - alpha)
    except ValueError:  # no sign change: the noncentral t is numerically flat this far out
        return np.nan, np.nan
    return lo / np.sqrt(n), hi / np.sqrt(n)


def _pair_stats(
    x: np.ndarray,
    y: np.ndarray,
    *,
    higher_is_better: bool,
    level: float,
    exact: bool | None,
    correct: bool,
    zero_method: str,
) -> dict[str, float | str]:
    n = x.size
    d = y - x
    md = d.mean()
    sd_d = d.std(ddof=1)
    sd_x, sd_y = x.std(ddof=1), y.std(ddof=1)
    df = n - 1
    se = sd_d / np.sqrt(n)
    t = md / se
    p = 2 * stats.t.sf(abs(t), df)
    half = stats.t.ppf(1 - (1 - level) / 2, df) * se
    v, v_minus, wp, wmethod = signed_rank(d, exact=exact, correct=correct, zero_method=zero_method)
    dz = md / sd_d
    dav = md / ((sd_x + sd_y) / 2)
    j = 1 - 3 / (4 * df - 1)
    lo, hi = _dz_ci(t, df, n, level)
    better = d > 0 if higher_is_better else d < 0
    worse = d < 0 if higher_is_better else d > 0
    rb = (v - v_minus) / (v + v_minus) if v + v_minus > 0 else np.nan
    return {
        "n": n,
        "mean_baseline": x.mean(),
        "mean_followup": y.mean(),
        "mean_diff": md,
        "ci_low": md - half,
        "ci_high": md + half,
        "t": t,
        "df": float(df),
        "p_value": p,
        "wilcoxon_v": v,
        "wilcoxon_p": wp,
        "cohen_dz": dz,
        "cohen_dav": dav,
        "hedges_gav": dav * j,
        "rank_biserial": rb,
        "share_improved": better.mean(),
        "share_unchanged": (d == 0).mean(),
        "share_worse": worse.mean(),
        "dz_ci_low": lo,
        "dz_ci_high": hi,
        "wilcoxon_method": wmethod,
        "status": "ok",
    }


def change(
    data: pd.DataFrame,
    *,
    baseline: str | None = None,
    followup: str | None = None,
    adjust: str = "holm",
    by: str | pd.Series | Mapping[str, object] | None = None,
    families: pd.DataFrame | None = None,
    min_n: int = 10,
    domains: list[str] | None = None,
    level: float = 0.95,
    wilcoxon_exact: bool | None = None,
    wilcoxon_correct: bool = True,
    wilcoxon_zero_method: str = "wilcox",
    instrument: Instrument | None = None,
) -> ChangeResult:
    """Paired change per domain between two waves, on families with both scores.

    Parameters
    ----------
    data : DataFrame
        Canonical long assessment frame (``family_id, wave, assessed_on, domain, score``).
    baseline, followup : str or None
        Wave ids to compare (``followup - baseline``). ``None`` (default) means the instrument's
        first wave for ``baseline`` and its last for ``followup`` (``"intake"`` and ``"year2"``
        for the shipped instruments).
    adjust : {"holm", "bh", "none"}
        Multiple-testing adjustment of the paired-t ``p_value`` across the domains of one table
        (within each subgroup with ``by``): Holm (default) or Benjamini-Hochberg.
    by : str, Series or mapping, optional
        Subgroup: a column of ``data`` or of ``families`` (e.g. ``"municipality"``), or a
        family_id → group mapping. Each group gets the same analysis.
    families : DataFrame, optional
        The families table, needed when ``by`` names one of its columns.
    min_n : int
        With ``by``: groups with fewer than ``min_n`` complete pairs in a domain are suppressed
        (statistics and ``n`` blank, ``status`` "suppressed (n < 10)").
    domains : list of str, optional
        Domains to analyse (default: all domains of the instrument).
    level : float
        Confidence level of ``ci_low``/``ci_high`` and of the d_z interval.
    wilcoxon_exact : bool or None
        ``None`` (R's default): exact p-value when fewer than 50 non-zero differences and
        neither ties nor zeros; otherwise the normal approximation.
    wilcoxon_correct : bool
        Continuity correction in the normal approximation (R's default ``True``).
    wilcoxon_zero_method : {"wilcox", "pratt"}
        ``"wilcox"`` (R's default) drops zero differences before ranking; ``"pratt"`` ranks them
        and leaves their ranks out of V, with Cureton's normal approximation (as
        ``scipy.stats.wilcoxon(zero_method="pratt")``).
    instrument : Instrument, optional
        Defaults to ``data.attrs["instrument"]``.

    Returns
    -------
    ChangeResult
        One row per domain (× group with ``by``; the group column comes first, named after
        ``by``) with columns ``domain, baseline, followup, n, mean_baseline, mean_followup,
        mean_diff, ci_low, ci_high`` (mean of followup - baseline with its t interval), ``t, df,
        p_value`` (paired t test), ``wilcoxon_v`` (V+, sum of ranks of positive differences, as
        R's ``V``), ``wilcoxon_p``, ``cohen_dz`` (mean difference / SD of differences),
        ``cohen_dav`` (mean difference / mean of the two SDs), ``hedges_gav`` (d_av × J with
        J = 1 - 3/(4 df - 1), df = n - 1; Lakens 2013), ``rank_biserial`` (matched-pairs,
        (V+ - V-)/(V+ + V-), zeros dropped; Kerby 2014), ``share_improved, share_unchanged,
        share_worse`` (improved means a higher score when the scale's ``higher_is_better``,
        lower otherwise), ``p_adjusted, adjust_method``, then ``dz_ci_low, dz_ci_high``
        (noncentral-t interval of d_z), ``wilcoxon_method`` ("exact" or "normal") and
        ``status``.

    Notes
    -----
    Missing data: only families with a score at both waves in a domain count for that domain
    (complete pairs, per domain); implicit (no row) and explicit (NaN) missing are the same.
    Nothing is imputed. The Wilcoxon signed-rank test follows R's ``wilcox.test(followup,
    baseline, paired = TRUE)``: zero differences are dropped before ranking, ties get average
    ranks and a tie-corrected variance, and the normal approximation has a continuity
    correction. Signs of ``mean_diff`` and the effect sizes follow followup - baseline
    whatever the scale direction.

    Raises
    ------
    DesignError
        Without ``by``: when a domain has fewer than two complete pairs or constant
        differences. With ``by`` such groups get a ``status`` instead.

    Examples
    --------
    >>> import impactkit as ik
    >>> from impactkit.measures import change
    >>> data = ik.read_dataset("data/sample", today="2026-11-01").assessments
    >>> res = change(data)
    >>> res.loc[0, ["domain", "baseline", "followup"]].tolist(), int(res.loc[0, "n"])
    (['finances', 'intake', 'year2'], 250)
    >>> round(float(res.loc[0, "mean_diff"]), 3), res.loc[0, "adjust_method"]
    (0.812, 'holm')
    """
    func = "change"
    check_choice("adjust", func, adjust, list(ADJUST))
    check_choice("wilcoxon_zero_method", func, wilcoxon_zero_method, ["wilcox", "pratt"])
    if not 0 < level < 1:
        raise ParameterError(f"The 'level' parameter of {func} must lie in (0, 1). Got {level!r} instead.")
    if wilcoxon_exact not in (None, True, False):
        raise ParameterError(
            f"The 'wilcoxon_exact' parameter of {func} must be None, True or False. "
            f"Got {wilcoxon_exact!r} instead."
        )
    min_n = check_min_n(min_n, func)
    c = cube(data, func, instrument)
    b = resolve_wave(c, baseline, "baseline", func, default=0)
    f = resolve_wave(c, followup, "followup", func, default=-1)
    if b == f:
        raise ParameterError(
            f"The 'baseline' and 'followup' parameters of {func} must differ. Got {c.waves[b]!r} twice."
        )
    dom_idx = _domain_index(c.domains, domains, func)
    name, codes, labels = group_codes(c, by, data, families, func)
    hib = c.instrument.scale.higher_is_better
    rows: list[dict[str, object]] = []
    for g, label in enumerate(labels):
        in_g = codes == g
        group_rows = []
        for d in dom_idx:
            x, y = c.values[in_g, d, b], c.values[in_g, d, f]
            ok = ~np.isnan(x) & ~np.isnan(y)
            row: dict[str, object] = {"domain": c.domains[d], "baseline": c.waves[b], "followup": c.waves[f]}
            problem = _degenerate(x[ok], y[ok])
            if problem and name is None:
                raise DesignError(
                    f"{func}: domain {c.domains[d]!r} ({c.waves[b]} → {c.waves[f]}) {problem}. "
                    "Leave it out with domains=[...], or check that the right waves were read."
                )
            if problem:
                row.update({"n": int(ok.sum()), "status": problem})
            else:
                row.update(
                    _pair_stats(
                        x[ok], y[ok], higher_is_better=hib, level=level, exact=wilcoxon_exact,
                        correct=wilcoxon_correct, zero_method=wilcoxon_zero_method,
                    )
                )  # fmt: skip
            if name is not None:
                row = {name: label, **row}
            group_rows.append(row)
        rows.extend(group_rows)
    table = pd.DataFrame(rows)
    table = table.reindex(columns=([name] if name else []) + COLUMNS)
    table["n"] = table["n"].astype("int64")
    if name is not None:
        table = suppress(table, n_col="n", keep=[name, "domain", "baseline", "followup"], min_n=min_n)
    table["p_adjusted"] = np.nan
    group_key = table[name] if name else pd.Series(0, index=table.index)
    for _, idx in table.groupby(group_key, sort=False, dropna=False).groups.items():
        table.loc[idx, "p_adjusted"] = adjust_pvalues(table.loc[idx, "p_value"].to_numpy(float), adjust)
    table["adjust_method"] = adjust
    notes = [
        f"Complete pairs per domain ({c.waves[b]} and {c.waves[f]} both observed); nothing imputed.",
        (
            "Wilcoxon signed-rank as R wilcox.test(paired=TRUE): zeros dropped, average ranks for ties, "
            if wilcoxon_zero_method == "wilcox"
            else "Wilcoxon signed-rank with Pratt's zero handling (zeros ranked, then left out of V), "
        )
        + (
            "exact p when n < 50 without ties or zeros, else normal approximation"
            if wilcoxon_exact is None
            else ("exact p where possible" if wilcoxon_exact else "normal approximation")
        )
        + (" with continuity correction." if wilcoxon_correct else " without continuity correction."),
        f"p_adjusted: {_ADJUST_TEXT[adjust]} over the {len(dom_idx)} domains"
        + (" within each group." if name else "."),
        "Effect sizes d_z, d_av and Hedges' g_av as defined by Lakens (2013); the interval is for d_z only "
        "(noncentral t), as no exact interval exists for d_av or g_av.",
    ]
    if name is not None:
        notes.append(f"Groups with fewer than {min_n} complete pairs are suppressed.")
    meta = {"baseline": c.waves[b], "followup": c.waves[f], "adjust": adjust, "by": name, "min_n": min_n,
            "level": level, "instrument": c.instrument, "notes": notes}  # fmt: skip
    return ChangeResult(table.reset_index(drop=True), meta=meta)


_ADJUST_TEXT = {
    "holm": "Holm-adjusted paired-t p-values",
    "bh": "Benjamini-Hochberg (FDR) adjusted paired-t p-values",
    "none": "no adjustment (equal to p_value)",
}


def _degenerate(x: np.ndarray, y: np.ndarray) -> str | None:
    if x.size < 2:
        return f"has {x.size} complete pair(s); at least 2 are needed"
    d = y - x
    if np.ptp(d) == 0:
        return f"has constant differences ({d[0]:g} for all {d.size} pairs), so no test is defined"
    return None


def _domain_index(all_domains: list[str], domains: list[str] | None, func: str) -> list[int]:
    if domains is None:
        return list(range(len(all_domains)))
    if isinstance(domains, str):
        domains = [domains]
    bad = [d for d in domains if d not in all_domains]
    if bad or not domains:
        raise ParameterError(
            f"The 'domains' parameter of {func} must be a non-empty list of {all_domains}. "
            f"Got {domains!r} instead."
        )
    return [all_domains.index(d) for d in domains]
