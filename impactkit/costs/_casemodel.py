"""The business case, defined once: an expression graph from which Python, the page and the
workbook all compute.

:func:`build` turns a :class:`Scenario` and a :class:`Profile` (what one family would need, per
care path) into a :class:`CaseModel`: the inputs with their labels, units and slider ranges, and
the graph (:mod:`impactkit.costs._graph`) of every number the business case reports.  The
engine (``_engine.run``) evaluates this graph for a business case, so the deterministic result,
the tornado, the named scenarios and every PSA draw run through the one definition; the page
carries the same graph as JavaScript and the workbook as formulas.

The model (money in report-year euros; ``c`` cohort = funded year, ``h`` year since a cohort's
start, ``n = c + h`` budget year, ``y`` payer, ``k`` care type, ``p`` path, ``v`` programme
variant)::

    price[k]        = tariff[k] × index[k]
    cover[h]        = clip(duration − (h − start + 1), 0, 1)          (0 before the start)
    direct[p,y,h]   = Σ_components units × price[k] × cover[h] × split[k,y]
    case[v,p,y,h]   = direct[p,y,h] + Σ_escalations p→q allowed in v  prob × case[v,q,y,h − after]
    need[v,p]       = recorded[v,p] + Σ_groups share × max(probabilities)   (per family)
    flow[y,h]       = (Σ_{v,p} need × case − Σ_k used[h,k] × price[k] × split[k,y])
                      × (1 − dropoff)^h × [h < horizon]
    attributed      = (1 − deadweight)(1 − displacement)(1 − attribution)
    avoided[y,n]    = families × attributed × Σ_{c + h = n, c < years} flow[y,h]
    programme[n]    = [n < years] (fte × salary + Σ per-fte, per-family and per-year items)
    PV              = Σ_n flow × (1 + r)^−n   (effects at r_effects, programme cost at r_costs)

with ``fte = families ÷ caseload`` when the coordinator FTE follows the caseload.  The sizes
(``max_cohorts`` funded years, ``max_horizon`` years per cohort) are fixed when the graph is
built; the number of funded years and the horizon are inputs up to those sizes, so the page can
move them.

Under the PSA every input that varies has a draw; a :class:`CaseModel` built with ``psa=True``
moves each draw with its input (``what_if``): money, counts and durations are scaled (the same
relative uncertainty, as a local tariff replacing the scenario's), shares and probabilities are
shifted on the log-odds scale (they stay between 0 and 1).  An input left at its value keeps its
draws exactly.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from impactkit.costs._graph import Graph, Node
from impactkit.costs._labels import param_labels, words
from impactkit.costs._params import Param
from impactkit.costs._scenario import Scenario
from impactkit.costs._uncertainty import varies
from impactkit.i18n import Note, Words

__all__ = ["STRUCTURE", "CaseInput", "CaseModel", "Profile", "build", "draw_key"]

# the business case's own inputs (not scenario parameters): key -> (en, nl, unit)
STRUCTURE: dict[str, tuple[str, str, str]] = {
    "case.families_per_year": ("Families supported per year", "Gezinnen per jaar", "count"),
    "case.coordinator_fte": ("Coordinator FTE per year", "Fte coördinator per jaar", "fte"),
    "case.fte_from_caseload": (
        "Coordinator FTE follows the caseload (families ÷ families per FTE)",
        "Fte coördinator volgt de caseload (gezinnen ÷ gezinnen per fte)",
        "flag",
    ),
    "case.years": ("Funded years (cohorts)", "Aantal gefinancierde jaren (cohorten)", "integer"),
    "case.start_year": ("First budget year", "Eerste begrotingsjaar", "year"),
    "scenario.horizon": (
        "Horizon (years of avoided care counted per family)",
        "Horizon (jaren vermeden zorg per gezin)",
        "integer",
    ),
}
GROUPS = ("programme", "time", "prices", "care", "need", "adjustments", "data")
_SHARE_PREFIXES = ("adjustments.", "rules.", "programmes.")
_EPS = 1e-12  # draws of a share are kept inside (EPS, 1 - EPS) before the log-odds shift


def draw_key(key: str) -> str:
    """The graph input that holds the PSA draws of input ``key``."""
    return f"draw:{key}"


@dataclass(frozen=True)
class CaseInput:
    """One input of the business case: what it is, in words, and where its slider may go.

    ``unit`` is one of money, share, rate, count, fte, units, years, integer, year, flag, number;
    ``kind`` says how its PSA draws follow a new value (``share``: log-odds shift, ``scale``:
    multiplied, ``fixed``: not drawn); ``editable`` is False for numbers that describe the data.
    """

    key: str
    label_en: str
    label_nl: str
    group: str
    unit: str
    value: float
    low: float
    high: float
    step: float
    kind: str
    editable: bool = True
    source: str = ""
    source_nl: str = ""

    def label_in(self, lang: str) -> str:
        return self.label_nl if lang == "nl" else self.label_en


@dataclass(frozen=True)
class Profile:
    """What one family would need without the programme, per programme variant and care path.

    ``recorded[v, p]``: the mean recorded likelihood (the sum over the families, divided by
    ``n``); ``groups``: (variant, path, share of the families, probability parameters, basis)
    whose likelihood is the maximum of those parameters (intake rules or a prevalence);
    ``used[h, k]``: units of care used per family in year ``h`` since its start.  ``n`` is the
    number of families it rests on (0 for an assumed profile without data).
    """

    variants: tuple[tuple[str, ...] | None, ...]
    recorded: np.ndarray
    groups: tuple[tuple[int, int, float, tuple[str, ...], int], ...]
    used: np.ndarray
    n: int = 0

    @classmethod
    def assumed(cls, scenario: Scenario, programme: str | None = None) -> Profile:
        """The scenario's prevalence for every path ``programme`` declares (no data)."""
        from impactkit.costs._need import PREVALENCE

        prog = scenario.programme_for(programme)
        declared = set(scenario.declared_paths(programme))
        groups = []
        for p, (pid, path) in enumerate(scenario.paths.items()):
            if pid in declared:
                prev = prog.prevalence_of(path) if prog is not None else path.prevalence
                groups.append((0, p, 1.0, (prev.name,), PREVALENCE))
        variant = scenario.declared_paths(programme) if scenario.programmes else None
        return cls(
            variants=(variant,),
            recorded=np.zeros((1, len(scenario.paths))),
            groups=tuple(groups),
            used=np.zeros((scenario.horizon, len(scenario.prices))),
        )


