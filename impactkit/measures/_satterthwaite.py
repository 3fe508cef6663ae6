"""Satterthwaite degrees of freedom for contrasts of a linear mixed model, as lmerTest computes them.

lmerTest (Kuznetsova, Brockhoff & Christensen 2017, *J. Stat. Softw.* 82(13)) approximates the
denominator df of a contrast ``L β`` by

    df = 2 (L C L')² / (g' A g),   g_k = L (∂C/∂φ_k) L',

where ``C = cov(β̂)`` as a function of the variance parameters φ = (θ, σ) (θ the relative SD of
the random effect, σ the residual SD) and ``A = 2 H⁻¹`` is the asymptotic covariance of φ̂ from the
Hessian ``H`` of the (REML) deviance.  For a multi-row ``L`` the F statistic and its denominator df
follow ``lmerTest:::contestMD``: rotate ``L`` to the eigenvectors of ``L C L'`` and combine the
per-direction df with ``get_Fstat_ddf``.

The callers supply ``C``, the Jacobian ``∂C/∂φ`` (shape ``(k, p, p)``) and ``A``; nothing here
knows how the model was fitted.
"""

from __future__ import annotations

import numpy as np
from scipy import stats

__all__ = ["Satterthwaite", "contest1d", "contest_md", "vcov_varpar"]


def vcov_varpar(hessian: np.ndarray, tol: float = 1e-8) -> tuple[np.ndarray, bool]:
    """``2 H⁻¹`` over the positive eigenvalues of ``H`` (lmerTest's pseudo-inverse).

    Returns the matrix and whether ``H`` was positive definite (False flags a fit that did not
    converge, where lmerTest warns "Model failed to converge with negative eigenvalue").
    """
    evals, evecs = np.linalg.eigh(hessian)
    pos = evals > tol
    inv = (evecs[:, pos] / evals[pos]) @ evecs[:, pos].T
    return 2.0 * inv, bool(np.all(evals > -tol))


def contest1d(
    ell: np.ndarray, beta: np.ndarray, vcov: np.ndarray, jac: np.ndarray, a_varpar: np.ndarray
) -> tuple[float, float, float]:
    """Estimate, standard error and Satterthwaite df of the contrast ``ell @ beta``."""
    var = float(ell @ vcov @ ell)
    grad = np.einsum("i,kij,j->k", ell, jac, ell)
    denom = float(grad @ a_varpar @ grad)
    df = 2.0 * var**2 / denom if denom > 0 else np.inf
    return float(ell @ beta), float(np.sqrt(var)), float(df)


def _fstat_ddf(nu: np.ndarray, tol: float = 1e-8) -> float:
    """lmerTest:::get_Fstat_ddf: combine per-direction df into one denominator df."""
    if len(nu) == 1:
        return float(nu[0])
    if np.all(np.abs(np.diff(nu)) < tol):
        return float(np.mean(nu))
    if np.any(nu <= 2):
        return 2.0
    e = float(np.sum(nu / (nu - 2)))
    return 2.0 * e / (e - len(nu))


def contest_md(
    ell: np.ndarray,
    beta: np.ndarray,
    vcov: np.ndarray,
    jac: np.ndarray,
    a_varpar: np.ndarray,
    eps: float = float(np.sqrt(np.finfo(float).eps)),
) -> tuple[float, int, float, float]:
    """F test of ``ell @ beta = 0`` (rows of ``ell``): F value, numerator df, denominator df, p."""
    ell = np.atleast_2d(ell)
    vl = ell @ vcov @ ell.T
    d, p_vec = np.linalg.eigh(vl)
    order = np.argsort(d)[::-1]
    d, p_vec = d[order], p_vec[:, order]
    pos = d > max(eps * d[0], 0.0)
    q = int(pos.sum())
    if q == 0:
        return np.nan, 0, np.nan, np.nan
    ptl = (p_vec.T @ ell)[:q]
    t2 = (ptl @ beta) ** 2 / d[:q]
    f_value = float(t2.sum() / q)
    nu = np.empty(q)
    for m in range(q):
        grad = np.einsum("i,kij,j->k", ptl[m], jac, ptl[m])
        denom = float(grad @ a_varpar @ grad)
        nu[m] = 2.0 * d[m] ** 2 / denom if denom > 0 else np.inf
    ddf = _fstat_ddf(nu)
    return f_value, q, ddf, float(stats.f.sf(f_value, q, ddf))


class Satterthwaite:
    """Satterthwaite inference for one fitted domain: the same interface as
    :class:`impactkit.measures._kenward_roger.KenwardRoger` (``contrast``, ``ftest``, ``vcov``)."""

    method = "satterthwaite"

    def __init__(self, vcov: np.ndarray, jac: np.ndarray, a_varpar: np.ndarray) -> None:
        self.vcov = vcov
        self.jac = jac
        self.a_varpar = a_varpar

    def contrast(self, ell: np.ndarray, beta: np.ndarray) -> tuple[float, float, float]:
        return contest1d(ell, beta, self.vcov, self.jac, self.a_varpar)

    def ftest(self, ell: np.ndarray, beta: np.ndarray) -> tuple[float, int, float, float]:
        return contest_md(ell, beta, self.vcov, self.jac, self.a_varpar)
