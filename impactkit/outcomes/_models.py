"""Rate ratios between phases: count GLMMs with a family effect, cluster-robust GEE, or exact tests.

``count ~ phase + offset(log(exposure_years)) + (1 | family)`` per outcome; the rate ratio of phase
*p* against phase *q* is ``exp(β_p − β_q)``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from impactkit.errors import DesignError, ParameterError, check_choice
from impactkit.measures._adjust import adjust_pvalues
from impactkit.outcomes._glmm import fit_count_glmm
from impactkit.outcomes._phases import PHASES
from impactkit.outcomes._results import RateRatios, check_counts

__all__ = ["METHODS", "exact_rate_ratio", "rate_ratios"]

METHODS = ("negbin", "poisson", "gee", "gee_independence", "exact")
COLUMNS = [
    "source", "outcome", "label", "unit", "contrast", "phase", "reference", "events", "ref_events",
    "exposure_years", "ref_exposure_years", "estimate", "se", "rate_ratio", "ci_low", "ci_high", "z",
    "p_value", "p_adjusted", "adjust_method", "sd_family", "theta", "working_corr", "n_families", "n_obs",
    "loglik", "method", "status",
]  # fmt: skip


def exact_rate_ratio(
    count: float, exposure: float, ref_count: float, ref_exposure: float, *, conf_level: float = 0.95
) -> tuple[float, float, float, float]:
    """Rate ratio ``(count/exposure) / (ref_count/ref_exposure)`` with its exact CI and p-value.

    Conditional on the total, ``count ~ Binomial(count + ref_count, π)`` with
    ``π = RR·t / (RR·t + t_ref)``: a Clopper-Pearson interval for π gives the interval for RR and the
    two-sided binomial test of ``RR = 1`` the p-value, as R's ``poisson.test(c(x, x_ref), c(t, t_ref))``.
    Events are taken as independent (no family clustering): a check for small projects, not a model.

    >>> [round(v, 4) for v in exact_rate_ratio(0, 3.25, 10, 5)]  # no events after, 10 before
    [0.0, 0.0, 0.6863, 0.0082]
    """
    x, n = round(count), round(count + ref_count)
    if n == 0:
        return np.nan, np.nan, np.nan, np.nan
    ratio = exposure / ref_exposure
    test = stats.binomtest(x, n, p=ratio / (1 + ratio))
    ci = test.proportion_ci(confidence_level=conf_level, method="exact")

    def rr(p: float) -> float:
        return np.inf if p >= 1 else p / (1 - p) / ratio

    est = (count / exposure) / (ref_count / ref_exposure) if ref_count > 0 else np.inf
    return float(est), rr(ci.low), rr(ci.high), float(test.pvalue)


def _contrasts(phases: list[str], reference: str) -> list[tuple[str, str]]:
    pairs = [(p, reference) for p in phases if p != reference]
    rest = [p for p in phases if p != reference]
    for i, p in enumerate(rest):
        for q in rest[:i]:
            pairs.append((p, q))
    return pairs


def _design(phase: np.ndarray, fitted: list[str]) -> np.ndarray:
    return np.column_stack([np.ones(len(phase))] + [(phase == p).astype(float) for p in fitted[1:]])


def _gee(y: np.ndarray, x: np.ndarray, offset: np.ndarray, groups: np.ndarray, exchangeable: bool) -> dict:
    """Poisson GEE with a log link and an exchangeable (or independence) working correlation.

    The estimator of ``statsmodels`` GEE / ``geepack::geeglm`` (``ddof_scale=0``), vectorised over
    families: Fisher-scoring steps ``Σ D'V⁻¹D · δ = Σ D'V⁻¹(y − μ)`` with the exchangeable
    ``R⁻¹ = (I − c 11') / (1 − α)``, ``c = α / (1 + (m − 1) α)`` per family of m rows, α by the moment
    estimator after each step, and the cluster-robust (sandwich) covariance at the end.  statsmodels
    loops over the families in Python (18 s of the annual report at 100,000 families).
    """
    order = np.argsort(groups, kind="stable")
    # the estimating equations are scale-free: fit y / c (e.g. euros in units of their mean) and move
    # the intercept back by log c; slopes, robust SEs and the working correlation are unchanged
    c = float(np.mean(y)) if np.mean(y) > 0 else 1.0
    y, x, off = y[order] / c, x[order], offset[order]
    cluster = np.unique(groups[order], return_inverse=True)[1]
    size = np.bincount(cluster).astype(float)
    starts = np.flatnonzero(np.r_[True, cluster[1:] != cluster[:-1]])

    def per_family(v: np.ndarray) -> np.ndarray:
        return np.add.reduceat(v, starts, axis=0)

    def moments(beta: np.ndarray, alpha: float) -> tuple[np.ndarray, ...]:
        mu = np.exp(np.einsum("nr,r->n", x, beta) + off)
        sd = np.sqrt(mu)
        z, e = x * sd[:, None], (y - mu) / sd  # A^½ X and Pearson residuals
        cm = alpha / (1.0 + (size - 1.0) * alpha)
        zs, es = per_family(z), per_family(e)
        bmat = (np.einsum("ni,nj->ij", z, z) - np.einsum("g,gi,gj->ij", cm, zs, zs)) / (1.0 - alpha)
        u = (per_family(z * e[:, None]) - (cm * es)[:, None] * zs) / (1.0 - alpha)  # per family D'V⁻¹r
        return bmat, u, e, es

    beta = _poisson_glm(y, x, off)
    alpha, ok, updated = 0.0, False, False  # α is updated at least once before stopping
    for _ in range(200):
        bmat, u, _e, _es = moments(beta, alpha)
        score = u.sum(axis=0)
        try:
            step = np.linalg.solve(bmat, score)
        except np.linalg.LinAlgError:
            return {"status": "not_converged"}
        beta = beta + step
        if np.sqrt(np.sum(score**2)) < 1e-10 and updated:
            ok = True
            break
        if exchangeable:  # the moment estimator of α (statsmodels' Exchangeable.update, ddof 0)
            _b, _u, e, es = moments(beta, alpha)
            scale = float(np.sum(e**2)) / len(e)
            pairs = float(np.sum(size * (size - 1.0) / 2))
            alpha = float(np.sum(es**2 - per_family(e**2)) / 2 / scale / pairs) if pairs else 0.0
        updated = True
    bmat, u, _e, _es = moments(beta, alpha)
    try:
        bread = np.linalg.inv(bmat)
    except np.linalg.LinAlgError:
        return {"status": "not_converged"}
    vcov = bread @ (u.T @ u) @ bread
    ok = ok and bool(np.all(np.isfinite(vcov))) and bool(np.all(np.isfinite(beta)))
    beta = beta.copy()
    beta[0] += np.log(c)
    return {"beta": beta, "vcov": vcov, "alpha": alpha, "status": "ok" if ok else "not_converged"}


def _poisson_glm(y: np.ndarray, x: np.ndarray, offset: np.ndarray) -> np.ndarray:
    """Poisson GLM with a log link by IRLS (the start of the GEE, as statsmodels starts from it)."""
    beta = np.zeros(x.shape[1])
    beta[0] = np.log(max(float(np.sum(y)), 1e-10) / float(np.sum(np.exp(offset))))
    for _ in range(100):
        eta = np.einsum("nr,r->n", x, beta)
        mu = np.exp(eta + offset)
        wx = x * mu[:, None]
        new = np.linalg.lstsq(np.einsum("ni,nj->ij", x, wx), np.einsum("ni,n->i", x, y - mu), rcond=None)[0]
        beta = beta + new
        if np.max(np.abs(new)) < 1e-12:
            break
    return beta


def rate_ratios(
    counts: pd.DataFrame,
    *,
    method: str = "negbin",
    n_agq: int = 25,
    reference: str | None = None,
    outcomes: Iterable[str] | None = None,
    conf_level: float = 0.95,
    adjust: str = "holm",
) -> RateRatios:
    """Rate ratios between before, during and after per outcome, with confidence intervals.

    Parameters
    ----------
    counts : PhaseCounts or DataFrame
        :func:`phase_counts`: ``family_id, phase, source, outcome, count, exposure_years``.
    method : {"negbin", "poisson", "gee", "gee_independence", "exact"}, default "negbin"
        ``negbin``/``poisson``: a GLMM with a random family intercept, ``count ~ phase +
        offset(log(exposure)) + (1 | family)``, by adaptive Gauss-Hermite quadrature (as
        ``lme4::glmer(nAGQ = 25)``; ``n_agq = 1`` is the Laplace approximation of ``glmmTMB``);
        ``negbin`` is NB2 (variance μ + μ²/θ) and falls back to the Poisson when θ → ∞.
        ``gee``: Poisson GEE with an exchangeable working correlation and cluster-robust SEs (as
        ``geepack::geeglm``), valid for any non-negative outcome (hours, euros).  ``exact``: the
        pooled conditional test of ``poisson.test``, ignoring clustering (for very small projects).
    n_agq : int, default 25
        Quadrature nodes of the GLMM; sparse counts need many (10 can be off by 1e-3).
    reference : {"before", "during", "after"}, optional
        The phase the others are compared with; default the first phase with data.
    outcomes : list of str, optional
        Only these outcomes (default every outcome in ``counts``).
    conf_level : float, default 0.95
    adjust : {"holm", "bh", "none"}, default "holm"
        Adjustment of p-values across outcomes within each contrast.

    Returns
    -------
    RateRatios
        One row per outcome × contrast: ``source, outcome, label, unit, contrast`` (e.g.
        ``"after/before"``), ``phase, reference, events, ref_events, exposure_years,
        ref_exposure_years, estimate`` (log rate ratio), ``se, rate_ratio, ci_low, ci_high`` (rate
        ratio scale), ``z, p_value, p_adjusted, adjust_method, sd_family, theta, working_corr,
        n_families, n_obs, loglik, method, status``.

    Notes
    -----
    Missing data: a family contributes the phases it was observed in (exposure > 0); valid when
    whether a window is observed does not depend on the counts in it.  A phase without any event
    has rate ratio 0 with no finite model estimate (status ``no_events``): the model is fitted on
    the other phases and ``method="exact"`` gives the interval.  Counts that are not whole numbers
    (hours, euros) need ``method="gee"`` (status ``not_counts`` otherwise).  Before / after without a
    comparison group shows change, not its cause: referral at a crisis makes rates fall anyway.
    """
    check_choice("method", "rate_ratios", method, list(METHODS))
    check_choice("adjust", "rate_ratios", adjust, ["holm", "bh", "none"])
    if reference is not None:
        check_choice("reference", "rate_ratios", reference, list(PHASES))
    if isinstance(n_agq, bool) or not isinstance(n_agq, int | np.integer) or not 1 <= n_agq <= 100:
        raise ParameterError(
            f"The 'n_agq' parameter of rate_ratios must be an integer from 1 to 100. Got {n_agq!r} instead."
        )
    if not 0 < conf_level < 1:
        raise ParameterError(
            f"The 'conf_level' parameter of rate_ratios must be between 0 and 1. Got {conf_level!r} instead."
        )
    data = check_counts(counts, "rate_ratios")
    data = data[(data["exposure_years"] > 0) & data["count"].notna()]
    if outcomes is not None:
        wanted = list(outcomes)
        unknown = sorted(set(wanted) - set(data["outcome"]))
        if unknown:
            raise ParameterError(
                f"The 'outcomes' parameter of rate_ratios names {unknown}, not in the counts. "
                f"Got outcomes {sorted(set(data['outcome']))} instead."
            )
        data = data[data["outcome"].isin(wanted)]
    if data.empty:
        raise DesignError("rate_ratios: no family has exposure in any phase; nothing to compare.")
    crit = stats.norm.ppf(0.5 + conf_level / 2)
    rows: list[dict[str, Any]] = []
    for (source, outcome), d in data.groupby(["source", "outcome"], sort=True, observed=True):
        rows += _outcome_rows(d, str(source), str(outcome), method, n_agq, reference, conf_level, crit)
    table = pd.DataFrame(rows, columns=COLUMNS)
    table["p_adjusted"] = np.nan
    for _, idx in table.groupby("contrast", sort=False).groups.items():
        table.loc[idx, "p_adjusted"] = adjust_pvalues(table.loc[idx, "p_value"].to_numpy(float), adjust)
    table["adjust_method"] = adjust
    notes = [_method_note(method, n_agq), f"p-values adjusted across outcomes within each contrast ({adjust}).",
             "Before / after without a comparison group: a change, not its cause (families are often referred "
             "at a peak, so rates tend to fall anyway)."]  # fmt: skip
    meta = {"method": method, "n_agq": n_agq, "conf_level": conf_level, "adjust": adjust, "notes": notes}
    return RateRatios(table, meta=meta)


def _method_note(method: str, n_agq: int) -> str:
    q = "Laplace approximation" if n_agq == 1 else f"adaptive Gauss-Hermite quadrature, {n_agq} nodes"
    return {
        "negbin": f"Negative binomial (NB2) GLMM, count ~ phase + offset(log exposure) + (1 | family), {q}; Wald CIs.",
        "poisson": f"Poisson GLMM, count ~ phase + offset(log exposure) + (1 | family), {q}; Wald CIs.",
        "gee": "Poisson GEE with offset, exchangeable working correlation, cluster-robust (sandwich) SEs; Wald CIs.",
        "gee_independence": "Poisson GEE with offset, independence working correlation, cluster-robust SEs.",
        "exact": "Exact conditional test of two Poisson rates (poisson.test), pooled over families: ignores "
        "clustering, so it is too optimistic when a few families carry most events.",
    }[method]


def _outcome_rows(
    d: pd.DataFrame, source: str, outcome: str, method: str, n_agq: int, reference: str | None,
    conf_level: float, crit: float,
) -> list[dict[str, Any]]:  # fmt: skip
    phase = d["phase"].astype(str).to_numpy()
    present = [p for p in PHASES if (phase == p).any()]
    ref = reference if reference is not None else (present[0] if present else "before")
    tot = d.groupby(d["phase"].astype(str))[["count", "exposure_years"]].sum()
    events = {str(k): float(v) for k, v in tot["count"].items()}
    years = {str(k): float(v) for k, v in tot["exposure_years"].items()}
    base = {"source": source, "outcome": outcome, "label": str(d["label"].iloc[0]), "unit": str(d["unit"].iloc[0]),
            "method": method, "n_families": int(d["family_id"].nunique()), "n_obs": len(d)}  # fmt: skip
    pairs = _contrasts(present, ref) if ref in present else []
    if not pairs:
        return [base | {"contrast": f"-/{ref}", "phase": None, "reference": ref, "status": "too_few"}]

    def totals(p: str) -> dict[str, float]:
        return {"events": events[p], "exposure_years": years[p]}

    out = []
    if method == "exact":
        for p, q in pairs:
            a, b = totals(p), totals(q)
            rr, lo, hi, pv = exact_rate_ratio(a["events"], a["exposure_years"], b["events"], b["exposure_years"],
                                              conf_level=conf_level)  # fmt: skip
            out.append(base | _pair(p, q, a, b) | {"rate_ratio": rr, "ci_low": lo, "ci_high": hi, "p_value": pv,
                       "estimate": np.log(rr) if rr > 0 else -np.inf, "n_families": int(d.loc[np.isin(phase, [p, q]),
                       "family_id"].nunique()), "status": "ok" if np.isfinite(pv) else "no_events"})  # fmt: skip
        return out
    y = d["count"].to_numpy(float)
    if method in ("negbin", "poisson") and not np.all(y == np.round(y)):
        return [base | _pair(p, q, totals(p), totals(q)) | {"status": "not_counts"} for p, q in pairs]
    fitted = [p for p in present if events[p] > 0]
    if ref in fitted:
        fitted = [ref] + [p for p in fitted if p != ref]
    fit: dict[str, Any] = {"status": "no_events"}
    if len(fitted) >= 1:
        sel = np.isin(phase, fitted)
        x = _design(phase[sel], fitted)
        off = np.log(d["exposure_years"].to_numpy(float)[sel])
        fam = d["family_id"].astype(str).to_numpy()[sel]
        if method in ("negbin", "poisson"):
            g = fit_count_glmm(y[sel], x, off, fam, family=method, n_agq=n_agq)
            fit = {"beta": g.beta, "vcov": g.vcov, "status": g.status, "sd_family": g.sd_family,
                   "theta": g.theta, "loglik": g.loglik}  # fmt: skip
        else:
            fit = _gee(y[sel], x, off, fam, exchangeable=method == "gee")
    for p, q in pairs:
        row = base | _pair(p, q, totals(p), totals(q))
        row |= {k: fit.get(k, np.nan) for k in ("sd_family", "theta", "loglik")}
        row["working_corr"] = fit.get("alpha", np.nan)
        if events[p] == 0 or events[q] == 0:
            rr = np.nan if events[p] == events[q] else (0.0 if events[p] == 0 else np.inf)
            out.append(row | {"rate_ratio": rr, "estimate": np.log(rr) if rr > 0 else -np.inf if rr == 0 else np.nan,
                              "status": "no_events"})  # fmt: skip
            continue
        if "beta" not in fit:
            out.append(row | {"status": fit["status"]})
            continue
        ell = np.zeros(len(fitted))
        if p != fitted[0]:
            ell[fitted.index(p)] += 1
        if q != fitted[0]:
            ell[fitted.index(q)] -= 1
        est = float(ell @ fit["beta"])
        var = float(ell @ fit["vcov"] @ ell)
        se = float(np.sqrt(var)) if var >= 0 else np.nan
        z = est / se if se > 0 else np.nan
        out.append(row | {"estimate": est, "se": se, "rate_ratio": np.exp(est), "ci_low": np.exp(est - crit * se),
                          "ci_high": np.exp(est + crit * se), "z": z, "p_value": 2 * stats.norm.sf(abs(z)),
                          "status": fit["status"]})  # fmt: skip
    return out


def _pair(p: str, q: str, a: dict[str, float], b: dict[str, float]) -> dict[str, Any]:
    return {"contrast": f"{p}/{q}", "phase": p, "reference": q, "events": a["events"], "ref_events": b["events"],
            "exposure_years": a["exposure_years"], "ref_exposure_years": b["exposure_years"]}  # fmt: skip
