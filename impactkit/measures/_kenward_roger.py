"""Kenward-Roger small-sample inference for linear mixed models, as ``pbkrtest`` computes it.

Kenward & Roger (1997, *Biometrics* 53: 983-997) replace ``Φ = cov(β̂) = (X'V⁻¹X)⁻¹`` by a bias-
corrected ``Φ_A = Φ + 2 Φ U Φ`` and approximate the distribution of the Wald F of ``L β`` by a
scaled F with estimated denominator df.  This follows ``pbkrtest`` 0.5 line by line
(``vcovAdj_internal``, ``Lb_ddf``, ``.KR_adjust``): the variance parameters are γ = (τ², σ²)
with ``V = τ² G₁ + σ² G₂``, ``G₁ = ZZ'`` (a block of ones per family) and ``G₂ = I``;

    P_r = -X'V⁻¹G_rV⁻¹X,   Q_rs = X'V⁻¹G_rV⁻¹G_sV⁻¹X,
    IE2_rs = tr(V⁻¹G_rV⁻¹G_s) - 2 tr(Φ Q_rs) + tr(Φ P_r Φ P_s),   W = 2 IE2⁻¹,
    U = Σ_rs W_rs (Q_rs - P_r Φ P_s)   (R_rs = 0: V is linear in γ).

Within a family every matrix in play is ``c_I I + c_J J`` (J the matrix of ones), so each sum
over families reduces to the per-family-size sufficient statistics of :mod:`._mixed`
(``X'X`` and ``Σ s_i s_i'`` per size, ``s_i = X_i'1``) and costs nothing however many families.
:func:`kenward_roger_blocks` is the same for a random intercept and slope (any ``G``), batched over
families of equal size.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import stats

__all__ = ["KenwardRoger", "kenward_roger", "kenward_roger_blocks"]


@dataclass
class KenwardRoger:
    """Φ_A with the pieces ``Lb_ddf`` and ``.KR_adjust`` need (``P`` list and ``W``)."""

    phi: np.ndarray
    phi_a: np.ndarray
    p: list[np.ndarray]
    w: np.ndarray
    method = "kenward-roger"

    @property
    def vcov(self) -> np.ndarray:
        """The adjusted covariance Φ_A, used for every standard error."""
        return self.phi_a

    def _a1_a2(self, ell: np.ndarray) -> tuple[float, float, int]:
        ell = np.atleast_2d(ell)
        theta = ell.T @ np.linalg.solve(ell @ self.phi @ ell.T, ell)
        tp = theta @ self.phi
        us = [tp @ p_r @ self.phi for p_r in self.p]
        a1 = a2 = 0.0
        k = len(self.p)
        for i in range(k):
            for j in range(i, k):
                e = 1.0 if i == j else 2.0
                a1 += e * self.w[i, j] * np.trace(us[i]) * np.trace(us[j])
                a2 += e * self.w[i, j] * float(np.sum(us[i] * us[j].T))
        return a1, a2, int(np.linalg.matrix_rank(ell))

    def ddf(self, ell: np.ndarray) -> tuple[float, float]:
        """Denominator df and F scaling for the rows of ``ell`` (``Lb_ddf`` / ``.KR_adjust``)."""
        a1, a2, q = self._a1_a2(ell)
        if a2 == 0:  # no uncertainty in the variance parameters reaches this contrast
            return np.inf, 1.0
        b = (a1 + 6 * a2) / (2 * q)
        g = ((q + 1) * a1 - (q + 4) * a2) / ((q + 2) * a2)
        den = 3 * q + 2 * (1 - g)
        c1, c2, c3 = g / den, (q - g) / den, (q + 2 - g) / den
        v0, v1, v2 = 1 + c1 * b, 1 - c2 * b, 1 - c3 * b
        v0 = 0.0 if abs(v0) < 1e-10 else v0
        ratio = (1 - a2 / q) / v1 if v1 != 0 else 0.0  # pbkrtest's .divZero
        rho = ratio**2 * v0 / v2 / q
        df2 = 4 + (q + 2) / (q * rho - 1)
        scaling = 1.0 if abs(df2 - 2) < 1e-2 else df2 * (1 - a2 / q) / (df2 - 2)
        return float(df2), float(scaling)

    def contrast(self, ell: np.ndarray, beta: np.ndarray) -> tuple[float, float, float]:
        """Estimate, adjusted SE and KR df of ``ell @ beta`` (as emmeans / lmerTest with KR)."""
        var = float(ell @ self.phi_a @ ell)
        df, _ = self.ddf(ell)
        return float(ell @ beta), float(np.sqrt(var)) if var >= 0 else np.nan, df

    def ftest(self, ell: np.ndarray, beta: np.ndarray) -> tuple[float, int, float, float]:
        """Scaled F, numerator df, denominator df and p of ``ell @ beta = 0`` (``KRmodcomp``)."""
        ell = np.atleast_2d(ell)
        df2, scaling = self.ddf(ell)
        lb = ell @ beta
        q = int(np.linalg.matrix_rank(ell))
        wald = float(lb @ np.linalg.solve(ell @ self.phi_a @ ell.T, lb))
        f_value = scaling * wald / q
        return f_value, q, df2, float(stats.f.sf(f_value, q, df2))


def _mult(
    x: tuple[float, np.ndarray], y: tuple[float, np.ndarray], n: np.ndarray
) -> tuple[float, np.ndarray]:
    """(a1 I + b1 J)(a2 I + b2 J) for n × n blocks: J J = n J. ``b`` varies with the family size."""
    return x[0] * y[0], x[0] * y[1] + x[1] * y[0] + n * x[1] * y[1]


def kenward_roger(
    xtx: np.ndarray,
    a: np.ndarray,
    ns: np.ndarray,
    cnts: np.ndarray,
    sigma2: float,
    tau2: float,
    phi: np.ndarray,
) -> KenwardRoger:
    """KR pieces of a random-intercept fit from its sufficient statistics.

    ``xtx`` = X'X, ``a[k]`` = Σ s_i s_i' over the families of size ``ns[k]`` (``cnts[k]`` of
    them), ``phi`` = cov(β̂) at the REML estimates σ², τ².
    """
    inv_s = 1.0 / sigma2
    lam = tau2 / sigma2
    vinv = (inv_s, -inv_s * lam / (1 + ns * lam))
    zero = np.zeros_like(ns)
    gs = [(0.0, np.ones_like(ns)), (1.0, zero)]  # G₁ = J (family intercept), G₂ = I (residual)

    def quad(coef: tuple[float, np.ndarray]) -> np.ndarray:
        """Σ_i X_i'(c_I I + c_J J)X_i."""
        return coef[0] * xtx + np.einsum("k,kij->ij", coef[1], a)

    def trace(coef: tuple[float, np.ndarray]) -> float:
        return float(cnts @ (ns * (coef[0] + coef[1])))

    vgv = [_mult(_mult(vinv, g, ns), vinv, ns) for g in gs]
    p_mats = [-quad(c) for c in vgv]
    k = len(gs)
    q_mats: dict[tuple[int, int], np.ndarray] = {}
    ie2 = np.empty((k, k))
    for r in range(k):
        for s in range(r, k):
            q_mats[r, s] = quad(_mult(_mult(vgv[r], gs[s], ns), vinv, ns))
            ktr = trace(_mult(_mult(gs[r], vinv, ns), _mult(gs[s], vinv, ns), ns))
            ie2[r, s] = ie2[s, r] = (
                ktr
                - 2 * float(np.sum(phi * q_mats[r, s]))
                + float(np.sum((phi @ p_mats[r]) * (p_mats[s] @ phi)))
            )
    evals = np.linalg.eigvalsh(ie2)
    w = 2 * np.linalg.inv(ie2) if np.min(np.abs(evals)) > 1e-10 else 2 * np.linalg.pinv(ie2)
    u = np.zeros_like(phi)
    for r in range(k - 1):
        for s in range(r + 1, k):
            u += w[r, s] * (q_mats[r, s] - p_mats[r] @ phi @ p_mats[s])
    u = u + u.T
    for r in range(k):
        u += w[r, r] * (q_mats[r, r] - p_mats[r] @ phi @ p_mats[r])
    phi_a = phi + 2 * phi @ u @ phi
    return KenwardRoger(phi, phi_a, p_mats, w)


