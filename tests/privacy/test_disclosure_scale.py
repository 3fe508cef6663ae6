"""The parts of ``protect`` rewritten to scale to 100,000 families, against what they replace.

* ``_inside`` (the subset pairs, a dense product of the distinct rows in blocks) against Python
  sets, and in the order of the sparse product ``inc W inc'`` the checks depend on;
* the incidence of a model (atoms marked instead of sorted) against ``np.unique``;
* the region targets (a matrix product picks the populations to look at) against the loop over
  every population.
"""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from impactkit.privacy import PRIMARY, Ledger, _disclosure


def _random_ledger(seed: int, n_fam: int, n_pops: int) -> Ledger:
    rng = np.random.default_rng(seed)
    fams = [f"F{i}" for i in range(n_fam)]
    led = Ledger(fams)
    for j in range(n_pops):
        kind = rng.integers(4)
        if kind == 0 and j:  # a subset of an earlier population, a few families short
            base = list(led)[rng.integers(j)].members
            keep = base[rng.random(len(base)) < rng.uniform(0.5, 1.0)] if len(base) else base
            members = [fams[i] for i in keep]
        elif kind == 1:  # a block of consecutive families (nested and disjoint ones)
            a = int(rng.integers(n_fam))
            members = fams[a : a + int(rng.integers(0, n_fam // 2 + 1))]
        else:
            members = [f for f in fams if rng.random() < rng.uniform(0.0, 0.6)]
        led.add(f"p{j}", members, dim=f"d{rng.integers(3)}" if rng.random() < 0.5 else "", scope=j < 3)
    for p in led:
        p.status = PRIMARY if 0 < p.n < 10 else ""
    return led


def _sparse_pairs(model: _disclosure._Model) -> tuple[np.ndarray, np.ndarray]:
    """What _Checks computed before: the sparse product, entries where |P & Q| == |Q|."""
    inc = model.inc
    ov = (inc.multiply(model.atom_n[None, :]).tocsr() @ inc.T).tocoo()
    sub = np.abs(ov.data - model.size[ov.col]) < 0.5
    return ov.row[sub], ov.col[sub]


@settings(max_examples=40, deadline=None, derandomize=True)
@given(st.integers(0, 10_000), st.integers(1, 80), st.integers(1, 40), st.booleans())
def test_inside_is_every_subset_pair_in_the_sparse_products_order(seed, n_fam, n_pops, small_blocks):
    led = _random_ledger(seed, n_fam, n_pops)
    model = _disclosure._Model(led, 10)
    with pytest.MonkeyPatch.context() as mp:
        if small_blocks:  # blocks of a few atoms: the sums over blocks
            mp.setattr(_disclosure, "OVERLAP_CHUNK", 7)
        pi, qj = _disclosure._inside(model)
    sets = [set(p.members.tolist()) for p in led]
    want = {(a, b) for a in range(len(sets)) for b in range(len(sets)) if sets[b] and sets[b] <= sets[a]}
    assert set(zip(pi.tolist(), qj.tolist(), strict=True)) == want
    assert len(pi) == len(want)
    ref = _sparse_pairs(model)
    np.testing.assert_array_equal(pi, ref[0])
    np.testing.assert_array_equal(qj, ref[1])


@pytest.mark.parametrize("n_fam", [30, 400])
def test_the_incidence_is_each_populations_distinct_atoms(n_fam):
    led = _random_ledger(5, n_fam, 30)
    model = _disclosure._Model(led, 10)
    for i, p in enumerate(led):
        np.testing.assert_array_equal(model.atoms(i), np.unique(model.atom_of[p.members]))


@settings(max_examples=30, deadline=None, derandomize=True)
@given(st.integers(0, 10_000), st.integers(1, 60), st.integers(0, 25))
def test_the_incidence_built_by_rows_is_the_matrix_of_its_pairs(seed, n_fam, n_pops):
    """``_incidence`` builds CSR from its rows; the reference is the (population, atom) pairs
    through scipy's COO conversion (what it replaced): same entries, same index dtypes, canonical."""
    led = _random_ledger(seed, n_fam, n_pops)
    pops = list(led)
    atom_of, n_atoms = _disclosure._atoms(n_fam, pops)
    got = _disclosure._incidence(atom_of, n_atoms, pops)
    pairs = sorted({(i, int(a)) for i, p in enumerate(pops) for a in atom_of[p.members]})
    r = np.array([i for i, _ in pairs], dtype=int)
    c = np.array([a for _, a in pairs], dtype=int)
    want = sp.csr_matrix((np.ones(len(r)), (r, c)), shape=(len(pops), n_atoms))
    assert got.shape == want.shape
    assert got.has_canonical_format
    for part in ("indptr", "indices", "data"):
        a, b = getattr(got, part), getattr(want, part)
        assert a.dtype == b.dtype, part
        np.testing.assert_array_equal(a, b)


def _region_targets_reference(checks: _disclosure._Checks) -> list[tuple[str, bytes]]:
    """The loop the region targets were found by: every region, every population."""
    m = checks.model
    k, pops = m.k, m.pops
    covered = np.asarray(m.inc.sum(axis=0)).ravel() > 0
    scopes = [i for i, p in enumerate(pops) if p.scope]
    regions = [(pops[i].label, m.atoms(i)) for i in scopes]
    kinds: dict[str, list[int]] = {}
    for i in scopes:
        kinds.setdefault(pops[i].dim, []).append(i)
    for kind, idx in kinds.items():
        if len(idx) >= 2:
            inside = np.unique(np.concatenate([m.atoms(i) for i in idx]))
            regions.append(
                (f"families outside every {kind} report", np.setdiff1d(np.flatnonzero(covered), inside))
            )
    out, seen = [], set()
    for rname, ratoms in regions:
        rset = np.zeros(m.n_atoms, bool)
        rset[ratoms] = True
        for i, p in enumerate(pops):
            atoms = m.atoms(i)
            part = atoms[rset[atoms]]
            if len(part) == 0 or len(part) == len(atoms) or not 1 <= m.atom_n[part].sum() < k:
                continue
            if part.tobytes() in seen:
                continue
            seen.add(part.tobytes())
            out.append((f"{p.label} within {rname}", part.tobytes()))
    return out


@pytest.mark.parametrize("seed", range(6))
def test_region_targets_are_those_of_the_loop_over_every_population(seed):
    led = _random_ledger(seed, 120, 40)
    checks = _disclosure._Checks(_disclosure._Model(led, 10), atoms=False)
    got = [(t.label, t.id[1]) for t in checks.targets if t.id[0] == "region"]
    assert got == _region_targets_reference(checks)
