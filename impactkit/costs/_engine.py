"""The cost model, vectorised over parameter draws.

Every quantity carries a leading draws axis ``D``: the deterministic evaluation is ``D = 1`` at the
base values, the PSA is ``D = draws``, the tornado is ``D = 2 × parameters``.  Shapes:
payers ``Y``, care paths ``P``, care types ``K``, cohorts ``C``, years per cohort ``H`` (the horizon)
and calendar years ``N = C_span + H - 1``.

For one cohort ``c`` (families starting in year ``c``) and its year ``h`` (1..H) the avoided cost is
the SROI chain

    avoided[c, h] = (Σ_p cases[c, p] × case_cost[p, h] − used[c, h])
                    × (1 − deadweight) × (1 − displacement) × (1 − attribution) × (1 − dropoff)^(h − 1)

where ``case_cost[p]`` is one family's care on path ``p`` (units × indexed price × the share of each
year the drawn duration covers, split over payers), plus ``probability × case_cost[q]`` shifted by
``after_years`` for every escalation ``p → q``.  Expected cases are recorded likelihoods plus, per
group of families sharing the same matching rules, ``count × max(rule probabilities)`` (or the
path's prevalence).  The PSA may pass per-draw cohort totals (:class:`CohortDraws`: resampled
families, drawn judgements) instead of the observed ones.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from impactkit.costs._money import discount_factors
from impactkit.costs._scenario import Scenario

__all__ = ["CohortDraws", "FamilyDetail", "Model", "Outcome", "base_theta", "run"]


@dataclass
class FamilyDetail:
    """Family-level structure of an evaluation on data, for the cohort bootstrap and judgement draws.

    Attributes
    ----------
    cohort : ndarray (n,)
        Cohort (start-year index) of each family.
    variant : ndarray (n,)
        Index into ``Model.variants`` of each family's programme declaration.
    judged_family, judged_path, judged_value : ndarray (J,)
        Every recorded judgement with likelihood > 0 (family index, path index, mean judgement).
    group_of : ndarray (n, P)
        Index into ``Model.groups`` of each family's rule/prevalence group per path (-1: none).
    used : tuple of ndarrays (E,)
        Care used per episode: family index, year since start, care type index, units.
    """

    cohort: np.ndarray
    variant: np.ndarray
    judged_family: np.ndarray
    judged_path: np.ndarray
    judged_value: np.ndarray
    group_of: np.ndarray
    used: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray] = field(
        default_factory=lambda: (np.zeros(0, int), np.zeros(0, int), np.zeros(0, int), np.zeros(0))
    )

    @property
    def n(self) -> int:
        return len(self.cohort)


@dataclass
class CohortDraws:
    """Per-draw cohort totals replacing the observed ones (shapes with a leading draws axis D)."""

    judged: np.ndarray  # (D, C, V, P) sum of (drawn, reweighted) recorded likelihoods
    group_counts: np.ndarray  # (D, G) reweighted number of families per group
    used: np.ndarray | None  # (D, C, H, K) reweighted units of care used (None: the observed ones)


@dataclass
class Model:
    """The compiled structure of one evaluation (no parameter values).

    Attributes
    ----------
    scenario : Scenario
    n_cohorts : int
        Number of start years (cohort ``c`` starts in calendar year index ``c``).
    fixed_cases : ndarray (C, V, P)
        Sum of recorded likelihoods per cohort, programme variant and path.
    groups : list of (cohort, variant, path index, count, parameter names, basis code)
        Families whose likelihood is the maximum of these parameters (basis: rule or prevalence).
    variants : list of tuple of path ids, or None
        The paths each programme declaration allows (None: all).  An escalation to a path the
        family's programme does not declare is not counted, so the case cost depends on the variant.
    used_units : ndarray (C, H, K)
        Units of care actually used, per cohort, year since start and care type.
    families : ndarray (C,)
        Families per cohort (drives per-family and per-FTE programme cost).
    fte : ndarray (C,) or None
        Coordinator FTE per cohort year; None derives it from the caseload parameter.
    programme_amounts : ndarray (N,) or None
        Recorded programme cost per calendar year (report-year prices); replaces the scenario's
        programme items when given.
    used_by_basis : ndarray (B, C, H, K) or None
        ``used_units`` split by the basis of the path owning each care type (see ``_need.BASES``).
    detail : FamilyDetail or None
        Family-level structure (evaluations on data only; None for business cases).
    """

    scenario: Scenario
    n_cohorts: int
    fixed_cases: np.ndarray
    groups: list[tuple[int, int, int, float, tuple[str, ...], int]]
    used_units: np.ndarray
    families: np.ndarray
    variants: list[tuple[str, ...] | None] = field(default_factory=lambda: [None])
    fte: np.ndarray | None = None
    programme_amounts: np.ndarray | None = None
    used_by_basis: np.ndarray | None = None
    detail: FamilyDetail | None = None
    case: object = None  # a business case's graph (impactkit.costs._casemodel.CaseModel): run() uses it
    paths: list[str] = field(default_factory=list)
    care_types: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.paths = list(self.scenario.paths)
        self.care_types = list(self.scenario.prices)

    @property
    def group_counts(self) -> np.ndarray:
        return np.array([g[3] for g in self.groups], dtype=float)

    @property
    def n_cells(self) -> int:
        """Cohort × variant × path cells of the expected cases."""
        return self.n_cohorts * len(self.variants) * len(self.paths)

    def cell(self, c: int, v: int, p: int) -> int:
        return (c * len(self.variants) + v) * len(self.paths) + p

    @property
    def horizon(self) -> int:
        return self.scenario.horizon

    @property
    def n_years(self) -> int:
        return self.n_cohorts + self.horizon - 1


@dataclass
class Outcome:
    """Results for D parameter rows (money in report-year prices, PV = present value)."""

    gross_pv: np.ndarray  # (D,) avoided cost after all adjustments
    cost_pv: np.ndarray  # (D,) programme cost
    before_adjustment_pv: np.ndarray  # (D,) avoided cost before deadweight/attribution/displacement
    attributed: np.ndarray  # (D,) (1 - dw)(1 - disp)(1 - attr)
    saves_pv: np.ndarray  # (D, Y)
    invests_pv: np.ndarray  # (D, Y)
    avoided: np.ndarray | None = None  # (D, Y, N) undiscounted, adjusted
    invests: np.ndarray | None = None  # (D, Y, N) undiscounted
    # per path, PV with drop-off, before deadweight etc.; last column: care no path uses
    path_cf_pv: np.ndarray | None = None  # (D, P + 1) expected counterfactual care
    path_used_pv: np.ndarray | None = None  # (D, P + 1) care used
    path_avoided_pv: np.ndarray | None = None  # (D, P + 1) after all adjustments
    case_cost: np.ndarray | None = None  # (D, V, P, Y, H) one case per programme variant, undiscounted
    cases: np.ndarray | None = None  # (D, C, V, P)
    df_effects: np.ndarray | None = None  # (D, N)
    decay: np.ndarray | None = None  # (D, H)
    price: np.ndarray | None = None  # (D, K) unit price, report-year euros
    split: np.ndarray | None = None  # (K, Y) payer shares of each care type

    @property
    def net_pv(self) -> np.ndarray:
        return self.gross_pv - self.cost_pv

    @property
    def bcr(self) -> np.ndarray:
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(
                self.cost_pv > 0, self.gross_pv / np.where(self.cost_pv > 0, self.cost_pv, 1), np.nan
            )


def base_theta(scenario: Scenario) -> dict[str, np.ndarray]:
    """Every parameter at its base value, as arrays of one draw."""
    return {p.name: np.array([p.value]) for p in scenario.params()}


def _shift(x: np.ndarray, by: int) -> np.ndarray:
    """Shift the last axis right by ``by`` years (zeros in front, truncated at the end)."""
    if by == 0:
        return x
    out = np.zeros_like(x)
    if by < x.shape[-1]:
        out[..., by:] = x[..., : x.shape[-1] - by]
    return out


def coverage(years: np.ndarray, start_year: int, n_h: int) -> np.ndarray:
    """Share of each horizon year (D, H) that care of ``years`` (D,) duration from ``start_year`` covers.

    >>> coverage(np.array([1.0, 2.5]), 2, 4)
    array([[0. , 1. , 0. , 0. ],
           [0. , 1. , 1. , 0.5]])
    """
    j = np.arange(n_h)[None, :] - (start_year - 1)
    return np.where(j >= 0, np.clip(years[:, None] - j, 0.0, 1.0), 0.0)


def run(
    model: Model, theta: dict[str, np.ndarray], *, detail: bool = False, cohort: CohortDraws | None = None
) -> Outcome:
    """Evaluate the model for every row of ``theta`` (name → array of shape (D,)).

    ``cohort`` replaces the observed cohort totals draw by draw (the PSA's resampled families).
    A business case (``model.case`` set) is evaluated through its one definition, the case graph
    of :mod:`impactkit.costs._casemodel`, which the page and the workbook also compute with.
    """
    if model.case is not None:
        from impactkit.costs._case import run_case

        return run_case(model, theta, detail=detail, cohort=cohort)
    s = model.scenario
    payer_ix = {p: i for i, p in enumerate(s.payer_ids)}
    n_y, n_h, n_n, n_c = len(payer_ix), model.horizon, model.n_years, model.n_cohorts
    d = len(next(iter(theta.values())))
    one = np.ones(d)

    # unit prices in report-year euros, and each care type's payer split
    split = np.zeros((len(model.care_types), n_y))
    price = np.empty((d, len(model.care_types)))
    for k, ct in enumerate(model.care_types):
        pr = s.prices[ct]
        price[:, k] = theta[pr.price.name] * pr.index
        for pid, share in pr.payers:
            split[k, payer_ix[pid]] = share

    # one case per programme variant and path, with escalations (targets first)
    pidx = {p: i for i, p in enumerate(model.paths)}
    n_p, n_v = len(model.paths), len(model.variants)
    direct = np.zeros((d, n_p, n_y, n_h))
    for pid, path in s.paths.items():
        comps = [c for c in path.components if c.start_year - 1 < n_h]
        if not comps:
            continue
        ks = [model.care_types.index(c.care_type) for c in comps]
        flows = np.stack(
            [
                (theta[c.units_per_year.name] * price[:, k])[:, None]
                * coverage(theta[c.years.name] * one, c.start_year, n_h)
                for c, k in zip(comps, ks, strict=True)
            ],
            axis=1,
        )  # (D, components, H): units × price × the share of each year covered
        direct[:, pidx[pid]] = np.einsum("dch,cy->dyh", flows, split[ks])
    case = np.zeros((d, n_v, n_p, n_y, n_h))
    for v, allowed in enumerate(model.variants):
        for pid in s.path_order:
            stream = direct[:, pidx[pid]].copy()
            for esc in s.paths[pid].escalations:
                if allowed is None or esc.to in allowed:
                    stream += theta[esc.probability.name][:, None, None] * _shift(
                        case[:, v, pidx[esc.to]], esc.after_years
                    )
            case[:, v, pidx[pid]] = stream

    # expected cases per cohort, variant and path
    if cohort is None:
        cases = np.broadcast_to(model.fixed_cases, (d, n_c, n_v, n_p)).copy()
        counts = np.broadcast_to(model.group_counts, (d, len(model.groups)))
        used_units = model.used_units[None]  # (1, C, H, K)
    else:
        cases = cohort.judged.copy()
        counts = cohort.group_counts
        used_units = model.used_units[None] if cohort.used is None else cohort.used
    flat = cases.reshape(d, n_c * n_v * n_p)
    for g, (c, v, p, _count, names, _basis) in enumerate(model.groups):
        prob = theta[names[0]] if len(names) == 1 else np.max(np.stack([theta[n] for n in names]), axis=0)
        flat[:, model.cell(c, v, p)] += counts[:, g] * prob

    dw, disp, attr = theta[s.deadweight.name], theta[s.displacement.name], theta[s.attribution.name]
    attributed = (1 - dw) * (1 - disp) * (1 - attr)
    decay = np.power((1 - theta[s.dropoff.name])[:, None], np.arange(n_h)[None, :])  # (D, H)
    df_e = discount_factors(theta[s.discount_effects.name], n_n)  # (D, N)
    df_c = discount_factors(theta[s.discount_costs.name], n_n)

    # Present value per payer without building calendar-year arrays: cohort c's year h is calendar
    # year c + h, so weight[d, c, h] = decay × discount folds cohorts and years into one factor.
    year_of = np.arange(n_c)[:, None] + np.arange(n_h)[None, :]  # (C, H)
    weight = decay[:, None, :] * df_e[:, year_of]  # (D, C, H)
    per_path = np.einsum("dcvp,dch->dvph", cases, weight)  # (D, V, P, H)
    used_pv = np.einsum("xchk,dch->dk", used_units, weight) if used_units.shape[0] == 1 else None
    if used_pv is None:
        used_pv = np.einsum("dchk,dch->dk", used_units, weight)
    used_pv = used_pv * price  # (D, K)
    saves_before = np.einsum("dvpyh,dvph->dy", case, per_path) - used_pv @ split  # (D, Y)
    saves_pv = saves_before * attributed[:, None]

    invests = _programme(model, theta, d, payer_ix)
    invests_pv = np.einsum("dyn,dn->dy", invests, df_c)

    out = Outcome(
        gross_pv=saves_pv.sum(axis=1),
        cost_pv=invests_pv.sum(axis=1),
        before_adjustment_pv=saves_before.sum(axis=1),
        attributed=attributed * one,
        saves_pv=saves_pv,
        invests_pv=invests_pv,
    )
    if detail:
        # the same flows by calendar year (undiscounted), for the budget tables
        net_care = np.zeros((d, n_y, n_n))
        used_cost = np.einsum("chk,dk,ky->dcyh", model.used_units, price, split)  # (D, C, Y, H)
        for c in range(n_c):
            flow = np.einsum("dvp,dvpyh->dyh", cases[:, c], case) - used_cost[:, c]
            net_care[:, :, c : c + n_h] += flow * decay[:, None, :]
        out.avoided = net_care * attributed[:, None, None]
        out.invests = invests
        out.case_cost = case
        out.cases = cases
        out.df_effects = df_e
        out.decay = decay
        out.price = price
        out.split = split
        out.path_cf_pv, out.path_used_pv = _by_path(model, cases, case, price, decay, df_e)
        out.path_avoided_pv = (out.path_cf_pv - out.path_used_pv) * attributed[:, None]
    return out


def _by_path(
    model: Model,
    cases: np.ndarray,
    case: np.ndarray,
    price: np.ndarray,
    decay: np.ndarray,
    df_e: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """Present value (drop-off applied, before adjustment) of counterfactual and used care per path.

    Used care is allocated to the first path (scenario order) that uses its care type; care types no
    path uses go to an extra last column ("other care").
    """
    d, n_p, n_h = cases.shape[0], len(model.paths), model.horizon
    owner = np.zeros((len(model.care_types), n_p + 1))
    for k, ct in enumerate(model.care_types):
        hit = [
            i
            for i, pid in enumerate(model.paths)
            if any(c.care_type == ct for c in model.scenario.paths[pid].components)
        ]
        owner[k, hit[0] if hit else n_p] = 1.0
    cf = np.zeros((d, n_p + 1))
    used = np.zeros((d, n_p + 1))
    for c in range(model.n_cohorts):
        w = decay * df_e[:, c : c + n_h]  # (D, H)
        cf[:, :n_p] += np.einsum("dvp,dvpyh,dh->dp", cases[:, c], case, w)
        used += np.einsum("hk,dk,dh,kp->dp", model.used_units[c], price, w, owner)
    return cf, used


def _programme(model: Model, theta: dict[str, np.ndarray], d: int, payer_ix: dict[str, int]) -> np.ndarray:
    """Programme cost (D, Y, N), undiscounted, report-year prices; each cohort pays in its start year."""
    s = model.scenario
    out = np.zeros((d, len(payer_ix), model.n_years))
    prog = payer_ix[s.programme_payer]
    if model.programme_amounts is not None:
        out[:, prog, :] += model.programme_amounts[None, :]
    else:
        fte = (
            model.families[None, :] / theta[s.caseload_per_fte.name][:, None]
            if model.fte is None
            else np.broadcast_to(model.fte, (d, model.n_cohorts))
        )  # (D, C)
        for item in s.programme_items:
            amount = theta[item.amount.name][:, None] * item.index  # (D, 1)
            if item.per == "fte":
                cost = amount * fte
            elif item.per == "family":
                cost = amount * model.families[None, :]
            else:
                cost = amount * (model.families[None, :] > 0)
            out[:, prog, : model.n_cohorts] += cost
    if s.value_volunteer_time:
        value = theta[s.volunteer_hours.name] * theta[s.volunteer_hour_value.name] * s.volunteer_index
        out[:, payer_ix[s.volunteer_payer], : model.n_cohorts] += value[:, None] * model.families[None, :]
    return out
