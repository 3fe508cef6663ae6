"""The release attacked as a reader holding every file of it (issue 11, "Done when").

The cohort of the issue: municipalities of 4, 9, 10, 11, 25 and 30 families (the sample's families,
cut).  The release holds the funder report, every municipal and programme report the plan allows,
each as an annual report and a business case, HTML and spreadsheet.  The attacker, written here
without the ledger: every published count of families in every table of every file, and for every
table row that several reports publish, the funder report's figure minus every combination of the
municipal (or programme) reports' figures.  A remainder of 1 to k - 1 families, or a published
figure about the 4 or the 9 on their own, is a leak.  The hidden cells' feasible ranges are also
re-derived with scipy's linprog from the published counts of one table (a second LP solver).
"""

from __future__ import annotations

import dataclasses
import itertools
import re

import numpy as np
import pytest

from impactkit.io import read_dataset
from impactkit.report import Release

K = 10
SIZES = {"Tiel": 4, "Zutphen": 9, "Apeldoorn": 10, "Ede": 11, "Nijmegen": 25, "Arnhem": 30}
FAMILY_COUNT = re.compile(r"famil|^n$|^pairs|^families", re.I)


def _cohort():  # type: ignore[no-untyped-def]
    ds = read_dataset("data/sample", today="2026-11-01")
    fam = ds.families
    limit = fam["municipality"].astype(str).map(SIZES).fillna(0)
    keep = fam[fam.groupby("municipality", observed=True).cumcount() < limit].reset_index(drop=True)
    ids = set(keep["family_id"])

    def cut(frame):  # type: ignore[no-untyped-def]
        if frame is None or "family_id" not in frame:
            return frame
        out = frame[frame["family_id"].isin(ids)].reset_index(drop=True)
        out.attrs = dict(frame.attrs)
        return out

    return dataclasses.replace(
        ds, families=keep, assessments=cut(ds.assessments), counterfactuals=cut(ds.counterfactuals),
        care_used=cut(ds.care_used), events=cut(ds.events),
    )  # fmt: skip


@pytest.fixture(scope="module")
def release():  # type: ignore[no-untyped-def]
    return Release(_cohort(), k=K, draws=0)


@pytest.fixture(scope="module")
def files(release):  # type: ignore[no-untyped-def]
    """Every report of the release (en): {(kind, scope kind, name): Report}."""
    return {
        (kind, s.kind, s.name): rep
        for kind, s, _, rep in release.reports(langs=["en"], generated_at="2026-11-23")
    }


def _counts(rep) -> dict[tuple[str, tuple[str, ...], str], float | None]:  # type: ignore[no-untyped-def]
    """Every cell of a family-count column: (table, row labels, column) -> number or None (hidden)."""
    out: dict[tuple[str, tuple[str, ...], str], float | None] = {}
    for sec in rep.sections:
        for t in sec.tables:
            frame = t.excel_frame()[0]
            text = [c.label for c in t.columns if c.kind == "text"]
            for c in t.columns:
                if c.kind != "count" or not FAMILY_COUNT.search(c.label):
                    continue
                for i in range(len(frame)):
                    key = tuple(str(frame.at[i, x]) for x in text if x in frame)
                    v = frame.at[i, c.label]
                    out[(t.id, key, c.label)] = None if isinstance(v, str) or v is None else float(v)
    return out


def test_the_plan_of_the_issue(release) -> None:  # type: ignore[no-untyped-def]
    t = release.plan.table()
    m = t[t["kind"] == "municipality"].set_index("name")
    assert m.loc[["Apeldoorn", "Ede", "Nijmegen", "Arnhem"], "published"].all()
    assert not m.loc[["Tiel", "Zutphen"], "published"].any()
    assert release.audit.ok


def test_no_file_names_or_describes_the_small_municipalities(files) -> None:  # type: ignore[no-untyped-def]
    for rep in files.values():
        for name in ("Tiel", "Zutphen"):
            assert name not in rep.html
            for tab in rep.tables.values():
                assert not tab.astype(str).apply(lambda c: c.str.contains(name)).to_numpy().any()  # noqa: B023


