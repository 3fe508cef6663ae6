"""The folder form (like data/sample) and the other tables of the data model."""

from __future__ import annotations

import shutil

import pandas as pd
import pytest

import impactkit as ik

TODAY = "2026-11-01"


def test_sample_folder_reads_as_one_dataset(sample_dir):
    ds = ik.read_dataset(sample_dir, today=TODAY)
    assert ds.n_families == 350
    assert ds.instrument.id == "default"
    assert len(ds.families) == 350
    assert set(ds.families["end_reason"].dropna()) <= {"completed", "dropped_out", "moved", "referred_on"}
    assert ds.counterfactuals["likelihood"].between(0, 1).all()
    assert set(ds.prices["unit"]) <= {"hour", "contact", "trajectory", "day", "year"}
    assert ds.programme_costs["amount"].ge(0).all()
    assert sorted(ds.files) == sorted(
        [
            "assessments",
            "families",
            "counterfactuals",
            "care_used",
            "events",
            "programme_costs",
            "prices",
            "config",
        ]
    )
    assert all(len(h) == 64 for h in ds.sha256().values())
    # missing scores per wave add up to the total
    assert ds.summary()["missing_scores"].sum() == ds.n_missing_scores == 133


def test_folder_problems_from_several_tables_arrive_together(sample_dir, tmp_path):
    folder = tmp_path / "export"
    shutil.copytree(sample_dir, folder)
    cf = pd.read_csv(folder / "counterfactuals.csv", dtype=str)
    cf.loc[0, "likelihood"] = "1.4"
    cf.loc[1, "likelihood"] = "40%"  # a percentage is accepted as 0.40
    cf.to_csv(folder / "counterfactuals.csv", index=False)
    prices = pd.read_csv(folder / "prices.csv", dtype=str)
    prices.loc[0, "price"] = "-5"
    prices.loc[1, "unit"] = "week"
    prices.to_csv(folder / "prices.csv", index=False)
    p = ik.validate(folder, today=TODAY).problems
    got = {
        (f.split("/")[-1], r, c, code) for f, r, c, code in p[["file", "row", "column", "code"]].to_numpy()
    }
    assert got == {
        ("counterfactuals.csv", 2, "likelihood", "out_of_range"),
        ("prices.csv", 2, "price", "out_of_range"),
        ("prices.csv", 3, "unit", "unknown_choice"),
    }


def test_percentages_become_shares(sample_dir, tmp_path):
    cf = pd.DataFrame(
        {"gezin": ["F00001"], "zorgpad": ["social_work"], "kans": ["40%"], "judged_by": ["verwijzer"]}
    )
    out = ik.read_table(cf, "counterfactuals")
    assert out.loc[0, "likelihood"] == pytest.approx(0.40)
    assert out.loc[0, "judged_by"] == "referrer"


def test_read_families_with_dutch_headers():
    fam = pd.DataFrame(
        {
            "Gezin": ["A", "B"],
            "Gemeente": ["Ede", "Tiel"],
            "Startdatum": ["01-03-2023", "2023-04-01"],
            "Einddatum": ["", "01-01-2023"],
            "Reden einde": ["", "afgerond"],
            "Aantal kinderen": ["2", "1"],
        }
    )
    with pytest.raises(ik.ValidationError) as info:
        ik.read_families(fam, today=TODAY)
    p = info.value.problems
    assert p[["row", "column", "code"]].to_dict("records") == [
        {"row": 3, "column": "Einddatum", "code": "end_before_start"}
    ]
    assert "2023-04-01" in p.loc[0, "message"]
    fam.loc[1, "Einddatum"] = "01-01-2025"
    out = ik.read_families(fam, today=TODAY)
    assert out["end_reason"].tolist()[1] == "completed"
    assert out["start_date"].tolist()[0] == pd.Timestamp("2023-03-01")
    assert out["n_children"].tolist() == [2, 1]


def test_missing_folder_and_bad_path_are_parameter_errors(tmp_path):
    with pytest.raises(ik.ParameterError, match="holds no assessments file"):
        ik.read_dataset(tmp_path)
    with pytest.raises(ik.ParameterError, match="existing file or folder"):
        ik.read_dataset(tmp_path / "nope")


