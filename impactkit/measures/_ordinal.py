"""Cumulative-logit mixed model per domain: the ordinal alternative to :func:`mixed_model`.

``logit P(score ≤ j | family i) = θ_j − η − b_i``,  ``η = x'β``,  ``b_i ~ N(0, s²)`` (the sign
convention of ``ordinal::clmm``: a positive coefficient means higher scores are more likely).
The marginal likelihood of a family is integrated by adaptive Gauss-Hermite quadrature with
``n_agq`` nodes (10, as ``clmm(nAGQ = 10)``): per family the mode û and curvature D of
``log p(y_i | u) − u²/2`` (u = b/s) are found by vectorised Newton steps, and the nodes are
``û + √(2/D) x_k``.  The parameters (ordered thresholds via log increments, β, log s) are
estimated by BFGS; standard errors come from a central-difference Hessian of the log-likelihood
in (θ, β, log s), as ``clmm`` takes them from ``numDeriv::hessian``.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
from scipy import optimize, special, stats

from impactkit.errors import ParameterError, check_choice
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

__all__ = ["clmm"]

_LATENT_VAR = np.pi**2 / 3  # variance of the standard logistic distribution


class _Clmm:
    """Negative log-likelihood of one domain, with warm-started modes of the random effects."""

    def __init__(
        self, y: np.ndarray, x: np.ndarray, cluster: np.ndarray, n_agq: int, weights: np.ndarray
    ) -> None:
        self.weights = weights  # families sharing each cluster's response pattern
        self.levels = np.unique(y)
        self.k = len(self.levels) - 1  # number of thresholds
        self.yi = np.searchsorted(self.levels, y)
        self.x = x
        self.cluster = cluster
        self.n_cl = int(cluster.max()) + 1
        nodes, weights = np.polynomial.hermite.hermgauss(n_agq)
        self.nodes = nodes
        self.log_w = np.log(weights) + nodes**2
        self.u = np.zeros(self.n_cl)
        self.p = x.shape[1]
        self.modes_converged = True
        self.n_families = self.n_cl

    def unpack(self, par: np.ndarray) -> tuple[np.ndarray, np.ndarray, float]:
        return par[: self.k], par[self.k : self.k + self.p], float(np.exp(par[-1]))

    def _bounds(self, theta: np.ndarray, eta: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        ext = np.concatenate([[-np.inf], theta, [np.inf]])
        return ext[self.yi + 1] - eta, ext[self.yi] - eta

    @staticmethod
    def _logp(a: np.ndarray, c: np.ndarray) -> np.ndarray:
        """log(F(a) − F(c)) for the logistic F, stable in the tails."""
        with np.errstate(divide="ignore", invalid="ignore"):
            top = np.isinf(a)
            mid = np.log(special.expit(a) - special.expit(c))
            # 1 − F(c) = F(−c);  F(a) − 0 = F(a)
            out = np.where(top, special.log_expit(-c), np.where(np.isinf(c), special.log_expit(a), mid))
        return out

    def _modes(self, a0: np.ndarray, c0: np.ndarray, s: float) -> tuple[np.ndarray, np.ndarray]:
        """Newton for û per cluster of h(u) = Σ log p(y | s u) − u²/2; returns û and D = −h''(û)."""
        u = self.u.copy()
        cl = self.cluster
        for _ in range(200):
            b = s * u[cl]
            fa, fc = special.expit(a0 - b), special.expit(c0 - b)
            da, dc = fa * (1 - fa), fc * (1 - fc)
            pr = np.maximum(fa - fc, 1e-300)
            r = (da - dc) / pr
            g1 = -r  # d log p / d b
            g2 = (da * (1 - 2 * fa) - dc * (1 - 2 * fc)) / pr - r**2
            grad = s * np.bincount(cl, weights=g1, minlength=self.n_cl) - u
            hess = s**2 * np.bincount(cl, weights=g2, minlength=self.n_cl) - 1.0
            step = np.clip(grad / hess, -1.0, 1.0)  # damped: h is concave, full steps can overshoot
            u = u - step
            if np.max(np.abs(step)) < 1e-11:
                break
        else:
            self.modes_converged = False
        self.u = u
        return u, -hess

    def nll(self, par: np.ndarray) -> float:
        theta, beta, s = self.unpack(par)
        if np.any(np.diff(theta) <= 0) or not np.isfinite(s):
            return np.inf
        a0, c0 = self._bounds(theta, self.x @ beta)
        u_hat, d = self._modes(a0, c0, s)
        scale = np.sqrt(2.0 / d)
        nodes = u_hat[:, None] + scale[:, None] * self.nodes[None, :]  # (clusters, n_agq)
        b = s * nodes[self.cluster]
        lp = self._logp(a0[:, None] - b, c0[:, None] - b)
        h = np.stack([np.bincount(self.cluster, weights=lp[:, k], minlength=self.n_cl)
                      for k in range(len(self.nodes))], axis=1) - nodes**2 / 2  # fmt: skip
        log_li = special.logsumexp(h + self.log_w[None, :], axis=1) + np.log(scale) - 0.5 * np.log(2 * np.pi)
        return float(-(self.weights @ log_li))

    def nll_free(self, free: np.ndarray) -> float:
        """Unconstrained: θ_1, log(θ_j − θ_{j−1}), β, log s."""
        theta = np.cumsum(np.concatenate([free[:1], np.exp(free[1 : self.k])]))
        return self.nll(np.concatenate([theta, free[self.k :]]))


def _start(model: _Clmm) -> np.ndarray:
    cum = np.cumsum(np.bincount(model.yi, minlength=model.k + 1))[:-1] / len(model.yi)
    theta = special.logit(np.clip(cum, 1e-3, 1 - 1e-3))
    theta = np.maximum.accumulate(theta + np.arange(model.k) * 1e-3)
    return np.concatenate([theta[:1], np.log(np.diff(theta)), np.zeros(model.p), [np.log(0.5)]])


def _hessian(f, x: np.ndarray, h: float = 1e-4) -> np.ndarray:
    n = len(x)
    out = np.empty((n, n))
    f0 = f(x)
    e = np.eye(n) * h
    for i in range(n):
        out[i, i] = (f(x + e[i]) - 2 * f0 + f(x - e[i])) / h**2
        for j in range(i):
            out[i, j] = out[j, i] = (
                f(x + e[i] + e[j]) - f(x + e[i] - e[j]) - f(x - e[i] + e[j]) + f(x - e[i] - e[j])
            ) / (4 * h**2)
    return out


def _collapse(
    y: np.ndarray, x: np.ndarray, fam: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, int]:
    """Keep one family per distinct response pattern (its rows' x and y), weighted by its count.

    Families with the same pattern contribute identical likelihood terms, so this is exact; with
    a wave-only design and a 1–5 scale there are at most 6³ patterns however many families.
    """
    cluster = np.unique(fam, return_inverse=True)[1]
    row_code = np.unique(np.column_stack([x, y]), axis=0, return_inverse=True)[1].ravel()
    order = np.lexsort((row_code, cluster))
    c_sorted = cluster[order]
    n_fam = int(c_sorted[-1]) + 1
    start = np.searchsorted(c_sorted, np.arange(n_fam))
    pos = np.arange(len(order)) - start[c_sorted]
    width = int(pos.max()) + 1
    grid = np.full((n_fam, width), -1, dtype=np.int64)
    grid[c_sorted, pos] = row_code[order]
    _, first, pattern, counts = np.unique(grid, axis=0, return_index=True, return_inverse=True,
                                          return_counts=True)  # fmt: skip
    keep = np.isin(cluster, first)
    rep = np.full(n_fam, -1)
    rep[first] = np.arange(len(first))
    del pattern
    return y[keep], x[keep], rep[cluster[keep]], counts.astype(float), n_fam


def _fit_domain(y: np.ndarray, x: np.ndarray, fam: np.ndarray, n_agq: int) -> dict[str, object]:
    y_r, x_r, cluster, weights, n_fam = _collapse(y, x, fam)
    model = _Clmm(y_r, x_r, cluster, n_agq, weights)
    model.n_families = n_fam
    n_par = model.k + model.p + 1
    bad = {"status": "too_few", "par": np.full(n_par, np.nan), "vcov": np.full((n_par, n_par), np.nan),
           "loglik": np.nan, "model": model}  # fmt: skip
    if model.k < 1 or n_fam < 2 or np.linalg.matrix_rank(x) < model.p or len(y) <= n_fam:
        return bad
    with warnings.catch_warnings(record=True):
        warnings.simplefilter("always")
        res = optimize.minimize(model.nll_free, _start(model), method="BFGS", options={"gtol": 1e-7})
        model.u[:] = 0.0
        res = optimize.minimize(model.nll_free, res.x, method="BFGS", options={"gtol": 1e-8})
        free = res.x
        theta = np.cumsum(np.concatenate([free[:1], np.exp(free[1 : model.k])]))
        par = np.concatenate([theta, free[model.k :]])
        model.modes_converged = True
        hess = _hessian(model.nll, par)
        par, hess, decrement = _polish(model, par, hess)
        boundary = _fit_boundary(model, par) if np.exp(par[-1]) < 0.05 else None  # compare with s = 0
    if boundary is not None and -model.nll(boundary[0]) >= -model.nll(par) - 1e-7:
        return {"status": "singular", "par": boundary[0], "vcov": boundary[1],
                "loglik": -model.nll(boundary[0]), "model": model}  # fmt: skip
    try:
        vcov = np.linalg.inv(hess)
    except np.linalg.LinAlgError:
        return bad | {"status": "not_converged", "par": par}
    converged = (res.success or decrement < 1e-6) and model.modes_converged
    status = "ok" if converged and np.all(np.linalg.eigvalsh(hess) > 0) else "not_converged"
    if status == "ok" and np.exp(par[-1]) < 1e-4:
        status = "singular"
    return {"status": status, "par": par, "vcov": vcov, "loglik": -model.nll(par), "model": model}


def _polish(model: _Clmm, par: np.ndarray, hess: np.ndarray) -> tuple[np.ndarray, np.ndarray, float]:
    """Newton steps in (θ, β, log s) from BFGS's answer; returns the Newton decrement g'H⁻¹g.

    BFGS's gradient test is absolute, so with many families (a log-likelihood of 10⁵ and more) it
    stops short; the decrement is scale-free: half of it is the log-likelihood still to gain.
    """
    decrement = np.inf
    for _ in range(4):
        if np.exp(par[-1]) < 0.05 or not np.all(np.linalg.eigvalsh(hess) > 0):
            break
        grad = _gradient(model.nll, par)
        step = np.linalg.solve(hess, grad)
        decrement = float(grad @ step)
        if decrement < 1e-10:
            break
        new = par - step
        if np.any(np.diff(new[: model.k]) <= 0) or model.nll(new) > model.nll(par):
            break
        par, hess = new, _hessian(model.nll, new)
    return par, hess, decrement


def _gradient(f, x: np.ndarray, h: float = 1e-5) -> np.ndarray:
    e = np.eye(len(x)) * h
    return np.array([(f(x + e[i]) - f(x - e[i])) / (2 * h) for i in range(len(x))])


def _fit_boundary(model: _Clmm, par: np.ndarray) -> tuple[np.ndarray, np.ndarray] | None:
    """Maximum likelihood with the family SD fixed at 0; vcov of (θ, β) from that fit."""
    k = model.k

    def nll0(free: np.ndarray) -> float:
        return model.nll_free(np.concatenate([free, [-np.inf]]))

    start = np.concatenate([par[:1], np.log(np.diff(par[:k])), par[k:-1]])
    res = optimize.minimize(nll0, start, method="BFGS", options={"gtol": 1e-8})
    theta = np.cumsum(np.concatenate([res.x[:1], np.exp(res.x[1:k])]))
    est = np.concatenate([theta, res.x[k:], [-np.inf]])
    hess = _hessian(lambda q: model.nll(np.concatenate([q, [-np.inf]])), est[:-1])
    try:
        inner = np.linalg.inv(hess)
    except np.linalg.LinAlgError:
        return None
    vcov = np.full((len(est), len(est)), np.nan)
    vcov[:-1, :-1] = inner
    return est, vcov


def clmm(
    data: pd.DataFrame,
    *,
    covariates: list[str] | str | None = None,
    by: str | None = None,
    reference_group: str | None = None,
    families: pd.DataFrame | None = None,
    adjust: str = "holm",
    adjust_over: str = "domains",
    conf_level: float = 0.95,
    n_agq: int = 10,
) -> MixedModelResult:
    """Cumulative-logit (proportional-odds) mixed model with a random family intercept, per domain.

    ``logit P(score ≤ j) = θ_j − η − b_family`` as ``ordinal::clmm(factor(score, ordered = TRUE) ~
    wave + (1 | family), nAGQ = 10)``; a positive wave effect means higher scores at that wave.
    Suited to short ordinal scales (1–5) where a mean is a questionable summary.

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
    n_agq : int, default 10
        Adaptive Gauss-Hermite nodes; 1 is the Laplace approximation.

    Returns
    -------
    MixedModelResult
        One row per domain × term with columns ``domain, [by, group, reference_group,] term,
        reference, estimate, se, z, p_value, p_adjusted, adjust_method, ci_low, ci_high,
        var_family, var_residual, icc, n_families, n_obs, loglik, status``.  Terms are the
        thresholds (``"1|2"``, ``"2|3"``, ...: cut-points on the latent logit scale between
        adjacent observed levels), the wave effects (log odds ratios vs the first wave, named in
        ``reference``) and covariates.  ``z`` is the Wald z (normal reference, as
        ``summary(clmm)``); ``var_family`` is s², ``var_residual`` π²/3 (the latent logistic
        variance) and ``icc`` their ratio.  ``.omnibus`` holds Wald χ² tests of wave (``chi2, df1,
        p_value, p_adjusted``); ``.fit_statistics`` logLik, AIC and BIC per domain (the number of
        parameters counts thresholds, β and the family SD, as ``logLik(clmm)``).
        ``.group_contrasts`` (with ``by``): each group minus the reference group, at the first
        wave (``intercept``), in the change since it (later waves) and averaged over the waves,
        with Wald z.

    Notes
    -----
    Missing data: all observed scores are used (NaN and absent rows are the same); valid under
    missing at random like :func:`mixed_model`.  Levels never observed in a domain get no
    threshold.  Warnings from the optimiser are not shown; a fit that did not converge has status
    ``not_converged``.

    Examples
    --------
    >>> import pandas as pd, impactkit as ik
    >>> from impactkit.measures import clmm
    >>> rows = [(f"f{i}", w, s) for i, (a, b) in enumerate([(1, 2), (2, 2), (1, 3), (3, 3), (2, 3),
    ...         (2, 1), (1, 1), (3, 3), (2, 3), (1, 2)]) for w, s in (("intake", a), ("year1", b))]
    >>> df = pd.DataFrame(rows, columns=["family_id", "wave", "score"]).assign(domain="housing")
    >>> clmm(ik.canonical(df))[["term", "estimate", "se"]].round(2)
        term  estimate    se
    0    1|2     -0.58  0.99
    1    2|3      1.95  1.20
    2  year1      1.89  1.18
    """
    if not isinstance(n_agq, int | np.integer) or isinstance(n_agq, bool) or n_agq < 1:
        raise ParameterError(
            f"The 'n_agq' parameter of clmm must be a positive integer. Got {n_agq!r} instead."
        )
    adjust = check_adjust(adjust, "clmm")
    check_choice("adjust_over", "clmm", adjust_over, ["domains", "all"])
    design = build_design(
        data, covariates=covariates, by=by, families=families, func="clmm", reference_group=reference_group
    )
    crit = stats.norm.ppf(0.5 + conf_level / 2)
    rows, omni, group_rows = [], [], []
    fits = {}
    for d, domain in enumerate(design.domains):
        sel = design.domain == d
        if not sel.any():
            continue
        fit = _fit_domain(design.y[sel], design.x[sel][:, 1:], design.family[sel], n_agq)
        fits[d] = fit | {"n_obs": int(sel.sum())}
        rows += _rows(design, domain, fit, sel, crit)
        omni += _wald(design, domain, fit)
        group_rows += wald_group_rows(design, domain, fit["par"], fit["vcov"],
                                      offset=fit["model"].k, crit=crit,  # type: ignore[attr-defined]
                                      common={"n_families": len(np.unique(design.family[sel])), "status": fit["status"]})  # fmt: skip
    table, omnibus = finish_tables(
        rows,
        omni,
        design,
        adjust,
        adjust_over,
        func="clmm",
        needs="two families, two levels and variation needed",
    )
    notes = [
        f"Cumulative-logit mixed model, logit P(score ≤ j) = θ_j − η − b_family, adaptive "
        f"Gauss-Hermite quadrature with {n_agq} nodes (as ordinal::clmm(nAGQ = {n_agq})).",
        f"Wave effects are log odds ratios of a higher score vs {design.waves[0]!r}; Wald z tests; "
        f"p_adjusted: {adjust_note(adjust, adjust_over)}.",
        *design.notes,
    ]
    meta = {"fit_statistics": _fit_stats(design, fits, "clmm"), "fixed_effects": list(design.columns),
            "adjust": adjust, "adjust_over": adjust_over, "conf_level": conf_level, "waves": design.waves, "by": design.by, "omnibus": omnibus,
            "notes": notes, "instrument": design.instrument, "model": "clmm", "n_agq": n_agq,
            "group_contrasts": finish_group_table(group_rows, design, adjust, adjust_over),
            "reference_group": design.reference_group}  # fmt: skip
    return MixedModelResult(table, meta=meta)


def _fit_stats(design: Design, fits: dict[int, dict], model: str) -> pd.DataFrame:
    """logLik, AIC and BIC per domain (ML; parameters: thresholds, β and, for clmm, the family SD)."""
    out = []
    for d, fit in fits.items():
        m = fit["model"]
        k = m.k + m.p + (1 if model == "clmm" else 0)
        ll = fit["loglik"] if fit["status"] != "too_few" else np.nan
        out.append({"domain": design.domains[d], "model": model, "method": "ML", "loglik": ll, "n_par": k,
                    "aic": -2 * ll + 2 * k, "bic": -2 * ll + k * np.log(fit["n_obs"]), "criterion": -2 * ll,
                    "n_obs": fit["n_obs"], "n_families": int(m.n_families), "status": fit["status"]})  # fmt: skip
    frame = pd.DataFrame(out)
    frame["domain"] = pd.Categorical(frame["domain"], categories=design.domains)
    return frame


def _level(v: float) -> str:
    return f"{v:g}"


def _rows(design: Design, domain: str, fit: dict, sel: np.ndarray, crit: float) -> list[dict]:
    model = fit["model"]
    par, vcov = fit["par"], fit["vcov"]
    k, p = model.k, model.p
    s2 = float(np.exp(2 * par[-1]))
    common = {"var_family": s2, "var_residual": _LATENT_VAR, "icc": s2 / (s2 + _LATENT_VAR),
              "n_families": int(model.n_families), "n_obs": int(sel.sum()), "loglik": fit["loglik"],
              "status": fit["status"]}  # fmt: skip
    terms: list[tuple[str | None, str, np.ndarray]] = []
    for j in range(k):
        ell = np.zeros(k + p + 1)
        ell[j] = 1.0
        terms.append((None, f"{_level(model.levels[j])}|{_level(model.levels[j + 1])}", ell))
    for grp, term, ell in design.contrasts():
        if term == "intercept":
            continue
        terms.append((grp, term, np.concatenate([np.zeros(k), ell[1:], [0.0]])))
    out = []
    for grp, term, ell in terms:
        ell = ell[:-1]  # no reported term involves log s (which is -inf at the boundary)
        var = float(ell @ vcov[:-1, :-1] @ ell)
        est, se = float(ell @ par[:-1]), float(np.sqrt(var)) if var >= 0 else np.nan
        z = est / se if se > 0 else np.nan
        out.append({"domain": domain, "group": grp, "term": term, "estimate": est, "se": se,
                    "z": z, "p_value": 2 * stats.norm.sf(abs(z)), "ci_low": est - crit * se,
                    "ci_high": est + crit * se} | common)  # fmt: skip
    return out


def _wald(design: Design, domain: str, fit: dict) -> list[dict]:
    k = fit["model"].k
    out = []
    for grp, term, ell in design.omnibus_tests(np.eye(len(design.columns))):
        big = np.hstack([np.zeros((ell.shape[0], k)), ell[:, 1:]])
        lb = big @ fit["par"][:-1]
        try:
            chi2 = float(lb @ np.linalg.solve(big @ fit["vcov"][:-1, :-1] @ big.T, lb))
        except np.linalg.LinAlgError:
            chi2 = np.nan
        chi2 = chi2 if chi2 >= 0 else np.nan  # an indefinite vcov (no convergence) gives no test
        out.append({"domain": domain, "group": grp, "term": term, "chi2": chi2, "df1": ell.shape[0],
                    "p_value": stats.chi2.sf(chi2, ell.shape[0]), "status": fit["status"]})  # fmt: skip
    return out
