"""Planning: power, sample size and minimum detectable change for N families.

* :func:`power_paired`: the paired t test, as R's ``power.t.test(type = "paired")``: give all but
  one of ``n``, ``delta`` and ``power`` and the missing one is solved for (noncentral t).
* :func:`minimum_detectable_change`: per domain of a cohort (or a pilot), the smallest mean change
  N families detect with the given power (the group-level MDC, paired t on the observed SD of the
  differences), next to the individual MDC95 = z √2 SEM (Weir 2005), SEM = SD_1 √(1 - r), which is
  the reliable-change threshold in score points.
* :func:`power_mixed`: the random-intercept mixed model with dropout, by simulation (no formula
  exists with missing waves): datasets drawn from the model, each fitted as :func:`mixed_model`
  would (REML, Satterthwaite df); power is the share of fits with p < alpha.  With a comparison
  group (``n_comparison``): the power of the difference in change between the groups.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
from scipy import optimize, stats

from impactkit._result import ResultFrame
from impactkit.errors import DesignError, ParameterError
from impactkit.measures._change import _domain_index
from impactkit.measures._cube import cube, resolve_wave
from impactkit.measures._lmm_ri import domain_sums, fit_domain
from impactkit.measures._mixed_design import Design
from impactkit.measures._satterthwaite import contest1d

__all__ = ["PlanningResult", "minimum_detectable_change", "power_mixed", "power_paired"]


class PlanningResult(ResultFrame):
    """A planning table (power, sample size or detectable change)."""

    _title = "Planning: power and detectable change"


def _power(n: float, delta: float, sd: float, alpha: float, tside: int, strict: bool) -> float:
    """R's power.t.test body for type = "paired" (tsample = 1)."""
    nu = max(1e-7, n - 1)
    ncp = np.sqrt(n) * delta / sd
    qu = stats.t.isf(alpha / tside, nu)
    p = stats.nct.sf(qu, nu, ncp)
    if strict and tside == 2:
        p += stats.nct.cdf(-qu, nu, ncp)
    return float(p)


