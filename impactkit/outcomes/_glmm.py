"""Count GLMMs with a random family intercept: Poisson and negative binomial, Laplace or adaptive GH.

``y_ij ~ Poisson(μ_ij)`` or ``NB2(μ_ij, θ)`` (variance ``μ + μ²/θ``, glmmTMB's ``nbinom2``) with
``log μ_ij = o_ij + x_ij'β + b_i``, ``b_i ~ N(0, σ²)``, where ``o_ij = log(exposure)`` is an offset.

The marginal likelihood of family *i*, ``∫ Π_j p(y_ij | σu) φ(u) du``, is integrated by adaptive
Gauss-Hermite quadrature with ``n_agq`` nodes (1 is the Laplace approximation, as ``glmmTMB`` and
``lme4::glmer(nAGQ = 1)``; 10 is ``glmer(nAGQ = 10)``).  Per family the mode û and curvature D of
``h(u) = Σ_j log p(y_ij | σu) − u²/2`` come from vectorised Newton steps (h is strictly concave for
both families), the nodes are ``û + √(2/D) x_k``.  The parameters (β, log σ, log θ) are estimated by
BFGS on the exact gradient and polished by Newton steps; standard errors come from the Hessian (forward
differences of the exact gradient), as glmmTMB's ``sdreport`` and lme4's ``vcov`` take them from a Hessian.

At scale: families with identical data are one weighted group (counts are small whole numbers, so 100,000
families have some 20,000 to 60,000 distinct patterns), and the NB2 density is written so that it stays
exact as θ grows (``y η − (y + θ) log1p(μ/θ)`` plus ``Σ_{m<y} log1p(m/θ)``), which lets θ → ∞ meet the
Poisson instead of cancelling to noise.

Scope: one scalar random intercept per family (the design of before / during / after per family).
"""

from __future__ import annotations

import copy
import warnings
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy import optimize, special

__all__ = ["GlmmFit", "fit_count_glmm"]

_LARGE_THETA = 100.0  # from here on, check whether θ = ∞ (the Poisson) fits at least as well
# log-likelihood units: on the flat way to θ = ∞ the NB can end a hair above the Poisson (quadrature and
# optimiser noise; 4e-6 on the sample's crisis contacts at θ ≈ 1e6): a gain this small is no evidence of
# overdispersion (a likelihood-ratio statistic of 2e-4), so the maximum is the boundary, the Poisson
_FLAT = 1e-4
# BFGS stops at this gradient; Newton steps polish from there (at scale the log-likelihood's rounding,
# ~1e-16 of its size, is above the change BFGS's line search would need to see near 1e-6)
_GTOL = 1e-3
# below this family SD, compare with σ = 0: the likelihood is flat there (its slope in log σ goes as σ²),
# so an optimiser stops anywhere below ~0.01 on data without a family effect
_SMALL_SD = 0.05
_BLOCK = 1 << 15  # elements of a (groups, rows, nodes) block of the quadrature: cache-sized
_SERIES_MAX = 100_000  # lgamma(y + θ) − lgamma(θ) as a sum of logs up to this many events


@dataclass
class GlmmFit:
    """The fitted parameters of one count GLMM (``theta`` is ``inf`` for the Poisson)."""

    beta: np.ndarray
    vcov: np.ndarray  # of beta
    sd_family: float
    theta: float
    loglik: float
    status: str  # ok, singular (σ at 0), not_converged, too_few
    n_families: int
    n_obs: int


