"""Disclosure control across a whole release: populations, a ledger, joint suppression, an audit.

Every figure a release publishes (a count, a sum, a mean with its n, a share) describes a
*population*: a set of families (the families of Ede; those of Ede measured in year 1 on
finances; the newcomers among the funder report's families).  A reader who holds every file of
the release can add and subtract what was published about all of them.  The unit of protection is
therefore the population, across every report, table, chart and spreadsheet of the release:

* a :class:`Ledger` collects each population a release publishes, with the family-level values of
  the statistics it publishes sums of (a mean with its n is a sum, an SD adds a sum of squares) and
  the *figures* that are linear combinations of them (savings by payer: shares of each care path);
* :func:`protect` decides which populations may be published (primary suppression: fewer than
  ``k`` families; secondary suppression: more populations hidden until nothing hidden can be
  recovered) and returns an :class:`Audit` with, for each hidden population, the reason and the
  feasible range a reader can derive.

**The attacker audited against** knows every published count and sum exactly (rounding ignored:
the attacker is stronger than a real reader), that a cell marked ``<k`` holds 1 to k-1 families,
that one marked ``x`` holds at least k, which combinations of memberships exist (structural
zeros) and that a statistic declared with a ``support`` is zero outside it.  Unknowns are the
*atoms*: families grouped by the set of populations they belong to.  Checked, in order of cost:

1. a published population minus a published sub-population (every subtraction) leaving 1 to
   k-1 families;
2. a published population minus published, pairwise disjoint sub-populations of one dimension
   (the remainder of a total after the published subgroups, e.g. the funder report minus the
   municipal reports) leaving 1 to k-1 families;
3. by linear programming (HiGHS): the count of every hidden population under k, of every atom
   holding 1 to k-1 families, and of every intersection of a population with a *region* of the
   release (a report's families, the families outside every report of a kind) holding 1 to k-1
   families; and the sums of every figure on them, each bounded from below and above.  A count is
   recovered when its range is narrower than one family; a sum when its range is narrower than
   one family's possible spread (``high - low`` of the statistic), or 20% of its value for an
   unbounded statistic such as a cost.

The feasible region only grows as populations are hidden, so a target once found safe stays safe:
each target is solved until it is safe, never again after.  Populations with 0 families are
published (they describe nobody).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
import scipy.sparse as sp

from impactkit.errors import ParameterError
from impactkit.privacy._lp import Ranges, Span

__all__ = ["PRIMARY", "PUBLISHED", "SECONDARY", "WITHHELD", "Audit", "Ledger", "Population", "protect"]

PUBLISHED, PRIMARY, SECONDARY = "", "primary", "secondary"
# not published at all, not even a marker: a split (every category of a breakdown) no cover can
# protect (``protect(..., withhold=True)``); the report says "not published: too few families"
WITHHELD = "withheld"
WITHHELD_REASON = "not published: too few families"
SCOPE_COST = 1e6  # a report's own total: hidden only if nothing else can protect
# a release of many families: counts are first bounded on a restriction of the count model, every
# atom but SCREEN x (rows) of them (and those of the targets) held at its true value; "open" there
# is open in the full model (its feasible region holds the restricted one), solved on a model whose
# size does not grow with the families.  Only what stays closed there is solved in full.
SCREEN = 2
SCREEN_SEED = 20251202


def _screen_size(n_atoms: int, n_rows: int, n_targets: int) -> int | None:
    """Atoms the restricted count model samples (None: no restricted model, the full one is small)."""
    return SCREEN * n_rows if n_atoms > SCREEN * n_rows + n_targets else None


LOOKAHEAD = 0  # candidates tried alone per exposure before the cover LP (0: the cover LP at once; 3 was
# slower and hid more: sample 378 vs 374 hidden, 30-family cohort 687 vs 681)


@dataclass
class Population:
    """One set of families a release publishes figures on.

    Attributes
    ----------
    key : str
        Stable id (``"municipality:Ede/describe/finances/year1"``); the same key is one population.
    members : ndarray of int
        Positions of its families in the ledger.
    stats : tuple of str
        Statistics or figures whose sums it publishes besides its count.
    dim : str
        Dimension of the breakdown it is a row of (``"municipality"``, ``"household_type"``...);
        disjoint rows of one dimension under a common total are the subgroups whose remainder is
        checked.
    cost : float
        What hiding it costs (secondary suppression hides the cheapest that protects).
    label : str
        What it is, in words, for the audit.
    scope : bool
        Whether it is a report's own population (its families are a region of the release).
    base : str
        Populations with the same non-empty base differ only by missing data (families measured
        on one domain or another at a wave, both waves or every wave): their differences count
        families without a score, which the report states anyway, and are not checked as cells
        (they remain known to the reader in the linear programmes).
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
    scope: bool = False
    base: str = ""
    status: str = PUBLISHED
    reason: str = ""

    @property
    def n(self) -> int:
        return len(self.members)

    @property
    def hidden(self) -> bool:
        return bool(self.status)


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
        self.family_ids = pd.Index(text_ids(family_ids, unique=False))
        if not self.family_ids.is_unique:
            raise ParameterError("The 'family_ids' parameter of Ledger must not repeat a family.")
        # text -> code lookups: a family's code is its position in family_ids.  The positions of
        # the last few pandas Index objects looked up are kept (an Index is immutable; it is held,
        # so its id is not reused): a report asks for the same cohort's families many times
        self._lookup = pd.Index(self.family_ids.to_numpy(dtype=object), dtype=object)
        self._known: dict[int, tuple[pd.Index, np.ndarray]] = {}
        self._arrow_ids: Any = None  # the ids as a pyarrow array, made when first needed
        self._pops: dict[str, Population] = {}
        self._values: dict[str, np.ndarray] = {}
        self._bounds: dict[str, tuple[float, float]] = {}
        self._support: dict[str, str] = {}
        self._figures: dict[str, dict[str, float]] = {}
        self.frozen = False

    def __getstate__(self) -> dict[str, object]:
        state = dict(self.__dict__)
        state["_known"], state["_arrow_ids"] = {}, None
        return state

    def __iter__(self) -> Iterator[Population]:
        return iter(self._pops.values())

    def codes(self, members: Iterable[object], *, missing: bool = False) -> np.ndarray:
        """The code of each of ``members`` (its position in :attr:`family_ids`), in their order,
        repeats kept: one int per family, which the release's cohorts share
        (:class:`FamilyIds`).  A family not in the ledger is an error, or -1 with ``missing``.

        Family ids are compared as text (``str`` of each, as :func:`text_ids`)."""
        if isinstance(members, FamilyIds) and members.ledger is self and members.codes is not None:
            out = members.codes
        elif isinstance(members, pd.Index) and id(members) in self._known:
            out = self._known[id(members)][1]
        else:
            arrow = _arrow_text(members)
            if arrow is not None:  # text already: looked up in C (pyarrow), no Python objects
                import pyarrow.compute as pc

                if self._arrow_ids is None:  # the ledger's ids are text (text_ids), none missing
                    import pyarrow as pa

                    self._arrow_ids = pa.array(self.family_ids.to_numpy(dtype=object), type=pa.string())
                at = pc.index_in(arrow, value_set=self._arrow_ids)
                out = np.asarray(pc.fill_null(at, -1).to_numpy(zero_copy_only=False), dtype=np.int64)
            else:
                out = np.asarray(self._lookup.get_indexer(text_ids(members, unique=False)), dtype=np.int64)
            if isinstance(members, pd.Index):
                if len(self._known) >= KNOWN_INDEXES:
                    del self._known[next(iter(self._known))]
                self._known[id(members)] = (members, out)
        if not missing and len(out) and out.min() < 0:
            raise ParameterError("These families are not in the ledger.")
        return out

    def family_ids_of(self, ids: Iterable[object]) -> FamilyIds:
        """``ids`` as text carrying their codes (:class:`FamilyIds`); without codes when some
        family is not in the ledger (a report rendered outside a release)."""
        text = text_ids(ids, unique=False).to_numpy(dtype=object)
        code = self.codes(text, missing=True)
        return FamilyIds(text, code if not len(code) or code.min() >= 0 else None, self)

    def distinct(self, members: Iterable[object]) -> int:
        """How many different families ``members`` holds (as :func:`text_ids` counts them;
        families outside the ledger count too)."""
        if not isinstance(members, FamilyIds) or members.codes is None:
            arrow = _arrow_text(members)
            if arrow is not None:  # text already: its distinct values counted in C (pyarrow)
                import pyarrow.compute as pc

                return int(pc.count_distinct(arrow).as_py())
        c = self.codes(members, missing=True)
        known = c[c >= 0]
        n = len(_distinct(known, len(self.family_ids)))
        if len(known) < len(c):
            ids = text_ids(members, unique=False)
            n += len(ids[c < 0].unique())
        return n

    def __len__(self) -> int:
        return len(self._pops)

    def __getitem__(self, key: str) -> Population:
        return self._pops[key]

    def __contains__(self, key: object) -> bool:
        return key in self._pops

    @property
    def statistics(self) -> list[str]:
        return list(self._values)

    def has_statistic(self, name: str) -> bool:
        return name in self._values or name in self._figures

    def statistic(
        self, name: str, values: pd.Series, *, low: float, high: float = np.inf, support: str | None = None
    ) -> None:
        """Declare a statistic: its value per family (index = family id) and its possible range.

        ``support``: the key of a population outside which every value is 0 and known to be (a
        care path's cost is zero for families not at risk of it).  Declaring it again replaces it.
        """
        v = pd.to_numeric(values, errors="coerce").to_numpy(dtype=float)
        code = self.codes(values.index, missing=True)
        # per family of the ledger its first value that is not missing (as groupby().first())
        at = np.flatnonzero((code >= 0) & ~np.isnan(v))
        c = code[at]
        arr = np.full(len(self.family_ids), np.nan)
        if len(c) and np.bincount(c).max() > 1:
            c, first = np.unique(c, return_index=True)
            at = at[first]
        arr[c] = v[at]
        self._values[name] = arr
        self._bounds[name] = (float(low), float(high))
        if support is not None:
            self._support[name] = support

    def figure(self, name: str, weights: Mapping[str, float]) -> None:
        """Declare a figure: a linear combination of declared statistics (savings of one payer =
        its share of each care path's cost).  A population may then publish ``name`` as a stat."""
        for s in weights:
            if s not in self._values:
                raise ParameterError(f"Figure {name!r} combines {s!r}, which is not a declared statistic.")
        self._figures[name] = {s: float(w) for s, w in weights.items() if w != 0}

    def weights(self, name: str) -> dict[str, float]:
        """The statistics a figure combines (a statistic is a figure of itself)."""
        return self._figures.get(name, {name: 1.0})

    def add(
        self,
        key: str,
        members: Iterable[object],
        *,
        stats: Sequence[str] = (),
        dim: str = "",
        cost: float = 1.0,
        label: str = "",
        scope: bool = False,
        base: str = "",
    ) -> Population:
        """Declare a population (again: the same key returns the one declared, with the stats added)."""
        for s in stats:
            if not self.has_statistic(s):
                raise ParameterError(
                    f"Population {key!r} publishes {s!r}, which is not a declared statistic."
                )
        if key in self._pops:
            pop = self._pops[key]
            new = tuple(s for s in stats if s not in pop.stats)
            if new:
                self._check_values(key, pop.members, new)
                pop.stats = (*pop.stats, *new)
            return pop
        if self.frozen:
            raise ParameterError(
                f"Population {key!r} was declared after the release was protected: every report of a "
                "release must declare the same populations when it is rendered (a bug in impactkit)."
            )
        code = self.codes(members, missing=True)
        if len(code) and code.min() < 0:
            raise ParameterError(f"Population {key!r} holds families that are not in the ledger.")
        pos = _distinct(code, len(self.family_ids))
        self._check_values(key, pos, tuple(stats))
        pop = Population(key, pos, tuple(stats), dim, float(cost), label or key, bool(scope), str(base))
        self._pops[key] = pop
        return pop

    def _check_values(self, key: str, pos: np.ndarray, stats: tuple[str, ...]) -> None:
        for s in stats:
            for b in self.weights(s):
                if np.isnan(self._values[b][pos]).any():
                    raise ParameterError(f"Population {key!r} publishes {s!r} for families without a value.")

    def status(self, key: str) -> str:
        return self._pops[key].status


