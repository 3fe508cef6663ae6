"""``evaluate`` (a cohort in the data) and ``business_case`` (a what-if without data)."""

from __future__ import annotations

import math
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from impactkit._canonical import instrument_of
from impactkit.costs._engine import Model, Outcome, base_theta, run
from impactkit.costs._money import discount_factors
from impactkit.costs._need import Need, _problems, _require, cohort_need, data_need
from impactkit.costs._params import Param
from impactkit.costs._result import CostEvaluation
from impactkit.costs._scenario import UNITS, Price, Scenario
from impactkit.costs._uncertainty import acceptability, named_scenarios, psa, tornado
from impactkit.errors import DesignError, ParameterError

__all__ = ["business_case", "evaluate"]


def _scenario(scenario: Scenario | str | Path | None) -> Scenario:
    if scenario is None:
        return Scenario.default()
    if isinstance(scenario, Scenario):
        return scenario
    if isinstance(scenario, str | Path):
        return Scenario.from_file(scenario)
    raise ParameterError(
        "The 'scenario' parameter must be a Scenario, a path to a TOML file or None. "
        f"Got {type(scenario).__name__} instead."
    )


def _check_int(name: str, func: str, value: Any, low: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < low:
        raise ParameterError(
            f"The {name!r} parameter of {func} must be an integer ≥ {low}. Got {value!r} instead."
        )
    return int(value)


def evaluate(
    data: Any,
    scenario: Scenario | str | Path | None = None,
    *,
    families: pd.DataFrame | None = None,
    counterfactuals: pd.DataFrame | None = None,
    care_used: pd.DataFrame | None = None,
    programme_costs: pd.DataFrame | None = None,
    prices: pd.DataFrame | None = None,
    draws: int = 10000,
    seed: int = 0,
) -> CostEvaluation:
    """Avoided cost, programme cost and their balance per payer and per year, under uncertainty.

    Only expected values: a family contributes the likelihood of each care path times the path's
    cost; no family is ever classified as "would have been placed".

    Parameters
    ----------
    data : Dataset or pandas.DataFrame
        A :class:`~impactkit.Dataset` (its tables and scenario file fill every option not given) or
        the canonical long assessment frame (intake scores feed the scenario's rules).
    scenario : Scenario, path or None
        Cost assumptions; None uses :meth:`Scenario.default` (illustrative Dutch figures).
    families : DataFrame, optional
        ``family_id`` and ``start_date``: the start year places each family in a cohort.
    counterfactuals : DataFrame, optional
        ``family_id, care_path, likelihood, judged_by`` recorded at intake.
    care_used : DataFrame, optional
        ``family_id, care_type, units, start``: care used during the programme, subtracted.
    programme_costs : DataFrame, optional
        ``year, item, amount`` (prices of ``year``); replaces the scenario's programme cost.
    prices : DataFrame, optional
        ``care_type, unit, price, price_year, payer, source``: local tariffs replacing the
        scenario's (same relative uncertainty).
    draws : int
        PSA draws (0 skips the PSA).
    seed : int
        Seed of ``np.random.default_rng``.

    Returns
    -------
    CostEvaluation
        ``headline`` (dict), ``by_payer`` (payer, label, fiscal, invests, saves, net),
        ``by_year`` (year, calendar_year, payer, invests, saves, net, cumulative_net,
        discount_factor), ``by_path`` (path, label, expected_cases, counterfactual_cost,
        used_cost, avoided_cost, cost_per_case, break_even_cases), ``per_family`` (internal
        only), ``psa``, ``psa_draws``, ``acceptability``, ``tornado``, ``scenarios``.

    Examples
    --------
    >>> import impactkit as ik
    >>> ds = ik.read_dataset("data/sample", today="2026-11-01")
    >>> res = evaluate(ds, draws=1000)  # a Dataset brings its families, judgements, prices...
    >>> res.meta["families"], list(res.by_payer.columns)
    (350.0, ['payer', 'label', 'fiscal', 'invests', 'saves', 'net'])

    Notes
    -----
    Missing data: a missing intake score never matches a rule; a family with no intake score and
    no recorded judgement gets the scenario's prevalence; missing start dates put the family in the
    first cohort and its used care in its first year.  Money is in report-year prices; PV is
    discounted to year 1 (year *t* by (1 + r)^-(t - 1)).
    """
    from impactkit.io import Dataset

    if isinstance(data, Dataset):  # a whole export: its tables, unless given explicitly
        ds = data
        scenario = scenario if scenario is not None else ds.scenario_path
        families = families if families is not None else ds.families
        counterfactuals = counterfactuals if counterfactuals is not None else ds.counterfactuals
        care_used = care_used if care_used is not None else ds.care_used
        programme_costs = programme_costs if programme_costs is not None else ds.programme_costs
        prices = prices if prices is not None else ds.prices
        data = ds.assessments
    if not isinstance(data, pd.DataFrame):
        raise ParameterError(
            f"The 'data' parameter of evaluate must be a Dataset or the canonical long assessment frame. "
            f"Got {type(data).__name__} instead."
        )
    missing = [c for c in ("family_id", "wave", "assessed_on", "domain", "score") if c not in data.columns]
    if missing:
        raise ParameterError(
            f"The 'data' parameter of evaluate must have the canonical columns; missing {missing}. "
            f"Got columns {list(data.columns)} instead (read files with impactkit.read_dataset)."
        )
    s = _scenario(scenario)
    draws, seed = _check_int("draws", "evaluate", draws, 0), _check_int("seed", "evaluate", seed, 0)
    if prices is not None:
        s = _override_prices(s, prices)
    inst = instrument_of(data)
    table, years = _programme_table(programme_costs, s)
    need = data_need(
        data,
        s,
        inst,
        families=families,
        counterfactuals=counterfactuals,
        care_used=care_used,
        programme_years=years,
    )
    if table is not None:
        need.model.programme_amounts = _programme_amounts(table, need)
    if not need.model.families.sum():
        raise DesignError("No families to evaluate: the assessments and families tables are empty.")
    basis = need.likelihoods.groupby("family_id")["basis"].agg(
        lambda b: (
            "recorded judgements"
            if "recorded" in set(b)
            else ("prevalence" if "prevalence" in set(b) else "intake rules")
        )
    )
    notes = [
        f"Families: {int(need.model.families.sum())}; likelihoods from "
        + ", ".join(f"{k}: {v}" for k, v in basis.value_counts().sort_index().items())
        + " families."
    ]
    if programme_costs is not None:
        notes.append("Programme cost from the programme_costs table (indexed to the report year).")
    return _finish(need, s, draws=draws, seed=seed, kind="evaluate", notes=notes)


def business_case(
    scenario: Scenario | str | Path | None = None,
    *,
    families_per_year: float,
    coordinator_fte: float | None = None,
    years: int = 1,
    draws: int = 10000,
    seed: int = 0,
) -> CostEvaluation:
    """What-if for a municipality without data: fund ``years`` yearly cohorts of families.

    Each cohort of ``families_per_year`` families needs each care path with the scenario's
    prevalence; avoided care runs ``horizon`` years from the cohort's start.

    Parameters
    ----------
    scenario : Scenario, path or None
    families_per_year : float
        Families supported per funded year (> 0).
    coordinator_fte : float, optional
        Coordinator FTE funded per year; default families_per_year / caseload_per_fte.
    years : int
        Funded years (cohorts).
    draws, seed : int
        PSA draws (0 skips it) and seed.

    Returns
    -------
    CostEvaluation
        The same tables as :func:`evaluate` (``per_family`` holds one row per cohort and path).

    Notes
    -----
    No data, so nothing is missing: every likelihood is a scenario prevalence.

    Examples
    --------
    Three years of 1.6 FTE × €80,000 plus 40 families × (€300 training + €250 expenses) is
    €150,000 a year; at 2.25% that is 150,000 × (1 + 1/1.0225 + 1/1.0225²) = €440,170:

    >>> bc = business_case(families_per_year=40, coordinator_fte=1.6, years=3, draws=0)
    >>> round(bc.headline["programme_cost"])
    440170
    """
    s = _scenario(scenario)
    if (
        isinstance(families_per_year, bool)
        or not isinstance(families_per_year, int | float)
        or not families_per_year > 0
    ):
        raise ParameterError(
            f"The 'families_per_year' parameter of business_case must be a positive number. "
            f"Got {families_per_year!r} instead."
        )
    if coordinator_fte is not None and (
        isinstance(coordinator_fte, bool)
        or not isinstance(coordinator_fte, int | float)
        or coordinator_fte < 0
    ):
        raise ParameterError(
            f"The 'coordinator_fte' parameter of business_case must be a non-negative number or None. "
            f"Got {coordinator_fte!r} instead."
        )
    years = _check_int("years", "business_case", years, 1)
    draws, seed = _check_int("draws", "business_case", draws, 0), _check_int("seed", "business_case", seed, 0)
    need = cohort_need(s, families_per_year=families_per_year, years=years, fte=coordinator_fte)
    fte = "from the caseload" if coordinator_fte is None else f"{coordinator_fte:g} FTE"
    notes = [f"Business case: {families_per_year:g} families a year for {years} year(s), coordinator {fte}."]
    return _finish(need, s, draws=draws, seed=seed, kind="business_case", notes=notes)


# --------------------------------------------------------------------------- assembling the result
def _finish(need: Need, s: Scenario, *, draws: int, seed: int, kind: str, notes: list[str]) -> CostEvaluation:
    model = need.model
    det = run(model, base_theta(s), detail=True)
    by_year = _by_year(model, det, need.first_year)
    by_payer = _by_payer(s, det)
    by_path = _by_path(model, det)
    cost, gross = float(det.cost_pv[0]), float(det.gross_pv[0])
    headline: dict[str, Any] = {
        "programme_cost": cost,
        "gross_avoided_cost": gross,
        "net_benefit": gross - cost,
        "npv": gross - cost,
        "benefit_cost_ratio": gross / cost if cost > 0 else math.nan,
        "roi": (gross - cost) / cost if cost > 0 else math.nan,
        "net_benefit_undiscounted": float(det.avoided[0].sum() - det.invests[0].sum()),  # type: ignore[index]
        "payback_months": payback_months(
            det.invests[0].sum(axis=0),  # type: ignore[index]
            det.avoided[0].sum(axis=0),  # type: ignore[index]
        ),
        "break_even_share": cost / float(det.before_adjustment_pv[0])
        if det.before_adjustment_pv[0] > 0
        else math.nan,
        "attributed_share": float(det.attributed[0]),
        "fiscal_net_benefit": float(by_payer.loc[by_payer["fiscal"], "net"].sum()),
        "p_net_benefit_positive": math.nan,
        "p_bcr_above_1": math.nan,
    }
    psa_table = psa_summary = accept = None
    if draws:
        psa_table, psa_summary, theta = psa(model, draws, seed)
        headline["p_net_benefit_positive"] = float((psa_table["net_benefit"] > 0).mean())
        headline["p_bcr_above_1"] = float((psa_table["benefit_cost_ratio"] > 1).mean())
        accept = acceptability(model, theta)
    torn = tornado(model)
    scen = named_scenarios(model, torn)
    per_family = _per_family(need, det)
    notes += [
        f"Money in {s.report_year} euros; present values discounted at "
        f"{s.discount_effects.value:.2%} (effects) and "
        f"{s.discount_costs.value:.2%} (costs), year 1 undiscounted.",
        f"Avoided care counted {s.horizon} years per family, after deadweight {s.deadweight.value:.0%}, "
        f"attribution {s.attribution.value:.0%}, displacement {s.displacement.value:.0%} and a drop-off of "
        f"{s.dropoff.value:.0%} a year.",
        "net_benefit and npv are both present values; payback_months uses undiscounted flows with the "
        "programme cost paid at the start of each year and avoided care accruing evenly over the year.",
        "break_even_share: the share of the counterfactual care (net of care used, after drop-off) that must "
        "be avoided for the programme to pay; attributed_share is the share the adjustments now credit.",
    ]
    if s.value_volunteer_time:
        notes.append(
            "programme_cost includes volunteers' time at replacement cost (a societal, not fiscal, cost)."
        )
    if s.illustrative:
        notes.append(
            f"Scenario {s.id!r} is illustrative: replace its prices and probabilities with local figures. "
            "The Youth Authority warns that savings assumed from prevention are contested."
        )
    meta = {"kind": kind, "scenario": s.id, "scenario_source": s.source, "report_year": s.report_year,
            "horizon": s.horizon, "draws": draws, "seed": seed, "illustrative": s.illustrative,
            "families": float(model.families.sum())}  # fmt: skip
    return CostEvaluation(
        scenario=s,
        headline=headline,
        by_payer=by_payer,
        by_year=by_year,
        by_path=by_path,
        per_family=per_family,
        psa=psa_summary,
        psa_draws=psa_table,
        acceptability=accept,
        tornado=torn,
        scenarios=scen,
        meta=meta,
        notes=notes,
    )


def payback_months(invests: np.ndarray, avoided: np.ndarray) -> float:
    """Months until cumulative avoided cost covers cumulative programme cost for good (NaN if never).

    Programme cost of year *t* is paid at its start, avoided cost accrues evenly over the year, so
    within a year the running balance rises linearly from S_t = Σ_{s<t} avoided − Σ_{s≤t} invests
    to B_t = S_t + avoided_t. Payback is the last moment the balance crosses zero upwards and stays
    at or above zero to the end of the horizon: in the last year with S_t < 0, at
    12 t + 12 × (−S_t) / avoided_t months. A balance that turns positive and later negative again
    does not count; NaN when the balance ends negative.

    >>> payback_months(np.array([100.0, 0, 0]), np.array([40.0, 80.0, 0]))
    21.0
    >>> payback_months(np.array([100.0, 100, 0]), np.array([150.0, 20, 0]))  # positive, then not
    nan
    """
    invests = np.asarray(invests, dtype=float)
    avoided = np.asarray(avoided, dtype=float)
    if len(invests) == 0:
        return math.nan
    cum_cost, cum_av = np.cumsum(invests), np.cumsum(avoided)
    if cum_av[-1] < cum_cost[-1]:
        return math.nan
    start = cum_av - avoided - cum_cost  # balance just after year t's programme cost is paid
    negative = np.flatnonzero(start < 0)
    if negative.size == 0:
        return 0.0
    t = int(negative[-1])
    return float(12 * t + 12 * (-start[t]) / avoided[t])


def _by_payer(s: Scenario, det: Outcome) -> pd.DataFrame:
    out = pd.DataFrame(
        {
            "payer": s.payer_ids,
            "label": [p.label for p in s.payers],
            "fiscal": [p.fiscal for p in s.payers],
            "invests": det.invests_pv[0],
            "saves": det.saves_pv[0],
        }
    )
    out["net"] = out["saves"] - out["invests"]
    return out


def _by_year(model: Model, det: Outcome, first_year: int | None) -> pd.DataFrame:
    s = model.scenario
    n = model.n_years
    inv, av = det.invests[0], det.avoided[0]  # type: ignore[index]
    rows = []
    for y, payer in enumerate(s.payer_ids):
        cum = np.cumsum(av[y] - inv[y])
        for t in range(n):
            rows.append(
                {
                    "year": t + 1,
                    "calendar_year": None if first_year is None else first_year + t,
                    "payer": payer,
                    "invests": inv[y, t],
                    "saves": av[y, t],
                    "net": av[y, t] - inv[y, t],
                    "cumulative_net": cum[t],
                }
            )
    out = pd.DataFrame(rows).sort_values(
        ["year", "payer"], key=lambda c: c.map(_payer_rank(s)) if c.name == "payer" else c
    )
    out["calendar_year"] = out["calendar_year"].astype("Int64")
    out["discount_factor"] = discount_factors(s.discount_effects.value, n)[out["year"].to_numpy() - 1]
    return out.reset_index(drop=True)


def _payer_rank(s: Scenario) -> dict[str, int]:
    return {p: i for i, p in enumerate(s.payer_ids)}


def _by_path(model: Model, det: Outcome) -> pd.DataFrame:
    s = model.scenario
    ids = [*model.paths, "other_care"]
    cost = float(det.cost_pv[0])
    case_pv = np.einsum("pyh,h->p", det.case_cost[0], det.df_effects[0, : model.horizon])  # type: ignore[index]
    out = pd.DataFrame(
        {
            "path": ids,
            "label": [s.paths[p].label for p in model.paths] + ["Care used outside the scenario's paths"],
            "expected_cases": [*det.cases[0].sum(axis=0), 0.0],  # type: ignore[index]
            "counterfactual_cost": det.path_cf_pv[0],  # type: ignore[index]
            "used_cost": det.path_used_pv[0],  # type: ignore[index]
            "avoided_cost": det.path_avoided_pv[0],  # type: ignore[index]
            "cost_per_case": [*case_pv, math.nan],
        }
    )
    out["break_even_cases"] = np.where(out["cost_per_case"] > 0, cost / out["cost_per_case"], np.nan)
    if out.loc[len(ids) - 1, ["counterfactual_cost", "used_cost"]].abs().sum() == 0:
        out = out.iloc[:-1]
    return out.reset_index(drop=True)


def _per_family(need: Need, det: Outcome) -> pd.DataFrame:
    """Per family × path (internal only): likelihood, basis, rule, source and expected cost (PV)."""
    model = need.model
    rows = need.likelihoods.drop(columns=[c for c in ("params", "weight") if c in need.likelihoods])
    df = det.df_effects[0]  # type: ignore[index]
    pv = np.stack(
        [
            np.einsum("pyh,h->p", det.case_cost[0], df[c : c + model.horizon])  # type: ignore[index]
            for c in range(model.n_cohorts)
        ]
    )  # (C, P) PV of one case for each cohort, before drop-off and adjustment
    p_ix = rows["path"].map(model.paths.index).to_numpy(int)
    rows = rows.assign(expected_cost=rows["likelihood"].to_numpy() * pv[rows["cohort"].to_numpy(int), p_ix])
    return rows.reset_index(drop=True)


# --------------------------------------------------------------------------- tables given as data
def _override_prices(s: Scenario, prices: pd.DataFrame) -> Scenario:
    """Local tariffs replace the scenario's (same relative uncertainty); new care types get a fixed price."""
    _require(prices, "prices", ["care_type", "unit", "price", "price_year", "payer", "source"])
    new = dict(s.prices)
    problems: list[dict[str, object]] = []
    for i, r in enumerate(prices.itertuples(index=False)):
        n_before = len(problems)

        def bad(col: str, val: object, msg: str, row: int = i + 2) -> None:
            problems.append({"file": "prices", "row": row, "column": col, "value": val, "message": msg})

        ct = str(r.care_type)
        old = s.prices.get(ct)
        price = pd.to_numeric(pd.Series([r.price]), errors="coerce").iloc[0]
        year = pd.to_numeric(pd.Series([r.price_year]), errors="coerce").iloc[0]
        if r.unit not in UNITS:
            bad("unit", r.unit, f"unknown unit; expected one of {', '.join(UNITS)}")
        elif old is not None and r.unit != old.unit:
            bad("unit", r.unit, f"units mismatch: the scenario prices {ct!r} per {old.unit!r}")
        if not price >= 0:
            bad("price", r.price, "must be a non-negative number")
        if r.payer not in s.payer_ids:
            bad("payer", r.payer, f"unknown payer; known: {', '.join(s.payer_ids)}")
        if year not in s.index:
            bad("price_year", r.price_year, f"no index factor for this year ({', '.join(map(str, s.index))})")
        if not isinstance(r.source, str) or not r.source.strip():
            bad("source", r.source, "every price needs a source")
        if len(problems) > n_before:
            continue
        if old is None:  # a care type no path uses (e.g. priced for care_used): fixed price
            param = Param(name=f"prices.{ct}.price", value=float(price), source=str(r.source))
        elif old.price.value:
            param = old.price.rescaled(float(price) / old.price.value, source=str(r.source))
        else:
            param = replace(old.price, value=float(price), source=str(r.source))
        new[ct] = Price(
            care_type=ct,
            label=ct if old is None else old.label,
            unit=str(r.unit),
            price=param,
            price_year=int(year),
            payers=((str(r.payer), 1.0),),
            source=str(r.source),
            index=s.index[int(year)],
        )
    _problems(problems)
    return replace(s, prices=new)


def _programme_table(table: pd.DataFrame | None, s: Scenario) -> tuple[pd.DataFrame | None, list[int]]:
    if table is None:
        return None, []
    _require(table, "programme_costs", ["year", "amount"])
    year = pd.to_numeric(table["year"], errors="coerce")
    amount = pd.to_numeric(table["amount"], errors="coerce")
    problems = [
        {"file": "programme_costs", "row": i + 2, "column": "year", "value": table["year"].iloc[i],
         "message": f"no index factor for this year in the scenario ({', '.join(map(str, s.index))})"}
        for i in np.flatnonzero((~year.isin(list(s.index))).to_numpy())
    ] + [
        {"file": "programme_costs", "row": i + 2, "column": "amount", "value": table["amount"].iloc[i],
         "message": "must be a non-negative number"}
        for i in np.flatnonzero((~(amount >= 0)).to_numpy())
    ]  # fmt: skip
    _problems(problems)
    out = pd.DataFrame({"year": year.astype(int), "amount": amount * year.map(s.index)})
    return out, sorted(out["year"].unique().tolist())


def _programme_amounts(table: pd.DataFrame, need: Need) -> np.ndarray:
    amounts = np.zeros(need.model.n_years)
    first = need.first_year if need.first_year is not None else int(table["year"].min())
    np.add.at(amounts, (table["year"] - first).to_numpy(int), table["amount"].to_numpy(float))
    return amounts
