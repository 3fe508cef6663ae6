"""Wilcoxon signed-rank test with R's ``wilcox.test(x, y, paired = TRUE)`` conventions.

R 4.2 (``stats:::wilcox.test.default``), which this module reproduces:

* differences are ``x - y``; zero differences are dropped before ranking (Wilcoxon's method);
* ``V`` is the sum of the ranks of ``|d|`` (average ranks for ties) over the positive ``d``;
* ``exact=None`` means exact when fewer than 50 non-zero differences remain; the exact null
  distribution is only used when there are neither ties nor zeros, otherwise R falls back to
  the normal approximation;
* the normal approximation uses the tie-corrected variance
  ``n(n+1)(2n+1)/24 - sum(t^3 - t)/48`` and, when ``correct=True``, a continuity correction of
  ``0.5 * sign(V - n(n+1)/4)`` (two-sided).

``zero_method="pratt"`` (Pratt 1959) instead ranks the zeros with the other differences and then
leaves their ranks out of V; mean and variance are adjusted for the n0 zeros (Cureton 1967:
``E = (n(n+1) - n0(n0+1))/4``, ``Var = (n(n+1)(2n+1) - n0(n0+1)(2n0+1))/24 - ties/48`` with
the zeros' tie group left out), and the normal approximation is always used when there are
zeros, as in ``scipy.stats.wilcoxon(zero_method="pratt", method="asymptotic")``.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
from scipy import stats

__all__ = ["exact_conditional", "sign_test", "signed_rank"]


@lru_cache(maxsize=64)
def _signrank_counts(n: int) -> np.ndarray:
    """Number of sign assignments of ranks 1..n giving each V = 0..n(n+1)/2 (R's csignrank)."""
    top = n * (n + 1) // 2
    counts = np.zeros(top + 1)
    counts[0] = 1.0
    for k in range(1, n + 1):
        counts[k:] = counts[k:] + counts[:-k].copy()
    return counts


def _psignrank(q: float, n: int, *, lower: bool) -> float:
    counts = _signrank_counts(n)
    total = 2.0**n
    q = np.floor(q + 1e-7)
    if lower:
        return float(counts[: int(q) + 1].sum() / total) if q >= 0 else 0.0
    return float(counts[int(q) + 1 :].sum() / total) if q >= 0 else 1.0


def signed_rank(
    d: np.ndarray, *, exact: bool | None = None, correct: bool = True, zero_method: str = "wilcox"
) -> tuple[float, float, float, str]:
    """Two-sided signed-rank test on paired differences ``d`` (no NaN).

    Returns ``(v_plus, v_minus, p_value, method)`` where ``method`` is ``"exact"`` or
    ``"normal"``; ``p_value`` is NaN when every difference is zero.
    """
    zeros = bool((d == 0).any())
    if zero_method == "pratt" and zeros:
        return _pratt(d, correct=correct)
    d = d[d != 0]
    n = d.size
    if n == 0:
        return 0.0, 0.0, float("nan"), "none"
    use_exact = (n < 50) if exact is None else bool(exact)
    r = stats.rankdata(np.abs(d))
    v = float(r[d > 0].sum())
    v_minus = n * (n + 1) / 2 - v
    _, tie_counts = np.unique(r, return_counts=True)
    ties = tie_counts.size != n
    if use_exact and not ties and not zeros:
        p = _psignrank(v - 1, n, lower=False) if v > n * (n + 1) / 4 else _psignrank(v, n, lower=True)
        return v, v_minus, min(1.0, 2 * p), "exact"
    z = v - n * (n + 1) / 4
    sigma = np.sqrt(n * (n + 1) * (2 * n + 1) / 24 - np.sum(tie_counts**3 - tie_counts) / 48)
    if sigma == 0:
        return v, v_minus, float("nan"), "normal"
    corr = 0.5 * np.sign(z) if correct else 0.0
    z = (z - corr) / sigma
    p = 2 * min(stats.norm.cdf(z), stats.norm.sf(z))
    return v, v_minus, float(min(1.0, p)), "normal"


def _pratt(d: np.ndarray, *, correct: bool) -> tuple[float, float, float, str]:
    """Pratt's zero handling with Cureton's normal approximation (see the module notes)."""
    n = d.size
    r = stats.rankdata(np.abs(d))
    v = float(r[d > 0].sum())
    v_minus = float(r[d < 0].sum())
    n0 = int((d == 0).sum())
    mean = (n * (n + 1) - n0 * (n0 + 1)) / 4
    _, tie_counts = np.unique(r[d != 0], return_counts=True)
    var = (n * (n + 1) * (2 * n + 1) - n0 * (n0 + 1) * (2 * n0 + 1)) / 24 - np.sum(
        tie_counts**3 - tie_counts
    ) / 48
    if var <= 0:
        return v, v_minus, float("nan"), "normal"
    sigma = np.sqrt(var)
    z = v - mean
    corr = 0.5 * np.sign(z) if correct else 0.0
    z = (z - corr) / sigma
    p = 2 * min(stats.norm.cdf(z), stats.norm.sf(z))
    return v, v_minus, float(min(1.0, p)), "normal"


def exact_conditional(d: np.ndarray) -> tuple[float, float, float]:
    """Exact signed-rank test conditional on the observed ranks (ties and zeros allowed).

    Zeros are dropped (Wilcoxon's method) and ties get average ranks, as in :func:`signed_rank`;
    the null distribution of V+ is then the exact distribution over all 2^n equally likely sign
    assignments of those ranks (a permutation test, as ``coin::wilcoxsign_test(distribution =
    "exact", zero.method = "Wilcoxon")``), found by counting sums of doubled ranks.  Two-sided p
    is ``min(1, 2 min(P(V+ <= v), P(V+ >= v)))``.  Returns ``(v_plus, v_minus, p)``.
    """
    d = d[d != 0]
    n = d.size
    if n == 0:
        return 0.0, 0.0, float("nan")
    r = stats.rankdata(np.abs(d))
    v = float(r[d > 0].sum())
    v_minus = float(r.sum() - v)
    r2 = np.rint(2 * r).astype(np.int64)  # average ranks are multiples of 1/2
    counts = np.zeros(int(r2.sum()) + 1)
    counts[0] = 1.0
    for k in r2:
        counts[k:] = counts[k:] + counts[:-k].copy()
    probs = counts / 2.0**n
    v2 = int(np.rint(2 * v))
    lower, upper = probs[: v2 + 1].sum(), probs[v2:].sum()
    return v, v_minus, float(min(1.0, 2 * min(lower, upper)))


def sign_test(d: np.ndarray) -> float:
    """Exact two-sided sign test of positive vs negative differences (zeros dropped), as R's
    ``binom.test(sum(d > 0), sum(d != 0))``; NaN when every difference is zero."""
    k, m = int((d > 0).sum()), int((d != 0).sum())
    if m == 0:
        return float("nan")
    return float(stats.binomtest(k, m, 0.5).pvalue)
