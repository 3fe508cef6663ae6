"""Cumulative-logit (proportional-odds) model without random effects, as ``ordinal::clm``.

``logit P(score ≤ j) = θ_j − x'β`` (the sign convention of ``ordinal``: a positive coefficient
means higher scores are more likely), fitted by Newton-Raphson with the analytic gradient and
Hessian of the log-likelihood, from which the standard errors come, as ``clm`` takes them.  Rows
with the same design row and score contribute identical terms, so the likelihood is evaluated on
the distinct rows with their counts as weights: a wave-only design on a 1–5 scale has at most 15
of them however many families.

Without a random effect the families' repeated scores are treated as independent: the standard
errors ignore the clustering. Use :func:`impactkit.measures.clmm` for inference about change,
this model for one wave, as the no-random-effect baseline of a likelihood-ratio test of the family
variance, or where families were assessed once.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import special, stats

from impactkit.errors import check_choice
from impactkit.measures._adjust import check_adjust
from impactkit.measures._mixed_design import (
    Design,
    adjust_note,
    build_design,
    finish_group_table,
    finish_tables,
    wald_group_rows,
)
from impactkit.measures._mixed_result import MixedModelResult
from impactkit.measures._ordinal import _level, _wald

__all__ = ["clm"]


def _bounds(theta: np.ndarray, yi: np.ndarray, eta: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    ext = np.concatenate([[-np.inf], theta, [np.inf]])
    return ext[yi + 1] - eta, ext[yi] - eta


def _loglik(par: np.ndarray, k: int, yi: np.ndarray, x: np.ndarray, w: np.ndarray) -> float:
    theta, beta = par[:k], par[k:]
    if np.any(np.diff(theta) <= 0):
        return -np.inf
    a, c = _bounds(theta, yi, x @ beta)
    with np.errstate(divide="ignore"):
        p = special.expit(a) - special.expit(c)
        upper = np.isinf(a)  # P(Y > θ_k) = expit(-c): no cancellation in the top category
        logp = np.where(upper, special.log_expit(-c), np.log(p))
    return float(w @ logp)


def _derivatives(
    par: np.ndarray, k: int, yi: np.ndarray, x: np.ndarray, w: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Analytic gradient and Hessian of the log-likelihood in (θ, β)."""
    n, npar = len(yi), len(par)
    theta, beta = par[:k], par[k:]
    a, c = _bounds(theta, yi, x @ beta)
    fa, fc = special.expit(a), special.expit(c)
    da, dc = fa * (1 - fa), fc * (1 - fc)  # logistic densities (0 at ±inf)
    p = fa - fc
    top = np.isinf(a)
    p = np.where(top, special.expit(-c), p)
    ga, gc = da / p, -dc / p
    haa = da * (1 - 2 * fa) / p - ga**2
    hcc = -dc * (1 - 2 * fc) / p - gc**2
    hac = -ga * gc
    ja = np.zeros((n, npar))  # ∂a/∂par: +1 for θ_y (finite upper bound), −x for β
    jc = np.zeros((n, npar))
    rows = np.arange(n)
    up = yi < k
    ja[rows[up], yi[up]] = 1.0
    lo = yi > 0
    jc[rows[lo], yi[lo] - 1] = 1.0
    ja[:, k:] = -x
    jc[:, k:] = -x
    grad = (w * ga) @ ja + (w * gc) @ jc
    hess = (
        (ja * (w * haa)[:, None]).T @ ja
        + (jc * (w * hcc)[:, None]).T @ jc
        + (ja * (w * hac)[:, None]).T @ jc
        + (jc * (w * hac)[:, None]).T @ ja
    )
    return grad, hess


