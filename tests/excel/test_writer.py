"""The one Excel writer: formats from declared column types, formula injection, names, bytes."""

from __future__ import annotations

import io
import time

import openpyxl
import pandas as pd
import pytest

from impactkit.errors import ParameterError
from impactkit.excel import FORMATS, Sheet, SheetTable, check_sheet_names, write_workbook


def _read(sheets, **kw):
    buf = write_workbook(sheets, io.BytesIO(), **kw)
    return openpyxl.load_workbook(buf)


def test_formats_come_from_column_types_not_from_names():
    """The bugs of the three old writers, written out: a probability 0.98 showed as "1" and a bound
    0.11 as "0" (a money format picked because the name held "high"), key figures were text."""
    frame = pd.DataFrame(
        {
            "domain": ["finances", "housing"],
            "n": [120, 7],
            "p_net_benefit_positive": [0.98, 0.0017],
            "ci_high": [0.11, -0.004],  # the old writers matched "high" and formatted it as euros
            "p_value": [0.0004, 0.98],
            "net": [-1234.5, 2_000_000.0],
            "high_value_thing": [0.11, 0.5],  # not in the vocabulary: General, every digit
        }
    )
    ws = _read([Sheet("t", [SheetTable(frame)])])["t"]
    row = {ws.cell(1, j).value: ws.cell(2, j) for j in range(1, ws.max_column + 1)}
    assert row["n"].value == 120
    assert row["n"].number_format == "#,##0"
    assert row["p_net_benefit_positive"].value == 0.98
    assert row["p_net_benefit_positive"].number_format == "0.0%"  # 98.0%
    assert row["ci_high"].value == 0.11
    assert row["ci_high"].number_format == "+0.000;-0.000;0.000"  # +0.110
    assert row["p_value"].number_format == '[<0.001]"<0.001";0.000'
    assert row["p_value"].value == 0.0004  # the number is kept, only shown as <0.001
    assert row["net"].number_format == '"€" #,##0;"€" -#,##0'
    assert row["high_value_thing"].number_format == "General"
    assert row["domain"].value == "finances"
    # declared types win, per column or one per row
    frame2 = pd.DataFrame({"measure": ["bcr", "p"], "value": [0.56, 0.98], "x": [1.5, 2.5]})
    ws = _read([Sheet("t", [SheetTable(frame2, types={"value": ["ratio", "probability"], "x": "money"})])])[
        "t"
    ]
    assert [ws["B2"].number_format, ws["B3"].number_format] == ["0.00", "0.0%"]
    assert ws["C2"].number_format == FORMATS["money"]
    with pytest.raises(ParameterError, match="Unknown column type 'percentish'"):
        write_workbook([Sheet("t", [SheetTable(frame2, types={"x": "percentish"})])], io.BytesIO())


@pytest.mark.parametrize(
    "text", ["=1+2", "+31 6 1234", "-2", "@SUM(A1)", "\tx", "\rx", '=HYPERLINK("http://x")']
)
def test_text_that_looks_like_a_formula_is_written_as_text(text):
    """OWASP CSV/formula injection: a municipality or free-text cell starting with = + - @ tab CR
    must come back as the same string, stored as a string (never a formula)."""
    frame = pd.DataFrame({"municipality": [text], "n": [12]})
    buf = write_workbook([Sheet("t", [SheetTable(frame, title=text, notes=[text])])], io.BytesIO())
    ws = openpyxl.load_workbook(buf)["t"]
    for cell in (ws["A1"], ws["A2"], ws["A4"]):  # title, note, data cell
        assert cell.value == text.replace("\r", "\n")  # XML itself reads a bare CR as LF
        assert cell.data_type == "s"
        assert cell.quotePrefix
    raw = buf.getvalue()
    import zipfile

    sheet_xml = zipfile.ZipFile(io.BytesIO(raw)).read("xl/worksheets/sheet1.xml")
    assert b"<f>" not in sheet_xml  # no formula element anywhere
    formulas = openpyxl.load_workbook(io.BytesIO(raw), data_only=False)["t"]
    assert formulas["A4"].data_type != "f"


def test_sheet_names_are_checked_never_cut():
    long = "Investment and avoided cost per payer"  # 37 characters
    with pytest.raises(ParameterError) as err:
        check_sheet_names([long, "a/b", "Costs", "costs"])
    msg = str(err.value)
    assert "has 37 characters" in msg
    assert "contains '/'" in msg
    assert "'costs' is used twice" in msg
    with pytest.raises(ParameterError):
        write_workbook([Sheet(long, [])], io.BytesIO())


def test_frozen_header_filter_and_widths():
    frame = pd.DataFrame({"domain": ["a very long domain label indeed", "b"], "n": [1, 2]})
    ws = _read([Sheet("t", [SheetTable(frame, title="Caption", notes=["a note"])])])["t"]
    assert ws.freeze_panes == "A4"  # caption, note, header: rows below the header scroll
    assert ws.auto_filter.ref == "A3:B5"
    assert ws.column_dimensions["A"].width >= len("a very long domain label indeed")
    assert ws.column_dimensions["B"].width >= 8


def test_same_content_same_bytes():
    """Deterministic: openpyxl stamps the clock into zip entries and docProps; both are fixed."""
    frame = pd.DataFrame({"x": [1.5, float("nan")], "y": ["a", None]})
    sheets = [Sheet("one", [SheetTable(frame)]), Sheet("two", [], texts=["hello"])]
    a = write_workbook(sheets, io.BytesIO()).getvalue()
    time.sleep(1.1)
    b = write_workbook(sheets, io.BytesIO()).getvalue()
    assert a == b
    c = write_workbook([Sheet("one", [SheetTable(frame.assign(x=[1.5, 2.0]))])], io.BytesIO()).getvalue()
    assert c != a
