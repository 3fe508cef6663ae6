"""Formula injection through a report's spreadsheet (OWASP CSV/formula injection), read back.

Every text field a report writes into Excel holds a payload starting with = + - @ tab or CR:
municipality names, programme, household type, instrument labels.  Read back with openpyxl, no
cell is a formula, each payload cell is a string with Excel's quote prefix, and the sheet XML
holds no <f> element.  The same report gives the same bytes (issue 11, item 9).
"""

from __future__ import annotations

import dataclasses
import io
import tomllib
import zipfile
from pathlib import Path

import openpyxl

from impactkit.instruments import Instrument
from impactkit.io import read_dataset
from impactkit.report import build_report

ROOT = Path(__file__).resolve().parents[2]
PAYLOADS = [
    '=HYPERLINK("http://127.0.0.1/x","click")',
    "+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
]


def _hostile():
    ds = read_dataset(ROOT / "data" / "sample", today="2026-11-01")
    spec = tomllib.loads((ROOT / "impactkit" / "instruments" / "data" / "default.toml").read_text())
    for i, d in enumerate(spec["domains"]):
        d["label_en"] = d["label_nl"] = PAYLOADS[i % len(PAYLOADS)] + f" {d['id']}"
    fam = ds.families.copy()
    for col in ("municipality", "programme", "household_type"):
        fam[col] = fam[col].astype(object)
    for i, m in enumerate(sorted(fam["municipality"].unique())):
        fam.loc[fam["municipality"] == m, "municipality"] = PAYLOADS[i % len(PAYLOADS)] + f" {i}"
    fam.loc[fam["programme"] == "Home-Start", "programme"] = PAYLOADS[0]
    fam.loc[fam["household_type"] == "newcomer", "household_type"] = PAYLOADS[1]
    return dataclasses.replace(ds, families=fam, instrument=Instrument.from_dict(spec, source="hostile"))


def test_no_text_field_becomes_a_formula_and_the_bytes_repeat(tmp_path):
    rep = build_report(_hostile(), draws=200, generated_at="2026-11-23")
    first = rep.to_excel(tmp_path / "a.xlsx").read_bytes()
    second = rep.to_excel(tmp_path / "b.xlsx").read_bytes()
    assert first == second  # byte-identical for the same report
    with zipfile.ZipFile(io.BytesIO(first)) as z:
        sheets = [n for n in z.namelist() if n.startswith("xl/worksheets/")]
        assert sheets
        for name in sheets:
            assert b"<f>" not in z.read(name)
            assert b"<f " not in z.read(name)
    wb = openpyxl.load_workbook(io.BytesIO(first))
    seen = 0
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (ws.title, cell.coordinate, cell.value)
                v = cell.value
                if isinstance(v, str) and v.startswith(("=", "+", "-", "@", "\t", "\r")):
                    assert cell.quotePrefix, (ws.title, cell.coordinate, v)
                    seen += 1
    assert seen >= len(PAYLOADS)  # the payloads did reach the workbook, as text
    texts = {
        c.value for ws in wb.worksheets for row in ws.iter_rows() for c in row if isinstance(c.value, str)
    }
    assert any(t.startswith('=HYPERLINK("http://127.0.0.1/x"') for t in texts)
