"""Feasible ranges by linear programming, many objectives on one model (HiGHS, warm-started).

The suppression audit asks the same question many times: over every table of family counts (and
sums) consistent with what was published, how small and how large can this hidden cell be?  Each
question is one pair of linear programmes on the *same* constraints; only the objective changes.
Building the model once and re-solving from the previous basis (HiGHS dual simplex) makes a pair
cost tens of microseconds instead of the milliseconds of a fresh ``scipy.optimize.linprog`` call.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.linalg
import scipy.sparse as sp

__all__ = ["Ranges", "Span"]

INF = float("inf")
DUAL, PRIMAL = 1, 4  # HiGHS simplex_strategy values
PRESOLVE_NNZ = 500_000


def _highs(presolve: bool = False) -> object:
    import highspy

    # highspy.Highs() prints a banner on construction; its core class is the same solver, silent
    h = highspy._Highs() if hasattr(highspy, "_Highs") else highspy.Highs()
    h.setOptionValue("output_flag", False)
    if not presolve:
        h.setOptionValue("presolve", "off")
    return h


@dataclass
class Ranges:
    """A linear model ``row_lo <= A x <= row_hi``, ``col_lo <= x <= col_hi`` to bound objectives on.

    Parameters
    ----------
    a : sparse matrix, shape (m, n)
    row_lo, row_hi : arrays of shape (m,)  (``-inf`` / ``inf`` for open ends)
    col_lo, col_hi : arrays of shape (n,)
    """

    a: sp.csc_matrix
    row_lo: np.ndarray
    row_hi: np.ndarray
    col_lo: np.ndarray
    col_hi: np.ndarray
    # HiGHS presolve before the first solve: its search for dependent equations takes 25 s on the
    # count model of 10,000 families (published rows are sums of one another, 2.2 million entries)
    # where the simplex on the model as it is takes 2 s; None: only for a model of up to
    # PRESOLVE_NNZ entries (every model of a release of a few hundred families)
    presolve: bool | None = None

    def __post_init__(self) -> None:
        import highspy

        self._hs = highspy
        a = sp.csc_matrix(self.a, dtype=float)
        self.a = a
        presolve = self.presolve if self.presolve is not None else a.nnz <= PRESOLVE_NNZ
        self._h = _highs(presolve)
        m, n = a.shape
        lp = highspy.HighsLp()
        lp.num_col_, lp.num_row_ = n, m
        lp.col_cost_ = np.zeros(n)
        lp.col_lower_ = np.asarray(self.col_lo, dtype=float)
        lp.col_upper_ = np.where(np.isinf(self.col_hi), highspy.kHighsInf, self.col_hi).astype(float)
        lp.row_lower_ = np.where(np.isinf(self.row_lo), -highspy.kHighsInf, self.row_lo).astype(float)
        lp.row_upper_ = np.where(np.isinf(self.row_hi), highspy.kHighsInf, self.row_hi).astype(float)
        lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
        lp.a_matrix_.start_ = a.indptr.astype(np.int32)
        lp.a_matrix_.index_ = a.indices.astype(np.int32)
        lp.a_matrix_.value_ = a.data.astype(float)
        self._h.passModel(lp)  # type: ignore[attr-defined]
        self._n = n

        self._last: np.ndarray | None = None
        # the last basis is primal feasible after a change of objective only (primal simplex
        # continues from it), dual feasible after a change of row bounds (dual simplex)
        self._rows_changed = True
        self._strategy = -1
        # feasible points met so far: a target whose value differs by one family between two of
        # them is open without a solve (valid while the feasible region only grows)
        self.recording = True
        self._pool = np.empty((4, n))  # grows by doubling up to POOL rows
        self._pool_n = 0  # points held (the first ``_pool_n`` rows)
        self._pool_next = 0  # the row the next point replaces once the pool is full

    def _solve(self, c: np.ndarray, sense: str) -> float:
        hs, h = self._hs, self._h
        idx = np.arange(self._n, dtype=np.int32)
        h.changeColsCost(self._n, idx, c)  # type: ignore[attr-defined]
        h.changeObjectiveSense(hs.ObjSense.kMinimize if sense == "min" else hs.ObjSense.kMaximize)  # type: ignore[attr-defined]
        strategy = DUAL if self._rows_changed else PRIMAL
        if strategy != self._strategy:
            h.setOptionValue("simplex_strategy", strategy)  # type: ignore[attr-defined]
            self._strategy = strategy
        self._rows_changed = False
        h.run()  # type: ignore[attr-defined]
        status = h.getModelStatus()  # type: ignore[attr-defined]
        if status not in (hs.HighsModelStatus.kOptimal, hs.HighsModelStatus.kUnbounded):
            # a warm start that went astray (kUnknown after many bound changes): solve afresh
            h.clearSolver()  # type: ignore[attr-defined]
            h.run()  # type: ignore[attr-defined]
            status = h.getModelStatus()  # type: ignore[attr-defined]
        if status == hs.HighsModelStatus.kOptimal:
            if self.recording:
                self._keep(np.asarray(h.getSolution().col_value, dtype=float))  # type: ignore[attr-defined]
            return float(h.getInfo().objective_function_value)  # type: ignore[attr-defined]
        if status in (hs.HighsModelStatus.kUnbounded, hs.HighsModelStatus.kUnboundedOrInfeasible):
            return -INF if sense == "min" else INF
        # infeasible would mean inconsistent published figures: a bug, never silently "safe"
        raise RuntimeError(f"suppression audit: the linear programme is {status} (a bug in impactkit)")

    POOL = 400

    def _keep(self, x: np.ndarray) -> None:
        if self._pool_next >= len(self._pool):
            grown = np.empty((min(2 * len(self._pool), self.POOL), self._n))
            grown[: self._pool_n] = self._pool[: self._pool_n]
            self._pool = grown
        self._pool[self._pool_next] = x
        self._pool_next = (self._pool_next + 1) % self.POOL
        self._pool_n = min(self._pool_n + 1, self.POOL)

    def add_point(self, x: np.ndarray) -> None:
        """A point known to be feasible (the true table)."""
        self._keep(np.asarray(x, dtype=float))

    def spread(self, c: np.ndarray) -> float:
        """How far ``c @ x`` varies over the feasible points met so far (0 without any)."""
        if not self._pool_n:
            return 0.0
        v = self._pool[: self._pool_n] @ np.asarray(c, dtype=float)
        return float(v.max() - v.min())

    def set_rows(self, rows: np.ndarray, lo: np.ndarray, hi: np.ndarray) -> None:
        """Change the bounds of some rows (a cell whose publication status changed)."""
        inf = self._hs.kHighsInf
        lo = np.where(np.isinf(lo), -inf, lo).astype(float)
        hi = np.where(np.isinf(hi), inf, hi).astype(float)
        self._rows_changed = True
        self._h.changeRowsBounds(len(rows), np.asarray(rows, dtype=np.int32), lo, hi)  # type: ignore[attr-defined]

    def bounds(self, c: np.ndarray) -> tuple[float, float]:
        """The smallest and largest value of ``c @ x`` over the model."""
        c = np.asarray(c, dtype=float)
        return self._solve(c, "min"), self._solve(c, "max")

    def binding(self, c: np.ndarray) -> tuple[float, float, np.ndarray]:
        """Like :meth:`bounds`, plus the rows whose constraints hold either bound in place
        (a non-zero dual in the minimum or the maximum): what to relax to widen the range."""
        c = np.asarray(c, dtype=float)
        rows: list[np.ndarray] = []
        out = []
        for sense in ("min", "max"):
            v = self._solve(c, sense)
            out.append(v)
            sol = self._h.getSolution()  # type: ignore[attr-defined]
            if np.isfinite(v) and sol.dual_valid:
                rows.append(np.flatnonzero(np.abs(np.asarray(sol.row_dual)) > 1e-9))
        used = np.unique(np.concatenate(rows)) if rows else np.zeros(0, dtype=int)
        return out[0], out[1], used

    def many(self, objectives: sp.csr_matrix | np.ndarray) -> np.ndarray:
        """Bounds of each row of ``objectives``: an array of shape (k, 2) with (low, high)."""
        obj = sp.csr_matrix(objectives, dtype=float)
        out = np.empty((obj.shape[0], 2))
        for i in range(obj.shape[0]):
            out[i] = self.bounds(obj.getrow(i).toarray().ravel())
        return out


class Span:
    """The row space of a sparse matrix, one orthonormal basis per block of rows and columns that
    share no entry with the others.

    ``contains(c)``: whether ``c`` is a combination of the rows (residual of its projection under
    1e-9 of its size).  If the rows are equalities every feasible point satisfies, ``c @ x`` is then
    the same at all of them: a certificate without a linear programme.
    """

    TOL = 1e-9

    def __init__(self, rows: sp.csr_matrix) -> None:
        from scipy.sparse.csgraph import connected_components

        m, n = rows.shape
        self.n = n
        self.blocks: list[tuple[np.ndarray, np.ndarray]] = []  # (columns, orthonormal basis rows)
        self.used = np.zeros(n, dtype=bool)
        if m == 0 or rows.nnz == 0:
            return
        coo = rows.tocoo()
        graph = sp.coo_matrix((np.ones(coo.nnz), (coo.row, m + coo.col)), shape=(m + n, m + n))
        _, label = connected_components(graph, directed=False)
        self.used[coo.col] = True
        row_label, col_label = label[:m], label[m:]
        csr = rows.tocsr()
        for lab in np.unique(row_label):
            r = np.flatnonzero(row_label == lab)
            cols = np.flatnonzero((col_label == lab) & self.used)
            dense = csr[r][:, cols].toarray()
            # an orthonormal basis of the block's row space: QR of its transpose, columns pivoted
            q, rr, _ = scipy.linalg.qr(dense.T, mode="economic", pivoting=True)
            d = np.abs(np.diag(rr))
            rank = int((d > max(dense.shape) * np.finfo(float).eps * 10 * (d[0] if len(d) else 0.0)).sum())
            self.blocks.append((cols, q[:, :rank].T.copy()))

    def contains(self, c: np.ndarray) -> bool:
        scale = max(1.0, float(np.abs(c).max()) if len(c) else 0.0)
        if np.abs(c[~self.used]).max(initial=0.0) > 0:
            return False
        for cols, basis in self.blocks:
            v = c[cols]
            if not v.any():
                continue
            resid = v - (basis @ v) @ basis
            if np.abs(resid).max() > self.TOL * scale * np.sqrt(len(cols)):
                return False
        return True
