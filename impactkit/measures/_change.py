"""Paired change per domain between two waves, on complete pairs."""

from __future__ import annotations

import warnings
from collections.abc import Mapping

import numpy as np
import pandas as pd
from scipy import optimize, special, stats

from impactkit.errors import DesignError, ImpactkitDeprecationWarning, ParameterError, check_choice, option
from impactkit.i18n._note import Note
from impactkit.instruments import Instrument
from impactkit.measures._adjust import ADJUST_NAMES, adjust_pvalues, check_adjust
from impactkit.measures._cube import Cube, cube, group_codes, resolve_wave
from impactkit.measures._results import ChangeResult
from impactkit.measures._signrank import exact_conditional, sign_test, signed_rank
from impactkit.measures._smallcells import check_min_n, suppress

__all__ = ["HEDGES_CORRECTIONS", "change", "check_min_pairs", "hedges_j"]

COLUMNS = [
    "domain", "baseline", "followup", "n", "mean_baseline", "mean_followup", "mean_diff", "ci_low",
    "ci_high", "t", "df", "p_value", "wilcoxon_v", "wilcoxon_v_minus", "n_zero", "wilcoxon_p", "cohen_dz",
    "cohen_dav", "hedges_gav", "rank_biserial", "share_improved", "share_unchanged", "share_worse",
    "p_adjusted", "wilcoxon_p_adjusted", "adjust_method", "dz_ci_low", "dz_ci_high", "wilcoxon_method",
    "median_baseline", "median_followup", "median_diff", "n_improved", "n_unchanged", "n_worse",
    "sign_test_p", "status",
]  # fmt: skip
HEDGES_CORRECTIONS = {
    "approx": "J = 1 - 3/(4 df - 1), df = n - 1 (Hedges & Olkin 1985, p. 80; Lakens 2013, eq. 4)",
    "exact": "J = Γ(df/2) / (√(df/2) Γ((df - 1)/2)), df = n - 1 (Hedges 1981, eq. 6e)",
}


def hedges_j(df: float, correction: str = "approx") -> float:
    """Hedges' small-sample correction factor J for ``df`` degrees of freedom.

    ``"approx"`` is ``1 - 3/(4 df - 1)`` (Hedges & Olkin 1985, p. 80), the form Lakens (2013)
    uses; ``"exact"`` is ``Γ(df/2) / (√(df/2) Γ((df - 1)/2))`` (Hedges 1981), computed on the
    log scale so that large df do not overflow.

    Examples
    --------
    >>> round(hedges_j(9), 6), round(hedges_j(9, "exact"), 6)
    (0.914286, 0.913875)
    """
    if df <= 1:
        return float("nan")
    if correction == "exact":
        return float(np.exp(special.gammaln(df / 2) - special.gammaln((df - 1) / 2)) / np.sqrt(df / 2))
    return 1 - 3 / (4 * df - 1)


def check_min_pairs(min_pairs: object, func: str) -> int:
    """``min_pairs`` as an int of at least 2, else a :class:`ParameterError`."""
    if isinstance(min_pairs, bool) or not isinstance(min_pairs, int | np.integer) or int(min_pairs) < 2:
        raise ParameterError(
            f"The 'min_pairs' parameter of {func} must be an integer of at least 2. Got {min_pairs!r} instead."
        )
    return int(min_pairs)


try:  # the ufunc scipy.stats.nct's survival function calls (scipy >= 1.12: scipy.stats._continuous_distns)
    from scipy.special._ufuncs import _nct_sf as _nct_sf_ufunc
except ImportError:  # pragma: no cover - another scipy: its public function
    _nct_sf_ufunc = None


def nct_sf(t: float, df: float, nc: float) -> float:
    """``scipy.stats.nct.sf(t, df, nc)`` for a finite ``t``, ``df > 0`` and a finite ``nc``: the
    same ufunc, clipped to [0, 1], as ``nct._sf``, without the argument handling of
    ``rv_continuous.sf`` around it (9 of 10 parts of its time).  The CI of d_z inverts it by root
    finding: ~16 calls per bound, 280 bounds in the sample's release."""
    if _nct_sf_ufunc is None:  # pragma: no cover
        return float(stats.nct.sf(t, df, nc))
    with np.errstate(over="ignore"):  # as scipy (gh-17432)
        return float(np.clip(_nct_sf_ufunc(t, df, nc), 0, 1))


