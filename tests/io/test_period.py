"""Reporting periods (ik.Period, Dataset.in_period): which families and measurements count.

Six families, hand-placed around 2024 (every expected count below is read off this table):

======  ==========  ==========  ===================================================
family  start       end         measurements
======  ==========  ==========  ===================================================
F1      2023-03-01  2024-02-10  intake 2023-03-01, year1 2024-02-01
F2      2023-11-01  2025-06-30  intake 2023-11-01, year1 2024-11-05, year2 2025-06-20
F3      2024-05-01  (none)      intake 2024-05-01, year1 2025-05-10
F4      2022-01-10  2023-12-20  intake 2022-01-10, year1 2023-01-15, year2 2023-12-01
F5      2025-02-01  (none)      intake 2025-02-01
F6      2024-12-20  2025-01-15  intake 2025-01-10
======  ==========  ==========  ===================================================

Programme costs: 1,000 in 2023 and 3,660 in 2024 (one municipality).  Days in support, by hand
(the export's last date is 2025-06-30, the end of an open support in the denominators):
2024 (366 days): F1 Jan 1-Feb 10 = 41, F2 366, F3 May 1-Dec 31 = 245, F6 Dec 20-31 = 12: 664.
2023: F1 Mar 1-Dec 31 = 306, F2 Nov 1-Dec 31 = 61, F4 Jan 1-Dec 20 = 354: 721.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest

import impactkit as ik
from impactkit.errors import DesignError, ParameterError

DOMAINS = ik.builtin("default").domain_ids
FAMILIES = [
    ("F1", "2023-03-01", "2024-02-10", "completed"),
    ("F2", "2023-11-01", "2025-06-30", "completed"),
    ("F3", "2024-05-01", "", ""),
    ("F4", "2022-01-10", "2023-12-20", "completed"),
    ("F5", "2025-02-01", "", ""),
    ("F6", "2024-12-20", "2025-01-15", "dropped_out"),
]
MEASURED = [
    ("F1", "intake", "2023-03-01"), ("F1", "year1", "2024-02-01"),
    ("F2", "intake", "2023-11-01"), ("F2", "year1", "2024-11-05"), ("F2", "year2", "2025-06-20"),
    ("F3", "intake", "2024-05-01"), ("F3", "year1", "2025-05-10"),
    ("F4", "intake", "2022-01-10"), ("F4", "year1", "2023-01-15"), ("F4", "year2", "2023-12-01"),
    ("F5", "intake", "2025-02-01"),
    ("F6", "intake", "2025-01-10"),
]  # fmt: skip


@pytest.fixture(scope="module")
def export(tmp_path_factory: pytest.TempPathFactory) -> ik.Dataset:
    root: Path = tmp_path_factory.mktemp("period")
    fam = pd.DataFrame(FAMILIES, columns=["family_id", "start_date", "end_date", "end_reason"])
    fam["programme"], fam["municipality"], fam["n_children"] = "Home-Start", "Ede", 1
    fam.to_csv(root / "families.csv", index=False)
    rows = [
        {"family_id": f, "wave": w, "assessed_on": d, **dict.fromkeys(DOMAINS, 3)} for f, w, d in MEASURED
    ]
    pd.DataFrame(rows).to_csv(root / "assessments.csv", index=False)
    pd.DataFrame(
        {
            "year": [2023, 2024],
            "municipality": ["Ede", "Ede"],
            "item": ["coordinator"] * 2,
            "amount": [1000.0, 3660.0],
        }
    ).to_csv(root / "programme_costs.csv", index=False)
    return ik.read_dataset(root, today="2026-01-01")


def _excluded(sel: ik.io.PeriodSelection, table: str, reason: str) -> tuple[int, int]:
    ex = sel.exclusions
    hit = ex[(ex["table"] == table) & (ex["reason"] == reason)]
    return int(hit["rows"].sum()), int(hit["families"].sum())


def test_period_parsing() -> None:
    assert ik.Period.of(2025).start == dt.date(2025, 1, 1)
    assert ik.Period.of("2025").end == dt.date(2025, 12, 31)
    h2 = ik.Period.of("2024-H2")
    assert (h2.start, h2.end, h2.label) == (dt.date(2024, 7, 1), dt.date(2024, 12, 31), "2024-H2")
    q1 = ik.Period.of("2024-Q1")
    assert q1.end == dt.date(2024, 3, 31)
    school = ik.Period.of("2024-08-01/2025-07-31", families="intake")
    assert (school.start, school.end, school.families, school.waves) == (
        dt.date(2024, 8, 1), dt.date(2025, 7, 31), "intake", "until_end",
    )  # fmt: skip
    assert ik.Period.of({"year": 2024, "waves": "all"}).waves == "all"
    for bad in ("2024-13", "twenty", {"year": 2024, "end": "2024-05-01"}, ("2025-01-01", "2024-01-01")):
        with pytest.raises(ParameterError):
            ik.Period.of(bad)
    with pytest.raises(ParameterError, match="'families' parameter of Period must be one of"):
        ik.Period.of(2024, families="enrolled")


def test_active_until_end(export: ik.Dataset) -> None:
    ds = export.in_period(2024)
    sel = ds.period
    # F4 ended in 2023, F5 started in 2025, F6 is active but measured only after the period
    assert sorted(ds.families["family_id"]) == ["F1", "F2", "F3"]
    assert (sel.families_before, sel.families_after) == (6, 3)
    assert _excluded(sel, "families", "ended_before") == (1, 1)
    assert _excluded(sel, "families", "started_after") == (1, 1)
    assert _excluded(sel, "families", "no_measurement_left") == (1, 1)
    # measurements after 2024 are left out, earlier ones kept (the baseline of F1 and F2)
    kept = ds.assessments.drop_duplicates(["family_id", "wave"])[["family_id", "wave"]].astype(str)
    assert sorted(map(tuple, kept.to_numpy())) == [
        ("F1", "intake"), ("F1", "year1"), ("F2", "intake"), ("F2", "year1"), ("F3", "intake"),
    ]  # fmt: skip
    ex = sel.exclusions
    after = ex[(ex["table"] == "assessments") & (ex["reason"] == "measured_after")].set_index("detail")
    # per wave: F6 intake and F2 year2 and F3 year1; rows = families x 9 domains
    assert after.loc["intake", "families"] == 1
    assert after.loc["intake", "rows"] == 9
    assert after.loc["year1", "families"] == 1
    assert after.loc["year2", "families"] == 1
    # F2 ends after the period: at its end F2 was still in support
    f2 = ds.families.set_index("family_id").loc["F2"]
    assert pd.isna(f2["end_date"])
    assert pd.isna(f2["end_reason"])
    assert _excluded(sel, "families", "ended_after") == (1, 1)
    assert sel.still_in_support == 2  # F2 and F3
    assert ds.config.outcomes["observed_until"] == "2024-12-31"
    assert "2024 (2024-01-01 to 2024-12-31)" in sel.describe("en")
    assert "3 of 6 families" in sel.describe("en")


def test_programme_costs_by_support_days(export: ik.Dataset) -> None:
    ds = export.in_period(2024)
    alloc = ds.period.allocation.set_index("year")
    assert alloc.loc[2024, "share"] == pytest.approx((41 + 366 + 245) / 664)
    assert alloc.loc[2023, "share"] == pytest.approx((306 + 61) / 721)
    costs = ds.programme_costs.set_index("year")["amount"]
    assert costs[2024] == pytest.approx(3660 * 652 / 664)
    assert costs[2023] == pytest.approx(1000 * 367 / 721)
    ex = ds.period.exclusions
    other = ex[(ex["table"] == "programme_costs") & (ex["reason"] == "other_families")]
    assert other["amount"].sum() == pytest.approx(3660 * 12 / 664 + 1000 * 354 / 721)
    # the intake cohort of 2024 (F3; F6 has no measurement by the end of 2024) carries F3's days
    cohort = export.in_period(2024, families="intake")
    assert sorted(cohort.families["family_id"]) == ["F3"]
    assert cohort.programme_costs.set_index("year")["amount"][2024] == pytest.approx(3660 * 245 / 664)
    assert 2023 not in set(cohort.programme_costs["year"])


def test_other_rules(export: ik.Dataset) -> None:
    intake = export.in_period(2024, families="intake").period
    assert _excluded(intake, "families", "intake_before") == (3, 3)  # F1, F2, F4
    assert _excluded(intake, "families", "intake_after") == (1, 1)  # F5
    measured = export.in_period(2024, families="measured")
    assert sorted(measured.families["family_id"]) == ["F1", "F2", "F3"]
    assert _excluded(measured.period, "families", "not_measured") == (3, 3)  # F4, F5, F6
    inside = export.in_period(2024, waves="in_period")
    waves = inside.assessments.drop_duplicates(["family_id", "wave"])[["family_id", "wave"]].astype(str)
    assert sorted(map(tuple, waves.to_numpy())) == [("F1", "year1"), ("F2", "year1"), ("F3", "intake")]
    assert _excluded(inside.period, "assessments", "measured_before")[1] == 2  # F1 and F2 intakes
    everything = export.in_period(2024, waves="all")
    assert sorted(everything.families["family_id"]) == ["F1", "F2", "F3", "F6"]
    assert len(everything.assessments) == 9 * 8  # all measurements of F1, F2, F3 and F6
    assert everything.families.set_index("family_id").loc["F2", "end_reason"] == "completed"


def test_nothing_left_and_twice(export: ik.Dataset) -> None:
    with pytest.raises(DesignError, match="No family counts in the period 2019"):
        export.in_period(2019)
    with pytest.raises(ParameterError, match="already cut to a period"):
        export.in_period(2024).in_period(2024)
