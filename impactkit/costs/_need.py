"""Who would have needed what: counterfactual likelihoods per family and path, and care used.

Per family, in this order of preference:

1. **recorded** judgements (table ``counterfactuals``: family_id, care_path, likelihood, judged_by),
   as the Dutch Effectencalculator records them at intake.  Several judges for one family and path
   are averaged; paths a judged family has no row for count as likelihood 0.
2. **rules** on the intake profile (scenario ``[[rules]]``): a rule matches when the family's intake
   score on its domain is at most ``max_score``; several matching rules for one path combine by
   their maximum probability; paths no rule matches count 0.  Missing intake scores never match.
   A rule that names an ``instrument`` applies only to data of that instrument (scales differ).
3. **prevalence** of each path (scenario), for families with neither judgements nor intake scores,
   and for every family without judgements when no rule applies to the data's instrument.

Escalations (scenario ``paths.ID.escalations``) add the escalated path on top of these likelihoods,
so a recorded likelihood of, say, a supervision order should be the *direct* one.

Care actually used during the programme (table ``care_used``) is priced and subtracted in the year
since the family's start in which it began (year 1 when dates are missing).  Care before the start
(the pre-period of :func:`impactkit.outcomes.phase_counts`) is not subtracted: of an episode that
began before the start only the share of its days from the start on counts.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable
from dataclasses import dataclass
from typing import SupportsInt

import numpy as np
import pandas as pd

from impactkit.costs._engine import Model
from impactkit.costs._scenario import Scenario
from impactkit.errors import PROBLEM_COLUMNS, ImpactkitError, ImpactkitWarning, ScenarioError, ValidationError
from impactkit.instruments import Instrument

__all__ = ["Need", "cohort_need", "data_need"]


@dataclass
class Need:
    """A compiled :class:`Model` plus the per-family likelihood table behind it."""

    model: Model
    likelihoods: pd.DataFrame  # family_id, cohort, path, basis, likelihood, rule, source
    first_year: int | None  # calendar year of cohort 0 (None when no dates are known)


def _problems(rows: Iterable[dict[str, object]]) -> None:
    rows = list(rows)
    if rows:
        raise ValidationError(pd.DataFrame(rows, columns=PROBLEM_COLUMNS))


def _warn_unknown(family_ids: pd.Series, known: pd.Index, table: str) -> None:
    unknown = sorted(set(family_ids) - set(known))
    if unknown:
        warnings.warn(
            f"{len(unknown)} family id(s) in {table} are not in the assessments or families table and are "
            f"ignored: {', '.join(unknown[:5])}{' ...' if len(unknown) > 5 else ''}",
            ImpactkitWarning,
            stacklevel=5,  # the caller of evaluate (via data_need and its table helper)
        )


def _require(table: pd.DataFrame, name: str, columns: list[str]) -> None:
    missing = [c for c in columns if c not in table.columns]
    _problems(
        {"file": name, "row": 1, "column": c, "value": None, "message": "required column is missing"}
        for c in missing
    )


def data_need(
    data: pd.DataFrame,
    scenario: Scenario,
    instrument: Instrument,
    *,
    families: pd.DataFrame | None,
    counterfactuals: pd.DataFrame | None,
    care_used: pd.DataFrame | None,
    programme_years: Iterable[int] = (),
) -> Need:
    """Build the model of a cohort observed in ``data`` (the canonical long assessment frame)."""
    ids = pd.Index(data["family_id"].astype(str).unique())
    start = pd.Series(pd.NaT, index=ids, dtype="datetime64[ns]")
    if families is not None:
        _require(families, "families", ["family_id"])
        fam_ids = pd.Index(families["family_id"].astype(str))
        ids = fam_ids.append(ids.difference(fam_ids))
        start = pd.Series(pd.NaT, index=ids, dtype="datetime64[ns]")
        if "start_date" in families.columns:
            start.loc[fam_ids] = pd.to_datetime(families["start_date"]).to_numpy()
    first_seen = data.groupby(data["family_id"].astype(str))["assessed_on"].min()
    start = start.fillna(first_seen.reindex(ids))
    years = start.dt.year
    candidates = [*years.dropna().astype(int).tolist(), *(int(y) for y in programme_years)]
    first_year: int | None = None
    if candidates:
        first_year = min(candidates)
        cohort = (years - first_year).fillna(0).astype(int)
    else:
        cohort = pd.Series(0, index=ids)
    n_cohorts = int(cohort.max()) + 1 if len(cohort) else 1
    if first_year is not None and candidates:
        n_cohorts = max(n_cohorts, max(candidates) - first_year + 1)  # programme years without starts

    rows = _likelihoods(data, scenario, instrument, ids, counterfactuals)
    rows["cohort"] = cohort.reindex(rows["family_id"]).to_numpy()
    model = _compile(scenario, rows, n_cohorts, np.bincount(cohort, minlength=n_cohorts).astype(float))
    if care_used is not None:
        model.used_units = _used_units(care_used, scenario, start, cohort, n_cohorts)
    return Need(model=model, likelihoods=rows, first_year=first_year)


def cohort_need(scenario: Scenario, *, families_per_year: float, years: int, fte: float | None) -> Need:
    """Model of ``years`` yearly cohorts of ``families_per_year`` families each (no data: prevalence)."""
    rows = pd.DataFrame(
        [
            {
                "family_id": f"cohort_{c + 1}",
                "cohort": c,
                "path": pid,
                "basis": "prevalence",
                "likelihood": path.prevalence.value,
                "rule": f"prevalence of {pid}",
                "source": path.prevalence.source,
                "params": (path.prevalence.name,),
                "weight": families_per_year,
            }
            for c in range(years)
            for pid, path in scenario.paths.items()
        ]
    )
    model = _compile(scenario, rows, years, np.full(years, float(families_per_year)))
    if fte is not None:
        model.fte = np.full(years, float(fte))
    return Need(model=model, likelihoods=rows, first_year=None)


def _compile(scenario: Scenario, rows: pd.DataFrame, n_cohorts: int, families: np.ndarray) -> Model:
    paths = list(scenario.paths)
    fixed = np.zeros((n_cohorts, len(paths)))
    weight = rows["weight"] if "weight" in rows.columns else pd.Series(1.0, index=rows.index)
    rec = rows["params"].isna()
    np.add.at(
        fixed,
        (rows.loc[rec, "cohort"].to_numpy(int), rows.loc[rec, "path"].map(paths.index).to_numpy(int)),
        (rows.loc[rec, "likelihood"] * weight[rec]).to_numpy(float),
    )
    groups: list[tuple[int, int, float, tuple[str, ...]]] = []
    var = rows.loc[~rec].assign(w=weight[~rec])
    for (c, p, names), g in var.groupby(["cohort", "path", "params"], sort=True):
        if not isinstance(c, SupportsInt) or not isinstance(names, tuple):  # built above: a bug otherwise
            raise ImpactkitError(f"cost model: unexpected group ({c!r}, {p!r}, {names!r}).")
        groups.append((int(c), paths.index(str(p)), float(g["w"].sum()), tuple(names)))
    return Model(
        scenario=scenario,
        n_cohorts=n_cohorts,
        fixed_cases=fixed,
        groups=groups,
        used_units=np.zeros((n_cohorts, scenario.horizon, len(scenario.prices))),
        families=families,
    )


def _likelihoods(
    data: pd.DataFrame,
    scenario: Scenario,
    instrument: Instrument,
    ids: pd.Index,
    counterfactuals: pd.DataFrame | None,
) -> pd.DataFrame:
    paths = list(scenario.paths)
    out: list[dict[str, object]] = []
    judged: set[str] = set()
    if counterfactuals is not None and len(counterfactuals):
        _require(counterfactuals, "counterfactuals", ["family_id", "care_path", "likelihood"])
        cf = counterfactuals.assign(family_id=counterfactuals["family_id"].astype(str))
        lik = pd.to_numeric(cf["likelihood"], errors="coerce")
        bad_path = ~cf["care_path"].isin(paths)
        bad_lik = ~lik.between(0, 1)
        _problems(
            [
                {
                    "file": "counterfactuals",
                    "row": i + 2,
                    "column": "care_path",
                    "value": cf["care_path"].iloc[i],
                    "message": f"unknown care path; the scenario has {', '.join(paths)}",
                }
                for i in np.flatnonzero(bad_path.to_numpy())
            ]
            + [
                {
                    "file": "counterfactuals",
                    "row": i + 2,
                    "column": "likelihood",
                    "value": cf["likelihood"].iloc[i],
                    "message": "must be a probability between 0 and 1",
                }
                for i in np.flatnonzero(bad_lik.to_numpy())
            ]
        )
        cf = cf.assign(likelihood=lik, judged_by=cf.get("judged_by", pd.Series("unknown", index=cf.index)))
        _warn_unknown(cf["family_id"], ids, "counterfactuals")
        cf = cf[cf["family_id"].isin(ids)]
        mean = cf.groupby(["family_id", "care_path"])["likelihood"].mean()
        judges = cf.groupby("family_id")["judged_by"].agg(lambda s: ", ".join(sorted(set(map(str, s)))))
        judged = set(judges.index)
        for fid in judges.index:
            for pid in paths:
                out.append(
                    {
                        "family_id": fid,
                        "path": pid,
                        "basis": "recorded",
                        "likelihood": float(mean.get((fid, pid), 0.0)),
                        "rule": f"judged by {judges[fid]}",
                        "source": "counterfactual judgement recorded at intake",
                        "params": None,
                    }
                )

    baseline = instrument.wave_ids[0]
    intake = data[data["wave"] == baseline]
    scores = intake.pivot_table(
        index=intake["family_id"].astype(str),
        columns="domain",
        values="score",
        aggfunc="mean",
        observed=False,
    )
    rules = [
        r
        for r in scenario.rules
        if r.instrument in (None, instrument.id) and r.domain not in instrument.omitted_domains
    ]
    for i, rule in enumerate(scenario.rules):
        if rule in rules and rule.domain not in instrument.domain_ids:
            raise ScenarioError(
                f"unknown domain {rule.domain!r} for instrument {instrument.id!r} "
                f"(domains {', '.join(instrument.domain_ids)})",
                source=scenario.source,
                key=f"rules[{i}].domain",
            )
    # without a rule for this instrument, intake scores say nothing: those families get prevalence
    scored = set(scores.index[scores.notna().any(axis=1)]) if len(scores) and rules else set()
    for fid in ids:
        if fid in judged:
            continue
        if fid in scored:
            row = scores.loc[fid]
            for pid in paths:
                hits = [r for r in rules if r.path == pid and r.matches(row.get(r.domain, np.nan))]
                top = max(hits, key=lambda r: r.probability.value) if hits else None
                out.append(
                    {
                        "family_id": fid,
                        "path": pid,
                        "basis": "rule" if hits else "no rule matched",
                        "likelihood": top.probability.value if top else 0.0,
                        "rule": "; ".join(r.text for r in hits) if hits else "",
                        "source": "; ".join(r.source for r in hits) if hits else "",
                        "params": tuple(r.probability.name for r in hits) if hits else None,
                    }
                )
        else:
            for pid, path in scenario.paths.items():
                out.append(
                    {
                        "family_id": fid,
                        "path": pid,
                        "basis": "prevalence",
                        "likelihood": path.prevalence.value,
                        "rule": f"prevalence of {pid} (no judgement, no intake rule applies)",
                        "source": path.prevalence.source,
                        "params": (path.prevalence.name,),
                    }
                )
    return pd.DataFrame(out, columns=["family_id", "path", "basis", "likelihood", "rule", "source", "params"])


def _used_units(
    care_used: pd.DataFrame,
    scenario: Scenario,
    start: pd.Series,
    cohort: pd.Series,
    n_cohorts: int,
) -> np.ndarray:
    """Units of care used per cohort, year since the family's start and care type."""
    _require(care_used, "care_used", ["family_id", "care_type", "units"])
    cu = care_used.assign(family_id=care_used["family_id"].astype(str))
    units = pd.to_numeric(cu["units"], errors="coerce")
    types = list(scenario.prices)
    problems = []
    for i in np.flatnonzero((~cu["care_type"].isin(types)).to_numpy()):
        problems.append(
            {
                "file": "care_used",
                "row": i + 2,
                "column": "care_type",
                "value": cu["care_type"].iloc[i],
                "message": f"care type has no price in the scenario ({', '.join(types)})",
            }
        )
    for i in np.flatnonzero((~(units >= 0)).to_numpy()):
        problems.append(
            {
                "file": "care_used",
                "row": i + 2,
                "column": "units",
                "value": cu["units"].iloc[i],
                "message": "units must be a non-negative number",
            }
        )
    _problems(problems)
    _warn_unknown(cu["family_id"], start.index, "care_used")
    cu = cu.assign(units=units)[cu["family_id"].isin(start.index)]
    began = pd.to_datetime(cu["start"]) if "start" in cu.columns else pd.Series(pd.NaT, index=cu.index)
    ended = pd.to_datetime(cu["end"]) if "end" in cu.columns else pd.Series(pd.NaT, index=cu.index)
    ended = ended.where(ended.notna(), began)
    fam_start = pd.Series(start.reindex(cu["family_id"]).to_numpy(), index=cu.index)
    # care before the family's start is the pre-period, not care used during the programme: only the
    # share of an episode's days from the start on is subtracted (outcomes.phase_counts shows the rest)
    on = began.where(began.isna() | fam_start.isna() | (began >= fam_start), fam_start)
    total = (ended - began).dt.days + 1
    after = ((ended - on).dt.days + 1).clip(lower=0)
    share = (after / total).where(began.notna() & fam_start.notna() & (began < fam_start), 1.0)
    cu = cu.assign(units=cu["units"] * share.clip(0, 1).to_numpy(float))
    days = (on - fam_start).dt.days
    h = (days // 365.25).fillna(0).clip(0, scenario.horizon - 1).astype(int)
    out = np.zeros((n_cohorts, scenario.horizon, len(types)))
    np.add.at(
        out,
        (
            cohort.reindex(cu["family_id"]).to_numpy(int),
            h.to_numpy(int),
            cu["care_type"].map(types.index).to_numpy(int),
        ),
        cu["units"].to_numpy(float),
    )
    return out