def power_paired(
    *,
    n: float | None = None,
    delta: float | None = None,
    sd_diff: float | None = None,
    sd: float | None = None,
    correlation: float | None = None,
    power: float | None = None,
    alpha: float = 0.05,
    alternative: str = "two-sided",
    strict: bool = False,
) -> PlanningResult:
    """Power, number of families or detectable mean change of a paired t test (``power.t.test``).

    Exactly one of ``n``, ``delta`` and ``power`` is None and is solved for.

    Parameters
    ----------
    n : float, optional
        Number of families with both waves (pairs).
    delta : float, optional
        The true mean change in score points.
    sd_diff : float, optional
        SD of the within-family differences; or give ``sd`` (SD of the scores at one wave) and
        ``correlation`` (between the waves): ``sd_diff = sd √(2 (1 - correlation))``.
    sd, correlation : float, optional
    power : float, optional
        1 - β.
    alpha : float, default 0.05
    alternative : {"two-sided", "one-sided"}, default "two-sided"
    strict : bool, default False
        As R: with ``True`` a two-sided power counts rejections in the wrong direction too.

    Returns
    -------
    PlanningResult
        One row: ``n, delta, sd_diff, effect_size`` (delta / sd_diff, d_z), ``alpha, power,
        alternative, solved`` (which quantity was solved for).

    Examples
    --------
    >>> import impactkit as ik
    >>> ik.power_paired(delta=0.3, sd_diff=1.0, power=0.8)["n"].round(2).tolist()  # R: 89.15
    [89.15]
    """
    func = "power_paired"
    if alternative not in ("two-sided", "one-sided"):
        raise ParameterError(
            f"The 'alternative' parameter of {func} must be 'two-sided' or 'one-sided'. Got {alternative!r}."
        )
    if sd_diff is None:
        if sd is None or correlation is None:
            raise ParameterError(f"{func} needs 'sd_diff', or 'sd' and 'correlation'.")
        if not -1 < correlation < 1 or sd <= 0:
            raise ParameterError(f"{func}: 'correlation' must lie in (-1, 1) and 'sd' be positive.")
        sd_diff = sd * np.sqrt(2 * (1 - correlation))
    elif sd is not None or correlation is not None:
        raise ParameterError(f"Pass 'sd_diff' or 'sd' with 'correlation' to {func}, not both.")
    if not sd_diff > 0:
        raise ParameterError(f"The 'sd_diff' parameter of {func} must be positive. Got {sd_diff!r}.")
    missing = [name for name, v in (("n", n), ("delta", delta), ("power", power)) if v is None]
    if len(missing) != 1:
        raise ParameterError(
            f"Exactly one of 'n', 'delta' and 'power' of {func} must be None. Got {missing or 'none'}."
        )
    if not 0 < alpha < 1 or (power is not None and not 0 < power < 1):
        raise ParameterError(f"{func}: 'alpha' and 'power' must lie strictly between 0 and 1.")
    if n is not None and n < 2:
        raise ParameterError(f"The 'n' parameter of {func} must be at least 2. Got {n!r}.")
    tside = 2 if alternative == "two-sided" else 1
    if delta is not None and tside == 2:
        delta = abs(delta)
    solved = missing[0]
    s_d = float(sd_diff)
    if solved == "power":
        n_v, d_v = float(n), float(delta)  # type: ignore[arg-type]
        p_v = _power(n_v, d_v, s_d, alpha, tside, strict)
    elif solved == "n":
        d_v, p_v = float(delta), float(power)  # type: ignore[arg-type]
        n_v = float(optimize.brentq(lambda m: _power(m, d_v, s_d, alpha, tside, strict) - p_v, 2.0, 1e7,
                                    xtol=1e-10, rtol=1e-14))  # fmt: skip
    else:
        n_v, p_v = float(n), float(power)  # type: ignore[arg-type]
        d_v = float(optimize.brentq(lambda d: _power(n_v, d, s_d, alpha, tside, strict) - p_v, s_d * 1e-7,
                                    s_d * 1e7, xtol=1e-14 * s_d, rtol=1e-14))  # fmt: skip
    row = {"n": n_v, "delta": d_v, "sd_diff": s_d, "effect_size": d_v / s_d, "alpha": alpha, "power": p_v,
           "alternative": alternative, "solved": solved}  # fmt: skip
    notes = [
        "Paired t test with the noncentral t, as R's power.t.test(type = 'paired'"
        + (", strict = TRUE)" if strict else ")")
        + f"; {solved} solved for; n counts families with both waves.",
    ]
    return PlanningResult(pd.DataFrame([row]), meta={"notes": notes})