def kenward_roger_blocks(
    x: np.ndarray,
    z: np.ndarray,
    family: np.ndarray,
    g: np.ndarray,
    sigma2: float,
    phi: np.ndarray,
) -> KenwardRoger:
    """KR pieces of a fit with a general random-effects covariance ``G`` per family (random slopes).

    ``V_i = Z_i G Z_i' + σ² I``; pbkrtest's variance parameters are the distinct entries of ``G``
    (lower triangle, each with ``G_r = Z_i (E_jk + E_kj) Z_i'``, or ``Z_i E_jj Z_i'`` on the
    diagonal) and σ² (``G = I``): V is linear in them, so ``R_rs = 0`` as above.  Families are
    batched by their number of rows; each block is at most the number of waves wide.
    """
    q = z.shape[1]
    p = x.shape[1]
    units = []
    for j in range(q):
        for k in range(j, q):
            e = np.zeros((q, q))
            e[j, k] = e[k, j] = 1.0
            units.append(e)
    k_par = len(units) + 1
    order = np.argsort(family, kind="stable")
    fam_sorted = family[order]
    starts = np.flatnonzero(np.r_[True, fam_sorted[1:] != fam_sorted[:-1]])
    sizes = np.diff(np.r_[starts, len(order)])
    p_mats = [np.zeros((p, p)) for _ in range(k_par)]
    q_mats = {(r, s): np.zeros((p, p)) for r in range(k_par) for s in range(r, k_par)}
    ktr = np.zeros((k_par, k_par))
    for n in np.unique(sizes):
        rows = order[starts[sizes == n][:, None] + np.arange(n)[None, :]]  # (m, n)
        xb, zb = x[rows], z[rows]  # (m, n, p), (m, n, q)
        eye = np.broadcast_to(np.eye(n), (len(rows), n, n))
        vinv = np.linalg.inv(zb @ g @ zb.transpose(0, 2, 1) + sigma2 * eye)
        gs = [zb @ e @ zb.transpose(0, 2, 1) for e in units] + [eye]
        vg = [vinv @ gr for gr in gs]  # V⁻¹ G_r
        vx = vinv @ xb
        xvg = [xb.transpose(0, 2, 1) @ m for m in vg]  # X'V⁻¹G_r
        for r in range(k_par):
            p_mats[r] -= np.einsum("mij,mjk->ik", xvg[r], vx)
            for s in range(r, k_par):
                q_mats[r, s] += np.einsum("mij,mjk->ik", xvg[r] @ vg[s], vx)
                ktr[r, s] += float(np.einsum("mij,mji->", vg[r], vg[s]))
    ie2 = np.empty((k_par, k_par))
    for r in range(k_par):
        for s in range(r, k_par):
            ie2[r, s] = ie2[s, r] = (
                ktr[r, s]
                - 2 * float(np.sum(phi * q_mats[r, s]))
                + float(np.sum((phi @ p_mats[r]) * (p_mats[s] @ phi)))
            )
    evals = np.linalg.eigvalsh(ie2)
    w = 2 * np.linalg.inv(ie2) if np.min(np.abs(evals)) > 1e-10 else 2 * np.linalg.pinv(ie2)
    u = np.zeros_like(phi)
    for r in range(k_par - 1):
        for s in range(r + 1, k_par):
            u += w[r, s] * (q_mats[r, s] - p_mats[r] @ phi @ p_mats[s])
    u = u + u.T
    for r in range(k_par):
        u += w[r, r] * (q_mats[r, r] - p_mats[r] @ phi @ p_mats[r])
    phi_a = phi + 2 * phi @ u @ phi
    return KenwardRoger(phi, phi_a, p_mats, w)
