"""The random-intercept REML/ML engine behind :func:`impactkit.measures.mixed_model`.

Written out rather than delegated: with one random intercept per family the marginal covariance
of family *i* is ``V_i = σ² (I + λ J)`` with λ = τ²/σ², so (Sherman-Morrison)
``V_i⁻¹ = σ⁻² (I − w_i J)`` with ``w_i = λ / (1 + n_i λ)`` and ``log|V_i| = n_i log σ² + log(1 + n_i λ)``.
Every quantity of the REML criterion is then a sum over families of terms that depend on the
family only through its row count ``n_i``, its column sums ``s_i = X_i'1`` and its score sum
``t_i``; grouping families by ``n_i`` leaves a handful of p×p matrices, so one evaluation of the
profiled criterion costs microseconds however many families there are.  λ is found by a coarse
grid plus bounded Brent search on log λ, polished by Newton steps with analytic derivatives; the
boundary λ = 0 is checked explicitly (status ``singular``).

Standard errors are lme4's ``(X'V⁻¹X)⁻¹ = σ² (X'H⁻¹X)⁻¹`` (H = V/σ²); denominator df are Satterthwaite's as lmerTest
computes them, from the exact (analytic) Hessian of the REML deviance in lme4's parameters
(θ = τ/σ, σ) and the exact derivatives of cov(β̂) (see :mod:`._satterthwaite`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy import optimize

from impactkit.measures._mixed_design import Design
from impactkit.measures._satterthwaite import vcov_varpar

__all__ = ["Fit", "Profile", "Sums", "domain_sums", "fit_domain"]

_GRID = np.linspace(-14.0, 10.0, 25)  # log λ


@dataclass
class Sums:
    """Sufficient statistics of one domain: global cross-products and per-n family classes."""

    xtx: np.ndarray
    xty: np.ndarray
    yty: float
    ns: np.ndarray  # distinct family sizes
    cnts: np.ndarray  # number of families of each size
    a: np.ndarray  # (K, p, p): Σ s_i s_i'
    b: np.ndarray  # (K, p): Σ s_i t_i
    c: np.ndarray  # (K,): Σ t_i²
    n_obs: int
    n_families: int
    ybar: float


@dataclass
class Fit:
    status: str
    beta: np.ndarray
    vcov: np.ndarray
    jac: np.ndarray
    a_varpar: np.ndarray
    sigma2: float
    tau2: float
    deviance: float


class Profile:
    """The REML (or ML) criterion of one domain as a function of u = λ = θ²."""

    def __init__(self, s: Sums, reml: bool) -> None:
        self.s = s
        self.reml = reml
        self.p = s.xtx.shape[0]
        self.dof = s.n_obs - self.p if reml else s.n_obs

    def parts(self, u: float) -> dict[str, Any]:
        s = self.s
        den = 1.0 + s.ns * u
        w, w1, w2 = u / den, 1.0 / den**2, -2.0 * s.ns / den**3
        m = s.xtx - np.einsum("k,kij->ij", w, s.a)
        g = s.xty - w @ s.b
        h = s.yty - w @ s.c
        beta = np.linalg.solve(m, g)
        q = float(h - g @ beta)
        return {"u": u, "w1": w1, "w2": w2, "m": m, "g": g, "h": h, "beta": beta, "q": q, "den": den}

    def deviance(self, u: float) -> float:
        """Profiled criterion: (dof)(1 + log(2π q/dof)) + Σ log(1 + n_i λ) [+ log|X'H⁻¹X|]."""
        try:
            pt = self.parts(u)
        except np.linalg.LinAlgError:
            return np.inf
        if pt["q"] <= 0:
            return -np.inf if pt["q"] == 0 else np.inf
        dev = self.dof * (1.0 + np.log(2 * np.pi * pt["q"] / self.dof)) + self.s.cnts @ np.log(pt["den"])
        if self.reml:
            sign, logdet = np.linalg.slogdet(pt["m"])
            dev = dev + logdet if sign > 0 else np.inf
        return float(dev)

    def derivatives(self, u: float) -> dict[str, float]:
        """Analytic first and second derivatives w.r.t. u of f = Σlog(1+n u) [+ log|M|] and of q."""
        s, pt = self.s, self.parts(u)
        m_inv = np.linalg.inv(pt["m"])
        m1 = -np.einsum("k,kij->ij", pt["w1"], s.a)
        m2 = -np.einsum("k,kij->ij", pt["w2"], s.a)
        g1, g2 = -pt["w1"] @ s.b, -pt["w2"] @ s.b
        h1, h2 = -pt["w1"] @ s.c, -pt["w2"] @ s.c
        beta = pt["beta"]
        beta1 = m_inv @ (g1 - m1 @ beta)
        q1 = h1 - 2 * g1 @ beta + beta @ m1 @ beta
        q2 = h2 - 2 * g2 @ beta - 2 * g1 @ beta1 + beta @ m2 @ beta + 2 * beta @ m1 @ beta1
        f1 = float(s.cnts @ (s.ns / pt["den"]))
        f2 = float(-s.cnts @ (s.ns**2 / pt["den"] ** 2))
        if self.reml:
            mm1 = m_inv @ m1
            f1 += float(np.trace(mm1))
            f2 += float(np.trace(m_inv @ m2) - np.trace(mm1 @ mm1))
        return {"q": pt["q"], "q1": float(q1), "q2": float(q2), "f1": f1, "f2": f2, "m_inv": m_inv, "m1": m1}

    def slope(self, u: float) -> tuple[float, float]:
        """First and second derivative of the profiled deviance w.r.t. u."""
        d = self.derivatives(u)
        r = d["q1"] / d["q"]
        return self.dof * r + d["f1"], self.dof * (d["q2"] / d["q"] - r**2) + d["f2"]


def _optimise(prof: Profile) -> tuple[float, str]:
    """λ̂ and a status: grid + bounded Brent on log λ, Newton polish, boundary check at 0."""
    devs = np.array([prof.deviance(np.exp(phi)) for phi in _GRID])
    if not np.isfinite(devs).any():
        return np.nan, "not_converged"
    k = int(np.nanargmin(devs))
    # the slope at the boundary is 0 exactly in some designs; rounding must not decide the status
    slope0 = prof.slope(0.0)[0]
    flat_or_up = slope0 >= -1e-10 * prof.dof
    if k == 0 and flat_or_up:
        return 0.0, "singular"
    lo, hi = _GRID[max(k - 1, 0)], _GRID[min(k + 1, len(_GRID) - 1)]
    res = optimize.minimize_scalar(
        lambda phi: prof.deviance(np.exp(phi)), bounds=(lo, hi), method="bounded", options={"xatol": 1e-10}
    )
    u = float(np.exp(res.x))
    for _ in range(8):  # Newton on u from Brent's answer, kept only while it lowers the criterion
        d1, d2 = prof.slope(u)
        if d2 <= 0 or abs(d1) <= 1e-14 * d2 * u:
            break
        u_new = u - d1 / d2
        dev = prof.deviance(u)
        if u_new <= 0 or prof.deviance(u_new) > dev + 1e-11 * (1.0 + abs(dev)):
            break
        u = u_new
    if flat_or_up and prof.deviance(0.0) <= prof.deviance(u):
        return 0.0, "singular"
    d1, d2 = prof.slope(u)
    # at an interior optimum the Newton step (in log λ) must be negligible
    if not (d2 > 0 and abs(d1 / d2) <= 1e-7 * u) and abs(d1 * u) > 1e-6:
        return u, "not_converged"
    return u, "singular" if np.sqrt(u) < 1e-4 else "ok"


def _hessian(prof: Profile, u: float, sigma: float) -> tuple[np.ndarray, dict[str, Any]]:
    """Exact Hessian of the (REML) deviance in (θ, σ), θ = √u, at σ; plus the pieces used."""
    d = prof.derivatives(u)
    theta = np.sqrt(u)
    s2 = sigma**2
    du = d["f1"] + d["q1"] / s2
    duu = d["f2"] + d["q2"] / s2
    h_tt = 2 * du + 4 * u * duu
    h_ts = 2 * theta * (-2 * d["q1"] / sigma**3)
    h_ss = 6 * d["q"] / sigma**4 - 2 * prof.dof / s2
    return np.array([[h_tt, h_ts], [h_ts, h_ss]]), d


def fit_domain(s: Sums, reml: bool) -> Fit:
    p = s.xtx.shape[0]
    nan = Fit("too_few", np.full(p, np.nan), np.full((p, p), np.nan), np.zeros((2, p, p)),
               np.zeros((2, 2)), np.nan, np.nan, np.nan)  # fmt: skip
    if (
        s.n_families < 2
        or s.n_obs <= s.n_families
        or s.n_obs - p <= 0
        or np.linalg.matrix_rank(s.xtx) < p
        or s.yty - s.xty @ np.linalg.lstsq(s.xtx, s.xty, rcond=None)[0] <= 1e-12 * max(s.yty, 1.0)
    ):
        return nan
    prof = Profile(s, reml)
    u, status = _optimise(prof)
    if not np.isfinite(u):
        return Fit("not_converged", *list(vars(nan).values())[1:])
    pt = prof.parts(u)
    sigma2 = pt["q"] / prof.dof
    sigma = np.sqrt(sigma2)
    hess, d = _hessian(prof, u, sigma)
    a_varpar, posdef = vcov_varpar(hess)
    if not posdef and status == "ok":
        status = "not_converged"
    m_inv = d["m_inv"]
    jac = np.stack([-sigma2 * 2 * np.sqrt(u) * (m_inv @ d["m1"] @ m_inv), 2 * sigma * m_inv])
    beta = pt["beta"].copy()
    beta[0] += s.ybar  # the scores were centred on their mean; column 0 is the intercept
    return Fit(status, beta, sigma2 * m_inv, jac, a_varpar, sigma2, u * sigma2, prof.deviance(u))


def domain_sums(design: Design) -> list[Sums]:
    """Per-domain sufficient statistics from one vectorised pass over all rows."""
    n_dom, n_fam = len(design.domains), len(design.family_ids)
    p = design.x.shape[1]
    dom, x = design.domain, design.x
    n_per_dom = np.bincount(dom, minlength=n_dom)
    ybar = np.bincount(dom, weights=design.y, minlength=n_dom) / np.maximum(n_per_dom, 1)
    y = design.y - ybar[dom]
    key = dom * n_fam + design.family
    size = n_dom * n_fam
    cnt = np.bincount(key, minlength=size).reshape(n_dom, n_fam)
    s_all = np.stack([np.bincount(key, weights=x[:, j], minlength=size) for j in range(p)], axis=1)
    s_all = s_all.reshape(n_dom, n_fam, p)
    t_all = np.bincount(key, weights=y, minlength=size).reshape(n_dom, n_fam)
    xtx = np.empty((n_dom, p, p))
    for j in range(p):
        for k in range(j, p):
            xtx[:, j, k] = xtx[:, k, j] = np.bincount(dom, weights=x[:, j] * x[:, k], minlength=n_dom)
    xty = np.stack([np.bincount(dom, weights=x[:, j] * y, minlength=n_dom) for j in range(p)], axis=1)
    yty = np.bincount(dom, weights=y * y, minlength=n_dom)
    out = []
    for d in range(n_dom):
        sizes = cnt[d]
        ns = np.unique(sizes[sizes > 0])
        a = np.empty((len(ns), p, p))
        b = np.empty((len(ns), p))
        c = np.empty(len(ns))
        cnts = np.empty(len(ns))
        for i, n in enumerate(ns):
            sel = sizes == n
            sd, td = s_all[d][sel], t_all[d][sel]
            a[i], b[i], c[i], cnts[i] = sd.T @ sd, sd.T @ td, td @ td, sel.sum()
        out.append(
            Sums(xtx[d], xty[d], float(yty[d]), ns.astype(float), cnts, a, b, c,
                  int(n_per_dom[d]), int((sizes > 0).sum()), float(ybar[d]))
        )  # fmt: skip
    return out
