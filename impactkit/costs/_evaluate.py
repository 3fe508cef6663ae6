"""``evaluate`` (a cohort in the data) and ``business_case`` (a what-if without data)."""

from __future__ import annotations

import math
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from impactkit import progress
from impactkit._canonical import instrument_of
from impactkit.costs._assumptions import assumptions_table, used_params
from impactkit.costs._engine import Model, Outcome, base_theta, run
from impactkit.costs._labels import param_labels
from impactkit.costs._money import discount_factors
from impactkit.costs._need import BASES, Need, _owner, _problems, _require, cohort_need, data_need
from impactkit.costs._params import MAX_ABS, Param
from impactkit.costs._parse import _readable
from impactkit.costs._result import CostEvaluation
from impactkit.costs._scenario import UNITS, Price, Scenario
from impactkit.costs._uncertainty import MAX_DRAWS, acceptability, named_scenarios, psa, tornado
from impactkit.errors import DesignError, ParameterError
from impactkit.i18n import Note, Percent

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


def _check_int(name: str, func: str, value: Any, low: int, high: int | None = None) -> int:
    if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < low:
        raise ParameterError(
            f"The {name!r} parameter of {func} must be an integer ≥ {low}. Got {value!r} instead."
        )
    if high is not None and value > high:
        raise ParameterError(
            f"The {name!r} parameter of {func} must be at most {high:,} (the limit). Got {value:,} instead: "
            f"{high:,} draws already give P(saving) to within 0.1 percentage point."
        )
    return int(value)


