"""The CLI in-process: exit codes 0 (valid), 1 (invalid), 2 (usage), JSON output, never a traceback."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from typer.testing import CliRunner

from impactkit.cli import app

runner = CliRunner()


def test_help_lists_the_commands():
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    for command in ("validate", "sample"):
        assert command in result.output


def test_validate_sample_folder_json(sample_dir):
    result = runner.invoke(app, ["validate", str(sample_dir), "--json", "--today", "2026-11-01"])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.output)
    n_rows = sum(len(pd.read_csv(p)) for p in sample_dir.glob("*.csv"))  # every data row of every table
    assert payload == {
        "valid": True,
        "n_rows": n_rows,
        "missing_scores": 133,
        "warnings": [],
        "notes": [],
        "n_problems": 0,
        "summary": [],
        "problems": [],
    }


def test_validate_invalid_file_exits_1_with_every_problem(tmp_path, sample_wide):
    df = sample_wide.head(5).copy()
    df.loc[0, "housing"] = "9"
    df.loc[2, "wave"] = "Jaar 7"
    path = tmp_path / "bad.csv"
    df.to_csv(path, index=False)
    result = runner.invoke(app, ["validate", str(path), "--json", "--today", "2026-11-01"])
    assert result.exit_code == 1
    payload = json.loads(result.output)
    assert payload["valid"] is False
    assert [(p["row"], p["column"], p["value"]) for p in payload["problems"]] == [
        (2, "housing", "9"),
        (4, "wave", "Jaar 7"),
    ]
    assert set(payload["problems"][0]) == {"file", "row", "column", "value", "message", "code"}
    table = runner.invoke(app, ["validate", str(path), "--lang", "nl", "--today", "2026-11-01"])
    assert table.exit_code == 1
    assert "buiten het toegestane bereik" in table.output
    assert "Traceback" not in table.output


def test_usage_errors_exit_2(tmp_path):
    assert runner.invoke(app, ["validate", str(tmp_path / "missing.csv")]).exit_code == 2
    assert runner.invoke(app, ["validate", ".", "--lang", "fr"]).exit_code == 2


def test_a_broken_instrument_file_is_invalid_input_exit_1(tmp_path):
    bad = tmp_path / "inst.toml"
    bad.write_text('id = "x"\n')
    # wide enough for any tmp_path (an xdist worker's is longer): the message is not wrapped mid-name
    result = runner.invoke(app, ["validate", "data/sample", "--instrument", str(bad)], env={"COLUMNS": "250"})
    assert result.exit_code == 1
    assert "inst.toml" in result.output
    assert "domains" in result.output


@pytest.mark.parametrize(
    "command",
    [
        ["validate"],
        ["analyse"],
        ["costs", "--draws", "10"],
        ["report", "--out", "r.html"],
    ],
)
def test_every_command_treats_a_missing_path_as_a_usage_error(tmp_path, command):
    """One policy (impactkit/cli/_errors.py): a path that does not exist is a usage error, exit 2."""
    name, *options = command
    result = runner.invoke(app, [name, str(tmp_path / "missing"), *options])
    assert result.exit_code == 2
    assert "existing file or folder" in result.output
    assert "Traceback" not in result.output


def test_sample_command_writes_a_cohort(tmp_path):
    result = runner.invoke(app, ["sample", "--families", "40", "--seed", "3", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert len(pd.read_csv(tmp_path / "families.csv")) == 40


def test_validate_pseudonymise_writes_keyed_copy(tmp_path, monkeypatch, sample_dir):
    monkeypatch.setenv("IMPACTKIT_PSEUDONYM_KEY", "Jx8vQ2mZt5Rk9pWc3LsY7dNf4HgT")
    out = tmp_path / "pseudo"
    result = runner.invoke(
        app, ["validate", str(sample_dir), "--pseudonymise", str(out), "--today", "2026-11-01"]
    )
    assert result.exit_code == 0, result.output
    fam = pd.read_csv(out / "families.csv")
    assert not fam["family_id"].str.startswith("F0").any()
    a = pd.read_csv(out / "assessments.csv")
    assert set(a["family_id"]) <= set(fam["family_id"])
