"""Attrition: who is still measured at each wave, and do those who leave differ at intake?"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from html import escape
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats
from statsmodels.discrete.discrete_model import Logit

from impactkit._result import ResultFrame
from impactkit._summary import Summary
from impactkit.errors import ParameterError
from impactkit.i18n._note import Note
from impactkit.instruments import Instrument
from impactkit.measures._cube import cube, group_codes
from impactkit.measures._smallcells import check_min_n, suppress

__all__ = ["Attrition", "attrition"]


@dataclass(frozen=True)
class Attrition:
    """The four attrition tables (see :func:`attrition`), with ``summary()`` and ``figure()``."""

    flow: ResultFrame
    patterns: ResultFrame
    profile: ResultFrame
    model: ResultFrame
    notes: list[str] = field(default_factory=list)

    def summary(self) -> Summary:
        """The four tables, compact, with the notes (prints as text, renders as HTML)."""
        parts = [str(t.summary(max_rows=12)) for t in (self.flow, self.patterns, self.profile, self.model)]
        return Summary("Attrition", None, self.notes, body="\n\n".join(parts))

    def __repr__(self) -> str:
        return str(self.summary())

    def figure(self, **kwargs: Any) -> Any:
        """Bar chart of the families measured per wave (overall and per group)."""
        from impactkit.figures._flows import attrition_flow

        return attrition_flow(self.flow, **kwargs)

    def _repr_html_(self) -> str:
        body = "".join(t._repr_html_() for t in (self.flow, self.patterns, self.profile, self.model))
        notes = "".join(f"<li>{escape(n)}</li>" for n in self.notes)
        return f"<div>{body}<ul style='font-size:smaller'>{notes}</ul></div>"


class _Table(ResultFrame):
    _title = "Attrition"


def _titled(df: pd.DataFrame, title: str, notes: list[str] | None = None) -> ResultFrame:
    out = _Table(df, meta={"notes": notes or []})
    object.__setattr__(out, "_title", title)
    return out


def attrition(
    data: pd.DataFrame,
    families: pd.DataFrame | None = None,
    *,
    by: str | None = "municipality",
    min_n: int = 10,
    instrument: Instrument | None = None,
) -> Attrition:
    """Attrition flow, missingness patterns and completers vs non-completers at intake.

    A family is *observed* at a wave when it has at least one score there, and a *completer*
    when it is observed at the instrument's last wave.

    Parameters
    ----------
    data : DataFrame
        Canonical long assessment frame.
    families : DataFrame, optional
        The families table. With it the flow is also given per ``by`` group, and families still
        in the programme (``end_reason`` missing) that have not reached the last wave are
        counted as *ongoing*, not as non-completers.
    by : str or None
        Column of ``families`` for the flow per group (default ``"municipality"``); ignored
        without ``families``.
    min_n : int
        Group rows of the flow with fewer than ``min_n`` families are suppressed, and group
        losses (``n_lost``) of 1 to ``min_n - 1`` families are blanked.
    instrument : Instrument, optional
        Defaults to ``data.attrs["instrument"]``.

    Returns
    -------
    Attrition
        ``flow``: ``group, wave, n_families, share_of_baseline, n_lost`` (group ``"all"`` and
        one per ``by`` value; ``n_lost`` counts families observed at the previous wave but not
        at this one). ``patterns``: one boolean column per wave, ``n, share`` per observed
        pattern. ``profile``: per domain ``n_completers, n_noncompleters, mean_completers,
        mean_noncompleters, sd_completers, sd_noncompleters, smd`` (difference in means over
        sqrt of the mean of the two variances; Austin 2009), ``welch_t, welch_df, welch_p``
        (R ``t.test(var.equal = FALSE)``). ``model``: logistic regression of non-completion on
        all intake domain scores (statsmodels ``Logit``, as R ``glm(family = binomial)``):
        ``term, estimate, se, z, p_value, ci_low, ci_high`` (Wald interval, R ``confint.default``),
        ``odds_ratio, status``.

    Notes
    -----
    Missing data: the intake profile and the model use observed intake scores (model:
    families with every domain scored at intake); nothing is imputed. Attrition is
    descriptive: a difference at intake warns that complete-case results may be biased, and
    points to the mixed model (valid under missing at random).

    Examples
    --------
    >>> import impactkit as ik
    >>> from impactkit._sample import make_sample
    >>> wide = make_sample()["assessments"]
    >>> data = ik.canonical(wide.melt(["family_id", "wave", "assessed_on"], var_name="domain", value_name="score"))
    >>> attrition(data).flow[["wave", "n_families"]].to_dict("list")
    {'wave': ['intake', 'year1', 'year2'], 'n_families': [350, 293, 255]}
    """
    func = "attrition"
    min_n = check_min_n(min_n, func)
    c = cube(data, func, instrument)
    observed = (~np.isnan(c.values)).any(axis=1)  # families × waves
    notes: list[str] = [Note("attrition.observed")]

    ongoing = np.zeros(len(c.families), dtype=bool)
    if families is not None:
        if "family_id" not in families.columns:
            raise ParameterError(f"The 'families' parameter of {func} must have a 'family_id' column.")
        if "end_reason" in families.columns:
            fam = families.drop_duplicates("family_id")
            reason = pd.Series(fam["end_reason"].to_numpy(), index=fam["family_id"].astype(str))
            reason = reason.reindex(c.families.astype(str))
            ongoing = reason.isna().to_numpy() & ~observed[:, -1]
            if ongoing.any():
                notes.append(Note("attrition.ongoing", n=int(ongoing.sum()), wave=c.waves[-1]))

    flow = _flow(observed, ["all"], np.zeros(len(c.families), dtype=np.int64), c.waves, "all")
    if families is not None and by is not None:
        name, codes, labels = group_codes(c, by, data, families, func)
        per = _flow(observed, labels, codes, c.waves, str(name))
        per = suppress(per, n_col="n_families", keep=["group", "wave"], min_n=min_n)
        lost = per["n_lost"].astype("Int64")
        per["n_lost"] = lost.mask((lost > 0) & (lost < min_n))
        flow = pd.concat([flow.drop(columns="baseline_n"), per.drop(columns="baseline_n")], ignore_index=True)
        notes.append(Note("attrition.suppressed", min_n=min_n, max_lost=min_n - 1))
    else:
        flow = flow.drop(columns="baseline_n")
    if "status" not in flow.columns:
        flow["status"] = "ok"
    flow["status"] = flow["status"].fillna("ok")

    patterns = _patterns(observed, c.waves)
    completer = observed[:, -1]
    keep = ~ongoing & observed[:, 0]
    profile = _profile(c.values[:, :, 0], completer, keep, c.domains)
    model = _model(c.values[:, :, 0], completer, keep, c.domains)
    return Attrition(
        flow=_titled(flow, "Attrition flow"),
        patterns=_titled(patterns, "Missingness patterns"),
        profile=_titled(profile, f"Intake profile: completers ({c.waves[-1]} observed) vs non-completers"),
        model=_titled(model, "Logistic model of non-completion on intake scores"),
        notes=notes,
    )


def _flow(
    observed: np.ndarray, labels: list[Any], codes: np.ndarray, waves: list[str], name: str
) -> pd.DataFrame:
    rows = []
    for g, label in enumerate(labels):
        obs = observed[codes == g]
        n = obs.sum(axis=0)
        lost = np.r_[0, (obs[:, :-1] & ~obs[:, 1:]).sum(axis=0)]
        for w, wave in enumerate(waves):
            rows.append(
                {"group": label, "wave": wave, "n_families": int(n[w]),
                 "share_of_baseline": n[w] / n[0] if n[0] else np.nan, "n_lost": int(lost[w]),
                 "baseline_n": int(n[0])}
            )  # fmt: skip
    out = pd.DataFrame(rows)
    out["status"] = "ok"
    return out


def _patterns(observed: np.ndarray, waves: list[str]) -> pd.DataFrame:
    weights = 1 << np.arange(len(waves))
    code = observed.astype(np.int64) @ weights
    uniq, counts = np.unique(code, return_counts=True)
    order = np.argsort(-counts, kind="stable")
    out = pd.DataFrame({w: (uniq[order] & (1 << i)) > 0 for i, w in enumerate(waves)})
    out["n"] = counts[order]
    out["share"] = counts[order] / counts.sum()
    return out


def _profile(intake: np.ndarray, completer: np.ndarray, keep: np.ndarray, domains: list[str]) -> pd.DataFrame:
    rows = []
    for d, dom in enumerate(domains):
        x = intake[:, d]
        a = x[keep & completer & ~np.isnan(x)]
        b = x[keep & ~completer & ~np.isnan(x)]
        row: dict[str, Any] = {"domain": dom, "n_completers": a.size, "n_noncompleters": b.size}
        if a.size >= 2 and b.size >= 2:
            va, vb = a.var(ddof=1), b.var(ddof=1)
            pooled = np.sqrt((va + vb) / 2)
            if va + vb > 0:
                # Welch's t written out (scipy.stats.ttest_ind(equal_var=False) warns of "catastrophic
                # cancellation" when one group is constant, which small groups often are)
                se2a, se2b = va / a.size, vb / b.size
                dfw = (se2a + se2b) ** 2 / (se2a**2 / (a.size - 1) + se2b**2 / (b.size - 1))
                t = (a.mean() - b.mean()) / np.sqrt(se2a + se2b)
                row.update(welch_t=float(t), welch_df=float(dfw), welch_p=float(2 * stats.t.sf(abs(t), dfw)))
            row.update(
                mean_completers=a.mean(), mean_noncompleters=b.mean(), sd_completers=np.sqrt(va),
                sd_noncompleters=np.sqrt(vb), smd=(a.mean() - b.mean()) / pooled if pooled > 0 else np.nan,
            )  # fmt: skip
        rows.append(row)
    cols = ["domain", "n_completers", "n_noncompleters", "mean_completers", "mean_noncompleters",
            "sd_completers", "sd_noncompleters", "smd", "welch_t", "welch_df", "welch_p"]  # fmt: skip
    return pd.DataFrame(rows).reindex(columns=cols)


def _model(intake: np.ndarray, completer: np.ndarray, keep: np.ndarray, domains: list[str]) -> pd.DataFrame:
    cols = ["term", "estimate", "se", "z", "p_value", "ci_low", "ci_high", "odds_ratio", "status"]
    rows_ok = keep & ~np.isnan(intake).any(axis=1)
    y = (~completer[rows_ok]).astype(float)
    x = intake[rows_ok]
    terms = ["intercept", *domains]
    if y.size <= len(terms) or y.min() == y.max():
        status = "not estimable: " + (
            "every family completed or none did" if y.size and y.min() == y.max() else "too few families"
        )
        return pd.DataFrame({"term": terms, "status": status}).reindex(columns=cols)
    exog = np.column_stack([np.ones(y.size), x])
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            fit = Logit(y, exog).fit(disp=0, method="newton", maxiter=100)
        except (np.linalg.LinAlgError, ValueError) as err:
            return pd.DataFrame({"term": terms, "status": f"not estimable: {err}"}).reindex(columns=cols)
    converged = bool(fit.mle_retvals.get("converged", False))
    status = (
        "ok"
        if converged and not caught
        else "check: "
        + "; ".join(["not converged"] * (not converged) + [str(w.message).splitlines()[0] for w in caught])
    )
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        ci = np.asarray(fit.conf_int())
        params = np.asarray(fit.params)
        odds = np.exp(params)  # a (quasi-)separated model's estimates run off: inf, said in the status
    if not np.isfinite(odds).all():
        status = (status + "; " if status != "ok" else "check: ") + "an odds ratio is not finite (separation)"
    return pd.DataFrame(
        {
            "term": terms,
            "estimate": params,
            "se": np.asarray(fit.bse),
            "z": np.asarray(fit.tvalues),
            "p_value": np.asarray(fit.pvalues),
            "ci_low": ci[:, 0],
            "ci_high": ci[:, 1],
            "odds_ratio": odds,
            "status": status,
        }
    )
