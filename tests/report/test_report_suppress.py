"""Small-cell suppression: hand examples and the two privacy properties, checked by an attacker.

The attacker is independent of the implementation (which audits with linear programmes): it
enumerates every integer table consistent with what is published (published cells and totals,
"<k" meaning 1..k-1, a published 0 meaning 0 and "x" meaning k or more) and reports a hidden cell as recovered when it takes
one value only.
"""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from impactkit.errors import ParameterError
from impactkit.report._suppress import (
    PRIMARY,
    PUBLISHED,
    SECONDARY,
    marker,
    protect,
    suppress_counts,
    suppress_links,
    suppress_rows,
)


def attack(
    x: np.ndarray,
    cells: np.ndarray,
    rows: np.ndarray,
    cols: np.ndarray,
    grand: str,
    k: int,
    *,
    row_totals: bool,
    col_totals: bool,
    grand_total: bool,
) -> dict[tuple[int, int], set[int]]:
    """Every value each hidden cell can take, by exhaustive enumeration.

    The reader knows the published cells and totals and the cell markers; a hidden total is an
    unknown (its own marker is not used: the documented scope of the protection)."""
    hidden = [(i, j) for i in range(x.shape[0]) for j in range(x.shape[1]) if cells[i, j]]
    cap = (
        2 * int(x.sum()) + k + 2
    )  # hidden totals leave secondary cells unbounded; any cap above the sum shows it
    ranges = [range(1, k) if cells[h] == PRIMARY else range(k, cap + 1) for h in hidden]
    seen: dict[tuple[int, int], set[int]] = {h: set() for h in hidden}
    for combo in itertools.product(*ranges):
        y = x.copy()
        for h, v in zip(hidden, combo, strict=True):
            y[h] = v
        ok = True
        for i in range(x.shape[0]):
            if row_totals and not rows[i] and y[i].sum() != x[i].sum():
                ok = False
        for j in range(x.shape[1]):
            if col_totals and not cols[j] and y[:, j].sum() != x[:, j].sum():
                ok = False
        if grand_total and not grand and y.sum() != x.sum():
            ok = False
        if ok:
            for h, v in zip(hidden, combo, strict=True):
                seen[h].add(v)
    return seen


def published_values(x, cells, rows, cols, grand, *, row_totals, col_totals, grand_total):
    out = [x[i, j] for i in range(x.shape[0]) for j in range(x.shape[1]) if not cells[i, j]]
    out += [x[i].sum() for i in range(x.shape[0]) if row_totals and not rows[i]]
    out += [x[:, j].sum() for j in range(x.shape[1]) if col_totals and not cols[j]]
    out += [x.sum()] if grand_total and not grand else []
    return out


@settings(
    max_examples=120, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.filter_too_much]
)
@given(
    k=st.integers(3, 5),
    table=st.integers(1, 2).flatmap(
        lambda r: st.integers(1, 3).flatmap(
            lambda c: st.lists(st.lists(st.integers(0, 9), min_size=c, max_size=c), min_size=r, max_size=r)
        )
    ),
    margins=st.sampled_from([(True, True), (True, False), (False, True)]),
)
def test_no_small_cell_published_and_no_hidden_cell_recoverable(k, table, margins):
    """Property: every published count (cells and totals) is 0 or >= k; the attacker pins no hidden cell."""
    x = np.array(table)
    rt, ct = margins
    gt = rt and ct
    cells, rows, cols, grand = protect(x, k=k, row_totals=rt, col_totals=ct, grand_total=gt)
    hidden = [(i, j) for i in range(x.shape[0]) for j in range(x.shape[1]) if cells[i, j]]
    size = 1
    for h in hidden:
        size *= k if cells[h] == PRIMARY else 2 * int(x.sum()) + 3
    assume(size <= 60_000)
    pub = published_values(x, cells, rows, cols, grand, row_totals=rt, col_totals=ct, grand_total=gt)
    assert all(v >= k or v == 0 for v in pub)
    # every cell from 1 to k-1 is hidden as primary; nothing else is marked primary; no 0 is hidden
    assert (((x > 0) & (x < k)) == (cells == PRIMARY)).all()
    assert not (cells[x == 0]).any()
    for h, values in attack(
        x, cells, rows, cols, grand, k, row_totals=rt, col_totals=ct, grand_total=gt
    ).items():
        assert len(values) >= 2, f"cell {h} (true {x[h]}) recoverable: {values}"