@dataclass
class CaseModel:
    """The compiled business case: inputs, graph and named outputs (see the module docstring)."""

    scenario: Scenario
    profile: Profile
    graph: Graph
    inputs: list[CaseInput]
    outputs: dict[str, Any]
    max_cohorts: int
    max_horizon: int
    payers: list[str]
    paths: list[str]
    care_types: list[str]
    settings: dict[str, float] = field(default_factory=dict)
    psa: bool = False
    draws: list[str] = field(default_factory=list)  # keys of the inputs that carry draws (psa=True)

    @property
    def n_years(self) -> int:
        return self.max_cohorts + self.max_horizon - 1

    info: Any = None  # the CaseInfo this model was compiled from (set by _case.attach)

    def draw_params(self) -> set[str]:
        """Scenario parameters the PSA draws (their draws are kept for the page and what_if)."""
        return {p.name for p in self.scenario.params() if varies(p)}

    def values(self) -> dict[str, float]:
        """Every input at its value in this model."""
        return {i.key: i.value for i in self.inputs}

    def input(self, key: str) -> CaseInput:
        for i in self.inputs:
            if i.key == key:
                return i
        raise KeyError(key)

    def evaluate(self, values: Mapping[str, Any], names: Sequence[str] | None = None) -> dict[str, Any]:
        """The named outputs (all, or ``names``) as numpy arrays: a list output becomes an array
        with the list's shape in front of the draws' shape."""
        names = list(self.outputs) if names is None else list(names)
        flat: list[Node] = []
        shapes: list[tuple[str, Any]] = []
        for name in names:
            nodes, shape = _flatten(self.outputs[name])
            shapes.append((name, (len(flat), len(nodes), shape)))
            flat += nodes
        vals = self.graph.evaluate(values, flat)
        out: dict[str, Any] = {}
        for name, (start, size, shape) in shapes:
            part = vals[start : start + size]
            if shape is None:
                out[name] = part[0]
            else:
                d = np.broadcast_shapes(*(v.shape for v in part)) if part else ()
                out[name] = np.stack([np.broadcast_to(v, d) for v in part]).reshape(*shape, *d)
        return out


