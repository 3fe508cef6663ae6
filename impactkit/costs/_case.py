"""The business case through its one definition (:mod:`impactkit.costs._casemodel`).

A business-case :class:`CostEvaluation` (``_evaluate.business_case``) takes every number
from the case graph: the deterministic tables from one evaluation at the base values, the PSA,
tornado and named scenarios through ``_engine.run`` (which hands a business-case model to
:func:`run_case`).  :func:`what_if` recomputes it at other input values, with P(saving) on the
same PSA draws: what the page does in the browser and the workbook in a spreadsheet.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from impactkit.costs._casemodel import CaseModel, Profile, build, draw_key
from impactkit.costs._engine import CohortDraws, Model, Outcome, base_theta, run
from impactkit.costs._labels import words
from impactkit.costs._money import discount_factors
from impactkit.costs._scenario import Scenario
from impactkit.errors import DesignError, ParameterError
from impactkit.i18n import Note

__all__ = ["PAGE_COHORTS", "PAGE_HORIZON", "CaseInfo", "WhatIf", "run_case", "what_if"]

PAGE_COHORTS = 10  # funded years the page and the workbook can be set to (at least the case's own)
PAGE_HORIZON = 10  # years per cohort the page and the workbook can be set to (at least the scenario's)
HEADLINE = ("programme_cost", "gross_avoided_cost", "net_benefit", "npv", "benefit_cost_ratio", "roi",
            "net_benefit_undiscounted", "payback_months", "break_even_share", "attributed_share",
            "fiscal_net_benefit")  # fmt: skip


@dataclass
class CaseInfo:
    """What a business case needs to be recomputed anywhere: its definition and its PSA draws."""

    scenario: Scenario
    profile: Profile
    settings: dict[str, float]
    instrument: Any = None
    draws: dict[str, np.ndarray] = field(default_factory=dict)  # input key -> PSA draws (varying inputs)
    n_draws: int = 0
    families_basis: dict[str, int] = field(default_factory=dict)  # path -> families its need rests on
    data: Any = field(default=None, repr=False, compare=False)  # the Dataset of business_case(data=...)

    @property
    def start_year(self) -> int:
        return int(self.settings["case.start_year"])

    def sizes(self, values: Mapping[str, float] | None = None) -> tuple[int, int]:
        """Graph sizes that hold these values and the page's ranges."""
        v = {**self.settings, "scenario.horizon": float(self.scenario.horizon), **(values or {})}
        return (max(PAGE_COHORTS, math.ceil(v["case.years"])),
                max(PAGE_HORIZON, math.ceil(v["scenario.horizon"])))  # fmt: skip

    def model(self, *, psa: bool = False, sizes: tuple[int, int] | None = None) -> CaseModel:
        n_c, n_h = sizes or self.sizes()
        return build(self.scenario, self.profile, settings=self.settings, max_cohorts=n_c, max_horizon=n_h,
                     psa=psa, instrument=self.instrument)  # fmt: skip


# ----------------------------------------------------------------------------- the engine's hook
def _data_values(cm: CaseModel, cohort: CohortDraws | None) -> dict[str, Any]:
    """The data inputs of a profile resting on data: base values, or one per draw."""
    prof = cm.profile
    if not prof.n:
        return {}
    out: dict[str, Any] = {}
    for v in range(len(prof.variants)):
        for p, pid in enumerate(cm.paths):
            key = f"data.recorded.{v}.{pid}"
            if prof.recorded[v, p] > 0:
                out[key] = prof.recorded[v, p] if cohort is None else cohort.judged[:, 0, v, p] / prof.n
    for gi, grp in enumerate(prof.groups):
        out[f"data.group.{gi}"] = grp[2] if cohort is None else cohort.group_counts[:, gi] / prof.n
    for h in range(prof.used.shape[0]):
        for k, ct in enumerate(cm.care_types):
            if prof.used[h, k] > 0:
                drawn = None if cohort is None else cohort.used
                out[f"data.used.{h}.{ct}"] = prof.used[h, k] if drawn is None else drawn[:, 0, h, k] / prof.n
    return out


