"""Disclosure control across a whole release: populations, a ledger, joint suppression, an audit.

Every figure a release publishes (a count, a sum, a mean with its n, a share) describes a
*population*: a set of families (the families of Ede; those of Ede measured in year 1 on
finances; the newcomers among the funder report's families).  A reader who holds every file of
the release can add and subtract what was published about all of them.  The unit of protection is
therefore the population, across every report, table, chart and spreadsheet of the release:

* a :class:`Ledger` collects each population a release publishes, with the family-level values of
  the statistics it publishes sums of (a mean with its n is a sum, an SD adds a sum of squares);
* :func:`protect` decides which populations may be published (primary suppression: fewer than
  ``k`` families; secondary suppression: more populations hidden until nothing hidden can be
  recovered) and returns an :class:`Audit` with, for each hidden population, the reason and the
  feasible range a reader can derive.

**The attacker audited against** knows every published count and sum exactly (rounding ignored:
the attacker is stronger than a real reader), that a cell marked ``<k`` holds 1 to k-1 families,
that one marked ``x`` holds at least k, and which combinations of memberships exist (structural
zeros).  Unknowns are the *atoms*: families grouped by the set of populations they belong to.
Checked, in order of cost:

1. a published population minus a published sub-population (every subtraction) leaving 1 to
   k-1 families;
2. a published population minus published, pairwise disjoint sub-populations of one dimension
   (the remainder of a total after the published subgroups, e.g. the funder report minus the
   municipal reports) leaving 1 to k-1 families;
3. by linear programming (HiGHS): the count of every hidden population and every atom holding
   1 to k-1 families, and the sums of every statistic on them, each bounded from below and above.
   A count is recovered when its range is narrower than one family; a sum when its range is
   narrower than one family's possible spread (``hi - lo`` of the statistic), or 20% of its value
   for an unbounded statistic such as a cost.

Populations with 0 families are published (they describe nobody).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import scipy.sparse as sp

from impactkit.errors import ParameterError
from impactkit.privacy._lp import Ranges

__all__ = ["PRIMARY", "PUBLISHED", "SECONDARY", "Audit", "Ledger", "Population", "protect"]

PUBLISHED, PRIMARY, SECONDARY = "", "primary", "secondary"
_SCOPE_COST = 1e6  # a report's own total: hidden only if nothing else can protect


@dataclass
class Population:
    """One set of families a release publishes figures on.

    Attributes
    ----------
    key : str
        Stable id (``"annual/Ede/describe/finances/year1"``); the same key is one population.
    members : ndarray of int
        Positions of its families in the ledger.
    stats : tuple of str
        Statistics whose sums it publishes besides its count.
    dim : str
        Dimension of the breakdown it is a row of (``"municipality"``, ``"household_type"``,
        ``"wave:finances"``...); disjoint rows of one dimension under a common total are the
        subgroups whose remainder is checked.
    cost : float
        What hiding it costs (secondary suppression hides the cheapest that protects).
    label : str
        What it is, in words, for the audit.
    status : str
        ``""`` (published), ``"primary"`` or ``"secondary"`` once :func:`protect` has run.
    reason : str
    """

    key: str
    members: np.ndarray
    stats: tuple[str, ...] = ()
    dim: str = ""
    cost: float = 1.0
    label: str = ""
    status: str = PUBLISHED
    reason: str = ""

    @property
    def n(self) -> int:
        return len(self.members)


class Ledger:
    """The populations of one release and the family-level values their figures sum.

    Parameters
    ----------
    family_ids : sequence of str
        Every family of the release (the funder report's cohort).

    Examples
    --------
    >>> led = Ledger([f"F{i}" for i in range(40)])
    >>> _ = led.add("all", [f"F{i}" for i in range(40)], cost=1e6)
    >>> _ = led.add("A", [f"F{i}" for i in range(36)], dim="municipality")
    >>> _ = led.add("B", [f"F{i}" for i in range(36, 40)], dim="municipality")
    >>> audit = protect(led, k=10)
    >>> [(p.key, p.status) for p in led]
    [('all', ''), ('A', 'secondary'), ('B', 'primary')]
    """

    def __init__(self, family_ids: Sequence[object]) -> None:
        ids = [str(f) for f in family_ids]
        self.family_ids = pd.Index(ids)
        if not self.family_ids.is_unique:
            raise ParameterError("The 'family_ids' parameter of Ledger must not repeat a family.")
        self._pops: dict[str, Population] = {}
        self._values: dict[str, np.ndarray] = {}
        self._bounds: dict[str, tuple[float, float]] = {}

    def __iter__(self) -> Iterator[Population]:
        return iter(self._pops.values())

    def __len__(self) -> int:
        return len(self._pops)

    def __getitem__(self, key: str) -> Population:
        return self._pops[key]

    def __contains__(self, key: object) -> bool:
        return key in self._pops

    def statistic(self, name: str, values: pd.Series, *, low: float, high: float = np.inf) -> None:
        """Declare a statistic: its value per family (index = family id) and its possible range."""
        v = pd.to_numeric(values, errors="coerce")
        v.index = v.index.astype(str)
        arr = v.reindex(self.family_ids).to_numpy(dtype=float)
        self._values[name] = arr
        self._bounds[name] = (float(low), float(high))

    def add(
        self,
        key: str,
        members: Iterable[object],
        *,
        stats: Sequence[str] = (),
        dim: str = "",
        cost: float = 1.0,
        label: str = "",
    ) -> Population:
        """Declare a population (again: the same key returns the one already declared)."""
        if key in self._pops:
            pop = self._pops[key]
            pop.stats = tuple(dict.fromkeys((*pop.stats, *stats)))
            return pop
        pos = self.family_ids.get_indexer(pd.Index([str(m) for m in members]).unique())
        if (pos < 0).any():
            raise ParameterError(f"Population {key!r} holds families that are not in the ledger.")
        for s in stats:
            if s not in self._values:
                raise ParameterError(
                    f"Population {key!r} publishes {s!r}, which is not a declared statistic."
                )
            if np.isnan(self._values[s][pos]).any():
                raise ParameterError(f"Population {key!r} publishes {s!r} for families without a value.")
        pop = Population(key, np.sort(pos), tuple(stats), dim, float(cost), label or key)
        self._pops[key] = pop
        return pop

    def status(self, key: str) -> str:
        return self._pops[key].status


# ------------------------------------------------------------------------------------ audit
@dataclass
class Audit:
    """What :func:`protect` decided and what a reader of the whole release can still derive.

    Attributes
    ----------
    k : int
    cells : DataFrame
        One row per hidden population: ``key, label, status, reason, n_low, n_high`` (the feasible
        range of its count given everything published) and ``protected``.
    sums : DataFrame
        ``key, statistic, low, high, protected``: feasible ranges of the sums it carries.
    rounds : int
        Rounds of secondary suppression.
    """

    k: int
    cells: pd.DataFrame
    sums: pd.DataFrame
    rounds: int = 0
    exposed: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.exposed


class _Model:
    """Atoms, incidence and the linear models of one ledger (statuses change, structure does not)."""

    def __init__(self, ledger: Ledger, k: int) -> None:
        self.k = k
        self.pops = list(ledger)
        self.ledger = ledger
        n_fam = len(ledger.family_ids)
        rng = np.random.default_rng(20250101)
        weights = rng.integers(1, np.iinfo(np.int64).max, size=len(self.pops), dtype=np.uint64)
        sig = np.zeros(n_fam, dtype=np.uint64)
        with np.errstate(over="ignore"):
            for w, p in zip(weights, self.pops, strict=True):
                sig[p.members] += w
        uniq, atom_of = np.unique(sig, return_inverse=True)
        self.atom_of = atom_of
        self.n_atoms = len(uniq)
        self.atom_n = np.bincount(atom_of, minlength=self.n_atoms).astype(float)
        rows, cols = [], []
        for i, p in enumerate(self.pops):
            a = np.unique(atom_of[p.members])
            rows.append(np.full(len(a), i))
            cols.append(a)
        r = np.concatenate(rows) if rows else np.zeros(0, int)
        c = np.concatenate(cols) if cols else np.zeros(0, int)
        self.inc = sp.csr_matrix((np.ones(len(r)), (r, c)), shape=(len(self.pops), self.n_atoms))
        self.size = np.array([p.n for p in self.pops], dtype=float)
        self._count: Ranges | None = None
        self._sums: dict[str, tuple[Ranges, np.ndarray]] = {}

    # --- statuses as row bounds
    def row_bounds(self, idx: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
        pops = self.pops if idx is None else [self.pops[i] for i in idx]
        lo = np.array([p.n if not p.status else (1 if p.status == PRIMARY else self.k) for p in pops], float)
        hi = np.array(
            [p.n if not p.status else (self.k - 1 if p.status == PRIMARY else np.inf) for p in pops], float
        )
        return lo, hi

    def count_model(self) -> Ranges:
        if self._count is None:
            lo, hi = self.row_bounds()
            self._count = Ranges(
                sp.csc_matrix(self.inc), lo, hi, np.zeros(self.n_atoms), np.full(self.n_atoms, np.inf)
            )
        return self._count

    def sum_model(self, stat: str) -> tuple[Ranges, np.ndarray]:
        """Variables: the atom counts, then the atom sums of ``stat`` (for atoms it is defined on)."""
        if stat not in self._sums:
            carriers = [i for i, p in enumerate(self.pops) if stat in p.stats]
            on = np.unique(self.inc[carriers].indices) if carriers else np.zeros(0, int)
            na, ns = self.n_atoms, len(on)
            lo_s, hi_s = self.ledger._bounds[stat]
            blocks = [
                [sp.csr_matrix(self.inc), sp.csr_matrix((len(self.pops), ns))],
            ]
            col_of = {a: j for j, a in enumerate(on)}
            sel = sp.csr_matrix((np.ones(ns), (np.arange(ns), on)), shape=(ns, na))  # picks the atoms' counts
            # sum rows of the carriers (published ones are equalities, hidden ones free)
            srow = self.inc[carriers][:, on] if carriers else sp.csr_matrix((0, ns))
            blocks.append([sp.csr_matrix((len(carriers), na)), sp.csr_matrix(srow)])
            # lo * n_a <= S_a <= hi * n_a
            blocks.append([-lo_s * sel, sp.identity(ns, format="csr")])
            if np.isfinite(hi_s):
                blocks.append([hi_s * sel, -sp.identity(ns, format="csr")])
            a = sp.bmat(blocks, format="csc")
            clo, chi = self.row_bounds()
            vals = self.ledger._values[stat]
            atom_sum = np.bincount(self.atom_of, weights=np.nan_to_num(vals), minlength=na)
            truth = np.array([atom_sum[self.inc[i].indices].sum() for i in carriers])
            pub = np.array([not self.pops[i].status for i in carriers], bool)
            slo = np.where(pub, truth, -np.inf)
            shi = np.where(pub, truth, np.inf)
            rlo = np.concatenate([clo, slo, np.zeros(ns), np.zeros(ns) if np.isfinite(hi_s) else []])
            rhi = np.concatenate(
                [chi, shi, np.full(ns, np.inf), np.full(ns, np.inf) if np.isfinite(hi_s) else []]
            )
            col_lo = np.concatenate([np.zeros(na), np.full(ns, -np.inf)])
            col_hi = np.full(na + ns, np.inf)
            self._sums[stat] = (Ranges(a, rlo, rhi, col_lo, col_hi), on)
            self._sums[stat][0]._col_of = col_of  # type: ignore[attr-defined]
            self._sums[stat][0]._carriers = carriers  # type: ignore[attr-defined]
            self._sums[stat][0]._atom_sum = atom_sum  # type: ignore[attr-defined]
        return self._sums[stat]

    def update(self, i: int) -> None:
        """Population ``i`` changed status: update its row in every model built so far."""
        lo, hi = self.row_bounds(np.array([i]))
        if self._count is not None:
            self._count.set_rows(np.array([i]), lo, hi)
        for model, _ in self._sums.values():
            model.set_rows(np.array([i]), lo, hi)
            carriers = model._carriers  # type: ignore[attr-defined]
            if i in carriers:
                j = len(self.pops) + carriers.index(i)
                if self.pops[i].status:
                    model.set_rows(np.array([j]), np.array([-np.inf]), np.array([np.inf]))


def _objective(atoms: np.ndarray, n: int) -> np.ndarray:
    c = np.zeros(n)
    c[atoms] = 1.0
    return c


def protect(ledger: Ledger, *, k: int = 10, max_rounds: int | None = None) -> Audit:
    """Decide the status of every population of ``ledger`` and audit the result.

    Primary suppression hides every population of 1 to ``k - 1`` families; secondary suppression
    then hides, one at a time, the cheapest published population that removes an exposure found
    by the checks in the module docstring, until none is left.

    Returns
    -------
    Audit
        The statuses are also written to the ledger's populations.
    """
    if isinstance(k, bool) or not isinstance(k, int | np.integer) or k < 3:
        raise ParameterError(
            f"The 'k' parameter of protect must be an integer of at least 3. Got {k!r} instead."
        )
    for p in ledger:
        p.status, p.reason = (PRIMARY, f"fewer than {k} families") if 0 < p.n < k else (PUBLISHED, "")
    model = _Model(ledger, int(k))
    rounds = 0
    limit = max_rounds if max_rounds is not None else len(model.pops)
    while rounds <= limit:
        exposure = _first_exposure(model)
        if exposure is None:
            break
        what, candidates = exposure
        pick = _cheapest(model, candidates)
        if pick is None:  # nothing left to hide: report it, never loop
            return _audit(model, rounds, exposed=[what])
        pop = model.pops[pick]
        pop.status, pop.reason = SECONDARY, f"protects {what}"
        model.update(pick)
        rounds += 1
    return _audit(model, rounds, exposed=[])


def _cheapest(model: _Model, candidates: Iterable[int]) -> int | None:
    cand = [i for i in dict.fromkeys(candidates) if not model.pops[i].status and model.pops[i].n > 0]
    if not cand:
        return None
    return min(cand, key=lambda i: (model.pops[i].cost, model.pops[i].n, i))


def _first_exposure(model: _Model) -> tuple[str, list[int]] | None:
    """The first exposure found (cheap exact checks first), with the populations that could fix it."""
    k, pops, inc = model.k, model.pops, model.inc
    published = np.array([not p.status and p.n > 0 for p in pops])
    weighted = inc.multiply(model.atom_n[None, :]).tocsr()
    overlap = (weighted @ inc.T).toarray() if len(pops) else np.zeros((0, 0))
    size = model.size
    # 1. P minus a published sub-population Q
    sub = (np.abs(overlap - size[None, :]) < 0.5) & published[:, None] & published[None, :]
    np.fill_diagonal(sub, False)
    diff = size[:, None] - size[None, :]
    bad = sub & (diff >= 1) & (diff < k)
    if bad.any():
        pi, pj = (int(x) for x in np.argwhere(bad)[0])
        return f"{pops[pi].label} minus {pops[pj].label}", [pj, pi]
    # 2. P minus published disjoint sub-populations of one dimension
    for i in (int(x) for x in np.flatnonzero(published)):
        by_dim: dict[str, list[int]] = {}
        for j in (int(x) for x in np.flatnonzero(sub[i])):
            if pops[j].dim:
                by_dim.setdefault(pops[j].dim, []).append(j)
        for dim, js in by_dim.items():
            if len(js) < 2:
                continue
            block = overlap[np.ix_(js, js)]
            if (block - np.diag(np.diag(block)) > 0.5).any():
                continue  # not disjoint
            rest = size[i] - size[js].sum()
            if 1 <= rest < k:
                return f"{pops[i].label} minus its published {dim} rows", sorted(js, key=lambda j: size[j])
    # 3. linear programmes on hidden populations and small atoms
    cm = model.count_model()
    targets: list[tuple[str, np.ndarray, list[str]]] = []
    for i, p in enumerate(pops):
        if p.status == PRIMARY:
            targets.append((p.label, inc[i].indices, list(p.stats)))
    small = np.flatnonzero((model.atom_n >= 1) & (model.atom_n < k))
    covered = np.asarray(inc.sum(axis=0)).ravel() > 0
    for a in small:
        if covered[a]:
            stats = sorted({s for i in inc[:, [a]].nonzero()[0] for s in pops[i].stats})
            targets.append((f"a group of {int(model.atom_n[a])} families", np.array([a]), stats))
    for label, atoms, stats in targets:
        lo, hi = cm.bounds(_objective(atoms, model.n_atoms))
        if hi - lo < 1 - 1e-9:
            return f"{label} (its count)", _touching(model, atoms)
        for s in stats:
            if _sum_exposed(model, s, atoms):
                return f"{label} (its {s})", _touching(model, atoms)
    return None


def _sum_exposed(model: _Model, stat: str, atoms: np.ndarray) -> bool:
    rm, on = model.sum_model(stat)
    col_of = rm._col_of  # type: ignore[attr-defined]
    cols = [col_of[a] for a in atoms if a in col_of]
    if not cols:
        return False
    c = np.zeros(model.n_atoms + len(on))
    c[model.n_atoms + np.array(cols)] = 1.0
    lo, hi = rm.bounds(c)
    lo_s, hi_s = model.ledger._bounds[stat]
    true = float(rm._atom_sum[atoms].sum())  # type: ignore[attr-defined]
    need = (hi_s - lo_s) if np.isfinite(hi_s) else 0.2 * abs(true)
    return bool(hi - lo < max(need, 1e-6) - 1e-9)


def _touching(model: _Model, atoms: np.ndarray) -> list[int]:
    """Published populations sharing an atom with the exposed cells (inner rows first)."""
    rows = np.unique(model.inc[:, atoms].nonzero()[0])
    return [int(i) for i in rows]


def _audit(model: _Model, rounds: int, *, exposed: list[str]) -> Audit:
    cm = model.count_model()
    cells, sums = [], []
    for i, p in enumerate(model.pops):
        if not p.status:
            continue
        atoms = model.inc[i].indices
        lo, hi = cm.bounds(_objective(atoms, model.n_atoms))
        cells.append(
            {
                "key": p.key,
                "label": p.label,
                "status": p.status,
                "reason": p.reason,
                "n_low": lo,
                "n_high": hi,
                "protected": (hi - lo >= 1 - 1e-9) or p.status == SECONDARY,
            }
        )
        for s in p.stats:
            rm, on = model.sum_model(s)
            col_of = rm._col_of  # type: ignore[attr-defined]
            c = np.zeros(model.n_atoms + len(on))
            c[model.n_atoms + np.array([col_of[a] for a in atoms])] = 1.0
            slo, shi = rm.bounds(c)
            sums.append(
                {
                    "key": p.key,
                    "statistic": s,
                    "low": slo,
                    "high": shi,
                    "protected": p.status == SECONDARY or not _sum_exposed(model, s, atoms),
                }
            )
    return Audit(
        model.k,
        pd.DataFrame(cells, columns=["key", "label", "status", "reason", "n_low", "n_high", "protected"]),
        pd.DataFrame(sums, columns=["key", "statistic", "low", "high", "protected"]),
        rounds,
        exposed,
    )
