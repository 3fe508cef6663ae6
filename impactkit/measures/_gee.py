"""GEE check of the mixed model: ``score ~ wave (+ by × wave) (+ covariates)``, exchangeable, robust SE.

A marginal model whose cluster-robust (sandwich) standard errors stay valid when the random-
intercept assumption is wrong; if its wave contrasts agree with :func:`mixed_model`'s, the
conclusion does not hang on that assumption.  Fitted with statsmodels' ``GEE`` (Gaussian,
identity link, exchangeable working correlation), matching ``geepack::geeglm(corstr =
"exchangeable")``.  Unlike the mixed model it is valid only when scores are missing completely at
random (or given the covariates), not merely at random given earlier scores.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
from scipy import stats
from statsmodels.genmod import families as sm_families
from statsmodels.genmod.cov_struct import Exchangeable
from statsmodels.genmod.generalized_estimating_equations import GEE
from statsmodels.tools.sm_exceptions import ConvergenceWarning, IterationLimitWarning

from impactkit.errors import check_choice
from impactkit.measures._adjust import check_adjust
from impactkit.measures._mixed_design import (
    adjust_note,
    build_design,
    finish_group_table,
    finish_tables,
    wald_group_rows,
)
from impactkit.measures._mixed_result import MixedModelResult

__all__ = ["gee"]


def _fit_one(y: np.ndarray, x: np.ndarray, groups: np.ndarray) -> dict[str, object]:
    p = x.shape[1]
    n_fam = len(np.unique(groups))
    bad = {"status": "too_few", "beta": np.full(p, np.nan), "vcov": np.full((p, p), np.nan),
           "alpha": np.nan, "scale": np.nan}  # fmt: skip
    if n_fam < 2 or len(y) - p <= 0 or np.linalg.matrix_rank(x) < p or np.ptp(y) == 0:
        return bad
    order = np.argsort(groups, kind="stable")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        model = GEE(y[order], x[order], groups=groups[order], family=sm_families.Gaussian(),
                    cov_struct=Exchangeable())  # fmt: skip
        try:
            res = model.fit(maxiter=100, ctol=1e-10, ddof_scale=0)
        except (np.linalg.LinAlgError, ValueError):
            return bad | {"status": "not_converged"}
    flagged = any(issubclass(w.category, ConvergenceWarning | IterationLimitWarning) for w in caught)
    vcov = np.asarray(res.cov_robust)
    return {
        "status": "not_converged" if flagged or not np.all(np.isfinite(vcov)) else "ok",
        "beta": np.asarray(res.params),
        "vcov": vcov,
        "alpha": float(model.cov_struct.dep_params),
        "scale": float(res.scale),
    }


def _qic(y: np.ndarray, x: np.ndarray, fit: dict[str, object]) -> dict[str, float]:
    """Pan's (2001) QIC as ``geepack::QIC``: Gaussian quasi-likelihood -Σ(y - μ)²/2 and the trace of
    the independence model's naive information times the robust covariance (CIC)."""
    beta, vcov = np.asarray(fit["beta"]), np.asarray(fit["vcov"])
    if not np.all(np.isfinite(vcov)):
        return dict.fromkeys(["qic", "qicu", "quasi_loglik", "cic"], np.nan)
    quasi = -float(((y - x @ beta) ** 2).sum()) / 2
    xtx = x.T @ x
    resid = y - x @ np.linalg.solve(xtx, x.T @ y)  # the independence fit: OLS
    scale = float(resid @ resid) / len(y)  # geepack's dispersion, Σe²/N
    cic = float(np.trace(xtx @ vcov)) / scale  # tr(Ω_I V_r), Ω_I = X'X / φ
    return {"qic": -2 * (quasi - cic), "qicu": -2 * (quasi - x.shape[1]), "quasi_loglik": quasi, "cic": cic}


