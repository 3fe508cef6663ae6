"""MMRM: a mixed model for repeated measures with an unstructured covariance over the waves.

``score ~ wave (+ by × wave) (+ covariates)`` per domain with ``cov(y_i) = Σ[O_i, O_i]``: one free
variance per wave and one covariance per pair of waves (T(T+1)/2 parameters), fitted by REML, with
Satterthwaite df for every contrast.  This is the model of R's ``mmrm`` package (``us(wave |
family)``) and of ``nlme::gls(correlation = corSymm(), weights = varIdent(form = ~ 1 | wave))``.

Written out because it is cheap: families with the same set of observed waves O share
``Σ[O, O]``, so the REML criterion only needs, per missingness pattern, the sums
``A[j, k] = Σ_i x_ij x_ik'``, ``B[j, k] = Σ_i x_ij y_ik`` and ``C[j, k] = Σ_i y_ij y_ik`` over its
families (j, k its waves).  With Σ = LL' (log-Cholesky parameters θ) the criterion

    -2 ℓ_R = Σ_s n_s log|Σ_s| + log|X'V⁻¹X| + r'V⁻¹r + (N - p) log 2π

and its analytic gradient ``Σ_s [n_s Σ_s⁻¹ - Σ_s⁻¹ (W_s + R_s) Σ_s⁻¹]`` (``W_s[j, k] = tr(M⁻¹ A_s[j, k])``,
``R_s`` the residual cross-products; ML drops the log|X'V⁻¹X| term and W) cost microseconds per
evaluation however many families there are.  The optimum is found by BFGS and polished by Newton
steps; the Satterthwaite df ``2 (L C L')² / (g' A g)`` use ``A = 2 H⁻¹`` from the Hessian of
the criterion (central differences of the analytic gradient) and the analytic ``∂C/∂θ``, with
``C = (X'V⁻¹X)⁻¹``.  The df do not depend on how Σ is parameterised (at the optimum).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import optimize

from impactkit.errors import DesignError, check_choice
from impactkit.measures._adjust import check_adjust
from impactkit.measures._mixed_design import Design, adjust_note, build_design
from impactkit.measures._mixed_result import MixedModelResult
from impactkit.measures._model_tables import DomainModel, fit_statistics, tabulate
from impactkit.measures._satterthwaite import Satterthwaite, vcov_varpar

__all__ = ["mmrm"]


@dataclass
class _Pattern:
    waves: np.ndarray  # indices of the observed waves
    count: int
    a: np.ndarray  # (n, n, p, p)
    b: np.ndarray  # (n, n, p)
    c: np.ndarray  # (n, n)


class _Criterion:
    """The (RE)ML criterion of one domain as a function of the log-Cholesky parameters θ."""

    def __init__(self, patterns: list[_Pattern], n_waves: int, n_obs: int, p: int, reml: bool) -> None:
        self.patterns = patterns
        self.t = n_waves
        self.n_obs = n_obs
        self.p = p
        self.reml = reml
        self.tril = np.tril_indices(n_waves)

    def sigma(self, theta: np.ndarray) -> np.ndarray:
        low = np.zeros((self.t, self.t))
        low[self.tril] = theta
        low[np.diag_indices(self.t)] = np.exp(np.diag(low))
        return low @ low.T

    def _parts(self, sigma: np.ndarray) -> tuple[list[np.ndarray], np.ndarray, np.ndarray, float, float]:
        inv, logdet = [], 0.0
        m = np.zeros((self.p, self.p))
        g = np.zeros(self.p)
        h = 0.0
        for pat in self.patterns:
            s = sigma[np.ix_(pat.waves, pat.waves)]
            chol = np.linalg.cholesky(s)
            si = np.linalg.inv(s)
            inv.append(si)
            logdet += pat.count * 2.0 * float(np.log(np.diag(chol)).sum())
            m += np.einsum("jk,jkab->ab", si, pat.a)
            g += np.einsum("jk,jka->a", si, pat.b)
            h += float(np.sum(si * pat.c))
        return inv, m, g, h, logdet

    def value(self, theta: np.ndarray) -> float:
        try:
            _, m, g, h, logdet = self._parts(self.sigma(theta))
            beta = np.linalg.solve(m, g)
            sign, logdet_m = np.linalg.slogdet(m)
        except np.linalg.LinAlgError:
            return np.inf
        if sign <= 0:
            return np.inf
        q = h - g @ beta
        dof = self.n_obs - self.p if self.reml else self.n_obs
        return float(logdet + q + dof * np.log(2 * np.pi) + (logdet_m if self.reml else 0.0))

    def gradient_sigma(self, sigma: np.ndarray) -> np.ndarray:
        """d(criterion)/dΣ as a symmetric matrix G with d(criterion) = tr(G dΣ)."""
        inv, m, g, _, _ = self._parts(sigma)
        m_inv = np.linalg.inv(m)
        beta = m_inv @ g
        grad = np.zeros((self.t, self.t))
        for pat, si in zip(self.patterns, inv, strict=True):
            xb = np.einsum("jkab,b->jka", pat.a, beta)  # Σ_i x_ij x_ik'β
            e = np.einsum("jka,a->jk", pat.b, beta)  # Σ_i (x_ij'β) y_ik
            f = np.einsum("jka,a->jk", xb, beta)  # Σ_i (x_ij'β)(x_ik'β)
            resid = pat.c - e - e.T + f
            inner = resid + (np.einsum("ab,jkba->jk", m_inv, pat.a) if self.reml else 0.0)
            block = pat.count * si - si @ inner @ si
            grad[np.ix_(pat.waves, pat.waves)] += block
        return grad

    def gradient(self, theta: np.ndarray) -> np.ndarray:
        low = np.zeros((self.t, self.t))
        low[self.tril] = theta
        diag = np.exp(np.diag(low))
        low[np.diag_indices(self.t)] = diag
        try:
            gs = self.gradient_sigma(low @ low.T)
        except np.linalg.LinAlgError:
            return np.full(len(theta), np.nan)
        dl = 2.0 * gs @ low
        dl[np.diag_indices(self.t)] *= diag
        return dl[self.tril]

    def vcov_and_jacobian(self, theta: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """β̂, C = (X'V⁻¹X)⁻¹ and ∂C/∂θ_m (analytic) at θ."""
        sigma = self.sigma(theta)
        inv, m, g, _, _ = self._parts(sigma)
        c = np.linalg.inv(m)
        low = np.zeros((self.t, self.t))
        low[self.tril] = theta
        low[np.diag_indices(self.t)] = np.exp(np.diag(low))
        jac = []
        for r, col in zip(*self.tril, strict=True):
            dl = np.zeros((self.t, self.t))
            dl[r, col] = low[r, col] if r == col else 1.0  # d L / d θ (log on the diagonal)
            ds = dl @ low.T + low @ dl.T
            dm = np.zeros((self.p, self.p))
            for pat, si in zip(self.patterns, inv, strict=True):
                dsi = -si @ ds[np.ix_(pat.waves, pat.waves)] @ si
                dm += np.einsum("jk,jkab->ab", dsi, pat.a)
            jac.append(-c @ dm @ c)
        return c @ g, c, np.array(jac)


def _patterns(design: Design, sel: np.ndarray) -> tuple[list[_Pattern], int, int]:
    """Per missingness pattern the cross-product sums of one domain; (patterns, families, n_waves)."""
    fam, wave = design.family[sel], design.wave[sel]  # type: ignore[index]
    x, y = design.x[sel], design.y[sel]
    n_w = len(design.waves)
    codes, fam_c = np.unique(fam, return_inverse=True)
    nf, p = len(codes), x.shape[1]
    key = fam_c * n_w + wave
    if np.bincount(key, minlength=nf * n_w).max() > 1:
        raise DesignError("mmrm: a family has two rows for one wave in a domain; one row per wave is needed.")
    x3 = np.zeros((nf, n_w, p))
    y2 = np.zeros((nf, n_w))
    mask = np.zeros((nf, n_w), dtype=bool)
    x3[fam_c, wave] = x
    y2[fam_c, wave] = y
    mask[fam_c, wave] = True
    bits = mask @ (1 << np.arange(n_w))
    out = []
    for code in np.unique(bits):
        idx = np.flatnonzero(bits == code)
        waves = np.flatnonzero((int(code) >> np.arange(n_w)) & 1)
        xs, ys = x3[idx][:, waves], y2[idx][:, waves]
        out.append(_Pattern(waves, len(idx), np.einsum("ija,ikb->jkab", xs, xs, optimize=True),
                            np.einsum("ija,ik->jka", xs, ys, optimize=True), ys.T @ ys))  # fmt: skip
    return out, nf, n_w


def _start(patterns: list[_Pattern], n_w: int, p: int) -> np.ndarray:
    """log-Cholesky θ of the covariance of the OLS residuals (pairwise-complete sums)."""
    a = sum(np.einsum("jjab->ab", pat.a) for pat in patterns)
    b = sum(np.einsum("jja->a", pat.b) for pat in patterns)
    beta = np.linalg.lstsq(a, b, rcond=None)[0]
    num = np.zeros((n_w, n_w))
    den = np.zeros((n_w, n_w))
    for pat in patterns:
        e = np.einsum("jka,a->jk", pat.b, beta)
        f = np.einsum("jkab,a,b->jk", pat.a, beta, beta)
        num[np.ix_(pat.waves, pat.waves)] += pat.c - e - e.T + f
        den[np.ix_(pat.waves, pat.waves)] += pat.count
    cov = num / np.maximum(den, 1)
    d = np.sqrt(np.maximum(np.diag(cov), 1e-8))
    corr = np.clip(cov / np.outer(d, d), -0.9, 0.9)
    np.fill_diagonal(corr, 1.0)
    cov = corr * np.outer(d, d)
    try:
        low = np.linalg.cholesky(cov)
    except np.linalg.LinAlgError:
        low = np.diag(d)
    low[np.diag_indices(n_w)] = np.log(np.diag(low))
    return low[np.tril_indices(n_w)]


def _hessian(crit: _Criterion, theta: np.ndarray) -> np.ndarray:
    """Central differences of the analytic gradient, symmetrised."""
    k = len(theta)
    h = np.empty((k, k))
    for i in range(k):
        step = 1e-5 * max(1.0, abs(theta[i]))
        e = np.zeros(k)
        e[i] = step
        h[:, i] = (crit.gradient(theta + e) - crit.gradient(theta - e)) / (2 * step)
    return (h + h.T) / 2


def _fit_domain(
    design: Design, d: int, reml: bool, cells: dict[tuple[int, int], int]
) -> tuple[DomainModel, np.ndarray | None]:
    sel = design.domain == d
    p = design.x.shape[1]
    patterns, nf, n_w = _patterns(design, sel)
    n_obs = int(sel.sum())
    n_par = p + n_w * (n_w + 1) // 2
    xtx = sum(np.einsum("jjab->ab", pat.a) for pat in patterns)
    x_mean = xtx[0] / n_obs  # column 0 is the intercept
    pair = np.zeros((n_w, n_w))
    for pat in patterns:
        pair[np.ix_(pat.waves, pat.waves)] += pat.count
    too_few = (
        nf < 2
        or n_obs - p <= 0
        or np.linalg.matrix_rank(design.x[sel]) < p
        or (pair < 2).any()
        or np.ptp(design.y[sel]) == 0
    )
    if too_few:
        model = DomainModel(
            "too_few", np.full(p, np.nan), None, np.nan, n_par, n_obs, nf, np.nan, x_mean, {}, cells, xtx
        )
        return model, None
    crit = _Criterion(patterns, n_w, n_obs, p, reml)
    theta = _start(patterns, n_w, p)
    res = optimize.minimize(
        crit.value, theta, jac=crit.gradient, method="BFGS", options={"gtol": 1e-9, "maxiter": 500}
    )
    theta = res.x
    hess = _hessian(crit, theta)
    for _ in range(10):  # Newton polish: BFGS's gradient test is absolute
        grad = crit.gradient(theta)
        try:
            step = np.linalg.solve(hess, grad)
        except np.linalg.LinAlgError:
            break
        if not np.all(np.isfinite(step)) or float(grad @ step) < 1e-16:
            break
        new = theta - step
        if crit.value(new) > crit.value(theta) + 1e-12 * abs(crit.value(theta)):
            break
        theta = new
        hess = _hessian(crit, theta)
    grad = crit.gradient(theta)
    decrement = float(grad @ np.linalg.lstsq(hess, grad, rcond=None)[0])
    a_varpar, posdef = vcov_varpar(hess)
    status = "ok" if posdef and decrement < 1e-8 else "not_converged"
    beta, vcov, jac = crit.vcov_and_jacobian(theta)
    value = crit.value(theta)
    sigma = crit.sigma(theta)
    return (
        DomainModel(status, beta, Satterthwaite(vcov, jac, a_varpar), -value / 2, n_par, n_obs, nf, value,
                    x_mean, {}, cells, xtx),
        sigma,
    )  # fmt: skip


def mmrm(
    data: pd.DataFrame,
    *,
    covariates: list[str] | str | None = None,
    by: str | None = None,
    reference_group: str | None = None,
    families: pd.DataFrame | None = None,
    method: str = "reml",
    adjust: str = "holm",
    adjust_over: str = "domains",
    conf_level: float = 0.95,
) -> MixedModelResult:
    """MMRM per domain: fixed wave effects with an unstructured covariance over the waves (REML).

    Fits ``score ~ wave (+ by × wave) (+ covariates)`` with a free variance for every wave and a
    free covariance for every pair of waves, as R's ``mmrm(score ~ wave + us(wave | family))`` or
    ``nlme::gls(score ~ wave, correlation = corSymm(form = ~ 1 | family), weights =
    varIdent(form = ~ 1 | wave), method = "REML")``, with Satterthwaite df.  Unlike the random-
    intercept model it assumes nothing about how the waves correlate, so it is the standard
    primary analysis of a repeated-measures trial (Mallinckrodt et al. 2008).

    Parameters
    ----------
    data : DataFrame
        The canonical long assessment frame.
    covariates, by, reference_group, families
        As in :func:`mixed_model` (covariates may vary within a family).
    method : {"reml", "ml"}, default "reml"
    adjust : str, default "holm"
        Adjustment of the wave-contrast, group-contrast and omnibus p-values (any
        :func:`impactkit.p_adjust` method).
    adjust_over : {"domains", "all"}, default "domains"
    conf_level : float, default 0.95

    Returns
    -------
    MixedModelResult
        One row per domain × (group ×) term with columns ``domain, [by, group, reference_group,]
        term, reference, estimate, se, df, t, p_value, p_adjusted, adjust_method, ci_low, ci_high,
        n_families, n_obs, status`` (terms as in :func:`mixed_model`; df Satterthwaite).
        ``.covariance`` holds the estimated covariance per domain (``domain, wave, wave_other,
        covariance, correlation``); ``.omnibus``, ``.group_contrasts``, ``.fit_statistics`` (the
        number of parameters counts the T(T+1)/2 covariance parameters) and
        :meth:`~MixedModelResult.marginal_means` as for :func:`mixed_model`.  ``status`` is ``ok``,
        ``not_converged`` or ``too_few`` (fewer than two families, or a pair of waves that fewer than
        two families share, so their covariance is not identified).

    Notes
    -----
    Missing data: every observed score is used; valid under missing at random given the observed
    scores and covariates (the same assumption as the mixed model, without its compound-symmetry
    restriction).  Families without a families-table row or a covariate are left out (counted in
    ``notes``).

    Examples
    --------
    >>> import impactkit as ik
    >>> data = ik.read_dataset("data/sample", today="2026-11-01").assessments
    >>> res = ik.mmrm(data)
    >>> res.loc[res.domain == "finances", ["term", "reference", "status"]]
            term reference status
    0  intercept    intake     ok
    1      year1    intake     ok
    2      year2    intake     ok
    """
    func = "mmrm"
    check_choice("method", func, method, ["reml", "ml"])
    adjust = check_adjust(adjust, func)
    check_choice("adjust_over", func, adjust_over, ["domains", "all"])
    from impactkit.measures._mixed import check_conf_level

    conf_level = check_conf_level(conf_level, func)
    design = build_design(
        data, covariates=covariates, by=by, families=families, func=func, reference_group=reference_group
    )
    models, cov_rows = {}, []
    cells = design.cells()
    for d in range(len(design.domains)):
        if not cells.get(d) or sum(cells[d].values()) == 0:
            continue
        model, sigma = _fit_domain(design, d, method == "reml", cells[d])
        models[d] = model
        if sigma is not None:
            sd = np.sqrt(np.diag(sigma))
            for j, wj in enumerate(design.waves):
                for k, wk in enumerate(design.waves):
                    cov_rows.append({"domain": design.domains[d], "wave": wj, "wave_other": wk,
                                     "covariance": sigma[j, k], "correlation": sigma[j, k] / (sd[j] * sd[k])})  # fmt: skip
    if all(not m.fitted for m in models.values()):
        raise DesignError(
            f"{func}: no domain can be fitted. Each needs two families, every pair of waves observed together "
            "in at least two families, and scores that vary."
        )
    table, omnibus, groups = tabulate(design, models, adjust=adjust, adjust_over=adjust_over, conf_level=conf_level,
                                      func=func, needs="two families sharing every pair of waves")  # fmt: skip
    from impactkit.measures._mixed import _reference_note, _spec

    notes = [
        f"score ~ {'wave' if by is None else f'wave * {by}'}"
        + "".join(f" + {c.name}" for c in design.covariates)
        + f", unstructured covariance over the waves ({len(design.waves) * (len(design.waves) + 1) // 2} "
        f"parameters), {method.upper()}, per domain; df Satterthwaite.",
        _reference_note(design) + f"; p_adjusted: {adjust_note(adjust, adjust_over)}.",
        *design.notes,
    ]
    bad = {st: sum(m.status == st for m in models.values()) for st in ("not_converged", "too_few")}
    notes += [f"{n} domain(s) with status {st!r}." for st, n in bad.items() if n]
    covariance = pd.DataFrame(cov_rows)
    if len(covariance):
        covariance["domain"] = pd.Categorical(covariance["domain"], categories=design.domains)
    meta = {
        "method": method, "ddf": "satterthwaite", "adjust": adjust, "adjust_over": adjust_over,
        "conf_level": conf_level, "waves": design.waves, "by": design.by, "reference_group": design.reference_group,
        "time": "wave", "covariates": design.covariate_columns, "omnibus": omnibus, "group_contrasts": groups,
        "fit_statistics": fit_statistics(design, models, method=method, model="mmrm"), "covariance": covariance,
        "notes": notes, "instrument": design.instrument, "model": "mmrm",
        "criterion": {design.domains[d]: m.criterion for d, m in models.items()},
        "fixed_effects": list(design.columns), "_design": _spec(design), "_models": models,
    }  # fmt: skip
    return MixedModelResult(table, meta=meta)
