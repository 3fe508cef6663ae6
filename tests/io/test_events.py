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


MAPPING = """
[events]
file = "Meldingen 2024.xlsx"
columns = { event_type = "Soort", date = "Datum melding" }

[event_types]
nuisance_report = ["Overlast buren", "Geluidsoverlast"]

[outcomes]
pre_months = 6
post_months = "open"
observed_from = { events = 2021-06-01 }
observed_until = 2025-06-30
"""


def test_events_through_the_mapping_file(tmp_path: Path, sample_dir: Path) -> None:
    """A Dutch workbook named in impactkit.toml, its own event names, and the declared windows."""
    for f in sample_dir.glob("*.csv"):
        (tmp_path / f.name).write_bytes(f.read_bytes())
    pd.DataFrame(
        {"Gezinsnummer": ["F00001", "F00002"], "Soort": ["Geluidsoverlast", "Politiemelding"],
         "Datum melding": ["2021-12-01", "2022-03-01"]}
    ).to_excel(tmp_path / "Meldingen 2024.xlsx", index=False)  # fmt: skip
    (tmp_path / "impactkit.toml").write_text(MAPPING, encoding="utf-8")
    ds = ik.read_dataset(tmp_path, today="2026-11-01")
    assert ds.events is not None
    assert ds.events["event_type"].tolist() == ["nuisance_report", "police_report"]
    assert ds.config is not None
    assert ds.config.outcomes == {
        "pre_months": 6, "post_months": "open", "observed_from": {"events": "2021-06-01"},
        "observed_until": "2025-06-30",
    }  # fmt: skip
    counts = ik.outcomes.phase_counts(ds)
    w = counts.windows["nuisance_report"].set_index(["family_id", "phase"])
    # F00001 started 2022-01-11: 6 months before is 2021-07-11 .. 2022-01-10 (184 days)
    assert w.loc[("F00001", "before"), "days"] == 184
    assert counts.meta["pre_months"] == 6
    got = counts.set_index(["outcome", "family_id", "phase"])["count"]
    assert got[("nuisance_report", "F00001", "before")] == 1


@pytest.mark.parametrize(
    ("text", "key", "match"),
    [
        ("[outcomes]\npre_month = 12\n", "outcomes.pre_month", "unknown key"),
        ("[outcomes]\npost_months = 'forever'\n", "outcomes.post_months", '"open"'),
        ("[outcomes]\nobserved_from = 'last year'\n", "outcomes.observed_from", "expected a date"),
        (
            "[outcomes]\nobserved_until = { events = 5 }\n",
            "outcomes.observed_until.events",
            "expected a date",
        ),
    ],
)
def test_a_mistake_in_outcomes_names_the_key(
    tmp_path: Path, sample_dir: Path, text: str, key: str, match: str
) -> None:
    for f in sample_dir.glob("*.csv"):
        (tmp_path / f.name).write_bytes(f.read_bytes())
    (tmp_path / "impactkit.toml").write_text(text, encoding="utf-8")
    with pytest.raises(ik.ConfigError, match=match) as err:
        ik.validate(tmp_path, today="2026-11-01")
    assert err.value.key == key


def test_event_type_is_categorical_with_the_same_values() -> None:
    """event_type is a categorical (a code per row, not a string): spellings recoded to ids, an
    unknown type kept as written, a missing one missing (hand-checked values; same as the string column
    it replaces)."""
    frame = pd.DataFrame(
        {
            "family_id": ["F1", "F2", "F3", "F4", "F5"],
            "event_type": ["overlastmelding", "nuisance_report", "Zelf bedacht", "politie", None],
            "date": ["2024-01-02"] * 5,
        }
    )
    stage, problems, _ = ik.io._tables.stage_table(frame, "events", today="2026-11-01")
    col = stage["event_type"]
    assert isinstance(col.dtype, pd.CategoricalDtype)
    assert col.cat.categories.tolist() == ["Zelf bedacht", "nuisance_report", "police_report"]
    assert col.astype(object).tolist()[:4] == [
        "nuisance_report",
        "nuisance_report",
        "Zelf bedacht",
        "police_report",
    ]
    assert col.isna().tolist() == [False, False, False, False, True]
    assert not len(problems)