def _dz_ci(t: float, df: float, n: int, level: float) -> tuple[float, float]:
    """Confidence interval of d_z by inverting the noncentral t distribution (Steiger & Fouladi 1997)."""
    if not np.isfinite(t) or df < 1:
        return np.nan, np.nan
    alpha = (1 - level) / 2
    width = 10 + 2 * abs(t)

    def ncp(target: float) -> float:
        f = lambda nc: nct_sf(t, df, nc) - target  # noqa: E731 (one-line root function)
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
    hedges: str,
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
    j = hedges_j(df, hedges)
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
        "wilcoxon_v_minus": v_minus,
        "n_zero": int((d == 0).sum()),
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
        **_descriptive(x, y, better, worse),
        "status": "ok",
    }


def _descriptive(x: np.ndarray, y: np.ndarray, better: np.ndarray, worse: np.ndarray) -> dict[str, float]:
    """Medians, counts and the exact sign test: what stays meaningful on a handful of pairs."""
    return {
        "median_baseline": float(np.median(x)),
        "median_followup": float(np.median(y)),
        "median_diff": float(np.median(y - x)),
        "n_improved": int(better.sum()),
        "n_unchanged": int((y == x).sum()),
        "n_worse": int(worse.sum()),
        "sign_test_p": sign_test(y - x),
    }


def _small_stats(
    x: np.ndarray, y: np.ndarray, *, higher_is_better: bool, min_pairs: int
) -> dict[str, object]:
    """The descriptive status below ``min_pairs`` complete pairs: counts, means, medians, shares and
    exact tests (exact signed-rank conditional on ties and zeros, exact sign test); no t-based
    inference and no standardised effect size."""
    d = y - x
    better = d > 0 if higher_is_better else d < 0
    worse = d < 0 if higher_is_better else d > 0
    v, v_minus, wp = exact_conditional(d)
    return {
        "n": x.size,
        "mean_baseline": x.mean(),
        "mean_followup": y.mean(),
        "mean_diff": d.mean(),
        "wilcoxon_v": v,
        "wilcoxon_v_minus": v_minus,
        "n_zero": int((d == 0).sum()),
        "wilcoxon_p": wp,
        "rank_biserial": (v - v_minus) / (v + v_minus) if v + v_minus > 0 else np.nan,
        "share_improved": better.mean(),
        "share_unchanged": (d == 0).mean(),
        "share_worse": worse.mean(),
        "wilcoxon_method": "exact_conditional" if np.isfinite(wp) else "none",
        **_descriptive(x, y, better, worse),
        "status": f"descriptive (n < {min_pairs})",
    }