def _first(x: np.ndarray, d: int, lead: int) -> np.ndarray:
    """Draws axis first: (*shape, D) or (*shape,) → (D, *shape)."""
    x = np.asarray(x, dtype=float)
    shape = x.shape[:lead]
    x = np.broadcast_to(x.reshape(*shape, -1) if x.ndim > lead else x[..., None], (*shape, d))
    return np.moveaxis(x, -1, 0).copy()


def run_case(model: Model, theta: Mapping[str, np.ndarray], *, detail: bool = False,
             cohort: CohortDraws | None = None) -> Outcome:  # fmt: skip
    """``_engine.run`` for a business case: the case graph evaluated for every row of ``theta``."""
    cm: CaseModel = model.case  # type: ignore[assignment]
    d = len(next(iter(theta.values())))
    values = {
        **cm.settings,
        "scenario.horizon": float(cm.scenario.horizon),
        **theta,
        **_data_values(cm, cohort),
    }
    names = ["gross_avoided_cost", "programme_cost", "before_adjustment", "attributed_share", "saves_pv",
             "invests_pv"]  # fmt: skip
    if detail:
        names += ["avoided", "invests", "case_cost", "cases", "df_effects", "decay", "price",
                  "counterfactual_cost", "used_cost", "avoided_cost"]  # fmt: skip
    r = cm.evaluate(values, names)
    out = Outcome(
        gross_pv=_first(r["gross_avoided_cost"], d, 0), cost_pv=_first(r["programme_cost"], d, 0),
        before_adjustment_pv=_first(r["before_adjustment"], d, 0), attributed=_first(r["attributed_share"], d, 0),
        saves_pv=_first(r["saves_pv"], d, 1), invests_pv=_first(r["invests_pv"], d, 1),
    )  # fmt: skip
    if detail:
        split = np.zeros((len(cm.care_types), len(cm.payers)))
        for k, ct in enumerate(cm.care_types):
            for pid, share in cm.scenario.prices[ct].payers:
                split[k, cm.payers.index(pid)] = share
        out.avoided = _first(r["avoided"], d, 2)
        out.invests = _first(r["invests"], d, 2)
        out.case_cost = _first(r["case_cost"], d, 4)
        out.cases = _first(r["cases"], d, 3)
        out.df_effects = _first(r["df_effects"], d, 1)
        out.decay = _first(r["decay"], d, 1)
        out.price = _first(r["price"], d, 1)
        out.split = split
        out.path_cf_pv = _first(r["counterfactual_cost"], d, 1)
        out.path_used_pv = _first(r["used_cost"], d, 1)
        out.path_avoided_pv = _first(r["avoided_cost"], d, 1)
    return out


