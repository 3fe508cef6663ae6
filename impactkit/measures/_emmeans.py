"""Estimated marginal means and their pairwise contrasts from a fitted model, as R's ``emmeans``.

The reference grid is emmeans' default: every wave (× group), numeric covariates at their mean
over the domain's rows, factor covariates averaged over their levels with equal weights; means
averaged over groups give the groups equal weights too.  A mean or contrast ``L β`` takes its SE
and df from the model's inference object: Satterthwaite (``emmeans(lmer.df = "satterthwaite")``)
or Kenward-Roger (``lmer.df = "kenward-roger"``, with pbkrtest's adjusted covariance).  Pairwise
contrasts are later minus earlier level (``pairs(..., reverse = TRUE)``); their p-values are
adjusted within each domain (× group, or × wave) with any :func:`impactkit.p_adjust` method or
Tukey's studentized range (emmeans' default for pairs), and confidence intervals are unadjusted.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from scipy import stats

from impactkit._result import ResultFrame
from impactkit.errors import ParameterError, check_choice
from impactkit.measures._adjust import ADJUST_NAMES, adjust_pvalues, check_adjust
from impactkit.measures._mixed_design import Design, _inter

if TYPE_CHECKING:
    from impactkit.measures._mixed_result import MixedModelResult
    from impactkit.measures._model_tables import DomainModel

__all__ = ["MarginalMeansResult", "marginal_means"]


class MarginalMeansResult(ResultFrame):
    """Estimated marginal means per domain × (group ×) wave; ``.contrasts`` holds the pairwise contrasts."""

    _title = "Estimated marginal means (emmeans reference grid)"

    @property
    def contrasts(self) -> pd.DataFrame:
        """All pairwise contrasts (later minus earlier) with adjusted p-values."""
        return self.meta.get("contrasts", pd.DataFrame())

    def figure(self, **kwargs: Any) -> Any:
        from impactkit.figures._models import marginal_means_lines

        return marginal_means_lines(self, **kwargs)


def _grid_row(design: Design, x_mean: np.ndarray, wave: int, group: int) -> np.ndarray:
    """L of one cell of the reference grid (wave index, group index; group 0 = reference)."""
    idx = {c: i for i, c in enumerate(design.columns)}
    ell = np.zeros(len(design.columns))
    ell[0] = 1.0
    if wave > 0:
        ell[idx[design.waves[wave]]] = 1.0
    if group > 0:
        grp = design.groups[group]
        ell[idx[_inter("intercept", design.by, grp)]] = 1.0
        if wave > 0:
            ell[idx[_inter(design.waves[wave], design.by, grp)]] = 1.0
    for cov in design.covariates:
        if cov.kind == "numeric":
            ell[idx[cov.name]] = x_mean[idx[cov.name]]
        else:
            for col in cov.columns:
                ell[idx[col]] = 1.0 / len(cov.levels)
    return ell


def marginal_means(
    model: MixedModelResult,
    *,
    pairs: str = "waves",
    average_groups: bool = False,
    adjust: str = "holm",
    adjust_over: str = "domains",
    conf_level: float | None = None,
) -> MarginalMeansResult:
    """Estimated marginal means per wave (× group) and all pairwise contrasts, as R's ``emmeans``.

    Parameters
    ----------
    model : MixedModelResult
        A fit of :func:`impactkit.measures.mixed_model` or :func:`impactkit.measures.mmrm` with
        ``time="wave"``.
    pairs : {"waves", "groups"}, default "waves"
        ``"waves"``: every pair of waves within each group (``pairs(emmeans(m, ~ wave | group),
        reverse = TRUE)``); ``"groups"``: every pair of groups at each wave (needs ``by``).
    average_groups : bool, default False
        With ``by``: means (and wave contrasts) averaged over the groups with equal weights
        (``emmeans(m, ~ wave)``) instead of per group.
    adjust : str, default "holm"
        Adjustment of the contrasts' p-values: any :func:`impactkit.p_adjust` method, or
        ``"tukey"`` (studentized range with each contrast's df, emmeans' default for pairs).
    adjust_over : {"domains", "all"}, default "domains"
        ``"domains"``: one family per domain (× group, or × wave for group pairs), as emmeans;
        ``"all"``: every contrast of the table together.
    conf_level : float, optional
        Default: the model's.

    Returns
    -------
    MarginalMeansResult
        One row per domain × (group ×) wave with columns ``domain, [by, group,] wave, estimate,
        se, df, ci_low, ci_high, n_obs, status`` (``n_obs``: observed scores in that cell).
        ``.contrasts`` has one row per pair with ``domain, [by, group,] contrast, wave,
        reference, estimate, se, df, t, p_value, p_adjusted, adjust_method, ci_low, ci_high,
        status`` for wave pairs (``contrast`` is "year1 - intake": ``wave`` minus ``reference``), or
        ``domain, by, wave, contrast, group, reference_group, ...`` for group pairs.

    Notes
    -----
    Missing data: as the model (every observed score, valid under MAR).  The df are the model's
    (Satterthwaite or Kenward-Roger, ``ddf=`` of the fit); confidence intervals are not adjusted
    for multiplicity.

    Examples
    --------
    >>> import impactkit as ik
    >>> data = ik.read_dataset("data/sample", today="2026-11-01").assessments
    >>> emm = ik.marginal_means(ik.mixed_model(data))
    >>> emm.contrasts.loc[emm.contrasts["domain"] == "finances", ["contrast", "adjust_method"]]
              contrast adjust_method
    0  year1 - intake          holm
    1  year2 - intake          holm
    2   year2 - year1          holm
    """
    func = "marginal_means"
    meta = getattr(model, "meta", None)
    if not isinstance(meta, dict) or "_design" not in meta:
        raise ParameterError(
            f"The 'model' parameter of {func} must be a result of mixed_model or mmrm. "
            f"Got {type(model).__name__} instead."
        )
    design: Design = meta["_design"]
    models: dict[int, DomainModel] = meta["_models"]
    if design.time != "wave":
        raise ParameterError(
            f"{func} needs a model with time='wave' (means per wave); this one has time={design.time!r}."
        )
    check_choice("pairs", func, pairs, ["waves", "groups"])
    check_choice("average_groups", func, average_groups, [True, False])
    adjust = check_adjust(adjust, func, extra=("tukey",))
    check_choice("adjust_over", func, adjust_over, ["domains", "all"])
    if pairs == "groups" and (design.by is None or average_groups):
        raise ParameterError(
            f"{func}(pairs='groups') needs a model fitted with by=... and average_groups=False."
        )
    level = float(meta.get("conf_level", 0.95) if conf_level is None else conf_level)
    q = 0.5 + level / 2
    n_groups = len(design.groups) if design.by is not None else 1
    group_sets = (
        [list(range(n_groups))] if average_groups or design.by is None else [[g] for g in range(n_groups)]
    )
    means: list[dict[str, Any]] = []
    cons: list[dict[str, Any]] = []
    for d, m in models.items():
        dom = design.domains[d]
        for gset in group_sets:
            label = None if design.by is None or average_groups else design.groups[gset[0]]
            cell = [
                np.mean([_grid_row(design, m.x_mean, w, g) for g in gset], axis=0)
                for w in range(len(design.waves))
            ]
            for w, ell in enumerate(cell):
                n_obs = sum(m.cells.get((g, w), 0) for g in gset)
                means.append({"domain": dom, "group": label, "wave": design.waves[w], **_row(m, ell, q, t=False),
                              "n_obs": n_obs, "status": m.status})  # fmt: skip
            if pairs == "waves":
                for j in range(len(cell) - 1):
                    for k in range(j + 1, len(cell)):
                        cons.append({"domain": dom, "group": label,
                                     "contrast": f"{design.waves[k]} - {design.waves[j]}",
                                     "wave": design.waves[k], "reference": design.waves[j],
                                     **_row(m, cell[k] - cell[j], q), "status": m.status, "_family": (d, label),
                                     "_k": len(cell)})  # fmt: skip
        if pairs == "groups":
            for w in range(len(design.waves)):
                rows = [_grid_row(design, m.x_mean, w, g) for g in range(n_groups)]
                for i in range(n_groups - 1):
                    for j in range(i + 1, n_groups):
                        cons.append({"domain": dom, "wave": design.waves[w],
                                     "contrast": f"{design.groups[j]} - {design.groups[i]}",
                                     "group": design.groups[j], "reference_group": design.groups[i],
                                     **_row(m, rows[j] - rows[i], q), "status": m.status, "_family": (d, w),
                                     "_k": n_groups})  # fmt: skip
    mean_tab = _finish(pd.DataFrame(means), design, average_groups)
    con_tab = _adjust(pd.DataFrame(cons), adjust, adjust_over)
    con_tab = _finish(con_tab, design, average_groups or pairs == "groups", keep_group=pairs == "groups")
    inference = next(
        (m.inference.method for m in models.values() if m.inference is not None), "satterthwaite"
    )
    df_name = {"satterthwaite": "Satterthwaite", "kenward-roger": "Kenward-Roger"}.get(inference, inference)
    covs = [c.name for c in design.covariates]
    notes = [
        "Reference grid as emmeans: every wave" + (" × group" if design.by and not average_groups else "")
        + (f"; covariates {covs} at their mean (numeric) or averaged over levels (factors)" if covs else "")
        + ("; averaged over the groups with equal weights" if average_groups and design.by else "") + ".",
        f"SE and df: {df_name} (as the model). Contrasts are later minus earlier "
        + ("wave" if pairs == "waves" else "group (in the order of the reference group first)")
        + f"; p_adjusted: {_ADJ_TEXT.get(adjust, ADJUST_NAMES.get(adjust, adjust))} "
        + ("within each domain" + (" and group" if design.by and not average_groups and pairs == "waves" else "")
           + (" and wave" if pairs == "groups" else "") if adjust_over == "domains" else "over the whole table")
        + "; confidence intervals unadjusted.",
    ]  # fmt: skip
    out_meta = {"contrasts": con_tab, "pairs": pairs, "adjust": adjust, "adjust_over": adjust_over,
                "conf_level": level, "ddf": inference, "waves": design.waves, "by": design.by,
                "instrument": design.instrument, "notes": notes}  # fmt: skip
    return MarginalMeansResult(mean_tab, meta=out_meta)


_ADJ_TEXT = {"tukey": "Tukey (studentized range)"}


def _row(m: DomainModel, ell: np.ndarray, q: float, *, t: bool = True) -> dict[str, float]:
    keys = ["estimate", "se", "df", "t", "p_value", "ci_low", "ci_high"] if t else ["estimate", "se", "df",
                                                                                   "ci_low", "ci_high"]  # fmt: skip
    if not m.fitted:
        return dict.fromkeys(keys, np.nan)
    est, se, df = m.inference.contrast(ell, m.beta)  # type: ignore[union-attr]
    crit = stats.t.ppf(q, df) if np.isfinite(df) else stats.norm.ppf(q)
    out = {"estimate": est, "se": se, "df": df, "ci_low": est - crit * se, "ci_high": est + crit * se}
    if t:
        tv = est / se if se > 0 else np.nan
        out |= {"t": tv, "p_value": 2 * stats.t.sf(abs(tv), df) if np.isfinite(tv) else np.nan}
    return {k: out[k] for k in keys}


def _adjust(frame: pd.DataFrame, adjust: str, adjust_over: str) -> pd.DataFrame:
    if frame.empty:
        return frame
    frame = frame.copy()
    adj = np.full(len(frame), np.nan)
    keys = (
        frame["_family"].map(str).to_numpy(dtype=object) if adjust_over == "domains" else np.zeros(len(frame))
    )
    for k in pd.unique(keys):
        idx = keys == k
        if adjust == "tukey":  # emmeans: ptukey(sqrt(2) |t|, k, df) with the family's number of means
            t = np.abs(frame.loc[idx, "t"].to_numpy(float))
            adj[idx] = [_ptukey(tv, int(km), dfv) for tv, km, dfv in
                        zip(t, frame.loc[idx, "_k"], frame.loc[idx, "df"], strict=True)]  # fmt: skip
        else:
            adj[idx] = adjust_pvalues(frame.loc[idx, "p_value"].to_numpy(float), adjust)
    pos = list(frame.columns).index("p_value") + 1
    frame.insert(pos, "p_adjusted", adj)
    frame.insert(pos + 1, "adjust_method", adjust)
    return frame.drop(columns=["_family", "_k"])


def _ptukey(t: float, k: int, df: float) -> float:
    if not np.isfinite(t):
        return np.nan
    if k < 2:
        return float(2 * stats.t.sf(t, df))
    return float(stats.studentized_range.sf(np.sqrt(2) * t, k, df if np.isfinite(df) else 1e6))


def _finish(frame: pd.DataFrame, design: Design, no_group: bool, *, keep_group: bool = False) -> pd.DataFrame:
    if frame.empty:
        return frame
    frame["domain"] = pd.Categorical(frame["domain"], categories=design.domains)
    if design.by is None or (no_group and not keep_group):
        frame = frame.drop(columns=["group"])
        if design.by is not None:
            frame.insert(1, "by", design.by)
        return frame.reset_index(drop=True)
    frame.insert(1, "by", design.by)
    return frame.reset_index(drop=True)
