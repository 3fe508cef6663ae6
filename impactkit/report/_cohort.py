"""Which families each published figure rests on, and the family-level values of its sums.

The report's tables come from the measures (``describe``, ``change``, ``reliable_change``...);
their populations are computed here from the same score cube with the same definitions, so that
every count the release publishes is the size of a set of families the ledger knows:

* measured at a wave on a domain (a ``describe`` row, a model row at that wave);
* observed at a wave (at least one score: the attrition flow);
* a complete pair between two waves (a ``change`` row), improved / unchanged / worse in it;
* complete on every wave (the omnibus tests), at a level, in a band of levels.

Statistics (:func:`declare_statistics`) are declared once per release, for every family:
``children``, ``volunteers``, ``score:<domain>:<wave>`` (with its square ``sq:...``), the squared
change ``d2:<domain>:<w1>:<w2>`` and the expected cost of each care path ``cost:<path>``.
"""

from __future__ import annotations

from functools import cached_property
from typing import Any

import numpy as np
import pandas as pd

from impactkit.measures._cube import Cube, cube
from impactkit.privacy import Ledger
from impactkit.privacy._disclosure import FamilyIds

__all__ = ["Cohort", "cost_stat", "d2_stat", "declare_statistics", "score_stat", "sq_stat"]


def score_stat(domain: str, wave: str) -> str:
    return f"score:{domain}:{wave}"


def sq_stat(domain: str, wave: str) -> str:
    return f"sq:{domain}:{wave}"


def d2_stat(domain: str, w1: str, w2: str) -> str:
    return f"d2:{domain}:{w1}:{w2}"


def cost_stat(path: str) -> str:
    return f"cost:{path}"


class Cohort:
    """The families of one report and the sets of families its figures rest on."""

    def __init__(self, dataset: Any, ledger: Ledger | None = None) -> None:
        self.dataset = dataset
        self.cube: Cube = cube(dataset.assessments, "report", dataset.instrument)
        ids = np.asarray(self.cube.families.astype(str))
        # with their codes in the release's ledger: the sets of families below are declared as
        # integers, never looked up as text again (100,000 families x 2,000 populations)
        self.ids: FamilyIds = ledger.family_ids_of(ids) if ledger is not None else FamilyIds(ids, None, None)
        fam = dataset.families
        self.family_ids = (
            pd.Index(fam["family_id"].astype(str)).unique() if fam is not None else pd.Index(self.ids)
        )

    @cached_property
    def everyone(self) -> pd.Index:
        """The report's families: the families table and everyone assessed."""
        return self.family_ids.union(pd.Index(self.ids))

    def _values(self, domain: str, wave: str) -> np.ndarray:
        c = self.cube
        return c.values[:, c.domains.index(domain), c.waves.index(wave)]

    def _ids(self, mask: np.ndarray) -> np.ndarray:
        return self.ids.where(mask)

    def assessed(self) -> np.ndarray:
        return self.ids

    def observed(self, wave: str) -> np.ndarray:
        """Families with at least one score at ``wave``."""
        c = self.cube
        return self._ids((~np.isnan(c.values[:, :, c.waves.index(wave)])).any(axis=1))

    def measured(self, domain: str, wave: str) -> np.ndarray:
        return self._ids(~np.isnan(self._values(domain, wave)))

    def at_level(self, domain: str, wave: str, levels: list[int]) -> np.ndarray:
        return self._ids(np.isin(self._values(domain, wave), levels))

    def pairs(self, domain: str, w1: str, w2: str) -> np.ndarray:
        x, y = self._values(domain, w1), self._values(domain, w2)
        return self._ids(~np.isnan(x) & ~np.isnan(y))

    def moved(self, domain: str, w1: str, w2: str, how: str) -> np.ndarray:
        """Pairs that ``improved``, stayed ``unchanged`` or got ``worse`` (in the domain's good
        direction), or the combinations ``not_improved`` / ``not_worse``."""
        x, y = self._values(domain, w1), self._values(domain, w2)
        ok = ~np.isnan(x) & ~np.isnan(y)
        good = 1.0 if self.cube.instrument.higher_is_better(domain) else -1.0
        d = np.where(ok, (y - x) * good, np.nan)
        masks = {
            "improved": d > 0,
            "unchanged": d == 0,
            "worse": d < 0,
            "not_improved": d <= 0,
            "not_worse": d >= 0,
        }
        return self._ids(masks[how] & ok)

    def banded(self, domain: str, w1: str, w2: str, a: list[int], b: list[int]) -> np.ndarray:
        x, y = self._values(domain, w1), self._values(domain, w2)
        return self._ids(np.isin(x, a) & np.isin(y, b))

    def complete(self, domain: str) -> np.ndarray:
        c = self.cube
        return self._ids(~np.isnan(c.values[:, c.domains.index(domain), :]).any(axis=1))

    def where(self, column: str, value: object) -> np.ndarray:
        """Families of the families table whose ``column`` equals ``value``."""
        fam = self.dataset.families
        return fam.loc[fam[column].astype("string") == str(value), "family_id"].astype(str).to_numpy()


def declare_statistics(ledger: Ledger, dataset: Any, per_family: pd.DataFrame | None) -> None:
    """Declare the family-level values of every sum the release publishes (see the module notes)."""
    fam = dataset.families
    if fam is not None:
        ids = fam["family_id"].astype(str)
        for col, name in (("n_children", "children"), ("n_volunteers", "volunteers")):
            if col in fam:
                v = pd.to_numeric(fam[col], errors="coerce")
                ledger.statistic(name, pd.Series(v.to_numpy(), index=ids), low=0)
    c = cube(dataset.assessments, "report", dataset.instrument)
    ids = pd.Index(c.families.astype(str))
    scale = dataset.instrument.scale
    lo, hi = float(scale.min), float(scale.max)
    for j, d in enumerate(c.domains):
        for w_i, w in enumerate(c.waves):
            x = c.values[:, j, w_i]
            ledger.statistic(score_stat(d, w), pd.Series(x, index=ids), low=lo, high=hi)
            sq_lo = 0.0 if lo <= 0 <= hi else min(lo * lo, hi * hi)
            ledger.statistic(
                sq_stat(d, w), pd.Series(x * x, index=ids), low=sq_lo, high=max(lo * lo, hi * hi)
            )
        for a in range(len(c.waves)):
            for b in range(a + 1, len(c.waves)):
                dd = c.values[:, j, b] - c.values[:, j, a]
                ledger.statistic(
                    d2_stat(d, c.waves[a], c.waves[b]),
                    pd.Series(dd * dd, index=ids),
                    low=0,
                    high=(hi - lo) ** 2,
                )
    if per_family is not None and len(per_family) and "expected_cost" in per_family:
        pf = per_family.assign(family_id=per_family["family_id"].astype(str))
        wide = pf.pivot_table(
            index="family_id", columns="path", values="expected_cost", aggfunc="sum", observed=True
        )
        everyone = ledger.family_ids
        paths = []
        for p in wide.columns:
            v = wide[p].reindex(everyone).fillna(0.0)
            ledger.statistic(cost_stat(str(p)), v, low=0, support=f"funder/costs/path/{p}")
            paths.append(cost_stat(str(p)))
        if paths:
            ledger.figure("cost:all", dict.fromkeys(paths, 1.0))
