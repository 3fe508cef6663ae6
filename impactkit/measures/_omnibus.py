"""Change across all waves per domain: Friedman (with Kendall's W) and one-way RM-ANOVA.

The repeated-measures ANOVA is written out for complete cases (statsmodels' ``AnovaRM`` needs
balanced data, has no sphericity correction and does not scale).  Sphericity statistics follow
R's ``car::Anova`` on a multivariate lm, which ``afex::aov_ez`` reports:

* Greenhouse-Geisser epsilon ``tr(S)^2 / (p tr(S^2))`` with ``S = P' Σ P`` for orthonormal
  contrasts ``P`` (``p = k - 1``);
* Huynh-Feldt epsilon with the Lecoutre (1991) correction as car >= 3.0 computes it:
  ``((N - 1 + 1) p GG - 2) / (p (N - 1 - p GG))``, i.e. with ``error.df = N - 1``; it can exceed
  1 and is reported as computed, while ``p_hf`` uses ``min(1, hf_epsilon)`` (as car does);
* Mauchly's W and its p-value with car's second-order chi-square approximation.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd
from scipy import stats

from impactkit.errors import DesignError, ParameterError, check_choice, option
from impactkit.i18n._note import Note
from impactkit.instruments import Instrument
from impactkit.measures._change import _domain_index, check_min_pairs
from impactkit.measures._cube import cube, group_codes
from impactkit.measures._results import OmnibusResult
from impactkit.measures._smallcells import check_min_n, suppress

__all__ = ["omnibus"]

COLUMNS = [
    "domain", "n_complete", "friedman_chi2", "friedman_p", "kendall_w", "anova_f", "anova_df1", "anova_df2",
    "anova_p", "mauchly_w", "mauchly_p", "gg_epsilon", "hf_epsilon", "p_gg", "p_hf", "eta2_generalized",
    "eta2_partial", "status",
]  # fmt: skip


_P_VALUES = ["friedman_p", "anova_p", "mauchly_p", "p_gg", "p_hf"]


def _friedman(y: np.ndarray) -> tuple[float, float, float]:
    """R's ``friedman.test`` on an ``n × k`` matrix (average ranks within rows, tie-corrected)."""
    n, k = y.shape
    r = stats.rankdata(y, axis=1)
    # sum over rows of sum(t^3 - t) over tie groups == sum over cells of (c^2 - 1), c = tie size
    same = (y[:, :, None] == y[:, None, :]).sum(axis=2)
    ties = float((same.astype(float) ** 2 - 1).sum())
    colsum = r.sum(axis=0)
    denom = n * k * (k + 1) - ties / (k - 1)
    if denom <= 0:
        return np.nan, np.nan, np.nan
    chi2 = 12 * float(((colsum - n * (k + 1) / 2) ** 2).sum()) / denom
    p = float(stats.chi2.sf(chi2, k - 1))
    return chi2, p, chi2 / (n * (k - 1))


def _contrasts(k: int) -> np.ndarray:
    """Orthonormal contrasts (k × k-1) orthogonal to the unit vector."""
    q, _ = np.linalg.qr(np.column_stack([np.ones(k), np.eye(k)[:, : k - 1]]))
    return q[:, 1:]


def _rm_anova(y: np.ndarray) -> dict[str, float]:
    n, k = y.shape
    gm = y.mean()
    ss_wave = n * float(((y.mean(axis=0) - gm) ** 2).sum())
    ss_subj = k * float(((y.mean(axis=1) - gm) ** 2).sum())
    ss_total = float(((y - gm) ** 2).sum())
    ss_err = max(ss_total - ss_wave - ss_subj, 0.0)
    df1, df2 = k - 1, (n - 1) * (k - 1)
    f = (ss_wave / df1) / (ss_err / df2) if ss_err > 0 else np.nan
    p = float(stats.f.sf(f, df1, df2)) if np.isfinite(f) else np.nan
    pp = k - 1
    resid = y - y.mean(axis=0)
    contr = _contrasts(k)
    s = contr.T @ (resid.T @ resid) @ contr  # SSPE of the contrasts (error df n - 1)
    tr = np.trace(s)
    gg = tr**2 / (pp * np.trace(s @ s)) if tr > 0 else np.nan
    err_df = n - 1
    den = pp * (
        err_df - pp * gg
    )  # zero with two families on two waves: HF is 0/0, undefined (NaN, as in car)
    hf = ((err_df + 1) * pp * gg - 2) / den if np.isfinite(gg) and den != 0 else np.nan
    if pp >= 2 and tr > 0:
        mw, mp = _mauchly(s, k, err_df)
    else:
        mw, mp = np.nan, np.nan
    p_gg = float(stats.f.sf(f, gg * df1, gg * df2)) if np.isfinite(f) else np.nan
    hfc = min(1.0, hf)
    p_hf = float(stats.f.sf(f, hfc * df1, hfc * df2)) if np.isfinite(f) else np.nan
    return {
        "anova_f": f,
        "anova_df1": float(df1),
        "anova_df2": float(df2),
        "anova_p": p,
        "mauchly_w": mw,
        "mauchly_p": mp,
        "gg_epsilon": gg,
        "hf_epsilon": hf,
        "p_gg": p_gg,
        "p_hf": p_hf,
        "eta2_generalized": ss_wave / (ss_wave + ss_subj + ss_err),
        "eta2_partial": ss_wave / (ss_wave + ss_err) if ss_wave + ss_err > 0 else np.nan,
    }