def _arrow_text(members: object) -> Any:
    """``members`` as a pyarrow string array when they are text already (a pandas string column
    or index, an object array of str) with no missing value, so that ``str`` of each is itself;
    else None (:func:`text_ids` converts them)."""
    import pyarrow as pa

    if isinstance(members, pd.Series | pd.Index):
        if isinstance(members.dtype, pd.StringDtype):
            values: Any = members.array
        elif members.dtype == object:
            values = members.to_numpy()
        else:
            return None
    elif isinstance(members, np.ndarray) and members.dtype.kind in "OU":
        values = np.asarray(members)
    else:
        return None
    if isinstance(values, np.ndarray) and pd.api.types.infer_dtype(values, skipna=False) != "string":
        return None  # not only str (bytes, numbers, missing values): str() of each differs
    try:
        arr = pa.array(values, type=pa.string())
    except (pa.ArrowInvalid, pa.ArrowTypeError):  # not all text (numbers, booleans)
        return None
    return arr if arr.null_count == 0 else None


KNOWN_INDEXES = 32  # pandas Index objects whose codes a ledger keeps


def _distinct(codes: np.ndarray, n: int) -> np.ndarray:
    """The different codes, ascending (codes of a cohort's selection are ascending already)."""
    if len(codes) < 2 or bool((codes[1:] > codes[:-1]).all()):
        return np.asarray(codes, dtype=np.int64)
    if len(codes) * 16 < n:  # few codes of many families: sort them
        return np.unique(codes)
    return np.flatnonzero(np.bincount(codes, minlength=n))


class FamilyIds(np.ndarray):
    """Family ids (text, an object array) that carry each family's code in one :class:`Ledger`.

    A report's cohort holds its families so (:meth:`Ledger.family_ids_of`) and hands out
    selections of them with :meth:`where`: the ledger then takes their membership as integers
    instead of looking up text.  Anything else NumPy derives from it (a slice, a mask, a copy)
    is plain text again, without codes, and is looked up as text."""

    codes: np.ndarray | None
    ledger: Ledger | None

    def __new__(cls, ids: np.ndarray, codes: np.ndarray | None, ledger: Ledger | None) -> FamilyIds:
        obj = np.asarray(ids, dtype=object).view(cls)
        obj.codes, obj.ledger = codes, ledger
        return obj

    def __array_finalize__(self, obj: object) -> None:
        self.codes, self.ledger = None, None

    def __reduce__(self) -> tuple[object, ...]:  # pickled as the plain text it is
        return (np.asarray, (np.asarray(self).copy(),))

    def where(self, mask: np.ndarray) -> FamilyIds:
        """The ids where ``mask`` is true, with their codes."""
        mask = np.asarray(mask, dtype=bool)
        codes = None if self.codes is None else self.codes[mask]
        return FamilyIds(np.asarray(self)[mask], codes, self.ledger)


def text_ids(members: Iterable[object], *, unique: bool = True) -> pd.Index:
    """Family ids as an index of text (``str(m)`` of each), the distinct ones when ``unique``.

    A pandas column or index or a NumPy array (Arrow-backed text at 100,000 families) is converted
    as a whole, never element by element; any other iterable one element at a time."""
    out: pd.Index | None = None
    if isinstance(members, pd.Series | pd.Index | np.ndarray | pd.api.extensions.ExtensionArray):
        col = pd.Series(members.astype(object) if isinstance(members, np.ndarray) else members, copy=False)
        if not col.isna().any():  # str() of a missing value differs by its kind: the loop below
            if col.dtype != object and not isinstance(col.dtype, pd.StringDtype):
                col = col.astype(object)  # numbers and booleans: str() of each Python value
            out = pd.Index(col.astype(str).to_numpy(dtype=object))
    if out is None:
        out = pd.Index([str(m) for m in members])
    return out.unique() if unique else out


# ------------------------------------------------------------------------------------ audit
@dataclass
class Audit:
    """What :func:`protect` decided and what a reader of the whole release can still derive.

    Attributes
    ----------
    k : int
    cells : DataFrame
        One row per hidden population: ``key, label, status, reason, n, n_low, n_high`` (the
        feasible range of its count given everything published) and ``protected``.
    sums : DataFrame
        ``key, statistic, low, high, protected``: feasible ranges of the sums it carries.
    rounds : int
        Rounds of secondary suppression.
    exposed : list of str
        What could not be protected (empty when ``ok``).
    """

    k: int
    rounds: int = 0
    exposed: list[str] = field(default_factory=list)
    solves: int = 0
    compute: Callable[[], tuple[pd.DataFrame, pd.DataFrame]] | None = field(default=None, repr=False)
    _tables: tuple[pd.DataFrame, pd.DataFrame] | None = field(default=None, repr=False)
    _index: dict[str, tuple[float, float]] | None = field(default=None, repr=False)
    _count_range: Callable[[str], tuple[float, float] | None] | None = field(default=None, repr=False)
    _ranges_of: dict[str, tuple[float, float] | None] = field(default_factory=dict, repr=False)

    def _get(self) -> tuple[pd.DataFrame, pd.DataFrame]:
        # the ranges take two LPs per hidden cell and per sum: computed when first asked for
        if self._tables is None:
            if self.compute is None:
                raise ValueError("Audit without a model")
            self._tables = self.compute()
            self.compute = None
        return self._tables

    @property
    def cells(self) -> pd.DataFrame:
        return self._get()[0]

    @property
    def sums(self) -> pd.DataFrame:
        return self._get()[1]

    @property
    def ok(self) -> bool:
        return not self.exposed

    def count_range(self, key: str) -> tuple[float, float] | None:
        """The feasible range ``(low, high)`` of a hidden population's count of families, given
        everything the release publishes (its markers included): what any reader can derive
        anyway, so a report may state it ("at least 78 of the 100 families improved").  ``None``
        for a population that is published (or not in the ledger).  Read from :attr:`cells` when
        the whole audit has been computed, else solved for this population alone (two LPs on the
        final model, cached): a report asks for a few cells, not the whole audit."""
        if self._index is None and self._tables is not None:
            cells = self.cells
            lo, hi = cells["n_low"].to_numpy(float), cells["n_high"].to_numpy(float)
            self._index = {
                str(key): (float(a), float(b)) for key, a, b in zip(cells["key"], lo, hi, strict=True)
            }
        if self._index is not None:
            return self._index.get(key)
        if key not in self._ranges_of:
            if self._count_range is None:  # an audit without its model: the whole audit then
                self._ranges_of[key] = None if self.compute is None else self._from_cells(key)
            else:
                self._ranges_of[key] = self._count_range(key)
        return self._ranges_of[key]

    def _from_cells(self, key: str) -> tuple[float, float] | None:
        self._get()
        return self.count_range(key)


