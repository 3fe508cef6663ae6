"""No silent change: thousands and decimal separators, and dates outside any plausible range.

By hand: in a file whose decimal separator is the comma (a ';' file, or one holding "4,5"),
"1.500" is one thousand five hundred; where the file does not show its decimal separator (a tab file
of whole numbers, or an Excel text cell) "1.500" could be 1.5 or 1500 and is reported.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import impactkit as ik
from impactkit.io._cells import parse_date, parse_number
from impactkit.io._csv import detect_decimal

TODAY = "2026-11-01"


@pytest.mark.parametrize(
    ("cell", "decimal", "value"),
    [
        ("1.500", ",", 1500.0),
        ("1.500", ".", 1.5),
        ("1.500,25", None, 1500.25),
        ("1,500.25", None, 1500.25),
        ("4,5", None, 4.5),
        ("4.5", ",", 4.5),  # a point followed by one digit cannot be a thousands separator
        ("12.345.678", None, 12345678.0),
        ("0,500", None, 0.5),
        ("-1.250", ",", -1250.0),
        ("3,0", None, 3.0),
        ("1e3", None, 1000.0),
    ],
)
def test_each_number_is_read_one_way(cell, decimal, value):
    got, fails = parse_number(pd.Series([cell]), decimal=decimal)
    assert list(fails) == []
    assert got[0] == pytest.approx(value)


@pytest.mark.parametrize("cell", ["1.500", "1,500", "-2.750"])
def test_a_number_the_file_cannot_tell_is_reported_not_guessed(cell):
    got, fails = parse_number(pd.Series(["3", cell]), decimal=None)
    assert np.isnan(got[1])
    assert [(list(p), c) for p, c in fails] == [([1], "ambiguous_number")]


@pytest.mark.parametrize(
    ("sep", "body", "decimal"),
    [
        (";", "a;1.500\nb;2\n", ","),  # the list separator ';' goes with a decimal comma (Excel NL)
        (";", "a;4.5\nb;2\n", "."),  # unless a cell can only be a decimal point
        ("\t", "a\t4,5\n", ","),
        ("\t", "a\t1.500\n", None),  # a tab file of whole numbers and 1.500: cannot tell
        (",", "a,1\n", "."),
        (";", "a;4,5\nb;4.5\n", None),  # both: cannot tell
    ],
)
def test_the_file_decimal_separator(sep, body, decimal):
    assert detect_decimal(body, sep) == decimal


def test_amounts_in_a_dutch_csv_and_an_ambiguous_one_end_to_end(tmp_path):
    nl = tmp_path / "programmakosten.csv"
    nl.write_text(
        "Jaar;Kostenpost;Bedrag\n2023;Coördinatie;41.500\n2023;Scholing;2.400,50\n", encoding="utf-8"
    )
    costs = ik.read_table(nl, "programme_costs", today=TODAY)
    assert costs["amount"].tolist() == [41500.0, 2400.5]
    tab = tmp_path / "kosten.tsv"
    tab.write_text(
        "Jaar\tKostenpost\tBedrag\n2023\tCoördinatie\t41.500\n2024\tScholing\t2400\n", encoding="utf-8"
    )
    with pytest.raises(ik.ValidationError) as err:
        ik.read_table(tab, "programme_costs", today=TODAY)
    p = err.value.problems
    assert p[["row", "column", "value", "code"]].to_numpy().tolist() == [
        [2, "Bedrag", "41.500", "ambiguous_number"]
    ]
    assert "41.5 or 41500" in p["message"].iloc[0]
    cfg = ik.Config.from_dict({"decimal": ","})  # say it once in the mapping file
    assert ik.read_table(tab, "programme_costs", today=TODAY, config=cfg)["amount"].tolist() == [
        41500.0,
        2400.0,
    ]


@pytest.mark.parametrize(
    ("cell", "code"),
    [
        ("0024-01-15", "date_out_of_range"),  # a year typed short: never wrapped to 2024
        ("9999-12-31", "date_out_of_range"),  # the "no date" placeholder
        ("31-12-1899", "date_out_of_range"),
        ("31-02-2024", "impossible_date"),
        ("2024-13-01", "impossible_date"),
        ("gisteren", "bad_date"),
    ],
)
def test_dates_outside_any_plausible_range_are_reported(cell, code):
    got, fails = parse_date(pd.Series(["2024-01-15", cell]))
    assert [(list(p), c) for p, c in fails] == [([1], code)]
    assert np.isnat(got[1])
    assert got[0] == np.datetime64("2024-01-15")


def test_out_of_range_dates_from_excel_and_parquet(tmp_path):
    import datetime as dt

    frame = pd.DataFrame({"family_id": ["A", "A"], "wave": ["intake", "year1"], "finances": [2, 3],
                          "assessed_on": [dt.date(24, 1, 15), dt.date(2024, 1, 15)]})  # fmt: skip
    xlsx = tmp_path / "x.xlsx"
    frame.to_excel(xlsx, index=False)
    pq = tmp_path / "x.parquet"
    frame.to_parquet(pq, index=False)
    for path in (xlsx, pq):
        p = ik.validate(path, today=TODAY).problems
        assert p[["row", "column", "value", "code"]].to_numpy().tolist() == [
            [2, "assessed_on", "0024-01-15", "date_out_of_range"]
        ], path


_CELLS = [
    "1", "5", " 3 ", "3,0", "3.0", "4,5", "4.5", "1.500", "1,500", "1.500,25", "1,500.25", "0,500",
    "12.345.678", "-1.250", "+2", "1e3", ".5", "5.", "abc", "99", "0", "-", "1 000", "NaN", "12,34,5",
]  # fmt: skip


@given(
    cells=st.lists(st.one_of(st.sampled_from(_CELLS), st.none(), st.text(max_size=6)), max_size=60),
    repeat=st.integers(1, 4),
    decimal=st.sampled_from([",", ".", None]),
    integer=st.booleans(),
    check_range=st.booleans(),
)
@settings(max_examples=200, deadline=None)
def test_each_distinct_cell_parsed_once_reads_as_every_cell_parsed(
    cells, repeat, decimal, integer, check_range
):
    """Reference: the cell-by-cell parser (_parse_numbers) on the whole column: same values, same
    failures (positions and codes, in the same order) as parse_number, which parses each distinct
    text once and maps back through the column's codes."""
    from impactkit.io._cells import _parse_numbers

    column = pd.Series((cells * repeat)[::-1] + cells, dtype=object).astype("string[pyarrow]")
    opts = {"integer": integer, "low": 1, "high": 5, "check_range": check_range, "decimal": decimal}
    got, got_fails = parse_number(column, **opts)
    want, want_fails = _parse_numbers(column, **opts)
    np.testing.assert_array_equal(got, want)  # NaN where NaN
    assert [(p.tolist(), c) for p, c in got_fails] == [(p.tolist(), c) for p, c in want_fails]


def test_a_long_column_of_few_texts_is_parsed_through_its_codes():
    # 3,000 cells, 6 distinct texts (the factorized path), checked cell by cell against the values
    # written down here by hand
    texts = ["1", "4,5", "abc", None, "2.0", "1.500"]
    by_hand = {"1": 1.0, "4,5": 4.5, "abc": np.nan, None: np.nan, "2.0": 2.0, "1.500": 1500.0}
    column = pd.Series(texts * 500, dtype=object)
    got, fails = parse_number(column, decimal=",")
    np.testing.assert_array_equal(got, [by_hand[t] for t in texts * 500])
    assert [(c, p.tolist()) for p, c in fails] == [("not_a_number", list(range(2, 3000, 6)))]
