"""A reporting period: which families and which measurements of an export a report counts.

An export holds every family a programme ever supported.  "The 2025 report" needs a definition
of who counts in 2025, stated in the report and chosen by the foundation, and the same data cut
the same way however late the report is rebuilt.  :class:`Period` is that definition:

``families`` (which families count)
    ``"active"`` (default)
        supported at some time in the period: started on or before its last day and not ended
        before its first day (a family without an end date is still in support);
    ``"intake"``
        started in the period (the year's intake cohort);
    ``"measured"``
        at least one measurement dated in the period.

    A family without a start date starts on its first measurement.  Without a families table
    every family starts on its first measurement and is still in support.

``waves`` (which measurements of those families count, and how the rest of the data is cut)
    ``"until_end"`` (default)
        the data as known at the period's last day: measurements after it are left out, end dates
        (and end reasons) after it are blanked (the family was still in support), care used and
        events after it are left out, care episodes running past it count the share of their days
        up to it, and the outcome windows end at it.  Measurements before the period stay: they
        are the baseline the change of an active family is measured from;
    ``"in_period"``
        as ``"until_end"``, and measurements before the period's first day are left out too:
        only change measured within the period counts;
    ``"all"``
        every measurement, end date, care episode and event of the counted families, whenever it
        was recorded (to follow a cohort up after its period).

    A family left without any measurement by the rule is not counted (a report has to describe
    one set of families in every table).

**Programme costs** (the ``programme_costs`` table is per year, not per family) are allocated by
support days: the counted families' share of year *y* is their days in support in *y* (up to
the period's end, except under ``"all"``) over the days in support in *y* of every family of the
export, within each municipality (and programme) when the table has those columns.  A year in
which no family of the export was in support cannot be allocated and is left out.  Nothing is
dropped silently: :attr:`PeriodSelection.exclusions` counts every row, family and euro left out,
blanked or prorated, with the reason.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from impactkit.errors import DesignError, ParameterError, check_choice

if TYPE_CHECKING:
    from impactkit.io._dataset import Dataset

__all__ = ["FAMILY_RULES", "WAVE_RULES", "Period", "PeriodSelection", "data_sha256", "select_period"]

FAMILY_RULES = ("active", "intake", "measured")
WAVE_RULES = ("until_end", "in_period", "all")
EXCLUSION_COLUMNS = ["table", "action", "reason", "detail", "rows", "families", "amount"]
_INTERVAL = re.compile(r"^\s*(\d{4}-\d{2}-\d{2})\s*(?:/|\.\.|–| to )\s*(\d{4}-\d{2}-\d{2})\s*$")
_HALF = re.compile(r"^\s*(\d{4})-?(H[12]|Q[1-4])\s*$", re.IGNORECASE)


def _date(value: Any, name: str, func: str) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError as err:
        raise ParameterError(
            f"The {name!r} parameter of {func} must be an ISO date (2025-01-01). Got {value!r} instead."
        ) from err


@dataclass(frozen=True)
class Period:
    """A reporting period and the rule of which families and measurements it counts.

    Parameters
    ----------
    start, end : date or ISO string
        First and last day (both included).
    families : {"active", "intake", "measured"}
        Which families count (see the module docstring).
    waves : {"until_end", "in_period", "all"}
        Which of their measurements count, and how later data are cut.
    label : str, optional
        How reports name the period ("2025"); default the dates.

    Examples
    --------
    >>> Period.of(2025)
    Period('2025': 2025-01-01 to 2025-12-31, families='active', waves='until_end')
    >>> Period.of("2024-07-01/2025-06-30", families="intake").label
    '2024-07-01 – 2025-06-30'
    """

    start: dt.date
    end: dt.date
    families: str = "active"
    waves: str = "until_end"
    label: str = ""

    def __post_init__(self) -> None:
        func = "Period"
        object.__setattr__(self, "start", _date(self.start, "start", func))
        object.__setattr__(self, "end", _date(self.end, "end", func))
        if self.end < self.start:
            raise ParameterError(
                f"The 'end' parameter of Period must be on or after its start ({self.start}). Got {self.end} instead."
            )
        check_choice("families", func, self.families, FAMILY_RULES)
        check_choice("waves", func, self.waves, WAVE_RULES)
        if not self.label:
            object.__setattr__(self, "label", f"{self.start.isoformat()} – {self.end.isoformat()}")

    def __repr__(self) -> str:
        return f"Period({self.label!r}: {self.start} to {self.end}, families={self.families!r}, waves={self.waves!r})"

    @classmethod
    def of(cls, value: Any, *, families: str | None = None, waves: str | None = None) -> Period:
        """A period from a year (``2025``, ``"2025"``), a half or quarter (``"2025-H1"``,
        ``"2025-Q3"``), an ISO interval (``"2024-07-01/2025-06-30"``), a ``(start, end)`` pair, a
        mapping (``{"year": 2025}`` or ``{"start": ..., "end": ...}``, optionally with
        ``families``, ``waves`` and ``label``) or a Period; ``families`` / ``waves`` override."""
        if isinstance(value, Period):
            out = value
        elif isinstance(value, Mapping):
            spec = dict(value)
            unknown = sorted(set(spec) - {"year", "start", "end", "families", "waves", "label"})
            if unknown:
                raise ParameterError(
                    f"The 'period' parameter has unknown key(s) {unknown}; allowed: year, start, end, "
                    "families, waves, label."
                )
            if "year" in spec:
                if "start" in spec or "end" in spec:
                    raise ParameterError("The 'period' parameter takes a year or a start and end, not both.")
                out = cls.of(spec["year"])
            elif "start" in spec and "end" in spec:
                out = cls(spec["start"], spec["end"])
            else:
                raise ParameterError("The 'period' parameter needs a year, or a start and an end.")
            out = dataclasses.replace(
                out,
                families=spec.get("families", out.families),
                waves=spec.get("waves", out.waves),
                label=str(spec.get("label", out.label)),
            )
        elif isinstance(value, tuple | list) and len(value) == 2:
            out = cls(value[0], value[1])
        elif (isinstance(value, int | np.integer) and not isinstance(value, bool)) or (
            isinstance(value, str) and value.strip().isdigit()
        ):
            year = int(value)
            if not 1900 <= year <= 2100:
                raise ParameterError(
                    f"The 'period' parameter must be a year from 1900 to 2100. Got {value!r} instead."
                )
            out = cls(dt.date(year, 1, 1), dt.date(year, 12, 31), label=str(year))
        elif isinstance(value, str) and (m := _HALF.match(value)):
            year, part = int(m.group(1)), m.group(2).upper()
            first = {"H1": 1, "H2": 7, "Q1": 1, "Q2": 4, "Q3": 7, "Q4": 10}[part]
            months = 6 if part.startswith("H") else 3
            last_month = first + months - 1
            nxt = dt.date(year + (last_month == 12), last_month % 12 + 1, 1)
            out = cls(dt.date(year, first, 1), nxt - dt.timedelta(days=1), label=f"{year}-{part}")
        elif isinstance(value, str) and (m := _INTERVAL.match(value)):
            out = cls(_date(m.group(1), "start", "Period"), _date(m.group(2), "end", "Period"))
        else:
            raise ParameterError(
                "The 'period' parameter must be a year (2025), a half or quarter ('2025-H1'), an ISO "
                f"interval ('2024-07-01/2025-06-30'), a (start, end) pair or a Period. Got {value!r} instead."
            )
        return dataclasses.replace(
            out,
            families=families if families is not None else out.families,
            waves=waves if waves is not None else out.waves,
        )

    def to_dict(self) -> dict[str, str]:
        return {
            "label": self.label,
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "families": self.families,
            "waves": self.waves,
        }

    def describe(self, lang: str = "en") -> str:
        """The definition in one sentence, in ``lang`` (for the report and the manifest)."""
        from impactkit.i18n import text

        return text(
            "run",
            "period_definition",
            lang,
            label=self.label,
            start=self.start.isoformat(),
            end=self.end.isoformat(),
            families=text("run", f"period_families.{self.families}", lang),
            waves=text("run", f"period_waves.{self.waves}", lang),
        )


@dataclass(frozen=True)
class PeriodSelection:
    """What :func:`select_period` kept and left out.

    Attributes
    ----------
    period : Period
    families_before, families_after : int
        Families of the export, and families counted.
    exclusions : DataFrame
        ``table, action, reason, detail, rows, families, amount``: every row, family or euro left
        out (``action = "excluded"``), blanked (``"censored"``: an end date after the period) or
        prorated (``"prorated"``: care running past its end), with a reason code (texts in the
        ``run`` catalogue, ``period_reason.<code>``) and ``detail`` (the wave, the year).
    allocation : DataFrame or None
        Programme cost per year (and municipality/programme): ``amount`` (all families),
        ``share`` (the counted families' support days over all), ``allocated``.
    still_in_support : int
        Counted families still in support at the period's end.
    """

    period: Period
    families_before: int
    families_after: int
    exclusions: pd.DataFrame = field(repr=False)
    allocation: pd.DataFrame | None = field(default=None, repr=False)
    still_in_support: int = 0

    @property
    def families_left_out(self) -> int:
        return self.families_before - self.families_after

    def describe(self, lang: str = "en") -> str:
        """``2025: families active in the period ...; 230 of 350 families``."""
        from impactkit.i18n import text

        return text(
            "run",
            "period_counted",
            lang,
            definition=self.period.describe(lang),
            n=self.families_after,
            total=self.families_before,
        )

    def table(self, lang: str = "en") -> pd.DataFrame:
        """:attr:`exclusions` with the table, action and reason in words."""
        from impactkit.i18n import text

        out = self.exclusions.copy()
        out["table"] = [text("run", f"period_table.{t}", lang) for t in out["table"]]
        out["action"] = [text("run", f"period_action.{a}", lang) for a in out["action"]]
        out["reason"] = [text("run", f"period_reason.{r}", lang) for r in out["reason"]]
        return out


# ---------------------------------------------------------------------------------- selection
def _ts(d: dt.date) -> pd.Timestamp:
    return pd.Timestamp(d)


def select_period(ds: Dataset, period: Any) -> Dataset:
    """The dataset cut to a reporting period (see the module docstring); ``ds.period`` says how.

    Raises
    ------
    DesignError
        When no family counts in the period.
    """
    p = Period.of(period)
    if getattr(ds, "period", None) is not None:
        raise ParameterError("The dataset is already cut to a period; cut the whole export once.")
    start, end = _ts(p.start), _ts(p.end)
    censor = p.waves != "all"
    a = ds.assessments
    fam = ds.families
    rows: list[dict[str, Any]] = []

    def record(
        table: str, action: str, reason: str, n_rows: int, n_fam: int, detail: str = "", amount: float = 0.0
    ) -> None:
        if n_rows or n_fam or amount:
            rows.append(
                {"table": table, "action": action, "reason": reason, "detail": detail, "rows": int(n_rows),
                 "families": int(n_fam), "amount": float(amount)}
            )  # fmt: skip

    ids = pd.Index(a["family_id"].astype(str).unique())
    if fam is not None and "family_id" in fam:
        ids = ids.union(pd.Index(fam["family_id"].astype(str)))
    first_measured = a.groupby(a["family_id"].astype(str), observed=True)["assessed_on"].min().reindex(ids)
    begin = pd.Series(pd.NaT, index=ids, dtype="datetime64[ns]")
    stop = pd.Series(pd.NaT, index=ids, dtype="datetime64[ns]")
    if fam is not None and "start_date" in fam:
        f_ids = fam["family_id"].astype(str).to_numpy()
        begin.loc[list(f_ids)] = pd.to_datetime(fam["start_date"]).to_numpy()
        if "end_date" in fam:
            stop.loc[list(f_ids)] = pd.to_datetime(fam["end_date"]).to_numpy()
    begin = begin.fillna(first_measured)
    before = len(ids)

    # 1. which families count
    if p.families == "active":
        no_start = begin.isna()
        after = ~no_start & (begin > end)
        ended = ~no_start & ~after & stop.notna() & (stop < start)
        keep = ~(no_start | after | ended)
        record("families", "excluded", "no_start", int(no_start.sum()), int(no_start.sum()))
        record("families", "excluded", "started_after", int(after.sum()), int(after.sum()))
        record("families", "excluded", "ended_before", int(ended.sum()), int(ended.sum()))
    elif p.families == "intake":
        no_start = begin.isna()
        early = ~no_start & (begin < start)
        late = ~no_start & (begin > end)
        keep = ~(no_start | early | late)
        record("families", "excluded", "no_start", int(no_start.sum()), int(no_start.sum()))
        record("families", "excluded", "intake_before", int(early.sum()), int(early.sum()))
        record("families", "excluded", "intake_after", int(late.sum()), int(late.sum()))
    else:
        inside = a[(a["assessed_on"] >= start) & (a["assessed_on"] <= end)]
        measured = set(inside["family_id"].astype(str))
        keep = pd.Series(ids.isin(list(measured)), index=ids)
        record("families", "excluded", "not_measured", int((~keep).sum()), int((~keep).sum()))

    # 2. which of their measurements count
    fid = a["family_id"].astype(str)
    counted = fid.isin(ids[keep.to_numpy()])
    when = a["assessed_on"]
    drop_rules: list[tuple[str, pd.Series]] = []
    if p.waves != "all":
        drop_rules.append(("no_date", when.isna()))
        drop_rules.append(("measured_after", when.notna() & (when > end)))
    if p.waves == "in_period":
        drop_rules.append(("measured_before", when.notna() & (when < start)))
    kept_rows = counted.copy()
    for reason, mask in drop_rules:
        hit = counted & mask & kept_rows
        for wave, sub in fid[hit].groupby(a.loc[hit, "wave"].astype(str)):
            record("assessments", "excluded", reason, len(sub), sub.nunique(), detail=str(wave))
        kept_rows &= ~mask
    left = set(fid[kept_rows])
    lost = [f for f in ids[keep.to_numpy()] if f not in left]
    record("families", "excluded", "no_measurement_left", len(lost), len(lost))
    final = pd.Index(sorted(left))
    if final.empty:
        raise DesignError(
            f"No family counts in the period {p.label} ({p.start} to {p.end}, families {p.families!r}, "
            f"waves {p.waves!r}); the export covers {_span(a)}."
        )
    in_final = fid.isin(final)
    a_out = a[in_final & kept_rows].reset_index(drop=True)
    a_out.attrs = dict(a.attrs)
    n_missing = int(a_out["score"].isna().sum())
    a_out.attrs["n_missing_scores"] = n_missing

    # 3. the other tables follow the counted families, cut like the measurements
    def follow(frame: pd.DataFrame | None, table: str) -> pd.DataFrame | None:
        if frame is None or "family_id" not in frame:
            return frame
        hit = frame["family_id"].astype(str).isin(final)
        if table != "families":  # the families left out are counted above, by reason
            lost_ = frame.loc[~hit.to_numpy(), "family_id"]
            record(table, "excluded", "family_not_counted", len(lost_), lost_.nunique())
        return frame[hit.to_numpy()]

    families_out = follow(fam, "families")
    if families_out is not None:
        families_out = families_out.copy()
        if censor and "end_date" in families_out:
            late_end = (pd.to_datetime(families_out["end_date"]) > end).to_numpy()
            record("families", "censored", "ended_after", int(late_end.sum()), int(late_end.sum()))
            families_out.loc[late_end, "end_date"] = pd.NaT
            if "end_reason" in families_out:
                families_out.loc[late_end, "end_reason"] = pd.NA
        still = (
            int(pd.to_datetime(families_out["end_date"]).isna().sum())
            if "end_date" in families_out
            else len(final)
        )
        families_out = _reset(families_out, fam)
    else:
        still = len(final)
    counterfactuals = _reset(follow(ds.counterfactuals, "counterfactuals"), ds.counterfactuals)
    care = follow(ds.care_used, "care_used")
    if care is not None and censor and "start" in care:
        s_ = pd.to_datetime(care["start"])
        late = s_ > end
        record(
            "care_used", "excluded", "after_period", int(late.sum()), care.loc[late, "family_id"].nunique()
        )
        care = care[~late.to_numpy()].copy()
        if "end" in care:
            s_, e_ = pd.to_datetime(care["start"]), pd.to_datetime(care["end"])
            past = (e_ > end).to_numpy()
            if past.any():
                days = (e_ - s_).dt.days.to_numpy(float)[past] + 1
                upto = (end - s_).dt.days.to_numpy(float)[past] + 1
                share = np.where(days > 0, np.clip(upto / np.maximum(days, 1), 0, 1), 1.0)
                care.loc[past, "units"] = care.loc[past, "units"].to_numpy(float) * share
                care.loc[past, "end"] = end
                record(
                    "care_used",
                    "prorated",
                    "runs_past_end",
                    int(past.sum()),
                    care.loc[past, "family_id"].nunique(),
                )
    care = _reset(care, ds.care_used)
    events = follow(ds.events, "events")
    if events is not None and censor:
        first_day = pd.to_datetime(events["date"])
        if "period_start" in events:
            first_day = first_day.fillna(pd.to_datetime(events["period_start"]))
        late = first_day > end
        record("events", "excluded", "after_period", int(late.sum()), events.loc[late, "family_id"].nunique())
        events = events[~late.to_numpy()]
    events = _reset(events, ds.events)

    # 4. programme costs by support days
    costs, allocation = _allocate(ds.programme_costs, fam, begin, stop, final, p, a, record)

    config = ds.config
    if config is not None and censor:
        config = dataclasses.replace(config, outcomes=_observed_until(config.outcomes, p.end))
    elif config is None and censor:  # the outcome windows end at the period's end
        from impactkit.io._config import Config

        config = Config.from_dict({"outcomes": {"observed_until": p.end.isoformat()}})
    exclusions = pd.DataFrame(rows, columns=EXCLUSION_COLUMNS)
    sel = PeriodSelection(p, before, len(final), exclusions, allocation, still)
    waves_left = [w for w in ds.instrument.wave_ids if w in set(a_out["wave"].astype(str))]
    instrument = ds.instrument
    if len(waves_left) < len(instrument.wave_ids) and len(waves_left) >= 1:
        instrument = instrument.subset(waves=waves_left)
        a_out.attrs["instrument"] = instrument
    return dataclasses.replace(
        ds,
        assessments=a_out,
        instrument=instrument,
        families=families_out,
        counterfactuals=counterfactuals,
        care_used=care,
        events=events,
        programme_costs=costs,
        n_missing_scores=n_missing,
        config=config,
        period=sel,
    )


def _reset(frame: pd.DataFrame | None, original: pd.DataFrame | None) -> pd.DataFrame | None:
    if frame is None:
        return None
    out = frame.reset_index(drop=True)
    out.attrs = dict(original.attrs) if original is not None else {}
    return out


def _span(a: pd.DataFrame) -> str:
    d = a["assessed_on"].dropna()
    return f"{d.min().date()} to {d.max().date()}" if len(d) else "no dated measurement"


def _observed_until(outcomes: Mapping[str, Any], end: dt.date) -> dict[str, Any]:
    """The outcome windows end at the period's end (or earlier, when the export ends earlier)."""
    out = dict(outcomes)
    value = out.get("observed_until")
    if value is None:
        out["observed_until"] = end.isoformat()
    elif isinstance(value, Mapping):
        out["observed_until"] = {
            k: min(_date(v, "observed_until", "Period"), end).isoformat() for k, v in value.items()
        }
        out["observed_until"].setdefault("events", end.isoformat())
        out["observed_until"].setdefault("care_used", end.isoformat())
    else:
        out["observed_until"] = min(_date(value, "observed_until", "Period"), end).isoformat()
    return out


def _support_days(begin: pd.Series, stop: pd.Series, years: list[int]) -> pd.DataFrame:
    """Days in support per family (rows) and calendar year (columns); missing begin = none."""
    b = begin.to_numpy("datetime64[D]")
    e = stop.to_numpy("datetime64[D]")
    out = {}
    for y in years:
        lo = np.datetime64(f"{y}-01-01")
        hi = np.datetime64(f"{y}-12-31")
        s_ = np.maximum(b, lo)
        e_ = np.minimum(e, hi)
        d = (e_ - s_).astype("timedelta64[D]").astype(float) + 1
        d[np.isnat(b) | np.isnat(e)] = 0.0
        out[y] = np.clip(d, 0, None)
    return pd.DataFrame(out, index=begin.index)


def _days_by_group(days: pd.DataFrame, keys: pd.DataFrame, groups: list[str]) -> pd.DataFrame:
    """Days in support summed per group (municipality, programme) and year: ``*groups, year, days``."""
    frame = days.copy()
    for g in groups:
        frame[g] = keys[g].fillna("").to_numpy()
    long = (
        frame.melt(id_vars=groups, var_name="year", value_name="days")
        if groups
        else frame.melt(var_name="year", value_name="days")
    )
    long["year"] = long["year"].astype(int)
    return pd.DataFrame(long.groupby([*groups, "year"], dropna=False, as_index=False)["days"].sum())


def _allocate(
    costs: pd.DataFrame | None,
    fam: pd.DataFrame | None,
    begin: pd.Series,
    stop: pd.Series,
    final: pd.Index,
    p: Period,
    a: pd.DataFrame,
    record: Any,
) -> tuple[pd.DataFrame | None, pd.DataFrame | None]:
    """Each year's programme cost shared out by days in support (see the module docstring)."""
    if costs is None or costs.empty or "year" not in costs:
        return costs, None
    dates = [a["assessed_on"].max()]
    if fam is not None:
        dates += [pd.to_datetime(fam[c]).max() for c in ("start_date", "end_date") if c in fam]
    latest = max(d for d in dates if pd.notna(d))
    years = sorted(int(y) for y in pd.to_numeric(costs["year"], errors="coerce").dropna().unique())
    whole = _support_days(begin, stop.fillna(latest), years)
    if p.waves == "all":
        own_stop = stop.fillna(latest)
    else:  # support up to the period's end: spending after it is not known at its end
        limit = min(pd.Timestamp(p.end), latest)
        own_stop = stop.where(stop.notna() & (stop <= limit), limit)
    own = _support_days(begin, own_stop, years)
    own.loc[~own.index.isin(final)] = 0.0
    groups = [c for c in ("municipality", "programme") if c in costs and fam is not None and c in fam]
    keys = pd.DataFrame(index=begin.index)
    if groups and fam is not None:
        keys = fam.set_index(fam["family_id"].astype(str))[groups].astype("string").reindex(begin.index)
    days = _days_by_group(whole, keys, groups).rename(columns={"days": "total"})
    days["mine"] = _days_by_group(own, keys, groups)["days"].to_numpy()
    out = costs.copy()
    key = out[["year", *groups]].copy()
    key["year"] = pd.to_numeric(key["year"]).astype(int)
    for g in groups:
        key[g] = key[g].astype("string").fillna("")
    merged = key.merge(days, on=["year", *groups], how="left")
    total = merged["total"].fillna(0).to_numpy(float)
    share = np.where(
        total > 0, merged["mine"].fillna(0).to_numpy(float) / np.where(total > 0, total, 1), np.nan
    )
    amount = pd.to_numeric(out["amount"], errors="coerce").to_numpy(float)
    year_of = key["year"].to_numpy()
    unalloc = np.isnan(share)
    later = ~unalloc & (year_of > p.end.year) if p.waves != "all" else np.zeros(len(out), bool)
    share = np.nan_to_num(share)
    allocated = amount * share
    other = ~unalloc & ~later & (share < 1)
    for mask, action, reason, left in (
        (unalloc, "excluded", "no_support", amount),
        (later, "excluded", "after_period", amount),
        (other, "prorated", "other_families", amount - allocated),
    ):
        for y in sorted(set(year_of[mask].tolist())):
            sel = mask & (year_of == y)
            record(
                "programme_costs",
                action,
                reason,
                int(sel.sum()),
                0,
                detail=str(y),
                amount=float(left[sel].sum()),
            )
    cols = ["year", *groups]
    allocation = (
        key.assign(amount=amount, allocated=allocated)
        .groupby(cols, dropna=False)[["amount", "allocated"]]
        .sum()
        .reset_index()
    )
    allocation["share"] = np.where(
        allocation["amount"] > 0, allocation["allocated"] / allocation["amount"], np.nan
    )
    out["amount"] = allocated
    out = out[allocated > 0].reset_index(drop=True)
    out.attrs = dict(costs.attrs)
    return out, allocation


def data_sha256(ds: Dataset) -> str:
    """SHA-256 of the canonical tables a report uses (after any selection): what was used.

    The digest covers every table's columns and values as CSV, in a fixed order, so the same data
    cut the same way give the same digest however the export was laid out."""
    h = hashlib.sha256()
    for name in (
        "assessments",
        "families",
        "counterfactuals",
        "care_used",
        "events",
        "programme_costs",
        "prices",
    ):
        frame = getattr(ds, name, None)
        if frame is None:
            continue
        h.update(f"\n#{name}\n".encode())
        h.update(frame.to_csv(index=False, date_format="%Y-%m-%d", float_format="%.10g").encode("utf-8"))
    return h.hexdigest()