def _flatten(value: Any) -> tuple[list[Node], tuple[int, ...] | None]:
    if isinstance(value, Node):
        return [value], None
    arr = np.asarray(value, dtype=object)
    return list(arr.reshape(-1)), arr.shape


# ----------------------------------------------------------------------------- inputs
def _nice(x: float) -> float:
    """The smallest 1-2-5 number ≥ x (slider ends)."""
    if x <= 0:
        return 1.0
    mag = 10 ** math.floor(math.log10(x))
    for m in (1, 2, 2.5, 5, 10):
        if m * mag >= x * (1 - 1e-12):
            return float(m * mag)
    return float(10 * mag)


def _step(high: float) -> float:
    """A slider step of about a hundredth of the range, on a 1-2-5 grid."""
    raw = high / 200
    mag = 10 ** math.floor(math.log10(raw)) if raw > 0 else 1.0
    for m in (1, 2, 5, 10):
        if m * mag >= raw:
            return float(m * mag)
    return float(10 * mag)


def _unit_of(name: str) -> str:
    if name.startswith("discount."):
        return "rate"
    if name.startswith(_SHARE_PREFIXES) or name.endswith((".prevalence", ".probability")):
        return "share"
    if name.startswith(("prices.", "programme.costs.")) or name == "programme.volunteer_time.hour_value":
        return "money"
    if name.endswith(".years"):
        return "years"
    if name == "programme.caseload_per_fte":
        return "count"
    return "units"


def _group_of(name: str) -> str:
    if name.startswith("prices."):
        return "prices"
    if name.startswith("adjustments."):
        return "adjustments"
    if name.startswith("discount."):
        return "time"
    if name.startswith(("programme.", "case.")):
        return "programme"
    if name.endswith(".prevalence") or name.startswith(("rules.", "programmes.")):
        return "need"
    return "care"


def _range(unit: str, value: float, p: Param | None) -> tuple[float, float, float]:
    hi_param = p.high if p is not None and p.high is not None else value
    if unit == "share":
        return 0.0, 1.0, 0.01
    if unit == "rate":
        return 0.0, max(0.1, _nice(2 * value)), 0.0025
    if unit == "years":
        high = max(5.0, _nice(3 * max(value, hi_param)))
        return 0.0, high, 0.1
    if unit == "fte":
        high = max(5.0, _nice(4 * value))
        return 0.0, high, 0.1
    if unit == "count":
        high = max(200.0, _nice(4 * value))
        return 1.0, high, 1.0
    high = _nice(3 * max(value, hi_param)) if max(value, hi_param) > 0 else 1000.0
    step = _step(high)
    return 0.0, high, step if unit != "units" or high >= 2 else 0.01


def _param_input(p: Param, labels: Mapping[str, tuple[str, str]], scenario: Scenario) -> CaseInput:
    unit = _unit_of(p.name)
    low, high, step = _range(unit, p.value, p)
    en, nl = labels.get(p.name, (p.name, p.name))
    kind = ("share" if unit == "share" else "scale") if varies(p) else "fixed"
    return CaseInput(
        key=p.name, label_en=en, label_nl=nl, group=_group_of(p.name), unit=unit, value=float(p.value),
        low=min(low, p.value), high=max(high, p.value), step=step, kind=kind,
        source=p.source or scenario.uncertainty_source, source_nl=p.source_nl,
    )  # fmt: skip


# ----------------------------------------------------------------------------- building
class _Builder:
    """Builds the graph; ``eff(name)`` is the value of input ``name`` the model computes with."""

    def __init__(self, scenario: Scenario, psa: bool, params: Mapping[str, Param]) -> None:
        self.g = Graph()
        self.s = scenario
        self.psa = psa
        self.params = params
        self.used: dict[str, None] = {}  # input keys in the order the graph first uses them
        self.bases: dict[str, float] = {}
        self.kinds: dict[str, str] = {}
        self._eff: dict[str, Node] = {}

    def eff(self, key: str, base: float | None = None, kind: str | None = None) -> Node:
        if key in self._eff:
            return self._eff[key]
        g = self.g
        value = g.input(key)
        p = self.params.get(key)
        base = float(p.value) if base is None and p is not None else float(base or 0.0)
        kind = kind or (
            ("share" if _unit_of(key) == "share" else "scale") if p is not None and varies(p) else "fixed"
        )
        self.used[key] = None
        self.bases[key] = base
        self.kinds[key] = kind
        node = value
        if self.psa and kind == "data":  # numbers from the data: never set by hand, only redrawn
            node = g.input(draw_key(key))
        elif self.psa and kind != "fixed":
            draw = g.input(draw_key(key))
            if kind == "share":
                x = g.clip(draw, _EPS, 1 - _EPS)
                v = g.clip(value, _EPS, 1 - _EPS)
                b = min(max(base, _EPS), 1 - _EPS)
                shift = g.log(v / (1 - v)) - math.log(b / (1 - b))
                z = g.log(x / (1 - x)) + shift
                moved = 1 / (1 + g.exp(-z))
            elif base != 0.0:
                moved = draw * (value / base)
            else:
                moved = draw + value
            node = g.where(g.eq(value, base), draw, moved)
        self._eff[key] = node
        return node


