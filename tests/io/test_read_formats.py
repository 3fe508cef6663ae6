"""Every accepted input format and header language gives the same canonical frame."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pandas.testing as pdt
import pytest

import impactkit as ik
from impactkit.instruments import builtin

TODAY = "2026-11-01"
DOMAINS = builtin("default").domain_ids


@pytest.fixture(scope="module")
def reference() -> pd.DataFrame:
    return ik.read_assessments("data/sample/assessments.csv", today=TODAY)


@pytest.fixture(scope="module")
def small(sample_wide) -> pd.DataFrame:
    return sample_wide.head(40).copy()


def _canonical_equal(a: pd.DataFrame, b: pd.DataFrame) -> None:
    key = ["family_id", "wave", "domain"]
    a = a.sort_values(key).reset_index(drop=True)
    b = b.sort_values(key).reset_index(drop=True)
    pdt.assert_frame_equal(a, b, check_like=False)


def test_canonical_columns_and_dtypes(reference):
    assert list(reference.columns) == ["family_id", "wave", "assessed_on", "domain", "score"]
    assert reference["wave"].cat.ordered
    assert reference["wave"].cat.categories.tolist() == ["intake", "year1", "year2"]
    assert reference["domain"].cat.categories.tolist() == DOMAINS
    assert reference["score"].dtype == np.float64
    assert reference["assessed_on"].dtype == "datetime64[ns]"
    assert reference.attrs["instrument"].id == "default"


def test_counts_match_the_file(reference, sample_wide):
    # 898 rows x 9 domain columns; empty cells are missing scores, counted and kept
    assert len(reference) == len(sample_wide) * 9
    empties = int((sample_wide[DOMAINS] == "").to_numpy().sum())
    assert reference.attrs["n_missing_scores"] == empties == int(reference["score"].isna().sum())


def test_semicolon_decimal_comma_bom_crlf_dutch_headers(tmp_path, small):
    inst = builtin("default")
    dutch = small.rename(
        columns={d.id: d.label_nl for d in inst.domains}
        | {"family_id": "Gezin", "wave": "Meetmoment", "assessed_on": "Datum"}
    )
    dutch["Meetmoment"] = dutch["Meetmoment"].map({"intake": "Intake", "year1": "Jaar 1", "year2": "Jaar 2"})
    dutch["Datum"] = pd.to_datetime(dutch["Datum"]).dt.strftime("%d-%m-%Y")
    # a decimal comma on an integral value ("3,0") is still an integer score
    dutch.loc[dutch.index[0], "Wonen"] = dutch.loc[dutch.index[0], "Wonen"] + ",0"
    path = tmp_path / "export.csv"
    path.write_bytes(
        b"\xef\xbb\xbf" + dutch.to_csv(sep=";", index=False, lineterminator="\r\n").encode("utf-8")
    )
    _canonical_equal(ik.read_assessments(path, today=TODAY), ik.read_assessments(small, today=TODAY))


def test_english_labels_and_user_column_map(small):
    inst = builtin("default")
    english = small.rename(columns={d.id: d.label_en for d in inst.domains} | {"family_id": "Case"})
    out = ik.read_assessments(english, columns={"Case": "family_id"}, today=TODAY)
    _canonical_equal(out, ik.read_assessments(small, today=TODAY))


def test_excel_first_and_named_sheet_with_sheet_rows(tmp_path, small):
    path = tmp_path / "export.xlsx"
    typed = small.copy()
    typed["assessed_on"] = pd.to_datetime(typed["assessed_on"])  # real Excel dates
    for d in DOMAINS:
        typed[d] = pd.to_numeric(typed[d])
    with pd.ExcelWriter(path) as xl:
        pd.DataFrame({"note": ["cover sheet"]}).to_excel(xl, sheet_name="Uitleg", index=False)
        typed.to_excel(xl, sheet_name="Metingen", index=False)
    named = ik.read_assessments(path, sheet="Metingen", today=TODAY)
    _canonical_equal(named, ik.read_assessments(small, today=TODAY))
    # problems carry the sheet row: the header is sheet row 1, the 5th data row is sheet row 6
    typed.loc[typed.index[4], "housing"] = 9
    with pd.ExcelWriter(path) as xl:
        typed.to_excel(xl, sheet_name="Metingen", index=False)
    with pytest.raises(ik.ValidationError) as info:
        ik.read_assessments(path, today=TODAY)
    p = info.value.problems
    assert p[["row", "column", "value"]].to_dict("records") == [{"row": 6, "column": "housing", "value": "9"}]


def test_parquet(tmp_path, small):
    typed = small.replace("", np.nan)
    for d in DOMAINS:
        typed[d] = pd.to_numeric(typed[d])
    typed["assessed_on"] = pd.to_datetime(typed["assessed_on"])
    path = tmp_path / "export.parquet"
    typed.to_parquet(path)
    _canonical_equal(ik.read_assessments(path, today=TODAY), ik.read_assessments(small, today=TODAY))


def test_wide_long_round_trip(reference):
    long = reference.assign(
        wave=reference["wave"].astype(str),
        domain=reference["domain"].astype(str),
        assessed_on=reference["assessed_on"].dt.strftime("%Y-%m-%d"),
    )
    back = ik.read_assessments(long, today=TODAY)
    _canonical_equal(back, reference)
    wide = long.pivot(
        index=["family_id", "wave", "assessed_on"], columns="domain", values="score"
    ).reset_index()
    again = ik.read_assessments(wide, today=TODAY)
    _canonical_equal(again, reference)


def test_assessed_on_is_optional(small):
    out = ik.read_assessments(small.drop(columns="assessed_on"), today=TODAY)
    assert out["assessed_on"].isna().all()
    assert len(out) == len(small) * 9


def test_items_are_scored_into_domains_by_hand():
    inst = builtin("agreement35")
    fin = [i.id for i in inst.items if i.domain == "finances"]  # q01..q04, q04 reverse-scored
    assert fin == ["q01", "q02", "q03", "q04"]
    rows = [
        ("A", "intake", "q01", "4"),
        ("A", "intake", "q02", "3"),
        ("A", "intake", "q03", ""),
        ("A", "intake", "q04", "1"),  # reverse: 1 + 4 - 1 = 4
        ("B", "intake", "q01", "2"),
        ("B", "intake", "q02", ""),
        ("B", "intake", "q03", ""),
        ("B", "intake", "q04", ""),
    ]  # 1 of 4 answered < min share 0.5: missing
    items = pd.DataFrame(rows, columns=["family_id", "wave", "item", "answer"])
    out = ik.read_assessments(items, instrument=inst, today=TODAY).set_index(["family_id", "domain"])["score"]
    # hand calculation: A finances = (4 + 3 + 4) / 3 answered items = 3.6667
    assert out[("A", "finances")] == pytest.approx((4 + 3 + 4) / 3, rel=1e-12)
    assert np.isnan(out[("B", "finances")])
    scored = ik.read_items(items, instrument=inst, today=TODAY)
    assert scored.loc[scored["item"] == "q04", "scored"].iloc[0] == 4


def test_wide_items_by_item_id():
    inst = builtin("agreement35")
    row = {"family_id": "A", "wave": "T0"} | {i.id: "3" for i in inst.items}
    out = ik.read_assessments(pd.DataFrame([row]), instrument=inst, today=TODAY)
    # every item answered 3; reverse items become 1 + 4 - 3 = 2; finances: (3 + 3 + 3 + 2) / 4
    fin = out.set_index("domain").loc["finances", "score"]
    assert fin == pytest.approx(11 / 4)
    assert out.set_index("domain").loc["paperwork", "score"] == pytest.approx(3.0)  # 3 items, none reversed


def test_explicit_missing_is_kept_and_counted_implicit_is_absent(reference):
    """An empty score cell stays as a NaN row and is counted; a missing row is simply absent.

    Both describe the same information: the analyses give identical results for the two.
    """
    long = reference.assign(
        wave=reference["wave"].astype(str), domain=reference["domain"].astype(str),
        assessed_on=reference["assessed_on"].dt.strftime("%Y-%m-%d"),
        score=reference["score"].map(lambda v: "" if np.isnan(v) else f"{v:g}"),
    ).dropna(subset=["family_id"])  # fmt: skip
    target = long.index[(long["score"] != "")][0]
    explicit = long.copy()
    explicit.loc[target, "score"] = ""
    implicit = long.drop(index=target)
    a = ik.read_assessments(explicit, today=TODAY)
    b = ik.read_assessments(implicit, today=TODAY)
    assert len(a) == len(b) + 1
    assert a.attrs["n_missing_scores"] == b.attrs["n_missing_scores"] + 1
    _canonical_equal(a.dropna(subset=["score"]), b.dropna(subset=["score"]))
    pdt.assert_frame_equal(pd.DataFrame(ik.change(a)), pd.DataFrame(ik.change(b)))


def test_csv_rows_are_numbered_as_the_sheet_shows_past_blank_lines(tmp_path, small):
    """Blank lines are skipped but still counted: a problem names the row a spreadsheet shows."""
    lines = small.to_csv(index=False).splitlines()
    bad = small.copy()
    bad.loc[bad.index[3], "housing"] = "9"  # data row 4: line 5 of the file, line 8 after 3 blank lines
    bad_lines = bad.to_csv(index=False).splitlines()
    text = "\n".join([*bad_lines[:2], "", "", *bad_lines[2:4], "", *bad_lines[4:]]) + "\n\n"
    path = tmp_path / "export.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ik.ValidationError) as info:
        ik.read_assessments(path, today=TODAY)
    p = info.value.problems
    assert p[["row", "column", "value"]].to_dict("records") == [{"row": 8, "column": "housing", "value": "9"}]
    path.write_text("\n".join([lines[0], "", *lines[1:]]) + "\n", encoding="utf-8")
    _canonical_equal(ik.read_assessments(path, today=TODAY), ik.read_assessments(small, today=TODAY))
