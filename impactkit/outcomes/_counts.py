"""Events and care use per family × phase (before / during / after) with exposure time and cost."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from impactkit.errors import ParameterError
from impactkit.io._events import event_label
from impactkit.io._source import isin_text
from impactkit.outcomes._phases import (
    DAYS_PER_YEAR,
    PHASES,
    Coverage,
    allocate,
    coverage_for,
    describe_windows,
    exposure_grid,
    phase_windows,
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
    rows: list[pd.DataFrame] = []
    excl: list[dict[str, Any]] = []
    windows: dict[str, pd.DataFrame] = {}
    notes: list[str] = []
    costs = None
    periodic_types: list[str] = []
    cache: dict[tuple[Any, Any], pd.DataFrame] = {}

    def window_for(table: str, kind: str | None, first: pd.Timestamp | None) -> pd.DataFrame:
        keys = (kind, table) if kind else (table,)
        lo = coverage_for(observed_from, keys, "observed_from", "phase_counts")
        hi = coverage_for(observed_until, keys, "observed_until", "phase_counts")
        lo = lo if lo is not None else first
        hi = hi if hi is not None else until_default
        if (lo, hi) not in cache:  # most types share the export's period
            cache[(lo, hi)] = phase_windows(fam, pre_months=pre_months, post_months=post, observed_from=lo,
                                            observed_until=hi)  # fmt: skip
        return cache[(lo, hi)]

    if ev is not None:
        first = _first(ev, ("date", "period_start"))
        types = list(dict.fromkeys([*pd.unique(ev["event_type"].dropna().astype(str)), *event_types]))
        lo = ev["date"].where(ev["date"].notna(), ev["period_start"])
        hi = ev["date"].where(ev["date"].notna(), ev["period_end"])
        ev_type = ev["event_type"].astype(str).to_numpy()
        for kind in types:
            win = window_for("events", kind, first)
            windows.setdefault(kind, win)
            sel = ev_type == kind
            periodic = bool(sel.any()) and not ev.loc[sel, "date"].notna().any()
            if periodic:
                periodic_types.append(kind)
            rows.append(
                _place(
                    win,
                    ev[sel],
                    ev["count"][sel].to_numpy(float),
                    lo[sel],
                    hi[sel],
                    "events",
                    kind,
                    "event",
                    integer=True,
                    excl=excl,
                    periods=periodic,
                )
            )
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
        for kind in pd.unique(care["care_type"][undated].astype(str)):
            sel = undated & (care_type == kind)
            excl.append({"source": "care_used", "outcome": kind, "reason": "no start date", "rows": int(sel.sum()),
                         "amount": float(care["units"][sel].sum())})  # fmt: skip
        care_phase: list[pd.DataFrame] = []
        for kind in pd.unique(care["care_type"].dropna().astype(str)):
            win = window_for("care_used", kind, first)
            windows.setdefault(f"care:{kind}", win)
            sel = ~undated & (care_type == kind)
            units = care["units"][sel].to_numpy(float)
            integer = bool(np.all(units == np.round(units)))
            unit = str(price.loc[kind, "unit"]) if kind in price.index else "unit"
            part = _place(win, care[sel], units, care_start[sel], care_end[sel], "care_used", kind, unit,
                          integer=integer, excl=excl)  # fmt: skip
            cost = float(price.loc[kind, "unit_cost"]) if kind in price.index else np.nan
            if kind not in price.index:
                notes.append(
                    f"Care type {kind!r} has no price in the scenario or prices table: its cost is unknown."
                )
            part["cost"] = part["count"] * cost
            care_phase.append(part)
        rows += care_phase
        if care_phase:
            allc = pd.concat(care_phase, ignore_index=True)
            by = allc.groupby(["family_id", "phase"], observed=True)
            total = pd.DataFrame(
                {"count": by["cost"].sum(min_count=1), "exposure_years": by["exposure_years"].first()}
            ).reset_index()
            total = total.assign(source="care_cost", outcome="all_care", unit="euro", cost=total["count"])
            rows.append(total)
        notes.append(_coverage_note("care_used", {k: v for k, v in windows.items() if k.startswith("care:")},
                                    observed_from, first))  # fmt: skip
    if not rows:
        raise ParameterError(
            "phase_counts needs an events or a care_used table: pass a Dataset whose folder has events.csv "
            "or care_used.csv, or events=... / care_used=..."
        )
    out = pd.concat(rows, ignore_index=True)
    out["phase"] = pd.Categorical(out["phase"], categories=list(PHASES), ordered=True)
    keys = out[["source", "outcome"]].drop_duplicates()
    labels = [
        event_label(o, lang) if src == "events" else _care_label(o, costs, lang)
        for src, o in zip(keys["source"], keys["outcome"], strict=True)
    ]
    key_of = out.groupby(["source", "outcome"], sort=False, observed=True).ngroup().to_numpy()  # keys' order
    out["label"] = np.asarray(labels, dtype=object)[key_of]
    out = out.sort_values(["source", "outcome", "family_id", "phase"], kind="stable").reset_index(drop=True)
    out = out[["family_id", "phase", "source", "outcome", "label", "unit", "count", "exposure_years", "cost"]]
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
            "window_summary": {k: describe_windows(v) for k, v in windows.items()}}  # fmt: skip
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


def _period_exposure(
    windows: pd.DataFrame, family_ids: pd.Series, lo: pd.Series, hi: pd.Series
) -> pd.DataFrame:
    """Years of each window covered by the union of a family's recorded periods."""
    rec = pd.DataFrame(
        {"family_id": family_ids.astype(str).to_numpy(), "lo": pd.to_datetime(lo).to_numpy(),
         "hi": pd.to_datetime(hi).to_numpy()}
    ).sort_values(["family_id", "lo"], kind="stable")  # fmt: skip
    reach = rec.groupby("family_id")["hi"].cummax()
    prev = reach.groupby(rec["family_id"]).shift()
    block = (prev.isna() | (rec["lo"] > prev + pd.Timedelta(days=1))).cumsum()
    spans = rec.groupby(block).agg(family_id=("family_id", "first"), lo=("lo", "min"), hi=("hi", "max"))
    both = spans.merge(windows[["family_id", "phase", "start", "end"]], on="family_id")
    a = both[["lo", "start"]].max(axis=1)
    b = both[["hi", "end"]].min(axis=1)
    both["days"] = ((b - a).dt.days + 1).clip(lower=0)
    out = both.groupby(["family_id", "phase"], observed=True)["days"].sum().reset_index()
    out["exposure_years"] = out["days"] / DAYS_PER_YEAR
    return out[["family_id", "phase", "exposure_years"]]


