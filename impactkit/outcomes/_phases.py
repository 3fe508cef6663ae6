"""Before / during / after windows per family, and events and care allocated to them.

For a family with support from ``start_date`` to ``end_date`` (both inclusive):

* **before**: the ``pre_months`` calendar months before the start (``start − pre_months`` ..
  ``start − 1 day``);
* **during**: ``start_date`` .. ``end_date`` (to the end of the observed period while support runs);
* **after**: the day after ``end_date`` .. ``end_date + post_months`` (``post_months=None``: to the
  end of the observed period).

Every window is cut to the period the export covers (``observed_from`` .. ``observed_until``, per
table or per type), so a family that started before the export's first day has a short or no
pre-period, and one still in support has no after-period.  The exposure of a window is its length
in days; rates are per family-year (365.25 days).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from impactkit.errors import ParameterError

__all__ = ["PHASES", "Coverage", "allocate", "coverage_for", "phase_windows"]

PHASES = ("before", "during", "after")
DAYS_PER_YEAR = 365.25

DateLike = str | pd.Timestamp | np.datetime64 | None
Coverage = DateLike | Mapping[str, DateLike]


def _date(value: object, name: str, func: str) -> pd.Timestamp | None:
    if value is None:
        return None
    try:
        out = pd.Timestamp(value)  # type: ignore[arg-type]
    except (TypeError, ValueError) as err:
        raise ParameterError(
            f"The {name!r} parameter of {func} must be a date (YYYY-MM-DD). Got {value!r} instead."
        ) from err
    if out is pd.NaT:
        return None
    return out.normalize()


def _months(value: object, name: str, func: str, *, allow_none: bool) -> int | None:
    if value is None and allow_none:
        return None
    if isinstance(value, bool) or not isinstance(value, int | np.integer) or int(value) < 0:
        extra = " or None" if allow_none else ""
        raise ParameterError(
            f"The {name!r} parameter of {func} must be a whole number of months ≥ 0{extra}. Got {value!r} instead."
        )
    return int(value)


def coverage_for(coverage: Coverage, keys: tuple[str, ...], name: str, func: str) -> pd.Timestamp | None:
    """The date declared for the first of ``keys`` found in a mapping (or the single date)."""
    if isinstance(coverage, Mapping):
        for k in keys:
            if k in coverage:
                return _date(coverage[k], f"{name}[{k!r}]", func)
        return None
    return _date(coverage, name, func)


def phase_windows(
    families: pd.DataFrame,
    *,
    pre_months: int = 12,
    post_months: int | None = 12,
    observed_from: DateLike = None,
    observed_until: DateLike = None,
) -> pd.DataFrame:
    """The before / during / after window of every family, cut to the observed period.

    Parameters
    ----------
    families : DataFrame
        ``family_id, start_date`` and optionally ``end_date`` (the validated families table).
    pre_months : int, default 12
        Length of the pre-period in calendar months.
    post_months : int or None, default 12
        Length of the after-period; None runs it to ``observed_until``.
    observed_from, observed_until : date, optional
        The period the export covers.  Without ``observed_from`` the pre-period is taken as fully
        observed; without ``observed_until`` the latest start or end date in ``families``.

    Returns
    -------
    DataFrame
        One row per family × phase with a window of at least one day: ``family_id, phase, start,
        end`` (inclusive), ``days``, ``years`` (days / 365.25) and ``full`` (False when the
        observed period cut the window short).

    Examples
    --------
    >>> fam = pd.DataFrame({"family_id": ["a", "b"], "start_date": pd.to_datetime(["2023-03-01", "2024-01-10"]),
    ...                     "end_date": pd.to_datetime(["2023-12-31", pd.NaT])})
    >>> phase_windows(fam, observed_from="2022-09-01", observed_until="2024-06-30")[["family_id", "phase", "days"]]
      family_id   phase  days
    0         a  before   181
    1         a  during   306
    2         a   after   182
    3         b  before   365
    4         b  during   173
    """
    func = "phase_windows"
    pre = _months(pre_months, "pre_months", func, allow_none=False)
    post = _months(post_months, "post_months", func, allow_none=True)
    lo_obs = _date(observed_from, "observed_from", func)
    hi_obs = _date(observed_until, "observed_until", func)
    missing = [c for c in ("family_id", "start_date") if c not in families.columns]
    if missing:
        raise ParameterError(
            f"The 'families' parameter of {func} must have columns family_id and start_date. "
            f"Got columns {list(families.columns)} instead."
        )
    ids = families["family_id"].astype(str).to_numpy()
    start = pd.DatetimeIndex(pd.to_datetime(families["start_date"])).normalize()
    end = (
        pd.DatetimeIndex(pd.to_datetime(families["end_date"])).normalize()
        if "end_date" in families.columns
        else pd.DatetimeIndex([pd.NaT] * len(families))
    )
    if hi_obs is None:
        known = pd.DatetimeIndex(np.concatenate([start.dropna().to_numpy(), end.dropna().to_numpy()]))
        hi_obs = known.max() if len(known) else pd.Timestamp.today().normalize()
    day = pd.Timedelta(days=1)
    pre_lo = start - pd.DateOffset(months=pre) if pre else start
    win = {
        "before": (pre_lo, start - day),
        "during": (start, end.where(end.notna(), hi_obs)),
        "after": (
            end + day,
            (end + pd.DateOffset(months=post) if post is not None else pd.DatetimeIndex([hi_obs] * len(end))),
        ),
    }
    frames = []
    for phase in PHASES:
        lo, hi = pd.DatetimeIndex(win[phase][0]), pd.DatetimeIndex(win[phase][1])
        if phase == "after":
            lo = pd.DatetimeIndex(lo.where(end.notna()))
        cut_lo = lo.where(lo.isna() | (lo >= lo_obs), lo_obs) if lo_obs is not None else lo
        cut_hi = hi.where(hi.isna() | (hi <= hi_obs), hi_obs)
        days = ((cut_hi - cut_lo).days + 1).to_numpy(dtype=float, na_value=np.nan)
        keep = np.isfinite(days) & (days > 0) & np.asarray(start.notna())
        full = np.asarray(cut_lo == lo) & (np.asarray(cut_hi == hi) | (phase == "after" and post is None))
        frames.append(
            pd.DataFrame(
                {
                    "family_id": ids[keep],
                    "phase": phase,
                    "start": cut_lo[keep],
                    "end": cut_hi[keep],
                    "days": days[keep].astype("int64"),
                    "full": full[keep],
                }
            )
        )
    out = pd.concat(frames, ignore_index=True)
    out["years"] = out["days"] / DAYS_PER_YEAR
    out["phase"] = pd.Categorical(out["phase"], categories=list(PHASES), ordered=True)
    out = out.sort_values(["family_id", "phase"], kind="stable").reset_index(drop=True)
    out = out[["family_id", "phase", "start", "end", "days", "years", "full"]]
    out.attrs["observed_until"] = hi_obs
    out.attrs["observed_from"] = lo_obs
    return out


def _largest_remainder(amount: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Split each integer ``amount`` over the columns of ``weights`` keeping integers and totals."""
    total = weights.sum(axis=1, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        exact = np.where(total > 0, amount[:, None] * weights / total, 0.0)
    base = np.floor(exact + 1e-9)
    short = np.rint(amount - base.sum(axis=1)).astype(int)
    frac = exact - base
    order = np.argsort(-frac, axis=1, kind="stable")
    rank = np.empty_like(order)
    np.put_along_axis(rank, order, np.arange(weights.shape[1])[None, :].repeat(len(order), 0), axis=1)
    return base + (rank < short[:, None])


def allocate(
    windows: pd.DataFrame,
    family_ids: pd.Series,
    amount: np.ndarray,
    lo: pd.Series,
    hi: pd.Series,
    *,
    integer: bool,
) -> tuple[np.ndarray, np.ndarray]:
    """Split each record's ``amount`` over the family's phases by days of overlap.

    A record covers ``lo`` .. ``hi`` (inclusive; a dated record has ``lo == hi``).  Returns the
    amounts per phase (records × 3, in :data:`PHASES` order) and the amount outside every window
    (e.g. more than ``pre_months`` before the start, or before the export's first day).  Integer
    amounts are split by largest remainder, so counts stay whole and totals are kept.
    """
    n = len(amount)
    fid = family_ids.astype(str).to_numpy()
    wide = windows.pivot(index="family_id", columns="phase", values=["start", "end"])  # per family × phase
    pos = wide.index.get_indexer(pd.Index(fid))
    bounds = np.full((2, n, len(PHASES)), np.datetime64("NaT"), dtype="datetime64[D]")
    for k, phase in enumerate(PHASES):
        for i, col in enumerate(("start", "end")):
            if (col, phase) in wide.columns:
                v = wide[(col, phase)].to_numpy("datetime64[D]")
                bounds[i, :, k] = np.where(pos >= 0, v[np.maximum(pos, 0)], np.datetime64("NaT"))
    return split_days(amount, day_of(lo), day_of(hi), bounds[0], bounds[1], integer=integer)


def day_of(dates: Any) -> np.ndarray:
    """Dates (a Series, index or array) as ``datetime64[D]`` (NaT kept)."""
    return pd.DatetimeIndex(dates).normalize().to_numpy("datetime64[D]")


def split_days(
    amount: np.ndarray,
    lo_d: np.ndarray,
    hi_d: np.ndarray,
    starts: np.ndarray,
    ends: np.ndarray,
    *,
    integer: bool,
) -> tuple[np.ndarray, np.ndarray]:
    """:func:`allocate` on arrays: ``starts``/``ends`` (records × phases, NaT: no window) per record."""
    n = len(amount)
    length = (hi_d - lo_d).astype("int64") + 1
    overlap = np.zeros((n, len(PHASES) + 1))
    for k in range(len(PHASES)):
        ws, we = starts[:, k], ends[:, k]
        a = np.maximum(lo_d, ws)
        b = np.minimum(hi_d, we)
        days = (b - a).astype("int64") + 1
        ok = ~np.isnat(ws) & ~np.isnat(a) & ~np.isnat(b)
        overlap[:, k] = np.where(ok, np.clip(days, 0, None), 0)
    overlap[:, -1] = np.clip(length - overlap[:, :-1].sum(axis=1), 0, None)
    if integer:
        # a record in one window only (most: a dated event) keeps its whole amount there, which is
        # what the largest remainder gives it; the others are split
        amount = amount.astype(float)
        single = (np.count_nonzero(overlap, axis=1) == 1) & (amount == np.floor(amount))
        split = np.where(single[:, None] & (overlap > 0), amount[:, None], 0.0)
        if not single.all():
            split[~single] = _largest_remainder(amount[~single], overlap[~single])
    else:
        total = overlap.sum(axis=1, keepdims=True)
        with np.errstate(invalid="ignore", divide="ignore"):
            split = np.where(total > 0, amount[:, None] * overlap / total, 0.0)
    return split[:, :-1], split[:, -1]


def exposure_grid(windows: pd.DataFrame, outcomes: list[str]) -> pd.DataFrame:
    """Every family × phase window × outcome (zeros are data in a register)."""
    base = windows[["family_id", "phase", "years"]].rename(columns={"years": "exposure_years"})
    grid = base.merge(pd.DataFrame({"outcome": outcomes}), how="cross")
    return grid


def describe_windows(windows: pd.DataFrame) -> dict[str, Any]:
    """Counts for the method notes: families and family-years per phase, windows cut short."""
    g = windows.groupby("phase", observed=False)
    return {
        "families": g["family_id"].nunique().to_dict(),
        "years": g["years"].sum().to_dict(),
        "cut_short": (~windows["full"]).groupby(windows["phase"], observed=False).sum().to_dict(),
    }
