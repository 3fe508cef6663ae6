"""Count GLMMs with a random family intercept: Poisson and negative binomial, Laplace or adaptive GH.

``y_ij ~ Poisson(μ_ij)`` or ``NB2(μ_ij, θ)`` (variance ``μ + μ²/θ``, glmmTMB's ``nbinom2``) with
``log μ_ij = o_ij + x_ij'β + b_i``, ``b_i ~ N(0, σ²)``, where ``o_ij = log(exposure)`` is an offset.

The marginal likelihood of family *i*, ``∫ Π_j p(y_ij | σu) φ(u) du``, is integrated by adaptive
Gauss-Hermite quadrature with ``n_agq`` nodes (1 is the Laplace approximation, as ``glmmTMB`` and
``lme4::glmer(nAGQ = 1)``; 10 is ``glmer(nAGQ = 10)``).  Per family the mode û and curvature D of
``h(u) = Σ_j log p(y_ij | σu) − u²/2`` come from vectorised Newton steps (h is strictly concave for
both families), the nodes are ``û + √(2/D) x_k``.  The parameters (β, log σ, log θ) are estimated by
BFGS and polished by Newton steps; standard errors come from a central-difference Hessian of the
log-likelihood, as glmmTMB's ``sdreport`` and lme4's ``vcov`` take them from a Hessian.

Scope: one scalar random intercept per family (the design of before / during / after per family).
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from scipy import optimize, special

__all__ = ["GlmmFit", "fit_count_glmm"]

_LARGE_THETA = 100.0  # from here on, check whether θ = ∞ (the Poisson) fits at least as well
# log-likelihood units: on the flat way to θ = ∞ the NB can end a hair above the Poisson (quadrature and
# optimiser noise; 4e-6 on the sample's crisis contacts at θ ≈ 1e6): a gain this small is no evidence of
# overdispersion (a likelihood-ratio statistic of 2e-4), so the maximum is the boundary, the Poisson
_FLAT = 1e-4


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
    """Negative marginal log-likelihood of one outcome, with warm-started modes per family."""

    def __init__(
        self, y: np.ndarray, x: np.ndarray, offset: np.ndarray, cluster: np.ndarray, family: str, n_agq: int
    ) -> None:
        order = np.argsort(cluster, kind="stable")
        self.y, self.x, self.offset = y[order].astype(float), x[order], offset[order]
        self.cluster = np.unique(cluster[order], return_inverse=True)[1]
        self.n_cl = int(self.cluster.max()) + 1
        self.starts = np.searchsorted(self.cluster, np.arange(self.n_cl))
        self.family = family
        self.p = x.shape[1]
        nodes, weights = np.polynomial.hermite.hermgauss(n_agq)
        self.nodes = nodes
        self.log_w = np.log(weights) + nodes**2
        self.u = np.zeros(self.n_cl)
        self.lgy = special.gammaln(self.y + 1)
        self.modes_converged = True

    def n_par(self) -> int:
        return self.p + 1 + (self.family == "negbin")

    def _sum(self, v: np.ndarray) -> np.ndarray:
        """Sum rows per family (rows are sorted by family); works on (n,) and (n, K)."""
        return np.add.reduceat(v, self.starts, axis=0)

    def _constant(self, theta: float) -> np.ndarray:
        """The part of log p(y | η) that does not depend on η (per observation)."""
        if self.family == "poisson":
            return -self.lgy
        return special.gammaln(self.y + theta) - special.gammaln(theta) - self.lgy + theta * np.log(theta)

    def _kernel(self, eta: np.ndarray, theta: float, y: np.ndarray) -> np.ndarray:
        """log p(y | η) minus :meth:`_constant` (works on (n,) and (n, K) arrays of η)."""
        if self.family == "poisson":
            return y * eta - np.exp(eta)
        return y * eta - (y + theta) * np.logaddexp(np.log(theta), eta)

    def _derivs(self, eta: np.ndarray, theta: float) -> tuple[np.ndarray, np.ndarray]:
        """First and second derivative of log p(y | η) in η."""
        mu = np.exp(eta)
        if self.family == "poisson":
            return self.y - mu, -mu
        w = theta / (theta + mu)
        return w * (self.y - mu), -w * mu * (self.y + theta) / (theta + mu)

    def _modes(self, eta0: np.ndarray, s: float, theta: float) -> tuple[np.ndarray, np.ndarray]:
        u = self.u.copy()
        cl = self.cluster
        hess = -np.ones(self.n_cl)
        for _ in range(200):
            d1, d2 = self._derivs(eta0 + s * u[cl], theta)
            grad = s * self._sum(d1) - u
            hess = s**2 * self._sum(d2) - 1.0
            step = np.clip(grad / hess, -1.0, 1.0)  # damped: exp() makes full steps overshoot far out
            u = u - step
            if np.max(np.abs(step)) < 1e-11:
                break
        else:
            self.modes_converged = False
        if np.all(np.isfinite(u)):
            self.u = u
        return u, -hess

    def unpack(self, par: np.ndarray) -> tuple[np.ndarray, float, float]:
        theta = float(np.exp(par[self.p + 1])) if self.family == "negbin" else np.inf
        return par[: self.p], float(np.exp(par[self.p])), theta

    def nll(self, par: np.ndarray) -> float:
        beta, s, theta = self.unpack(par)
        if not np.all(np.isfinite(beta)) or not np.isfinite(s) or theta == 0:
            return np.inf
        eta0 = self.x @ beta + self.offset
        const = float(np.sum(self._constant(theta)))
        if s == 0.0:  # the boundary: no family effect, an ordinary GLM
            return float(-(np.sum(self._kernel(eta0, theta, self.y)) + const))
        u_hat, d = self._modes(eta0, s, theta)
        scale = np.sqrt(2.0 / d)
        nodes = u_hat[:, None] + scale[:, None] * self.nodes[None, :]  # (families, K)
        eta = eta0[:, None] + s * nodes[self.cluster]
        h = self._sum(self._kernel(eta, theta, self.y[:, None])) - nodes**2 / 2
        log_li = special.logsumexp(h + self.log_w[None, :], axis=1) + np.log(scale) - 0.5 * np.log(2 * np.pi)
        value = float(-(np.sum(log_li) + const))
        return value if np.isfinite(value) else np.inf

    # ------------------------------------------------------------------ the exact gradient
    def _d3(self, eta: np.ndarray, theta: float, y: np.ndarray) -> dict[str, np.ndarray]:
        """First to third derivative of log p(y | eta) in eta, and the NB2 theta-derivatives."""
        mu = np.exp(eta)
        if self.family == "poisson":
            return {"d1": y - mu, "d2": -mu, "d3": -mu}
        tm = theta + mu
        a = theta * (y + theta)
        return {
            "d1": theta * (y - mu) / tm,
            "d2": -a * mu / tm**2,
            "d3": -a * mu * (theta - mu) / tm**3,
            "t0": -np.log(tm) - (y + theta) / tm,  # of the kernel; the constant's part is added apart
            "t1": (y - mu) * mu / tm**2,
            "t2": -mu * (y * (mu - theta) + 2 * theta * mu) / tm**3,
        }

    def nll_grad(self, par: np.ndarray) -> tuple[float, np.ndarray]:
        """The negative log-likelihood and its exact gradient in (β, log σ, log θ).

        The nodes move with the parameters (û and D are functions of them); their derivatives come
        from implicit differentiation of h'(û) = 0: dû = ∂h'(û) / D, dD = −(∂h''(û) + h'''(û) dû).
        """
        value = self.nll(par)
        beta, s, theta = self.unpack(par)
        n_par, p, nb = len(par), self.p, self.family == "negbin"
        if not np.isfinite(value) or s == 0.0:
            return value, np.full(n_par, np.nan)
        y, x, cl = self.y, self.x, self.cluster
        eta0 = x @ beta + self.offset
        u_hat = self.u
        m = self._d3(eta0 + s * u_hat[cl], theta, y)  # at the modes
        s1, s2, s3 = self._sum(m["d1"]), self._sum(m["d2"]), self._sum(m["d3"])
        d = 1.0 - s**2 * s2  # D = −h''(û)
        dh1 = np.empty((self.n_cl, n_par))  # ∂h'(û) per parameter
        dh2 = np.empty((self.n_cl, n_par))  # ∂h''(û)
        dh1[:, :p] = s * self._sum(m["d2"][:, None] * x)
        dh2[:, :p] = s**2 * self._sum(m["d3"][:, None] * x)
        dh1[:, p] = s * s1 + s**2 * u_hat * s2  # d/dlog σ = σ d/dσ
        dh2[:, p] = 2 * s**2 * s2 + s**3 * u_hat * s3
        if nb:
            dh1[:, p + 1] = theta * s * self._sum(m["t1"])
            dh2[:, p + 1] = theta * s**2 * self._sum(m["t2"])
        h3 = s**3 * s3
        du = dh1 / d[:, None]
        dd = -(dh2 + h3[:, None] * du)
        scale = np.sqrt(2.0 / d)
        dscale = -0.5 * scale[:, None] * dd / d[:, None]  # ds = −½ s dD / D
        nodes = u_hat[:, None] + scale[:, None] * self.nodes[None, :]
        eta = eta0[:, None] + s * nodes[cl]
        h = self._sum(self._kernel(eta, theta, y[:, None])) - nodes**2 / 2
        lw = h + self.log_w[None, :]
        w = np.exp(lw - lw.max(axis=1, keepdims=True))
        w /= w.sum(axis=1, keepdims=True)  # the weight of each node in the family's likelihood
        q = self._d3(eta, theta, y[:, None])
        sum_d1 = self._sum(q["d1"])  # (families, K)
        hp = s * sum_d1 - nodes  # h'(u_k)
        grad = np.empty(n_par)
        wk = w[cl] * q["d1"]  # (n, K)
        grad[:p] = (wk.sum(axis=1)[:, None] * x).sum(axis=0)
        grad[p] = float(np.sum(w * s * sum_d1 * nodes))
        if nb:
            const = special.digamma(y + theta) - special.digamma(theta) + np.log(theta) + 1.0
            grad[p + 1] = theta * (float(np.sum(w * self._sum(q["t0"]))) + float(np.sum(const)))
        move = (w * hp).sum(axis=1)[:, None] * du + (w * hp * self.nodes[None, :]).sum(axis=1)[
            :, None
        ] * dscale
        grad += move.sum(axis=0) + (dscale / scale[:, None]).sum(axis=0)
        return value, -grad


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


def _glm_start(y: np.ndarray, x: np.ndarray, offset: np.ndarray) -> np.ndarray:
    """Poisson GLM by IRLS (the starting values of β)."""
    beta = np.zeros(x.shape[1])
    beta[0] = np.log(max(y.sum(), 0.5) / np.exp(offset).sum()) if x.shape[1] else 0.0
    for _ in range(50):
        mu = np.exp(x @ beta + offset)
        z = x @ beta + (y - mu) / mu
        wx = x * mu[:, None]
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


def _grad_of(model: _CountModel) -> Callable[[np.ndarray], np.ndarray]:
    return lambda q: model.nll_grad(q)[1]


def _jac_hessian(model: _CountModel, par: np.ndarray, h: float = 1e-5) -> np.ndarray:
    """Central differences of the exact gradient, symmetrised (2 × n gradient evaluations)."""
    g = _grad_of(model)
    e = np.eye(len(par)) * h
    cols = [(g(par + e[i]) - g(par - e[i])) / (2 * h) for i in range(len(par))]
    hess = np.array(cols)
    return (hess + hess.T) / 2


def _polish(model: _CountModel, par: np.ndarray) -> tuple[np.ndarray, np.ndarray, float]:
    """Newton steps from BFGS's answer; returns the parameters, their Hessian and g'H⁻¹g."""
    hess = _jac_hessian(model, par)
    decrement = np.inf
    for _ in range(6):
        if not np.all(np.isfinite(hess)) or not np.all(np.linalg.eigvalsh(hess) > 0):
            break
        value, grad = model.nll_grad(par)
        step = np.linalg.solve(hess, grad)
        decrement = float(grad @ step)
        if decrement < 1e-12:
            break
        new = par - step
        if model.nll(new) > value:
            break
        par, hess = new, _jac_hessian(model, new)
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
    beta0 = _glm_start(model.y, model.x, model.offset)
    start = np.concatenate([beta0, [np.log(0.5)], [0.0] if family == "negbin" else []])
    par, success = _minimise(model, start)
    model.modes_converged = True
    if family == "negbin" and par[p + 1] > np.log(_LARGE_THETA):
        # θ heading for infinity: the likelihood is flat there; if the Poisson (θ = ∞) fits at least
        # as well, the maximum is at the boundary and the Poisson fit is the answer
        poisson = fit_count_glmm(y, x, offset, family_ids, family="poisson", n_agq=n_agq)
        if poisson.status != "too_few" and poisson.loglik >= -model.nll(par) - _FLAT:
            return poisson
    par, hess, decrement = _polish(model, par)
    status = "ok" if (success or decrement < 1e-6) and model.modes_converged else "not_converged"
    if np.exp(par[p]) < 1e-3:  # compare with the boundary σ = 0
        bpar, bhess = _boundary(model, par)
        if bpar is not None and model.nll(bpar) <= model.nll(par) + 1e-7:
            par, hess, status = bpar, bhess, "singular"
    free = [i for i in range(len(par)) if np.isfinite(par[i])]
    try:
        inner = np.linalg.inv(hess[np.ix_(free, free)])
    except np.linalg.LinAlgError:
        return _as_status(nan, "not_converged")
    vcov = np.full((len(par), len(par)), np.nan)
    vcov[np.ix_(free, free)] = inner
    if status == "ok" and not np.all(np.linalg.eigvalsh(hess[np.ix_(free, free)]) > 0):
        status = "not_converged"
    beta, s, theta = model.unpack(par)
    return GlmmFit(beta, vcov[:p, :p], s, theta, -model.nll(par), status, n_fam, n_obs)


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