def build(
    scenario: Scenario,
    profile: Profile,
    *,
    settings: Mapping[str, float],
    max_cohorts: int,
    max_horizon: int,
    psa: bool = False,
    instrument: Any = None,
) -> CaseModel:
    """The business-case graph of ``scenario`` and ``profile`` (see the module docstring).

    ``settings`` holds the business case's own inputs (:data:`STRUCTURE`): families per year,
    coordinator FTE, whether it follows the caseload, funded years, first budget year; the
    horizon is the scenario's.
    """
    s = scenario
    params = {p.name: p for p in s.params()}
    b = _Builder(s, psa, params)
    g = b.g
    payers = s.payer_ids
    care_types = list(s.prices)
    paths = list(s.paths)
    n_y, n_c, n_h = len(payers), max_cohorts, max_horizon
    n_n = n_c + n_h - 1
    y_ix = {p: i for i, p in enumerate(payers)}
    # the step labels of the workbook's Model sheet are catalogue notes; the names in them are words
    # in every language (the reports' words for paths, care types and payers)
    path_w = {pid: words(s, "path", pid) for pid in paths}
    care_w = {ct: words(s, "care", ct) for ct in care_types}
    payer_w = [words(s, "payer", pid) for pid in payers]
    item_w = {i.id: Words({"en": i.label_in("en"), "nl": i.label_in("nl")}) for i in s.programme_items}

    fam = b.eff("case.families_per_year", settings["case.families_per_year"], "fixed")
    years = b.eff("case.years", settings["case.years"], "fixed")
    horizon = b.eff("scenario.horizon", float(s.horizon), "fixed")
    start = b.eff("case.start_year", settings["case.start_year"], "fixed")
    ind = [g.label(g.lt(c, years), Note("case_step.cohort_funded", n=c + 1)) for c in range(n_c)]
    in_h = [g.label(g.lt(h, horizon), Note("case_step.year_in_horizon", n=h + 1)) for h in range(n_h)]

    # prices and their payer split
    price: dict[str, Node] = {}
    split = np.zeros((len(care_types), n_y))
    for k, ct in enumerate(care_types):
        pr = s.prices[ct]
        for pid, share in pr.payers:
            split[k, y_ix[pid]] = share

    def price_of(ct: str) -> Node:
        if ct not in price:
            pr = s.prices[ct]
            price[ct] = g.label(
                b.eff(pr.price.name) * pr.index,
                Note("case_step.unit_price", year=s.report_year, care=care_w[ct]),
            )
        return price[ct]

    # one case per path: direct care, then escalations (targets first)
    direct: dict[str, list[list[Node]]] = {}
    for pid, path in s.paths.items():
        rows = [[g.const(0.0)] * n_h for _ in range(n_y)]
        terms: list[list[list[Node]]] = [[[] for _ in range(n_h)] for _ in range(n_y)]
        for ci, comp in enumerate(path.components):
            k = care_types.index(comp.care_type)
            units, dur = b.eff(comp.units_per_year.name), b.eff(comp.years.name)
            amount = units * price_of(comp.care_type)
            for h in range(n_h):
                j = h - (comp.start_year - 1)
                if j < 0:
                    continue
                flow = g.label(
                    amount * g.clip(dur - j, 0.0, 1.0),
                    Note("case_step.component", path=path_w[pid], n=ci + 1, year=h + 1),
                )
                for y in np.flatnonzero(split[k]).tolist():
                    terms[y][h].append(flow * float(split[k, y]))
        for y in range(n_y):
            rows[y] = [g.sum(terms[y][h]) for h in range(n_h)]
        direct[pid] = rows
    case: list[dict[str, list[list[Node]]]] = []
    for allowed in profile.variants:
        mine: dict[str, list[list[Node]]] = {}
        for pid in s.path_order:
            rows = [list(r) for r in direct[pid]]
            for esc in s.paths[pid].escalations:
                if allowed is not None and esc.to not in allowed:
                    continue
                prob = b.eff(esc.probability.name)
                for y in range(n_y):
                    for h in range(esc.after_years, n_h):
                        rows[y][h] = rows[y][h] + prob * mine[esc.to][y][h - esc.after_years]
            for y in range(n_y):
                for h in range(n_h):
                    g.label(
                        rows[y][h], Note("case_step.one_case", path=path_w[pid], payer=payer_w[y], year=h + 1)
                    )
            mine[pid] = rows
        case.append(mine)

    # need per family
    n_v, n_p = len(profile.variants), len(paths)
    need = [[g.const(float(profile.recorded[v, p])) for p in range(n_p)] for v in range(n_v)]
    if profile.n:  # data: the recorded part is an input (the PSA redraws it)
        for v in range(n_v):
            for p in range(n_p):
                if profile.recorded[v, p] > 0:
                    need[v][p] = b.eff(f"data.recorded.{v}.{paths[p]}", float(profile.recorded[v, p]), "data")
    for gi, (v, p, share, names, _basis) in enumerate(profile.groups):
        prob = g.maximum(*(b.eff(n) for n in names))
        w = b.eff(f"data.group.{gi}", share, "data") if profile.n else g.const(share)
        need[v][p] = need[v][p] + w * prob
    for v in range(n_v):
        for p in range(n_p):
            g.label(need[v][p], Note("case_step.expected_per_family", path=path_w[paths[p]], n=v + 1))
    used_cost = [[g.const(0.0)] * n_h for _ in range(n_y)]
    owner_cost: dict[int, list[Node]] = {}  # path index (n_p: no path) -> used care per year
    owner = _owner(s)
    for h in range(min(n_h, profile.used.shape[0])):
        per_y: list[list[Node]] = [[] for _ in range(n_y)]
        for k, ct in enumerate(care_types):
            u = float(profile.used[h, k])
            if u <= 0:
                continue
            units = b.eff(f"data.used.{h}.{ct}", u, "data")
            cost = units * price_of(ct)
            for y in np.flatnonzero(split[k]).tolist():
                per_y[y].append(cost * float(split[k, y]))
            o = owner[k] if owner[k] >= 0 else n_p
            owner_cost.setdefault(o, [g.const(0.0)] * n_h)
            owner_cost[o][h] = owner_cost[o][h] + cost
        for y in range(n_y):
            used_cost[y][h] = g.sum(per_y[y])

    # adjustments and money over time
    drop = b.eff(s.dropoff.name)
    decay = [g.label(g.pow(1 - drop, float(h)), Note("case_step.effect_left", n=h + 1)) for h in range(n_h)]
    r_e, r_c = b.eff(s.discount_effects.name), b.eff(s.discount_costs.name)
    df_e = [
        g.label(g.pow(1 + r_e, -float(n)), Note("case_step.discount_effects", n=n + 1)) for n in range(n_n)
    ]
    df_c = [g.label(g.pow(1 + r_c, -float(n)), Note("case_step.discount_costs", n=n + 1)) for n in range(n_n)]
    dw, disp, attr = b.eff(s.deadweight.name), b.eff(s.displacement.name), b.eff(s.attribution.name)
    attributed = g.label((1 - dw) * (1 - disp) * (1 - attr), Note("case_step.credited_share"))
    weight = [
        g.label(
            g.sum(ind[c] * df_e[c + h] for c in range(n_c)), Note("case_step.discounted_cohorts", n=h + 1)
        )
        for h in range(n_h)
    ]
    keep = [decay[h] * in_h[h] for h in range(n_h)]

    # per family and payer: avoided care per year since the start (after drop-off, within the horizon)
    flow_pf = []
    for y in range(n_y):
        row = []
        for h in range(n_h):
            gross = g.sum(need[v][p] * case[v][paths[p]][y][h] for v in range(n_v) for p in range(n_p))
            row.append(
                g.label(
                    (gross - used_cost[y][h]) * keep[h],
                    Note("case_step.avoided_per_family", payer=payer_w[y], year=h + 1),
                )
            )
        flow_pf.append(row)
    before_pv = [g.label(fam * g.sum(flow_pf[y][h] * weight[h] for h in range(n_h)),
                         Note("case_step.avoided_before", payer=payer_w[y])) for y in range(n_y)]  # fmt: skip
    saves_pv = [
        g.label(before_pv[y] * attributed, Note("case_step.saves_pv", payer=payer_w[y])) for y in range(n_y)
    ]
    avoided = [
        [
            g.label(
                fam * g.sum(ind[n - h] * flow_pf[y][h] for h in range(n_h) if 0 <= n - h < n_c) * attributed,
                Note("case_step.saves_in_year", n=n + 1, payer=payer_w[y]),
            )
            for n in range(n_n)
        ]
        for y in range(n_y)
    ]

    # programme cost
    link = b.eff("case.fte_from_caseload", settings["case.fte_from_caseload"], "fixed")
    fte_in = b.eff("case.coordinator_fte", settings["case.coordinator_fte"], "fixed")
    if any(i.per == "fte" for i in s.programme_items):
        caseload = b.eff(s.caseload_per_fte.name)
        fte = g.label(g.where(link, fam / caseload, fte_in), Note("case_step.coordinator_fte"))
    else:
        fte = fte_in
    items = []
    for item in s.programme_items:
        amount = b.eff(item.amount.name) * item.index
        base = fte if item.per == "fte" else fam if item.per == "family" else g.lt(0.0, fam)
        items.append(g.label(amount * base, Note("case_step.item_cost", item=item_w[item.id])))
    per_year = {y_ix[s.programme_payer]: g.label(g.sum(items), Note("case_step.programme_cost_year"))}
    if s.value_volunteer_time:
        value = b.eff(s.volunteer_hours.name) * b.eff(s.volunteer_hour_value.name) * s.volunteer_index
        vy = y_ix[s.volunteer_payer]
        per_year[vy] = g.label(per_year.get(vy, g.const(0.0)) + value * fam, Note("case_step.volunteer_time"))
    invests = [
        [per_year[y] * ind[n] if (y in per_year and n < n_c) else g.const(0.0) for n in range(n_n)]
        for y in range(n_y)
    ]
    invests_pv = [g.label(g.sum(invests[y][n] * df_c[n] for n in range(n_n)), Note("case_step.invests_pv", payer=payer_w[y]))
                  for y in range(n_y)]  # fmt: skip

    # headline
    gross_pv = g.label(g.sum(saves_pv), Note("case_step.gross_avoided"))
    cost_pv = g.label(g.sum(invests_pv), Note("case_step.programme_cost_pv"))
    before = g.label(g.sum(before_pv), Note("case_step.before_adjustments"))
    net = g.label(gross_pv - cost_pv, Note("case_step.net_benefit"))
    pos = g.lt(0.0, cost_pv)
    bcr = g.label(g.where(pos, gross_pv / cost_pv, g.nan()), Note("case_step.bcr"))
    roi = g.label(g.where(pos, net / cost_pv, g.nan()), Note("case_step.roi"))
    be_share = g.label(
        g.where(g.lt(0.0, before), cost_pv / before, g.nan()), Note("case_step.break_even_share")
    )
    inv_t = [
        g.label(g.sum(invests[y][n] for y in range(n_y)), Note("case_step.invested_year", n=n + 1))
        for n in range(n_n)
    ]
    av_t = [
        g.label(g.sum(avoided[y][n] for y in range(n_y)), Note("case_step.saved_year", n=n + 1))
        for n in range(n_n)
    ]
    net_t = [g.label(av_t[n] - inv_t[n], Note("case_step.net_year", n=n + 1)) for n in range(n_n)]
    cum_t: list[Node] = []
    for n in range(n_n):
        cum_t.append(
            g.label(net_t[n] if n == 0 else cum_t[-1] + net_t[n], Note("case_step.cumulative_year", n=n + 1))
        )
    undiscounted = g.label(g.sum(av_t) - g.sum(inv_t), Note("case_step.net_undiscounted"))
    payback = _payback(g, inv_t, av_t)
    fiscal = [y for y, p in enumerate(s.payers) if p.fiscal]
    fiscal_net = g.label(g.sum(saves_pv[y] - invests_pv[y] for y in fiscal), Note("case_step.fiscal_net"))
    net_y = [[avoided[y][n] - invests[y][n] for n in range(n_n)] for y in range(n_y)]
    cum_y: list[list[Node]] = []
    for y in range(n_y):
        acc: list[Node] = []
        for n in range(n_n):
            acc.append(net_y[y][n] if n == 0 else acc[-1] + net_y[y][n])
        cum_y.append(acc)
    calendar = [g.label(start + n, Note("case_step.calendar_year", n=n + 1)) for n in range(n_n)]
    active = [
        g.label(g.lt(n, years + horizon - 1), Note("case_step.year_active", n=n + 1)) for n in range(n_n)
    ]

    # per path: expected cases, PV of counterfactual, used and avoided care, one case, break-even
    n_funded = g.sum(ind)
    cases_p, cf_p, used_p, av_p, cpc_p, be_p = [], [], [], [], [], []
    for p, pid in enumerate(paths):
        n_need = g.sum(need[v][p] for v in range(n_v))
        cases_p.append(g.label(fam * n_funded * n_need, Note("case_step.expected_cases", path=path_w[pid])))
        tot = [[g.sum(case[v][pid][y][h] for y in range(n_y)) for h in range(n_h)] for v in range(n_v)]
        cf = fam * g.sum(
            need[v][p] * g.sum(tot[v][h] * keep[h] * weight[h] for h in range(n_h)) for v in range(n_v)
        )
        cf_p.append(g.label(cf, Note("case_step.counterfactual", path=path_w[pid])))
        uc = owner_cost.get(p)
        used = fam * g.sum(uc[h] * keep[h] * weight[h] for h in range(n_h)) if uc else g.const(0.0)
        used_p.append(g.label(used, Note("case_step.care_used", path=path_w[pid])))
        av_p.append(g.label((cf - used) * attributed, Note("case_step.avoided_cost", path=path_w[pid])))
        pv_v = [g.sum(tot[v][h] * df_e[h] * in_h[h] for h in range(n_h)) for v in range(n_v)]
        if n_v == 1:
            cpc = pv_v[0]
        else:
            weighted = g.sum(need[v][p] * pv_v[v] for v in range(n_v))
            cpc = g.where(g.lt(0.0, n_need), weighted / n_need, g.maximum(*pv_v))
        cpc_p.append(g.label(cpc, Note("case_step.cost_per_case", path=path_w[pid])))
        be_p.append(
            g.label(
                g.where(g.lt(0.0, cpc), cost_pv / cpc, g.nan()),
                Note("case_step.break_even_cases", path=path_w[pid]),
            )
        )
    other = owner_cost.get(n_p)
    other_used = fam * g.sum(other[h] * keep[h] * weight[h] for h in range(n_h)) if other else g.const(0.0)
    cf_p.append(g.const(0.0))
    used_p.append(other_used)
    av_p.append((g.const(0.0) - other_used) * attributed)

    outputs: dict[str, Any] = {
        "programme_cost": cost_pv, "gross_avoided_cost": gross_pv, "net_benefit": net, "npv": net,
        "benefit_cost_ratio": bcr, "roi": roi, "net_benefit_undiscounted": undiscounted,
        "payback_months": payback, "break_even_share": be_share, "attributed_share": attributed,
        "fiscal_net_benefit": fiscal_net, "before_adjustment": before,
        "saves_pv": saves_pv, "invests_pv": invests_pv,
        "net_pv": [g.label(saves_pv[y] - invests_pv[y], Note("case_step.net_pv", payer=payer_w[y])) for y in range(n_y)],
        "avoided": avoided, "invests": invests,
        "net_by_year": net_y, "cumulative_by_year": cum_y,
        "invested_total": inv_t, "saved_total": av_t, "net_total": net_t, "cumulative_total": cum_t,
        "calendar_year": calendar, "year_active": active,
        "expected_cases": cases_p, "counterfactual_cost": cf_p, "used_cost": used_p, "avoided_cost": av_p,
        "cost_per_case": cpc_p, "break_even_cases": be_p,
        "case_cost": [[[[case[v][pid][y][h] for h in range(n_h)] for y in range(n_y)] for pid in paths]
                      for v in range(n_v)],
        "cases": [[[fam * ind[c] * need[v][p] for p in range(n_p)] for v in range(n_v)] for c in range(n_c)],
        "df_effects": df_e, "decay": decay, "fte": fte,
        "price": [price[ct] if ct in price else g.const(s.prices[ct].price.value * s.prices[ct].index)
                  for ct in care_types],
    }  # fmt: skip
    return CaseModel(
        scenario=s, profile=profile, graph=g, inputs=_inputs(b, s, instrument, n_c, n_h), outputs=outputs,
        max_cohorts=n_c, max_horizon=n_h, payers=payers, paths=paths, care_types=care_types, psa=psa,
        settings={k: float(v) for k, v in settings.items()},
        draws=[k for k in b.used if b.kinds[k] != "fixed"] if psa else [],
    )  # fmt: skip


