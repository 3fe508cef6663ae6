"""``impactkit business-case``: the page and the live workbook from the command line, with and without data.

Independent reference: the Python API at the same inputs (``ik.costs.business_case`` then
``ik.build_report``) must give the byte-identical page, and the printed key figures are hand
calculations (the default scenario: 40 families a year from the caseload of 25 = 1.6 FTE ×
€80,000 + 40 × (€300 + €250) = €150,000 a funded year; three years at 2.25% =
150,000 × (1 + 1/1.0225 + 1/1.0225²) = €440,170).
"""

from __future__ import annotations

import json

import openpyxl
import pytest
from typer.testing import CliRunner

import impactkit as ik
from impactkit.cli import app
from impactkit.report._build import restrict

SAMPLE = "data/sample"
GENERATED = "2026-11-23"
runner = CliRunner()


def _run(*args: str):
    return runner.invoke(app, ["business-case", *args], terminal_width=80)


def test_without_data_equals_the_python_api(tmp_path):
    out, xlsx = tmp_path / "case.html", tmp_path / "case.xlsx"
    res = _run("--families-per-year", "40", "--years", "3", "--start-year", "2026", "--lang", "nl", "--draws",
               "200", "--out", str(out), "--xlsx", str(xlsx), "--generated-at", GENERATED)  # fmt: skip
    assert res.exit_code == 0, res.output
    ev = ik.costs.business_case(families_per_year=40, years=3, start_year=2026, draws=200)
    assert out.read_text(encoding="utf-8") == ik.build_report(ev, lang="nl", generated_at=GENERATED).html
    assert "€ 440.170" in res.output  # the hand calculation above, in Dutch
    assert "2026–2028" in res.output
    assert all(len(line) <= 80 for line in res.output.splitlines())
    names = openpyxl.load_workbook(xlsx).sheetnames
    assert names[1:4] == ["Lees mij", "Invoer", "Berekening"]  # the live model after the contents


def test_with_the_sample_and_one_municipality(tmp_path):
    out = tmp_path / "arnhem.html"
    res = _run(SAMPLE, "--municipality", "Arnhem", "--years", "3", "--draws", "0", "--today", "2026-11-01",
               "--out", str(out), "--json", "--generated-at", GENERATED)  # fmt: skip
    assert res.exit_code == 0, res.output
    info = json.loads(res.output)
    # Arnhem's 100 families over its 4 start years: 25 a year, 1 FTE × €80,000 + 25 × €550 = €93,750 a
    # funded year; three years at 2.25%: 93,750 × (1 + 1/1.0225 + 1/1.0225²) = €275,106.52
    assert info["families_per_year"] == 25.0
    assert abs(info["headline"]["programme_cost"] - 275106.51986776746) < 1e-6
    assert info["html"] == str(out)
    html = out.read_text(encoding="utf-8")
    assert "impactkit business-case PATH --families-per-year 25 --years 3" in html  # the footer's command
    ds = restrict(ik.read_dataset(SAMPLE, today="2026-11-01"), municipality="Arnhem")
    ev = ik.costs.business_case(data=ds, years=3, draws=0)
    rep = ik.build_report(ev, generated_at=GENERATED)
    assert html == rep.html
    # the report of a business case on data reads those data: the same report as the dataset's own
    # business case (build_report(ds, kind="business-case"): three years of its families), table for table
    own = ik.build_report(ds, kind="business-case", draws=0, generated_at=GENERATED)
    assert [s.id for s in rep.sections] == [s.id for s in own.sections]
    assert rep.tables.keys() == own.tables.keys()
    for key, table in own.tables.items():
        assert rep.tables[key].equals(table), key


def test_bad_options_exit_2_with_a_clear_message(tmp_path):
    """A missing or contradictory option is a usage error (exit 2, README's table), never a traceback."""
    res = _run("--out", str(tmp_path / "x.html"))
    assert res.exit_code == 2
    assert "needs --families-per-year" in res.output
    assert "Traceback" not in res.output
    res = _run("--families-per-year", "40", "--municipality", "Arnhem", "--out", str(tmp_path / "x.html"))
    assert res.exit_code == 2
    assert "--municipality" in res.output
    res = _run(SAMPLE, "--programme", "home_start", "--out", str(tmp_path / "x.html"))
    assert res.exit_code == 2
    assert "--programme" in res.output
    ev = ik.costs.business_case(data=ik.read_dataset(SAMPLE, today="2026-11-01"), draws=0)
    with pytest.raises(ik.errors.ParameterError, match="municipality"):  # the evaluation fixed its data
        ik.build_report(ev, municipality="Arnhem")
    with pytest.raises(ik.errors.ParameterError, match="seed=0"):
        ik.build_report(ev, seed=3)
    res = _run(SAMPLE, "--programme", "home_start", "--out", str(tmp_path / "x.html"))
    assert res.exit_code == 2
    assert "--programme" in res.output
