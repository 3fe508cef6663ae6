"""Events and care use before, during and after support for the synthetic sample.

A documented simulation, not an estimate of any programme.  The export covers 2020-01-01 to
2026-09-30 (declared in the sample's ``impactkit.toml``).  Per family a frailty (gamma, mean 1,
larger for a worse intake) multiplies every rate; per phase:

* events (one row each): nuisance and police reports, crisis contacts, supervision orders and
  out-of-home placements started, at a base rate per family-year before the start, times a ratio
  during and after support (:data:`EVENT_MODEL`); rates double in the three months before the start
  (families are referred at a peak, so part of the later fall is regression to the mean, as in
  reality), Home-Start families have 40% of the rates, families that dropped out 130% after;
* school absence days per school term (period rows with a count) for families with a child aged
  5–17 at the start (a family without such rows is not at risk, not a zero);
* professional care (episodes with units): social-work contacts and home-based guidance hours in the
  year before, during and after support, a supervision order (a year's episode) after each one that
  starts, and foster-care days after each placement.

Draws come from their own generator (``[seed, 14]``), so the rest of the sample is unchanged.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["EVENT_MODEL", "OBSERVED_FROM", "OBSERVED_UNTIL", "mapping_file", "sample_outcomes"]

OBSERVED_FROM = pd.Timestamp("2020-01-01")
OBSERVED_UNTIL = pd.Timestamp("2026-09-30")
# event type: (rate per family-year before the start, ratio during, ratio after)
EVENT_MODEL = {
    "nuisance_report": (0.55, 0.75, 0.50),
    "police_report": (0.30, 0.85, 0.60),
    "crisis_contact": (0.35, 0.90, 0.55),
    "supervision_order_start": (0.03, 0.70, 0.50),
    "placement_start": (0.012, 0.80, 0.60),
}
ABSENCE = (6.0, 0.85, 0.70)  # school absence days per child-year: before, ratio during, ratio after
# care type: (share of families with an episode, (low, high) units per episode, days per episode) by phase
CARE_MODEL = {
    "social_work": {"before": (0.45, (3, 12), 150), "after": (0.22, (2, 8), 120)},
    "home_guidance": {"before": (0.14, (10, 50), 180), "after": (0.06, (8, 30), 150)},
}
TERMS = ((9, 1, 12, 31), (1, 1, 3, 31), (4, 1, 7, 15))  # school terms: (month, day) .. (month, day)


def mapping_file() -> str:
    """The sample's ``impactkit.toml``: the windows and the period the export covers."""
    return (
        "# impactkit mapping file of the synthetic sample (impactkit sample): the sample's files already\n"
        "# carry impactkit's own names, so only the before / during / after windows are declared.\n\n"
        "[outcomes]\n"
        "pre_months = 12\n"
        "post_months = 12\n"
        f"observed_from = {OBSERVED_FROM.date().isoformat()}\n"
        f"observed_until = {OBSERVED_UNTIL.date().isoformat()}\n"
    )


def _uniform_dates(
    rng: np.random.Generator, lo: pd.Timestamp, hi: pd.Timestamp, n: int
) -> list[pd.Timestamp]:
    span = max((hi - lo).days, 0)
    return [lo + pd.Timedelta(days=int(d)) for d in np.sort(rng.integers(0, span + 1, n))]


