"""Reliably improved and deteriorated side by side, with the share expected by chance.

The chance model (no true change).  Jacobson & Truax's RCI assumes that under no true change
the difference ``d = x2 - x1`` is the difference of two independent measurement errors, so
``Var(d) = S_diff² = 2 SD_1² (1 - r)``, and counts a change as reliable when ``|d| > c S_diff``
(c = 1.96).  On a continuous scale the chance of a reliable improvement is then ``1 - Φ(c)`` =
2.5%, and the same for a deterioration.  On a scale of steps h (1 for the usual 1–5 scores) the
observed difference takes the values k h; the smallest reliable improvement is ``k* = h (⌊c
S_diff / h⌋ + 1)``.  The difference is modelled as a latent normal N(0, σ²) rounded to the step,
with σ chosen so that the rounded variable has the variance the reliability implies,
``Σ_k (k h)² P(k) = S_diff²`` (σ² ≈ S_diff² - h²/12, Sheppard's correction, when S_diff is large
against the step; ≈ the three-point law P(±h) = S_diff²/2h² when it is small), and

    P(reliable improvement by chance) = P(reliable deterioration by chance) = 1 - Φ((k* - h/2) / σ).

For a family classified on D domains with independent errors, the chance of a reliable
improvement on at least one is ``1 - Π_d (1 - p_d)``; the expected share on "at least one domain"
is the mean of that over the classified families.  A check by simulation (tests: a no-effect
cohort of rounded true-score-plus-error scores) agrees to a few tenths of a percentage point;
the model ignores floor and ceiling effects of the scale.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from scipy import optimize, stats

from impactkit._result import ResultFrame
from impactkit.errors import ParameterError
from impactkit.i18n import Formatter, Note, Words, languages
from impactkit.measures._change import check_min_pairs

__all__ = ["ReliableChangeSummary", "chance_share", "reliable_change_summary"]

ANY = "at_least_one_domain"


class ReliableChangeSummary(ResultFrame):
    """Per domain and on at least one domain: reliably improved and deteriorated, with chance levels."""

    _title = "Reliable change: improved and deteriorated, against chance"

    def figure(self, **kwargs: Any) -> Any:
        from impactkit.figures._models import reliable_change_chance_bars

        return reliable_change_chance_bars(self, **kwargs)


def _latent_sd(se_diff: float, step: float) -> float:
    """σ of the normal whose rounding to the step has variance S_diff² (solved numerically)."""

    def var(sigma: float) -> float:
        k = np.arange(1, int(np.ceil(12 * max(sigma, se_diff) / step)) + 2)
        p = stats.norm.cdf((k + 0.5) * step / sigma) - stats.norm.cdf((k - 0.5) * step / sigma)
        return float(2 * np.sum((k * step) ** 2 * p)) - se_diff**2

    hi = se_diff
    while var(hi) < 0:  # the rounded variance exceeds the latent one for large σ (Sheppard)
        hi *= 2
    return float(optimize.brentq(var, 1e-9 * step, hi, xtol=1e-12 * step))


def chance_share(se_diff: float, critical: float = 1.96, step: float | None = 1.0) -> float:
    """The share reliably improved (or deteriorated) expected by chance under no true change.

    Parameters
    ----------
    se_diff : float
        S_diff of the RCI, ``SD_1 √2 √(1 - r)``.
    critical : float, default 1.96
    step : float or None, default 1.0
        The step of the score scale (1 for integer scores); None for a continuous scale.

    Returns
    -------
    float
        ``1 - Φ((k* - h/2) / σ)`` with ``k*`` the smallest reliable change on the scale and σ the
        latent SD (see the module notes); ``1 - Φ(critical)`` for a continuous scale.

    Examples
    --------
    >>> round(chance_share(0.8, step=None), 4), round(chance_share(0.8), 4)
    (0.025, 0.0222)
    """
    if step is None or step <= 0:
        return float(stats.norm.sf(critical))
    k_star = step * (np.floor(critical * se_diff / step + 1e-12) + 1)
    return float(stats.norm.sf((k_star - step / 2) / _latent_sd(se_diff, step)))


def _step(table: pd.DataFrame, step: float | str | None) -> float | None:
    if step != "auto":
        return None if step is None else float(step)
    inst = table.meta.get("instrument") if hasattr(table, "meta") else None
    if inst is not None and inst.scale.integer:
        return 1.0
    scores = np.concatenate(
        [table["baseline_score"].to_numpy(float), table["followup_score"].to_numpy(float)]
    )
    return 1.0 if np.allclose(scores, np.rint(scores)) else None


def reliable_change_summary(
    data: pd.DataFrame,
    *,
    step: float | str | None = "auto",
    min_pairs: int = 10,
    **options: Any,
) -> ReliableChangeSummary:
    """Shares reliably improved and reliably deteriorated, per domain and on at least one domain,
    each next to the share expected by chance under no true change.

    Parameters
    ----------
    data : DataFrame
        The canonical long frame (then :func:`reliable_change` runs with ``options``), or a
        :func:`reliable_change` result with ``level="domain"``.
    step : float, None or "auto", default "auto"
        The step of the score scale for the chance level: ``"auto"`` takes 1 for an integer
        instrument scale (or whole-number scores), else a continuous scale (None).
    min_pairs : int, default 10
        Domains (and the overall row) with fewer classified families get ``status``
        "descriptive (n < 10)": the counts stand, but a share that far from n = 10 says nothing
        beyond chance.
    **options
        Passed to :func:`reliable_change` (``baseline``, ``followup``, ``reliability``,
        ``items``, ``critical``, ``domains``, ...).

    Returns
    -------
    ReliableChangeSummary
        One row per domain, then one row ``domain == "at_least_one_domain"``, with columns
        ``domain, baseline, followup`` (the waves compared) ``, n, n_improved, share_improved,
        chance_improved, n_deteriorated, share_deteriorated, chance_deteriorated, n_both,
        share_both, threshold, min_change,
        reliability, reliability_source, reliability_placeholder, status``.  ``n_improved``
        counts reliable improvements (recovered included); ``chance_*`` is the expected share
        under no true change (module notes); ``threshold`` is c × S_diff and ``min_change`` the
        smallest change on the scale that exceeds it (both in score points, NaN on the overall
        row); ``n_both`` (overall row only) counts families reliably better on one domain and
        worse on another.  On the overall row ``reliability_placeholder`` is True when any
        domain's is.

    Notes
    -----
    Missing data: as :func:`reliable_change` (complete pairs per domain); a family counts in the
    overall row when at least one domain is classified, and its chance level uses only those
    domains.

    Examples
    --------
    >>> import impactkit as ik
    >>> data = ik.read_dataset("data/sample", today="2026-11-01").assessments
    >>> s = ik.reliable_change_summary(data)
    >>> s.iloc[-1]["domain"], bool(s.iloc[-1]["reliability_placeholder"])
    ('at_least_one_domain', True)
    """
    func = "reliable_change_summary"
    min_pairs = check_min_pairs(min_pairs, func)
    if isinstance(data, pd.DataFrame) and {"rci", "category", "domain"} <= set(data.columns):
        if options:
            raise ParameterError(
                f"{func}: options {sorted(options)} apply only when 'data' is the long frame."
            )
        table = data
    else:
        from impactkit.measures._reliable import reliable_change

        options.pop("level", None)
        table = reliable_change(data, level="domain", **options)
    meta = getattr(table, "meta", {})
    params = meta.get("parameters")
    if params is None or "category" not in table.columns or "domain" not in table.columns:
        raise ParameterError(
            f"The 'data' parameter of {func} must be a long frame or a reliable_change(level='domain') result."
        )
    h = _step(table, step)
    critical = float(meta.get("critical", 1.96))
    par = params.set_index("domain")
    # on codes, not on a text copy of each column (900,000 rows at 100,000 families)
    up = table["category"].isin(["recovered", "improved"]).to_numpy(dtype=bool)
    down = table["category"].isin(["deteriorated"]).to_numpy(dtype=bool)
    dom_codes, dom_values = pd.factorize(table["domain"])
    dom_index = {str(v): i for i, v in enumerate(dom_values)}
    rows = []
    p_dom = {}
    for d in [str(x) for x in params["domain"]]:
        sel = dom_codes == dom_index.get(d, -2)
        n = int(sel.sum())
        se = float(par.loc[d, "se_diff"])
        p = chance_share(se, critical, h)
        p_dom[d] = p
        thr = critical * se
        min_change = h * (np.floor(thr / h + 1e-12) + 1) if h else thr
        rows.append({"domain": d, "n": n, "n_improved": int(up[sel].sum()), "chance_improved": p,
                     "n_deteriorated": int(down[sel].sum()), "chance_deteriorated": p, "n_both": np.nan,
                     "threshold": thr, "min_change": min_change, "reliability": float(par.loc[d, "reliability"]),
                     "reliability_source": str(par.loc[d, "reliability_source"]),
                     "reliability_placeholder": bool(par.loc[d, "reliability_placeholder"])})  # fmt: skip
    unknown = sorted({str(v) for v in dom_values} - set(p_dom)) + (
        ["(missing)"] if (dom_codes < 0).any() else []
    )
    if unknown:
        raise ParameterError(
            f"The 'data' parameter of {func} has rows of domains {unknown} that its parameters do not list."
        )
    p_code = np.array([p_dom[str(v)] for v in dom_values], dtype=float)
    fam_codes = pd.factorize(table["family_id"])[0]  # first-appearance order, as groupby(sort=False)
    fam = pd.DataFrame({"family": fam_codes, "up": up, "down": down, "log_q": np.log1p(-p_code[dom_codes])})
    per = (
        fam[fam_codes >= 0]
        .groupby("family", sort=False)
        .agg(up=("up", "any"), down=("down", "any"), log_q=("log_q", "sum"))
    )
    chance_any = float((-np.expm1(per["log_q"])).mean()) if len(per) else np.nan
    rows.append({"domain": ANY, "n": len(per), "n_improved": int(per["up"].sum()), "chance_improved": chance_any,
                 "n_deteriorated": int(per["down"].sum()), "chance_deteriorated": chance_any,
                 "n_both": int((per["up"] & per["down"]).sum()), "threshold": np.nan, "min_change": np.nan,
                 "reliability": np.nan, "reliability_source": ", ".join(sorted(set(params["reliability_source"]))),
                 "reliability_placeholder": bool(params["reliability_placeholder"].any())})  # fmt: skip
    out = pd.DataFrame(rows)
    n_classified = out["n"].where(out["n"] > 0)
    for k in ("improved", "deteriorated", "both"):
        out.insert(list(out.columns).index(f"n_{k}") + 1, f"share_{k}", out[f"n_{k}"] / n_classified)
    out["status"] = np.where(out["n"] < min_pairs, f"descriptive (n < {min_pairs})", "ok")
    out.insert(1, "baseline", meta.get("baseline"))
    out.insert(2, "followup", meta.get("followup"))
    out["n_both"] = out["n_both"].astype("Int64")
    notes = [
        Note("reliable_summary.rci", critical=Words({lang: Formatter(lang).general(critical) for lang in languages()}),
             baseline=_wave(meta, "baseline"),
             followup=_wave(meta, "followup")),
        Note("reliable_summary.chance_step", step=f"{h:g}") if h else Note("reliable_summary.chance_continuous"),
    ]  # fmt: skip
    placeholder = [r["domain"] for r in rows[:-1] if r["reliability_placeholder"]]
    if placeholder:
        inst = meta.get("instrument")
        source: object = Note("reliable_summary.an_assumption")
        if inst is not None and inst.reliability_source:
            source = Words({lang: inst.reliability_source_in(lang) for lang in languages()})
        notes.append(
            Note("reliable_summary.placeholder", n=len(placeholder), of=len(rows) - 1, source=source)
        )
    if (out["status"] != "ok").any():
        notes.append(Note("reliable_summary.descriptive", min_pairs=min_pairs))
    return ReliableChangeSummary(out, meta={"notes": notes, "step": h, "critical": critical, "min_pairs": min_pairs,
                                            "baseline": meta.get("baseline"), "followup": meta.get("followup"),
                                            "instrument": meta.get("instrument")})  # fmt: skip


def _wave(meta: Any, key: str) -> object:
    """The wave ``meta[key]`` by its label in every language (its id without an instrument)."""
    inst, wid = meta.get("instrument"), meta.get(key)
    if inst is None or str(wid) not in inst.wave_ids:
        return str(wid)
    return Words({lang: inst.wave_label(str(wid), lang) for lang in languages()})