def _fit(y: np.ndarray, x: np.ndarray) -> dict[str, object]:
    levels = np.unique(y)
    k = len(levels) - 1
    p = x.shape[1]
    # distinct (x, y) rows with their counts: one integer key per row (np.unique(axis=0) sorts rows, slowly)
    cols = np.column_stack([x, y])
    factors = [pd.factorize(cols[:, j]) for j in range(cols.shape[1])]
    if np.prod([float(len(u)) for _, u in factors]) < 2.0**62:
        key = np.zeros(len(y), dtype=np.int64)
        for codes, uniq in factors:
            key = key * len(uniq) + codes
        _, first, counts = np.unique(key, return_index=True, return_counts=True)
        rows = cols[first]
    else:  # many continuous covariates: the combined key would overflow
        rows, counts = np.unique(cols, axis=0, return_counts=True)
    xr, yr, w = rows[:, :-1], np.searchsorted(levels, rows[:, -1]), counts.astype(float)
    npar = k + p
    bad = {"status": "too_few", "par": np.full(npar, np.nan), "vcov": np.full((npar, npar), np.nan),
           "loglik": np.nan, "k": k, "p": p, "levels": levels, "n_obs": len(y)}  # fmt: skip
    if k < 1 or np.linalg.matrix_rank(x) < p or len(y) <= npar:
        return bad
    cum = np.cumsum(np.bincount(np.searchsorted(levels, y), minlength=k + 1))[:-1] / len(y)
    par = np.concatenate([special.logit(np.clip(cum, 1e-6, 1 - 1e-6)), np.zeros(p)])
    ll = _loglik(par, k, yr, xr, w)
    status = "not_converged"
    for _ in range(200):
        grad, hess = _derivatives(par, k, yr, xr, w)
        try:
            step = np.linalg.solve(hess, grad)
        except np.linalg.LinAlgError:
            break
        if float(np.max(np.abs(grad))) < 1e-10 * max(1.0, abs(ll)):
            status = "ok"
            break
        t = 1.0
        while t > 1e-10:  # step halving keeps the thresholds ordered and the likelihood rising
            new = par - t * step
            new_ll = _loglik(new, k, yr, xr, w)
            if new_ll >= ll - 1e-12 * abs(ll):
                break
            t /= 2
        if t <= 1e-10:
            break
        par, ll = new, new_ll
    grad, hess = _derivatives(par, k, yr, xr, w)
    try:
        vcov = np.linalg.inv(-hess)
    except np.linalg.LinAlgError:
        return bad | {"status": "not_converged", "par": par}
    if not np.all(np.linalg.eigvalsh(-hess) > 0):
        status = "not_converged"
    return {"status": status, "par": par, "vcov": vcov, "loglik": ll, "k": k, "p": p, "levels": levels,
            "n_obs": len(y)}  # fmt: skip


def clm(
    data: pd.DataFrame,
    *,
    covariates: list[str] | str | None = None,
    by: str | None = None,
    reference_group: str | None = None,
    families: pd.DataFrame | None = None,
    adjust: str = "holm",
    adjust_over: str = "domains",
    conf_level: float = 0.95,
) -> MixedModelResult:
    """Cumulative-logit (proportional-odds) model per domain, without random effects (``ordinal::clm``).

    ``logit P(score ≤ j) = θ_j − x'β`` as ``ordinal::clm(factor(score, ordered = TRUE) ~ wave)``:
    a positive wave effect means higher scores at that wave.  The families' repeated scores are
    treated as independent, so use :func:`clmm` for inference about change; ``clm`` is the
    model for a single wave, the no-random-effect baseline of a likelihood-ratio test of the
    family variance (:func:`likelihood_ratio_test`), and the check that the random effect matters.

    Parameters
    ----------
    data : DataFrame
        The canonical long assessment frame.
    covariates, by, reference_group, families
        As in :func:`mixed_model` (the intercept is absorbed by the thresholds).
    adjust : str, default "holm"
        Adjustment of wave-contrast and omnibus p-values (``p_adjusted``): any method of
        :func:`impactkit.p_adjust`.
    adjust_over : {"domains", "all"}, default "domains"
        One family of tests per wave contrast across domains, or all contrasts together.
    conf_level : float, default 0.95

    Returns
    -------
    MixedModelResult
        One row per domain × term with columns ``domain, [by, group, reference_group,] term,
        reference, estimate, se, z, p_value, p_adjusted, adjust_method, ci_low, ci_high,
        n_families, n_obs, loglik, status``: thresholds ``"1|2"``, ... , wave effects (log odds ratios against the
        wave named in ``reference``) and covariates, with Wald z (normal reference, as
        ``summary(clm)``).  ``.omnibus`` has Wald χ² tests of wave; ``.fit_statistics`` logLik,
        AIC and BIC per domain (parameters: thresholds and β).
        ``.group_contrasts`` (with ``by``): each group minus the reference group, at the first
        wave (``intercept``), in the change since it (later waves) and averaged over the waves,
        with Wald z.

    Notes
    -----
    Missing data: every observed score is used; nothing is imputed.  Independence of the rows
    is assumed, which repeated assessments of one family violate: the SEs are then too small.

    Examples
    --------
    >>> import pandas as pd, impactkit as ik
    >>> from impactkit.measures import clm
    >>> rows = [(f"f{i}", w, s) for i, (a, b) in enumerate([(1, 2), (2, 2), (1, 3), (3, 3), (2, 3),
    ...         (2, 1), (1, 1), (3, 3), (2, 3), (1, 2)]) for w, s in (("intake", a), ("year1", b))]
    >>> df = pd.DataFrame(rows, columns=["family_id", "wave", "score"]).assign(domain="housing")
    >>> clm(ik.canonical(df))[["term", "estimate", "se"]].round(2)
        term  estimate    se
    0    1|2     -0.34  0.61
    1    2|3      1.26  0.68
    2  year1      1.20  0.86
    """
    adjust = check_adjust(adjust, "clm")
    check_choice("adjust_over", "clm", adjust_over, ["domains", "all"])
    design = build_design(
        data, covariates=covariates, by=by, families=families, func="clm", reference_group=reference_group
    )
    crit = stats.norm.ppf(0.5 + conf_level / 2)
    rows, omni, fits, group_rows = [], [], {}, []
    for d, domain in enumerate(design.domains):
        sel = design.domain == d
        if not sel.any():
            continue
        fit = _fit(design.y[sel], design.x[sel][:, 1:]) | {"n_families": len(np.unique(design.family[sel]))}
        fits[d] = fit
        rows += _rows(design, domain, fit, crit)
        omni += _wald(design, domain, _as_clmm(fit))
        group_rows += wald_group_rows(design, domain, fit["par"], fit["vcov"], offset=fit["k"],
                                      crit=crit, common={"n_families": fit["n_families"], "status": fit["status"]})  # fmt: skip
    table, omnibus = finish_tables(
        rows, omni, design, adjust, adjust_over, func="clm", needs="two levels and variation needed"
    )
    notes = [
        "Cumulative-logit model without random effects, logit P(score ≤ j) = θ_j − η, maximum likelihood "
        "(as ordinal::clm); the rows of one family are treated as independent, so SEs ignore clustering.",
        f"Wave effects are log odds ratios of a higher score vs {design.waves[0]!r}; Wald z tests; "
        f"p_adjusted: {adjust_note(adjust, adjust_over)}.",
        *design.notes,
    ]
    meta = {"fit_statistics": _stats(design, fits), "fixed_effects": list(design.columns), "adjust": adjust,
            "adjust_over": adjust_over, "conf_level": conf_level, "waves": design.waves, "by": design.by,
            "omnibus": omnibus, "notes": notes, "instrument": design.instrument, "model": "clm",
            "group_contrasts": finish_group_table(group_rows, design, adjust, adjust_over),
            "reference_group": design.reference_group}  # fmt: skip
    return MixedModelResult(table, meta=meta)


