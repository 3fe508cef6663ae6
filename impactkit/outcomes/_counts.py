"""Events and care use per family × phase (before / during / after) with exposure time and cost."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from impactkit.errors import ParameterError
from impactkit.io._events import event_label
from impactkit.outcomes._phases import (
    DAYS_PER_YEAR,
    PHASES,
    Coverage,
    coverage_for,
    day_of,
    describe_windows,
    phase_windows,
    split_days,
)
from impactkit.outcomes._results import PhaseCounts

__all__ = ["phase_counts"]

COLUMNS = ["family_id", "phase", "source", "outcome", "unit", "count", "exposure_years", "cost"]


def _tables(data: Any, **given: Any) -> dict[str, Any]:
    """The tables from a Dataset (options given explicitly win) or from the options alone."""
    from impactkit.io import Dataset

    out = dict(given)
    out["declared"] = {}
    if isinstance(data, Dataset):
        for name in ("families", "events", "care_used", "prices"):
            if out.get(name) is None:
                out[name] = getattr(data, name)
        if out.get("scenario") is None:
            out["scenario"] = data.scenario_path
        if data.config is not None:
            out["declared"] = dict(data.config.outcomes)
    elif isinstance(data, pd.DataFrame):
        if out.get("families") is None:
            out["families"] = data
    elif data is not None:
        raise ParameterError(
            "The 'data' parameter of phase_counts must be a Dataset or the families table. "
            f"Got {type(data).__name__} instead."
        )
    if out.get("families") is None:
        raise ParameterError(
            "phase_counts needs the families table (family_id, start_date, end_date): pass a Dataset "
            "read from a folder with families.csv, or families=..."
        )
    return out


def _latest(*frames: tuple[pd.DataFrame | None, tuple[str, ...]]) -> pd.Timestamp | None:
    found = []
    for frame, cols in frames:
        if frame is None:
            continue
        for c in cols:
            if c in frame.columns:
                v = pd.to_datetime(frame[c]).max()
                if pd.notna(v):
                    found.append(pd.Timestamp(v))
    return max(found).normalize() if found else None


def phase_counts(
    data: Any = None,
    *,
    families: pd.DataFrame | None = None,
    events: pd.DataFrame | None = None,
    care_used: pd.DataFrame | None = None,
    scenario: Any = None,
    prices: pd.DataFrame | None = None,
    pre_months: int | None = None,
    post_months: int | str | None = None,
    observed_from: Coverage = None,
    observed_until: Coverage = None,
    event_types: list[str] | tuple[str, ...] = (),
    lang: str = "en",
) -> PhaseCounts:
    """Count events and care use per family in the year before, during and after support.

    Parameters
    ----------
    data : Dataset or DataFrame, optional
        A :class:`~impactkit.Dataset` (its families, events, care_used and prices tables and its
        scenario are used unless given), or the families table.
    families, events, care_used, prices : DataFrame, optional
        The validated tables (``ik.read_table(..., "events")`` etc.).
    scenario : Scenario or path, optional
        Prices care use at the scenario's tariffs in report-year euros (the ``prices`` table
        replaces them, as in :func:`impactkit.costs.evaluate`); default the built-in scenario.
    pre_months, post_months : int, optional
        The pre-period (months before the start) and after-period (months after the end;
        ``"open"``: to the end of the observed period).  Default: the mapping file's
        ``[outcomes]`` section, else 12 and 12.
    observed_from, observed_until : date or mapping, optional
        The period the export covers: one date, or a mapping from ``"events"``, ``"care_used"``
        or an event or care type to a date (the most specific key wins).  Without
        ``observed_from`` a table is taken to cover from its first record (an event or care
        episode before that would have been in the export); without ``observed_until`` to the
        latest date in any table.  Declare both when you know them (``[outcomes]`` in the
        mapping file, used when not given here).
    event_types : list of str
        Event types to count even when no family had one (zeros are data in a register).
    lang : str, default "en"
        Language of the ``label`` column (a language of :func:`impactkit.i18n.languages`).

    Returns
    -------
    PhaseCounts
        One row per family × phase × outcome: ``family_id, phase, source, outcome, label, unit,
        count, exposure_years, cost``.  ``source`` is ``events``, ``care_used`` (units per care
        type; ``cost`` = units × unit cost) or ``care_cost`` (all priced care together, in euros).
        ``.windows`` holds the windows per table, ``.exclusions`` what could not be placed in a
        window (counted, never dropped silently), ``.unit_costs`` the prices used.

    Notes
    -----
    A family without rows of an event or care type had none in its windows (the tables are read
    as registers).  Counts over a period and care episodes spanning a window boundary are split by
    days of overlap (integer amounts by largest remainder, so totals are kept); a care episode
    without an end date counts on its start date.  Records outside every window (more than
    ``pre_months`` before the start, or after the after-period) are counted in ``.exclusions``.
    """
    from impactkit.i18n import check_lang

    check_lang(lang, "phase_counts")
    t = _tables(data, families=families, events=events, care_used=care_used, prices=prices, scenario=scenario)
    fam, ev, care = t["families"], t["events"], t["care_used"]
    declared = t["declared"]
    pre_months = declared.get("pre_months", 12) if pre_months is None else pre_months
    if post_months is None:
        post_months = declared.get("post_months", 12)
    if post_months != "open" and (isinstance(post_months, bool) or not isinstance(post_months, int)):
        raise ParameterError(
            f"The 'post_months' parameter of phase_counts must be a whole number of months or 'open'. "
            f"Got {post_months!r} instead."
        )
    post = None if post_months == "open" else int(post_months)
    observed_from = declared.get("observed_from") if observed_from is None else observed_from
    observed_until = declared.get("observed_until") if observed_until is None else observed_until
    until_default = _latest(
        (fam, ("start_date", "end_date")), (ev, ("date", "period_end")), (care, ("start", "end"))
    )
    excl: list[dict[str, Any]] = []
    windows: dict[str, pd.DataFrame] = {}
    notes: list[str] = []
    costs = None
    periodic_types: list[str] = []
    cache: dict[tuple[Any, Any], _Windows] = {}
    ids = _Ids(fam["family_id"])
    blocks: list[_Block] = []

    def window_for(table: str, kind: str | None, first: pd.Timestamp | None) -> _Windows:
        keys = (kind, table) if kind else (table,)
        lo = coverage_for(observed_from, keys, "observed_from", "phase_counts")
        hi = coverage_for(observed_until, keys, "observed_until", "phase_counts")
        lo = lo if lo is not None else first
        hi = hi if hi is not None else until_default
        if (lo, hi) not in cache:  # most types share the export's period
            cache[(lo, hi)] = _Windows(phase_windows(fam, pre_months=pre_months, post_months=post,
                                                     observed_from=lo, observed_until=hi), ids)  # fmt: skip
        return cache[(lo, hi)]

    if ev is not None:
        first = _first(ev, ("date", "period_start"))
        types = list(dict.fromkeys([*pd.unique(ev["event_type"].dropna().astype(str)), *event_types]))
        lo = day_of(ev["date"].where(ev["date"].notna(), ev["period_start"]))
        hi = day_of(ev["date"].where(ev["date"].notna(), ev["period_end"]))
        ev_type = ev["event_type"].astype(str).to_numpy()
        ev_code = ids.codes(ev["family_id"])
        ev_count = ev["count"].to_numpy(float)
        dated = ev["date"].notna().to_numpy()
        for kind in types:
            win = window_for("events", kind, first)
            windows.setdefault(kind, win.frame)
            sel = ev_type == kind
            periodic = bool(sel.any()) and not dated[sel].any()
            if periodic:
                periodic_types.append(kind)
            blocks.append(_place(win, ev_code[sel], ev_count[sel], lo[sel], hi[sel], "events", kind, "event",
                                 integer=True, excl=excl, periods=periodic))  # fmt: skip
        notes.append(_coverage_note("events", windows, observed_from, first))
        if periodic_types:
            notes.append(
                f"{', '.join(periodic_types)}: recorded per period, so a family is at risk only in the periods "
                "it has rows for (exposure = days of those periods in the window), not in the whole window."
            )
    if care is not None:
        from impactkit.costs._unit_costs import unit_costs

        costs = unit_costs(t["scenario"], prices=t["prices"])
        price = costs.set_index("care_type")
        first = _first(care, ("start",))
        care_start = pd.to_datetime(care["start"])
        care_end = pd.to_datetime(care["end"]).where(pd.to_datetime(care["end"]).notna(), care_start)
        undated = care_start.isna().to_numpy()
        care_type = care["care_type"].astype(str).to_numpy()
        care_units = care["units"].to_numpy(float)
        for kind in pd.unique(care["care_type"][undated].astype(str)):
            sel = undated & (care_type == kind)
            excl.append({"source": "care_used", "outcome": kind, "reason": "no start date", "rows": int(sel.sum()),
                         "amount": float(care["units"][sel].sum())})  # fmt: skip
        care_code = ids.codes(care["family_id"])
        care_lo, care_hi = day_of(care_start), day_of(care_end)
        care_phase: list[_Block] = []
        for kind in pd.unique(care["care_type"].dropna().astype(str)):
            win = window_for("care_used", kind, first)
            windows.setdefault(f"care:{kind}", win.frame)
            sel = ~undated & (care_type == kind)
            units = care_units[sel]
            integer = bool(np.all(units == np.round(units)))
            unit = str(price.loc[kind, "unit"]) if kind in price.index else "unit"
            part = _place(win, care_code[sel], units, care_lo[sel], care_hi[sel], "care_used", kind, unit,
                          integer=integer, excl=excl)  # fmt: skip
            cost = float(price.loc[kind, "unit_cost"]) if kind in price.index else np.nan
            if kind not in price.index:
                notes.append(
                    f"Care type {kind!r} has no price in the scenario or prices table: its cost is unknown."
                )
            part.cost = part.count * cost
            care_phase.append(part)
        blocks += care_phase
        if care_phase:
            allc = pd.DataFrame({name: np.concatenate([getattr(b, name) for b in care_phase])
                                 for name in ("code", "phase", "cost", "years")})  # fmt: skip
            by = allc.groupby(["code", "phase"], observed=True)
            total = pd.DataFrame(
                {"count": by["cost"].sum(min_count=1), "years": by["years"].first()}
            ).reset_index()
            count = total["count"].to_numpy(float)
            blocks.append(_Block(total["code"].to_numpy(), total["phase"].to_numpy(), total["years"].to_numpy(float),
                                 count, count.copy(), "care_cost", "all_care", "euro"))  # fmt: skip
        notes.append(_coverage_note("care_used", {k: v for k, v in windows.items() if k.startswith("care:")},
                                    observed_from, first))  # fmt: skip
    if not blocks:
        raise ParameterError(
            "phase_counts needs an events or a care_used table: pass a Dataset whose folder has events.csv "
            "or care_used.csv, or events=... / care_used=..."
        )
    out = _frame(blocks, ids, [
        event_label(b.outcome, lang) if b.source == "events" else _care_label(b.outcome, costs, lang) for b in blocks
    ])  # fmt: skip
    summary = {id(w.frame): w.describe() for w in cache.values()}
    exclusions = pd.DataFrame(excl, columns=["source", "outcome", "reason", "rows", "amount"])
    notes += [
        f"Windows: the {pre_months} months before the start, the support itself, and "
        + (f"the {post} months after the end" if post is not None else "the time after the end")
        + ", each cut to the period the export covers; exposure in family-years (365.25 days).",
        "A family without rows of a type had none in its windows (the tables are read as registers).",
    ]
    if len(exclusions):
        notes.append(
            f"{int(exclusions['rows'].sum())} record(s) fell outside every window or had no date; they are "
            "counted in .exclusions, not in the rates."
        )
    meta = {"windows": windows, "exclusions": exclusions, "unit_costs": costs, "notes": notes,
            "pre_months": pre_months, "post_months": post, "lang": lang,
            "report_year": None if costs is None or costs.empty else int(costs["report_year"].iloc[0]),
            "window_summary": {k: summary[id(v)] for k, v in windows.items()}}  # fmt: skip
    return PhaseCounts(out, meta=meta)


def _first(frame: pd.DataFrame, cols: tuple[str, ...]) -> pd.Timestamp | None:
    vals = [pd.to_datetime(frame[c]).min() for c in cols if c in frame.columns]
    vals = [v for v in vals if pd.notna(v)]
    return pd.Timestamp(min(vals)).normalize() if vals else None


def _care_label(care_type: str, costs: pd.DataFrame | None, lang: str) -> str:
    if care_type == "all_care":
        from impactkit.i18n import text

        return text("figures", "care.all_care", lang)
    if costs is not None and care_type in set(costs["care_type"]):
        return str(costs.set_index("care_type").loc[care_type, "label"])
    return care_type


def _coverage_note(table: str, windows: dict[str, pd.DataFrame], declared: Coverage, first: Any) -> str:
    if not windows:
        return f"{table}: no records."
    win = next(iter(windows.values()))
    lo, hi = win.attrs.get("observed_from"), win.attrs.get("observed_until")
    span = f"{lo.date() if lo is not None else 'the first record'} to {hi.date() if hi is not None else '?'}"
    how = "as declared" if declared is not None else "from its first record (declare observed_from)"
    cut = int(sum((~w.loc[w["phase"] == "before", "full"]).sum() for w in windows.values()))
    extra = f"; {cut} pre-period window(s) were cut short by it" if cut else ""
    return f"{table} cover {span}, {how}{extra}."


class _Ids:
    """The families' ids as integer codes in their sorted order (what phase_windows sorts by).

    Every join and grouping inside :func:`phase_counts` runs on these codes; the text ids are put
    back once, in the result (pandas merges and groupings on Arrow text cost seconds per 100,000
    families).
    """

    def __init__(self, family_ids: pd.Series) -> None:
        import pyarrow.compute as pc

        uniq = pc.unique(_arrow_text(family_ids.astype(str)))  # as phase_windows takes them
        self.keys = uniq.take(pc.sort_indices(uniq))
        self.n = len(self.keys)

    def codes(self, values: pd.Series) -> np.ndarray:
        """Each value's code; -1 for a missing value or one that is no family's id."""
        import pyarrow.compute as pc

        text = (
            values if isinstance(values.dtype, pd.StringDtype) else values.astype(str).where(values.notna())
        )
        return (
            pc.index_in(_arrow_text(text), value_set=self.keys)
            .fill_null(-1)
            .to_numpy(zero_copy_only=False)
            .astype(np.int64)
        )

    def text(self, codes: np.ndarray) -> pd.Series:
        return _str_series(self.keys.take(codes))


def _str_series(values: Any) -> pd.Series:
    """A pyarrow text array as a Series of pandas' default ``str`` dtype (no Python strings made)."""
    dtype = pd.StringDtype("pyarrow", na_value=np.nan)
    return pd.Series(pd.arrays.ArrowStringArray(values, dtype=dtype))  # type: ignore[call-arg]