def _indicator(n: int, atoms: np.ndarray) -> np.ndarray:
    """The objective counting ``atoms``'s families: 1 at each of them, 0 at the other ``n``."""
    c = np.zeros(n)
    c[atoms] = 1.0
    return c


def _atoms(n_fam: int, pops: list[Population]) -> tuple[np.ndarray, int]:
    """Families grouped by the set of populations they belong to (two independent 64-bit hashes)."""
    rng = np.random.default_rng(20250101)
    sig = np.zeros((n_fam, 2), dtype=np.uint64)
    with np.errstate(over="ignore"):
        for p in pops:
            w = rng.integers(1, np.iinfo(np.int64).max, size=2, dtype=np.uint64)
            sig[p.members] += w
    _, atom_of = np.unique(sig, axis=0, return_inverse=True)
    atom_of = np.asarray(atom_of).ravel()
    return atom_of, int(atom_of.max()) + 1 if n_fam else 0


def _incidence(atom_of: np.ndarray, n_atoms: int, pops: list[Population]) -> sp.csr_matrix:
    """Populations x atoms, 1 where a population holds an atom's families: built as CSR from its
    rows (each row's atoms ascending), never through (row, column) pairs.  A release of 100,000
    families holds ~40 million entries; the pairs and their conversion cost ~50 bytes an entry,
    this ~12 (int32 atoms, float64 ones) with the rows' atoms (int32) once beside it."""
    index = np.int32 if n_atoms < 2**31 else np.int64
    cols: list[np.ndarray] = []
    mark = np.zeros(n_atoms, dtype=bool)
    for p in pops:
        if len(p.members) * 16 < n_atoms:  # few families of many atoms: sort them
            a = np.unique(atom_of[p.members])
        else:  # the atoms marked, read back in order (no sort of 100,000 families)
            mark[atom_of[p.members]] = True
            a = np.flatnonzero(mark)
            mark[a] = False
        cols.append(a.astype(index, copy=False))
    indptr = np.zeros(len(pops) + 1, dtype=np.int64)
    np.cumsum([len(a) for a in cols], out=indptr[1:])
    indices = np.concatenate(cols) if cols else np.zeros(0, dtype=index)
    del cols
    shape = (len(pops), n_atoms)
    return sp.csr_matrix((np.ones(len(indices)), indices, indptr), shape=shape)