# ----------------------------------------------------------------------------- tables from the graph
def tables(cm: CaseModel, r: Mapping[str, Any], n_years: int) -> dict[str, Any]:
    """Headline, by_payer, by_year and by_path from one evaluation ``r`` (scalars) of ``cm``."""
    s = cm.scenario
    head = {k: float(r[k]) for k in HEADLINE}
    by_payer = pd.DataFrame(
        {
            "payer": cm.payers,
            "label": [p.label for p in s.payers],
            "fiscal": [p.fiscal for p in s.payers],
            "invests": np.asarray(r["invests_pv"], float),
            "saves": np.asarray(r["saves_pv"], float),
        }
    )
    by_payer["net"] = by_payer["saves"] - by_payer["invests"]
    rows = []
    av, inv, cum = (np.asarray(r[k], float) for k in ("avoided", "invests", "cumulative_by_year"))
    cal = np.asarray(r["calendar_year"], float)
    df = discount_factors(s.discount_effects.value, n_years)  # the table's column, as _evaluate's
    for t in range(n_years):
        for y, payer in enumerate(cm.payers):
            rows.append({"year": t + 1, "calendar_year": round(cal[t]), "payer": payer, "invests": inv[y, t],
                         "saves": av[y, t], "net": av[y, t] - inv[y, t], "cumulative_net": cum[y, t],
                         "discount_factor": df[t]})  # fmt: skip
    by_year = pd.DataFrame(rows)
    by_year["calendar_year"] = by_year["calendar_year"].astype("Int64")
    ids = [*cm.paths, "other_care"]
    by_path = pd.DataFrame(
        {
            "path": ids,
            "label": [s.paths[p].label for p in cm.paths] + ["Care used outside the scenario's paths"],
            "expected_cases": [*np.asarray(r["expected_cases"], float), 0.0],
            "counterfactual_cost": np.asarray(r["counterfactual_cost"], float),
            "used_cost": np.asarray(r["used_cost"], float),
            "avoided_cost": np.asarray(r["avoided_cost"], float),
            "cost_per_case": [*np.asarray(r["cost_per_case"], float), math.nan],
            "break_even_cases": [*np.asarray(r["break_even_cases"], float), math.nan],
        }
    )
    if by_path.loc[len(ids) - 1, ["counterfactual_cost", "used_cost"]].abs().sum() == 0:
        by_path = by_path.iloc[:-1]
    return {
        "headline": head,
        "by_payer": by_payer,
        "by_year": by_year,
        "by_path": by_path.reset_index(drop=True),
    }


# ----------------------------------------------------------------------------- what if
@dataclass
class WhatIf:
    """The business case at other input values (``values``): deterministic tables and P(saving)
    on the PSA draws of the evaluation, moved with the inputs (see ``_casemodel``)."""

    values: dict[str, float]
    headline: dict[str, float]
    by_payer: pd.DataFrame
    by_year: pd.DataFrame
    by_path: pd.DataFrame
    psa: dict[str, float]


def _check_values(info: CaseInfo, cm: CaseModel, values: Mapping[str, float]) -> dict[str, float]:
    known = {i.key: i for i in cm.inputs}
    bad = sorted(set(values) - set(known))
    if bad:
        raise ParameterError(
            f"The 'values' parameter of what_if must name inputs of this business case ({', '.join(sorted(known))}). "
            f"Got {', '.join(map(repr, bad))} instead."
        )
    out = {}
    for k, v in values.items():
        if (
            isinstance(v, bool)
            or not isinstance(v, int | float | np.integer | np.floating)
            or not math.isfinite(v)
        ):
            raise ParameterError(f"The {k!r} value of what_if must be a finite number. Got {v!r} instead.")
        out[k] = float(v)
    for k in ("case.years", "scenario.horizon"):
        if k in out and (out[k] < 1 or out[k] != round(out[k])):
            raise ParameterError(
                f"The {k!r} value of what_if must be a whole number ≥ 1. Got {out[k]!r} instead."
            )
    return out


def what_if(info: CaseInfo, values: Mapping[str, float], *, sizes: tuple[int, int] | None = None) -> WhatIf:
    """The business case of ``info`` with some inputs changed (keys: ``CostEvaluation.inputs``)."""
    sizes = sizes or info.sizes({k: float(v) for k, v in values.items()})
    det = info.model(sizes=sizes)
    vals = _check_values(info, det, values)
    full = {**det.values(), **vals}
    r = det.evaluate(full)
    n_years = int(full["case.years"] + full["scenario.horizon"] - 1)
    out = tables(det, r, n_years)
    psa_out: dict[str, float] = {}
    if info.n_draws:
        pm = info.model(psa=True, sizes=sizes)
        inputs = {**full, **{draw_key(k): info.draws[k] for k in pm.draws}}
        q = pm.evaluate(inputs, ["net_benefit", "benefit_cost_ratio"])
        psa_out = psa_summary(q["net_benefit"], q["benefit_cost_ratio"])
    return WhatIf(values=full, psa=psa_out, **out)