def _arrow_text(values: pd.Series) -> Any:
    """A text column as a pyarrow large_string array (missing values null), without Python objects."""
    import pyarrow as pa

    if not (isinstance(values.dtype, pd.StringDtype) and values.dtype.storage == "pyarrow"):
        values = values.astype("string[pyarrow]")
    return pa.array(values.array).cast(pa.large_string())


class _Windows:
    """One :func:`phase_windows` frame, with its families as codes and its bounds as dense arrays."""

    def __init__(self, frame: pd.DataFrame, ids: _Ids) -> None:
        self.frame = frame
        self.code = ids.codes(frame["family_id"])
        self.phase = frame["phase"].cat.codes.to_numpy().astype(np.int64)
        self.years = frame["years"].to_numpy(float)
        self.has = np.zeros(ids.n, dtype=bool)
        self.has[self.code] = True
        self.bounds = np.full((2, ids.n, len(PHASES)), np.datetime64("NaT"), dtype="datetime64[D]")
        self.bounds[0, self.code, self.phase] = frame["start"].to_numpy("datetime64[D]")
        self.bounds[1, self.code, self.phase] = frame["end"].to_numpy("datetime64[D]")

    def describe(self) -> dict[str, Any]:
        """:func:`describe_windows` of the frame, from the codes."""
        if len(np.unique(self.code * len(PHASES) + self.phase)) != len(self.code):  # not one row per window
            return describe_windows(self.frame)
        phase = pd.Categorical.from_codes(self.phase, categories=pd.Index(PHASES), ordered=True)
        g = pd.DataFrame({"phase": phase, "n": 1, "years": self.years, "cut": ~self.frame["full"].to_numpy()})
        by = g.groupby("phase", observed=False)
        return {
            "families": by["n"].sum().to_dict(),
            "years": by["years"].sum().to_dict(),
            "cut_short": by["cut"].sum().to_dict(),
        }