def _mauchly(s: np.ndarray, k: int, n: int) -> tuple[float, float]:
    """Mauchly's test as ``car:::summary.Anova.mlm`` computes it (including its ``3 * p`` term, p = k)."""
    pp = s.shape[0]
    if n < pp:  # fewer error df than contrasts: the SSPE is singular by construction, W undefined
        return np.nan, np.nan  # (R: det 0 and rho <= 0 give 0 * -Inf = NaN; here not a 0/0 crash)
    sign, logdet = np.linalg.slogdet(s)
    if sign <= 0:
        return 0.0, 0.0
    logw = logdet - pp * np.log(np.trace(s) / pp)
    rho = 1 - (2 * pp**2 + pp + 2) / (6 * pp * n)
    w2 = (pp + 2) * (pp - 1) * (pp - 2) * (2 * pp**3 + 6 * pp**2 + 3 * k + 2) / (288 * (n * pp * rho) ** 2)
    z = -n * rho * logw
    fdf = pp * (pp + 1) / 2 - 1
    pr1 = stats.chi2.sf(z, fdf)
    pr2 = stats.chi2.sf(z, fdf + 4)
    return float(np.exp(logw)), float(pr1 + w2 * (pr2 - pr1))


def omnibus(
    data: pd.DataFrame,
    *,
    waves: list[str] | None = None,
    by: str | pd.Series | Mapping[str, object] | None = None,
    families: pd.DataFrame | None = None,
    min_n: int = 10,
    min_pairs: int = 10,
    domains: list[str] | None = None,
    instrument: Instrument | None = None,
    degenerate: str = "raise",
) -> OmnibusResult:
    """Change across all waves per domain, on families observed at every wave (complete cases).

    Parameters
    ----------
    data : DataFrame
        Canonical long assessment frame.
    waves : list of str, optional
        The waves to compare (default: all waves of the instrument, at least two).
    by, families, min_n
        Subgroups and small-cell suppression as in :func:`change`.
    min_pairs : int, default 10
        Below this many complete cases a row is descriptive only (``status`` "descriptive (n <
        10)"): the statistics and effect sizes stay as descriptions, every p-value is blank, since
        the asymptotic Friedman and sphericity approximations claim too much on a handful of
        families. Set ``min_pairs=2`` for the tests on any sample.
    domains : list of str, optional
        Domains to analyse (default: all).
    instrument : Instrument, optional
        Defaults to ``data.attrs["instrument"]``.
    degenerate : {"raise", "row"}, default "raise"
        Without ``by``, a domain with fewer than two complete cases or no variation raises; with
        ``"row"`` it is a row without statistics whose ``status`` says why (as a group's row
        always is). A report of a short period uses ``"row"``: one untestable domain must not stop
        the whole report.

    Returns
    -------
    OmnibusResult
        One row per domain (× group) with ``domain, n_complete, friedman_chi2, friedman_p,
        kendall_w`` (R ``friedman.test`` with tie correction; W = chi2 / (n (k - 1))),
        ``anova_f, anova_df1, anova_df2, anova_p`` (one-way repeated-measures ANOVA),
        ``mauchly_w, mauchly_p, gg_epsilon, hf_epsilon, p_gg, p_hf`` (sphericity test and
        Greenhouse-Geisser / Huynh-Feldt corrected p-values, always reported),
        ``eta2_generalized`` (SS_wave / (SS_wave + SS_family + SS_error); Olejnik & Algina
        2003, afex's ``ges``), ``eta2_partial`` (SS_wave / (SS_wave + SS_error)) and ``status``.

    Notes
    -----
    Missing data: complete cases per domain (a family counts when it has a score at every
    compared wave); nothing is imputed. Use the mixed model for all observed rows under MAR.
    ``hf_epsilon`` is Huynh-Feldt with Lecoutre's (1991) correction as in car >= 3.0 and
    afex; it may exceed 1, and ``p_hf`` caps it at 1. Mauchly's test needs at least three
    waves (NaN with two).

    Raises
    ------
    DesignError
        Without ``by``: when a domain has fewer than two complete cases or no variation.

    Examples
    --------
    >>> import impactkit as ik
    >>> from impactkit._sample import make_sample
    >>> wide = make_sample()["assessments"]
    >>> data = ik.canonical(wide.melt(["family_id", "wave", "assessed_on"], var_name="domain", value_name="score"))
    >>> res = omnibus(data)
    >>> res.loc[0, "domain"], int(res.loc[0, "n_complete"]), round(float(res.loc[0, "gg_epsilon"]), 3)
    ('finances', 248, 0.959)
    """
    func = "omnibus"
    check_choice("degenerate", func, degenerate, ("raise", "row"))
    min_n = check_min_n(min_n, func)
    min_pairs = check_min_pairs(min_pairs, func)
    c = cube(data, func, instrument)
    if waves is None:
        w_idx = list(range(len(c.waves)))
    else:
        bad = [w for w in waves if w not in c.waves]
        if bad or len(set(waves)) < 2:
            raise ParameterError(
                f"The 'waves' parameter of {func} must list two or more of {c.waves}. Got {waves!r} instead."
            )
        w_idx = sorted({c.waves.index(w) for w in waves})
    dom_idx = _domain_index(c.domains, domains, func)
    name, codes, labels = group_codes(c, by, data, families, func)
    rows: list[dict[str, object]] = []
    for g, label in enumerate(labels):
        block = c.values[codes == g][:, :, w_idx]
        for d in dom_idx:
            y = block[:, d, :]
            y = y[~np.isnan(y).any(axis=1)]
            row: dict[str, object] = {"domain": c.domains[d], "n_complete": y.shape[0]}
            problem = _degenerate(y)
            if problem and name is None and degenerate == "raise":
                others = [x for x in c.domains if x != c.domains[d]]
                leave = f"Leave it out with {option('domains', others)}, or compare" if others else "Compare"
                raise DesignError(
                    f"{func}: domain {c.domains[d]!r} {problem}. {leave} fewer waves with waves=[...]."
                )
            if problem:
                row["status"] = problem
            else:
                chi2, fp, w = _friedman(y)
                row.update(friedman_chi2=chi2, friedman_p=fp, kendall_w=w, **_rm_anova(y), status="ok")
                if y.shape[0] < min_pairs:
                    row.update(dict.fromkeys(_P_VALUES, np.nan), status=f"descriptive (n < {min_pairs})")
            if name is not None:
                row = {name: label, **row}
            rows.append(row)
    table = pd.DataFrame(rows).reindex(columns=([name] if name else []) + COLUMNS)
    table["n_complete"] = table["n_complete"].astype("int64")
    if name is not None:
        table = suppress(table, n_col="n_complete", keep=[name, "domain"], min_n=min_n)
    used = [c.waves[i] for i in w_idx]
    notes: list[str] = [
        Note("omnibus.cases", waves=c.instrument.waves_in_words(lambda w: ", ".join(w(u) for u in used))),
        Note("omnibus.friedman"),
        Note("omnibus.anova"),
    ]
    n_desc = int(table["status"].astype(str).str.startswith("descriptive").sum())
    if n_desc:
        notes.append(Note("omnibus.descriptive", n=n_desc, min_pairs=min_pairs))
    if name is not None:
        notes.append(Note("omnibus.suppressed", min_n=min_n))
    meta = {"waves": used, "by": name, "min_n": min_n, "min_pairs": min_pairs, "instrument": c.instrument,
            "notes": notes}  # fmt: skip
    return OmnibusResult(table.reset_index(drop=True), meta=meta)


def _degenerate(y: np.ndarray) -> str | None:
    if y.shape[0] < 2:
        return f"has {y.shape[0]} complete case(s) over the waves; at least 2 are needed"
    if np.ptp(y) == 0:
        return f"is constant ({y.flat[0]:g}) in all {y.shape[0]} complete cases"
    resid = y - y.mean(axis=1, keepdims=True)
    if np.ptp(resid) == 0:
        return "shows no change within any family, so no test is defined"
    return None
