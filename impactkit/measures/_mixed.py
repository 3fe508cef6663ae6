"""Linear mixed model per domain: ``score ~ wave (+ by × wave) (+ covariates) + (1 | family)``.

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
import pandas as pd
from scipy import optimize, stats

from impactkit.errors import DesignError, check_choice
from impactkit.measures._adjust import check_adjust
from impactkit.measures._mixed_design import Design, adjust_note, build_design, finish_tables
from impactkit.measures._mixed_result import MixedModelResult
from impactkit.measures._satterthwaite import contest1d, contest_md, vcov_varpar

__all__ = ["MixedModelResult", "mixed_model"]

STATUSES = ("ok", "singular", "not_converged", "too_few")
_GRID = np.linspace(-14.0, 10.0, 25)  # log λ


@dataclass
class _Sums:
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
class _Fit:
    status: str
    beta: np.ndarray
    vcov: np.ndarray
    jac: np.ndarray
    a_varpar: np.ndarray
    sigma2: float
    tau2: float
    deviance: float


class _Profile:
    """The REML (or ML) criterion of one domain as a function of u = λ = θ²."""

    def __init__(self, s: _Sums, reml: bool) -> None:
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


def _optimise(prof: _Profile) -> tuple[float, str]:
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


def _hessian(prof: _Profile, u: float, sigma: float) -> tuple[np.ndarray, dict[str, Any]]:
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


def _fit(s: _Sums, reml: bool) -> _Fit:
    p = s.xtx.shape[0]
    nan = _Fit("too_few", np.full(p, np.nan), np.full((p, p), np.nan), np.zeros((2, p, p)),
               np.zeros((2, 2)), np.nan, np.nan, np.nan)  # fmt: skip
    if (
        s.n_families < 2
        or s.n_obs <= s.n_families
        or s.n_obs - p <= 0
        or np.linalg.matrix_rank(s.xtx) < p
        or s.yty - s.xty @ np.linalg.lstsq(s.xtx, s.xty, rcond=None)[0] <= 1e-12 * max(s.yty, 1.0)
    ):
        return nan
    prof = _Profile(s, reml)
    u, status = _optimise(prof)
    if not np.isfinite(u):
        return _Fit("not_converged", *list(vars(nan).values())[1:])
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
    return _Fit(status, beta, sigma2 * m_inv, jac, a_varpar, sigma2, u * sigma2, prof.deviance(u))


def _domain_sums(design: Design) -> list[_Sums]:
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
            _Sums(xtx[d], xty[d], float(yty[d]), ns.astype(float), cnts, a, b, c,
                  int(n_per_dom[d]), int((sizes > 0).sum()), float(ybar[d]))
        )  # fmt: skip
    return out


def mixed_model(
    data: pd.DataFrame,
    *,
    covariates: list[str] | str | None = None,
    by: str | None = None,
    ordinal: bool = False,
    families: pd.DataFrame | None = None,
    method: str = "reml",
    adjust: str = "holm",
    adjust_over: str = "domains",
    conf_level: float = 0.95,
) -> MixedModelResult:
    """Linear mixed model per domain with a random intercept per family, on all observed rows.

    Fits ``score ~ wave (+ by × wave) (+ covariates) + (1 | family)`` separately for every domain,
    as ``lme4::lmer(..., REML=TRUE)`` with lmerTest's Satterthwaite df would.  Only a random
    intercept: no random slopes, no other grouping levels.

    Parameters
    ----------
    data : DataFrame
        The canonical long assessment frame (``ik.canonical`` / ``ik.read_assessments``).
    covariates : str or list of str, optional
        Family-level columns of ``families`` added as fixed effects (numeric as they are,
        others treatment-coded against their first level in sorted order).
    by : str, optional
        A families column (municipality, household_type, programme...): the model becomes
        ``score ~ wave * by``; intercept and wave contrasts are reported within every group and
        an F test of ``wave:by`` (do the wave effects differ between groups?) is added.
    ordinal : bool, default False
        Fit a cumulative-logit mixed model instead (see :func:`impactkit.measures.clmm`).
    families : DataFrame, optional
        The families table; required with ``covariates`` or ``by``.
    method : {"reml", "ml"}, default "reml"
        Ignored with ``ordinal=True`` (maximum likelihood).
    adjust : str, default "holm"
        Adjustment of the wave-contrast and omnibus p-values into ``p_adjusted``: any method of
        :func:`impactkit.p_adjust`.
    adjust_over : {"domains", "all"}, default "domains"
        The family of tests: ``"domains"`` is one family per wave contrast (and group) across the
        domains; ``"all"`` one family of every wave contrast of every domain (and group); omnibus
        tests likewise per term or all together.
    conf_level : float, default 0.95

    Returns
    -------
    MixedModelResult
        One row per domain × (group ×) term with columns ``domain, [by, group,] term, estimate, se,
        df, t, p_value, p_adjusted, adjust_method, ci_low, ci_high, var_family, var_residual, icc,
        n_families, n_obs, status``.
        ``term`` is ``intercept`` (mean at the first wave), one row per later wave id (the
        contrast with the first wave), then covariate terms.  ``status`` is ``ok``, ``singular``
        (family variance estimated at zero), ``not_converged`` or ``too_few`` (fewer than two
        families, no family with two scores, a wave without scores, or a constant domain; the
        numbers are then missing).  ``.omnibus`` holds the F tests of wave (and ``wave:by``)
        with columns ``domain, [by, group,] term, f_value, df1, df2, p_value, p_adjusted,
        adjust_method, status``; ``meta["criterion"]`` the REML (or ML) deviance per domain, as
        lme4's ``REMLcrit()`` / ``deviance()``.

    Notes
    -----
    Missing data: every observed score is used; a NaN score and an absent row are identical.
    The estimates are valid when scores are missing at random given the earlier scores of the
    family and the covariates.  Families without a families-table row or with a missing covariate
    are left out (counted in ``notes``).  Standard errors are ``σ̂² (X'V̂⁻¹X)⁻¹`` as lme4, df and
    the F test's denominator df are Satterthwaite's as lmerTest (``anova(type = 3)``); ``p_value`` is
    per domain, ``p_adjusted`` corrects for the number of domains (Holm by default).

    Examples
    --------
    >>> import pandas as pd, impactkit as ik
    >>> from impactkit.measures import mixed_model
    >>> rows = [("f1", "intake", 2), ("f1", "year1", 3), ("f2", "intake", 4), ("f2", "year1", 4),
    ...         ("f3", "intake", 1), ("f3", "year1", 3), ("f4", "intake", 2), ("f5", "intake", 3),
    ...         ("f5", "year1", 5)]
    >>> df = pd.DataFrame(rows, columns=["family_id", "wave", "score"]).assign(domain="finances")
    >>> df = ik.canonical(df)
    >>> res = mixed_model(df)
    >>> res[["domain", "term", "estimate", "se", "df", "status"]].round(3)
         domain       term  estimate     se     df status
    0  finances  intercept      2.40  0.467  5.588     ok
    1  finances      year1      1.29  0.457  3.519     ok
    """
    check_choice("method", "mixed_model", method, ["reml", "ml"])
    adjust = check_adjust(adjust, "mixed_model")
    check_choice("adjust_over", "mixed_model", adjust_over, ["domains", "all"])
    check_choice("ordinal", "mixed_model", ordinal, [True, False])
    if not 0 < conf_level < 1:
        check_choice("conf_level", "mixed_model", conf_level, ["a number strictly between 0 and 1"])
    if ordinal:
        from impactkit.measures._ordinal import clmm

        return clmm(
            data,
            covariates=covariates,
            by=by,
            families=families,
            adjust=adjust,
            adjust_over=adjust_over,
            conf_level=conf_level,
        )
    design = build_design(data, covariates=covariates, by=by, families=families, func="mixed_model")
    sums = _domain_sums(design)
    present = [d for d, s in enumerate(sums) if s.n_obs > 0]
    fits = {d: _fit(sums[d], method == "reml") for d in present}
    if all(f.status == "too_few" for f in fits.values()):
        raise DesignError(
            "mixed_model: no domain can be fitted. Each needs at least two families, a family with "
            "two observed scores, scores at every wave (and in every 'by' group) and some variation."
        )
    return _tabulate(
        design, sums, fits, method=method, adjust=adjust, adjust_over=adjust_over, conf_level=conf_level
    )


def _tabulate(
    design: Design,
    sums: list[_Sums],
    fits: dict[int, _Fit],
    *,
    method: str,
    adjust: str,
    adjust_over: str,
    conf_level: float,
) -> MixedModelResult:
    cons = design.contrasts()
    rows, omni = [], []
    q = 0.5 + conf_level / 2
    for d, fit in fits.items():
        s = sums[d]
        icc = fit.tau2 / (fit.tau2 + fit.sigma2) if fit.status != "too_few" else np.nan
        common = {
            "var_family": fit.tau2,
            "var_residual": fit.sigma2,
            "icc": icc,
            "n_families": s.n_families,
            "n_obs": s.n_obs,
            "status": fit.status,
        }
        for grp, term, ell in cons:
            if fit.status == "too_few":
                est = se = df = np.nan
            else:
                est, se, df = contest1d(ell, fit.beta, fit.vcov, fit.jac, fit.a_varpar)
            t = est / se if se > 0 else np.nan
            crit = stats.t.ppf(q, df) if np.isfinite(df) else np.nan
            row = {"domain": design.domains[d], "group": grp, "term": term, "estimate": est, "se": se,
                   "df": df, "t": t, "p_value": 2 * stats.t.sf(abs(t), df) if np.isfinite(t) else np.nan,
                   "ci_low": est - crit * se, "ci_high": est + crit * se}  # fmt: skip
            rows.append(row | common)
        for grp, term, ell in design.omnibus_tests(s.xtx):
            if fit.status == "too_few":
                f_value, df1, df2, p_value = np.nan, ell.shape[0], np.nan, np.nan
            else:
                f_value, df1, df2, p_value = contest_md(ell, fit.beta, fit.vcov, fit.jac, fit.a_varpar)
            omni.append({"domain": design.domains[d], "group": grp, "term": term, "f_value": f_value,
                         "df1": df1, "df2": df2, "p_value": p_value, "status": fit.status})  # fmt: skip
    needs = "two families with more than one row, or scores that vary"
    table, omnibus = finish_tables(rows, omni, design, adjust, adjust_over, func="mixed_model", needs=needs)
    for frame in (table, omnibus):
        frame["domain"] = pd.Categorical(frame["domain"], categories=design.domains)
    for col in ("n_families", "n_obs"):
        table[col] = table[col].astype("int64")
    notes = [
        f"score ~ {' + '.join(_formula_terms(design))} + (1 | family), {method.upper()}, per domain; "
        "SEs as lme4, df Satterthwaite as lmerTest.",
        f"Wave contrasts against {design.waves[0]!r}; p_adjusted: {adjust_note(adjust, adjust_over)}.",
        *design.notes,
    ]
    n_bad = {st: int((table.drop_duplicates("domain")["status"] == st).sum()) for st in STATUSES[1:]}
    notes += [f"{n} domain(s) with status {st!r}." for st, n in n_bad.items() if n]
    meta = {"method": method, "adjust": adjust, "adjust_over": adjust_over, "conf_level": conf_level, "waves": design.waves, "by": design.by,
            "covariates": design.covariate_columns, "omnibus": omnibus, "notes": notes,
            "instrument": design.instrument, "model": "lmm",
            "criterion": {design.domains[d]: f.deviance for d, f in fits.items()}}  # fmt: skip
    return MixedModelResult(table, meta=meta)


def _formula_terms(design: Design) -> list[str]:
    terms = ["wave" if design.by is None else f"wave * {design.by}"]
    covs = {c.split("=")[0] for c in design.covariate_columns}
    return terms + sorted(covs)