def psa_summary(net: np.ndarray, bcr: np.ndarray) -> dict[str, float]:
    """P(net benefit > 0), P(BCR > 1) and the 95% interval of the net benefit (numpy's linear
    quantiles; the page computes the same)."""
    net = np.asarray(net, float)
    lo, hi = np.quantile(net, [0.025, 0.975])
    return {"p_net_benefit_positive": float((net > 0).mean()), "p_bcr_above_1": float((np.asarray(bcr) > 1).mean()),
            "net_q025": float(lo), "net_q975": float(hi), "net_mean": float(net.mean())}  # fmt: skip


# ----------------------------------------------------------------------------- assembling
def attach(model: Model, info: CaseInfo) -> CaseModel:
    """Compile the engine-size case graph onto ``model`` (so ``run`` goes through it)."""
    cm = build(info.scenario, info.profile, settings=info.settings, max_cohorts=int(info.settings["case.years"]),
               max_horizon=info.scenario.horizon, instrument=info.instrument)  # fmt: skip
    cm.info = info
    model.case = cm
    return cm


def keep_draws(model: Model, result: Any) -> None:
    """Store the PSA draws of every varying input on the case's CaseInfo (sample A, draw order)."""
    cm: CaseModel = model.case  # type: ignore[assignment]
    info: CaseInfo = cm.info
    n = len(result.table)
    draws = {k: np.asarray(v, float) for k, v in (result.inputs or {}).items()}
    for k, v in _data_values(cm, result.cohort).items():
        draws[k] = np.broadcast_to(np.asarray(v, float), (n,)).copy()
    info.draws = draws
    info.n_draws = n


def check_finite(det: Outcome) -> None:
    if not (np.isfinite(det.gross_pv).all() and np.isfinite(det.cost_pv).all()):
        raise DesignError(
            "The cost sums overflow (not finite): a price, unit count or programme amount is far too large. "
            "Check the scenario and the business case's settings."
        )


def base_values(cm: CaseModel) -> dict[str, Any]:
    return {**cm.settings, "scenario.horizon": float(cm.scenario.horizon),
            **{k: v[0] for k, v in base_theta(cm.scenario).items()}, **_data_values(cm, None)}  # fmt: skip


def deterministic(model: Model) -> tuple[Outcome, dict[str, Any]]:
    """The detailed Outcome (through ``run``) and the case tables (from the same graph)."""
    cm: CaseModel = model.case  # type: ignore[assignment]
    det = run(model, base_theta(cm.scenario), detail=True)
    check_finite(det)
    r = cm.evaluate(base_values(cm))
    return det, tables(cm, r, model.n_years if cm.profile.n == 0 else cm.max_cohorts + cm.max_horizon - 1)


# ----------------------------------------------------------------------------- a profile from data
@dataclass
class DataProfile:
    """The need profile of the families in the data, and the one-cohort model its PSA redraws."""

    profile: Profile
    model: Model  # all families in one cohort (cohort draws of the PSA resample them)
    first_year: int | None
    n_cohorts: int  # start years observed
    families: dict[str, int]  # "path:<id>" or "care:<care type>" -> families its number rests on
    notes: list[str]


