"""Likelihood-ratio tests between fitted models, per domain, as R's ``anova(m0, m1)``."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from impactkit._result import ResultFrame
from impactkit.errors import DesignError, ParameterError

__all__ = ["likelihood_ratio_test"]


class LikelihoodRatioResult(ResultFrame):
    """One row per domain × model: fit statistics and the χ² test against the previous model."""

    _title = "Likelihood-ratio tests"


def likelihood_ratio_test(*models: Any, names: list[str] | None = None) -> LikelihoodRatioResult:
    """Likelihood-ratio tests of nested models fitted to the same data, per domain.

    As R's ``anova(m0, m1, ...)``: the models are ordered by their number of parameters and each
    is tested against the one before it, ``χ² = 2 (logLik₁ - logLik₀)`` on the difference in
    parameters.

    Parameters
    ----------
    *models : MixedModelResult
        Two or more results of :func:`mixed_model`, :func:`mmrm`, :func:`clm` or :func:`clmm`
        fitted to the same rows.  Models that differ in their fixed effects must be fitted with
        maximum likelihood (``method="ml"``; lme4's ``anova`` refits REML fits with ML for this);
        REML fits can be compared when only the covariance part differs (random intercept vs
        random slope vs MMRM, same fixed effects).  GEE has no likelihood.
    names : list of str, optional
        Labels of the models (default: "model 1", "model 2", ... in the order given).

    Returns
    -------
    LikelihoodRatioResult
        One row per domain × model with columns ``domain, model, kind, method, n_par, loglik,
        aic, bic, deviance, chi2, df, p_value, n_obs`` (``chi2, df, p_value`` are missing on each
        domain's first, smallest model).

    Notes
    -----
    A test of a variance parameter on its boundary (is there a random slope? a family variance
    at all?) has a null distribution that mixes χ² distributions (Self & Liang 1987); the plain
    χ² p-value reported here, as R's, is then conservative (too large).

    Examples
    --------
    >>> import impactkit as ik
    >>> data = ik.read_dataset("data/sample", today="2026-11-01").assessments
    >>> lrt = ik.likelihood_ratio_test(ik.clm(data), ik.clmm(data), names=["clm", "clmm"])
    >>> lrt.loc[lrt.domain == "finances", ["model", "n_par", "df"]]
      model  n_par   df
    0   clm      6  NaN
    1  clmm      7  1.0
    """
    func = "likelihood_ratio_test"
    if len(models) < 2:
        raise ParameterError(f"{func} needs two or more fitted models. Got {len(models)}.")
    names = list(names) if names is not None else [f"model {i + 1}" for i in range(len(models))]
    if len(names) != len(models):
        raise ParameterError(f"The 'names' parameter of {func} must have one name per model ({len(models)}).")
    stats_ = []
    for name, m in zip(names, models, strict=True):
        fs = getattr(m, "meta", {}).get("fit_statistics") if hasattr(m, "meta") else None
        if fs is None or len(fs) == 0 or "loglik" not in fs.columns:
            kind = (
                getattr(m, "meta", {}).get("model", type(m).__name__)
                if hasattr(m, "meta")
                else type(m).__name__
            )
            raise ParameterError(
                f"{func}: {name!r} ({kind}) has no likelihood; pass results of mixed_model, mmrm, clm or clmm "
                "(GEE: compare QIC in .fit_statistics)."
            )
        stats_.append(fs.assign(model=name, kind=fs["model"], _fixed=str(m.meta.get("fixed_effects"))))
    methods = {s["method"].iloc[0] for s in stats_}
    if len(methods) > 1:
        raise ParameterError(
            f"{func}: the models mix estimation methods {sorted(methods)}; fit all with ML or all with REML."
        )
    if methods == {"REML"} and len({s["_fixed"].iloc[0] for s in stats_}) > 1:
        raise ParameterError(
            f"{func}: REML likelihoods of models with different fixed effects are not comparable. Refit the "
            "models with method='ml' (as R's anova() does for lmer fits)."
        )
    frame = pd.concat(stats_, ignore_index=True)
    frame["domain"] = frame["domain"].astype(str)
    out = []
    for dom, grp in frame.groupby("domain", sort=False):
        if grp["n_obs"].nunique() > 1:
            raise DesignError(
                f"{func}: domain {dom!r} was fitted to different rows ({sorted(grp['n_obs'].unique())} scores); "
                "likelihoods are only comparable on the same data."
            )
        grp = grp.sort_values("n_par", kind="stable")
        prev = None
        for row in grp.itertuples():
            rec = {"domain": dom, "model": row.model, "kind": row.kind, "method": row.method, "n_par": int(row.n_par),
                   "loglik": row.loglik, "aic": row.aic, "bic": row.bic, "deviance": -2 * row.loglik,
                   "chi2": np.nan, "df": np.nan, "p_value": np.nan, "n_obs": int(row.n_obs)}  # fmt: skip
            if prev is not None:
                df = int(row.n_par) - int(prev.n_par)
                chi2 = 2 * (row.loglik - prev.loglik)
                rec |= {"chi2": chi2, "df": float(df),
                        "p_value": float(stats.chi2.sf(chi2, df)) if df > 0 and np.isfinite(chi2) else np.nan}  # fmt: skip
            out.append(rec)
            prev = row
    table = pd.DataFrame(out)
    domains = list(dict.fromkeys(frame["domain"]))
    table["domain"] = pd.Categorical(table["domain"], categories=domains)
    notes = [
        "χ² = 2 (logLik - logLik of the previous, smaller model) on the difference in parameters, per domain "
        f"({next(iter(methods))} likelihoods), as R's anova().",
        "A variance parameter tested on its boundary makes the χ² p-value conservative (Self & Liang 1987).",
    ]
    return LikelihoodRatioResult(table.reset_index(drop=True), meta={"notes": notes})