def gee(
    data: pd.DataFrame,
    *,
    covariates: list[str] | str | None = None,
    by: str | None = None,
    reference_group: str | None = None,
    families: pd.DataFrame | None = None,
    adjust: str = "holm",
    adjust_over: str = "domains",
    conf_level: float = 0.95,
) -> MixedModelResult:
    """GEE with an exchangeable working correlation and cluster-robust SEs, per domain.

    Parameters
    ----------
    data : DataFrame
        The canonical long assessment frame.
    covariates, by, reference_group, families
        As in :func:`mixed_model` (covariates may vary within a family).
    adjust : str, default "holm"
        Adjustment of wave-contrast and omnibus p-values (``p_adjusted``): any method of
        :func:`impactkit.p_adjust`.
    adjust_over : {"domains", "all"}, default "domains"
        One family of tests per wave contrast across domains, or all contrasts together.
    conf_level : float, default 0.95

    Returns
    -------
    MixedModelResult
        One row per domain × (group ×) term with columns ``domain, [by, group, reference_group,]
        term, reference, estimate, se, z, p_value, p_adjusted, adjust_method, ci_low, ci_high,
        working_corr, scale, n_families, n_obs, status``.  ``z`` is the Wald z with a normal
        reference (as geepack's ``summary()``, which squares it); ``se`` is the robust (sandwich)
        SE without small-sample correction; ``reference`` names the level each term is measured
        against.  ``.omnibus`` holds Wald χ² tests of wave (and, with ``by``, of the group main
        effect and ``wave:by``) with ``chi2, df1, p_value, p_adjusted``.  GEE has no likelihood,
        so no logLik, AIC, BIC or likelihood-ratio test: ``.fit_statistics`` holds Pan's (2001)
        QIC instead, as ``geepack::QIC`` (``domain, model, method, n_par, qic, qicu,
        quasi_loglik, cic, n_obs, n_families, status``; compare working correlations with QIC,
        mean structures with QICu).
        ``.group_contrasts`` (with ``by``): each group minus the reference group, at the first
        wave (``intercept``), in the change since it (later waves) and averaged over the waves,
        with Wald z.

    Notes
    -----
    Missing data: every observed score is used (a NaN score and an absent row are the same), but
    GEE is valid only if scores are missing completely at random, or at random given the
    covariates; under dropout that depends on earlier scores prefer :func:`mixed_model`.
    The scale and the working correlation are moment estimates with geepack's denominators
    (``φ = Σe²/N``, ``α = Σ_pairs e_ij e_ik / (φ · n_pairs)``), statsmodels' ``ddof_scale=0``.

    Examples
    --------
    >>> import pandas as pd, impactkit as ik
    >>> from impactkit.measures import gee
    >>> rows = [("f1", "intake", 2), ("f1", "year1", 3), ("f2", "intake", 4), ("f2", "year1", 4),
    ...         ("f3", "intake", 1), ("f3", "year1", 3), ("f4", "intake", 2), ("f5", "intake", 3),
    ...         ("f5", "year1", 5)]
    >>> df = pd.DataFrame(rows, columns=["family_id", "wave", "score"]).assign(domain="finances")
    >>> gee(ik.canonical(df))[["term", "estimate", "se", "status"]].round(3)
            term  estimate     se status
    0  intercept     2.400  0.456     ok
    1      year1     1.279  0.395     ok
    """
    adjust = check_adjust(adjust, "gee")
    check_choice("adjust_over", "gee", adjust_over, ["domains", "all"])
    design = build_design(
        data, covariates=covariates, by=by, families=families, func="gee", reference_group=reference_group
    )
    cons = design.contrasts()
    crit = stats.norm.ppf(0.5 + conf_level / 2)
    rows, omni, qic, group_rows = [], [], [], []
    for d, domain in enumerate(design.domains):
        sel = design.domain == d
        if not sel.any():
            continue
        fam = design.family[sel]
        fit = _fit_one(design.y[sel], design.x[sel], fam)
        qic.append({"domain": domain, "model": "gee", "method": "QL", "n_par": design.x.shape[1],
                    **(_qic(design.y[sel], design.x[sel], fit) if fit["status"] != "too_few" else
                       dict.fromkeys(["qic", "qicu", "quasi_loglik", "cic"], np.nan)),
                    "n_obs": int(sel.sum()), "n_families": len(np.unique(fam)), "status": fit["status"]})  # fmt: skip
        beta, vcov = fit["beta"], fit["vcov"]
        common = {"working_corr": fit["alpha"], "scale": fit["scale"], "n_families": len(np.unique(fam)),
                  "n_obs": int(sel.sum()), "status": fit["status"]}  # fmt: skip
        for grp, term, ell in cons:
            var = float(ell @ vcov @ ell)
            est, se = float(ell @ beta), float(np.sqrt(var)) if var >= 0 else np.nan
            z = est / se if se > 0 else np.nan
            rows.append({"domain": domain, "group": grp, "term": term, "estimate": est, "se": se,
                         "z": z, "p_value": 2 * stats.norm.sf(abs(z)),
                         "ci_low": est - crit * se, "ci_high": est + crit * se} | common)  # fmt: skip
        group_rows += wald_group_rows(design, domain, beta, vcov, offset=0, crit=crit, common={
            "n_families": common["n_families"], "status": fit["status"]})  # fmt: skip
        for grp, term, ell in design.omnibus_tests(np.eye(len(design.columns))):
            lb = ell @ beta
            try:
                chi2 = float(lb @ np.linalg.solve(ell @ vcov @ ell.T, lb))
            except np.linalg.LinAlgError:
                chi2 = np.nan
            omni.append({"domain": domain, "group": grp, "term": term, "chi2": chi2, "df1": ell.shape[0],
                         "p_value": stats.chi2.sf(chi2, ell.shape[0]), "status": fit["status"]})  # fmt: skip
    table, omnibus = finish_tables(
        rows, omni, design, adjust, adjust_over, func="gee", needs="two families and some variation needed"
    )
    notes = [
        "GEE (Gaussian, identity, exchangeable working correlation), robust sandwich SEs, Wald z; "
        "a check on the mixed model, valid under MCAR.",
        f"Wave contrasts against {design.waves[0]!r}; p_adjusted: {adjust_note(adjust, adjust_over)}.",
        *design.notes,
    ]
    fit_stats = pd.DataFrame(qic)
    fit_stats["domain"] = pd.Categorical(fit_stats["domain"], categories=design.domains)
    meta = {"fit_statistics": fit_stats, "adjust": adjust, "adjust_over": adjust_over, "conf_level": conf_level, "waves": design.waves, "by": design.by, "omnibus": omnibus,
            "group_contrasts": finish_group_table(group_rows, design, adjust, adjust_over),
            "reference_group": design.reference_group,
            "notes": notes, "instrument": design.instrument, "model": "gee"}  # fmt: skip
    return MixedModelResult(table, meta=meta)