class _Shape:
    def __init__(self, k: int) -> None:
        self.k = k


def _as_clmm(fit: dict) -> dict:
    """The shape :func:`._ordinal._wald` reads: parameters with a trailing (unused) log s."""
    par = np.concatenate([np.asarray(fit["par"], float), [-np.inf]])
    n = len(par)
    vcov = np.full((n, n), np.nan)
    vcov[:-1, :-1] = fit["vcov"]
    return {"par": par, "vcov": vcov, "model": _Shape(int(fit["k"])), "status": fit["status"]}


def _rows(design: Design, domain: str, fit: dict, crit: float) -> list[dict]:
    k, p, levels = fit["k"], fit["p"], fit["levels"]
    par, vcov = fit["par"], fit["vcov"]
    common = {
        "n_families": fit["n_families"],
        "n_obs": fit["n_obs"],
        "loglik": fit["loglik"],
        "status": fit["status"],
    }
    terms: list[tuple[str | None, str, np.ndarray]] = []
    for j in range(k):
        ell = np.zeros(k + p)
        ell[j] = 1.0
        terms.append((None, f"{_level(levels[j])}|{_level(levels[j + 1])}", ell))
    for grp, term, ell in design.contrasts():
        if term != "intercept":
            terms.append((grp, term, np.concatenate([np.zeros(k), ell[1:]])))
    out = []
    for grp, term, ell in terms:
        var = float(ell @ vcov @ ell)
        est, se = float(ell @ par), float(np.sqrt(var)) if var >= 0 else np.nan
        z = est / se if se > 0 else np.nan
        out.append({"domain": domain, "group": grp, "term": term, "estimate": est, "se": se, "z": z,
                    "p_value": 2 * stats.norm.sf(abs(z)), "ci_low": est - crit * se,
                    "ci_high": est + crit * se} | common)  # fmt: skip
    return out


def _stats(design: Design, fits: dict[int, dict]) -> pd.DataFrame:
    out = []
    for d, fit in fits.items():
        k = fit["k"] + fit["p"]
        ll = fit["loglik"] if fit["status"] != "too_few" else np.nan
        out.append({"domain": design.domains[d], "model": "clm", "method": "ML", "loglik": ll, "n_par": k,
                    "aic": -2 * ll + 2 * k, "bic": -2 * ll + k * np.log(fit["n_obs"]), "criterion": -2 * ll,
                    "n_obs": fit["n_obs"], "n_families": fit["n_families"], "status": fit["status"]})  # fmt: skip
    frame = pd.DataFrame(out)
    frame["domain"] = pd.Categorical(frame["domain"], categories=design.domains)
    return frame
