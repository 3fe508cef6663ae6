"""Linear mixed model per domain: ``score ~ wave (+ by × wave) (+ covariates) + (1 | family)``.

The random-intercept engine (:mod:`._lmm_ri`) reduces every family to its row count and column
sums, so nine domains on 100k families fit in well under a second; random slopes use the general
engine of :mod:`._lmm_slopes`.  Standard errors are lme4's, denominator df Satterthwaite's as
lmerTest computes them (:mod:`._satterthwaite`) or Kenward-Roger's as pbkrtest
(:mod:`._kenward_roger`).  The tables are built by :mod:`._model_tables`, shared with
:func:`impactkit.measures.mmrm`.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd

from impactkit.errors import DesignError, ParameterError, check_choice
from impactkit.measures._adjust import check_adjust
from impactkit.measures._kenward_roger import kenward_roger
from impactkit.measures._lmm_ri import Fit, Sums, domain_sums, fit_domain
from impactkit.measures._mixed_design import Design, adjust_note, build_design
from impactkit.measures._mixed_result import MixedModelResult
from impactkit.measures._model_tables import DomainModel, fit_statistics, tabulate
from impactkit.measures._satterthwaite import Satterthwaite

__all__ = ["DDF_METHODS", "MixedModelResult", "mixed_model"]

STATUSES = ("ok", "singular", "not_converged", "too_few")
DDF_METHODS = ("satterthwaite", "kenward-roger")


def check_conf_level(conf_level: object, func: str) -> float:
    if isinstance(conf_level, bool) or not isinstance(conf_level, int | float) or not 0 < conf_level < 1:
        raise ParameterError(
            f"The 'conf_level' parameter of {func} must be a number strictly between 0 and 1. "
            f"Got {conf_level!r} instead."
        )
    return float(conf_level)


def mixed_model(
    data: pd.DataFrame,
    *,
    covariates: list[str] | str | None = None,
    by: str | None = None,
    reference_group: str | None = None,
    time: str = "wave",
    random_slope: bool = False,
    ordinal: bool = False,
    families: pd.DataFrame | None = None,
    method: str = "reml",
    ddf: str = "satterthwaite",
    adjust: str = "holm",
    adjust_over: str = "domains",
    conf_level: float = 0.95,
) -> MixedModelResult:
    """Linear mixed model per domain with a random family intercept (and slope), on all observed rows.

    Fits ``score ~ wave (+ by × wave) (+ covariates) + (1 | family)`` separately for every domain,
    as ``lme4::lmer(..., REML = TRUE)`` with lmerTest's Satterthwaite df (or pbkrtest's
    Kenward-Roger df) would.  With ``time="months"`` time enters as a number:
    ``score ~ months (+ by × months) (+ covariates) + (1 | family)``, or with ``random_slope=True``
    ``+ (1 + months | family)`` (lme4's correlated intercept and slope).

    Parameters
    ----------
    data : DataFrame
        The canonical long assessment frame (``ik.canonical`` / ``ik.read_assessments``); extra
        columns (a time-varying covariate, a numeric time) are kept.
    covariates : str or list of str, optional
        Fixed effects: a column of the long frame is taken per assessment (it may vary within a
        family over the waves: a time-varying covariate); any other name is a family-level
        column of ``families``.  Numeric columns enter as they are, others treatment-coded
        against their first level in sorted order.
    by : str, optional
        A families column (municipality, household_type, programme, a comparison group...): the
        model becomes ``score ~ wave * by``.  The table then reports intercept and wave
        contrasts within every group, ``.group_contrasts`` the differences between each group and
        the reference group (at the first wave, in the change to every later wave, and averaged
        over the waves), and ``.omnibus`` adds the F tests of the group main effect and of
        ``wave:by``.
    reference_group : str, optional
        The reference level of ``by`` (default: the first in sorted order), e.g. the waiting list.
    time : str, default "wave"
        ``"wave"`` (categorical), ``"months"`` (months since the family's assessment at the first
        wave, from ``assessed_on``; a month is 365.25/12 days) or the name of a numeric column of
        the long frame.  A numeric time is linear.
    random_slope : bool, default False
        With a numeric ``time``: a random slope of time per family, correlated with the random
        intercept (lme4 ``(1 + time | family)``); Satterthwaite df.
    ordinal : bool, default False
        Fit a cumulative-logit mixed model instead (see :func:`impactkit.measures.clmm`).
    families : DataFrame, optional
        The families table; required with ``by`` or family-level ``covariates``.
    method : {"reml", "ml"}, default "reml"
        Ignored with ``ordinal=True`` (maximum likelihood).  Compare models that differ in their
        fixed effects with ``method="ml"`` (see :func:`impactkit.measures.likelihood_ratio_test`).
    ddf : {"satterthwaite", "kenward-roger"}, default "satterthwaite"
        Denominator degrees of freedom: Satterthwaite as ``lmerTest``, or Kenward-Roger as
        ``pbkrtest`` (which also uses the bias-adjusted covariance of the estimates for every SE;
        REML; random intercept, or intercept and slope with ``random_slope=True``).
    adjust : str, default "holm"
        Adjustment of the wave-contrast, group-contrast and omnibus p-values into ``p_adjusted``:
        any method of :func:`impactkit.p_adjust`.
    adjust_over : {"domains", "all"}, default "domains"
        The family of tests: ``"domains"`` is one family per term (and group) across the domains;
        ``"all"`` one family of every term of every domain (and group); omnibus tests likewise.
    conf_level : float, default 0.95

    Returns
    -------
    MixedModelResult
        One row per domain × (group ×) term with columns ``domain, [by, group, reference_group,]
        term, reference, estimate, se, df, t, p_value, p_adjusted, adjust_method, ci_low,
        ci_high, var_family, [var_slope, cor_intercept_slope,] var_residual, icc, n_families,
        n_obs, status``.  ``term`` is ``intercept`` (mean at the first wave, or at time 0), one row
        per later wave id (the contrast with the first wave) or ``months`` (the change per
        month), then covariate terms; ``reference`` names what each term is measured against (the
        first wave, ``months = 0``, or a factor's reference level).  ``status`` is ``ok``,
        ``singular`` (family variance estimated at zero), ``not_converged`` or ``too_few`` (fewer
        than two families, no family with two scores, a wave without scores, or a constant
        domain; the numbers are then missing).  ``.omnibus`` holds the F tests with columns
        ``domain, [by, group,] term, f_value, df1, df2, p_value, p_adjusted, adjust_method,
        status``; ``.group_contrasts`` (with ``by``) ``domain, by, group, reference_group, term,
        reference, estimate, se, df, t, p_value, p_adjusted, adjust_method, ci_low, ci_high,
        n_families, status``; ``.fit_statistics`` ``domain, model, method, loglik, n_par, aic, bic,
        criterion, n_obs, n_families, status`` (R's ``logLik()``, ``AIC()``, ``BIC()``,
        ``REMLcrit()`` / ``deviance()``).  :meth:`MixedModelResult.marginal_means` gives
        emmeans-style means per wave and all pairwise wave contrasts.

    Notes
    -----
    Missing data: every observed score is used; a NaN score and an absent row are identical.
    The estimates are valid when scores are missing at random given the earlier scores of the
    family and the covariates.  Families without a families-table row or with a missing covariate,
    and (with a numeric time) scores without a date, are left out (counted in ``notes``).
    Standard errors are ``σ̂² (X'V̂⁻¹X)⁻¹`` as lme4, df and the F test's denominator df are
    Satterthwaite's as lmerTest (``anova(type = 3)``), or Kenward-Roger's; ``p_value`` is per
    domain, ``p_adjusted`` corrects for the number of domains (Holm by default).

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
    >>> res[["domain", "term", "reference", "estimate", "se", "df", "status"]].round(3)
         domain       term reference  estimate     se     df status
    0  finances  intercept    intake      2.40  0.467  5.588     ok
    1  finances      year1    intake      1.29  0.457  3.519     ok
    """
    func = "mixed_model"
    check_choice("method", func, method, ["reml", "ml"])
    check_choice("ddf", func, ddf, list(DDF_METHODS))
    adjust = check_adjust(adjust, func)
    check_choice("adjust_over", func, adjust_over, ["domains", "all"])
    check_choice("ordinal", func, ordinal, [True, False])
    check_choice("random_slope", func, random_slope, [True, False])
    conf_level = check_conf_level(conf_level, func)
    if ddf == "kenward-roger" and method != "reml":
        raise ParameterError(
            f"The 'ddf' parameter of {func} is 'kenward-roger', which is defined for REML fits "
            "(pbkrtest refits with REML). Got method='ml'; use method='reml' or ddf='satterthwaite'."
        )
    if random_slope and time == "wave":
        raise ParameterError(
            f"The 'random_slope' parameter of {func} needs a numeric time: pass time='months' (or a "
            "numeric column). Got time='wave'."
        )
    if ordinal:
        if time != "wave" or random_slope or ddf != "satterthwaite" or method != "reml":
            raise ParameterError(
                f"{func}(ordinal=True) fits clmm: 'time', 'random_slope', 'ddf' and 'method' do not apply."
            )
        from impactkit.measures._ordinal import clmm

        return clmm(
            data, covariates=covariates, by=by, reference_group=reference_group, families=families,
            adjust=adjust, adjust_over=adjust_over, conf_level=conf_level,
        )  # fmt: skip
    design = build_design(
        data, covariates=covariates, by=by, families=families, func=func, time=time,
        reference_group=reference_group,
    )  # fmt: skip
    if random_slope:
        from impactkit.measures._lmm_slopes import fit_slopes

        models = fit_slopes(design, reml=method == "reml", ddf=ddf)
    else:
        models = _fit_intercepts(design, reml=method == "reml", ddf=ddf)
    if all(not m.fitted for m in models.values()):
        raise DesignError(
            f"{func}: no domain can be fitted. Each needs at least two families, a family with "
            "two observed scores, scores at every wave (and in every 'by' group) and some variation."
        )
    return _result(design, models, method=method, ddf=ddf, adjust=adjust, adjust_over=adjust_over,
                   conf_level=conf_level, random_slope=random_slope)  # fmt: skip


def _fit_intercepts(design: Design, *, reml: bool, ddf: str) -> dict[int, DomainModel]:
    sums = domain_sums(design)
    cells = design.cells()
    return {d: _domain_model(design, s, fit_domain(s, reml), ddf, cells.get(d, {})) for d, s in enumerate(sums)
            if s.n_obs > 0}  # fmt: skip


def _domain_model(
    design: Design, s: Sums, fit: Fit, ddf: str, cells: dict[tuple[int, int], int]
) -> DomainModel:
    x_mean = s.xtx[0] / s.n_obs  # column 0 is the intercept: X'1 / n
    p = design.x.shape[1]
    if fit.status == "too_few":
        cols = {"var_family": np.nan, "var_residual": np.nan, "icc": np.nan}
        return DomainModel("too_few", fit.beta, None, np.nan, p + 2, s.n_obs, s.n_families, np.nan, x_mean, cols,
                           cells, s.xtx)  # fmt: skip
    if ddf == "kenward-roger":
        inference = kenward_roger(s.xtx, s.a, s.ns, s.cnts, fit.sigma2, fit.tau2, fit.vcov)
    else:
        inference = Satterthwaite(fit.vcov, fit.jac, fit.a_varpar)  # type: ignore[assignment]
    cols = {"var_family": fit.tau2, "var_residual": fit.sigma2, "icc": fit.tau2 / (fit.tau2 + fit.sigma2)}
    return DomainModel(fit.status, fit.beta, inference, -fit.deviance / 2, p + 2, s.n_obs, s.n_families,
                       fit.deviance, x_mean, cols, cells, s.xtx)  # fmt: skip


def _result(
    design: Design,
    models: dict[int, DomainModel],
    *,
    method: str,
    ddf: str,
    adjust: str,
    adjust_over: str,
    conf_level: float,
    random_slope: bool,
    model: str = "lmm",
) -> MixedModelResult:
    needs = "two families with more than one row, or scores that vary"
    table, omnibus, groups = tabulate(design, models, adjust=adjust, adjust_over=adjust_over,
                                      conf_level=conf_level, func="mixed_model", needs=needs)  # fmt: skip
    re_part = f"(1 + {design.time} | family)" if random_slope else "(1 | family)"
    df_text = (
        "Kenward-Roger as pbkrtest (adjusted SEs)" if ddf == "kenward-roger" else "Satterthwaite as lmerTest"
    )
    notes = [
        f"score ~ {' + '.join(_formula_terms(design))} + {re_part}, {method.upper()}, per domain; "
        f"SEs as lme4, df {df_text}.",
        _reference_note(design) + f"; p_adjusted: {adjust_note(adjust, adjust_over)}.",
        *design.notes,
    ]
    n_bad = {st: sum(m.status == st for m in models.values()) for st in STATUSES[1:]}
    notes += [f"{n} domain(s) with status {st!r}." for st, n in n_bad.items() if n]
    meta = {
        "method": method, "ddf": ddf, "adjust": adjust, "adjust_over": adjust_over, "conf_level": conf_level,
        "waves": design.waves, "by": design.by, "reference_group": design.reference_group,
        "time": design.time, "random_slope": random_slope, "covariates": design.covariate_columns,
        "omnibus": omnibus, "group_contrasts": groups,
        "fit_statistics": fit_statistics(design, models, method=method, model=model),
        "notes": notes, "instrument": design.instrument, "model": model,
        "criterion": {design.domains[d]: m.criterion for d, m in models.items()},
        "fixed_effects": list(design.columns), "_design": _spec(design), "_models": models,
    }  # fmt: skip
    return MixedModelResult(table, meta=meta)


def _spec(design: Design) -> Design:
    """The design without its row arrays: what marginal means need, without keeping the data alive."""
    empty = np.empty(0)
    return replace(design, y=empty, x=np.empty((0, design.x.shape[1])), family=empty, domain=empty,
                   wave=None, t=None)  # fmt: skip


def _reference_note(design: Design) -> str:
    ref = (
        f"Wave contrasts against {design.waves[0]!r}"
        if design.time == "wave"
        else f"Time {design.time!r} linear; the intercept is the mean at {design.time} = 0"
    )
    if design.by is not None:
        ref += f"; groups of {design.by!r} against the reference group {design.reference_group!r}"
    return ref


def _formula_terms(design: Design) -> list[str]:
    name = "wave" if design.time == "wave" else design.time
    terms = [name if design.by is None else f"{name} * {design.by}"]
    return terms + [c.name for c in design.covariates]
