"""The events table: read with Dutch or English headers, validated, every problem reported once."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import impactkit as ik
from impactkit.io._events import EVENT_TYPES, event_label

CSV = """Gezinsnummer;Soort melding;Datum;Periode van;Periode tot;Aantal
G-1;Overlastmelding;05-01-2023;;;
G-1;politie;2023-02-05;;;2
G-2;Schoolverzuim;;01-01-2023;31-03-2023;4
G-3;iets anders;2023-13-01;;;
G-4;overlast;;2023-03-01;2023-02-01;
G-5;crisis;2023-01-01;2023-01-01;;1
;overlast;2023-02-02;;;-1
G-6;OTS gestart;2027-01-01;;;
"""


def test_dutch_export_every_problem_once(tmp_path: Path) -> None:
    path = tmp_path / "events.csv"
    path.write_text(CSV, encoding="utf-8")
    with pytest.raises(ik.ValidationError) as err:
        ik.read_table(path, "events", lang="nl", today="2026-11-01")
    p = err.value.problems
    got = sorted(zip(p["row"], p["column"], p["code"], strict=True))
    assert got == [
        (5, "Datum", "impossible_date"),  # 2023-13-01: reported once, no follow-on "date missing"
        (6, "Aantal", "missing_value"),  # a period row needs its count
        (6, "Periode tot", "period_order"),
        (7, "Datum", "date_and_period"),
        (8, "Aantal", "out_of_range"),
        (8, "Gezinsnummer", "missing_id"),
        (9, "Datum", "future_date"),
    ]
    assert p.loc[p["code"] == "period_order", "message"].item().startswith("de periode eindigt")
    assert str(path) in set(p["file"])


def test_read_known_types_and_default_count() -> None:
    frame = pd.DataFrame(
        {
            "gezin": ["a", "a", "b"],
            "gebeurtenis": ["Overlastmelding", "Uithuisplaatsing", "Burenruzie"],
            "datum": ["2023-01-05", "2023-02-01", "2023-03-01"],
        }
    )
    ev = ik.read_table(frame, "events")
    assert ev["event_type"].tolist() == ["nuisance_report", "placement_start", "Burenruzie"]
    assert ev["count"].tolist() == [1, 1, 1]  # a dated row without a count is one event
    assert ev["period_start"].isna().all()


def test_no_date_columns_is_one_problem() -> None:
    frame = pd.DataFrame({"family_id": ["a", "b"], "event_type": ["nuisance_report"] * 2})
    with pytest.raises(ik.ValidationError) as err:
        ik.read_table(frame, "events")
    p = err.value.problems
    assert p["code"].tolist() == ["missing_column"]
    assert p["row"].tolist() == [1]


def test_labels_both_languages() -> None:
    for key in EVENT_TYPES:  # every known type has a label in the figures catalogue, per language
        assert event_label(key, "en") != key
        assert event_label(key, "nl") != event_label(key, "en")
    assert event_label("nuisance_report", "nl") == "overlastmeldingen"
    assert event_label("Burenruzie", "nl") == "Burenruzie"


def test_dataset_reads_events_and_checks_families(tmp_path: Path, sample_dir: Path) -> None:
    for f in sample_dir.glob("*.csv"):
        (tmp_path / f.name).write_bytes(f.read_bytes())
    (tmp_path / "events.csv").write_text(
        "family_id,event_type,date\nF00001,nuisance_report,2022-06-01\nX999,police_report,2022-06-02\n"
    )
    report = ik.validate(tmp_path, today="2026-11-01")
    bad = report.problems[report.problems["code"] == "unknown_family"]
    assert bad["value"].tolist() == ["X999"]
    assert bad["row"].tolist() == [3]
    (tmp_path / "events.csv").write_text("family_id,event_type,date\nF00001,nuisance_report,2022-06-01\n")
    ds = ik.read_dataset(tmp_path, today="2026-11-01")
    assert ds.events is not None
    assert ds.events["event_type"].tolist() == ["nuisance_report"]