def _check_draws(func: str, draws: Any, seed: Any) -> tuple[int, int]:
    return _check_int("draws", func, draws, 0, MAX_DRAWS), _check_int("seed", func, seed, 0, 2**63 - 1)


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
    spread: bool = True,
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
        PSA draws (0 skips the PSA; at most 1,000,000).  Each draw also resamples the families
        and draws the recorded judgements (see :mod:`impactkit.costs._uncertainty`).
    seed : int
        Seed of ``np.random.default_rng``.
    spread : bool
        Split the PSA variance by source (``spread`` table; about eight times the PSA's work).

    Returns
    -------
    CostEvaluation
        ``headline`` (dict), ``by_payer`` (payer, label, fiscal, invests, saves, net),
        ``by_year`` (year, calendar_year, payer, invests, saves, net, cumulative_net,
        discount_factor), ``by_path`` (path, label, expected_cases, counterfactual_cost,
        used_cost, avoided_cost, cost_per_case, break_even_cases), ``by_basis`` (the same per
        path and basis of need), ``assumptions`` (used parameters, tornado order), ``spread``
        (variance share by source), ``per_family`` (internal only), ``psa``, ``psa_draws``,
        ``acceptability``, ``tornado``, ``scenarios``.

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
        unsplit = [
            u.split(":")[1]
            for u in (ds.selection.unsplit if ds.selection else ())
            if u.startswith("programme_costs:")
        ]
        if unsplit and programme_costs is None and ds.programme_costs is not None:
            sel = ds.selection
            chosen = [*sel.programme, *sel.municipality] if sel else []
            raise DesignError.of("costs_not_split", column=unsplit[0], selection=", ".join(chosen))
        scenario = scenario if scenario is not None else ds.scenario_path
        families = families if families is not None else ds.families
        counterfactuals = counterfactuals if counterfactuals is not None else ds.counterfactuals
        care_used = care_used if care_used is not None else ds.care_used
        programme_costs = programme_costs if programme_costs is not None else ds.programme_costs
        prices = prices if prices is not None else ds.prices
        # a domain selection narrows the analyses, not the intake profile the scenario's rules read
        whole = ds.selection.all_domains if ds.selection is not None else None
        data = whole if whole is not None else ds.assessments
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
    draws, seed = _check_draws("evaluate", draws, seed)
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
    origin = None
    if table is not None:
        need.model.programme_amounts = _programme_amounts(table, need)
        total = float(table["amount"].sum())
        span = f"{table['year'].min()}–{table['year'].max()}"
        origin = (
            total,
            f"programme_costs table: {len(table)} row(s), years {span}, indexed to {s.report_year} with [index.factors]",
            f"tabel programmakosten: {len(table)} rij(en), jaren {span}, geïndexeerd naar {s.report_year}",
        )
    if not need.model.families.sum():
        raise DesignError("No families to evaluate: the assessments and families tables are empty.")
    notes: list[str] = _basis_note(need)
    if table is not None:
        notes.append(Note("costs.programme_table"))
    else:
        notes.append(Note("costs.programme_scenario"))
    return _finish(need, s, draws=draws, seed=seed, kind="evaluate", notes=notes, instrument=inst,
                   programme_note=origin, spread=spread)  # fmt: skip


def _basis_note(need: Need) -> list[str]:
    """How many families' need rests on judgements, rules, prevalence (a family counts once, by the
    strongest basis of any of its paths) and how many had paths their programme does not declare."""
    lk = need.likelihoods
    code = lk["basis"].cat.codes.to_numpy()
    fam = lk["family_id"].cat.codes.to_numpy()
    n = len(lk["family_id"].cat.categories)
    strongest = np.full(n, len(BASES), dtype=int)
    carries = code <= 2  # recorded, rule or prevalence
    np.minimum.at(strongest, fam[carries], code[carries])
    counts = {name: int((strongest == b).sum()) for b, name in enumerate(("recorded", "rule", "prevalence"))}
    notes: list[str] = [Note("costs.basis", n=n, none=int((strongest == len(BASES)).sum()), **counts)]
    undeclared = (code == BASES.index("not declared")).reshape(n, -1).any(axis=1).sum() if n else 0
    if undeclared:
        notes.append(Note("costs.basis_undeclared", n=int(undeclared)))
    return notes


def _fte_note(coordinator_fte: float | None) -> Note:
    """The coordinator's FTE in a business-case note: given, or derived from the caseload."""
    if coordinator_fte is None:
        return Note("costs.fte_caseload")
    return Note("costs.fte", fte=f"{coordinator_fte:g}")


def business_case(
    scenario: Scenario | str | Path | None = None,
    *,
    families_per_year: float | None = None,
    coordinator_fte: float | None = None,
    years: int = 1,
    programme: str | None = None,
    start_year: int | None = None,
    data: Any = None,
    k: int = 10,
    draws: int = 10000,
    seed: int = 0,
    spread: bool = True,
) -> CostEvaluation:
    """What-if for a municipality: fund ``years`` yearly cohorts of families, with or without data.

    Each cohort of ``families_per_year`` families needs each care path that ``programme``
    declares with its prevalence; avoided care runs ``horizon`` years from the cohort's start.

    Parameters
    ----------
    scenario : Scenario, path or None
        Cost assumptions; None uses the data's scenario file, else :meth:`Scenario.default`.
    families_per_year : float
        Families supported per funded year (> 0); with ``data`` the default is the families the
        data hold per start year.
    coordinator_fte : float, optional
        Coordinator FTE funded per year; default families_per_year / caseload_per_fte.
    years : int
        Funded years (cohorts).
    programme : str, optional
        A programme of the scenario's ``[programmes]`` (id or name); None takes its ``default``
        declaration (in the shipped scenario the light paths only: social work, parenting support
        and debt assistance; no supervision orders or placements unless a programme declares them).
    data : Dataset, optional
        Assessment data (:func:`impactkit.read_dataset`): what a family would need per care path
        comes from its recorded judgements, intake rules and care used (see
        :func:`evaluate`) instead of the scenario's prevalence; the PSA resamples those families.
    k : int
        With ``data``: every number taken from the data rests on at least ``k`` families (a path
        fewer families carry takes the scenario's prevalence; sparse care-used cells are merged).
    start_year : int, optional
        The calendar year of the first funded year (default: the year after the scenario's
        report year); the budget tables run in calendar years from it.
    draws, seed : int
        PSA draws (0 skips it; at most 1,000,000) and seed.
    spread : bool
        Split the PSA variance by source (off for a live slider: the PSA alone is eight times faster).

    Returns
    -------
    CostEvaluation
        The same tables as :func:`evaluate` (``per_family`` holds one row per cohort and path).

    Notes
    -----
    No data, so nothing is missing: every likelihood is a scenario prevalence.  Every number comes
    from one definition of the model (:mod:`impactkit.costs._casemodel`), which the interactive
    page and the live workbook compute with too; ``what_if`` recomputes it at other inputs.

    Examples
    --------
    Three years of 1.6 FTE × €80,000 plus 40 families × (€300 training + €250 expenses) is
    €150,000 a year; at 2.25% that is 150,000 × (1 + 1/1.0225 + 1/1.0225²) = €440,170:

    >>> bc = business_case(families_per_year=40, coordinator_fte=1.6, years=3, draws=0)
    >>> round(bc.headline["programme_cost"])
    440170
    """
    if data is not None:
        return _data_business_case(
            data, scenario, families_per_year=families_per_year, coordinator_fte=coordinator_fte, years=years,
            start_year=start_year, k=k, draws=draws, seed=seed, spread=spread,
        )  # fmt: skip
    s = _scenario(scenario)
    if families_per_year is None:
        raise ParameterError(
            "The 'families_per_year' parameter of business_case is required without data. Got None instead: "
            "pass families_per_year=40, or data=<a Dataset> to take it from the data."
        )
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
    if families_per_year > MAX_ABS or (coordinator_fte is not None and coordinator_fte > MAX_ABS):
        raise ParameterError(
            f"The 'families_per_year' and 'coordinator_fte' parameters of business_case must be at most "
            f"{MAX_ABS:.0e}. Got {families_per_year!r} and {coordinator_fte!r} instead."
        )
    years = _check_int("years", "business_case", years, 1, 100)
    draws, seed = _check_draws("business_case", draws, seed)
    if programme is not None and s.find_programme(programme) is None:
        known = ", ".join(f"{p.id} ({p.label})" for p in s.programmes.values()) or "none"
        raise ParameterError(
            f"The 'programme' parameter of business_case must be a programme the scenario declares in "
            f"[programmes] ({known}). Got {programme!r} instead."
        )
    if start_year is not None:
        start_year = _check_int("start_year", "business_case", start_year, 1900, 2200)
    need = cohort_need(s, families_per_year=families_per_year, years=years, fte=coordinator_fte,
                       programme=programme)  # fmt: skip
    from impactkit.costs._case import CaseInfo, attach
    from impactkit.costs._casemodel import Profile

    settings = _case_settings(s, families_per_year, coordinator_fte, years, start_year)
    info = CaseInfo(s, Profile.assumed(s, programme), settings)
    attach(need.model, info)
    fte = _fte_note(coordinator_fte)
    prog = s.programme_for(programme)
    which = (
        Note("costs.which_programme", label=repr(prog.label)) if prog is not None else Note("costs.which_all")
    )
    paths = ", ".join(s.declared_paths(programme))
    notes: list[str] = [
        Note("costs.case", families=f"{families_per_year:g}", years=years, fte=fte, which=which,
             paths=paths or Note("costs.none"))
    ]  # fmt: skip
    ev = _finish(need, s, draws=draws, seed=seed, kind="business_case", notes=notes, spread=spread)
    ev.case = info
    ev.meta["start_year"] = int(settings["case.start_year"])
    found = s.find_programme(programme) if programme is not None else None
    ev.meta["programme"] = found.id if found is not None else None
    return ev


def _data_business_case(
    data: Any,
    scenario: Scenario | str | Path | None,
    *,
    families_per_year: float | None,
    coordinator_fte: float | None,
    years: int,
    start_year: int | None,
    k: int,
    draws: int,
    seed: int,
    spread: bool,
) -> CostEvaluation:
    """business_case(data=...): the need profile of the data's families, projected."""
    from impactkit.costs._case import CaseInfo, attach, data_profile
    from impactkit.io import Dataset

    if not isinstance(data, Dataset):
        raise ParameterError(
            f"The 'data' parameter of business_case must be a Dataset (impactkit.read_dataset). "
            f"Got {type(data).__name__} instead."
        )
    k = _check_int("k", "business_case", k, 1)
    s = _scenario(scenario if scenario is not None else data.scenario_path)
    if data.prices is not None:
        s = _override_prices(s, data.prices)
    inst = instrument_of(data.assessments)
    obs = data_need(data.assessments, s, inst, families=data.families, counterfactuals=data.counterfactuals,
                    care_used=data.care_used)  # fmt: skip
    n = int(obs.model.families.sum())
    if n < k:
        raise DesignError.of("business_case_few_families", n=n, k=k)
    dp = data_profile(obs, s, k=k)
    if families_per_year is None:
        families_per_year = round(n / max(dp.n_cohorts, 1), 1)
    if (
        isinstance(families_per_year, bool)
        or not isinstance(families_per_year, int | float)
        or not 0 < families_per_year <= MAX_ABS
    ):
        raise ParameterError(
            f"The 'families_per_year' parameter of business_case must be a positive number. Got {families_per_year!r} instead."
        )
    if coordinator_fte is not None and (isinstance(coordinator_fte, bool) or not isinstance(coordinator_fte, int | float)
                                        or not 0 <= coordinator_fte <= MAX_ABS):  # fmt: skip
        raise ParameterError(
            f"The 'coordinator_fte' parameter of business_case must be a non-negative number or None. Got {coordinator_fte!r} instead."
        )
    years = _check_int("years", "business_case", years, 1, 100)
    draws, seed = _check_draws("business_case", draws, seed)
    if start_year is not None:
        start_year = _check_int("start_year", "business_case", start_year, 1900, 2200)
    model = dp.model
    if coordinator_fte is not None:
        model.fte = np.full(1, float(coordinator_fte))
    settings = _case_settings(s, float(families_per_year), coordinator_fte, years, start_year)
    info = CaseInfo(s, dp.profile, settings, inst, families_basis=dp.families, data=data)
    attach(model, info)
    lk = obs.likelihoods.assign(cohort=0)
    need = Need(model=model, likelihoods=lk, first_year=obs.first_year)
    fte = _fte_note(coordinator_fte)
    notes = [
        Note("costs.case_data", n=n, families=f"{families_per_year:g}", years=years, fte=fte),
        *_basis_note(obs),
        *dp.notes,
    ]
    ev = _finish(need, s, draws=draws, seed=seed, kind="business_case", notes=notes, instrument=inst,
                 spread=spread)  # fmt: skip
    ev.case = info
    ev.meta["start_year"] = int(settings["case.start_year"])
    ev.meta["data_families"] = n
    ev.meta["k"] = k
    return ev


def _case_settings(
    s: Scenario, families: float, fte: float | None, years: int, start_year: int | None
) -> dict[str, float]:
    """The business case's own inputs (``_casemodel.STRUCTURE``)."""
    return {
        "case.families_per_year": float(families),
        "case.coordinator_fte": float(fte) if fte is not None else float(families) / s.caseload_per_fte.value,
        "case.fte_from_caseload": 1.0 if fte is None else 0.0,
        "case.years": float(years),
        "case.start_year": float(start_year if start_year is not None else s.report_year + 1),
    }


# --------------------------------------------------------------------------- assembling the result
def _finish(
    need: Need,
    s: Scenario,
    *,
    draws: int,
    seed: int,
    kind: str,
    notes: list[str],
    instrument: object = None,
    programme_note: tuple[float, str, str] | None = None,
    spread: bool = True,
) -> CostEvaluation:
    model = need.model
    det = run(model, base_theta(s), detail=True)
    if not (np.isfinite(det.gross_pv).all() and np.isfinite(det.cost_pv).all()):
        raise DesignError(
            "The cost sums overflow (not finite): a price, unit count or programme amount is far too large. "
            "Check the scenario and the prices, care_used and programme_costs tables."
        )
    case = model.case is not None  # a business case: every table from its one definition (the case graph)
    if case:
        from impactkit.costs._case import deterministic

        _, tables = deterministic(model)
        by_year, by_payer, by_path = tables["by_year"], tables["by_payer"], tables["by_path"]
    else:
        by_year = _by_year(model, det, need.first_year)
        by_payer = _by_payer(s, det)
        by_path = _by_path(model, det)
    # a business case on data projects one collapsed cohort: its basis split is not the projection's
    by_basis = None if case and model.detail is not None else _by_basis(model, det, need)
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
    if case:
        headline.update(tables["headline"])
    psa_table = psa_summary = accept = spread_table = result = None
    used = used_params(model, det)
    if draws:
        keep = model.case.draw_params() if case else None  # type: ignore[attr-defined]
        with progress.step("psa", total=draws) as step:
            result = psa(model, draws, seed, used={p.name for p in used}, spread=spread, keep=keep)
            psa_table, psa_summary, spread_table = result.table, result.summary, result.spread
            headline["p_net_benefit_positive"] = float((psa_table["net_benefit"] > 0).mean())
            headline["p_bcr_above_1"] = float((psa_table["benefit_cost_ratio"] > 1).mean())
            accept = acceptability(model, result.theta)
            step.advance(draws)
    labels = param_labels(s, instrument)
    with progress.step("tornado"):
        torn = tornado(model, used, labels)
        scen = named_scenarios(model, torn)
    assumptions = assumptions_table(model, det, torn, instrument=instrument, programme_note=programme_note)
    per_family = _per_family(need, det)
    notes += [
        Note("costs.money", year=s.report_year, effects=Percent(s.discount_effects.value, 2),
             costs=Percent(s.discount_costs.value, 2)),
        Note("costs.horizon", years=s.horizon, deadweight=Percent(s.deadweight.value),
             attribution=Percent(s.attribution.value), displacement=Percent(s.displacement.value),
             dropoff=Percent(s.dropoff.value)),
        Note("costs.present_values"),
        Note("costs.break_even"),
    ]  # fmt: skip
    if s.value_volunteer_time:
        notes.append(Note("costs.volunteer_time"))
    if s.illustrative:
        notes.append(Note("costs.illustrative", scenario=repr(s.id)))
    if draws and model.detail is not None:
        notes.append(
            Note(
                "costs.psa_sources",
                strength=f"{s.judgement_strength.value:g}",
                bootstrap=Note(f"costs.bootstrap_{s.bootstrap}"),
            )
        )
    meta = {"kind": kind, "scenario": s.id, "scenario_source": s.source, "report_year": s.report_year,
            "horizon": s.horizon, "draws": draws, "seed": seed, "illustrative": s.illustrative,
            "families": float(model.families.sum()),
            "programme_cost_origin": "scenario" if programme_note is None else "programme_costs table",
            "bootstrap": s.bootstrap if model.detail is not None else "none",
            "judgement_strength": s.judgement_strength.value}  # fmt: skip
    ev = CostEvaluation(
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
        by_basis=by_basis,
        assumptions=assumptions,
        spread=spread_table,
    )
    if case and result is not None:
        from impactkit.costs._case import keep_draws

        keep_draws(model, result)
    return ev


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
    # one case's PV per path: the variants averaged by their expected cases (all alike without [programmes])
    if det.case_cost is None or det.df_effects is None or det.cases is None:
        raise DesignError("by_path needs the detailed run (a bug: run(..., detail=True) was not used).")
    by_v = np.einsum("vpyh,h->vp", det.case_cost[0], det.df_effects[0, : model.horizon])
    n_vp = det.cases[0].sum(axis=0)  # (V, P)
    with np.errstate(invalid="ignore", divide="ignore"):
        case_pv = np.where(
            n_vp.sum(axis=0) > 0, (by_v * n_vp).sum(axis=0) / n_vp.sum(axis=0), by_v.max(axis=0)
        )
    out = pd.DataFrame(
        {
            "path": ids,
            "label": [s.paths[p].label for p in model.paths] + ["Care used outside the scenario's paths"],
            "expected_cases": [*det.cases[0].sum(axis=(0, 1)), 0.0],
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


def _by_basis(model: Model, det: Outcome, need: Need) -> pd.DataFrame:
    """Avoided cost per path and basis of need (recorded / rule / prevalence; used care also under
    the bases that count no need), present values as in ``by_path``; ``families`` counts the
    families with a likelihood above 0 on that path and basis (a business case: the cohorts' size).

    Counterfactual care = expected cases on that basis × the path's case cost (with escalations),
    drop-off and discounting applied; used care is that of families whose owning path has this
    basis.  The rows of one path add up to its ``by_path`` row.
    """
    s = model.scenario
    if det.case_cost is None or det.decay is None or det.df_effects is None or det.price is None:
        raise DesignError("by_basis needs the detailed run (a bug: run(..., detail=True) was not used).")
    n_p, n_c, n_h = len(model.paths), model.n_cohorts, model.horizon
    cases = np.zeros((len(BASES), n_c, len(model.variants), n_p))
    cases[0] = model.fixed_cases
    values = {p.name: p.value for p in s.params()}
    for c, v, p, count, names, code in model.groups:
        cases[code, c, v, p] += count * max(values[n] for n in names)
    case_total = det.case_cost[0].sum(axis=2)  # (V, P, H)
    w = np.stack([det.decay[0] * det.df_effects[0, c : c + n_h] for c in range(n_c)])
    cf = np.einsum("bcvp,vph,ch->bp", cases, case_total, w)
    used = np.zeros((len(BASES), n_p + 1))
    ub = model.used_by_basis
    if ub is not None:
        owner = _owner(s)
        cost_k = np.einsum("bchk,k,ch->bk", ub, det.price[0], w)
        for k, o in enumerate(owner):
            used[:, o if o >= 0 else n_p] += cost_k[:, k]
    cf = np.hstack([cf, np.zeros((len(BASES), 1))])
    att = float(det.attributed[0])
    ids = [*model.paths, "other_care"]
    labels = [s.paths[p].label for p in model.paths] + ["Care used outside the scenario's paths"]
    lk = need.likelihoods
    if model.detail is None:  # business case: one row per cohort, weighted by its families
        per = {(str(g_p), "prevalence"): 0.0 for g_p in model.paths}
        for _c, _v, p, count, _n, _b in model.groups:
            per[(model.paths[p], "prevalence")] += count
        counts = pd.Series(per)
    else:
        counts = lk[lk["likelihood"] > 0].groupby(["path", "basis"], observed=True).size().astype(float)
    rows = []
    for b, basis in enumerate(BASES):
        for i, pid in enumerate(ids):
            n_cases = float(cases[b, :, :, i].sum()) if i < n_p else 0.0
            if cf[b, i] == 0 and used[b, i] == 0 and n_cases == 0:
                continue
            fams = float(counts.get((pid, basis), 0.0))
            rows.append({"path": pid, "label": labels[i], "basis": basis, "families": fams,
                         "expected_cases": n_cases, "counterfactual_cost": cf[b, i], "used_cost": used[b, i],
                         "avoided_cost": (cf[b, i] - used[b, i]) * att})  # fmt: skip
    return pd.DataFrame(rows, columns=["path", "label", "basis", "families", "expected_cases",
                                       "counterfactual_cost", "used_cost", "avoided_cost"])  # fmt: skip


def _per_family(need: Need, det: Outcome) -> pd.DataFrame:
    """Per family × path (internal only): likelihood, basis, rule, source and expected cost (PV)."""
    model = need.model
    rows = need.likelihoods.drop(columns=[c for c in ("params", "weight") if c in need.likelihoods])
    if det.df_effects is None or det.case_cost is None:
        raise DesignError("per_family needs the detailed run (a bug: run(..., detail=True) was not used).")
    df = det.df_effects[0]
    pv = np.stack(
        [np.einsum("vpyh,h->vp", det.case_cost[0], df[c : c + model.horizon]) for c in range(model.n_cohorts)]
    )  # (C, V, P) PV of one case for each cohort and variant, before drop-off and adjustment
    path = rows["path"]
    if isinstance(path.dtype, pd.CategoricalDtype) and list(path.cat.categories) == model.paths:
        p_ix = path.cat.codes.to_numpy(np.int64)
    else:
        p_ix = path.map(model.paths.index).to_numpy(int)
    v_ix = rows["variant"].to_numpy(np.int64) if "variant" in rows else np.zeros(len(rows), dtype=np.int64)
    rows = rows.assign(
        expected_cost=rows["likelihood"].to_numpy() * pv[rows["cohort"].to_numpy(int), v_ix, p_ix]
    )
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
        if not 0 <= price <= MAX_ABS:
            bad("price", r.price, f"must be a non-negative number of at most {MAX_ABS:.0e}")
        if r.payer not in s.payer_ids:
            bad("payer", r.payer, f"unknown payer; known: {', '.join(s.payer_ids)}")
        if year not in s.index:
            bad("price_year", r.price_year, f"no index factor for this year ({', '.join(map(str, s.index))})")
        if not isinstance(r.source, str) or not r.source.strip():
            bad("source", r.source, "every price needs a source")
        if len(problems) > n_before:
            continue
        src, src_nl = _table_source(r)
        if old is None:  # a care type no path uses (e.g. priced for care_used): fixed price
            param = Param(name=f"prices.{ct}.price", value=float(price), source=src, source_nl=src_nl)
        elif old.price.value:
            param = replace(old.price.rescaled(float(price) / old.price.value, source=src), source_nl=src_nl)
        else:
            param = replace(old.price, value=float(price), source=src, source_nl=src_nl)
        new[ct] = Price(
            care_type=ct,
            label=_readable(ct) if old is None else old.label,
            label_nl="" if old is None else old.label_nl,
            label_en="" if old is None else old.label_en,
            unit=str(r.unit),
            price=param,
            price_year=int(year),
            payers=((str(r.payer), 1.0),),
            source=src,
            index=s.index[int(year)],
            source_nl=src_nl,
        )
    _problems(problems)
    return replace(s, prices=new)


def _table_source(row: Any) -> tuple[str, str]:
    """(English or plain source, Dutch source) of a prices-table row: ``source_en`` or ``source``,
    and ``source_nl`` (empty when the table has none)."""

    def given(name: str) -> str:
        v = getattr(row, name, None)
        return v.strip() if isinstance(v, str) and v.strip() else ""

    return given("source_en") or str(row.source), given("source_nl")


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
         "message": f"must be a non-negative number of at most {MAX_ABS:.0e}"}
        for i in np.flatnonzero((~((amount >= 0) & (amount <= MAX_ABS))).to_numpy())
    ]  # fmt: skip
    _problems(problems)
    out = pd.DataFrame({"year": year.astype(int), "amount": amount * year.map(s.index)})
    return out, sorted(out["year"].unique().tolist())


def _programme_amounts(table: pd.DataFrame, need: Need) -> np.ndarray:
    amounts = np.zeros(need.model.n_years)
    first = need.first_year if need.first_year is not None else int(table["year"].min())
    np.add.at(amounts, (table["year"] - first).to_numpy(int), table["amount"].to_numpy(float))
    return amounts
