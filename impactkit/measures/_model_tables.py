"""Tables of a fitted Gaussian repeated-measures model (mixed model, random slopes, MMRM).

Every engine hands over one :class:`DomainModel` per domain (estimates, an inference object with
``contrast``/``ftest`` for Satterthwaite or Kenward-Roger df, the log-likelihood and counts);
this module turns them into the coefficient table, the omnibus F tests, the group contrasts and
the fit statistics, the same way for every engine.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

import numpy as np
import pandas as pd
from scipy import stats

from impactkit.measures._mixed_design import Design, finish_group_table, finish_tables

__all__ = ["DomainModel", "Inference", "fit_statistics", "tabulate"]


class Inference(Protocol):
    method: str

    @property
    def vcov(self) -> np.ndarray: ...

    def contrast(self, ell: np.ndarray, beta: np.ndarray) -> tuple[float, float, float]: ...

    def ftest(self, ell: np.ndarray, beta: np.ndarray) -> tuple[float, int, float, float]: ...


@dataclass
class DomainModel:
    """One fitted domain, whatever the engine."""

    status: str
    beta: np.ndarray
    inference: Inference | None
    loglik: float
    n_par: int  # parameters counted by logLik's df (fixed effects + variance parameters)
    n_obs: int
    n_families: int
    criterion: float  # -2 log-likelihood (REML criterion or ML deviance)
    x_mean: np.ndarray  # column means of X over the domain's rows (reference grid of marginal means)
    columns: dict[str, float] = field(default_factory=dict)  # engine-specific per-domain columns
    cells: dict[tuple[int, int], int] = field(default_factory=dict)  # (group, wave) -> observed rows
    xtx: np.ndarray | None = None  # X'X of the domain's rows (type-1 omnibus L)

    @property
    def fitted(self) -> bool:
        return self.status != "too_few" and self.inference is not None


def _test_row(model: DomainModel, ell: np.ndarray, q: float) -> dict[str, float]:
    if not model.fitted:
        return dict.fromkeys(["estimate", "se", "df", "t", "p_value", "ci_low", "ci_high"], np.nan)
    est, se, df = model.inference.contrast(ell, model.beta)  # type: ignore[union-attr]
    t = est / se if se > 0 else np.nan
    crit = stats.t.ppf(q, df) if np.isfinite(df) else stats.norm.ppf(q)
    p = 2 * stats.t.sf(abs(t), df) if np.isfinite(t) else np.nan
    return {"estimate": est, "se": se, "df": df, "t": t, "p_value": p, "ci_low": est - crit * se,
            "ci_high": est + crit * se}  # fmt: skip


def tabulate(
    design: Design,
    models: dict[int, DomainModel],
    *,
    adjust: str,
    adjust_over: str,
    conf_level: float,
    func: str,
    needs: str,
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """(coefficient table, omnibus F tests, group contrasts) for every domain."""
    q = 0.5 + conf_level / 2
    rows, omni, group_rows = [], [], []
    for d, model in models.items():
        common = {
            **model.columns,
            "n_families": model.n_families,
            "n_obs": model.n_obs,
            "status": model.status,
        }
        for grp, term, ell in design.contrasts():
            rows.append(
                {"domain": design.domains[d], "group": grp, "term": term, **_test_row(model, ell, q)} | common
            )
        xtx = model.xtx if model.xtx is not None else _xtx(design, d)
        for grp, term, ell in design.omnibus_tests(xtx):
            if model.fitted:
                f_value, df1, df2, p_value = model.inference.ftest(ell, model.beta)  # type: ignore[union-attr]
            else:
                f_value, df1, df2, p_value = np.nan, ell.shape[0], np.nan, np.nan
            omni.append({"domain": design.domains[d], "group": grp, "term": term, "f_value": f_value,
                         "df1": df1, "df2": df2, "p_value": p_value, "status": model.status})  # fmt: skip
        for grp, term, ell in design.group_contrasts():
            group_rows.append({"domain": design.domains[d], "group": grp, "term": term,
                               **_test_row(model, ell, q), "n_families": model.n_families,
                               "status": model.status})  # fmt: skip
    table, omnibus = finish_tables(rows, omni, design, adjust, adjust_over, func=func, needs=needs)
    for frame in (table, omnibus):
        frame["domain"] = pd.Categorical(frame["domain"], categories=design.domains)
    for col in ("n_families", "n_obs"):
        table[col] = table[col].astype("int64")
    return table, omnibus, finish_group_table(group_rows, design, adjust, adjust_over)


def _xtx(design: Design, d: int) -> np.ndarray:
    x = design.x[design.domain == d]
    return x.T @ x


def fit_statistics(
    design: Design, models: dict[int, DomainModel], *, method: str, model: str
) -> pd.DataFrame:
    """logLik, AIC and BIC per domain, as R's ``logLik()``, ``AIC()`` and ``BIC()`` of the same fit.

    ``AIC = -2 logLik + 2 k`` and ``BIC = -2 logLik + k log(n_obs)`` with k = ``n_par`` (fixed
    effects plus variance parameters, as lme4 and nlme count them).
    """
    out: list[dict[str, Any]] = []
    for d, m in models.items():
        ll = m.loglik if m.fitted else np.nan
        out.append({"domain": design.domains[d], "model": model, "method": method.upper(), "loglik": ll,
                    "n_par": m.n_par, "aic": -2 * ll + 2 * m.n_par, "bic": -2 * ll + m.n_par * np.log(m.n_obs),
                    "criterion": m.criterion if m.fitted else np.nan, "n_obs": m.n_obs,
                    "n_families": m.n_families, "status": m.status})  # fmt: skip
    frame = pd.DataFrame(out)
    frame["domain"] = pd.Categorical(frame["domain"], categories=design.domains)
    return frame