@pytest.mark.parametrize("dim", ["municipality", "programme"])
def test_no_subtraction_of_reports_leaves_fewer_than_k(files, dim: str) -> None:  # type: ignore[no-untyped-def]
    """Funder report minus every combination of the reports of one kind, cell by cell."""
    checked = 0  # over both kinds (a kind whose comparable cells are all hidden checks nothing)
    any_parts = False
    for kind in ("annual", "business-case"):
        funder = _counts(files[(kind, "funder", "")])
        parts = {name: _counts(rep) for (kd, sk, name), rep in files.items() if kd == kind and sk == dim}
        assert parts or dim == "programme"
        any_parts = any_parts or bool(parts)
        for cell, total in funder.items():
            if total is None:
                continue
            have = {n: c[cell] for n, c in parts.items() if c.get(cell) is not None}
            for r in range(1, len(have) + 1):
                for combo in itertools.combinations(have, r):
                    rest = total - sum(have[n] for n in combo)  # type: ignore[misc]
                    checked += 1
                    assert rest == 0 or rest >= K, (kind, cell, combo, total, rest)
        # and within every file: no published family count of 1 .. k-1
        for counts in [funder, *parts.values()]:
            bad = {c: v for c, v in counts.items() if v is not None and 0 < v < K}
            assert not bad, bad
    assert checked > 0 or not any_parts


def test_hidden_cells_are_not_pinned_by_a_second_solver(release) -> None:  # type: ignore[no-untyped-def]
    """Each hidden population's family count, bounded by scipy.optimize.linprog over the atoms of
    the ledger (every published count an equality, every hidden one 1..k-1 or >= k): never a single
    value under k; a secondary cell's count may be derivable (k or more) only when the cell carries
    sums it is hidden for.  The ledger's own audit ranges agree."""
    from scipy.optimize import linprog

    led = release.ledger
    pops = list(led)
    n_fam = len(led.family_ids)
    member = np.zeros((len(pops), n_fam), dtype=bool)
    for i, p in enumerate(pops):
        member[i, p.members] = True
    atoms, atom_of = np.unique(member.T, axis=0, return_inverse=True)
    n_atoms = len(atoms)
    sizes = np.bincount(atom_of.ravel(), minlength=n_atoms)
    a = atoms.T.astype(float)  # population x atom
    eq = [i for i, p in enumerate(pops) if not p.status]
    hidden = [i for i, p in enumerate(pops) if p.status]
    assert hidden
    a_eq = a[eq]
    b_eq = np.array([pops[i].n for i in eq], dtype=float)
    primary = [i for i in hidden if pops[i].status == "primary"]
    a_ub = np.vstack(
        [-a[hidden], a[primary]]
    )  # hidden: at least 1 (primary) or k (secondary); primary: k-1 at most
    b_ub = np.concatenate(
        [[-1.0 if pops[i].status == "primary" else -float(K) for i in hidden], [K - 1.0] * len(primary)]
    )
    cells = release.audit.cells.set_index("key")
    for i in hidden[:: max(1, len(hidden) // 40)]:  # a spread of the hidden cells
        c = a[i]
        lo = linprog(c, A_ub=a_ub, b_ub=b_ub, A_eq=a_eq, b_eq=b_eq, bounds=(0, None), method="highs")
        hi = linprog(-c, A_ub=a_ub, b_ub=b_ub, A_eq=a_eq, b_eq=b_eq, bounds=(0, None), method="highs")
        assert lo.status == 0
        low = lo.fun
        high = -hi.fun if hi.status == 0 else np.inf
        if pops[i].status == "primary":
            assert high - low >= 1 - 1e-6, (pops[i].key, low, high)
        else:  # a secondary cell may have a derivable count (>= k) and be hidden for its sums
            assert high - low >= 1 - 1e-6 or pops[i].stats, (pops[i].key, low, high)
        assert pops[i].n == pytest.approx(np.clip(pops[i].n, low - 1e-6, high + 1e-6))
        assert cells.loc[pops[i].key, "n_low"] - 1e-6 <= pops[i].n <= cells.loc[pops[i].key, "n_high"] + 1e-6
    assert int(sizes.sum()) == n_fam