@settings(max_examples=150, deadline=None, derandomize=True)
@given(k=st.integers(3, 12), counts=st.lists(st.integers(0, 60), min_size=1, max_size=8))
def test_subgroup_rows_with_a_published_total(k, counts):
    """1-D property with a closed-form attacker: a hidden row can take every value v for which
    the other hidden rows can make up total - published - v within their bounds."""
    frame = pd.DataFrame({"group": [f"g{i}" for i in range(len(counts))], "n": counts, "mean": 3.0})
    prot = suppress_rows(frame, k=k, keep=["group"])
    st_ = prot.status["n"].to_numpy()
    total = sum(counts)
    shown = [c for c, s in zip(counts, st_, strict=True) if not s]
    assert all(c >= k or c == 0 for c in shown)
    assert (prot.status["group"] == PUBLISHED).all()
    assert (prot.status["mean"] == prot.status["n"]).all()
    hidden = [(c, s) for c, s in zip(counts, st_, strict=True) if s]
    if prot.totals[0] == PUBLISHED:
        assert total >= k or total == 0
        rest = total - sum(shown)
        for i, (_, s) in enumerate(hidden):
            lo_i, hi_i = (1, k - 1) if s == PRIMARY else (k, rest)
            others = [h for j, h in enumerate(hidden) if j != i]
            lo_o = sum(1 if s2 == PRIMARY else k for _, s2 in others)
            hi_o = sum(k - 1 if s2 == PRIMARY else rest for _, s2 in others)
            feasible = [v for v in range(lo_i, hi_i + 1) if lo_o <= rest - v <= hi_o]
            assert len(feasible) >= 2, (counts, k, st_)
    else:
        assert total < k or len(hidden) >= 1


def test_one_small_subgroup_forces_a_second_one_hidden():
    """Hand example: 12, 4, 30 with total 46 published: 4 is primary; without a second hidden
    cell 46 - 12 - 30 = 4 would reveal it, so the smallest other cell (12) is hidden too."""
    frame = pd.DataFrame({"municipality": ["A", "B", "C"], "n": [12, 4, 30], "cost": [1.0, 2.0, 3.0]})
    prot = suppress_rows(frame, k=10, keep=["municipality"])
    assert prot.status["n"].tolist() == [SECONDARY, PRIMARY, PUBLISHED]
    assert prot.text()["n"].tolist() == ["x", "<10", "30"]
    assert prot.published()["cost"].isna().tolist() == [True, True, False]


def test_two_small_cells_that_add_up_to_the_bounds_are_protected():
    """Hand example: 9 and 9 under a published total 18 (k = 10): both must be 9, so the
    protection hides the next cell (or the total when there is none)."""
    cells, rows, _, _ = protect(
        np.array([[9, 9]]), k=10, row_totals=True, col_totals=False, grand_total=False
    )
    assert cells.tolist() == [[PRIMARY, PRIMARY]]
    assert rows.tolist() == [SECONDARY]
    cells, rows, _, _ = protect(
        np.array([[9, 9, 40]]), k=10, row_totals=True, col_totals=False, grand_total=False
    )
    assert cells.tolist() == [[PRIMARY, PRIMARY, SECONDARY]]
    assert rows.tolist() == [PUBLISHED]


def test_two_way_table_hides_a_rectangle():
    """Hand example (the textbook case): one small cell in a 2x2 table with both margins hides
    all four cells, the margins stay: 3+20=23, 15+12=27, 3+15=18, 20+12=32, 50."""
    prot = suppress_counts(pd.DataFrame([[3, 20], [15, 12]], index=["a", "b"], columns=["x", "y"]), k=10)
    text = prot.text({c: lambda v: f"{v:.0f}" for c in prot.values.columns})
    assert text.loc["a", "x"] == "<10"
    assert text.loc["a"].tolist() == ["<10", "x", "23"]
    assert text.loc["b"].tolist() == ["x", "x", "27"]
    assert text.loc["total"].tolist() == ["18", "32", "50"]


def test_sankey_links_keep_only_safe_flows():
    links = pd.DataFrame(
        {"source": ["1", "1", "2", "2"], "target": ["1", "2", "1", "2"], "n": [30, 5, 14, 40]}
    )
    out = suppress_links(links, k=10)
    assert out["status"].tolist() == [SECONDARY, PRIMARY, SECONDARY, SECONDARY]
    assert (out.loc[out["status"] == PUBLISHED, "n"] >= 10).all()


def test_marker_and_parameter_errors():
    assert marker(PRIMARY, 10) == "<10"
    assert marker(PRIMARY, 5) == "<5"
    assert marker(SECONDARY, 10) == "x"
    with pytest.raises(ParameterError, match="'k' parameter"):
        protect([[1, 2]], k=2)
    with pytest.raises(ParameterError, match="non-negative whole"):
        protect([[1.5, 2]], k=3)
    with pytest.raises(ParameterError, match="'totals' parameter"):
        suppress_counts(pd.DataFrame([[1]]), totals="margins")
