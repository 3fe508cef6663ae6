"""Random intercept and slope per family: ``score ~ time (+ ...) + (1 + time | family)``, as lme4.

lme4's formulation (Bates et al. 2015, *J. Stat. Softw.* 67(1)): ``b_i = σ Λ u_i`` with ``u_i ~
N(0, I)`` and Λ the 2 × 2 lower-triangular relative Cholesky factor with parameters θ = (Λ₁₁, Λ₂₁,
Λ₂₂), Λ₁₁, Λ₂₂ ≥ 0.  With ``K_i = Λ' Z_i'Z_i Λ + I`` the profiled REML criterion is

    (n - p)(1 + log(2π q / (n - p))) + Σ_i log|K_i| + log|X'H⁻¹X|,
    X'H⁻¹X = X'X - Σ_i U_i' K_i⁻¹ U_i,   U_i = Λ' Z_i'X_i,

and likewise for X'H⁻¹y and y'H⁻¹y, so every family enters only through ``Z_i'Z_i``, ``Z_i'X_i``
and ``Z_i'y_i``: the criterion and its analytic gradient in θ are batched 2 × 2 algebra over the
families.  θ is found by L-BFGS-B within the bounds and polished by Newton steps on the analytic
gradient.  Standard errors are ``σ̂² (X'H⁻¹X)⁻¹``; Satterthwaite df follow lmerTest: the Hessian of
the REML deviance in (θ, σ) (central differences of its analytic gradient) and the Jacobian of
cov(β̂) in (θ, σ) (central differences).  A fit with Λ₁₁ or Λ₂₂ below 1e-4 has status
``singular`` (lme4's ``isSingular``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import optimize

from impactkit.measures._kenward_roger import KenwardRoger, kenward_roger_blocks
from impactkit.measures._mixed_design import Design
from impactkit.measures._model_tables import DomainModel
from impactkit.measures._satterthwaite import Satterthwaite, vcov_varpar

__all__ = ["fit_slopes"]

_TRIL = (np.array([0, 1, 1]), np.array([0, 0, 1]))  # θ = (Λ11, Λ21, Λ22), lme4's order


@dataclass
class _Stats:
    ztz: np.ndarray  # (nf, 2, 2)
    ztx: np.ndarray  # (nf, 2, p)
    zty: np.ndarray  # (nf, 2)
    xtx: np.ndarray
    xty: np.ndarray
    yty: float
    n_obs: int
    n_families: int


def _lam(theta: np.ndarray) -> np.ndarray:
    lam = np.zeros((2, 2))
    lam[_TRIL] = theta
    return lam


class _Model:
    def __init__(self, st: _Stats, reml: bool) -> None:
        self.st = st
        self.reml = reml
        self.p = st.xtx.shape[0]
        self.dof = st.n_obs - self.p if reml else st.n_obs
        # contiguous components of the per-family statistics
        self.s00, self.s01, self.s11 = (
            np.ascontiguousarray(st.ztz[:, i, j]) for i, j in ((0, 0), (0, 1), (1, 1))
        )
        self.x0, self.x1 = np.ascontiguousarray(st.ztx[:, 0, :]), np.ascontiguousarray(st.ztx[:, 1, :])
        self.y0, self.y1 = np.ascontiguousarray(st.zty[:, 0]), np.ascontiguousarray(st.zty[:, 1])

    def parts(self, theta: np.ndarray) -> dict[str, np.ndarray | float]:
        """Every family's 2 × 2 algebra written out on component arrays (numpy's stacked tiny
        matrix products are slow); Λ = [[a, 0], [b, c]]."""
        st, lam = self.st, _lam(theta)
        a, b, c = theta
        s00, s01, s11 = self.s00, self.s01, self.s11
        r0, r1 = s00 * a + s01 * b, s01 * a + s11 * b  # first column of Z'Z Λ
        k00 = a * r0 + b * r1 + 1.0
        k01 = c * r1
        k11 = c * c * s11 + 1.0
        det = k00 * k11 - k01 * k01
        i00, i01, i11 = k11 / det, -k01 / det, k00 / det  # K⁻¹ (symmetric)
        x0, x1 = self.x0, self.x1
        u0, u1 = a * x0 + b * x1, c * x1  # rows of Λ' Z'X
        y0, y1 = self.y0, self.y1
        v0, v1 = a * y0 + b * y1, c * y1
        ku0 = i00[:, None] * u0 + i01[:, None] * u1
        ku1 = i01[:, None] * u0 + i11[:, None] * u1
        kv0, kv1 = i00 * v0 + i01 * v1, i01 * v0 + i11 * v1
        m = st.xtx - (u0.T @ ku0 + u1.T @ ku1)
        g = st.xty - (u0.T @ kv0 + u1.T @ kv1)
        h = st.yty - float(v0 @ kv0 + v1 @ kv1)
        beta = np.linalg.solve(m, g)
        q = h - float(g @ beta)
        return {"lam": lam, "k_inv": (i00, i01, i11), "kiu": (ku0, ku1), "m": m, "g": g, "beta": beta, "q": q,
                "logdet_k": float(np.sum(np.log(det)))}  # fmt: skip

    def deviance(self, theta: np.ndarray) -> float:
        """Profiled criterion (σ at its optimum), as lme4's ``REMLcrit()`` / ``deviance()``."""
        try:
            pt = self.parts(theta)
        except np.linalg.LinAlgError:
            return np.inf
        q = float(pt["q"])
        if q <= 0:
            return np.inf
        dev = self.dof * (1 + np.log(2 * np.pi * q / self.dof)) + float(pt["logdet_k"])
        if self.reml:
            sign, logdet = np.linalg.slogdet(pt["m"])
            dev = dev + logdet if sign > 0 else np.inf
        return float(dev)

    def _grad_parts(self, theta: np.ndarray) -> tuple[np.ndarray, np.ndarray, float, dict]:
        """d/dΛ of Σ log|K| (+ log|M|) and of q (at β̂), as 2 × 2 matrices; and q."""
        pt = self.parts(theta)
        a, b, c = theta
        m, beta = pt["m"], pt["beta"]
        i00, i01, i11 = pt["k_inv"]  # type: ignore[misc]
        s00, s01, s11 = self.s00, self.s01, self.s11
        # Z'Z Λ = [[p00, p01], [p10, p11]]
        p00, p10 = s00 * a + s01 * b, s01 * a + s11 * b
        p01, p11 = s01 * c, s11 * c
        g_logk = 2 * np.array([
            [np.sum(p00 * i00 + p01 * i01), np.sum(p00 * i01 + p01 * i11)],
            [np.sum(p10 * i00 + p11 * i01), np.sum(p10 * i01 + p11 * i11)],
        ])  # fmt: skip
        c0 = self.y0 - self.x0 @ beta  # Z'r
        c1 = self.y1 - self.x1 @ beta
        w0, w1 = a * c0 + b * c1, c * c1  # Λ' Z'r
        v0, v1 = i00 * w0 + i01 * w1, i01 * w0 + i11 * w1  # K⁻¹ Λ' Z'r
        e0, e1 = c0 - (p00 * v0 + p01 * v1), c1 - (p10 * v0 + p11 * v1)
        g_q = -2 * np.array([[e0 @ v0, e0 @ v1], [e1 @ v0, e1 @ v1]])
        if self.reml:
            m_inv = np.linalg.inv(m)
            ku0, ku1 = pt["kiu"]  # type: ignore[misc]
            left0 = self.x0 - (p00[:, None] * ku0 + p01[:, None] * ku1)  # (Z'X - Z'ZΛK⁻¹U)
            left1 = self.x1 - (p10[:, None] * ku0 + p11[:, None] * ku1)
            l0, l1 = left0 @ m_inv, left1 @ m_inv
            g_logk = g_logk - 2 * np.array([[np.sum(l0 * ku0), np.sum(l0 * ku1)],
                                            [np.sum(l1 * ku0), np.sum(l1 * ku1)]])  # fmt: skip
        return g_logk, g_q, float(pt["q"]), pt

    def gradient(self, theta: np.ndarray) -> np.ndarray:
        """Analytic gradient of the profiled criterion in θ."""
        try:
            g_logk, g_q, q, _ = self._grad_parts(theta)
        except np.linalg.LinAlgError:
            return np.full(3, np.nan)
        return (g_logk + self.dof / q * g_q)[_TRIL]

    def gradient_vp(self, vp: np.ndarray) -> np.ndarray:
        """Gradient of the unprofiled deviance in (θ, σ): lmerTest's ``devfun_vp`` parameters."""
        theta, sigma = vp[:3], vp[3]
        g_logk, g_q, q, _ = self._grad_parts(theta)
        d_theta = (g_logk + g_q / sigma**2)[_TRIL]
        d_sigma = 2 * self.dof / sigma - 2 * q / sigma**3
        return np.concatenate([d_theta, [d_sigma]])

    def vcov(self, vp: np.ndarray) -> np.ndarray:
        return vp[3] ** 2 * np.linalg.inv(self.parts(vp[:3])["m"])


