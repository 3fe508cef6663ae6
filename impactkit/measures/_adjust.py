"""Multiple-testing adjustment across domains: R's ``p.adjust`` for "holm" and "BH".

Written out rather than calling ``statsmodels.stats.multitest.multipletests``, which runs
``gc.collect()`` on every call (~0.1 s with a large heap) and whose default, Holm-Šidák, is not Holm.
The tests check it against R's ``p.adjust`` and against statsmodels with the method named.
"""

from __future__ import annotations

import numpy as np

__all__ = ["ADJUST_METHODS", "adjust_pvalues"]

ADJUST_METHODS = ("holm", "bh", "none")


def adjust_pvalues(p: np.ndarray, method: str) -> np.ndarray:
    """Holm (``"holm"``), Benjamini-Hochberg (``"bh"``) or no (``"none"``) adjustment.

    NaN p-values are kept out of the family and returned as NaN.

    Examples
    --------
    >>> adjust_pvalues(np.array([0.01, 0.04, 0.03, np.nan]), "holm").round(4).tolist()
    [0.03, 0.06, 0.06, nan]
    """
    p = np.asarray(p, dtype=float)
    out = np.full(len(p), np.nan)
    ok = ~np.isnan(p)
    q, m = p[ok], int(ok.sum())
    if method == "none" or m == 0:
        out[ok] = q
        return out
    order = np.argsort(q, kind="stable")
    ranked = q[order]
    if method == "holm":
        adj = np.maximum.accumulate((m - np.arange(m)) * ranked)
    else:  # Benjamini-Hochberg
        adj = np.minimum.accumulate(((m / np.arange(1, m + 1)) * ranked)[::-1])[::-1]
    res = np.empty(m)
    res[order] = np.minimum(adj, 1.0)
    out[ok] = res
    return out