def data_profile(need: Any, s: Scenario, *, k: int) -> DataProfile:
    """Collapse an evaluation's cohorts into one need profile per family, every number resting on at
    least ``k`` families: a path judged or matched for fewer families takes the scenario's prevalence
    (for the programmes that declare it), care used of one type and year by fewer families is
    counted in an earlier year (a type used by fewer than ``k`` families in all: at its cost, as
    units of the care type most families used)."""
    from dataclasses import replace as dc_replace

    from impactkit.costs._need import PREVALENCE

    m: Model = need.model
    det = m.detail
    if det is None:  # pragma: no cover - data_need always sets it
        raise DesignError("data_profile needs an evaluation on data (a bug).")
    n = det.n
    notes: list[str] = []
    lk = need.likelihoods
    on = lk[lk["likelihood"] > 0].groupby("path", observed=True)["family_id"].nunique()
    families = {f"path:{p}": int(on.get(p, 0)) for p in m.paths}
    # groups of the one cohort: (variant, path, names, basis) -> index
    keys: dict[tuple[int, int, tuple[str, ...], int], int] = {}
    old_to_new = np.zeros(len(m.groups), dtype=np.int64)
    for gi, (_c, v, p, _count, names, basis) in enumerate(m.groups):
        old_to_new[gi] = keys.setdefault((v, p, names, basis), len(keys))
    # no group at all (every need judged): every family's group is "none"
    group_of = (
        np.where(det.group_of >= 0, old_to_new[np.maximum(det.group_of, 0)], -1)
        if len(old_to_new)
        else np.full(det.group_of.shape, -1, dtype=np.int64)
    )
    jf, jp, jv = det.judged_family, det.judged_path, det.judged_value
    fixed = m.fixed_cases.sum(axis=0)  # (V, P)
    few = [p for p, pid in enumerate(m.paths) if 0 < families[f"path:{pid}"] < k]
    for p in few:
        pid = m.paths[p]
        keep = jp != p
        jf, jp, jv = jf[keep], jp[keep], jv[keep]
        fixed[:, p] = 0.0
        group_of[:, p] = -1
        prev = s.paths[pid].prevalence.name
        for v, allowed in enumerate(m.variants):
            mine = det.variant == v
            if (allowed is not None and pid not in allowed) or not mine.any():
                continue
            group_of[mine, p] = keys.setdefault((v, p, (prev,), PREVALENCE), len(keys))
        families[f"path:{pid}"] = int(
            sum((det.variant == v).sum() for v, a in enumerate(m.variants) if a is None or pid in a)
        )
        notes.append(Note("costs.case_few_path", k=k, path=words(s, "path", pid)))
    counts = np.bincount(group_of[group_of >= 0], minlength=len(keys)).astype(float)
    groups = [(0, v, p, float(counts[i]), names, basis) for (v, p, names, basis), i in keys.items()]
    live = counts > 0
    remap = np.cumsum(live) - 1
    groups = [g for g, ok in zip(groups, live, strict=True) if ok]
    group_of = np.where(group_of >= 0, remap[np.maximum(group_of, 0)], -1) if len(remap) else group_of
    used, used_notes, used_families = _merge_used(m, det, s, k)
    notes += used_notes
    families.update(used_families)
    detail = dc_replace(det, cohort=np.zeros(n, dtype=np.int64), judged_family=jf, judged_path=jp, judged_value=jv,
                        group_of=group_of.astype(np.int32), used=used)  # fmt: skip
    uf, uh, uk, uu = used
    used_units = np.zeros((1, s.horizon, len(m.care_types)))
    np.add.at(used_units, (np.zeros(len(uf), dtype=np.int64), uh, uk), uu)
    recorded = np.zeros_like(fixed)
    np.add.at(recorded, (det.variant[jf], jp), jv)
    one = Model(scenario=s, n_cohorts=1, fixed_cases=recorded[None], groups=groups, used_units=used_units,
                families=np.array([float(n)]), variants=m.variants, detail=detail)  # fmt: skip
    profile = Profile(
        variants=tuple(m.variants),
        recorded=recorded / n,
        groups=tuple((v, p, count / n, names, basis) for _c, v, p, count, names, basis in groups),
        used=used_units[0] / n,
        n=n,
    )
    return DataProfile(profile, one, need.first_year, m.n_cohorts, families, notes)


