"""Before / during / after windows and the allocation of events and care to them.

Every expected number is a hand calculation written out next to the assertion.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import impactkit as ik
from impactkit.outcomes import phase_counts, phase_rates, phase_windows
from impactkit.outcomes._phases import _largest_remainder, allocate

FAM = pd.DataFrame(
    {
        "family_id": ["a", "b", "c"],
        "start_date": pd.to_datetime(["2023-03-01", "2024-01-10", "2022-05-01"]),
        "end_date": pd.to_datetime(["2023-12-31", pd.NaT, "2022-10-31"]),
    }
)


def _win(**kw: object) -> pd.DataFrame:
    return phase_windows(FAM, observed_from="2022-09-01", observed_until="2024-06-30", **kw)  # type: ignore[arg-type]


def test_windows_by_hand() -> None:
    w = _win().set_index(["family_id", "phase"])
    # a: before 2022-03-01..2023-02-28, cut at the export's first day 2022-09-01: Sep..Feb = 30+31+30+31+31+28
    assert w.loc[("a", "before"), "days"] == 181
    assert not w.loc[("a", "before"), "full"]
    assert w.loc[("a", "during"), "days"] == 306  # 2023-03-01..2023-12-31
    # after: 2024-01-01..2024-12-31, cut at 2024-06-30: 31+29+31+30+31+30 (2024 is a leap year)
    assert w.loc[("a", "after"), "days"] == 182
    # b is still in support: no after-period; during runs to the end of the observed period
    assert w.loc[("b", "during"), "days"] == 22 + 29 + 31 + 30 + 31 + 30
    assert ("b", "after") not in w.index
    assert w.loc[("b", "before"), "days"] == 365
    assert w.loc[("b", "before"), "full"]
    # c started before the export: no pre-period, during cut to 2022-09-01..2022-10-31
    assert ("c", "before") not in w.index
    assert w.loc[("c", "during"), "days"] == 61
    assert w.loc[("c", "after"), "days"] == 365  # 2022-11-01..2023-10-31
    assert w.loc[("a", "during"), "years"] == pytest.approx(306 / 365.25)


def test_post_months_none_runs_to_the_end_and_pre_months_length() -> None:
    w = _win(post_months=None, pre_months=6).set_index(["family_id", "phase"])
    assert w.loc[("c", "after"), "days"] == (pd.Timestamp("2024-06-30") - pd.Timestamp("2022-11-01")).days + 1
    assert (
        w.loc[("b", "before"), "days"] == (pd.Timestamp("2024-01-09") - pd.Timestamp("2023-07-10")).days + 1
    )


@pytest.mark.parametrize(("name", "value"), [("pre_months", -1), ("pre_months", 1.5), ("post_months", "12")])
def test_bad_months(name: str, value: object) -> None:
    with pytest.raises(ik.ParameterError, match=f"The '{name}' parameter of phase_windows"):
        phase_windows(FAM, **{name: value})  # type: ignore[arg-type]


def test_bad_date() -> None:
    with pytest.raises(ik.ParameterError, match="'observed_from' parameter of phase_windows must be a date"):
        phase_windows(FAM, observed_from="last spring")


def test_allocation_by_hand() -> None:
    w = _win()
    ids = pd.Series(["a", "a", "a", "a", "b"])
    lo = pd.to_datetime(pd.Series(["2023-02-15", "2023-03-01", "2021-01-01", "2023-02-27", "2024-07-01"]))
    hi = pd.to_datetime(pd.Series(["2023-02-15", "2023-03-01", "2021-01-01", "2023-03-06", "2024-07-01"]))
    split, outside = allocate(w, ids, np.array([1.0, 2.0, 1.0, 10.0, 1.0]), lo, hi, integer=True)
    # one dated event before the start, two on the first day of support, one long before the window
    assert split[0].tolist() == [1, 0, 0]
    assert split[1].tolist() == [0, 2, 0]
    assert split[2].sum() == 0
    assert outside[2] == 1
    # 10 absence days over 2023-02-27..03-06: 2 days before (27, 28 Feb), 6 during -> 10·2/8 = 2.5, 7.5;
    # largest remainder: floors 2 and 7, the one left goes to the first of the tied halves (before)
    assert split[3].tolist() == [3, 7, 0]
    assert outside[3] == 0
    # b's event after the observed period is outside every window
    assert outside[4] == 1
    frac, _ = allocate(w, ids[3:4], np.array([10.0]), lo[3:4], hi[3:4], integer=False)
    assert frac[0].tolist() == [2.5, 7.5, 0.0]


@settings(max_examples=60, deadline=None)
@given(
    amounts=st.lists(st.integers(0, 50), min_size=1, max_size=6),
    weights=st.lists(st.lists(st.integers(0, 400), min_size=4, max_size=4), min_size=6, max_size=6),
)
def test_largest_remainder_keeps_whole_totals(amounts: list[int], weights: list[list[int]]) -> None:
    w = np.array(weights[: len(amounts)], dtype=float)
    w[:, -1] += w.sum(axis=1) == 0  # a record always has at least one day
    out = _largest_remainder(np.array(amounts, dtype=float), w)
    assert np.all(out == np.round(out))
    assert np.all(out >= 0)
    assert out.sum(axis=1).tolist() == [float(a) for a in amounts]
    # never more than one unit away from the proportional share
    exact = np.array(amounts, dtype=float)[:, None] * w / w.sum(axis=1, keepdims=True)
    assert np.all(np.abs(out - exact) < 1 + 1e-9)


EVENTS = pd.DataFrame(
    {
        "family_id": ["a", "a", "a", "b", "c"],
        "event_type": ["nuisance_report"] * 3 + ["police_report", "nuisance_report"],
        "date": pd.to_datetime(["2022-12-01", "2023-05-01", "2024-02-01", "2023-06-01", "2023-01-15"]),
        "period_start": pd.NaT,
        "period_end": pd.NaT,
        "count": [2, 1, 1, 1, 1],
    }
)
CARE = pd.DataFrame(
    {
        "family_id": ["a", "b", "c"],
        "care_type": ["social_work", "home_guidance", "social_work"],
        "units": [8.0, 10.0, 3.0],
        "start": pd.to_datetime(["2023-01-30", "2024-02-01", pd.NaT]),
        "end": pd.to_datetime(["2023-04-29", "2024-02-10", pd.NaT]),
    }
)


def test_phase_counts_by_hand() -> None:
    counts = phase_counts(
        FAM, events=EVENTS, care_used=CARE, observed_from="2022-09-01", observed_until="2024-06-30",
        event_types=["crisis_contact"],
    )  # fmt: skip
    c = counts.set_index(["source", "outcome", "family_id", "phase"])["count"]
    assert c[("events", "nuisance_report", "a", "before")] == 2
    assert c[("events", "nuisance_report", "a", "during")] == 1
    assert c[("events", "nuisance_report", "a", "after")] == 1
    assert c[("events", "nuisance_report", "c", "after")] == 1  # c's after-period started 2022-11-01
    assert c[("events", "nuisance_report", "b", "before")] == 0  # a register: no row is a zero
    assert c[("events", "crisis_contact", "a", "before")] == 0  # declared type without any event
    # a's 8 social-work contacts over 2023-01-30..04-29 (90 days): 30 before, 60 during -> 2.67 / 5.33 -> 3 / 5
    assert c[("care_used", "social_work", "a", "before")] == 3
    assert c[("care_used", "social_work", "a", "during")] == 5
    # priced at the default scenario: €127 (2022) × 1.073 = €136.271 a contact; 8 contacts in all
    cost = counts.set_index(["source", "outcome", "family_id", "phase"])["cost"]
    assert cost[("care_used", "social_work", "a", "before")] == pytest.approx(3 * 127 * 1.073)
    assert cost[("care_cost", "all_care", "a", "during")] == pytest.approx(5 * 127 * 1.073)
    # b's 10 hours of home guidance (€64 × 1.073) during support
    assert cost[("care_cost", "all_care", "b", "during")] == pytest.approx(10 * 64 * 1.073)
    ex = counts.exclusions.set_index(["source", "reason"])
    assert ex.loc[("care_used", "no start date"), "rows"] == 1  # c's undated episode, counted
    assert counts.windows["nuisance_report"]["family_id"].nunique() == 3


def test_rates_by_hand() -> None:
    counts = phase_counts(FAM, events=EVENTS, observed_from="2022-09-01", observed_until="2024-06-30")
    r = phase_rates(counts).set_index(["outcome", "phase"])
    # before: a (181 days, 2 events) and b (365 days, 0): 2 / (546 / 365.25)
    assert r.loc[("nuisance_report", "before"), "rate"] == pytest.approx(2 / (546 / 365.25))
    assert r.loc[("nuisance_report", "before"), "families_with_any"] == 1
    assert r.loc[("nuisance_report", "before"), "share_with_any"] == pytest.approx(0.5)
    sup = phase_rates(counts, min_n=3)
    assert sup.loc[sup["phase"] == "before", "rate"].isna().all()
    assert sup.loc[sup["phase"] == "during", "n_families"].notna().all()  # 3 families during


def test_needs_a_table() -> None:
    with pytest.raises(ik.ParameterError, match="events or a care_used table"):
        phase_counts(FAM)


@pytest.mark.parametrize("func", [phase_rates, ik.outcomes.rate_ratios], ids=lambda f: f.__name__)
def test_contract_counts_parameter(func) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ik.ParameterError, match="'counts' parameter of"):
        func([1, 2])
    with pytest.raises(ik.ParameterError, match=r"missing columns \['phase'"):
        func(pd.DataFrame({"family_id": ["a"], "count": [1]}))
    counts = phase_counts(FAM, events=EVENTS, observed_from="2022-09-01", observed_until="2024-06-30")
    before = counts.to_frame()
    res = func(counts)
    pd.testing.assert_frame_equal(counts.to_frame(), before)  # input never modified
    assert res.notes
    assert "<table" in res._repr_html_()
    assert all(c == c.lower() and " " not in c for c in res.columns)