def minimum_detectable_change(
    data: pd.DataFrame,
    *,
    n_families: int | Sequence[int] | None = None,
    baseline: str | None = None,
    followup: str | None = None,
    reliability: float | Mapping[str, float] | None = None,
    alpha: float = 0.05,
    power: float = 0.8,
    domains: list[str] | None = None,
) -> PlanningResult:
    """Per domain: the smallest mean change N families detect, and the individual MDC95.

    Parameters
    ----------
    data : DataFrame
        The canonical long frame of a cohort or pilot: the SD of the within-family differences
        (complete pairs) and the baseline SD are taken from it.
    n_families : int or list of int, optional
        The planned numbers of families with both waves (default: the complete pairs observed).
    baseline, followup : str, optional
        The waves (default: the instrument's first and last).
    reliability : float or mapping, optional
        For the individual MDC; default the instrument's (flagged when a placeholder).
    alpha, power : float
        Two-sided level and power of the group-level calculation.
    domains : list of str, optional

    Returns
    -------
    PlanningResult
        One row per domain × n with columns ``domain, baseline, followup, n_pairs`` (observed),
        ``n_families`` (planned), ``sd_baseline, sd_diff, mdc_group`` (the mean change detected with
        the given power, ``power.t.test(n, sd = sd_diff, power)``), ``effect_size`` (mdc_group /
        sd_diff), ``reliability, reliability_placeholder, sem`` (SD_1 √(1 - r)) and
        ``mdc_individual`` (1.96 √2 SEM at alpha 0.05: the change one family must show to exceed
        measurement error, equal to the reliable-change threshold).

    Notes
    -----
    Missing data: complete pairs per domain for the SD of the differences; all observed baseline
    scores for SD_1.  Planning from a pilot's SD carries the pilot's uncertainty.
    """
    func = "minimum_detectable_change"
    c = cube(data, func)
    b = resolve_wave(c, baseline, "baseline", func, default=0)
    f = resolve_wave(c, followup, "followup", func, default=-1)
    if b == f:
        raise ParameterError(f"The 'baseline' and 'followup' parameters of {func} must differ.")
    ns = [n_families] if isinstance(n_families, int | np.integer) or n_families is None else list(n_families)
    z = stats.norm.isf(alpha / 2)
    inst = c.instrument
    rows = []
    for d in _domain_index(c.domains, domains, func):
        dom = c.domains[d]
        x, y = c.values[:, d, b], c.values[:, d, f]
        ok = ~np.isnan(x) & ~np.isnan(y)
        if ok.sum() < 2:
            raise DesignError(
                f"{func}: domain {dom!r} has {int(ok.sum())} complete pair(s); the SD needs two."
            )
        sd_diff = float((y[ok] - x[ok]).std(ddof=1))
        sd1 = float(x[~np.isnan(x)].std(ddof=1))
        r = reliability.get(dom) if isinstance(reliability, Mapping) else reliability
        placeholder = False
        if r is None:
            r = inst.reliability(dom)
            placeholder = r is not None and inst.reliability_is_placeholder(dom)
        sem = sd1 * np.sqrt(1 - r) if r is not None else np.nan
        for n in ns:
            n_plan = int(ok.sum()) if n is None else int(n)
            mdc = (
                power_paired(n=n_plan, sd_diff=sd_diff, power=power, alpha=alpha)["delta"].iloc[0]
                if sd_diff > 0
                else 0.0
            )
            rows.append({"domain": dom, "baseline": c.waves[b], "followup": c.waves[f], "n_pairs": int(ok.sum()),
                         "n_families": n_plan, "sd_baseline": sd1, "sd_diff": sd_diff, "mdc_group": mdc,
                         "effect_size": mdc / sd_diff if sd_diff > 0 else np.nan, "reliability": r,
                         "reliability_placeholder": placeholder, "sem": sem,
                         "mdc_individual": z * np.sqrt(2) * sem})  # fmt: skip
    notes = [
        f"mdc_group: the true mean change a paired t test detects with power {power:g} at two-sided alpha {alpha:g} "
        "(power.t.test, sd = observed SD of the differences).",
        "mdc_individual: z · √2 · SEM, SEM = SD_1 √(1 - r) (Weir 2005): the change one family must show to exceed "
        "measurement error; the reliable-change threshold in score points.",
    ]
    if any(r["reliability_placeholder"] for r in rows):
        notes.append(
            "Some reliabilities are placeholders from the instrument: mdc_individual rests on an assumption."
        )
    return PlanningResult(pd.DataFrame(rows), meta={"notes": notes})


def _simulate(
    n_families: int,
    means: np.ndarray,
    var_family: float,
    var_residual: float,
    observed: np.ndarray,
    n_sim: int,
    rng: np.random.Generator,
    n_comparison: int = 0,
    comparison_means: np.ndarray | None = None,
) -> Design:
    """``n_sim`` datasets as the domains of one design (each simulated dataset is fitted separately).

    With a comparison group the first ``n_families`` families are the programme group (indicator
    ``g``); X = [1, waves, g, g × waves], so the g × wave coefficients are the differences in change."""
    n_w = len(means)
    n_all = n_families + n_comparison
    fam = np.repeat(np.arange(n_all), n_w)
    wave = np.tile(np.arange(n_w), n_all)
    prog = fam < n_families
    mu = np.where(prog, means[wave], (comparison_means if comparison_means is not None else means)[wave])
    ys, fs, ds, ws, gs = [], [], [], [], []
    for k in range(n_sim):
        keep = rng.random(n_all * n_w) < observed[wave]
        keep[wave == 0] = True  # every family has its intake assessment
        b = rng.normal(0, np.sqrt(var_family), n_all)[fam]
        y = mu + b + rng.normal(0, np.sqrt(var_residual), len(fam))
        ys.append(y[keep])
        ws.append(wave[keep])
        fs.append(fam[keep])  # each simulated cohort is its own domain: family codes can repeat
        gs.append(prog[keep])
        ds.append(np.full(int(keep.sum()), k))
    w = np.concatenate(ws)
    waves = [np.ones(len(w))] + [(w == j).astype(float) for j in range(1, n_w)]
    columns = ["intercept", *[f"w{j}" for j in range(1, n_w)]]
    if n_comparison:
        g = np.concatenate(gs).astype(float)
        waves += [g] + [g * (w == j) for j in range(1, n_w)]
        columns += ["g", *[f"g:w{j}" for j in range(1, n_w)]]
    return Design(y=np.concatenate(ys), x=np.column_stack(waves), family=np.concatenate(fs),
                  domain=np.concatenate(ds), family_ids=np.arange(n_all), domains=[f"sim{k}" for k in range(n_sim)],
                  columns=columns, waves=[f"w{j}" for j in range(n_w)],
                  by=None, groups=[], covariate_columns=[], instrument=None, wave=w)  # type: ignore[arg-type]  # fmt: skip


