"""``impactkit analyse``: the same tables as the library, as rich tables, JSON or Excel."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from _measures_data import SAMPLE
from typer.testing import CliRunner

import impactkit as ik
from impactkit.cli import app
from impactkit.measures import change

runner = CliRunner()
TODAY = ["--today", "2026-11-01"]


@pytest.fixture(scope="module")
def json_out() -> dict:
    res = runner.invoke(app, ["analyse", str(SAMPLE), "--json", *TODAY])
    assert res.exit_code == 0, res.output
    return json.loads(res.stdout)


def test_json_has_the_library_columns_and_numbers(json_out: dict) -> None:
    ds = ik.read_dataset(SAMPLE, today="2026-11-01")
    lib = change(ds.assessments).to_frame()
    got = pd.DataFrame(json_out["tables"]["change"])
    assert list(got.columns) == list(lib.columns)
    np.testing.assert_allclose(got["p_adjusted"], lib["p_adjusted"], rtol=1e-12)
    tables = {"describe", "change", "omnibus", "reliable_change", "reliable_summary", "attrition"}
    assert set(json_out["tables"]) == tables
    summary = pd.DataFrame(json_out["tables"]["reliable_summary"])
    lib_s = ik.reliable_change_summary(ds.assessments).to_frame()
    assert list(summary["status"]) == list(lib_s["status"])
    np.testing.assert_allclose(summary["chance_improved"], lib_s["chance_improved"], rtol=1e-12)
    assert json_out["baseline"] == "intake"
    assert json_out["followup"] == "year2"


def test_rich_output_and_xlsx(tmp_path: Path) -> None:
    out = tmp_path / "tables.xlsx"
    res = runner.invoke(app, ["analyse", str(SAMPLE), "--lang", "nl", "--xlsx", str(out), *TODAY])
    assert res.exit_code == 0, res.output
    assert "Financiën" in res.stdout
    assert "Verandering" in res.stdout
    sheets = pd.read_excel(out, sheet_name=None)
    assert set(sheets) == {
        "describe",
        "change",
        "omnibus",
        "reliable_change",
        "reliable_summary",
        "attrition",
    }
    assert len(sheets["change"]) == 9


def test_invalid_input_exits_1_with_problems_and_no_traceback(tmp_path: Path) -> None:
    wide = pd.read_csv(SAMPLE / "assessments.csv")
    wide.loc[3, "finances"] = 9  # outside the 1-5 scale
    bad = tmp_path / "assessments.csv"
    wide.to_csv(bad, index=False)
    res = runner.invoke(app, ["analyse", str(bad), *TODAY])
    assert res.exit_code == 1
    assert "finances" in res.output
    assert "Traceback" not in res.output
    assert not isinstance(res.exception, Exception) or isinstance(res.exception, SystemExit)


def test_bad_language_is_a_usage_error() -> None:
    res = runner.invoke(app, ["analyse", str(SAMPLE), "--lang", "de", *TODAY])
    assert res.exit_code == 2