def _payback(g: Graph, inv: list[Node], av: list[Node]) -> Node:
    """Months until the cumulative balance turns and stays non-negative (``payback_months``):
    programme cost paid at the start of a year, avoided care accruing evenly over it."""
    n = len(inv)
    start: list[Node] = []
    cum_av, cum_cost = g.const(0.0), g.const(0.0)
    for t in range(n):
        cum_cost = cum_cost + inv[t]
        start.append(cum_av - cum_cost)  # balance just after year t's programme cost is paid
        cum_av = cum_av + av[t]
    neg = [g.lt(x, 0.0) for x in start]
    after = [g.const(1.0)] * n  # 1 while no later year is negative
    for t in range(n - 2, -1, -1):
        after[t] = after[t + 1] * (1 - neg[t + 1])
    months = g.sum(
        g.where(neg[t] * after[t], 12.0 * t + 12.0 * (0.0 - start[t]) / av[t], 0.0) for t in range(n)
    )
    ends_positive = g.le(cum_cost, cum_av)
    return g.label(g.where(ends_positive, months, g.nan()), Note("case_step.payback"))


def _owner(s: Scenario) -> list[int]:
    """For each care type, the first path (scenario order) that uses it, else -1."""
    out = []
    for ct in s.prices:
        hit = [i for i, p in enumerate(s.paths.values()) if any(c.care_type == ct for c in p.components)]
        out.append(hit[0] if hit else -1)
    return out