def _merge_used(
    m: Model, det: Any, s: Scenario, k: int
) -> tuple[tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray], list[str], dict[str, int]]:
    """Care-used episodes moved so that every (year, care type) cell rests on at least ``k`` families."""
    uf, uh, uk, uu = (np.asarray(x).copy() for x in det.used)
    notes: list[str] = []
    if not len(uf):
        return (uf, uh, uk, uu), notes, {}
    price = np.array([s.prices[ct].price.value * s.prices[ct].index for ct in m.care_types])
    fam_k = {int(kk): len(set(uf[uk == kk].tolist())) for kk in np.unique(uk)}
    major = max(fam_k, key=lambda kk: (fam_k[kk], -kk))
    for kk, nf in fam_k.items():
        if nf < k and kk != major and price[major] > 0:
            sel = uk == kk
            uu[sel] = uu[sel] * price[kk] / price[major]
            uk[sel] = major
            notes.append(Note("costs.case_few_care", care=words(s, "care", m.care_types[kk]), n=nf, k=k,
                              major=words(s, "care", m.care_types[major])))  # fmt: skip
    for kk in np.unique(uk):
        sel = uk == kk
        years = sorted(set(uh[sel].tolist()))
        run: list[int] = []
        target: int | None = None
        for h in years:
            run.append(h)
            fams = set(uf[sel & np.isin(uh, run)].tolist())
            if len(fams) >= k:
                uh[sel & np.isin(uh, run)] = run[0]
                target, run = run[0], []
        if run:  # the last years rest on too few families: counted in the last cell that does not
            first = target if target is not None else run[0]
            uh[sel & np.isin(uh, run)] = first
            if target is not None:
                notes.append(Note("costs.case_few_years", care=words(s, "care", m.care_types[kk]), first_year=run[0] + 1,
                                  last_year=run[-1] + 1, k=k, year=first + 1))  # fmt: skip
    used_families = {f"care:{m.care_types[kk]}": len(set(uf[uk == kk].tolist())) for kk in np.unique(uk)}
    return (uf, uh, uk, uu), notes, used_families


# ----------------------------------------------------------------------------- a scenario at other values
def scenario_with(s: Scenario, values: Mapping[str, float]) -> Scenario:
    """``s`` with the parameters named in ``values`` set to those values (and ``scenario.horizon``).

    Amounts keep their relative uncertainty (as a local tariff does); a share keeps its sd where
    the distribution allows it.  Keys that are not parameters of ``s`` are ignored.
    """
    import dataclasses

    from impactkit.costs._params import Param

    def moved(p: Param) -> Param:
        v = float(values[p.name])
        if p.value and _unit_scale(p.name):
            return p.rescaled(v / p.value)
        sd = p.sd
        if p.dist == "beta" and sd is not None and 0 < v < 1:
            sd = min(sd, 0.99 * math.sqrt(v * (1 - v)))
        low = None if p.low is None else min(p.low, v)
        high = None if p.high is None else max(p.high, v)
        return dataclasses.replace(p, value=v, sd=sd, low=low, high=high)

    def swap(obj: Any) -> Any:
        if isinstance(obj, Param):
            return moved(obj) if obj.name in values else obj
        if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
            changes = {}
            for f in dataclasses.fields(obj):
                if not f.init:
                    continue
                old = getattr(obj, f.name)
                new = swap(old)
                if new is not old:
                    changes[f.name] = new
            return dataclasses.replace(obj, **changes) if changes else obj
        if isinstance(obj, tuple):
            items = tuple(swap(x) for x in obj)
            return obj if all(a is b for a, b in zip(items, obj, strict=True)) else items
        if isinstance(obj, Mapping):
            d = {k: swap(v) for k, v in obj.items()}
            return obj if all(d[k] is obj[k] for k in obj) else d
        return obj

    out = swap(s)
    if "scenario.horizon" in values:
        out = dataclasses.replace(out, horizon=int(values["scenario.horizon"]))
    return out


def _unit_scale(name: str) -> bool:
    from impactkit.costs._casemodel import _unit_of

    return _unit_of(name) not in ("share", "rate")