class _Model:
    """Atoms, incidence and the linear models of one ledger (statuses change, structure does not)."""

    def __init__(self, ledger: Ledger, k: int) -> None:
        self.k = k
        self.pops = list(ledger)
        self.ledger = ledger
        n_fam = len(ledger.family_ids)
        self.atom_of, self.n_atoms = _atoms(n_fam, self.pops)
        self.atom_n = np.bincount(self.atom_of, minlength=self.n_atoms).astype(float)
        self.inc = _incidence(self.atom_of, self.n_atoms, self.pops)
        self.inc_csc = self.inc.tocsc()
        self.size = np.array([p.n for p in self.pops], dtype=float)
        self.index = {p.key: i for i, p in enumerate(self.pops)}
        self._dedupe()
        self._count: Ranges | None = None
        self._screen: _Screen | None = None
        self._screen_atoms = np.zeros(0, dtype=int)
        self._groups = self._stat_groups()
        self._carriers: dict[int, list[tuple[int, str]]] | None = None
        self._sums: dict[int, _SumModel] = {}
        self._spans: dict[str | None, tuple[np.ndarray, Span]] = {}
        # count bounds solved on the current statuses (cleared by any change of status): the
        # audit reads them instead of solving the same pair again (optimal values: how they were
        # found does not matter); protect itself never reads them
        self._bounds_of: dict[bytes, tuple[float, float]] = {}
        self._final: Ranges | None = None  # the audit's reduced count model (final statuses)
        self.solves = 0

    # --- statistics grouped by the figures that combine them
    def _stat_groups(self) -> dict[str, int]:
        parent: dict[str, str] = {}

        def find(x: str) -> str:
            while parent.setdefault(x, x) != x:
                parent[x] = parent[parent[x]]
                x = parent[x]
            return x

        for p in self.pops:
            for f in p.stats:
                basis = list(self.ledger.weights(f))
                for b in basis:
                    find(b)
                for b in basis[1:]:
                    parent[find(b)] = find(basis[0])
        roots = sorted({find(s) for s in parent})
        gid = {r: i for i, r in enumerate(roots)}
        return {s: gid[find(s)] for s in parent}

    def atoms(self, i: int) -> np.ndarray:
        """The atoms of population ``i``."""
        return self.inc.indices[self.inc.indptr[i] : self.inc.indptr[i + 1]]

    def carriers(self, group: int) -> list[tuple[int, str]]:
        """(population, figure) pairs publishing a figure of ``group``."""
        if self._carriers is None:
            self._carriers = {}
            for i, p in enumerate(self.pops):
                for f in p.stats:
                    self._carriers.setdefault(self.group_of(f), []).append((i, f))
        return self._carriers.get(group, [])

    def group_of(self, figure: str) -> int:
        return self._groups[next(iter(self.ledger.weights(figure)))]

    # --- statuses as row bounds
    def row_bounds(self, idx: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
        pops = self.pops if idx is None else [self.pops[i] for i in idx]
        # a withheld population tells the reader nothing: its row is free
        low = {PRIMARY: 1.0, SECONDARY: float(self.k), WITHHELD: -np.inf}
        high = {PRIMARY: self.k - 1.0, SECONDARY: np.inf, WITHHELD: np.inf}
        lo = np.array([low[p.status] if p.status else p.n for p in pops], float)
        hi = np.array([high[p.status] if p.status else p.n for p in pops], float)
        return lo, hi

    def _dedupe(self) -> None:
        """One count row per distinct set of atoms (populations with the same families)."""
        seen: dict[bytes, int] = {}
        row_of = np.empty(len(self.pops), dtype=int)
        first: list[int] = []
        for i in range(len(self.pops)):
            key = self.atoms(i).tobytes()
            if key not in seen:
                seen[key] = len(first)
                first.append(i)
            row_of[i] = seen[key]
        self.row_of = row_of
        self.row_pops: list[list[int]] = [[] for _ in first]
        for i, r in enumerate(row_of):
            self.row_pops[r].append(i)
        self.row_first = np.array(first, dtype=int)

    def dedup_bounds(self, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """A row's bounds: the tightest of its populations' (published: its size exactly)."""
        lo = np.empty(len(rows))
        hi = np.empty(len(rows))
        for j, r in enumerate(rows):
            l_, h_ = self.row_bounds(np.array(self.row_pops[r]))
            lo[j], hi[j] = l_.max(), h_.min()
        return lo, hi

    def count_model(self) -> Ranges:
        if self._count is None:
            rows = np.arange(len(self.row_first))
            lo, hi = self.dedup_bounds(rows)
            self._count = Ranges(
                sp.csc_matrix(self.inc[self.row_first]),
                lo,
                hi,
                np.zeros(self.n_atoms),
                np.full(self.n_atoms, np.inf),
            )
            self._count.add_point(self.atom_n)
        return self._count

    def sum_model(self, figure: str) -> _SumModel:
        g = self.group_of(figure)
        if g not in self._sums:
            self._sums[g] = _SumModel(self, g)
        return self._sums[g]

    def set_status(self, i: int, status: str) -> None:
        """Population ``i`` changed status: update its rows in every model built so far."""
        if bool(self.pops[i].status) != bool(status):
            c = _indicator(self.n_atoms, self.atoms(i))
            for key in (None, *self.pops[i].stats):
                held = self._spans.get(key)
                # published again with a row the span holds already: the span is the same
                if held is not None and (status or not held[1].contains(c[held[0]])):
                    del self._spans[key]
        self.pops[i].status = status
        self._bounds_of.clear()
        self._final = None
        r = np.array([self.row_of[i]])
        lo, hi = self.dedup_bounds(r)
        if self._count is not None:
            self._count.set_rows(r, lo, hi)
        if self._screen is not None:
            self._screen.set_rows(r, lo, hi)
        for model in self._sums.values():
            model.update(i, r, lo, hi)

    def determined(self, atoms: np.ndarray, figure: str | None = None) -> bool:
        """Whether the published figures determine the count (``figure`` None) or the sum of
        ``figure`` on ``atoms`` exactly, shown without a solve: the atoms' indicator is a linear
        combination of those of published populations (publishing the figure).  Then the count, and
        each sum, is the same combination of theirs.  ``False`` proves nothing."""
        # a sum only involves the atoms its statistics are defined on (carried, inside the support)
        cols = np.arange(self.n_atoms) if figure is None else self.sum_model(figure).columns(figure)
        held = self._spans.get(figure)
        if held is None:
            rows = [
                i
                for i, p in enumerate(self.pops)
                if not p.status and p.n > 0 and (figure is None or figure in p.stats)
            ]
            held = self._spans[figure] = (cols, Span(self.inc[rows][:, cols]))
        span = held[1]
        c = _indicator(self.n_atoms, atoms)
        return span.contains(c[cols])

    def screen_on(self, atoms: np.ndarray) -> None:
        """Atoms the restricted count model must leave free (the targets'), besides its sample."""
        self._screen_atoms = np.unique(np.asarray(atoms, dtype=int))
        self._screen = None

    def screen(self) -> _Screen | None:
        """The restricted count model (None when the release has too few atoms for it to pay)."""
        if self._screen is None:
            size = _screen_size(self.n_atoms, len(self.row_first), len(self._screen_atoms))
            if size is not None:
                self._screen = _Screen(self, self._screen_atoms, size)
        return self._screen

    def recording(self, on: bool) -> None:
        if self._screen is not None:
            self._screen.ranges.recording = on
        if self._count is not None:
            self._count.recording = on
        for sm in self._sums.values():
            sm.set_recording(on)

    def count_bounds(self, atoms: np.ndarray) -> tuple[float, float]:
        c = _indicator(self.n_atoms, atoms)
        self.solves += 2
        out = self.count_model().bounds(c)
        self._bounds_of[np.asarray(atoms).tobytes()] = out
        return out

    def known_bounds(self, atoms: np.ndarray) -> tuple[float, float] | None:
        """The count bounds of ``atoms`` already solved on the current statuses (None: not solved)."""
        return self._bounds_of.get(np.asarray(atoms).tobytes())

    def final_count_model(self) -> Ranges:
        """The count model of the final statuses for the audit, reduced to the same region: of
        the published rows only a basis of their span, sparsest first (the others are
        combinations of it: a funder report's row is the sum of the municipal reports' rows),
        with every hidden row.  Built once (cached until a status changes)."""
        if self._final is None:
            rows = np.arange(len(self.row_first))
            lo, hi = self.dedup_bounds(rows)
            inc = sp.csr_matrix(self.inc[self.row_first])
            eq = np.flatnonzero(lo == hi)
            keep: list[int] = []
            basis = np.zeros((0, self.n_atoms))
            for r in eq[np.argsort(np.diff(inc.indptr)[eq], kind="stable")]:
                v = inc[r].toarray().ravel()
                w = v - (basis @ v) @ basis
                norm = float(np.linalg.norm(w))
                if norm > 1e-9 * float(np.linalg.norm(v)):
                    basis = np.vstack([basis, w / norm])
                    keep.append(int(r))
            use = np.concatenate([np.sort(np.array(keep, dtype=int)), np.flatnonzero(lo != hi)])
            self._final = Ranges(
                sp.csc_matrix(inc[use]),
                lo[use],
                hi[use],
                np.zeros(self.n_atoms),
                np.full(self.n_atoms, np.inf),
            )
            self._final.recording = False
        return self._final

    def final_count_bounds(self, atoms: np.ndarray) -> tuple[float, float]:
        """The count bounds of ``atoms`` on the final statuses (the audit): :meth:`count_bounds_many`
        of this one count."""
        return self.count_bounds_many([atoms])[0]

    def count_bounds_many(self, targets: Sequence[np.ndarray]) -> list[tuple[float, float]]:
        """The bounds of many counts once the statuses are final (the audit).

        Those already solved on the final statuses are read back; the others are solved on
        :meth:`final_count_model` (the full model when there are many atoms): every minimum,
        then every maximum, each count after the one most like it (warm starts stay close)."""
        known = [self.known_bounds(t) for t in targets]
        todo = [j for j, b in enumerate(known) if b is None]
        if not todo:
            return [b for b in known if b is not None]
        if self.screen() is not None:  # many atoms: the basis costs more than it saves
            self.recording(False)
            for j in todo:
                known[j] = self.count_bounds(targets[j])
            return [b for b in known if b is not None]
        model = self.final_count_model()
        sets = {j: set(targets[j].tolist()) for j in todo}
        order, left = [todo[0]], set(todo[1:])
        while left:
            last = sets[order[-1]]
            j = min(left, key=lambda t: (len(last ^ sets[t]), t))
            left.remove(j)
            order.append(j)
        out = {j: [np.nan, np.nan] for j in todo}
        for s_, sense in ((0, "min"), (1, "max")):
            for t in order:
                c = np.zeros(self.n_atoms)
                c[targets[t]] = 1.0
                self.solves += 1
                out[t][s_] = model._solve(c, sense)
        for j in todo:
            known[j] = (out[j][0], out[j][1])
            self._bounds_of[np.asarray(targets[j]).tobytes()] = known[j]  # type: ignore[assignment]
        return [b for b in known if b is not None]

    def count_open(self, atoms: np.ndarray) -> tuple[bool, float, float]:
        """Whether a count's range is at least one family wide (the minimum first: it often
        settles it alone), with the bounds solved."""
        true = float(self.atom_n[atoms].sum())
        screen = self.screen()
        if screen is not None and screen.open(atoms):
            return True, np.nan, np.nan
        c = _indicator(self.n_atoms, atoms)
        model = self.count_model()
        if model.spread(c) >= 1 - 1e-9:
            return True, np.nan, np.nan
        self.solves += 1
        lo = model._solve(c, "min")
        if true - lo >= 1 - 1e-9:
            return True, lo, np.nan
        self.solves += 1
        hi = model._solve(c, "max")
        return hi - lo >= 1 - 1e-9, lo, hi


class _Screen:
    """A restriction of the count model: every atom but ``free`` held at its true count.

    ``free``: a sample of ``size`` atoms (``SCREEN`` per count row) (seeded: the same on every run) and the
    atoms asked for.  Rows then bound the free atoms' part (the true count of the held ones
    subtracted); a row without a free atom is constant and left out.  Every point of this model
    is a point of the full one, so a count it shows to vary by one family or more varies at least
    as much there; a count it pins proves nothing.
    """

    def __init__(self, model: _Model, free: np.ndarray, size: int) -> None:
        self.model = model
        n_rows = len(model.row_first)
        rng = np.random.default_rng(SCREEN_SEED)
        sample = rng.choice(model.n_atoms, size=min(model.n_atoms, size), replace=False)
        self.free = np.union1d(sample, free).astype(int)
        self.col = np.full(model.n_atoms, -1, dtype=np.int64)
        self.col[self.free] = np.arange(len(self.free))
        inc = sp.csr_matrix(model.inc[model.row_first])
        held = np.ones(model.n_atoms, bool)
        held[self.free] = False
        self.const = inc @ np.where(held, model.atom_n, 0.0)
        sub = sp.csc_matrix(inc[:, self.free])
        touched = np.diff(sp.csr_matrix(sub).indptr) > 0
        self.rows = np.flatnonzero(touched)
        self.row_pos = np.full(n_rows, -1, dtype=np.int64)
        self.row_pos[self.rows] = np.arange(len(self.rows))
        lo, hi = model.dedup_bounds(self.rows)
        c0 = self.const[self.rows]
        self.ranges = Ranges(
            sp.csc_matrix(sub[self.rows]),
            lo - c0,
            hi - c0,
            np.zeros(len(self.free)),
            np.full(len(self.free), np.inf),
        )
        self.ranges.add_point(model.atom_n[self.free])

    def set_rows(self, r: np.ndarray, lo: np.ndarray, hi: np.ndarray) -> None:
        pos = self.row_pos[r]
        keep = pos >= 0
        if keep.any():
            c0 = self.const[r[keep]]
            self.ranges.set_rows(pos[keep], lo[keep] - c0, hi[keep] - c0)

    def _objective(self, atoms: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        js = self.col[atoms]
        js = js[js >= 0]
        c = np.zeros(len(self.free))
        c[js] = 1.0
        return c, js

    def varies(self, atoms: np.ndarray, tol: float) -> bool:
        """Whether the count of ``atoms`` is shown to take two values more than ``tol`` apart."""
        c, js = self._objective(atoms)
        if len(js) == 0:
            return False
        if self.ranges.spread(c) > tol:
            return True
        self.model.solves += 2
        lo, hi = self.ranges.bounds(c)
        return hi - lo > tol

    def open(self, atoms: np.ndarray) -> bool:
        """Whether the count of ``atoms`` is shown to vary by one family or more."""
        c, js = self._objective(atoms)
        if len(js) == 0:
            return False
        r = self.ranges
        if r.spread(c) >= 1 - 1e-9:
            return True
        self.model.solves += 1
        true_here = float(self.model.atom_n[self.free[js]].sum())
        lo = r._solve(c, "min")
        if true_here - lo >= 1 - 1e-9:
            return True
        self.model.solves += 1
        hi = r._solve(c, "max")
        return hi - lo >= 1 - 1e-9


class _SumModel:
    """Counts and the atom sums of a group of linked statistics.

    Variables: the atom counts, then for each statistic of the group the atom sums on the atoms it
    is defined on.  Rows: every population's count, every carried figure (an equality when
    published, free when hidden), and ``low * n_a <= S_a <= high * n_a``.
    """

    def __init__(self, model: _Model, group: int) -> None:
        led = model.ledger
        self.model = model
        self.stats = sorted(s for s, g in model._groups.items() if g == group)
        na = model.n_atoms
        # carriers: (population, figure) pairs of this group
        self.carriers: list[tuple[int, str]] = model.carriers(group)
        # var[s][a]: the variable of statistic s's sum on atom a (-1: none, the sum is 0)
        self.var: dict[str, np.ndarray] = {}
        cols_of: dict[str, np.ndarray] = {}
        nxt = na
        for s in self.stats:
            carrying = [i for i, f in self.carriers if s in led.weights(f)]
            on = (
                np.unique(np.concatenate([model.atoms(i) for i in carrying]))
                if carrying
                else np.zeros(0, int)
            )
            sup = led._support.get(s)
            if sup is not None and sup in model.index:
                on = np.intersect1d(on, model.atoms(model.index[sup]))
            cols_of[s] = on
            v = np.full(na, -1, dtype=np.int64)
            v[on] = nxt + np.arange(len(on))
            self.var[s] = v
            nxt += len(on)
        self.n_var = nxt
        self.cols_of = cols_of
        self.atom_sum = {
            s: np.bincount(model.atom_of, weights=np.nan_to_num(led._values[s]), minlength=na)
            for s in self.stats
        }
        self.n_count = len(model.row_first)
        self.n_fig = len(self.carriers)
        # the figure rows (S variables only): one per carrier
        fi: list[np.ndarray] = []
        fj: list[np.ndarray] = []
        fv: list[np.ndarray] = []
        truth = np.zeros(self.n_fig)
        self.fig_row: dict[int, list[int]] = {}
        for r, (i, f) in enumerate(self.carriers):
            atoms = model.atoms(i)
            for s, w in led.weights(f).items():
                js = self.var[s][atoms]
                js = js[js >= 0]
                fi.append(np.full(len(js), r))
                fj.append(js - na)
                fv.append(np.full(len(js), w))
                truth[r] += w * self.atom_sum[s][atoms].sum()
            self.fig_row.setdefault(i, []).append(self.n_count + r)
        self.truth = truth
        self._figs = sp.csr_matrix(
            (np.concatenate(fv) if fv else np.zeros(0), (np.concatenate(fi) if fi else np.zeros(0, int),
             np.concatenate(fj) if fj else np.zeros(0, int))),
            shape=(self.n_fig, self.n_var - na),
        )  # fmt: skip
        point = np.zeros(self.n_var)
        point[:na] = model.atom_n
        for s in self.stats:
            on = cols_of[s]
            point[self.var[s][on]] = self.atom_sum[s][on]
        self._point = point
        self._ranges: Ranges | None = None
        # the same sums with every atom count held at its true value: a restriction of the model
        # (its ranges lie inside the full ones), far smaller and with the boxes as column bounds
        self._fixed: Ranges | None = None
        self._recording = True

    def _published(self) -> np.ndarray:
        return np.array([not self.model.pops[i].status for i, _ in self.carriers], bool)

    @property
    def ranges(self) -> Ranges:
        """The full model (built when first solved): counts, figures and the boxes."""
        if self._ranges is None:
            model, led, na = self.model, self.model.ledger, self.model.n_atoms
            base = model.inc[model.row_first].tocoo()
            figs = self._figs.tocoo()
            n_c, n_f = self.n_count, self.n_fig
            rows_i = [base.row, figs.row + n_c]
            rows_j = [base.col, figs.col + na]
            vals = [np.ones(base.nnz), figs.data]
            box_lo: list[np.ndarray] = []
            n_rows = n_c + n_f
            for s in self.stats:
                lo_s, hi_s = led._bounds[s]
                on = self.cols_of[s]
                js = self.var[s][on]
                m_ = len(on)
                # per atom: S - lo * n >= 0 (free when lo = -inf), then hi * n - S >= 0
                two = np.isfinite(hi_s)
                step = 2 if two else 1
                r = n_rows + step * np.arange(m_)
                rows_i += [r, r]
                rows_j += [js, on]
                vals += [np.ones(m_), np.full(m_, -lo_s if np.isfinite(lo_s) else 0.0)]
                lo_here = np.full(step * m_, 0.0)
                if not np.isfinite(lo_s):
                    lo_here[::step] = -np.inf
                if two:
                    rows_i += [r + 1, r + 1]
                    rows_j += [js, on]
                    vals += [np.full(m_, -1.0), np.full(m_, hi_s)]
                box_lo.append(lo_here)
                n_rows += step * m_
            a = sp.csc_matrix(
                (np.concatenate(vals), (np.concatenate(rows_i), np.concatenate(rows_j))),
                shape=(n_rows, self.n_var),
            )
            clo, chi = model.dedup_bounds(np.arange(n_c))
            pub = self._published()
            lo_b = np.concatenate(box_lo) if box_lo else np.zeros(0)
            rlo = np.concatenate([clo, np.where(pub, self.truth, -np.inf), lo_b])
            rhi = np.concatenate([chi, np.where(pub, self.truth, np.inf), np.full(len(lo_b), np.inf)])
            col_lo = np.concatenate([np.zeros(na), np.full(self.n_var - na, -np.inf)])
            self._ranges = Ranges(a, rlo, rhi, col_lo, np.full(self.n_var, np.inf))
            self._ranges.add_point(self._point)
            self._ranges.recording = self._recording
        return self._ranges

    def set_recording(self, on: bool) -> None:
        self._recording = on
        for r in (self._ranges, self._fixed):
            if r is not None:
                r.recording = on

    def spread(self, c: np.ndarray) -> float:
        """How far ``c @ x`` varies over the feasible points met so far (0 before any solve)."""
        return 0.0 if self._ranges is None else self._ranges.spread(c)

    def fixed(self) -> Ranges:
        if self._fixed is None:
            model, na = self.model, self.model.n_atoms
            n_s = self.n_var - na
            lo_col, hi_col = np.full(n_s, -np.inf), np.full(n_s, np.inf)
            led = model.ledger
            for s in self.stats:
                lo_s, hi_s = led._bounds[s]
                on = self.cols_of[s]
                js = self.var[s][on] - na
                if np.isfinite(lo_s):
                    lo_col[js] = lo_s * model.atom_n[on]
                if np.isfinite(hi_s):
                    hi_col[js] = hi_s * model.atom_n[on]
            pub = self._published()
            self._fixed = Ranges(
                sp.csc_matrix(self._figs),
                np.where(pub, self.truth, -np.inf),
                np.where(pub, self.truth, np.inf),
                lo_col,
                hi_col,
            )
            self._fixed.add_point(self._point[na:])
            self._fixed.recording = self._recording
        return self._fixed

    def varies(self, c: np.ndarray, tol: float) -> bool:
        """Whether ``c @ x`` provably takes two values more than ``tol`` apart (shown with the
        counts held at their true values; ``False`` proves nothing)."""
        fixed, c_s = self.fixed(), c[self.model.n_atoms :]
        if fixed.spread(c_s) > tol:
            return True
        self.model.solves += 2
        lo, hi = fixed.bounds(c_s)
        return hi - lo > tol

    def update(self, i: int, r: np.ndarray, lo: np.ndarray, hi: np.ndarray) -> None:
        if self._ranges is not None:
            self._ranges.set_rows(r, lo, hi)
        rows = np.array(self.fig_row.get(i, []), dtype=int)
        if len(rows) == 0:
            return
        if self.model.pops[i].status:
            lo_f, hi_f = np.full(len(rows), -np.inf), np.full(len(rows), np.inf)
        else:
            lo_f = hi_f = self.truth[rows - self.n_count]
        if self._ranges is not None:
            self._ranges.set_rows(rows, lo_f, hi_f)
        if self._fixed is not None:
            self._fixed.set_rows(rows - self.n_count, lo_f, hi_f)

    def columns(self, figure: str) -> np.ndarray:
        """The atoms any statistic of ``figure`` has a sum variable on."""
        weights = self.model.ledger.weights(figure)
        return np.unique(np.concatenate([self.cols_of[s] for s in weights]))

    def objective(self, figure: str, atoms: np.ndarray) -> tuple[np.ndarray, float, float]:
        """The objective of a figure's sum over ``atoms``, its true value and one family's spread."""
        led = self.model.ledger
        c = np.zeros(self.n_var)
        true, spread, bounded = 0.0, 0.0, True
        for s, w in led.weights(figure).items():
            js = self.var[s][atoms]
            np.add.at(c, js[js >= 0], w)
            true += w * float(self.atom_sum[s][atoms].sum())
            lo_s, hi_s = led._bounds[s]
            if np.isfinite(hi_s) and np.isfinite(lo_s):
                spread += abs(w) * (hi_s - lo_s)
            else:
                bounded = False
        need = spread if bounded else 0.2 * abs(true)
        return c, true, need

    def bounds(
        self, figure: str, atoms: np.ndarray, *, exact: bool = False
    ) -> tuple[float, float, float, float]:
        c, true, need = self.objective(figure, atoms)
        if not c.any():
            return -np.inf, np.inf, true, need
        if not exact and self.spread(c) >= max(need, 1e-6):  # open by points already met
            return -np.inf, np.inf, true, need
        if not exact:  # open with the counts held at their true values: open
            fixed, c_s = self.fixed(), c[self.model.n_atoms :]
            if fixed.spread(c_s) >= max(need, 1e-6):
                return -np.inf, np.inf, true, need
            self.model.solves += 2
            lo, hi = fixed.bounds(c_s)
            if hi - lo >= max(need, 1e-6):
                return lo, hi, true, need
        self.model.solves += 2
        lo, hi = self.ranges.bounds(c)
        return lo, hi, true, need


@dataclass
class _Target:
    id: tuple[object, ...]
    label: str
    atoms: np.ndarray
    figures: tuple[str, ...]
    pop: int | None = None  # the population it is (or is part of, for a region)


def protect(
    ledger: Ledger,
    *,
    k: int = 10,
    max_rounds: int | None = None,
    atoms: bool = True,
    withhold: bool = False,
) -> Audit:
    """Decide the status of every population of ``ledger`` and audit the result.

    Primary suppression hides every population of 1 to ``k - 1`` families; secondary suppression
    then removes the exposures found by the checks in the module docstring, one at a time, until
    none is left: a subtraction (checks 1 and 2) by hiding its cheapest published population; a
    count pinned by linear programming by hiding at once the cheapest *set* that opens it: a
    linear programme over a change of the atom counts that moves the count by one family, every
    published row it moves paying that row's cost (the classic cell-suppression cover; see
    :meth:`_Checks.cover`); a pinned sum by its cheapest binding population.

    ``withhold``: when a hidden population is still recovered and nothing published is left to
    hide (a cohort of a few families: every marker ``<k`` is itself a bound), its whole split is
    withheld instead of failing: every population of its breakdown (same ``dim``) and the
    dimensionless populations beside it (same key but the last part) made of some but not all of
    the split's categories get the status :data:`WITHHELD` (reason ``"not published: too few
    families"``): nothing about them is published, not even a marker, so the linear programmes
    know nothing of them.  A withheld population that the published figures still determine
    (its families are a combination of published populations) is reported as exposed.

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
    checks = _Checks(model, atoms=atoms)
    rounds = 0
    limit = max_rounds if max_rounds is not None else len(model.pops)
    while rounds <= limit:
        exposure = checks.first_exposure()
        if exposure is None:
            break
        what, candidates, recheck = exposure
        pick = checks.choose(candidates, recheck)
        # the only cover left is a report's own population (or none): withhold the split instead
        last = pick is None or any(
            model.pops[i].cost >= SCOPE_COST for i in (pick if isinstance(pick, list) else [pick])
        )
        split = checks.split(recheck) if last and withhold and recheck is not None else []
        if split:
            for i in split:
                model.pops[i].reason = WITHHELD_REASON
                model.set_status(i, WITHHELD)
            rounds += 1
            continue
        if pick is None:  # nothing left to hide: report it, never loop
            ledger.frozen = True
            return _audit(model, rounds, exposed=[what])
        for i in pick if isinstance(pick, list) else [pick]:
            model.pops[i].reason = f"protects {what}"
            model.set_status(i, SECONDARY)
        rounds += 1
    checks.release_implied()
    ledger.frozen = True
    exposed = [
        f"{p.label} (withheld, but the published figures determine it)"
        for i, p in enumerate(model.pops)
        if p.status == WITHHELD and 0 < p.n < model.k and model.determined(model.atoms(i))
    ]
    return _audit(model, rounds, exposed=exposed)


class _Checks:
    """The three checks of the module docstring, with what is known to be safe remembered."""

    def __init__(self, model: _Model, *, atoms: bool = True) -> None:
        self.model = model
        self.atoms = atoms
        k = model.k
        size = model.size
        pi, qj = _inside(model)  # Q inside P
        # populations with a common base differ by missing data (not checked); a base belongs to
        # a set of families, not to a key: a population with the same families as one of base B
        # (an outcome's "observed" = the report's families) differs from B's others by missing data
        bases = sorted({p.base for p in model.pops if p.base})
        bit = {b: 1 << j for j, b in enumerate(bases)}
        row_mask = [sum({bit[model.pops[i].base] for i in ps if model.pops[i].base}) for ps in model.row_pops]
        mask = np.array([row_mask[r] for r in model.row_of], dtype=np.uint64 if len(bases) <= 64 else object)
        keep = (pi != qj) & ((mask[pi] & mask[qj]) == 0)
        pi, qj = pi[keep], qj[keep]
        diff = size[pi] - size[qj]
        small = (diff >= 1) & (diff < k)
        self.pairs = (pi[small], qj[small])  # check 1 candidates
        # check 2: the rows of one dimension are disjoint (verified), so the published rows of a
        # dimension inside P leave P minus their sizes; one sparse row per (P, dimension)
        dims = sorted({p.dim for p in model.pops if p.dim})
        dim_id = {d: i for i, d in enumerate(dims)}
        of_dim = np.array([dim_id.get(p.dim, -1) for p in model.pops])
        overlapping = set()
        for _d, j in dim_id.items():
            members = [model.pops[i].members for i in np.flatnonzero(of_dim == j)]
            flat = np.concatenate(members) if members else np.zeros(0, int)
            if len(np.unique(flat)) != len(flat):
                overlapping.add(j)
        child = (of_dim[qj] >= 0) & (size[qj] > 0)
        fp, fq = pi[child], qj[child]
        if overlapping:  # a dimension whose rows overlap somewhere: keep only disjoint children
            fp, fq = _disjoint_children(model, fp, fq, of_dim, overlapping)
        code = fp.astype(np.int64) * max(len(dims), 1) + of_dim[fq]
        uniq, row = np.unique(code, return_inverse=True)
        self.fam_parent = (uniq // max(len(dims), 1)).astype(int)
        self.fam_dim = [dims[int(c % max(len(dims), 1))] for c in uniq] if len(dims) else []
        n_rows = len(uniq)
        self.fam = sp.csr_matrix(
            (np.ones(len(fq)), (np.asarray(row).ravel(), fq)), shape=(n_rows, len(model.pops))
        )
        # a family whose remainder is k or more with every row published can never expose
        rest_all = size[self.fam_parent] - self.fam @ size if n_rows else np.zeros(0)
        keep_f = (rest_all < k) & (np.asarray(self.fam.sum(axis=1)).ravel() >= 2)
        self.fam = self.fam[keep_f]
        self.fam_parent = self.fam_parent[keep_f]
        self.fam_dim = [d for d, kf in zip(self.fam_dim, keep_f, strict=True) if kf]
        self.targets = self._targets()
        if self.targets:
            model.screen_on(np.concatenate([t.atoms for t in self.targets]))
        self.safe: set[tuple[object, ...]] = set()
        self.cursor = 0

    def _targets(self) -> list[_Target]:
        m = self.model
        k, pops, inc = m.k, m.pops, m.inc
        out: list[_Target] = []
        for i, p in enumerate(pops):
            if p.status == PRIMARY:
                out.append(_Target(("pop", i), p.label, m.atoms(i), p.stats, i))
        covered = np.asarray(inc.sum(axis=0)).ravel() > 0
        for a in np.flatnonzero((m.atom_n >= 1) & (m.atom_n < k) & covered) if self.atoms else ():
            rows = m.inc_csc[:, [a]].nonzero()[0]
            stats = tuple(sorted({s for i in rows for s in pops[i].stats}))
            out.append(
                _Target(("atom", int(a)), f"a group of {int(m.atom_n[a])} families", np.array([a]), stats)
            )
        # regions: each report's families and, per kind of report, the families outside all of them
        scopes = [i for i, p in enumerate(pops) if p.scope]
        regions: list[tuple[str, np.ndarray]] = [(pops[i].label, m.atoms(i)) for i in scopes]
        all_atoms = np.flatnonzero(covered)
        kinds: dict[str, list[int]] = {}
        for i in scopes:
            kinds.setdefault(pops[i].dim, []).append(i)
        for kind, idx in kinds.items():
            if len(idx) < 2:
                continue
            inside = np.unique(np.concatenate([m.atoms(i) for i in idx]))
            regions.append((f"families outside every {kind} report", np.setdiff1d(all_atoms, inside)))
        seen: set[bytes] = set()
        n_of = np.diff(inc.indptr)
        for rname, ratoms in regions:
            rset = np.zeros(m.n_atoms, bool)
            rset[ratoms] = True
            # per population its atoms and families in the region: only those partly inside it
            # with 1 to k-1 families there are looked at
            inside = inc @ rset.astype(float)
            fams = inc @ np.where(rset, m.atom_n, 0.0)
            maybe = np.flatnonzero((inside > 0) & (inside < n_of) & (fams >= 1 - 1e-9) & (fams < k))
            for i in maybe.tolist():
                p = pops[i]
                atoms = m.atoms(i)
                part = atoms[rset[atoms]]
                if len(part) == 0 or len(part) == len(atoms):
                    continue
                n = m.atom_n[part].sum()
                if not 1 <= n < k:
                    continue
                sig = part.tobytes()
                if sig in seen:
                    continue
                seen.add(sig)
                out.append(_Target(("region", sig), f"{p.label} within {rname}", part, p.stats, i))
        return out

    def first_exposure(self) -> tuple[str, list[int], _Target | None] | None:
        m = self.model
        k, pops, size = m.k, m.pops, m.size
        published = np.array([not p.status and p.n > 0 for p in pops])
        pi, qj = self.pairs
        ok = published[pi] & published[qj]
        if ok.any():
            j = int(np.flatnonzero(ok)[0])
            p_, q_ = int(pi[j]), int(qj[j])
            return f"{pops[p_].label} minus {pops[q_].label}", [q_, p_], None
        if self.fam.shape[0]:
            pubf = published.astype(float)
            shown_n = self.fam @ pubf
            rest = size[self.fam_parent] - self.fam @ (size * pubf)
            bad = published[self.fam_parent] & (shown_n >= 2) & (rest >= 1) & (rest < k)
            if bad.any():
                r = int(np.flatnonzero(bad)[0])
                p_ = int(self.fam_parent[r])
                kids = [int(j) for j in self.fam[r].indices if published[j]]
                order = sorted(kids, key=lambda j_: (pops[j_].cost, size[j_]))
                return f"{pops[p_].label} minus its published {self.fam_dim[r]} rows", [*order, p_], None
        # targets before the cursor are safe (the feasible region only grows): never revisited
        while self.cursor < len(self.targets):
            t = self.targets[self.cursor]
            if t.pop is not None and pops[t.pop].status == WITHHELD:  # nothing of it is published
                self.cursor += 1
                continue
            what = self._exposed(t)
            if what is not None:
                return f"{t.label} ({what})", self._candidates(t, what), t
            self.cursor += 1
        return None

    def _exposed(self, t: _Target) -> str | None:
        m = self.model
        if ("count", *t.id) not in self.safe:
            wide, lo, hi = m.count_open(t.atoms)
            if not wide:
                return "its count"
            self.safe.add(("count", *t.id))
            if t.id[0] == "atom" and (np.isnan(hi) or hi - lo >= 2 - 1e-9):
                # an atom whose count is open by two families or more: every sum rests on
                # equalities mirrored by count rows, so its sums are open too (checked in tests)
                self.safe.update(("sum", f, *t.id) for f in t.figures)
        for f in t.figures:
            key = ("sum", f, *t.id)
            if key in self.safe:
                continue
            lo, hi, _, need = m.sum_model(f).bounds(f, t.atoms)
            if hi - lo < max(need, 1e-6) - 1e-9:
                return f"its {f}"
            self.safe.add(key)
        return None

    def _candidates(self, t: _Target, what: str) -> list[int]:
        """Published populations whose constraints pin the target (non-zero duals) first, then
        the others touching it, each group cheapest first."""
        m = self.model
        if what == "its count":
            c = _indicator(m.n_atoms, t.atoms)
            _, _, rows = m.count_model().binding(c)
            binding = {i for r in rows for i in m.row_pops[int(r)]}
        else:
            fig = what.removeprefix("its ")
            sm = m.sum_model(fig)
            c, _, _ = sm.objective(fig, t.atoms)
            _, _, rows = sm.ranges.binding(c)
            n_c = sm.n_count
            binding = {i for r in rows if r < n_c for i in m.row_pops[int(r)]}
            binding |= {sm.carriers[int(r) - n_c][0] for r in rows if n_c <= r < n_c + sm.n_fig}
        m.solves += 2
        touching = np.unique(m.inc_csc[:, t.atoms].nonzero()[0])
        ok = [int(i) for i in touching if not m.pops[i].status and m.pops[i].n > 0]
        first = [i for i in binding if not m.pops[i].status and m.pops[i].n > 0]

        def order(ix: Iterable[int]) -> list[int]:
            return sorted(ix, key=lambda i: (m.pops[i].cost, m.pops[i].n, i))

        return order(first) + order(i for i in ok if i not in set(first))

    def choose(self, candidates: list[int], recheck: _Target | None) -> int | list[int] | None:
        m = self.model
        cand = [i for i in dict.fromkeys(candidates) if not m.pops[i].status and m.pops[i].n > 0]
        if not cand:
            return None
        if recheck is None:
            return min(cand, key=lambda i: (m.pops[i].cost, m.pops[i].n, i))
        # try the first candidates (those whose constraints pin the target, cheapest first): the
        # first that removes the exposure alone is hidden; else the first, and the loop goes on
        m.recording(False)  # points found while a candidate is tried need not stay feasible
        try:
            for i in cand[:LOOKAHEAD]:
                m.set_status(i, SECONDARY)
                fixed = self._exposed_fresh(recheck) is None
                m.set_status(i, PUBLISHED)
                if fixed:
                    return i
        finally:
            m.recording(True)
        # no single candidate opens it: the cheapest set that opens its count at once (else one
        # more round with the first candidate)
        if not m.count_open(recheck.atoms)[0]:
            cover = self.cover(recheck)
            if cover:
                return cover
        return cand[0]

    def cover(self, t: _Target) -> list[int]:
        """The cheapest set of published populations whose hiding opens ``t``'s count: a linear
        programme over a change ``d`` of the atom counts moving the count by one family, paying
        each published row's cost for ``|row @ d|`` (the rows it moves are the cover)."""
        m = self.model
        n_r = len(m.row_first)
        inc = sp.csr_matrix(m.inc[m.row_first])
        lo, hi = m.dedup_bounds(np.arange(n_r))
        pub = lo == hi
        rows_pub = np.flatnonzero(pub & (np.diff(inc.indptr) > 0))
        cost = np.array(
            [sum(m.pops[i].cost for i in m.row_pops[r] if not m.pops[i].status) for r in rows_pub]
        )
        x0 = m.atom_n
        now = inc @ x0
        n, q = m.n_atoms, len(rows_pub)
        hid = np.flatnonzero(~pub)
        # rows: hidden rows on d within their bounds; published rows a d = u+ - u- (u+, u- >= 0,
        # u- <= n - k: hidden it still holds k); the target's count moved by one family
        a_h = inc[hid]
        a_p = inc[rows_pub]
        eye = sp.identity(q, format="csr")
        c_t = np.zeros(n)
        c_t[t.atoms] = 1.0
        big = sp.vstack(
            [
                sp.hstack([a_h, sp.csr_matrix((len(hid), 2 * q))]),
                sp.hstack([a_p, -eye, eye]),
                sp.hstack([sp.csr_matrix(c_t), sp.csr_matrix((1, 2 * q))]),
            ]
        ).tocsc()
        obj = np.concatenate([np.zeros(n), cost, cost])
        col_lo = np.concatenate([-x0, np.zeros(2 * q)])
        col_hi = np.concatenate([np.full(n + q, np.inf), now[rows_pub] - m.k])
        best: tuple[float, list[int]] | None = None
        for sign in (1.0, -1.0):
            rlo = np.concatenate([lo[hid] - now[hid], np.zeros(q), [1.0 if sign > 0 else -np.inf]])
            rhi = np.concatenate([hi[hid] - now[hid], np.zeros(q), [np.inf if sign > 0 else -1.0]])
            model = Ranges(big, rlo, rhi, col_lo, col_hi)
            model.recording = False
            self.model.solves += 1
            try:
                val = model._solve(obj, "min")
            except RuntimeError:  # infeasible: no cover in this direction
                continue
            sol = np.asarray(model._h.getSolution().col_value)  # type: ignore[attr-defined]
            moved = sol[n : n + q] + sol[n + q :]
            pick = [int(r) for r in rows_pub[moved > 1e-7]]
            if np.isfinite(val) and pick and (best is None or val < best[0]):
                best = (val, pick)
        if best is None:
            return []
        return [i for r in best[1] for i in m.row_pops[r] if not m.pops[i].status and m.pops[i].n > 0]

    def split(self, t: _Target) -> list[int]:
        """The populations to withhold so that nothing of ``t``'s population is published: its
        breakdown's every category and the partial unions of them beside it (empty: none)."""
        m = self.model
        if t.pop is None:
            return []
        pops = m.pops
        p = pops[t.pop]
        prefix = p.key.rsplit("/", 1)[0]
        siblings = [i for i, q in enumerate(pops) if q.key.rsplit("/", 1)[0] == prefix]
        dim = p.dim or next((pops[i].dim for i in siblings if pops[i].dim), "")
        if not dim:
            return []
        cats = [i for i, q in enumerate(pops) if q.dim == dim]
        union = set(np.concatenate([pops[i].members for i in cats]).tolist())
        # "not improved" = unchanged + worse: a union of some categories (the total stays)
        partial = [
            i for i in siblings if not pops[i].dim and set(pops[i].members.tolist()) < union and pops[i].n > 0
        ]
        out = [i for i in (*cats, *partial) if pops[i].status != WITHHELD]
        return out

    def release_implied(self) -> int:
        """Publish again every secondary cell whose count and sums the published figures
        determine exactly: hiding it protects nothing (the feasible region stays the same).

        A cell is kept hidden as soon as two feasible points met so far differ on it; it is
        released when its objective is a combination of the published equalities (a certificate,
        no solve) or, failing that, when its bounds coincide."""
        m = self.model
        freed = 0
        for i, p in enumerate(m.pops):
            if p.status != SECONDARY:
                continue
            atoms = m.atoms(i)
            c = _indicator(m.n_atoms, atoms)
            # the feasible points met so far (none but the true table before the model is built)
            if m._count is not None and m._count.spread(c) > 1e-6:
                continue
            screen = m.screen()
            if screen is not None and screen.varies(atoms, 1e-6):  # varies there: varies
                continue
            # many atoms: a sum shown to vary (points met, counts held at their true values) keeps
            # the cell hidden before the count's solves on the full model (a minute at 100,000
            # families); the order decides nothing: a cell is released only when all are pinned
            if screen is not None and any(self._sum_varies(atoms, f) for f in p.stats):
                continue
            # the certificate is a dense QR of the published rows: with many atoms (a restricted
            # model exists) two warm-started solves are far cheaper and decide the same
            if screen is not None or not m.determined(atoms):
                lo, hi = m.count_bounds(atoms)
                if hi - lo > 1e-6:
                    continue
            pinned = True
            for f in p.stats:
                sm = m.sum_model(f)
                c_f, true, _ = sm.objective(f, atoms)
                if sm.spread(c_f) > 1e-6 * max(1.0, abs(true)):  # two feasible points differ
                    pinned = False
                    break
                if m.determined(atoms, f):  # the rows carrying f: a small QR
                    continue
                if sm.varies(c_f, 1e-6 * max(1.0, abs(true))):
                    pinned = False
                    break
                slo, shi, _, _ = sm.bounds(f, atoms, exact=True)
                if shi - slo > 1e-6 * max(1.0, abs(shi)):
                    pinned = False
                    break
            if pinned:
                p.reason = ""
                m.set_status(i, PUBLISHED)
                freed += 1
        return freed

    def _sum_varies(self, atoms: np.ndarray, figure: str) -> bool:
        """Whether the sum of ``figure`` on ``atoms`` is shown to take two values (``False``
        proves nothing), without a solve on the full model."""
        m = self.model
        sm = m.sum_model(figure)
        c_f, true, _ = sm.objective(figure, atoms)
        tol = 1e-6 * max(1.0, abs(true))
        return sm.spread(c_f) > tol or (not m.determined(atoms, figure) and sm.varies(c_f, tol))

    def _exposed_fresh(self, t: _Target) -> str | None:
        m = self.model
        if not m.count_open(t.atoms)[0]:
            return "its count"
        for f in t.figures:
            lo, hi, _, need = m.sum_model(f).bounds(f, t.atoms)
            if hi - lo < max(need, 1e-6) - 1e-9:
                return f"its {f}"
        return None


OVERLAP_CHUNK = 1 << 24  # entries of a dense block of the incidence (64 MiB of float32)


def _inside(model: _Model) -> tuple[np.ndarray, np.ndarray]:
    """Every pair ``(P, Q)`` of populations with ``Q`` a non-empty subset of ``P`` (``P == Q``
    included), ``P`` ascending and, for one ``P``, by first atom of ``Q`` then ``Q`` descending
    (the order of the sparse product ``inc W inc'`` this replaces; the first exposure found
    depends on it).

    The overlaps ``|P & Q|`` of the distinct rows (populations of the same families once) are a
    dense product ``D W D'`` (``W``: the atoms' family counts) in blocks of atoms, by BLAS in
    float32: every partial sum is a whole number of families, exact below 2**24."""
    rows, inc = model.row_first, model.inc
    n_r, n_a = len(rows), model.n_atoms
    if inc.nnz == 0:
        return np.zeros(0, dtype=int), np.zeros(0, dtype=int)
    d_rows = sp.csc_matrix(inc[rows])  # sliced by atoms
    total = float(model.atom_n.sum())
    dtype = np.float32 if total < 2**24 else np.float64
    over = np.zeros((n_r, n_r), dtype=dtype)
    step = max(1, OVERLAP_CHUNK // max(n_r, 1))
    w = model.atom_n.astype(dtype)
    for a0 in range(0, n_a, step):
        block = d_rows[:, a0 : a0 + step].toarray().astype(dtype, copy=False)
        over += (block * w[a0 : a0 + step]) @ block.T
    size_r = model.size[rows]
    inside_r = (over == size_r[None, :].astype(dtype)) & (size_r[None, :] > 0)
    # populations of one row share its relation; order the Q by (first atom desc, Q desc)
    n_p = len(model.pops)
    first = np.where(np.diff(inc.indptr) > 0, inc.indices[np.minimum(inc.indptr[:-1], inc.nnz - 1)], -1)
    q_order = np.lexsort((-np.arange(n_p), -first))
    of = model.row_of
    pi, col = np.nonzero(inside_r[of][:, of[q_order]])
    return pi, q_order[col]


def _disjoint_children(
    model: _Model, fp: np.ndarray, fq: np.ndarray, of_dim: np.ndarray, overlapping: set[int]
) -> tuple[np.ndarray, np.ndarray]:
    """For dimensions whose rows overlap, the (parent, child) pairs of the parents whose
    children of that dimension are pairwise disjoint (the slow path; report tables never take it)."""
    keep = np.ones(len(fp), dtype=bool)
    groups: dict[tuple[int, int], list[int]] = {}
    for e, (p_, q_) in enumerate(zip(fp, fq, strict=True)):
        if of_dim[q_] in overlapping:
            groups.setdefault((int(p_), int(of_dim[q_])), []).append(e)
    for edges in groups.values():
        js = fq[edges]
        flat = np.concatenate([model.pops[j].members for j in js])
        if len(np.unique(flat)) != len(flat):
            keep[edges] = False
    return fp[keep], fq[keep]


def _audit(model: _Model, rounds: int, *, exposed: list[str]) -> Audit:
    return Audit(
        model.k, rounds, exposed, model.solves, compute=lambda: _ranges(model),
        _count_range=lambda key: _count_range(model, key),
    )  # fmt: skip


def _count_range(model: _Model, key: str) -> tuple[float, float] | None:
    """One population's count range on the final statuses (see :meth:`Audit.count_range`)."""
    i = model.index.get(key)
    if i is None or not model.pops[i].status:
        return None
    model.recording(False)  # the statuses are final: no feasible points to keep
    return model.final_count_bounds(model.atoms(i))


def _ranges(model: _Model) -> tuple[pd.DataFrame, pd.DataFrame]:
    cells, sums = [], []
    hidden = [i for i, p in enumerate(model.pops) if p.status]
    rows = sorted({int(model.row_of[i]) for i in hidden})  # populations of the same families: once
    of_row = dict(
        zip(rows, model.count_bounds_many([model.atoms(model.row_first[r]) for r in rows]), strict=True)
    )
    for i in hidden:
        lo, hi = of_row[int(model.row_of[i])]
        p = model.pops[i]
        atoms = model.atoms(i)
        cells.append(
            {
                "key": p.key,
                "label": p.label,
                "status": p.status,
                "reason": p.reason,
                "n": p.n,
                "n_low": lo,
                "n_high": hi,
                "protected": (hi - lo >= 1 - 1e-9) or p.status in (SECONDARY, WITHHELD),
            }
        )
        for s in p.stats if p.status == PRIMARY else ():
            slo, shi, _, need = model.sum_model(s).bounds(s, atoms, exact=True)
            sums.append(
                {
                    "key": p.key,
                    "statistic": s,
                    "low": slo,
                    "high": shi,
                    "protected": p.status == SECONDARY or shi - slo >= max(need, 1e-6) - 1e-9,
                }
            )
    return (
        pd.DataFrame(
            cells, columns=["key", "label", "status", "reason", "n", "n_low", "n_high", "protected"]
        ),
        pd.DataFrame(sums, columns=["key", "statistic", "low", "high", "protected"]),
    )
