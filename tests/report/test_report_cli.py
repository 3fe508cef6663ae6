"""``impactkit report`` in-process: writes what it says, exits 1 without a traceback on bad input."""

from __future__ import annotations

import json

from _report_data import GENERATED, SAMPLE
from openpyxl import load_workbook
from typer.testing import CliRunner

from impactkit.cli import app

runner = CliRunner()


def test_report_writes_html_and_xlsx(tmp_path):
    out, xlsx = tmp_path / "r.html", tmp_path / "r.xlsx"
    res = runner.invoke(
        app,
        [
            "report",
            str(SAMPLE),
            "--kind",
            "business-case",
            "--lang",
            "nl",
            "--out",
            str(out),
            "--xlsx",
            str(xlsx),
            "--draws",
            "200",
            "--generated-at",
            GENERATED,
        ],
    )
    assert res.exit_code == 0, res.output
    assert res.output.split() == [str(out), str(xlsx)]
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert "Methode en reproductie" in load_workbook(xlsx).sheetnames


def test_report_json(tmp_path):
    out = tmp_path / "r.html"
    res = runner.invoke(
        app, ["report", str(SAMPLE), "--out", str(out), "--draws", "0", "--json", "--generated-at", GENERATED]
    )
    assert res.exit_code == 0, res.output
    info = json.loads(res.output)
    assert info["html"] == str(out)
    assert info["kind"] == "annual"
    assert (
        info["charts"] == 11
    )  # 8 (reliable change against chance too) + events, their rate ratios and care costs before / during / after


def test_bad_input_and_bad_options_exit_non_zero_without_traceback(tmp_path):
    res = runner.invoke(app, ["report", str(tmp_path / "missing"), "--out", str(tmp_path / "r.html")])
    assert res.exit_code == 2  # a path that does not exist is a usage error (impactkit/cli/_errors.py)
    assert "Traceback" not in res.output
    bad = tmp_path / "assessments.csv"
    bad.write_text("family_id,wave,finances\nF1,intake,9\n", encoding="utf-8")
    res = runner.invoke(app, ["report", str(bad), "--out", str(tmp_path / "r.html")])
    assert res.exit_code == 1
    assert "Traceback" not in res.output
    res = runner.invoke(app, ["report", str(SAMPLE), "--out", str(tmp_path / "r.html"), "--k", "2"])
    assert res.exit_code == 2  # an option outside its allowed values is a usage error
    assert "--k must be an integer of at least 3" in res.output  # the library's hint, spelled as the flag


def test_byte_identical_across_processes(tmp_path):
    """Two processes with different hash seeds write the same bytes (no set or dict order leaks)."""
    import os
    import subprocess
    import sys

    outs = []
    for hash_seed in ("1", "2"):
        out = tmp_path / f"r{hash_seed}.html"
        env = dict(os.environ, PYTHONHASHSEED=hash_seed)
        subprocess.run(
            [
                sys.executable,
                "-c",
                "import sys; from impactkit.cli import main; sys.argv[0] = 'impactkit'; main()",
                "report",
                str(SAMPLE),
                "--kind",
                "business-case",
                "--lang",
                "nl",
                "--out",
                str(out),
                "--draws",
                "300",
                "--generated-at",
                GENERATED,
            ],
            check=True,
            env=env,
            capture_output=True,
            timeout=900,  # a hang guard: each process builds the release of the sample
        )
        outs.append(out.read_bytes())
    assert outs[0] == outs[1]