def test_every_reader_accepts_the_folder(sample_dir):
    folder = ik.read_assessments(sample_dir, today=TODAY)
    file = ik.read_assessments(sample_dir / "assessments.csv", today=TODAY)
    assert folder.equals(file)
    assert ik.read_families(sample_dir, today=TODAY)["family_id"].is_unique
    assert len(ik.read_table(sample_dir, "prices")) == len(pd.read_csv(sample_dir / "prices.csv"))


def test_instrument_file_in_the_folder_is_used(sample_dir, tmp_path):
    folder = tmp_path / "export"
    shutil.copytree(sample_dir, folder)
    (folder / "instrument.toml").write_text(
        'id = "local"\n[scale]\nmin = 1\nmax = 5\n'
        + "".join(f'[[domains]]\nid = "{d}"\n' for d in ik.builtin().domain_ids)
        + '[[waves]]\nid = "intake"\n[[waves]]\nid = "year1"\n[[waves]]\nid = "year2"\n',
        encoding="utf-8",
    )
    assert ik.read_assessments(folder, today=TODAY).attrs["instrument"].id == "local"
    assert ik.read_dataset(folder, today=TODAY).instrument.id == "local"


def test_isin_text_on_arrow_and_other_columns_matches_set_membership():
    """Reference: Python's ``in`` on a set of the known ids (missing: False), for an Arrow text
    column (read without a copy), an object column and a numeric one."""
    from impactkit.io._source import isin_text

    known = pd.Series(["F1", "F3", None, "F10"], dtype="string[pyarrow]")
    ref = {"F1", "F3", "F10"}
    for values in (
        pd.Series(["F1", "F2", None, "F10", "F3", "f1"], dtype="string[pyarrow]"),
        pd.Series(["F1", "F2", None, "F10", "F3", "f1"], dtype=object),
    ):
        want = [v in ref if isinstance(v, str) else False for v in values.astype(object)]
        assert isin_text(values, known).tolist() == want
    numbers = pd.Series([1, 3, 10], dtype="int64")
    assert isin_text(numbers, pd.Series(["1", "10"], dtype="string[pyarrow]")).tolist() == [True, False, True]


def test_row_numbers_in_attrs_are_shared_not_copied_and_stay_the_file_rows(sample_dir, tmp_path):
    """attrs["rows"] of a read table: the file row of each frame row (the csv module's count, an
    independent reading), the same read-only array in every frame pandas derives from it (no deep
    copy per operation), and the rows that problems name are those rows."""
    import copy
    import csv
    import pickle

    import numpy as np

    from impactkit.io._source import RowNumbers

    events = ik.read_dataset(sample_dir, today=TODAY).events
    rows = events.attrs["rows"]
    with open(sample_dir / "events.csv", newline="", encoding="utf-8") as fh:
        n_lines = sum(1 for _ in csv.reader(fh))
    np.testing.assert_array_equal(np.asarray(rows), np.arange(2, n_lines + 1))
    assert isinstance(rows, RowNumbers)
    assert not rows.flags.writeable
    assert copy.deepcopy(rows) is rows
    derived = [events[events["count"] > 1], events.assign(x=1), events.copy(), events.sort_values("date")]
    assert all(d.attrs["rows"] is rows for d in derived)
    assert derived[2].attrs["headers"] is not events.attrs["headers"]  # the rest is still deep-copied
    again = pickle.loads(pickle.dumps(events))  # the validation cache pickles datasets
    np.testing.assert_array_equal(np.asarray(again.attrs["rows"]), np.asarray(rows))
    # rows named by a check that reads attrs["rows"] after reading (the unknown-family cross-check)
    folder = tmp_path / "export"
    shutil.copytree(sample_dir, folder)
    lines = (folder / "events.csv").read_text(encoding="utf-8").splitlines()
    for i in (5, 40, 41):
        lines[i - 1] = "FNOPE" + lines[i - 1][lines[i - 1].index(",") :]
    (folder / "events.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    problems = ik.validate(folder, today=TODAY).problems
    unknown = problems[(problems["file"].str.endswith("events.csv")) & (problems["code"] == "unknown_family")]
    assert unknown["row"].tolist() == [5, 40, 41]
    assert unknown["value"].tolist() == ["FNOPE"] * 3