class _Block:
    """The rows of one outcome: family code, phase code, exposure, count and cost per window."""

    def __init__(self, code: np.ndarray, phase: np.ndarray, years: np.ndarray, count: np.ndarray,
                 cost: np.ndarray, source: str, outcome: str, unit: str) -> None:  # fmt: skip
        self.code, self.phase, self.years, self.count, self.cost = code, phase, years, count, cost
        self.source, self.outcome, self.unit = source, outcome, unit


def _frame(blocks: list[_Block], ids: _Ids, labels: list[str]) -> pd.DataFrame:
    """The blocks as one frame sorted by source, outcome, family id and phase."""
    first = sorted(range(len(blocks)), key=lambda i: (blocks[i].source, blocks[i].outcome))
    blocks, labels = [blocks[i] for i in first], [labels[i] for i in first]
    which = np.repeat(np.arange(len(blocks)), [len(b.code) for b in blocks])
    code = np.concatenate([b.code for b in blocks])
    phase = np.concatenate([b.phase for b in blocks])
    key = (which * (len(ids.keys) + 1) + code) * len(PHASES) + phase
    # each block is in its windows' order (family id, phase) already: sorting is needed only if not
    order = slice(None) if np.all(key[1:] > key[:-1]) else np.argsort(key, kind="stable")
    which, code = which[order], code[order]

    def text(values: list[str]) -> pd.Series:
        import pyarrow as pa

        return _str_series(pa.array(values, type=pa.large_string()).take(which))

    out = pd.DataFrame(
        {
            "family_id": ids.text(code),
            "phase": pd.Categorical.from_codes(phase[order], categories=pd.Index(PHASES), ordered=True),
            "source": text([b.source for b in blocks]),
            "outcome": text([b.outcome for b in blocks]),
            "label": text(labels),
            "unit": text([b.unit for b in blocks]),
            "count": np.concatenate([b.count for b in blocks])[order],
            "exposure_years": np.concatenate([b.years for b in blocks])[order],
            "cost": np.concatenate([b.cost for b in blocks])[order],
        }
    )
    return out