def power_mixed(
    *,
    n_families: int,
    change: float | Sequence[float],
    var_family: float,
    var_residual: float,
    retention: float | Sequence[float] = 1.0,
    alpha: float = 0.05,
    n_sim: int = 1000,
    seed: int = 0,
    n_comparison: int | None = None,
    comparison_change: float | Sequence[float] = 0.0,
    waves: Sequence[str] | None = None,
) -> PlanningResult:
    """Power of the random-intercept mixed model's wave contrasts, by simulation.

    Without a comparison group: the power of the change since intake at each later wave.  With
    ``n_comparison`` families in a comparison group (waiting list, matched cohort): the power of
    the difference in change between the groups (the group × wave contrast of
    ``mixed_model(by=...)``), ``change - comparison_change``.

    Datasets are drawn from ``score = μ_wave + b_family + e`` (b ~ N(0, var_family), e ~ N(0,
    var_residual)) with families missing later waves at random, and each is fitted as
    :func:`mixed_model` does (REML, Satterthwaite df).

    Parameters
    ----------
    n_families : int
        Families at intake.
    change : float or list of float
        The true mean change from intake at each later wave (one number: one later wave).
    var_family, var_residual : float
        Variance components, e.g. ``var_family`` and ``var_residual`` of a :func:`mixed_model` fit.
    retention : float or list of float, default 1.0
        Share of families observed at each later wave (missing completely at random).
    alpha : float, default 0.05
    n_sim : int, default 1000
    seed : int, default 0
        Seed of the simulation (numpy's default generator).
    n_comparison : int, optional
        Families at intake in a comparison group (same variance components and retention).
    comparison_change : float or list of float, default 0.0
        The true mean change in the comparison group at each later wave.
    waves : list of str, optional
        Names of the waves, intake first (default ``w0, w1, ...``), e.g. an instrument's wave ids.

    Returns
    -------
    PlanningResult
        One row per later wave with columns ``wave, reference`` (the intake wave), ``effect``
        ("change" or "difference in change"), ``n_families, [n_comparison, comparison_change,]
        change, [difference,] retention, power, power_se`` (Monte Carlo SE), ``mean_estimate,
        coverage`` (share of 1 - alpha intervals that hold the true effect), ``mean_df, n_sim,
        n_failed`` (fits that did not converge, left out).

    Examples
    --------
    >>> import impactkit as ik
    >>> res = ik.power_mixed(n_families=60, change=0.4, var_family=0.3, var_residual=0.5, n_sim=200)
    >>> res[["wave", "power"]].round(2).to_dict("records")
    [{'wave': 'w1', 'power': 0.88}]
    """
    func = "power_mixed"
    changes = np.atleast_1d(np.asarray(change, dtype=float))
    keep = np.broadcast_to(np.atleast_1d(np.asarray(retention, dtype=float)), changes.shape).copy()
    if isinstance(n_families, bool) or not isinstance(n_families, int | np.integer) or n_families < 3:
        raise ParameterError(
            f"The 'n_families' parameter of {func} must be an integer of at least 3. Got {n_families!r}."
        )
    if not (var_family >= 0 and var_residual > 0):
        raise ParameterError(f"{func}: 'var_family' must be >= 0 and 'var_residual' > 0.")
    if ((keep <= 0) | (keep > 1)).any():
        raise ParameterError(f"The 'retention' parameter of {func} must lie in (0, 1]. Got {retention!r}.")
    if isinstance(n_sim, bool) or not isinstance(n_sim, int | np.integer) or n_sim < 10:
        raise ParameterError(
            f"The 'n_sim' parameter of {func} must be an integer of at least 10. Got {n_sim!r}."
        )
    n_comp = 0
    comp = np.zeros_like(changes)
    if n_comparison is not None:
        if (
            isinstance(n_comparison, bool)
            or not isinstance(n_comparison, int | np.integer)
            or n_comparison < 2
        ):
            raise ParameterError(
                f"The 'n_comparison' parameter of {func} must be an integer of at least 2. Got {n_comparison!r}."
            )
        n_comp = int(n_comparison)
        comp = np.broadcast_to(
            np.atleast_1d(np.asarray(comparison_change, dtype=float)), changes.shape
        ).copy()
    names = [f"w{j}" for j in range(len(changes) + 1)] if waves is None else [str(w) for w in waves]
    if len(names) != len(changes) + 1:
        raise ParameterError(
            f"The 'waves' parameter of {func} must name {len(changes) + 1} waves (intake and one per change). "
            f"Got {len(names)}."
        )
    rng = np.random.default_rng(seed)
    means = np.concatenate([[0.0], changes])
    design = _simulate(
        int(n_families), means, var_family, var_residual, np.concatenate([[1.0], keep]), n_sim, rng,
        n_comp, np.concatenate([[0.0], comp]),
    )  # fmt: skip
    truth = changes - comp if n_comp else changes
    n_w = len(changes) + 1
    sums = domain_sums(design)
    crit = stats.t.ppf
    est = np.full((n_sim, len(changes)), np.nan)
    p = np.full_like(est, np.nan)
    cover = np.full_like(est, np.nan)
    dfs = np.full_like(est, np.nan)
    failed = 0
    for k, s in enumerate(sums):
        fit = fit_domain(s, True)
        if fit.status in ("too_few", "not_converged"):
            failed += 1
            continue
        for j in range(len(changes)):
            ell = np.zeros(len(design.columns))
            ell[j + 1 + (n_w if n_comp else 0)] = 1.0  # the wave, or the group × wave column
            e, se, df = contest1d(ell, fit.beta, fit.vcov, fit.jac, fit.a_varpar)
            est[k, j], dfs[k, j] = e, df
            p[k, j] = 2 * stats.t.sf(abs(e / se), df)
            half = crit(1 - alpha / 2, df) * se
            cover[k, j] = abs(e - truth[j]) <= half
    rows = []
    for j in range(len(changes)):
        ok = ~np.isnan(p[:, j])
        pw = float(np.mean(p[ok, j] < alpha))
        row: dict[str, object] = {
            "wave": names[j + 1],
            "reference": names[0],
            "effect": "difference in change" if n_comp else "change",
            "n_families": int(n_families),
        }
        if n_comp:
            row |= {"n_comparison": n_comp, "comparison_change": float(comp[j])}
        row["change"] = float(changes[j])
        if n_comp:
            row["difference"] = float(truth[j])
        rows.append(row | {"retention": float(keep[j]), "power": pw, "power_se": float(np.sqrt(pw * (1 - pw) / ok.sum())),
                     "mean_estimate": float(np.mean(est[ok, j])), "coverage": float(np.mean(cover[ok, j])),
                     "mean_df": float(np.mean(dfs[ok, j])), "n_sim": int(n_sim), "n_failed": failed})  # fmt: skip
    notes = [
        f"{n_sim} simulated cohorts (seed {seed}) of score = μ_wave + b_family + e, var_family {var_family:g}, "
        f"var_residual {var_residual:g}; later waves missing completely at random; each fitted by REML with "
        "Satterthwaite df as mixed_model; power = share with p < alpha.",
    ]
    if n_comp:
        notes.append(
            f"{n_families} programme and {n_comp} comparison families: the power of the difference in change "
            f"since {names[0]!r} between the groups (the group × wave contrast of mixed_model(by=...))."
        )
    if failed:
        notes.append(f"{failed} simulated fit(s) without a converged or identifiable model were left out.")
    return PlanningResult(pd.DataFrame(rows), meta={"notes": notes, "seed": seed})
