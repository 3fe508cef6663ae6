"""Validation reports every problem at once, with file, row (header = row 1), column, value and message."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import impactkit as ik

TODAY = "2026-11-01"
MESSY = (
    "Gezin;Meetmoment;Datum;Financiën;Wonen;Sociaal netwerk;Psychisch welbevinden;Lichamelijke gezondheid;"
    "Opvoeding en gezinsklimaat;Ontwikkeling en school van de kinderen;Werk, dagbesteding en participatie;"
    "Taal, administratie en instanties;Naam\r\n"
    "G1;Intake;01-02-2023;2;3;n.v.t.;2;4;3;3;2;2;Jan\r\n"
    "G1;Jaar 1;31-02-2024;3;3;2;4,5;4;3;3;2;7;\r\n"
    ";Jaar 2;01-02-2030;3;3;2;4;4;3;3;2;2;\r\n"
    "G2;T0;2023-05-01;3;3;;4;4;3;3;2;2;\r\n"
    "G2;T0;2023-05-01;3;3;2;4;4;3;3;2;2;\r\n"
    "G2;Jaar 3;2024-05-01;3;3;2;4;4;3;3;2;2;\r\n"
    "G3;Intake;2023-05-01;1;1;1;1;1;1;1;1;1;\r\n"
    "G3;Jaar 1;2022-05-01;1;1;1;1;1;1;1;1;1;\r\n"
)


@pytest.fixture
def messy(tmp_path):
    path = tmp_path / "export.csv"
    path.write_bytes(b"\xef\xbb\xbf" + MESSY.encode("utf-8"))
    return path


def test_messy_export_reports_every_problem_at_once(messy):
    report = ik.validate(messy, today=TODAY)
    assert not report.valid
    got = set(map(tuple, report.problems[["row", "column", "value", "code"]].to_numpy().tolist()))
    assert got == {
        (1, "Naam", "Naam", "personal_data"),
        (2, "Sociaal netwerk", "n.v.t.", "not_a_number"),
        (3, "Datum", "31-02-2024", "impossible_date"),
        (3, "Psychisch welbevinden", "4,5", "not_integer"),
        (3, "Taal, administratie en instanties", "7", "out_of_range"),
        (4, "Datum", "01-02-2030", "future_date"),
        (4, "Gezin", "", "missing_id"),
        (6, "Gezin", "G2 / intake", "duplicate"),
        (7, "Meetmoment", "Jaar 3", "unknown_wave"),
        (9, "Datum", "2022-05-01", "wave_order"),
    }
    assert (report.problems["file"] == str(messy)).all()
    # the missing score in row 5 is allowed and counted, not a problem
    assert report.missing_scores >= 1


def test_messages_in_dutch_and_english(messy):
    nl = ik.validate(messy, today=TODAY, lang="nl").problems.set_index("code")["message"]
    en = ik.validate(messy, today=TODAY, lang="en").problems.set_index("code")["message"]
    assert nl["out_of_range"] == "buiten het toegestane bereik; verwacht een geheel getal van 1 tot en met 5"
    assert en["out_of_range"] == "outside the allowed range; expected an integer from 1 to 5"
    assert en["duplicate"] == "duplicate family_id × wave: same as row 5"
    assert nl["personal_data"].startswith(
        "kolom lijkt persoonsgegevens te bevatten (naam)"
    )  # the kind in Dutch
    assert "vóór Intake" in nl["wave_order"]
    assert "(2023-05-01, rij 8)" in nl["wave_order"]


def test_wave_order_per_family_whatever_the_order_of_ids(tmp_path):
    """By hand: F9's year 1 (row 2) is dated before its intake (row 4), F10's year 1 (row 5)
    before its intake (row 3), F2 is in order; F10's intake again in row 8 (a duplicate) with
    another date.  Families are grouped by code, not text: "F10" < "F2" < "F9" as text, first
    seen F9, F10, F2."""
    path = tmp_path / "assessments.csv"
    path.write_text(
        "family_id,wave,assessed_on,finances\n"
        "F9,year1,2023-01-01,3\n"
        "F10,intake,2023-06-01,3\n"
        "F9,intake,2023-05-01,3\n"
        "F10,year1,2023-01-01,3\n"
        "F2,intake,2022-01-01,3\n"
        "F2,year1,2023-01-01,3\n"
        "F10,intake,2023-06-02,3\n"
    )
    p = ik.validate(path, today=TODAY).problems
    assert p[["row", "value", "code"]].to_numpy().tolist() == [
        [2, "2023-01-01", "wave_order"],
        [5, "2023-01-01", "wave_order"],
        [8, "2023-06-02", "inconsistent_date"],
        [8, "F10 / intake", "duplicate"],
    ]
    messages = p["message"].tolist()
    assert "(2023-05-01, row 4)" in messages[0]
    assert "(2023-06-01, row 3)" in messages[1]
    assert "row 3" in messages[2]
    assert "2023-06-01" in messages[2]


def test_read_raises_validation_error_with_the_same_problems(messy):
    with pytest.raises(ik.ValidationError) as info:
        ik.read_assessments(messy, today=TODAY)
    assert len(info.value.problems) == 10
    assert isinstance(info.value, ValueError)
    assert "row 3, column 'Datum'" in str(info.value)


def test_one_bad_cell_does_not_hide_others_in_its_column(sample_wide):
    df = sample_wide.head(10).copy()
    df.loc[1, "housing"] = "n.v.t."
    df.loc[3, "housing"] = "9"
    df.loc[5, "housing"] = "2.5"
    p = ik.validate(df, today=TODAY).problems
    assert p[["row", "column", "code"]].to_dict("records") == [
        {"row": 3, "column": "housing", "code": "not_a_number"},
        {"row": 5, "column": "housing", "code": "out_of_range"},
        {"row": 7, "column": "housing", "code": "not_integer"},
    ]


def test_long_layout_problems(sample_wide):
    long = pd.DataFrame(
        {
            "family_id": ["A", "A", "A", "A"],
            "wave": ["intake"] * 4,
            "assessed_on": ["2024-01-01"] * 3 + ["2024-01-02"],
            "domain": ["finances", "housing", "wealth", "finances"],
            "score": ["1", "2", "3", "4"],
        }
    )
    p = ik.validate(long, today=TODAY).problems
    assert set(map(tuple, p[["row", "code"]].to_numpy().tolist())) == {
        (4, "unknown_domain"),
        (5, "duplicate"),
        (5, "inconsistent_date"),
    }


def test_unknown_and_personal_columns(sample_wide):
    df = sample_wide.head(3).assign(Opmerkingen="x", BSN="123456782", Geboortedatum="01-01-1990")
    nl = ik.validate(df, today=TODAY, lang="nl").problems.set_index("column")["message"]
    assert nl["Opmerkingen"].startswith(
        "onbekende kolom; verwacht family_id, wave, assessed_on en domeinkolommen"
    )
    p = ik.validate(df, today=TODAY).problems
    assert p[["row", "column", "code"]].to_dict("records") == [
        {"row": 1, "column": "BSN", "code": "personal_data"},
        {"row": 1, "column": "Geboortedatum", "code": "personal_data"},
        {"row": 1, "column": "Opmerkingen", "code": "unknown_column"},
    ]
    ok = ik.validate(df, today=TODAY, ignore_columns=["Opmerkingen"], allow_personal_data=True)
    assert ok.valid


def test_missing_required_columns(sample_wide):
    p = ik.validate(sample_wide.drop(columns=["wave"]), today=TODAY).problems
    assert p[["row", "column", "code"]].to_dict("records") == [
        {"row": 1, "column": "wave", "code": "missing_column"}
    ]


def test_families_table_cross_check(sample_wide, tmp_path):
    fam = pd.read_csv("data/sample/families.csv", dtype=str, keep_default_na=False)
    fam = fam[fam["family_id"] != "F00002"]
    fam.loc[fam.index[0], "end_reason"] = "gestopt"  # Dutch spelling of dropped_out: accepted
    fam.loc[fam.index[1], "end_reason"] = "vertrokken"
    fam.loc[fam.index[2], "n_children"] = "-1"
    path = tmp_path / "families.csv"
    fam.to_csv(path, index=False)
    p = ik.validate(sample_wide, families=path, today=TODAY).problems
    got = set(map(tuple, p[["file", "row", "column", "code"]].to_numpy().tolist()))
    assert got == {
        ("<DataFrame>", 5, "family_id", "unknown_family"),  # F00002's first row
        (str(path), 3, "end_reason", "unknown_choice"),
        (str(path), 4, "n_children", "out_of_range"),
    }


def test_missing_scores_are_counted_not_dropped(sample_wide):
    report = ik.validate(sample_wide, today=TODAY)
    assert report.valid
    assert report.missing_scores == int((sample_wide[ik.builtin().domain_ids] == "").to_numpy().sum()) == 133


# --- property: mutating one cell into each kind of bad value reports exactly that cell -------------------
BASE_ROWS = 30
KINDS = {
    "out_of_range": ("score", ["0", "6", "9", "-1", "12"]),
    "not_a_number": ("score", ["n.v.t.", "x", "vier", "?"]),
    "not_integer": ("score", ["4,5", "2.5", "1,25"]),
    "unknown_wave": ("wave", ["Jaar 5", "T9", "later"]),
    "missing_id": ("family_id", [""]),
    "impossible_date": ("assessed_on", ["31-02-2024", "2023-13-01", "30-02-2022"]),
    "bad_date": ("assessed_on", ["gisteren", "2024/01", "1 jan 2024"]),
    "future_date": ("assessed_on", ["01-01-2099", "2030-06-01"]),
    "missing_date": ("assessed_on", [""]),
}


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    kind=st.sampled_from(sorted(KINDS)),
    row=st.integers(0, BASE_ROWS - 1),
    domain=st.sampled_from(ik.builtin().domain_ids),
    pick=st.integers(0, 10),
)
def test_every_mutated_cell_is_reported_exactly(sample_wide, kind, row, domain, pick):
    df = sample_wide.head(BASE_ROWS).copy()
    target, values = KINDS[kind]
    column = domain if target == "score" else target
    value = values[pick % len(values)]
    df.loc[df.index[row], column] = value
    p = ik.validate(df, today=TODAY).problems
    assert p[["row", "column", "value", "code"]].to_dict("records") == [
        {"row": row + 2, "column": column, "value": value, "code": kind}
    ]