def _period_days(win: _Windows, code: np.ndarray, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    """Days of each window (families × phases) covered by the union of a family's recorded periods."""
    keep = (code >= 0) & ~np.isnat(lo) & ~np.isnat(hi)  # validated period rows have both dates
    c, a, b = code[keep], lo[keep], hi[keep]
    order = np.lexsort((a, c))
    c, a, b = c[order], a[order].astype(np.int64), b[order].astype(np.int64)
    days = np.zeros((len(win.has), len(PHASES)))
    if not len(c):
        return days
    new = np.r_[True, c[1:] != c[:-1]]
    group = np.cumsum(new) - 1
    span = int(b.max() - b.min()) + 1
    reach = np.maximum.accumulate(b - b.min() + group * span) - group * span + b.min()  # cummax per family
    prev = np.r_[0, reach[:-1]]
    opens = new | (a > prev + 1)
    first = np.flatnonzero(opens)
    s_code, s_lo, s_hi = c[first], np.minimum.reduceat(a, first), np.maximum.reduceat(b, first)
    for k in range(len(PHASES)):
        ws = win.bounds[0, s_code, k]
        we = win.bounds[1, s_code, k]
        ok = ~np.isnat(ws)
        lo_k = np.maximum(s_lo[ok], ws[ok].astype(np.int64))
        hi_k = np.minimum(s_hi[ok], we[ok].astype(np.int64))
        days[:, k] = np.bincount(
            s_code[ok], weights=np.clip(hi_k - lo_k + 1, 0, None), minlength=len(win.has)
        )
    return days


def _place(
    win: _Windows,
    code: np.ndarray,
    amount: np.ndarray,
    lo: np.ndarray,
    hi: np.ndarray,
    source: str,
    outcome: str,
    unit: str,
    *,
    integer: bool,
    excl: list[dict[str, Any]],
    periods: bool = False,
) -> _Block:
    g_code, g_phase, g_years = win.code, win.phase, win.years
    if periods:  # at risk only where recorded: exposure from the union of the family's periods
        days = _period_days(win, code, lo, hi)[g_code, g_phase]
        at_risk = days > 0
        g_code, g_phase, g_years = g_code[at_risk], g_phase[at_risk], days[at_risk] / DAYS_PER_YEAR
    known = code >= 0
    known[known] = win.has[code[known]]
    if (~known).any():
        excl.append({"source": source, "outcome": outcome, "reason": "family has no window (start after the "
                     "observed period or not in the families table)", "rows": int((~known).sum()),
                     "amount": float(amount[~known].sum())})  # fmt: skip
    rc = code[known]
    split, outside = split_days(amount[known], lo[known], hi[known], win.bounds[0, rc], win.bounds[1, rc],
                                integer=integer)  # fmt: skip
    out_rows = outside > 0
    if out_rows.any():
        excl.append({"source": source, "outcome": outcome, "reason": "outside the before/during/after windows",
                     "rows": int(out_rows.sum()), "amount": float(outside.sum())})  # fmt: skip
    sums = np.zeros((len(win.has), len(PHASES)))
    if len(rc):
        by = pd.DataFrame(split).groupby(rc).sum()  # pandas' (compensated) sums, as before
        sums[by.index.to_numpy()] = by.to_numpy()
    count = sums[g_code, g_phase]
    if integer:
        count = np.rint(count)
    return _Block(g_code, g_phase, g_years, count, np.full(len(g_code), np.nan), source, outcome, unit)
