"""Multiple-testing adjustment: R's ``p.adjust`` (every method) plus Šidák and Holm-Šidák.

Written out rather than calling ``statsmodels.stats.multitest.multipletests``, which runs
``gc.collect()`` on every call (~0.1 s with a large heap) and whose default, Holm-Šidák, is not Holm.
The R methods follow ``stats::p.adjust`` of R 4.2 line by line (including its rules that one test
is never adjusted and that Hommel with two tests is Hochberg); the tests check every method
against R (``tests/results/measures/reference_adjust.R``) and against statsmodels with the
method named.

Method ids (case-insensitive; R's spellings ``"BH"``, ``"BY"`` and ``"fdr"`` are accepted):

=============  =====================================================================  ==========
id             method                                                                 controls
=============  =====================================================================  ==========
bonferroni     Bonferroni: ``min(1, m p)``                                            FWER
holm           Holm (1979) step-down Bonferroni                                       FWER
hochberg       Hochberg (1988) step-up                                                FWER
hommel         Hommel (1988), R's algorithm (Wright 1992)                             FWER
bh             Benjamini & Hochberg (1995) step-up (``"fdr"``)                        FDR
by             Benjamini & Yekutieli (2001), valid under any dependence               FDR
sidak          Šidák (1967) single step: ``1 - (1 - p)^m``                            FWER
holm-sidak     Holm's step-down with Šidák's per-step level (statsmodels ``"hs"``)    FWER
none           no adjustment
=============  =====================================================================  ==========
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from impactkit.errors import ParameterError

__all__ = ["ADJUST_METHODS", "ADJUST_NAMES", "adjust_pvalues", "check_adjust", "p_adjust"]

ADJUST_METHODS = ("holm", "hochberg", "hommel", "bonferroni", "bh", "by", "sidak", "holm-sidak", "none")
ADJUST_NAMES = {
    "holm": "Holm",
    "hochberg": "Hochberg",
    "hommel": "Hommel",
    "bonferroni": "Bonferroni",
    "bh": "Benjamini-Hochberg (FDR)",
    "by": "Benjamini-Yekutieli (FDR)",
    "sidak": "Šidák",
    "holm-sidak": "Holm-Šidák",
    "none": "no adjustment",
}
_ALIASES = {"fdr": "bh", "hs": "holm-sidak", "holm_sidak": "holm-sidak"}


def check_adjust(method: object, func: str, extra: Sequence[str] = ()) -> str:
    """The method id for ``method`` (R's spellings accepted), or a :class:`ParameterError`."""
    key = method.lower() if isinstance(method, str) else method
    key = _ALIASES.get(key, key) if isinstance(key, str) else key
    allowed = (*ADJUST_METHODS, *extra)
    if key not in allowed:
        options = ", ".join(repr(a) for a in allowed)
        raise ParameterError(
            f"The 'adjust' parameter of {func} must be one of {options} (R's 'BH', 'BY' and 'fdr' "
            f"are accepted too). Got {method!r} instead."
        )
    return str(key)


def p_adjust(
    p: Sequence[float] | np.ndarray | pd.Series, method: str = "holm", *, n: int | None = None
) -> np.ndarray | pd.Series:
    """Adjust p-values for multiple testing, as R's ``p.adjust`` (plus Šidák and Holm-Šidák).

    Parameters
    ----------
    p : array-like or Series
        The p-values of one family of tests. NaN values are kept out of the family and come
        back as NaN (R's ``p.adjust`` with ``NA``).
    method : str, default "holm"
        One of ``"holm"``, ``"hochberg"``, ``"hommel"``, ``"bonferroni"``, ``"BH"`` (or
        ``"fdr"``), ``"BY"``, ``"sidak"``, ``"holm-sidak"`` or ``"none"`` (case-insensitive).
        See the module notes for what each controls.
    n : int, optional
        The number of tests in the family (R's ``n``), when some were not passed; at least the
        number of non-missing p-values. Default: that number.

    Returns
    -------
    ndarray or Series
        The adjusted p-values, in the input order (a Series keeps its index and name).

    Notes
    -----
    Missing data: NaN p-values are left out of the family (as R's ``p.adjust``); ``n``
    counts the non-missing ones unless given.  Like R, a family of one test is returned
    unadjusted and Hommel on two tests equals Hochberg.

    Examples
    --------
    >>> import impactkit as ik
    >>> ik.p_adjust([0.01, 0.04, 0.03, 0.005], "holm").round(4).tolist()
    [0.03, 0.06, 0.06, 0.02]
    >>> ik.p_adjust([0.01, 0.04, 0.03, 0.005], "BH").round(4).tolist()
    [0.02, 0.04, 0.04, 0.02]
    """
    key = check_adjust(method, "p_adjust")
    values = pd.Series(p) if not isinstance(p, pd.Series) else p
    try:
        arr = np.asarray(values, dtype=float)
    except (TypeError, ValueError) as err:
        raise ParameterError(f"The 'p' parameter of p_adjust must hold numbers. Got {p!r} instead.") from err
    if arr.ndim != 1:
        raise ParameterError(f"The 'p' parameter of p_adjust must be one-dimensional. Got shape {arr.shape}.")
    ok = ~np.isnan(arr)
    if ((arr[ok] < 0) | (arr[ok] > 1)).any():
        bad = arr[ok][(arr[ok] < 0) | (arr[ok] > 1)]
        raise ParameterError(f"The 'p' parameter of p_adjust must lie in [0, 1]. Got {bad[:5].tolist()}.")
    if n is not None and (isinstance(n, bool) or not isinstance(n, int | np.integer) or n < ok.sum()):
        raise ParameterError(
            f"The 'n' parameter of p_adjust must be an integer of at least {int(ok.sum())} (the number "
            f"of p-values given). Got {n!r} instead."
        )
    out = adjust_pvalues(arr, key, n=n)
    if isinstance(p, pd.Series):
        return pd.Series(out, index=p.index, name=p.name)
    return out


def adjust_pvalues(p: np.ndarray, method: str, *, n: int | None = None) -> np.ndarray:
    """The adjustment itself on a float array (method id already checked); NaN stays NaN.

    Examples
    --------
    >>> adjust_pvalues(np.array([0.01, 0.04, 0.03, np.nan]), "holm").round(4).tolist()
    [0.03, 0.06, 0.06, nan]
    """
    p = np.asarray(p, dtype=float)
    out = np.full(len(p), np.nan)
    ok = ~np.isnan(p)
    q = p[ok]
    lp = int(ok.sum())
    m = lp if n is None else int(n)
    if method == "none" or m <= 1:
        out[ok] = q
        return out
    if method == "hommel" and m == 2:
        method = "hochberg"
    out[ok] = _METHODS[method](q, m)
    return out


def _bonferroni(q: np.ndarray, m: int) -> np.ndarray:
    return np.minimum(1.0, m * q)


def _sidak_raw(q: np.ndarray, factor: np.ndarray | float) -> np.ndarray:
    """``1 - (1 - q)^factor`` without cancellation for small q; exactly 1 where q = 1."""
    with np.errstate(divide="ignore"):  # log1p(-1) = -inf gives 1 - 0 = 1, as it should
        return -np.expm1(factor * np.log1p(-q))


def _sidak(q: np.ndarray, m: int) -> np.ndarray:
    return np.minimum(1.0, _sidak_raw(q, m))


def _step_down(q: np.ndarray, factor: np.ndarray, sidak: bool = False) -> np.ndarray:
    """Holm-type: the i-th smallest adjusted with ``factor[i]``, then a running maximum."""
    order = np.argsort(q, kind="stable")
    ranked = q[order]
    raw = _sidak_raw(ranked, factor) if sidak else factor * ranked
    res = np.empty(len(q))
    res[order] = np.minimum(1.0, np.maximum.accumulate(raw))
    return res


def _holm(q: np.ndarray, m: int) -> np.ndarray:
    return _step_down(q, (m - np.arange(len(q))).astype(float))


def _holm_sidak(q: np.ndarray, m: int) -> np.ndarray:
    return _step_down(q, (m - np.arange(len(q))).astype(float), sidak=True)


def _step_up(q: np.ndarray, factor: np.ndarray) -> np.ndarray:
    """Hochberg/BH-type: the i-th largest times ``factor[i]``, then a running minimum."""
    order = np.argsort(-q, kind="stable")
    res = np.empty(len(q))
    res[order] = np.minimum(1.0, np.minimum.accumulate(factor * q[order]))
    return res


def _hochberg(q: np.ndarray, m: int) -> np.ndarray:
    i = np.arange(len(q), 0, -1)
    return _step_up(q, (m + 1 - i).astype(float))


def _bh(q: np.ndarray, m: int) -> np.ndarray:
    i = np.arange(len(q), 0, -1)
    return _step_up(q, m / i)


def _by(q: np.ndarray, m: int) -> np.ndarray:
    i = np.arange(len(q), 0, -1)
    return _step_up(q, np.sum(1.0 / np.arange(1, m + 1)) * m / i)


def _hommel(q: np.ndarray, m: int) -> np.ndarray:
    """R's ``p.adjust(method = "hommel")``, missing tests (``n`` > given) padded with p = 1."""
    lp = len(q)
    p = np.concatenate([q, np.ones(m - lp)])
    order = np.argsort(p, kind="stable")
    p = p[order]
    i = np.arange(1, m + 1)
    qq = np.full(m, np.min(m * p / i))
    pa = qq.copy()
    for j in range(m - 1, 1, -1):
        ij = np.arange(m - j + 1)
        i2 = np.arange(m - j + 1, m)
        q1 = np.min(j * p[i2] / np.arange(2, j + 1))
        qq[ij] = np.minimum(j * p[ij], q1)
        qq[i2] = qq[m - j]
        pa = np.maximum(pa, qq)
    res = np.empty(m)
    res[order] = np.maximum(pa, p)
    return res[:lp]


_METHODS = {
    "bonferroni": _bonferroni,
    "holm": _holm,
    "hochberg": _hochberg,
    "hommel": _hommel,
    "bh": _bh,
    "by": _by,
    "sidak": _sidak,
    "holm-sidak": _holm_sidak,
}
