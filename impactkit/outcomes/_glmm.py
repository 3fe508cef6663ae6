"""Count GLMMs with a random family intercept: Poisson and negative binomial, Laplace or adaptive GH.

``y_ij ~ Poisson(μ_ij)`` or ``NB2(μ_ij, θ)`` (variance ``μ + μ²/θ``, glmmTMB's ``nbinom2``) with
``log μ_ij = o_ij + x_ij'β + b_i``, ``b_i ~ N(0, σ²)``, where ``o_ij = log(exposure)`` is an offset.

The marginal likelihood of family *i*, ``∫ Π_j p(y_ij | σu) φ(u) du``, is integrated by adaptive
Gauss-Hermite quadrature with ``n_agq`` nodes (1 is the Laplace approximation, as ``glmmTMB`` and
``lme4::glmer(nAGQ = 1)``; 10 is ``glmer(nAGQ = 10)``).  Per family the mode û and curvature D of
``h(u) = Σ_j log p(y_ij | σu) − u²/2`` come from vectorised Newton steps (h is strictly concave for
both families), the nodes are ``û + √(2/D) x_k``.  The parameters (β, log σ, log θ) are estimated by
BFGS on the exact gradient and polished by Newton steps; standard errors come from the exact Hessian (the
quadrature differentiated twice, nodes moving with the parameters), as glmmTMB's ``sdreport`` and lme4's
``vcov`` take them from a Hessian.

At scale (the estimator is the same, only the route to its maximum changes):

* families with identical data are one weighted group (counts are small whole numbers: 100,000 sample
  families have 17,000 to 66,000 distinct patterns per outcome);
* the NB2 density is written to stay exact as θ grows (``y (η − log θ) − (y + θ) log1p(μ/θ)`` plus
  ``lgamma(y + θ) − lgamma(θ)`` as ``y log θ + Σ_{m<y} log1p(m/θ)``), so θ → ∞ meets the Poisson
  instead of cancelling to noise;
* the Poisson's quadrature needs only ``Σ y`` and ``Σ exp(η₀)`` per family; a negative binomial is
  started from the Poisson fit, which is the answer when the NB's slope at θ = ∞ shows no overdispersion;
* BFGS runs on a 7-node quadrature first; Newton steps on the full ``n_agq`` nodes finish from there.

Scope: one scalar random intercept per family (the design of before / during / after per family).
"""

from __future__ import annotations