def _stats(design: Design, sel: np.ndarray) -> _Stats:
    x, y, t = design.x[sel], design.y[sel], design.t[sel]  # type: ignore[index]
    fam = np.unique(design.family[sel], return_inverse=True)[1]
    nf = int(fam.max()) + 1
    z = np.column_stack([np.ones(len(t)), t])
    ztz = np.zeros((nf, 2, 2))
    ztx = np.zeros((nf, 2, x.shape[1]))
    zty = np.zeros((nf, 2))
    for i in range(2):
        zty[:, i] = np.bincount(fam, weights=z[:, i] * y, minlength=nf)
        for j in range(2):
            ztz[:, i, j] = np.bincount(fam, weights=z[:, i] * z[:, j], minlength=nf)
        for j in range(x.shape[1]):
            ztx[:, i, j] = np.bincount(fam, weights=z[:, i] * x[:, j], minlength=nf)
    return _Stats(ztz, ztx, zty, x.T @ x, x.T @ y, float(y @ y), int(sel.sum()), nf)


def _central(f, x: np.ndarray, step: float = 1e-5) -> np.ndarray:
    """Jacobian of a vector (or matrix) function by central differences, stacked on axis 0."""
    cols = []
    for i in range(len(x)):
        h = step * max(1.0, abs(x[i]))
        e = np.zeros(len(x))
        e[i] = h
        cols.append((f(x + e) - f(x - e)) / (2 * h))
    return np.array(cols)