def _inputs(b: _Builder, s: Scenario, instrument: Any, max_cohorts: int, max_horizon: int) -> list[CaseInput]:
    labels = param_labels(s, instrument)
    params = {p.name: p for p in s.params()}
    out = []
    for key in b.used:
        if key in params:
            out.append(_param_input(params[key], labels, s))
            continue
        value = b.bases[key]
        if key in STRUCTURE:
            en, nl, unit = STRUCTURE[key]
            if key == "case.years" or key == "scenario.horizon":
                top = max_cohorts if key == "case.years" else max_horizon
                low, high, step = 1.0, float(top), 1.0
            elif key == "case.start_year":
                low, high, step = float(s.report_year - 10), float(s.report_year + 15), 1.0
            elif unit == "flag":
                low, high, step = 0.0, 1.0, 1.0
            else:
                low, high, step = _range(unit, value, None)
            out.append(CaseInput(key, en, nl, "programme" if key.startswith("case.") else "time", unit, value,
                                 min(low, value), max(high, value), step, "fixed"))  # fmt: skip
        else:  # data summaries
            en, nl = _data_label(key, s)
            out.append(CaseInput(key, en, nl, "data", "number", value, 0.0, max(1.0, value), 0.001, "data",
                                 editable=False, source="the families in the data",
                                 source_nl="de gezinnen in de gegevens"))  # fmt: skip
    order = {grp: i for i, grp in enumerate(GROUPS)}
    return sorted(out, key=lambda i: order[i.group])


def _data_label(key: str, s: Scenario) -> tuple[str, str]:
    parts = key.split(".")
    if parts[1] == "recorded":
        path = s.paths[parts[3]]
        return (f"Recorded likelihood per family: {path.label_in('en')}",
                f"Vastgelegde kans per gezin: {path.label_in('nl')}")  # fmt: skip
    if parts[1] == "group":
        return (f"Share of the families in need group {int(parts[2]) + 1}",
                f"Aandeel gezinnen in behoeftegroep {int(parts[2]) + 1}")  # fmt: skip
    price = s.prices[parts[3]]
    return (f"Care used per family in year {int(parts[2]) + 1}: {price.label_in('en')}",
            f"Gebruikte zorg per gezin in jaar {int(parts[2]) + 1}: {price.label_in('nl')}")  # fmt: skip
