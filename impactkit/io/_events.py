"""The events table: what happened to a family and when (reports, absence, orders, placements).

One row per event (``date``) or per count over a period (``period_start`` .. ``period_end``):

=============  ===========================================================================
family_id      the family
event_type     an id of :data:`EVENT_TYPES` (Dutch and English spellings are recognised) or any
               other type, kept as written
date           the day it happened, or
period_start,  the period a ``count`` covers (e.g. absence days per school term), both dates
period_end     inclusive
count          how many (≥ 0); blank on a dated row means one event, a period row needs it
=============  ===========================================================================

The table is read as a register: a family without rows of a type had none of them in the period
the export covers (declare that period, see :func:`impactkit.outcomes.phase_counts`).
"""

from __future__ import annotations

import pandas as pd

from impactkit.io._rowcheck import RowCheck

__all__ = ["EVENT_ALIASES", "EVENT_CHECKS", "EVENT_TYPES", "event_label", "fill_event_counts"]

# id: (English name, Dutch name, Dutch and English spellings found in exports); the labels shown in
# figures and reports come from the figures catalogue (``event.<id>``, plural as in "nuisance reports")
EVENT_TYPES: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "nuisance_report": (
        "nuisance report",
        "overlastmelding",
        ("overlastmelding", "melding overlast", "overlast", "nuisance", "nuisance reports"),
    ),
    "police_report": (
        "police report",
        "politiemelding",
        ("politiemelding", "melding politie", "politie", "police", "police reports", "incident politie"),
    ),
    "safety_report": (
        "report to Veilig Thuis",
        "melding Veilig Thuis",
        ("melding veilig thuis", "veilig thuis", "vt melding", "child protection report"),
    ),
    "school_absence_day": (
        "school absence day",
        "verzuimdag school",
        ("schoolverzuim", "verzuim", "verzuimdagen", "verzuimdag", "school absence", "absence days"),
    ),
    "crisis_contact": (
        "crisis contact",
        "crisiscontact",
        ("crisiscontact", "crisis", "crisismelding", "crisisdienst", "crisis contacts"),
    ),
    "supervision_order_start": (
        "supervision order started",
        "ondertoezichtstelling gestart",
        ("ots gestart", "start ots", "ots start", "ondertoezichtstelling", "ots"),
    ),
    "supervision_order_end": (
        "supervision order ended",
        "ondertoezichtstelling beëindigd",
        ("ots beeindigd", "einde ots", "ots einde", "ots end"),
    ),
    "placement_start": (
        "out-of-home placement started",
        "uithuisplaatsing gestart",
        ("uithuisplaatsing", "start uithuisplaatsing", "uhp", "uhp start", "placement"),
    ),
    "placement_end": (
        "out-of-home placement ended",
        "uithuisplaatsing beëindigd",
        ("einde uithuisplaatsing", "terugplaatsing", "uhp einde", "placement ended"),
    ),
    "eviction": ("eviction", "huisuitzetting", ("huisuitzetting", "uitzetting", "ontruiming")),
}
EVENT_ALIASES: dict[str, tuple[str, ...]] = {k: v[2] for k, v in EVENT_TYPES.items()}


def event_label(event_type: str, lang: str = "en") -> str:
    """The label of a known event type in ``lang`` (figures catalogue ``event.<id>``); others as written."""
    from impactkit.i18n import text
    from impactkit.i18n._catalog import has

    key = f"event.{event_type}"
    return text("figures", key, lang) if has("figures", key) else event_type


def _dated(f: pd.DataFrame) -> pd.Series:
    return f["date"].notna() | (f["period_start"].notna() & f["period_end"].notna())


def _not_both(f: pd.DataFrame) -> pd.Series:
    return ~(f["date"].notna() & (f["period_start"].notna() | f["period_end"].notna()))


def _period_order(f: pd.DataFrame) -> pd.Series:
    return ~(f["period_end"] < f["period_start"])


def _period_count(f: pd.DataFrame) -> pd.Series:
    return ~(f["date"].isna() & f["period_start"].notna() & f["count"].isna())


_WHEN = {"en": "date, or period_start and period_end", "nl": "datum, of periode_van en periode_tot"}
EVENT_CHECKS: tuple[RowCheck, ...] = (
    RowCheck(
        "event_dated",
        _dated,
        "missing_date",
        "date",
        ("date", "period_start", "period_end"),
        _WHEN,
        required=True,
    ),
    RowCheck("event_date_or_period", _not_both, "date_and_period", "date", ("date",)),
    RowCheck("event_period_order", _period_order, "period_order", "period_end", ("period_end",)),
    RowCheck(
        "event_period_count",
        _period_count,
        "missing_value",
        "count",
        ("period_start",),
        {"en": "the number of events in the period", "nl": "het aantal in de periode"},
    ),
)


def fill_event_counts(frame: pd.DataFrame) -> pd.DataFrame:
    """A blank count on a dated row is one event (the other columns are not copied: copy-on-write)."""
    return frame.assign(count=frame["count"].fillna(1).astype("int64"))