def _fit(model: _Model) -> tuple[np.ndarray, str]:
    bounds = [(0.0, None), (None, None), (0.0, None)]
    best = None
    for start in (np.array([1.0, 0.0, 1.0]), np.array([1.0, 0.0, 0.05])):
        res = optimize.minimize(model.deviance, start, jac=model.gradient, method="L-BFGS-B", bounds=bounds,
                                options={"ftol": 1e-15, "gtol": 1e-10, "maxiter": 2000})  # fmt: skip
        if best is None or res.fun < best.fun:
            best = res
    theta = np.array(best.x, dtype=np.float64)  # type: ignore[union-attr]
    interior = theta[0] > 1e-4 and theta[2] > 1e-4
    if interior:  # Newton on the analytic gradient: L-BFGS-B's tests are absolute
        for _ in range(10):
            hess = _central(model.gradient, theta)
            hess = (hess + hess.T) / 2
            grad = model.gradient(theta)
            try:
                step = np.linalg.solve(hess, grad)
            except np.linalg.LinAlgError:
                break
            new = theta - step
            dev = model.deviance(theta)
            if new[0] <= 0 or new[2] <= 0 or model.deviance(new) > dev + 1e-13 * (1 + abs(dev)):
                break
            theta = new
            if np.max(np.abs(step)) < 1e-12:
                break
    grad = model.gradient(theta)
    free = np.array([theta[0] > 1e-10, True, theta[2] > 1e-10])
    hess = _central(model.gradient, theta)[np.ix_(free, free)]
    try:  # the Newton decrement g'H⁻¹g: half of it is the criterion still to gain (scale-free)
        decrement = float(grad[free] @ np.linalg.solve((hess + hess.T) / 2, grad[free]))
    except np.linalg.LinAlgError:
        decrement = np.inf
    converged = bool(abs(decrement) < 1e-8)
    status = "ok" if converged else "not_converged"
    if converged and (theta[0] < 1e-4 or theta[2] < 1e-4):
        status = "singular"
    return theta, status


