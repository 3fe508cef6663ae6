"""Intraclass correlations: the six Shrout & Fleiss (1979) forms, as ``psych::ICC(x, lmer = FALSE)``.

From the two-way ANOVA of a targets × raters table (complete rows): MSB (between targets), MSJ
(between raters, "judges"), MSE (residual) and MSW = (SS_J + SS_E) / (df_J + df_E), with n targets
and k raters::

    ICC1  = (MSB - MSW) / (MSB + (k - 1) MSW)                 one-way random, single rating
    ICC2  = (MSB - MSE) / (MSB + (k - 1) MSE + k (MSJ - MSE)/n)  two-way random, absolute agreement
    ICC3  = (MSB - MSE) / (MSB + (k - 1) MSE)                 two-way mixed, consistency
    ICC1k = (MSB - MSW) / MSB,  ICC2k = (MSB - MSE) / (MSB + (MSJ - MSE)/n),  ICC3k = (MSB - MSE) / MSB

(the k forms: the reliability of the mean of k raters).  F tests and confidence intervals as
psych, after Shrout & Fleiss (1979) and McGraw & Wong (1996); the ICC2 interval uses
Satterthwaite's approximate df ``v``.  In McGraw & Wong's names ICC2 is ICC(A,1) and ICC3 ICC(C,1).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from impactkit._result import ResultFrame
from impactkit.errors import DesignError, ParameterError

__all__ = ["ICC_FORMS", "IccResult", "icc"]

ICC_FORMS = {
    "ICC1": "single rating, one-way random (Shrout & Fleiss ICC(1,1))",
    "ICC2": "single rating, two-way random, absolute agreement (ICC(2,1); McGraw & Wong ICC(A,1))",
    "ICC3": "single rating, two-way mixed, consistency (ICC(3,1); McGraw & Wong ICC(C,1))",
    "ICC1k": "mean of k ratings, one-way random (ICC(1,k))",
    "ICC2k": "mean of k ratings, two-way random, absolute agreement (ICC(2,k))",
    "ICC3k": "mean of k ratings, two-way mixed, consistency (ICC(3,k))",
}


class IccResult(ResultFrame):
    """The six Shrout-Fleiss ICC forms (per domain)."""

    _title = "Intraclass correlations (Shrout & Fleiss 1979)"


def _one(mat: np.ndarray, level: float) -> list[dict[str, object]]:
    n, k = mat.shape
    grand = mat.mean()
    ss_b = k * float(((mat.mean(axis=1) - grand) ** 2).sum())
    ss_j = n * float(((mat.mean(axis=0) - grand) ** 2).sum())
    ss_e = float(((mat - grand) ** 2).sum()) - ss_b - ss_j
    df_b, df_j, df_e = n - 1, k - 1, (n - 1) * (k - 1)
    msb, msj, mse = ss_b / df_b, ss_j / df_j, ss_e / df_e
    msw = (ss_j + ss_e) / (df_j + df_e)
    icc1 = (msb - msw) / (msb + (k - 1) * msw)
    icc2 = (msb - mse) / (msb + (k - 1) * mse + k * (msj - mse) / n)
    icc3 = (msb - mse) / (msb + (k - 1) * mse)
    icc1k, icc2k, icc3k = (msb - msw) / msb, (msb - mse) / (msb + (msj - mse) / n), (msb - mse) / msb
    f11, f21 = msb / msw, msb / mse
    d11, d21 = n * (k - 1), df_e
    p11, p21 = float(stats.f.sf(f11, df_b, d11)), float(stats.f.sf(f21, df_b, d21))
    a = (1 - level) / 2
    f1l, f1u = f11 / stats.f.ppf(1 - a, df_b, d11), f11 * stats.f.ppf(1 - a, d11, df_b)
    f3l, f3u = f21 / stats.f.ppf(1 - a, df_b, d21), f21 * stats.f.ppf(1 - a, d21, df_b)
    fj = msj / mse
    vn = (k - 1) * (n - 1) * (k * icc2 * fj + n * (1 + (k - 1) * icc2) - k * icc2) ** 2
    vd = (n - 1) * k**2 * icc2**2 * fj**2 + (n * (1 + (k - 1) * icc2) - k * icc2) ** 2
    v = vn / vd
    f2u, f2l = stats.f.ppf(1 - a, n - 1, v), stats.f.ppf(1 - a, v, n - 1)
    denom = k * msj + (k * n - k - n) * mse
    l2 = n * (msb - f2u * mse) / (f2u * denom + n * msb)
    u2 = n * (f2l * msb - mse) / (denom + n * f2l * msb)
    rows = [
        ("ICC1", icc1, f11, df_b, d11, p11, (f1l - 1) / (f1l + k - 1), (f1u - 1) / (f1u + k - 1)),
        ("ICC2", icc2, f21, df_b, d21, p21, l2, u2),
        ("ICC3", icc3, f21, df_b, d21, p21, (f3l - 1) / (f3l + k - 1), (f3u - 1) / (f3u + k - 1)),
        ("ICC1k", icc1k, f11, df_b, d11, p11, 1 - 1 / f1l, 1 - 1 / f1u),
        ("ICC2k", icc2k, f21, df_b, d21, p21, l2 * k / (1 + l2 * (k - 1)), u2 * k / (1 + u2 * (k - 1))),
        ("ICC3k", icc3k, f21, df_b, d21, p21, 1 - 1 / f3l, 1 - 1 / f3u),
    ]
    return [{"type": t, "description": ICC_FORMS[t], "icc": float(i), "f_value": float(f), "df1": float(d1),
             "df2": float(d2), "p_value": p, "ci_low": float(lo), "ci_high": float(hi), "n_targets": n,
             "n_raters": k} for t, i, f, d1, d2, p, lo, hi in rows]  # fmt: skip


def icc(
    data: pd.DataFrame,
    *,
    targets: str = "family_id",
    raters: str = "rater",
    ratings: str = "score",
    by: str | None = "domain",
    conf_level: float = 0.95,
) -> IccResult:
    """The six Shrout-Fleiss intraclass correlations, per domain, as ``psych::ICC(lmer = FALSE)``.

    Use it for inter-rater agreement (two coordinators score the same families) or test-retest
    reliability (the same families scored twice without change in between); the result can be
    passed as ``reliability=`` to :func:`reliable_change` (form ``icc_form``, default ICC2).

    Parameters
    ----------
    data : DataFrame
        Long ratings with columns ``targets``, ``raters``, ``ratings`` (and ``by``), one row per
        target × rater (× domain); or a wide table with one row per target and one numeric
        column per rater (as psych takes it) when ``raters`` is not a column.
    targets, raters, ratings : str
        Column names (default ``family_id``, ``rater``, ``score``).
    by : str or None, default "domain"
        A column giving separate analyses (ignored when absent from ``data``).
    conf_level : float, default 0.95

    Returns
    -------
    IccResult
        Six rows per domain with columns ``[domain,] type, description, icc, f_value, df1, df2,
        p_value, ci_low, ci_high, n_targets, n_raters``; ``type`` is ICC1, ICC2, ICC3, ICC1k,
        ICC2k, ICC3k (see the module notes).

    Notes
    -----
    Missing data: targets without a rating from every rater are left out (listwise, as psych with
    complete cases), counted in ``notes``.  Duplicate target × rater rows are an error.

    Examples
    --------
    >>> import pandas as pd, impactkit as ik
    >>> wide = pd.DataFrame({"a": [9, 6, 8, 7, 10, 6], "b": [2, 1, 4, 1, 5, 2], "c": [5, 3, 6, 2, 6, 4],
    ...                      "d": [8, 2, 8, 6, 9, 7]})  # Shrout & Fleiss (1979), Table 2
    >>> res = ik.icc(wide)
    >>> res.set_index("type")["icc"].round(2).to_dict()
    {'ICC1': 0.17, 'ICC2': 0.29, 'ICC3': 0.71, 'ICC1k': 0.44, 'ICC2k': 0.62, 'ICC3k': 0.91}
    """
    func = "icc"
    if not isinstance(data, pd.DataFrame):
        raise ParameterError(
            f"The 'data' parameter of {func} must be a DataFrame. Got {type(data).__name__} instead."
        )
    if not 0 < conf_level < 1:
        raise ParameterError(
            f"The 'conf_level' parameter of {func} must lie in (0, 1). Got {conf_level!r} instead."
        )
    notes = []
    groups: list[tuple[Any, pd.DataFrame]]
    if raters not in data.columns:
        wide = data.select_dtypes("number")
        if wide.shape[1] < 2:
            raise ParameterError(
                f"{func}: without a {raters!r} column the data must be wide, one numeric column per rater. "
                f"Got columns {list(data.columns)}."
            )
        groups, by = [(None, wide)], None
    else:
        missing = [c for c in (targets, raters, ratings) if c not in data.columns]
        if missing:
            raise ParameterError(f"The 'data' parameter of {func} lacks column(s) {missing}.")
        by = by if by is not None and by in data.columns else None
        parts = data.groupby(by, sort=False, observed=True) if by else [(None, data)]
        groups = []
        for key, sub in parts:
            if sub.duplicated([targets, raters]).any():
                raise DesignError(
                    f"{func}: a target has two ratings from one rater" + (f" in {by} {key!r}." if by else ".")
                )
            groups.append((key, sub.pivot(index=targets, columns=raters, values=ratings)))
    rows = []
    for key, wide in groups:
        label = str(key[0] if isinstance(key, tuple) else key)
        mat = wide.to_numpy(dtype=float)
        complete = ~np.isnan(mat).any(axis=1)
        if (~complete).any():
            notes.append(
                f"{int((~complete).sum())} target(s) without every rating left out"
                + (f" ({label})." if by else ".")
            )
        mat = mat[complete]
        if mat.shape[0] < 2 or mat.shape[1] < 2 or np.ptp(mat) == 0:
            raise DesignError(
                f"{func}: {'domain ' + repr(label) + ' has' if by else 'the data have'} {mat.shape[0]} complete "
                f"target(s) and {mat.shape[1]} rater(s); an ICC needs two of each and ratings that vary."
            )
        for row in _one(mat, conf_level):
            rows.append(({by: label} if by else {}) | row)
    notes.insert(0, f"Two-way ANOVA of targets × raters, complete targets; confidence level {conf_level:g} "
                    "(Shrout & Fleiss 1979; McGraw & Wong 1996), as psych::ICC(lmer = FALSE).")  # fmt: skip
    return IccResult(pd.DataFrame(rows), meta={"notes": notes, "conf_level": conf_level})