class _CountModel:
    """Negative marginal log-likelihood of one outcome and its exact gradient.

    Families with identical data (the same rows of count, design and offset; counts are small whole
    numbers, so at scale many families share a pattern) are one *group* with a weight: the likelihood is
    a product over families, so a group's log-likelihood counts as often as it occurs.  Each group's rows
    sit in a padded ``(groups, rows)`` layout (``mask`` marks real rows); the quadrature runs over blocks
    of groups so its ``(groups, rows, nodes)`` arrays stay small (cache-sized, bounded memory).
    """

    def __init__(
        self, y: np.ndarray, x: np.ndarray, offset: np.ndarray, cluster: np.ndarray, family: str, n_agq: int
    ) -> None:
        n, p = x.shape
        y, x, offset = np.asarray(y, float), np.asarray(x, float), np.asarray(offset, float)
        # a family's rows together, in a canonical order (its likelihood does not depend on the order)
        order = np.lexsort((offset, y, *x.T[::-1], cluster))
        y, x, offset, cl = y[order], x[order], offset[order], cluster[order]
        starts = np.flatnonzero(np.r_[True, cl[1:] != cl[:-1]])
        n_rows = np.diff(np.r_[starts, n])
        width, n_fam, rows = p + 3, len(starts), int(n_rows.max())
        fam = np.repeat(np.arange(n_fam), n_rows)
        slot = np.arange(n) - np.repeat(starts, n_rows)
        packed = np.zeros((n_fam, rows, width))
        packed[fam, slot, 0] = 1.0
        packed[fam, slot, 1] = y
        packed[fam, slot, 2] = offset
        packed[fam, slot, 3:] = x
        groups, counts = np.unique(packed.reshape(n_fam, -1), axis=0, return_counts=True)
        groups = groups.reshape(-1, rows, width)
        self.mask, self.y, self.offset, self.x = (
            groups[:, :, 0],
            groups[:, :, 1],
            groups[:, :, 2],
            groups[:, :, 3:],
        )
        self.full = bool(np.all(self.mask == 1.0))
        self.weight = counts.astype(float)
        self.n_groups, self.n_fam, self.rows = len(counts), n_fam, rows
        self.family, self.p = family, p
        real = self.mask == 1.0
        row_weight = np.broadcast_to(self.weight[:, None], self.mask.shape)[real]
        # the flat (row-level) data with weights, for the GLM start and the boundary σ = 0
        self.flat = (self.y[real], self.x[real], self.offset[real], row_weight)
        values, inverse = np.unique(self.y[real], return_inverse=True)
        self.y_values, self.y_weight = values, np.bincount(inverse, weights=row_weight)
        self.lgy = float(self.y_weight @ special.gammaln(values + 1))
        self.set_nodes(n_agq)
        self.u = np.zeros(self.n_groups)
        self.modes_converged = True

    def set_nodes(self, n_agq: int) -> None:
        nodes, weights = np.polynomial.hermite.hermgauss(n_agq)
        self.n_agq, self.nodes, self.log_w = n_agq, nodes, np.log(weights) + nodes**2
        self.block = max(1, _BLOCK // (self.rows * n_agq))

    def poisson(self) -> _CountModel:
        """The same data under the Poisson (the NB2's limit θ = ∞)."""
        out = copy.copy(self)
        out.family, out.u, out.modes_converged = "poisson", self.u.copy(), True
        return out

    def n_par(self) -> int:
        return self.p + 1 + (self.family == "negbin")

    def unpack(self, par: np.ndarray) -> tuple[np.ndarray, float, float]:
        theta = float(np.exp(par[self.p + 1])) if self.family == "negbin" else np.inf
        return par[: self.p], float(np.exp(par[self.p])), theta

    # -------------------------------------------------------------- pieces of log p(y | η)
    def _constant(self, theta: float) -> tuple[float, float]:
        """Σ of the parts of log p(y | η) free of η, and their derivative in log θ.

        NB2: ``lgamma(y + θ) − lgamma(θ) − y log θ − lgamma(y + 1)``, with the η-part written as
        ``y η − (y + θ) log(1 + μ/θ)``: both stay exact as θ grows (the textbook split into
        ``θ log θ`` and ``(y + θ) log(θ + μ)`` cancels to noise near θ = 1e6 and past it).
        For whole counts, ``lgamma(y + θ) − lgamma(θ) − y log θ = Σ_{m<y} log1p(m/θ)``.
        """
        if self.family == "poisson":
            return -self.lgy, 0.0
        v, w = self.y_values, self.y_weight
        top = float(v.max()) if len(v) else 0.0
        if np.all(v == np.round(v)) and top <= _SERIES_MAX:
            m = np.arange(int(top))
            c = np.r_[0.0, np.cumsum(np.log1p(m / theta))]
            dc = np.r_[0.0, np.cumsum(-m / (theta + m))]  # θ ∂/∂θ
            idx = v.astype(int)
            return float(w @ c[idx]) - self.lgy, float(w @ dc[idx])
        c = special.gammaln(v + theta) - special.gammaln(theta) - v * np.log(theta)
        dc = theta * (special.digamma(v + theta) - special.digamma(theta)) - v
        return float(w @ c) - self.lgy, float(w @ dc)

    def _rows(self, eta: np.ndarray, theta: float, y: np.ndarray, grad: bool) -> tuple[Any, ...]:
        """log p(y | η) without the constant, and (with grad) its η- and log θ-derivatives."""
        mu = np.exp(eta)
        if self.family == "poisson":
            ell = y * eta - mu
            return (ell, y - mu, None) if grad else (ell,)
        r = mu / theta
        log1 = np.log1p(r)
        ell = y * eta - (y + theta) * log1
        if not grad:
            return (ell,)
        q = 1.0 / (1.0 + r)
        rq = r * q
        return ell, q * (y - mu), theta * (rq - log1) + y * rq

    def _mode_derivs(self, eta: np.ndarray, theta: float) -> tuple[Any, ...]:
        """η-derivatives 1 to 3 at the modes, and θ ∂/∂θ of the first two (NB2)."""
        mu = np.exp(eta)
        y = self.y
        if self.family == "poisson":
            return y - mu, -mu, -mu, None, None
        r = mu / theta
        q = 1.0 / (1.0 + r)
        d2 = -(1.0 + y / theta) * mu * q * q
        return (
            q * (y - mu),
            d2,
            d2 * (1.0 - r) * q,
            (y - mu) * r * q * q,
            -r * q**3 * (y * (r - 1.0) + 2.0 * mu),
        )

    def _rowsum(self, v: np.ndarray) -> np.ndarray:
        return v.sum(axis=1) if self.full else (v * self.mask).sum(axis=1)

    # -------------------------------------------------------------- modes of h(u) per group
    def _modes(self, eta0: np.ndarray, s: float, theta: float) -> np.ndarray:
        u = self.u.copy()
        active = np.arange(self.n_groups)
        for _ in range(200):
            e0 = eta0[active]
            mu = np.exp(e0 + s * u[active, None])
            y = self.y[active]
            if self.family == "poisson":
                d1, d2 = y - mu, -mu
            else:
                q = theta / (theta + mu)
                d1, d2 = q * (y - mu), -(1.0 + y / theta) * mu * q * q
            if not self.full:
                d1, d2 = d1 * self.mask[active], d2 * self.mask[active]
            grad = s * d1.sum(axis=1) - u[active]
            hess = s**2 * d2.sum(axis=1) - 1.0
            step = np.clip(grad / hess, -1.0, 1.0)  # damped: exp() makes full steps overshoot far out
            u[active] -= step
            active = active[~(np.abs(step) < 1e-11)]
            if not len(active):
                break
        else:
            self.modes_converged = False
        if np.all(np.isfinite(u)):
            self.u = u
        return u

    # -------------------------------------------------------------- the likelihood
    def nll(self, par: np.ndarray) -> float:
        return self.evaluate(par, grad=False)[0]

    def nll_grad(self, par: np.ndarray) -> tuple[float, np.ndarray]:
        return self.evaluate(par, grad=True)

    def evaluate(self, par: np.ndarray, *, grad: bool) -> tuple[float, np.ndarray]:
        """The negative log-likelihood and (with ``grad``) its exact gradient in (β, log σ, log θ).

        The nodes move with the parameters (û and D are functions of them); their derivatives come
        from implicit differentiation of h'(û) = 0: dû = ∂h'(û) / D, dD = −(∂h''(û) + h'''(û) dû).
        """
        n_par, p, nb = len(par), self.p, self.family == "negbin"
        fail = (np.inf, np.full(n_par, np.nan))
        beta, s, theta = self.unpack(par)
        if (
            not np.all(np.isfinite(beta))
            or not np.isfinite(s)
            or not 0 < theta <= np.inf
            or (nb and theta == np.inf)
        ):
            return fail
        const, dconst = self._constant(theta)
        eta0 = self.offset + self.x @ beta
        wt = self.weight
        if s == 0.0:  # the boundary: no family effect, an ordinary GLM
            ell = self._rows(eta0, theta, self.y, False)[0]
            value = float(-(wt @ self._rowsum(ell) + const))
            return (value if np.isfinite(value) else np.inf), np.full(n_par, np.nan)
        u_hat = self._modes(eta0, s, theta)
        m1, m2, m3, t1, t2 = self._mode_derivs(eta0 + s * u_hat[:, None], theta)
        s2 = self._rowsum(m2)
        d = 1.0 - s**2 * s2  # D = −h''(û)
        scale = np.sqrt(2.0 / d)
        nodes = u_hat[:, None] + scale[:, None] * self.nodes[None, :]  # (groups, K)
        log_li = np.empty(self.n_groups)
        if grad:
            g_beta_rows = np.empty(self.y.shape)  # Σ_k w_k ∂ℓ/∂η per group row
            g_s = np.empty(self.n_groups)
            g_t = np.zeros(self.n_groups)
            a_move = np.empty(self.n_groups)
            b_move = np.empty(self.n_groups)
        xk = self.nodes
        for lo in range(0, self.n_groups, self.block):
            sl = slice(lo, lo + self.block)
            nd = nodes[sl]
            eta = eta0[sl, :, None] + s * nd[:, None, :]
            parts = self._rows(eta, theta, self.y[sl, :, None], grad)
            ell = parts[0] if self.full else parts[0] * self.mask[sl, :, None]
            lw = ell.sum(axis=1) - nd**2 / 2 + self.log_w
            top = lw.max(axis=1, keepdims=True)
            e = np.exp(lw - top)
            tot = e.sum(axis=1, keepdims=True)
            log_li[sl] = (top + np.log(tot))[:, 0]
            if not grad:
                continue
            w = e / tot  # the weight of each node in the group's likelihood
            d1 = parts[1] if self.full else parts[1] * self.mask[sl, :, None]
            sd1 = d1.sum(axis=1)  # (g, K)
            g_beta_rows[sl] = np.einsum("gjk,gk->gj", d1, w)
            g_s[sl] = s * np.einsum("gk,gk,gk->g", w, sd1, nd)
            if nb:
                tl = parts[2] if self.full else parts[2] * self.mask[sl, :, None]
                g_t[sl] = np.einsum("gjk,gk->g", tl, w)
            whp = w * (s * sd1 - nd)  # w_k h'(u_k)
            a_move[sl] = whp.sum(axis=1)
            b_move[sl] = whp @ xk
        log_li += np.log(scale) - 0.5 * np.log(2 * np.pi)
        value = float(-(wt @ log_li + const))
        if not np.isfinite(value):
            return fail
        if not grad:
            return value, np.full(n_par, np.nan)
        # derivatives of the modes and curvatures (implicit differentiation)
        x = self.x
        mk = (lambda v: v) if self.full else (lambda v: v * self.mask)
        s1, s3 = self._rowsum(m1), self._rowsum(m3)
        dh1 = np.empty((self.n_groups, n_par))  # ∂h'(û) per parameter
        dh2 = np.empty((self.n_groups, n_par))  # ∂h''(û)
        dh1[:, :p] = s * np.einsum("gj,gjr->gr", mk(m2), x)
        dh2[:, :p] = s**2 * np.einsum("gj,gjr->gr", mk(m3), x)
        dh1[:, p] = s * s1 + s**2 * u_hat * s2  # d/dlog σ = σ d/dσ
        dh2[:, p] = 2 * s**2 * s2 + s**3 * u_hat * s3
        if nb:
            dh1[:, p + 1] = s * self._rowsum(t1)
            dh2[:, p + 1] = s**2 * self._rowsum(t2)
        du = dh1 / d[:, None]
        dd = -(dh2 + (s**3 * s3)[:, None] * du)
        dscale = -0.5 * scale[:, None] * dd / d[:, None]  # ds = −½ s dD / D
        out = np.empty(n_par)
        out[:p] = np.einsum("g,gj,gjr->r", wt, g_beta_rows, x)
        out[p] = wt @ g_s
        if nb:
            out[p + 1] = wt @ g_t + dconst
        out += wt @ (a_move[:, None] * du + b_move[:, None] * dscale + dscale / scale[:, None])
        return value, -out


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


def _glm_start(y: np.ndarray, x: np.ndarray, offset: np.ndarray, weight: np.ndarray) -> np.ndarray:
    """Poisson GLM by IRLS (the starting values of β); rows weighted by how often they occur."""
    beta = np.zeros(x.shape[1])
    beta[0] = np.log(max(weight @ y, 0.5) / (weight @ np.exp(offset))) if x.shape[1] else 0.0
    for _ in range(50):
        mu = np.exp(x @ beta + offset)
        z = x @ beta + (y - mu) / mu
        wx = x * (weight * mu)[:, None]
        new = np.linalg.lstsq(x.T @ wx, wx.T @ z, rcond=None)[0]
        if np.max(np.abs(new - beta)) < 1e-10:
            return new
        beta = new
    return beta


def _minimise(model: _CountModel, start: np.ndarray) -> tuple[np.ndarray, bool]:
    with warnings.catch_warnings(record=True):
        warnings.simplefilter("always")
        res = optimize.minimize(model.nll_grad, start, jac=True, method="BFGS", options={"gtol": 1e-6})
    return res.x, bool(res.success)


def _positive(hess: np.ndarray) -> bool:
    return bool(np.all(np.isfinite(hess)) and np.all(np.linalg.eigvalsh(hess) > 0))


def _jac_hessian(
    model: _CountModel, par: np.ndarray, grad: np.ndarray | None = None, h: float = 1e-5
) -> np.ndarray:
    """Forward differences of the exact gradient, symmetrised (n gradient evaluations)."""
    g0 = model.nll_grad(par)[1] if grad is None else grad
    e = np.eye(len(par)) * h
    hess = np.array([(model.nll_grad(par + e[i])[1] - g0) / h for i in range(len(par))])
    return (hess + hess.T) / 2


def _optimise(model: _CountModel, start: np.ndarray) -> tuple[np.ndarray, bool]:
    """BFGS from the start, its first inverse Hessian from differences of the gradient there."""
    grad = model.nll_grad(start)[1]
    hess = _jac_hessian(model, start, grad)
    inv = None
    if _positive(hess):
        inv = np.linalg.inv(hess)
        inv = (inv + inv.T) / 2
        if not _positive(inv):
            inv = None
    with warnings.catch_warnings(record=True):
        warnings.simplefilter("always")
        res = optimize.minimize(model.nll_grad, start, jac=True, method="BFGS",
                                options={"gtol": _GTOL, "hess_inv0": inv})  # fmt: skip
    return res.x, bool(res.success)


def _polish(model: _CountModel, par: np.ndarray) -> tuple[np.ndarray, np.ndarray, float]:
    """Newton steps from the optimiser's answer; returns the parameters, their Hessian and g'H⁻¹g."""
    value, grad = model.nll_grad(par)
    hess = _jac_hessian(model, par, grad)
    decrement, moved = np.inf, np.zeros(len(par))
    for _ in range(6):
        if not _positive(hess) or not np.all(np.isfinite(grad)):
            break
        step = np.linalg.solve(hess, grad)
        decrement = float(grad @ step)
        if decrement < 1e-12:
            break
        new = par - step
        new_value, new_grad = model.nll_grad(new)
        if new_value > value + 1e-12 * abs(value):  # worse beyond rounding
            break
        par, value, grad, moved = new, new_value, new_grad, moved + step
    if np.max(np.abs(moved)) > 1e-4:  # the Hessian of the answer, not of where polishing began
        hess = _jac_hessian(model, par, grad)
    return par, hess, decrement


def fit_count_glmm(
    y: np.ndarray,
    x: np.ndarray,
    offset: np.ndarray,
    family_ids: np.ndarray,
    *,
    family: str = "negbin",
    n_agq: int = 10,
) -> GlmmFit:
    """Fit ``y ~ x + offset(offset) + (1 | family)`` by maximum (AGQ / Laplace) likelihood.

    ``family`` is ``"poisson"`` or ``"negbin"`` (NB2).  A negative binomial whose θ runs off to
    infinity (no overdispersion beyond the family effect) is the Poisson model: it is returned as
    the Poisson fit with ``theta = inf``.  A family SD at the boundary (σ = 0) gives status
    ``singular`` and the GLM's estimates (σ reported as 0).
    """
    cluster = np.unique(family_ids, return_inverse=True)[1]
    n_fam, n_obs, p = int(cluster.max()) + 1 if len(cluster) else 0, len(y), x.shape[1]
    nan = GlmmFit(
        np.full(p, np.nan), np.full((p, p), np.nan), np.nan, np.nan, np.nan, "too_few", n_fam, n_obs
    )
    if n_fam < 2 or np.linalg.matrix_rank(x) < p or n_obs <= p:
        return nan
    model = _CountModel(y, x, offset, cluster, family, n_agq)
    beta0 = _glm_start(*model.flat)
    start = np.concatenate([beta0, [np.log(0.5)], [0.0] if family == "negbin" else []])
    return _fit(model, start, nan)


def _fit(model: _CountModel, start: np.ndarray, nan: GlmmFit) -> GlmmFit:
    p = model.p
    par, success = _optimise(model, start)
    model.modes_converged = True
    if model.family == "negbin" and par[p + 1] > np.log(_LARGE_THETA):
        # θ heading for infinity: the likelihood is flat there; if the Poisson (θ = ∞) fits at least
        # as well, the maximum is at the boundary and the Poisson fit is the answer (started from
        # the NB's estimates, which are close to it)
        poisson = _fit(model.poisson(), par[: p + 1], nan)
        if poisson.status != "too_few" and poisson.loglik >= -model.nll(par) - _FLAT:
            return poisson
    par, hess, decrement = _polish(model, par)
    status = "ok" if (success or decrement < 1e-6) and model.modes_converged else "not_converged"
    if np.exp(par[p]) < _SMALL_SD:  # compare with the boundary σ = 0
        bpar, bhess = _boundary(model, par)
        if bpar is not None and model.nll(bpar) <= model.nll(par) + 1e-7:
            par, hess, status = bpar, bhess, "singular"
    free = [i for i in range(len(par)) if np.isfinite(par[i])]
    try:
        inner = np.linalg.inv(hess[np.ix_(free, free)])
    except np.linalg.LinAlgError:
        return _as_status(copy.copy(nan), "not_converged")
    vcov = np.full((len(par), len(par)), np.nan)
    vcov[np.ix_(free, free)] = inner
    if status == "ok" and not np.all(np.linalg.eigvalsh(hess[np.ix_(free, free)]) > 0):
        status = "not_converged"
    beta, s, theta = model.unpack(par)
    return GlmmFit(beta, vcov[:p, :p], s, theta, -model.nll(par), status, nan.n_families, nan.n_obs)


def _as_status(fit: GlmmFit, status: str) -> GlmmFit:
    fit.status = status
    return fit


def _boundary(model: _CountModel, par: np.ndarray) -> tuple[np.ndarray | None, np.ndarray]:
    """Maximum likelihood with σ fixed at 0 (log σ = −inf); the Hessian of the other parameters."""
    p = model.p
    keep = [i for i in range(len(par)) if i != p]

    def full(q: np.ndarray) -> np.ndarray:
        out = np.empty(len(par))
        out[keep] = q
        out[p] = -np.inf
        return out

    with warnings.catch_warnings(record=True):
        warnings.simplefilter("always")
        res = optimize.minimize(
            lambda q: model.nll(full(q)), par[keep], method="BFGS", options={"gtol": 1e-9}
        )
    inner = _hessian(lambda q: model.nll(full(q)), res.x)
    hess = np.full((len(par), len(par)), np.nan)
    hess[np.ix_(keep, keep)] = inner
    return full(res.x), hess
