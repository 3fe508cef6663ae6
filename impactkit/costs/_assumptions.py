"""The assumptions that drove one evaluation: used-only, complete, labelled, in the tornado's order.

A parameter is *used* when changing it can change this result:

* the discount rates, the four impact adjustments and the horizon: always;
* a care path's units, durations and escalation probabilities: when the path has expected cases,
  directly or through an escalation from a path that has;
* a price: when a used path needs its care type, or care of that type was used;
* a prevalence or rule probability: when at least one family's likelihood rests on it;
* the judgement strength: when at least one judgement lies strictly between 0 and 1;
* programme cost items and the caseload: only when the programme cost comes from the scenario
  (a ``programme_costs`` table replaces them: it gets one row of its own instead);
* volunteer time: only when the scenario values it.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from impactkit.costs._engine import Model, Outcome
from impactkit.costs._labels import param_labels
from impactkit.costs._params import Param
from impactkit.costs._uncertainty import SOURCE_LABELS, source_of

__all__ = ["ASSUMPTION_COLUMNS", "assumptions_table", "used_params"]

ASSUMPTION_COLUMNS = ["parameter", "label_en", "label_nl", "source_group", "value", "dist", "sd", "low",
                      "high", "source", "source_nl", "swing", "tornado_rank"]  # fmt: skip


def used_params(model: Model, det: Outcome) -> list[Param]:
    """The parameters that drive this result, in scenario order (see the module docstring)."""
    s = model.scenario
    n_v = len(model.variants)
    cases = det.cases[0].sum(axis=0) if det.cases is not None else np.zeros((n_v, len(model.paths)))
    active: set[str] = set()
    used_esc: set[str] = set()
    for v, allowed in enumerate(model.variants):  # a variant's escalations count where it allows them
        mine = {p for p, c in zip(model.paths, cases[v], strict=True) if c > 0}
        stack = list(mine)
        while stack:
            for esc in s.paths[stack.pop()].escalations:
                if allowed is not None and esc.to not in allowed:
                    continue
                used_esc.add(esc.probability.name)
                if esc.to not in mine:
                    mine.add(esc.to)
                    stack.append(esc.to)
        active |= mine
    care = {c.care_type for p in active for c in s.paths[p].components}
    used_units = model.used_units.sum(axis=(0, 1))
    care |= {ct for ct, u in zip(model.care_types, used_units, strict=True) if u > 0}
    names = {name for g in model.groups for name in g[4]}
    keep: list[Param] = [s.discount_costs, s.discount_effects]
    keep += [pr.price for ct, pr in s.prices.items() if ct in care]
    for pid, path in s.paths.items():
        if pid in active:
            for comp in path.components:
                keep += [comp.units_per_year, comp.years]
            keep += [e.probability for e in path.escalations if e.probability.name in used_esc]
        if path.prevalence.name in names:
            keep.append(path.prevalence)
    for prog in s.programmes.values():
        keep += [p for p in prog.prevalence.values() if p.name in names]
    keep += [r.probability for r in s.rules if r.probability.name in names]
    keep += [s.deadweight, s.attribution, s.displacement, s.dropoff]
    if model.programme_amounts is None:
        if model.fte is None and any(i.per == "fte" for i in s.programme_items):
            keep.append(s.caseload_per_fte)
        keep += [i.amount for i in s.programme_items]
    if s.value_volunteer_time:
        keep += [s.volunteer_hours, s.volunteer_hour_value]
    detail = model.detail
    if detail is not None and ((detail.judged_value > 0) & (detail.judged_value < 1)).any():
        keep.append(s.judgement_strength)
    return keep


def assumptions_table(
    model: Model,
    det: Outcome,
    tornado_table: pd.DataFrame,
    *,
    instrument: object = None,
    programme_note: tuple[float, str, str] | None = None,
) -> pd.DataFrame:
    """One row per used parameter, in the tornado's order (largest swing first), then the fixed ones.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`ASSUMPTION_COLUMNS`: ``label_en``/``label_nl`` name the parameter for people,
        ``source_group`` is its source of spread (``_uncertainty.SOURCES``), ``low``/``high`` the
        tornado range, ``source_nl`` the Dutch source where the scenario gives one, ``swing`` the tornado's |net_high − net_low| (NaN when not varied) and
        ``tornado_rank`` its position in the tornado (1 = largest).  ``programme_note`` =
        (total, source, Dutch source) adds the row of a ``programme_costs`` table.
    """
    s = model.scenario
    labels = param_labels(s, instrument)
    swing = dict(zip(tornado_table["parameter"], tornado_table["swing"], strict=True))
    rank = {p: i + 1 for i, p in enumerate(tornado_table["parameter"])}
    rows = []
    for p in used_params(model, det):
        rng = p.range
        en, nl = labels.get(p.name, (p.name, p.name))
        rows.append(
            {
                "parameter": p.name,
                "label_en": en,
                "label_nl": nl,
                "source_group": "judgements" if p.name.startswith("uncertainty.") else source_of(p.name),
                "value": p.value,
                "dist": p.dist,
                "sd": p.sd,
                "low": None if rng is None else rng[0],
                "high": None if rng is None else rng[1],
                "source": p.source or s.uncertainty_source,
                "source_nl": p.source_nl,
                "swing": swing.get(p.name, np.nan),
                "tornado_rank": rank.get(p.name),
            }
        )
    en, nl = labels["scenario.horizon"]
    rows.append({"parameter": "scenario.horizon", "label_en": en, "label_nl": nl, "source_group": "care",
                 "value": float(s.horizon), "dist": "fixed", "sd": None, "low": None, "high": None,
                 "source": f"scenario {s.id}", "source_nl": f"scenario {s.id}", "swing": np.nan,
                 "tornado_rank": None})  # fmt: skip
    if programme_note is not None:
        en, nl = labels["programme_costs"]
        rows.append({"parameter": "programme_costs", "label_en": en, "label_nl": nl,
                     "source_group": "programme", "value": programme_note[0], "dist": "fixed", "sd": None,
                     "low": None, "high": None, "source": programme_note[1], "source_nl": programme_note[2], "swing": np.nan,
                     "tornado_rank": None})  # fmt: skip
    out = pd.DataFrame(rows, columns=ASSUMPTION_COLUMNS)
    order = out["tornado_rank"].fillna(len(out) + 1e6)
    out = out.iloc[np.argsort(order.to_numpy(), kind="stable")].reset_index(drop=True)
    out["tornado_rank"] = out["tornado_rank"].astype("Int64")
    return out


def source_labels() -> pd.DataFrame:
    """The source groups with their labels (for legends)."""
    return pd.DataFrame(
        [{"source": k, "label_en": v["en"], "label_nl": v["nl"]} for k, v in SOURCE_LABELS.items()]
    )