def change(
    data: pd.DataFrame,
    *,
    baseline: str | None = None,
    followup: str | None = None,
    pairs: str | list[tuple[str, str]] | None = None,
    adjust: str = "holm",
    adjust_over: str = "domains",
    by: str | pd.Series | Mapping[str, object] | None = None,
    families: pd.DataFrame | None = None,
    min_n: int = 10,
    min_pairs: int = 10,
    domains: list[str] | None = None,
    conf_level: float = 0.95,
    hedges_correction: str = "approx",
    wilcoxon_exact: bool | None = None,
    wilcoxon_correct: bool = True,
    wilcoxon_zero_method: str = "wilcox",
    instrument: Instrument | None = None,
    level: float | None = None,
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
    pairs : "all" or list of (baseline, followup), optional
        Several comparisons in one table instead of ``baseline``/``followup``: ``"all"`` is every
        pair of waves in order (intake→year1, intake→year2, year1→year2), or list the pairs.
    adjust : str, default "holm"
        Multiple-testing adjustment of the paired-t ``p_value`` (into ``p_adjusted``) and of the
        Wilcoxon ``wilcoxon_p`` (into ``wilcoxon_p_adjusted``): any method of
        :func:`impactkit.p_adjust` (``"holm"``, ``"hochberg"``, ``"hommel"``, ``"bonferroni"``,
        ``"BH"``, ``"BY"``, ``"sidak"``, ``"holm-sidak"``, ``"none"``).
    adjust_over : {"domains", "all"}, default "domains"
        The family of tests: ``"domains"`` adjusts across the domains of each comparison (within
        each subgroup with ``by``); ``"all"`` across domains × comparisons (× subgroups).
    by : str, Series or mapping, optional
        Subgroup: a column of ``data`` or of ``families`` (e.g. ``"municipality"``), or a
        family_id → group mapping. Each group gets the same analysis.
    families : DataFrame, optional
        The families table, needed when ``by`` names one of its columns.
    min_n : int
        With ``by``: groups with fewer than ``min_n`` complete pairs in a domain are suppressed
        (statistics and ``n`` blank, ``status`` "suppressed (n < 10)"), a privacy rule.
    min_pairs : int, default 10
        Below this many complete pairs a row is descriptive only (``status`` "descriptive (n <
        10)"): counts, means, medians, shares, the exact sign test and the exact signed-rank test
        (conditional on ties and zeros); the paired t test, its interval and the standardised
        effect sizes are left blank, since on a handful of families they claim more than the
        data can carry. Set ``min_pairs=2`` for the full analysis on any sample.
    domains : list of str, optional
        Domains to analyse (default: all domains of the instrument).
    conf_level : float, default 0.95
        Confidence level of ``ci_low``/``ci_high`` and of the d_z interval (the name every
        model uses; R's ``conf.level``).
    level : float, optional
        Deprecated spelling of ``conf_level`` (warns ``ImpactkitDeprecationWarning``).
    hedges_correction : {"approx", "exact"}, default "approx"
        Hedges' small-sample correction J of ``hedges_gav`` (df = n - 1): ``"approx"`` is
        1 - 3/(4 df - 1) (Hedges & Olkin 1985, p. 80; the form of Lakens 2013), ``"exact"`` the
        gamma-function form Γ(df/2) / (√(df/2) Γ((df - 1)/2)) (Hedges 1981).
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
        One row per comparison × (group ×) domain (the group column comes first, named after
        ``by``) with columns ``domain, baseline, followup`` (the wave ids compared: the change is
        followup - baseline), ``n`` (complete pairs), ``mean_baseline, mean_followup,
        mean_diff, ci_low, ci_high`` (mean of followup - baseline with its t interval), ``t, df,
        p_value`` (paired t test), ``wilcoxon_v`` (V+, sum of ranks of positive differences, as
        R's ``V``), ``wilcoxon_v_minus`` (V-, of the negative ones), ``n_zero`` (zero differences,
        dropped before ranking with ``"wilcox"``), ``wilcoxon_p``, ``cohen_dz`` (mean difference /
        SD of differences), ``cohen_dav`` (mean difference / mean of the two SDs), ``hedges_gav``
        (d_av × J, see ``hedges_correction``), ``rank_biserial`` (matched-pairs, (V+ - V-)/(V+ +
        V-), zeros dropped; Kerby 2014), ``share_improved, share_unchanged, share_worse``
        (improved means a higher score where the domain's direction is higher-is-better, a lower
        score where lower is better: ``Instrument.higher_is_better(domain)``),
        ``p_adjusted, wilcoxon_p_adjusted, adjust_method``, ``dz_ci_low, dz_ci_high``
        (noncentral-t interval of d_z), ``wilcoxon_method`` ("exact", "normal", or
        "exact_conditional" in the descriptive status), ``median_baseline, median_followup,
        median_diff``, ``n_improved, n_unchanged, n_worse``, ``sign_test_p`` (exact two-sided
        binomial test of improved vs worse, as R's ``binom.test``) and ``status`` ("ok",
        "descriptive (n < 10)", "suppressed (n < 10)" or why no test is defined).

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
        Without ``by``: when a domain has fewer than two complete pairs, or at least
        ``min_pairs`` pairs with constant differences. With ``by`` such groups get a ``status``.

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
    if level is not None:
        warnings.warn(
            "The 'level' parameter of change is deprecated: use conf_level (as every model does).",
            ImpactkitDeprecationWarning,
            stacklevel=2,
        )
        conf_level = level
    level = conf_level
    adjust = check_adjust(adjust, func)
    check_choice("adjust_over", func, adjust_over, ["domains", "all"])
    check_choice("hedges_correction", func, hedges_correction, list(HEDGES_CORRECTIONS))
    check_choice("wilcoxon_zero_method", func, wilcoxon_zero_method, ["wilcox", "pratt"])
    if not 0 < level < 1:
        raise ParameterError(
            f"The 'conf_level' parameter of {func} must lie in (0, 1). Got {level!r} instead."
        )
    if wilcoxon_exact not in (None, True, False):
        raise ParameterError(
            f"The 'wilcoxon_exact' parameter of {func} must be None, True or False. "
            f"Got {wilcoxon_exact!r} instead."
        )
    min_n = check_min_n(min_n, func)
    min_pairs = check_min_pairs(min_pairs, func)
    c = cube(data, func, instrument)
    comparisons = _comparisons(c, baseline, followup, pairs, func)
    dom_idx = _domain_index(c.domains, domains, func)
    name, codes, labels = group_codes(c, by, data, families, func)
    opts = {"exact": wilcoxon_exact, "correct": wilcoxon_correct, "zero_method": wilcoxon_zero_method,
            "hedges": hedges_correction}  # fmt: skip
    rows: list[dict[str, object]] = []
    for b, f in comparisons:
        for g, label in enumerate(labels):
            in_g = codes == g
            for d in dom_idx:
                x, y = c.values[in_g, d, b], c.values[in_g, d, f]
                ok = ~np.isnan(x) & ~np.isnan(y)
                row: dict[str, object] = {
                    "domain": c.domains[d],
                    "baseline": c.waves[b],
                    "followup": c.waves[f],
                }
                n_ok = int(ok.sum())
                hib = c.instrument.higher_is_better(c.domains[d])  # per domain: "parental load" is better low
                problem = _degenerate(x[ok], y[ok]) if n_ok < 2 or n_ok >= min_pairs else None
                if problem and name is None:
                    others = [x for x in c.domains if x != c.domains[d]]
                    leave = f"Leave it out with {option('domains', others)}, or check" if others else "Check"
                    raise DesignError(
                        f"{func}: domain {c.domains[d]!r} ({c.waves[b]} → {c.waves[f]}) {problem}. "
                        f"{leave} that the right waves were read."
                    )
                if problem:
                    row.update({"n": n_ok, "status": problem})
                elif n_ok < min_pairs:
                    row.update(_small_stats(x[ok], y[ok], higher_is_better=hib, min_pairs=min_pairs))
                else:
                    row.update(_pair_stats(x[ok], y[ok], higher_is_better=hib, level=level, **opts))  # type: ignore[arg-type]
                if name is not None:
                    row = {name: label, **row}
                rows.append(row)
    table = pd.DataFrame(rows)
    table = table.reindex(columns=([name] if name else []) + COLUMNS)
    for col in ("n", "n_zero", "n_improved", "n_unchanged", "n_worse"):
        table[col] = table[col].astype("Int64") if table[col].isna().any() else table[col].astype("int64")
    if name is not None:
        table = suppress(table, n_col="n", keep=[name, "domain", "baseline", "followup"], min_n=min_n)
    table = _adjust(table, name, adjust, adjust_over)
    notes = _notes(
        table, c, comparisons, len(dom_idx), name,
        {**opts, "adjust": adjust, "adjust_over": adjust_over, "min_pairs": min_pairs, "min_n": min_n},
    )  # fmt: skip
    meta = {"baseline": c.waves[comparisons[0][0]], "followup": c.waves[comparisons[0][1]],
            "pairs": [(c.waves[b], c.waves[f]) for b, f in comparisons], "adjust": adjust,
            "adjust_over": adjust_over, "by": name, "min_n": min_n, "min_pairs": min_pairs, "conf_level": level, "level": level,
            "hedges_correction": hedges_correction, "instrument": c.instrument, "notes": notes}  # fmt: skip
    return ChangeResult(table.reset_index(drop=True), meta=meta)


def _comparisons(
    c: Cube, baseline: str | None, followup: str | None, pairs: object, func: str
) -> list[tuple[int, int]]:
    """The (baseline, followup) wave indices to compare."""
    if pairs is None:
        b = resolve_wave(c, baseline, "baseline", func, default=0)
        f = resolve_wave(c, followup, "followup", func, default=-1)
        if b == f:
            raise ParameterError(
                f"The 'baseline' and 'followup' parameters of {func} must differ. Got {c.waves[b]!r} twice."
            )
        return [(b, f)]
    if baseline is not None or followup is not None:
        raise ParameterError(f"Pass either 'pairs' or 'baseline'/'followup' to {func}, not both.")
    bad = ParameterError(
        f"The 'pairs' parameter of {func} must be 'all' or a list of (baseline, followup) wave pairs. "
        f"Got {pairs!r} instead."
    )
    if isinstance(pairs, str):
        if pairs != "all":
            raise bad
        n = len(c.waves)
        return [(b, f) for b in range(n - 1) for f in range(b + 1, n)]
    if not isinstance(pairs, list | tuple) or not pairs:
        raise bad
    out = []
    for pair in pairs:
        if not isinstance(pair, tuple | list) or len(pair) != 2:
            raise bad
        b = resolve_wave(c, pair[0], "pairs", func, default=0)
        f = resolve_wave(c, pair[1], "pairs", func, default=-1)
        if b == f:
            raise ParameterError(f"The 'pairs' parameter of {func} compares {c.waves[b]!r} with itself.")
        out.append((b, f))
    return out


def _adjust(table: pd.DataFrame, name: str | None, adjust: str, adjust_over: str) -> pd.DataFrame:
    """p_adjusted and wilcoxon_p_adjusted: one family per comparison (× group), or the whole table."""
    table = table.copy()
    if adjust_over == "all":
        key = pd.Series("all", index=table.index)
    else:
        key = table["baseline"] + "→" + table["followup"]
        if name is not None:
            key = key + "|" + table[name].map(str)  # map(str): a None group stays a key, never NaN
    for src, dst in (("p_value", "p_adjusted"), ("wilcoxon_p", "wilcoxon_p_adjusted")):
        values = np.full(len(table), np.nan)
        p = table[src].to_numpy(dtype=float)
        keys = key.to_numpy(dtype=object)
        for k in pd.unique(keys):
            idx = keys == k
            values[idx] = adjust_pvalues(p[idx], adjust)
        table[dst] = values
    table["adjust_method"] = adjust
    return table


def _notes(
    table: pd.DataFrame,
    c: Cube,
    comparisons: list[tuple[int, int]],
    n_domains: int,
    name: str | None,
    opts: dict[str, object],
) -> list[str]:
    which = c.instrument.waves_in_words(
        lambda w: ", ".join(f"{w(c.waves[b])} → {w(c.waves[f])}" for b, f in comparisons)
    )
    family = (
        Note("change.family_domains_groups" if name else "change.family_domains", n=n_domains)
        if opts["adjust_over"] == "domains"
        else Note("change.family_rows_groups" if name else "change.family_rows", n=len(table))
    )
    exact = opts["exact"]
    wilcoxon = Note(
        "change.wilcoxon",
        zeros=Note("change.zeros_wilcox" if opts["zero_method"] == "wilcox" else "change.zeros_pratt"),
        p=Note("change.p_auto" if exact is None else "change.p_exact" if exact else "change.p_normal"),
        cc=Note("change.cc_on" if opts["correct"] else "change.cc_off"),
    )
    notes: list[str] = [
        Note("change.pairs", which=which),
        wilcoxon,
        Note("change.adjusted", method=ADJUST_NAMES[str(opts["adjust"])], family=family),
        Note("change.effects", hedges=HEDGES_CORRECTIONS[str(opts["hedges"])]),
    ]
    n_desc = int(table["status"].astype(str).str.startswith("descriptive").sum())
    if n_desc:
        notes.append(Note("change.descriptive", n=n_desc, min_pairs=opts["min_pairs"]))
    if name is not None:
        notes.append(Note("change.suppressed", min_n=opts["min_n"]))
    return notes


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
