"""The two ways a CSV file is read give the same raw table.

Plain ASCII files (no quote, no carriage return; most exports) are parsed from their bytes, without
the decoded text copy the general path makes (a file's size less at the peak: 663 MB for the events
of a million families).  The reference is the general path, forced by switching the bytes path off.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pandas.testing as pdt
import pytest

from impactkit.io import _csv
from impactkit.io._source import _strip_arrow, read_raw

CASES = {
    "whitespace": b"family_id,wave,score\n F1 ,intake, 3\nF2,  ,4\nF3,year1,\n",
    "blank_lines": b"family_id,wave,score\nF1,intake,3\n\nF2,year1,4\n  \nF3,year2,5\n",
    "ragged": b"family_id,wave,score\nF1,intake,3,9\nF2,year1\nF3,year2,4,,\n",
    "trailing_headers": b"a,b,,\n1,2,,\n3,4\n",
    "semicolon_comma": b"family_id;score\n007;3,5\n008;4\n",
    "semicolon_unknown": b"family_id;score\n007;1.500\n",
    "tab_point": b"family_id\tdomain\tscore\n007\tfinances\t2.25\n",
    # \x1c-\x1f are whitespace to str.isspace() and to a str pattern's \s (the general path's rules)
    "separator_controls": b"family_id;score\n\x1c1,5;2\n",
    "only_blank": b"  \n \n",
    "header_only": b"family_id,wave,score\n",
    "duplicate_header": b"id,id,x\n1,2,3\n",
    # no whitespace anywhere: the bytes path does not strip (the text path strips: same frame)
    "no_white": b"family_id,wave,score\nF1,intake,3\nF2,,4\n",
    "no_white_tab": b"family_id\twave\tscore\nF1\tintake\t3\nF2\t\t4\n",
    "no_white_ragged": b"family_id,wave,score\nF1,intake,3,9\nF2,year1\nF3,,4,,\n",
    "no_white_short_rows": b"a,b,,\n1,2\n3,4,,\n",
    "white_in_tab_file": b"family_id\twave\tscore\nF1\t intake\t3\nF2\t \t4\n",
    "vertical_tab_cell": b"family_id,score\nF1,\x0b\nF2,3\n",
}


def _read(path, *, bytes_path: bool, monkeypatch) -> object:
    with monkeypatch.context() as m:
        if not bytes_path:
            m.setattr(_csv, "_plain_ascii", lambda data: False)
        raw = read_raw(path)
    return raw


@pytest.mark.parametrize("name", sorted(CASES))
def test_bytes_path_reads_as_the_text_path(name, tmp_path, monkeypatch):
    path = tmp_path / f"{name}.csv"
    path.write_bytes(CASES[name])
    assert _csv._plain_ascii(CASES[name])  # the case takes the bytes path
    fast = _read(path, bytes_path=True, monkeypatch=monkeypatch)
    slow = _read(path, bytes_path=False, monkeypatch=monkeypatch)
    pdt.assert_frame_equal(fast.frame, slow.frame)
    np.testing.assert_array_equal(fast.rows, slow.rows)
    assert (fast.issues, fast.decimal, fast.kind, fast.notes) == (
        slow.issues,
        slow.decimal,
        slow.kind,
        slow.notes,
    )


def test_bytes_path_values(tmp_path):
    """Hand-checked: ids keep leading zeros, cells are stripped, blank cells are missing."""
    path = tmp_path / "a.csv"
    path.write_bytes(b"family_id;score\n007 ;3,5\n 008; \n")
    raw = read_raw(path)
    assert raw.frame["family_id"].tolist() == ["007", "008"]
    assert raw.frame["score"].isna().tolist() == [False, True]
    assert raw.decimal == ","
    assert raw.rows.tolist() == [2, 3]


def test_clean_column_is_not_copied():
    """A column without surrounding whitespace or blank cells keeps its one buffer."""
    arr = pd.array(["F1", "F2", None], dtype="string[pyarrow]")
    out = _strip_arrow(arr)
    assert out._pa_array.chunk(0).buffers()[2].address == arr._pa_array.chunk(0).buffers()[2].address
    assert _strip_arrow(pd.array([" F1", "", None], dtype="string[pyarrow]")).tolist() == ["F1", pd.NA, pd.NA]