def fit_slopes(design: Design, *, reml: bool, ddf: str = "satterthwaite") -> dict[int, DomainModel]:
    """One random intercept-and-slope fit per domain (numeric ``design.t``); ``ddf`` as mixed_model."""
    out: dict[int, DomainModel] = {}
    cells = design.cells()
    p = design.x.shape[1]
    for d in range(len(design.domains)):
        sel = design.domain == d
        if not sel.any():
            continue
        st = _stats(design, sel)
        x_mean = st.xtx[0] / st.n_obs
        n_par = p + 4
        resid = st.yty - st.xty @ np.linalg.lstsq(st.xtx, st.xty, rcond=None)[0]
        if (
            st.n_families < 3
            or st.n_obs <= st.n_families
            or st.n_obs - p <= 0
            or np.linalg.matrix_rank(st.xtx) < p
            or resid <= 1e-12 * max(st.yty, 1.0)
        ):
            cols = dict.fromkeys(
                ["var_family", "var_slope", "cor_intercept_slope", "var_residual", "icc"], np.nan
            )
            out[d] = DomainModel("too_few", np.full(p, np.nan), None, np.nan, n_par, st.n_obs, st.n_families, np.nan,
                                 x_mean, cols, cells.get(d, {}), st.xtx)  # fmt: skip
            continue
        model = _Model(st, reml)
        theta, status = _fit(model)
        pt = model.parts(theta)
        sigma2 = float(pt["q"]) / model.dof
        vp = np.concatenate([theta, [np.sqrt(sigma2)]])
        hess = _central(model.gradient_vp, vp)
        a_varpar, posdef = vcov_varpar((hess + hess.T) / 2)
        if not posdef and status == "ok":
            status = "not_converged"
        jac = _central(model.vcov, vp)
        beta = np.asarray(pt["beta"])
        vcov = sigma2 * np.linalg.inv(pt["m"])
        lam = _lam(theta)
        g = sigma2 * lam @ lam.T  # covariance of (intercept, slope)
        cor = g[0, 1] / np.sqrt(g[0, 0] * g[1, 1]) if g[0, 0] > 0 and g[1, 1] > 0 else np.nan
        dev = model.deviance(theta)
        cols = {"var_family": g[0, 0], "var_slope": g[1, 1], "cor_intercept_slope": cor, "var_residual": sigma2,
                "icc": g[0, 0] / (g[0, 0] + sigma2)}  # fmt: skip
        inference: Satterthwaite | KenwardRoger = Satterthwaite(vcov, jac, a_varpar)
        if ddf == "kenward-roger":
            t = design.t[sel]  # type: ignore[index]
            z = np.column_stack([np.ones(len(t)), t])
            inference = kenward_roger_blocks(design.x[sel], z, design.family[sel], g, sigma2, vcov)
        out[d] = DomainModel(status, beta, inference, -dev / 2, n_par, st.n_obs,
                             st.n_families, dev, x_mean, cols, cells.get(d, {}), st.xtx)  # fmt: skip
    return out