import copy
import warnings
from collections.abc import Callable
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
# BFGS stops at this gradient; Newton steps polish from there (the log-likelihood's rounding, ~1e-16 of
# its size, hides the changes BFGS's line search would need to see much closer to the maximum)
_GTOL = 1e-8  # relative to the size of −log L
# below this family SD, compare with σ = 0: the likelihood is flat there (its slope in log σ goes as σ²),
# so an optimiser stops anywhere below ~0.01 on data without a family effect
_SMALL_SD = 0.05
_COARSE = 7  # nodes of the first pass of the optimiser (see _optimise)
_BOUNDARY_THETA = 1e8  # the NB's slope in θ is taken here as its slope at θ = ∞
_BLOCK = 1 << 15  # elements of a (groups, nodes) block of the NB2's quadrature: cache-sized
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
    a product over families, so a group's log-likelihood counts as often as it occurs.  A group's rows sit
    in a padded ``(rows, groups)`` layout (``mask`` marks real rows).  The Poisson needs per group only
    ``Σ y`` and ``Σ exp(η₀)`` at each node; the NB2 runs its quadrature over blocks of groups, so its
    ``(groups, nodes)`` arrays stay cache-sized and memory stays bounded.
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
        flat = packed.reshape(n_fam, -1)
        keys = [c for c in flat.T if not np.all(c == c[0])]  # lexsort on the columns that vary
        flat = flat[np.lexsort(keys[::-1])] if keys else flat
        first = np.flatnonzero(np.r_[True, np.any(flat[1:] != flat[:-1], axis=1)])
        groups, counts = flat[first], np.diff(np.r_[first, n_fam])
        groups = np.ascontiguousarray(groups.reshape(-1, rows, width).transpose(1, 0, 2))  # (rows, groups, ·)
        self.mask, self.y, self.offset = (
            groups[:, :, 0].copy(),
            groups[:, :, 1].copy(),
            groups[:, :, 2].copy(),
        )
        self.x = groups[:, :, 3:].copy()
        self.full = bool(np.all(self.mask == 1.0))
        self.weight = counts.astype(float)
        self.n_groups, self.n_fam, self.rows = len(counts), n_fam, rows
        self.family, self.p = family, p
        real = self.mask == 1.0
        row_weight = np.broadcast_to(self.weight[None, :], self.mask.shape)[real]
        # the flat (row-level) data with weights, for the GLM start and the boundary σ = 0
        self.flat = (self.y[real], self.x[real], self.offset[real], row_weight)
        values, inverse = np.unique(self.y[real], return_inverse=True)
        self.y_values, self.y_weight = values, np.bincount(inverse, weights=row_weight)
        self.lgy = float(self.y_weight @ special.gammaln(values + 1))
        self.y_total = float(self.y_weight @ values)
        # the Poisson's sufficient statistics per group: Σ y, Σ y x, Σ y o
        self.sum_y = (self.y * self.mask).sum(axis=0)
        self.sum_yx = np.einsum("jg,jgr->gr", self.y * self.mask, self.x)
        self.sum_yo = (self.y * self.mask * self.offset).sum(axis=0)
        self.set_nodes(n_agq)
        self.u = np.zeros(self.n_groups)
        self.modes_converged = True

    def set_nodes(self, n_agq: int) -> None:
        nodes, weights = np.polynomial.hermite.hermgauss(n_agq)
        self.n_agq, self.nodes, self.log_w = n_agq, nodes, np.log(weights) + nodes**2
        self.block = max(1, _BLOCK // n_agq)

    def poisson(self) -> _CountModel:
        """The same data under the Poisson (the NB2's limit θ = ∞)."""
        out = copy.copy(self)
        out.family, out.u, out.modes_converged = "poisson", self.u.copy(), True
        return out

    def theta_moments(self, fit: GlmmFit) -> float:
        """A start for θ: the moment estimate ``Σ μ² / Σ ((y − μ)² − y)`` at a Poisson fit's modes."""
        mu = np.exp(self._eta0(fit.beta) + fit.sd_family * self.u)
        excess = _wsum(self.weight, self._msum((self.y - mu) ** 2 - self.y))
        theta = _wsum(self.weight, self._msum(mu**2)) / excess if excess > 0 else _LARGE_THETA
        return float(np.clip(theta, 1e-2, _LARGE_THETA))

    def n_par(self) -> int:
        return self.p + 1 + (self.family == "negbin")

    def unpack(self, par: np.ndarray) -> tuple[np.ndarray, float, float]:
        theta = float(np.exp(par[self.p + 1])) if self.family == "negbin" else np.inf
        return par[: self.p], float(np.exp(par[self.p])), theta

    # -------------------------------------------------------------- pieces of log p(y | η)
    def _constant(self, theta: float) -> tuple[float, float]:
        """Σ of the parts of log p(y | η) free of η, and their derivative in log θ.

        NB2: ``lgamma(y + θ) − lgamma(θ) − lgamma(y + 1)``, with the η-part written as
        ``y (η − log θ) − (y + θ) log(1 + μ/θ)``: both stay exact as θ grows (the textbook split into
        ``θ log θ`` and ``(y + θ) log(θ + μ)`` cancels to noise near θ = 1e6 and past it).  For whole
        counts ``lgamma(y + θ) − lgamma(θ) = y log θ + Σ_{m<y} log1p(m/θ)``.
        """
        if self.family == "poisson":
            return -self.lgy, 0.0
        v, w = self.y_values, self.y_weight
        top = float(v.max()) if len(v) else 0.0
        lt = np.log(theta)
        if np.all(v == np.round(v)) and top <= _SERIES_MAX:
            m = np.arange(int(top))
            c = np.r_[0.0, np.cumsum(np.log1p(m / theta))]
            dc = np.r_[0.0, np.cumsum(-m / (theta + m))]  # θ ∂/∂θ of the sum
            idx = v.astype(int)
            # θ ∂/∂θ of y log θ (+y) cancels the −y of the η-part's y (η − log θ): both left out
            return float(w @ c[idx]) + self.y_total * lt - self.lgy, float(w @ dc[idx])
        c = special.gammaln(v + theta) - special.gammaln(theta)
        dc = theta * (special.digamma(v + theta) - special.digamma(theta)) - v
        return float(w @ c) - self.lgy, float(w @ dc)

    def _eta0(self, beta: np.ndarray) -> np.ndarray:
        return self.offset + np.einsum("jgr,r->jg", self.x, beta)  # (rows, groups)

    def _msum(self, v: np.ndarray) -> np.ndarray:
        """Sum over a group's real rows (axis 0)."""
        return v.sum(axis=0) if self.full else (v * self.mask).sum(axis=0)

    # -------------------------------------------------------------- modes of h(u) per group
    def _modes(self, eta0: np.ndarray, s: float, theta: float) -> np.ndarray:
        u = self.u.copy()
        active = np.arange(self.n_groups)
        poisson = self.family == "poisson"
        if poisson:
            big_s = self._msum(np.exp(eta0))
            sy = s * self.sum_y
        for _ in range(200):
            ua = u[active]
            if poisson:
                es = np.exp(s * ua) * big_s[active]
                grad = sy[active] - s * es - ua
                hess = -(s**2) * es - 1.0
            else:
                mu = np.exp(eta0[:, active] + s * ua)
                y = self.y[:, active]
                q = theta / (theta + mu)
                d1, d2 = q * (y - mu), -(1.0 + y / theta) * mu * q * q
                if not self.full:
                    d1, d2 = d1 * self.mask[:, active], d2 * self.mask[:, active]
                grad = s * d1.sum(axis=0) - ua
                hess = s**2 * d2.sum(axis=0) - 1.0
            step = np.clip(grad / hess, -1.0, 1.0)  # damped: exp() makes full steps overshoot far out
            u[active] = ua - step
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
        eta0 = self._eta0(beta)
        wt = self.weight
        if s == 0.0:  # the boundary: no family effect, an ordinary GLM
            value = float(-(_wsum(wt, self._msum(self._glm_rows(eta0, theta))) + const))
            return (value if np.isfinite(value) else np.inf), np.full(n_par, np.nan)
        u_hat = self._modes(eta0, s, theta)
        at_mode = self._at_mode(eta0, s, theta, u_hat)
        d = 1.0 - s**2 * at_mode["s2"]  # D = −h''(û)
        scale = np.sqrt(2.0 / d)
        nodes = u_hat[:, None] + scale[:, None] * self.nodes[None, :]  # (groups, K)
        quad = (self._quad_poisson if not nb else self._quad_negbin)(eta0, s, theta, nodes, grad)
        log_li = quad["log_li"] + np.log(scale) - 0.5 * np.log(2 * np.pi)
        value = float(-(_wsum(wt, log_li) + const))
        if not np.isfinite(value):
            return fail
        if not grad:
            return value, np.full(n_par, np.nan)
        # derivatives of the modes and curvatures (implicit differentiation)
        dh1, dh2 = at_mode["dh1"], at_mode["dh2"]  # ∂h'(û), ∂h''(û) per parameter
        du = dh1 / d[:, None]
        dd = -(dh2 + (s**3 * at_mode["s3"])[:, None] * du)
        dscale = -0.5 * scale[:, None] * dd / d[:, None]  # ds = −½ s dD / D
        out = np.empty(n_par)
        out[:p] = _wsum(wt, quad["g_beta"])
        out[p] = _wsum(wt, quad["g_s"])
        if nb:
            out[p + 1] = _wsum(wt, quad["g_t"]) + dconst
        out += _wsum(wt, quad["a"][:, None] * du + quad["b"][:, None] * dscale + dscale / scale[:, None])
        return value, -out

    def hessian(self, par: np.ndarray) -> np.ndarray:
        """The exact Hessian of −log L in (β, log σ, log θ), from the same quadrature as :meth:`evaluate`.

        Per group, log Lᵢ = log Σ_k exp H_k + log c with H_k = h(û + c x_k) + log w_k + x_k² and
        c = √(2/D): its second derivative is Σ_k w̃_k d²H_k + Var_w̃(dH) + d² log c (w̃: the nodes'
        shares of Lᵢ).  The nodes move with the parameters: û and D are differentiated twice,
        implicitly, from h'(û) = 0 and D = −h''(û); that needs h's derivatives in u up to the fourth
        and their first and second derivatives in the parameters (:func:`_phi`, per row).
        """
        n_par, p, nb = len(par), self.p, self.family == "negbin"
        beta, s, theta = self.unpack(par)
        if s == 0.0 or not np.all(np.isfinite(par)):
            return np.full((n_par, n_par), np.nan)
        eta0 = self._eta0(beta)
        u_hat = self._modes(eta0, s, theta)
        out = np.zeros((n_par, n_par))
        step = max(1, self.block // 4)  # groups per block: smaller blocks stay in cache
        for lo in range(0, self.n_groups, step):
            sl = slice(lo, lo + step)
            out += self._hessian_block(eta0[:, sl], u_hat[sl], s, theta, sl)
        if nb:
            out[p + 1, p + 1] += self._constant_curvature(theta)
        return -out

    def _constant_curvature(self, theta: float) -> float:
        """Second derivative in log θ of the NB2's η-free part (see :meth:`_constant`)."""
        v, w = self.y_values, self.y_weight
        top = float(v.max()) if len(v) else 0.0
        if np.all(v == np.round(v)) and top <= _SERIES_MAX:
            m = np.arange(int(top))
            c2 = np.r_[0.0, np.cumsum(m * theta / (theta + m) ** 2)]
            return float(w @ c2[v.astype(int)])
        d1 = theta * (special.digamma(v + theta) - special.digamma(theta))
        d2 = theta**2 * (special.polygamma(1, v + theta) - special.polygamma(1, theta))
        return float(w @ (d1 + d2))

    def _hessian_block(
        self, eta0: np.ndarray, u_hat: np.ndarray, s: float, theta: float, sl: slice
    ) -> np.ndarray:
        p, nb = self.p, self.family == "negbin"
        n = p + 1 + nb
        y, mask, x = self.y[:, sl], self.mask[:, sl], self.x[:, sl]

        def sums(phi: dict, m: int, e: np.ndarray, su: np.ndarray, second: bool) -> tuple:
            """G_m = σᵐ Σ_j ∂ᵐ_η ℓ_j at u, and its first (and second) derivatives in the parameters."""
            sm = s**m
            big_s = phi[(m, 0)].sum(axis=0)
            d_s = np.einsum("j...,j...a->...a", phi[(m + 1, 0)], e)
            if nb:
                d_s[..., p + 1] += phi[(m, 1)].sum(axis=0)
            g, dg = sm * big_s, sm * d_s
            dg[..., p] += m * sm * big_s
            if not second:
                return g, dg, None
            d2 = np.einsum("j...,j...a,j...b->...ab", phi[(m + 2, 0)], e, e)
            d2[..., p, p] += phi[(m + 1, 0)].sum(axis=0) * su  # ∂²η/∂(log σ)² = σu
            if nb:
                t = np.einsum("j...,j...a->...a", phi[(m + 1, 1)], e)
                d2[..., :, p + 1] += t
                d2[..., p + 1, :] += t
                d2[..., p + 1, p + 1] += phi[(m, 2)].sum(axis=0)
            d2g = sm * d2
            d2g[..., p, :] += m * sm * d_s
            d2g[..., :, p] += m * sm * d_s
            d2g[..., p, p] += m * m * sm * big_s
            return g, dg, d2g

        def at(u: np.ndarray, orders: tuple[tuple[int, int], ...]) -> tuple[dict, np.ndarray, np.ndarray]:
            """Row derivatives at u (groups, or groups × nodes) and ∂η/∂(β, log σ, log θ)."""
            k = (None,) * (u.ndim - 1)
            eta = eta0[(..., *k)] + s * u[None]
            m_ = mask[(..., *k)]
            phi = _phi(eta, y[(..., *k)], theta, orders)
            if not self.full:
                phi = {ab: v * m_ for ab, v in phi.items()}
            e = np.zeros((*eta.shape, n))
            e[..., :p] = x[:, :, None, :] if u.ndim == 2 else x
            e[..., p] = s * u[None]
            return phi, e, s * u

        # at the modes: h'', h''', h'''' and the parameter derivatives of h', h'' and h'''
        orders: tuple[tuple[int, int], ...] = ((1, 0), (2, 0), (3, 0), (4, 0))
        if nb:
            orders += ((0, 1), (1, 1), (2, 1), (3, 1), (0, 2), (1, 2), (2, 2))
        phi, e, su = at(u_hat, orders)
        g2, dg2, d2g2 = sums(phi, 2, e, su, True)
        _, dg1, d2g1 = sums(phi, 1, e, su, True)
        g3, dg3, _ = sums(phi, 3, e, su, False)
        g4 = s**4 * phi[(4, 0)].sum(axis=0)
        d = 1.0 - g2  # D = −h''(û)
        dv, dm = d[:, None], d[:, None, None]
        du = dg1 / dv
        d2u = (d2g1 + _sym(dg2, du) + g3[:, None, None] * _outer(du)) / dm
        dd = -(dg2 + g3[:, None] * du)
        d2d = -(d2g2 + _sym(dg3, du) + g4[:, None, None] * _outer(du) + g3[:, None, None] * d2u)
        c = np.sqrt(2.0 / d)
        dc = -0.5 * (c / d)[:, None] * dd
        d2c = c[:, None, None] * (0.75 * _outer(dd) / dm**2 - 0.5 * d2d / dm)
        d2logc = -0.5 * (d2d / dm - _outer(dd) / dm**2)
        # at the nodes u_k = û + c x_k: every term of Σ_k w̃_k d²H_k is summed over the nodes first
        xk = self.nodes
        u = u_hat[:, None] + c[:, None] * xk[None, :]
        su = s * u
        eta = eta0[:, :, None] + su[None]
        m3 = mask[:, :, None]
        orders = ((0, 0), (1, 0), (2, 0))
        if nb:
            orders += ((0, 1), (1, 1), (0, 2))
        phi = _phi(eta, y[:, :, None], theta, orders)
        if not self.full:
            phi = {ab: v * m3 for ab, v in phi.items()}
        f10, f20 = phi[(1, 0)], phi[(2, 0)]
        big_h = phi[(0, 0)].sum(axis=0) - u * u / 2 + self.log_w[None, :]
        w = np.exp(big_h - big_h.max(axis=1, keepdims=True))
        w /= w.sum(axis=1, keepdims=True)

        def wk(a: np.ndarray) -> np.ndarray:  # Σ_k w̃_k a_jk per row
            return np.einsum("gk,jgk->jg", w, a)

        def rows_x(a: np.ndarray) -> np.ndarray:  # Σ_j a_jg x_j
            return np.einsum("jg,jgr->gr", a, x)

        g = u.shape[0]
        big_m = np.zeros((g, n, n))  # Σ_k w̃_k ∂²h(u_k)
        big_m[:, :p, :p] = np.einsum("jg,jgr,jgs->grs", wk(f20), x, x)
        t = rows_x(wk(f20 * su[None]))
        big_m[:, :p, p], big_m[:, p, :p] = t, t
        big_m[:, p, p] = wk(f20 * su[None] ** 2 + f10 * su[None]).sum(axis=0)
        dg0 = np.empty((*u.shape, n))  # ∂h(u_k)
        dg0[..., :p] = np.einsum("jgk,jgr->gkr", f10, x)
        dg0[..., p] = (f10 * su[None]).sum(axis=0)
        dg1 = np.empty((*u.shape, n))  # ∂h'(u_k)
        dg1[..., :p] = s * np.einsum("jgk,jgr->gkr", f20, x)
        dg1[..., p] = s * ((f20 * su[None]).sum(axis=0) + f10.sum(axis=0))
        if nb:
            f11 = phi[(1, 1)]
            t = rows_x(wk(f11))
            big_m[:, :p, p + 1], big_m[:, p + 1, :p] = t, t
            big_m[:, p, p + 1] = big_m[:, p + 1, p] = wk(f11 * su[None]).sum(axis=0)
            big_m[:, p + 1, p + 1] = wk(phi[(0, 2)]).sum(axis=0)
            dg0[..., p + 1] = phi[(0, 1)].sum(axis=0)
            dg1[..., p + 1] = s * f11.sum(axis=0)
        h1 = s * f10.sum(axis=0) - u  # h'(u_k)
        h2 = s**2 * f20.sum(axis=0) - 1.0  # h''(u_k)
        dh = dg0 + h1[..., None] * (du[:, None, :] + xk[None, :, None] * dc[:, None, :])
        mean = np.einsum("gk,gka->ga", w, dh)

        def mom(a: np.ndarray, power: int) -> np.ndarray:  # Σ_k w̃_k a_k x_kᵖ
            return np.einsum("gk,gk->g", w, a * xk[None, :] ** power)[:, None, None]

        wd1 = np.einsum("gk,gka->ga", w, dg1)
        wd1x = np.einsum("gk,gka->ga", w * xk[None, :], dg1)
        hess = (
            big_m
            + _sym(wd1, du)
            + _sym(wd1x, dc)
            + mom(h2, 0) * _outer(du)
            + mom(h2, 1) * _sym(du, dc)
            + mom(h2, 2) * _outer(dc)
            + mom(h1, 0) * d2u
            + mom(h1, 1) * d2c
            + np.matmul(np.swapaxes(dh * w[..., None], 1, 2), dh)
            - _outer(mean)
            + d2logc
        )
        return np.einsum("g,gab->ab", self.weight[sl], hess)

    def _glm_rows(self, eta0: np.ndarray, theta: float) -> np.ndarray:
        mu = np.exp(eta0)
        if self.family == "poisson":
            return self.y * eta0 - mu
        return self.y * (eta0 - np.log(theta)) - (self.y + theta) * np.log1p(mu / theta)

    def _at_mode(self, eta0: np.ndarray, s: float, theta: float, u_hat: np.ndarray) -> dict[str, np.ndarray]:
        """h'' and h''' at the modes, and the derivatives of h' and h'' there in each parameter."""
        p, nb = self.p, self.family == "negbin"
        n_par = p + 1 + nb
        mu = np.exp(eta0 + s * u_hat)
        dh1 = np.empty((self.n_groups, n_par))
        dh2 = np.empty((self.n_groups, n_par))
        if not nb:
            mu = mu if self.full else mu * self.mask
            s2 = -mu.sum(axis=0)
            s1 = self.sum_y + s2
            s3 = s2
            mx = np.einsum("jg,jgr->gr", mu, self.x)
            dh1[:, :p] = -s * mx
            dh2[:, :p] = -(s**2) * mx
        else:
            y = self.y
            r = mu / theta
            q = 1.0 / (1.0 + r)
            d2 = -(1.0 + y / theta) * mu * q * q
            d3 = d2 * (1.0 - r) * q
            m = (lambda v: v) if self.full else (lambda v: v * self.mask)
            d2, d3 = m(d2), m(d3)
            s1, s2, s3 = m(q * (y - mu)).sum(axis=0), d2.sum(axis=0), d3.sum(axis=0)
            dh1[:, :p] = s * np.einsum("jg,jgr->gr", d2, self.x)
            dh2[:, :p] = s**2 * np.einsum("jg,jgr->gr", d3, self.x)
            dh1[:, p + 1] = s * m((y - mu) * r * q * q).sum(axis=0)  # θ ∂/∂θ
            dh2[:, p + 1] = s**2 * m(-r * q**3 * (y * (r - 1.0) + 2.0 * mu)).sum(axis=0)
        dh1[:, p] = s * s1 + s**2 * u_hat * s2  # d/dlog σ = σ d/dσ
        dh2[:, p] = 2 * s**2 * s2 + s**3 * u_hat * s3
        return {"s2": s2, "s3": s3, "dh1": dh1, "dh2": dh2}

    def _quad_poisson(self, eta0: np.ndarray, s: float, theta: float, nodes: np.ndarray, grad: bool) -> dict:
        """The Poisson's quadrature: per group h(u) = Σ y η₀ + σu Σ y − e^{σu} Σ e^{η₀} − u²/2."""
        e0 = np.exp(eta0)
        e0 = e0 if self.full else e0 * self.mask
        big_s = e0.sum(axis=0)
        c = self._msum(self.y * eta0)
        es = np.exp(s * nodes)
        lw = c[:, None] + s * nodes * self.sum_y[:, None] - es * big_s[:, None] - nodes**2 / 2 + self.log_w
        top = lw.max(axis=1, keepdims=True)
        e = np.exp(lw - top)
        tot = e.sum(axis=1, keepdims=True)
        out = {"log_li": (top + np.log(tot))[:, 0]}
        if grad:
            w = e / tot  # the weight of each node in the group's likelihood
            sd1 = self.sum_y[:, None] - es * big_s[:, None]  # Σ_j ∂ℓ/∂η at each node
            out["g_beta"] = self.sum_yx - (w * es).sum(axis=1)[:, None] * np.einsum("jg,jgr->gr", e0, self.x)
            out["g_s"] = s * (w * sd1 * nodes).sum(axis=1)
            whp = w * (s * sd1 - nodes)  # w_k h'(u_k)
            out["a"], out["b"] = whp.sum(axis=1), np.einsum("gk,k->g", whp, self.nodes)
        return out

    def _quad_negbin(self, eta0: np.ndarray, s: float, theta: float, nodes: np.ndarray, grad: bool) -> dict:
        """The NB2's quadrature, over blocks of groups, row by row (rows are few: the phases)."""
        n, rows, lt = self.n_groups, self.rows, float(np.log(theta))
        log_li = np.empty(n)
        if grad:
            g_rows = np.empty((rows, n))  # Σ_k w_k ∂ℓ/∂η per row
            g_s, g_t, a, b = np.empty(n), np.empty(n), np.empty(n), np.empty(n)
        z0 = eta0 - lt
        for lo in range(0, n, self.block):
            sl = slice(lo, lo + self.block)
            nd = nodes[sl]
            snd = s * nd
            lw = self.log_w - nd * nd / 2
            tl = np.zeros(nd.shape)
            d1s = []
            for j in range(rows):
                z = z0[j, sl, None] + snd  # η − log θ
                r = np.exp(z)
                big_l = np.log1p(r)  # log(1 + μ/θ)
                yj = self.y[j, sl, None]
                ytj = yj + theta
                part = yj * z - ytj * big_l
                if grad:
                    a_j = ytj * (r / (1.0 + r))  # (y + θ) μ / (θ + μ)
                    d1 = yj - a_j
                    t_j = a_j - theta * big_l  # θ ∂ℓ/∂θ
                if not self.full:
                    mj = self.mask[j, sl, None]
                    part *= mj
                    if grad:
                        d1 *= mj
                        t_j *= mj
                lw += part
                if grad:
                    tl += t_j
                    d1s.append(d1)
            top = lw.max(axis=1, keepdims=True)
            e = np.exp(lw - top)
            tot = e.sum(axis=1, keepdims=True)
            log_li[sl] = (top + np.log(tot))[:, 0]
            if not grad:
                continue
            w = e / tot  # the weight of each node in the group's likelihood
            sd1 = d1s[0].copy()
            for j, d1 in enumerate(d1s):
                g_rows[j, sl] = (d1 * w).sum(axis=1)
                if j:
                    sd1 += d1
            g_s[sl] = s * (w * sd1 * nd).sum(axis=1)
            g_t[sl] = (w * tl).sum(axis=1)
            whp = w * (s * sd1 - nd)  # w_k h'(u_k)
            a[sl], b[sl] = whp.sum(axis=1), np.einsum("gk,k->g", whp, self.nodes)
        out = {"log_li": log_li}
        if grad:
            out |= {"g_beta": np.einsum("jg,jgr->gr", g_rows, self.x), "g_s": g_s, "g_t": g_t, "a": a, "b": b}
        return out


def _phi(eta: np.ndarray, y: np.ndarray, theta: float, orders: tuple[tuple[int, int], ...]) -> dict:
    """Derivatives ∂ᵃ_η ∂ᵇ_κ of a row's log p(y | η) (κ = log θ), for each (a, b) in ``orders``.

    NB2 in the form of :meth:`_CountModel._constant` (its η-part ``y (η − κ) − (y + θ) log1p(μ/θ)``,
    whose κ-derivative leaves out the −y that cancels against the constant's); with ``p = μ/(θ + μ)``,
    ``q = 1 − p``, ``Y = y + θ`` and ``g'(p) = 1 − 6p + 6p²``.  Poisson (θ = ∞): ``y η − μ``, no κ.
    """
    if not np.isfinite(theta):
        mu = np.exp(eta)
        zero = np.zeros(eta.shape)
        pois = {0: lambda: y * eta - mu, 1: lambda: y - mu}
        return {(a, b): (pois.get(a, lambda: -mu)() if b == 0 else zero) for a, b in orders}
    lt = np.log(theta)
    r = np.exp(eta - lt)
    p = r / (1.0 + r)
    pq = p / (1.0 + r)
    big_y = y + theta
    g1 = 1.0 - 6.0 * p + 6.0 * p * p
    ymu = y - theta * r
    big_l = np.log1p(r)
    table = {
        (0, 0): lambda: y * (eta - lt) - big_y * big_l,
        (1, 0): lambda: y - big_y * p,
        (2, 0): lambda: -big_y * pq,
        (3, 0): lambda: -big_y * pq * (1.0 - 2.0 * p),
        (4, 0): lambda: -big_y * pq * g1,
        (0, 1): lambda: big_y * p - theta * big_l,
        (1, 1): lambda: pq * ymu,
        (2, 1): lambda: pq * (big_y * (1.0 - 2.0 * p) - theta),
        (3, 1): lambda: pq * (big_y * g1 - theta * (1.0 - 2.0 * p)),
        (0, 2): lambda: 2.0 * theta * p - big_y * pq - theta * big_l,
        (1, 2): lambda: -ymu * pq * (1.0 - 2.0 * p),
        (2, 2): lambda: pq * (theta * (1.0 - 4.0 * p) - big_y * g1),
    }
    return {ab: table[ab]() for ab in orders}


def _sym(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """``a bᵀ + b aᵀ`` over the last axis."""
    ab = a[..., :, None] * b[..., None, :]
    return ab + np.swapaxes(ab, -1, -2)


def _outer(a: np.ndarray) -> np.ndarray:
    return a[..., :, None] * a[..., None, :]


def _hessian(f: Callable[[np.ndarray], float], x: np.ndarray, h: float = 1e-4) -> np.ndarray:
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


def _wsum(w: np.ndarray, v: np.ndarray) -> Any:
    """``w @ v`` over the first axis without BLAS (whose threads cost more than they save here)."""
    return np.einsum("g,g...->...", w, v)


def _glm_start(y: np.ndarray, x: np.ndarray, offset: np.ndarray, weight: np.ndarray) -> np.ndarray:
    """Poisson GLM by IRLS (the starting values of β); rows weighted by how often they occur."""
    beta = np.zeros(x.shape[1])
    beta[0] = np.log(max(weight @ y, 0.5) / (weight @ np.exp(offset))) if x.shape[1] else 0.0
    for _ in range(50):
        eta = np.einsum("nr,r->n", x, beta)
        mu = np.exp(eta + offset)
        z = eta + (y - mu) / mu
        wx = x * (weight * mu)[:, None]
        new = np.linalg.lstsq(np.einsum("nr,ns->rs", x, wx), np.einsum("nr,n->r", wx, z), rcond=None)[0]
        if np.max(np.abs(new - beta)) < 1e-10:
            return new
        beta = new
    return beta


def _positive(hess: np.ndarray) -> bool:
    return bool(np.all(np.isfinite(hess)) and np.all(np.linalg.eigvalsh(hess) > 0))


def _jac_hessian(
    model: _CountModel, par: np.ndarray, grad: np.ndarray | None = None, h: float = 1e-5
) -> np.ndarray:
    """The exact Hessian (:meth:`_CountModel.hessian`); forward differences of the exact gradient,
    symmetrised, only where it is not finite (far out, where a mode's curvature overflows)."""
    hess = model.hessian(par)
    if np.all(np.isfinite(hess)):
        return hess
    g0 = model.nll_grad(par)[1] if grad is None else grad
    e = np.eye(len(par)) * h
    hess = np.array([(model.nll_grad(par + e[i])[1] - g0) / h for i in range(len(par))])
    return (hess + hess.T) / 2


def _bfgs(model: _CountModel, start: np.ndarray) -> tuple[np.ndarray, bool]:
    """BFGS from the start, its first inverse Hessian from differences of the gradient there."""
    value, grad = model.nll_grad(start)
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
                                options={"gtol": _GTOL * max(1.0, abs(value)), "hess_inv0": inv})  # fmt: skip
    # "precision loss" near the maximum is the line search failing to see changes below rounding: the
    # point is still the best found, and Newton steps (which need no such change) finish from there
    return res.x, bool(res.success) or bool(np.isfinite(res.fun) and res.fun < value)


def _newton(
    model: _CountModel, par: np.ndarray, hess: np.ndarray, max_iter: int = 20, enough: float = 1e-9
) -> tuple[np.ndarray, bool]:
    """Newton steps with a fixed positive-definite Hessian (an approximation), shortened when one fails."""
    value, grad = model.nll_grad(par)
    for _ in range(max_iter):
        if not np.isfinite(value) or not np.all(np.isfinite(grad)):
            return par, False
        step = np.linalg.solve(hess, grad)
        decrement = float(grad @ step)
        if decrement < enough:
            return par, True
        t = 1.0
        while True:
            new = par - t * step
            new_value, new_grad = model.nll_grad(new)
            if new_value <= value - 1e-4 * t * decrement + 1e-12 * abs(value):
                break
            t /= 4
            if t < 1e-2:
                return par, False
        par, value, grad = new, new_value, new_grad
    step = np.linalg.solve(hess, grad)
    return par, bool(np.isfinite(value) and float(grad @ step) < enough)


def _optimise(model: _CountModel, start: np.ndarray) -> tuple[np.ndarray, bool]:
    """The maximum: BFGS with few nodes, then Newton steps with all of them.

    The quadrature with ``_COARSE`` nodes costs a fraction of ``n_agq`` nodes and has its maximum
    close by (1e-3 on sparse counts): BFGS finds that one, Newton steps on the full quadrature with the
    coarse Hessian finish in a few gradients.  Plain BFGS on the full quadrature is the fallback.
    """
    n_agq = model.n_agq
    if n_agq > _COARSE:
        model.set_nodes(_COARSE)
        coarse, ok = _bfgs(model, start)
        hess = _jac_hessian(model, coarse) if ok else np.full((len(start),) * 2, np.nan)
        model.set_nodes(n_agq)
        if ok and _positive(hess):
            # a few steps with the coarse Hessian: near enough for the polish (exact Hessian) to finish
            par, converged = _newton(model, coarse, hess)
            if converged:
                return par, True
        start = coarse if ok else start
    return _bfgs(model, start)


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
    poisson = None
    if model.family == "negbin":
        # the Poisson (the NB's limit θ = ∞) first: it is cheap (two sums per family and node), and
        # where the NB's slope at θ = ∞ says that any overdispersion lowers the likelihood, the maximum
        # is at that boundary: the Poisson fit is the answer.  Else the NB starts from its estimates.
        pm = model.poisson()
        poisson = _fit(pm, start[: p + 1], nan)
        if poisson.status == "ok":
            at = np.r_[poisson.beta, np.log(poisson.sd_family), np.log(_BOUNDARY_THETA)]
            slope = model.nll_grad(at)[1][p + 1]  # of −log L in log θ
            if np.isfinite(slope) and slope <= 0:
                return poisson
            start = np.r_[poisson.beta, np.log(poisson.sd_family), np.log(pm.theta_moments(poisson))]
    par, success = _optimise(model, start)
    model.modes_converged = True
    # θ heading for infinity: the likelihood is flat there; if the Poisson (θ = ∞) fits at least as well,
    # the maximum is at the boundary and the Poisson fit is the answer
    if poisson is not None and par[p + 1] > np.log(_LARGE_THETA):  # noqa: SIM102
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