def _place(
    windows: pd.DataFrame,
    records: pd.DataFrame,
    amount: np.ndarray,
    lo: pd.Series,
    hi: pd.Series,
    source: str,
    outcome: str,
    unit: str,
    *,
    integer: bool,
    excl: list[dict[str, Any]],
    periods: bool = False,
) -> pd.DataFrame:
    grid = exposure_grid(windows, [outcome])
    if periods:  # at risk only where recorded: exposure from the union of the family's periods
        at_risk = _period_exposure(windows, records["family_id"], lo, hi)
        grid = grid.drop(columns="exposure_years").merge(at_risk, on=["family_id", "phase"], how="inner")
        grid = grid[grid["exposure_years"] > 0]
    known = isin_text(records["family_id"], windows["family_id"])
    if (~known).any():
        excl.append({"source": source, "outcome": outcome, "reason": "family has no window (start after the "
                     "observed period or not in the families table)", "rows": int((~known).sum()),
                     "amount": float(amount[~known].sum())})  # fmt: skip
    recs = records[known]
    split, outside = allocate(
        windows, recs["family_id"], amount[known], lo[known], hi[known], integer=integer
    )
    out_rows = outside > 0
    if out_rows.any():
        excl.append({"source": source, "outcome": outcome, "reason": "outside the before/during/after windows",
                     "rows": int(out_rows.sum()), "amount": float(outside.sum())})  # fmt: skip
    placed = pd.DataFrame(split, columns=list(PHASES))
    placed["family_id"] = recs["family_id"].astype(str).to_numpy()
    counts = (
        placed.groupby("family_id")
        .sum()
        .reset_index()
        .melt(id_vars="family_id", var_name="phase", value_name="count")
    )
    merged = grid.merge(counts, on=["family_id", "phase"], how="left")
    merged["count"] = merged["count"].fillna(0.0)
    if integer:
        merged["count"] = np.rint(merged["count"])
    return merged.assign(source=source, outcome=outcome, unit=unit, cost=np.nan)[COLUMNS]