def sample_outcomes(
    seed: int,
    ids: np.ndarray,
    start: pd.DatetimeIndex,
    end: pd.DatetimeIndex,
    severity: np.ndarray,
    programme: np.ndarray,
    reason: np.ndarray,
    oldest: np.ndarray,
    youngest: np.ndarray,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The events table and extra care episodes (before / after support) of the sample's families."""
    rng = np.random.default_rng([seed, 14])
    n = len(ids)
    frailty = rng.gamma(1.5, 1 / 1.5, n) * np.exp(0.5 * severity)
    scale = np.where(programme == "Home-Start", 0.4, 1.0)
    ev_rows: list[tuple[object, ...]] = []
    care_rows: list[tuple[object, ...]] = []
    day = pd.Timedelta(days=1)
    for i in range(n):
        s, e = start[i], min(end[i], OBSERVED_UNTIL)
        pieces = {
            "before": [
                (s - pd.Timedelta(days=365), s - pd.Timedelta(days=92), 1.0),
                (s - pd.Timedelta(days=91), s - day, 2.0),
            ],
            "during": [(s, e, 1.0)],
            "after": [(e + day, OBSERVED_UNTIL, 1.3 if reason[i] == "dropped_out" else 1.0)],
        }
        for kind, (base, rr_during, rr_after) in EVENT_MODEL.items():
            ratio = {"before": 1.0, "during": rr_during, "after": rr_after}
            for phase, parts in pieces.items():
                for lo, hi, mult in parts:
                    years = ((hi - lo).days + 1) / 365.25
                    if years <= 0:
                        continue
                    k = rng.poisson(base * ratio[phase] * mult * frailty[i] * scale[i] * years)
                    for d in _uniform_dates(rng, lo, hi, int(k)):
                        ev_rows.append((ids[i], kind, d.date().isoformat(), "", "", 1))
                        if kind == "supervision_order_start":  # a year's order, cut at the export date
                            stop = min(d + pd.Timedelta(days=364), OBSERVED_UNTIL)
                            years = round(((stop - d).days + 1) / 365, 3)
                            care_rows.append((ids[i], "supervision_order_first_year", years, d, stop))
                        if kind == "placement_start":  # foster-care days, cut at the export date
                            stop = min(d + pd.Timedelta(days=int(rng.integers(60, 300)) - 1), OBSERVED_UNTIL)
                            days = float((stop - d).days + 1)
                            care_rows.append((ids[i], "foster_care_allowance", days, d, stop))
        if youngest[i] <= 17 and oldest[i] >= 5:  # a school-age child: absence recorded per term
            _absence(rng, ids[i], s, e, frailty[i] * scale[i], ev_rows)
        for care_type, phases in CARE_MODEL.items():
            for phase, (share, (low, high), days) in phases.items():
                if rng.random() >= share:
                    continue
                units = int(rng.integers(low, high + 1))
                lo = (
                    s - pd.Timedelta(days=int(rng.integers(days, 366)))
                    if phase == "before"
                    else e + pd.Timedelta(days=int(rng.integers(1, 240)))
                )
                hi = lo + pd.Timedelta(days=days - 1)
                if phase == "after" and lo > OBSERVED_UNTIL:
                    continue
                care_rows.append((ids[i], care_type, float(units), lo, min(hi, OBSERVED_UNTIL)))
    events = pd.DataFrame(
        ev_rows, columns=["family_id", "event_type", "date", "period_start", "period_end", "count"]
    )
    care = pd.DataFrame(care_rows, columns=["family_id", "care_type", "units", "start", "end"])
    care = care[(care["start"] <= OBSERVED_UNTIL) & (care["start"] >= OBSERVED_FROM)].copy()
    for col in ("start", "end"):
        care[col] = pd.DatetimeIndex(care[col]).strftime("%Y-%m-%d")
    return events, care


def _absence(
    rng: np.random.Generator,
    fid: object,
    s: pd.Timestamp,
    e: pd.Timestamp,
    mult: float,
    rows: list[tuple[object, ...]],
) -> None:
    base, rr_during, rr_after = ABSENCE
    for year in range(OBSERVED_FROM.year, OBSERVED_UNTIL.year + 1):
        for m0, d0, m1, d1 in TERMS:
            lo = pd.Timestamp(year=year, month=m0, day=d0)
            hi = pd.Timestamp(year=year, month=m1, day=d1)
            if lo < OBSERVED_FROM or hi > OBSERVED_UNTIL or hi < s - pd.Timedelta(days=365):
                continue
            if lo > e + pd.Timedelta(days=365):  # the school's records the programme received end here
                continue
            mid = lo + (hi - lo) / 2
            ratio = 1.0 if mid < s else (rr_during if mid <= e else rr_after)
            years = ((hi - lo).days + 1) / 365.25
            k = rng.negative_binomial(2, 2 / (2 + base * ratio * mult * years))
            rows.append((fid, "school_absence_day", "", lo.date().isoformat(), hi.date().isoformat(), int(k)))
