"""Small-cell suppression: no published figure rests on fewer than ``k`` families.

Primary suppression hides every count from 1 to ``k - 1`` and every statistic (mean, share, cost)
computed on fewer than ``k`` families.  A count of 0 is published: it describes nobody.  Secondary suppression hides further cells wherever a
published total, together with the other published cells, would let a reader recompute a hidden one.

Recoverability is audited exactly, not by rule of thumb: the published cells and totals define a
set of linear equations, the reader knows that a primary-suppressed count lies in ``[1, k-1]`` and a
secondary-suppressed one in ``[k, inf)`` (the markers say so).  For every hidden cell a linear
programme finds the smallest and the largest value it can take; when the range is narrower than one
family the cell is recoverable, and the smallest published cell sharing a total with it is hidden
too.  The loop stops when no hidden cell can be recovered (it always stops: every round hides one
more cell).

Rendering: a primary-suppressed cell reads ``f"<{k}"``, a secondary-suppressed cell reads ``"x"``
(the marker Statistics Netherlands uses for "confidential").
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.optimize import linprog

from impactkit.errors import ParameterError, check_choice

__all__ = [
    "PRIMARY",
    "PUBLISHED",
    "SECONDARY",
    "Protected",
    "marker",
    "protect",
    "suppress_counts",
    "suppress_links",
    "suppress_rows",
]

PUBLISHED, PRIMARY, SECONDARY = "", "primary", "secondary"
SECONDARY_MARK = "x"


def marker(status: str, k: int) -> str:
    """The text a suppressed cell shows: ``"<k"`` (primary), ``"x"`` (secondary), else ``""``."""
    if status == PRIMARY:
        return f"<{k}"
    if status == SECONDARY:
        return SECONDARY_MARK
    return ""


def _check_k(k: int, func: str) -> None:
    # k = 2 cannot protect anything: two hidden cells of "<2" under a hidden total of "at least 2"
    # must both be 1.  From k = 3 on, two hidden cells always leave a range.
    if isinstance(k, bool) or not isinstance(k, int | np.integer) or k < 3:
        raise ParameterError(
            f"The 'k' parameter of {func} must be an integer of at least 3. Got {k!r} instead."
        )


# --------------------------------------------------------------------------------------- core
def _bounds(status: np.ndarray, values: np.ndarray, k: int) -> list[tuple[float, float | None]]:
    out: list[tuple[float, float | None]] = []
    for s, v in zip(status, values, strict=True):
        if s == 0:
            out.append((float(v), float(v)))
        elif s == 1:
            out.append((1.0, float(k - 1)))
        else:
            out.append((float(k), None))
    return out


def protect(
    counts: np.ndarray | Sequence[Sequence[float]],
    *,
    k: int = 10,
    row_totals: bool = True,
    col_totals: bool = True,
    grand_total: bool | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, str]:
    """Decide which cells and totals of a two-way table of family counts may be published.

    Parameters
    ----------
    counts : array of shape (r, c)
        Non-negative integer counts of families.
    k : int
        Smallest number of families a published figure may rest on.
    row_totals, col_totals : bool
        Whether the table is published with its row sums and column sums.
    grand_total : bool, optional
        Whether the overall sum is published (default: when either margin is).

    Returns
    -------
    cells : ndarray of str, shape (r, c)
        ``""`` (published), ``"primary"`` or ``"secondary"`` per cell.
    rows : ndarray of str, shape (r,)
        Status of each row total (``"primary"`` when the row has fewer than ``k`` families).
    cols : ndarray of str, shape (c,)
        Status of each column total.
    grand : str
        Status of the grand total.

    Notes
    -----
    Totals that are not published (``row_totals=False``...) are absent from the reader's equations
    and carry status ``""`` but must not be shown.  Missing counts are not allowed: pass 0.
    """
    _check_k(k, "protect")
    x = np.asarray(counts, dtype=float)
    if x.ndim != 2:
        raise ParameterError(
            f"The 'counts' parameter of protect must be two-dimensional. Got shape {x.shape} instead."
        )
    if not np.isfinite(x).all() or (x < 0).any() or (x != np.round(x)).any():
        raise ParameterError(
            "The 'counts' parameter of protect must hold non-negative whole numbers. Got other values."
        )
    grand_total = (row_totals or col_totals) if grand_total is None else grand_total
    r, c = x.shape
    # unknowns: cells (r*c), row totals (r), col totals (c), grand (1)
    n_var = r * c + r + c + 1
    values = np.concatenate([x.ravel(), x.sum(axis=1), x.sum(axis=0), [x.sum()]])
    rows_idx = r * c + np.arange(r)
    cols_idx = r * c + r + np.arange(c)
    g_idx = n_var - 1
    eqs: list[np.ndarray] = []
    for i in range(r):  # row total = sum of its cells
        e = np.zeros(n_var)
        e[i * c : (i + 1) * c] = 1
        e[rows_idx[i]] = -1
        eqs.append(e)
    for j in range(c):
        e = np.zeros(n_var)
        e[np.arange(r) * c + j] = 1
        e[cols_idx[j]] = -1
        eqs.append(e)
    e = np.zeros(n_var)
    e[rows_idx] = 1
    e[g_idx] = -1
    eqs.append(e)
    a_eq = np.vstack(eqs)

    shown = np.ones(n_var, dtype=bool)
    if not row_totals:
        shown[rows_idx] = False
    if not col_totals:
        shown[cols_idx] = False
    if not grand_total:
        shown[g_idx] = False
    # 0 published, 1 primary, 2 secondary; unpublished totals are free unknowns (status 3)
    status = np.where((values > 0) & (values < k), 1, 0)
    status[~shown] = 3
    member = a_eq != 0
    while True:
        exposed = _exposed(a_eq, values, status, r * c, n_var, k)
        if not exposed:
            break
        exp_eq = member[:, exposed].any(axis=1)  # totals through which a hidden cell is exposed
        shown_nonzero = (status == 0) & (values > 0)  # a hidden 0 would contradict its marker
        candidates = np.flatnonzero(member[exp_eq].any(axis=0) & shown_nonzero)
        if len(candidates) == 0:  # exposed through a combination of totals (e.g. grand - other column)
            candidates = np.flatnonzero(shown_nonzero)
        if len(candidates) == 0:  # pragma: no cover - with nothing shown, nothing can be recovered
            break
        # prefer inner cells, then cells on many exposing totals, then cells sharing a total with
        # another hidden cell (closing a rectangle protects both), then the smallest value
        hidden_eq = member[:, status != 0].any(axis=1)
        on_exposed = member[exp_eq][:, candidates].sum(axis=0)
        on_hidden = member[hidden_eq][:, candidates].sum(axis=0)
        inner = candidates >= r * c
        order = np.lexsort((candidates, values[candidates], -on_hidden, -on_exposed, inner))
        ranked = candidates[order]
        if (ranked < r * c).any():  # totals are hidden only when no cell can do the job
            ranked = ranked[ranked < r * c]
        ranked = ranked[:LOOKAHEAD]
        if len(ranked) > 1:  # one step of look-ahead: the pick that leaves the fewest exposed cells
            left = [len(_exposed(a_eq, values, _with(status, j), r * c, n_var, k)) for j in ranked]
            status[ranked[int(np.argmin(left))]] = 2
        else:
            status[ranked[0]] = 2
    names = np.array([PUBLISHED, PRIMARY, SECONDARY, PUBLISHED])
    lab = names[status]
    return lab[: r * c].reshape(r, c), lab[rows_idx], lab[cols_idx], str(lab[g_idx])


LOOKAHEAD = 4  # candidates tried per round of secondary suppression


def _with(status: np.ndarray, j: int) -> np.ndarray:
    out = status.copy()
    out[j] = 2
    return out


def _exposed(
    a_eq: np.ndarray, values: np.ndarray, status: np.ndarray, n_cells: int, n_var: int, k: int
) -> list[int]:
    """Hidden cells (and totals under k) whose feasible range is narrower than one family.

    Hidden totals are unknowns without bounds: protection is audited against the published figures
    and the cell markers (the documented scope; a reader who also uses the marker of a hidden total
    knows slightly more).
    """
    pos = np.arange(n_var)
    free = (status == 3) | ((status != 0) & (pos >= n_cells))
    check = ((status == 1) | (status == 2)) & ((pos < n_cells) | (status == 1))
    widths = _ranges(a_eq, values, np.where(status == 3, 2, status), free, check, k)
    return [j for j, w in widths.items() if w < 1 - 1e-9]


def _ranges(
    a_eq: np.ndarray, values: np.ndarray, status: np.ndarray, free: np.ndarray, check: np.ndarray, k: int
) -> dict[int, float]:
    """Width of the feasible range of each unknown in ``check``; ``free`` unknowns are only >= 0."""
    bounds = _bounds(status, values, k)
    for j in np.flatnonzero(free):
        bounds[j] = (0.0, None)
    widths: dict[int, float] = {}
    b_eq = np.zeros(a_eq.shape[0])
    for j in np.flatnonzero(check):
        c = np.zeros(len(values))
        c[j] = 1.0
        lo = linprog(c, A_eq=a_eq, b_eq=b_eq, bounds=bounds, method="highs")
        hi = linprog(-c, A_eq=a_eq, b_eq=b_eq, bounds=bounds, method="highs")
        if hi.status == 3:
            widths[int(j)] = np.inf
        elif lo.status == 0 and hi.status == 0:
            widths[int(j)] = float(-hi.fun - lo.fun)
        else:  # pragma: no cover - consistent data are always feasible
            widths[int(j)] = 0.0
    return widths


# ------------------------------------------------------------------------------- table helpers
@dataclass(frozen=True)
class Protected:
    """A table with a suppression status per cell.

    Attributes
    ----------
    values : pandas.DataFrame
        The table as computed (keep it private: it holds the suppressed values).
    status : pandas.DataFrame
        Same shape; ``""``, ``"primary"`` or ``"secondary"`` per cell.
    k : int
    totals : tuple of str
        For :func:`suppress_rows`: the status of each block's total count, in block order.
    """

    values: pd.DataFrame
    status: pd.DataFrame
    k: int
    totals: tuple[str, ...] = ()

    def published(self) -> pd.DataFrame:
        """The values with every suppressed cell set to missing (safe to publish)."""
        out = self.values.copy()
        return out.mask(self.status != PUBLISHED)

    def text(self, fmt: dict[str, object] | None = None) -> pd.DataFrame:
        """The table as strings: ``fmt`` maps a column to a formatter, suppressed cells read their marker."""
        fmt = fmt or {}
        out = pd.DataFrame(index=self.values.index, columns=self.values.columns, dtype=object)
        for col in self.values.columns:
            f = fmt.get(col, _default_text)
            for idx in self.values.index:
                s = self.status.at[idx, col]
                out.at[idx, col] = marker(str(s), self.k) if s else f(self.values.at[idx, col])  # type: ignore[operator]
        return out

    @property
    def n_suppressed(self) -> int:
        return int((self.status != PUBLISHED).to_numpy().sum())


def _default_text(v: object) -> str:
    if v is None or (isinstance(v, float) and np.isnan(v)):
        return ""
    return str(v)


def suppress_counts(
    table: pd.DataFrame, *, k: int = 10, totals: str = "both", total_label: str = "total"
) -> Protected:
    """Suppress a two-way table of family counts published with its totals.

    Parameters
    ----------
    table : DataFrame
        Counts, rows × columns (index and columns are the labels).
    k : int
        Smallest publishable count.
    totals : {"both", "rows", "columns", "none"}
        Which totals are published; they are appended as a row and/or a column ``total_label``.

    Returns
    -------
    Protected
        ``values`` and ``status`` with the appended totals.

    Notes
    -----
    Missing counts are read as 0 (a cell nobody falls in).
    """
    _check_k(k, "suppress_counts")
    check_choice("totals", "suppress_counts", totals, ("both", "rows", "columns", "none"))
    x = table.fillna(0).to_numpy(dtype=float)
    rt, ct = totals in ("both", "rows"), totals in ("both", "columns")
    cells, rows, cols, grand = protect(x, k=k, row_totals=rt, col_totals=ct, grand_total=totals == "both")
    values = pd.DataFrame(x, index=table.index, columns=table.columns)
    status = pd.DataFrame(cells, index=table.index, columns=table.columns)
    if rt:
        values[total_label] = x.sum(axis=1)
        status[total_label] = rows
    if ct:
        values.loc[total_label] = values.sum(axis=0) if not rt else [*x.sum(axis=0), x.sum()]
        status.loc[total_label] = [*cols, grand] if rt else list(cols)
    return Protected(values, status, k)


def suppress_rows(
    frame: pd.DataFrame,
    *,
    n: str = "n",
    k: int = 10,
    by: str | Sequence[str] | None = None,
    total: bool = True,
    keep: Sequence[str] = (),
) -> Protected:
    """Suppress whole rows of a subgroup table whose figures rest on fewer than ``k`` families.

    Parameters
    ----------
    frame : DataFrame
        One row per subgroup (municipality, household type, payer, care path...), with the number of
        families each row rests on in column ``n`` and any statistics (means, shares, costs) beside it.
    n : str
        The count column.
    k : int
        Smallest publishable number of families.
    by : str or list of str, optional
        Columns defining blocks (e.g. ``domain``); within a block the rows' counts add up to a
        published total.  Without ``by`` the whole frame is one block.
    total : bool
        Whether each block's total count is published (then secondary suppression applies).
    keep : list of str
        Label columns that are never suppressed (the subgroup names).

    Returns
    -------
    Protected
        ``status`` marks every non-label cell of a suppressed row; ``totals`` gives the status of
        each block's total count (hidden when it would reveal a row or rests on fewer than ``k``).

    Notes
    -----
    A row with a missing count is treated as resting on zero families (suppressed).
    """
    _check_k(k, "suppress_rows")
    if n not in frame.columns:
        raise ParameterError(
            f"The 'n' parameter of suppress_rows must name a column of frame. Got {n!r} instead."
        )
    by_cols = [by] if isinstance(by, str) else list(by or [])
    keep_set = set(keep) | set(by_cols)
    frame = frame.reset_index(drop=True)
    row_status = pd.Series(PUBLISHED, index=frame.index, dtype=object)
    key = by_cols[0] if len(by_cols) == 1 else by_cols
    blocks = frame.groupby(key, sort=False, observed=True).groups.values() if by_cols else [frame.index]
    totals: list[str] = []
    for idx in blocks:
        counts = frame.loc[idx, n].fillna(0).to_numpy(dtype=float)[None, :]
        cells, rows, _, _ = protect(counts, k=k, row_totals=total, col_totals=False, grand_total=False)
        row_status.loc[idx] = cells[0]
        totals.append(str(rows[0]) if total else PUBLISHED)
    status = pd.DataFrame(PUBLISHED, index=frame.index, columns=frame.columns, dtype=object)
    for col in frame.columns:
        if col not in keep_set:
            status[col] = row_status
    return Protected(frame, status, k, tuple(totals))


def suppress_links(
    links: pd.DataFrame, *, k: int = 10, source: str = "source", target: str = "target", value: str = "n"
) -> pd.DataFrame:
    """The links of a Sankey diagram that may be drawn.

    The links between two waves form a two-way table (level at the first wave × level at the
    second) whose margins the reader can read off the diagram's nodes, so both margins take part in
    secondary suppression.

    Parameters
    ----------
    links : DataFrame
        One row per (source, target) with the number of families in ``value``.
    k : int
        Smallest publishable number of families.

    Returns
    -------
    DataFrame
        The input rows plus a ``status`` column (``""``, ``"primary"``, ``"secondary"``); draw only the
        rows with an empty status.

    Notes
    -----
    Absent pairs count as zero families.
    """
    _check_k(k, "suppress_links")
    for col in (source, target, value):
        if col not in links.columns:
            raise ParameterError(
                f"The links frame of suppress_links must have a column {col!r}. Got {list(links.columns)}."
            )
    table = links.pivot_table(
        index=source, columns=target, values=value, aggfunc="sum", fill_value=0, observed=False
    )
    cells, _, _, _ = protect(table.to_numpy(dtype=float), k=k, row_totals=True, col_totals=True)
    status = pd.DataFrame(cells, index=table.index, columns=table.columns).stack()
    status.index = status.index.set_names([source, target])
    st = pd.Series(status, name="status").reset_index()
    out = links.merge(st, on=[source, target], how="left")
    out["status"] = out["status"].fillna(PUBLISHED)
    return out
