"""The sample's events and care before / during / after: as the simulation in _sample_outcomes says."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import impactkit as ik
from impactkit._sample_outcomes import EVENT_MODEL, OBSERVED_FROM, OBSERVED_UNTIL

TODAY = "2026-11-01"


@pytest.fixture(scope="module")
def counts(sample_dir):  # type: ignore[no-untyped-def]
    return ik.outcomes.phase_counts(ik.read_dataset(sample_dir, today=TODAY))


def test_sample_declares_its_windows(sample_dir) -> None:  # type: ignore[no-untyped-def]
    ds = ik.read_dataset(sample_dir, today=TODAY)
    assert ds.config is not None
    assert ds.config.outcomes["observed_from"] == OBSERVED_FROM.date().isoformat()
    assert ds.config.outcomes["observed_until"] == OBSERVED_UNTIL.date().isoformat()
    assert ds.events is not None
    assert set(EVENT_MODEL) | {"school_absence_day"} == set(ds.events["event_type"])
    # school absence is recorded per term (a period with a count), the other events per day
    absence = ds.events["event_type"] == "school_absence_day"
    assert ds.events.loc[absence, "date"].isna().all()
    assert ds.events.loc[~absence, "period_start"].isna().all()


def test_every_family_has_all_three_windows_and_a_full_year_before(counts) -> None:  # type: ignore[no-untyped-def]
    win = counts.windows["nuisance_report"]
    assert win.groupby("phase", observed=True)["family_id"].nunique().to_dict() == {
        "before": 350, "during": 350, "after": 350,
    }  # fmt: skip
    before = win[win["phase"] == "before"]
    assert before["full"].all()  # the export starts a year before the first family
    assert before["days"].between(365, 366).all()


def test_rates_fall_after_the_start_as_simulated(counts) -> None:  # type: ignore[no-untyped-def]
    r = ik.outcomes.phase_rates(counts).set_index(["outcome", "phase"])["rate"]
    for kind in ("nuisance_report", "police_report", "crisis_contact"):
        assert r[(kind, "after")] < r[(kind, "during")] < r[(kind, "before")], kind
    # social work: a year before (often already known to social work) far above during support
    assert r[("social_work", "before")] > 2 * r[("social_work", "during")]


def test_school_absence_exposure_only_where_recorded(counts, sample_dir) -> None:  # type: ignore[no-untyped-def]
    fam = pd.read_csv(sample_dir / "families.csv")
    eligible = set(fam.loc[(fam["youngest_child_age"] <= 17) & (fam["oldest_child_age"] >= 5), "family_id"])
    absence = counts[counts["outcome"] == "school_absence_day"]
    assert set(absence["family_id"]) <= eligible
    assert absence["exposure_years"].gt(0).all()
    # at most the window, never more (terms cover only part of a year)
    nuis = counts[counts["outcome"] == "nuisance_report"].set_index(["family_id", "phase"])["exposure_years"]
    joined = absence.set_index(["family_id", "phase"])["exposure_years"]
    assert (joined <= nuis.reindex(joined.index) + 1e-12).all()


def test_care_cost_is_units_times_unit_cost(counts) -> None:  # type: ignore[no-untyped-def]
    care = counts[counts["source"] == "care_used"]
    price = counts.unit_costs.set_index("care_type")["unit_cost"]
    assert np.allclose(care["cost"], care["count"] * care["outcome"].map(price))
    total = counts[counts["source"] == "care_cost"].set_index(["family_id", "phase"])["count"]
    by_family = care.groupby(["family_id", "phase"], observed=True)["cost"].sum()
    assert np.allclose(total.reindex(by_family.index), by_family)
