"""The command line is a client of the public API: every data command takes the same options, each sets
a parameter the library has, and a hint names the flag on the command line and the parameter in Python."""

from __future__ import annotations

import inspect
import json
import shutil

import pandas as pd
import pytest
from typer.main import get_command
from typer.testing import CliRunner

import impactkit as ik
from impactkit.cli import app

runner = CliRunner()
TODAY = ["--today", "2026-11-01"]
SHARED = ["--config", "--instrument", "--scenario", "--ignore-column", "--domains", "--programme", "--municipality",
          "--lang", "--json", "--all", "--debug", "--families", "--today", "--allow-personal-data"]  # fmt: skip
LIBRARY = {  # flag -> the read_dataset parameter it sets
    "--instrument": "instrument", "--ignore-column": "ignore_columns", "--domains": "domains",
    "--programme": "programme", "--municipality": "municipality", "--lang": "lang", "--families": "families",
    "--today": "today", "--allow-personal-data": "allow_personal_data",
}  # fmt: skip


def _flags(name):
    command = get_command(app).commands[name]  # type: ignore[attr-defined]
    return {opt for p in command.params for opt in p.opts}


@pytest.mark.parametrize("name", ["validate", "analyse", "costs", "report"])
def test_every_data_command_takes_the_shared_options(name):
    assert set(SHARED) <= _flags(name)


def test_sample_takes_language_json_and_debug():
    assert {"--lang", "--json", "--debug"} <= _flags("sample")


def test_each_shared_option_sets_a_library_parameter():
    params = inspect.signature(ik.read_dataset).parameters
    for flag, parameter in LIBRARY.items():
        assert parameter in params, flag
    assert {"programme", "municipality", "domains"} <= set(inspect.signature(ik.build_report).parameters)


@pytest.fixture
def with_remark(tmp_path, sample_dir):
    folder = tmp_path / "export"
    shutil.copytree(sample_dir, folder)
    fam = pd.read_csv(folder / "families.csv", dtype=str, keep_default_na=False)
    fam["Opmerking"] = "x"
    fam.to_csv(folder / "families.csv", index=False)
    return folder


def test_a_hint_names_the_flag_on_the_command_line_and_the_parameter_in_python(with_remark):
    res = runner.invoke(app, ["validate", str(with_remark), "--json", *TODAY])
    assert res.exit_code == 1
    (problem,) = json.loads(res.stdout)["problems"]
    assert problem["column"] == "Opmerking"
    assert "pass --ignore-column Opmerking to skip it" in problem["message"]
    assert "ignore_columns" not in problem["message"]
    report = ik.validate(with_remark, today="2026-11-01")
    assert "pass ignore_columns=['Opmerking'] to skip it" in report.problems["message"].item()
    fixed = runner.invoke(app, ["validate", str(with_remark), "--ignore-column", "Opmerking", *TODAY])
    assert fixed.exit_code == 0, fixed.output  # the flag does what the hint says, in every table
    assert ik.validate(with_remark, today="2026-11-01", ignore_columns=["Opmerking"]).valid


def test_the_personal_data_hint(tmp_path, sample_wide):
    df = sample_wide.head(6).copy()
    df["naam"] = "Jansen"
    path = tmp_path / "a.csv"
    df.to_csv(path, index=False)
    res = runner.invoke(app, ["validate", str(path), "--json", *TODAY])
    assert "--allow-personal-data" in json.loads(res.stdout)["problems"][0]["message"]
    assert "allow_personal_data=True" in ik.validate(path, today="2026-11-01").problems["message"].item()


def test_a_design_hint_names_the_domains_flag(tmp_path):
    """A constant domain refuses the paired test; the hint says which --domains leave it out."""
    rows = [
        {
            "family_id": f"F{i}",
            "wave": w,
            "finances": str(1 + i % 3 + (w == "year2") * (i % 2)),
            "housing": "3",
        }
        for i in range(6)
        for w in ("intake", "year2")
    ]
    path = tmp_path / "a.csv"
    pd.DataFrame(rows).to_csv(path, index=False)
    inst = tmp_path / "inst.toml"
    inst.write_text(
        'id = "two"\nreliability = 0.8\n[scale]\nmin = 1\nmax = 5\n[[domains]]\nid = "finances"\n[[domains]]\nid = "housing"\n'
        '[[waves]]\nid = "intake"\n[[waves]]\nid = "year2"\n',
        encoding="utf-8",
    )
    res = runner.invoke(app, ["analyse", str(path), "--instrument", str(inst), *TODAY])
    assert res.exit_code == 1
    assert "Leave it out with --domains finances" in " ".join(res.output.split())
    with pytest.raises(ik.DesignError, match=r"leave the domain out with domains=\['finances'\]"):
        ik.reliable_change(ik.read_dataset(path, instrument=str(inst), today="2026-11-01").assessments)
    ok = runner.invoke(
        app, ["analyse", str(path), "--instrument", str(inst), "--domains", "finances", *TODAY]
    )
    assert ok.exit_code == 0, ok.output


def test_selection_options_reach_every_command(sample_dir, tmp_path):
    """Reference: the families of Tiel counted from families.csv by hand (pandas, independent of impactkit)."""
    fam = pd.read_csv(sample_dir / "families.csv")
    n_tiel = int((fam["municipality"] == "Tiel").sum())
    res = runner.invoke(app, ["analyse", str(sample_dir), "--municipality", "Tiel", "--json", *TODAY])
    assert res.exit_code == 0, res.output
    payload = json.loads(res.stdout)
    assert payload["selection"] == f"municipality = Tiel; {n_tiel} of {len(fam)} families"
    baseline = [r for r in payload["tables"]["attrition"] if r["group"] == "all" and r["wave"] == "intake"]
    assert baseline[0]["n_families"] == n_tiel
    two = runner.invoke(app, ["analyse", str(sample_dir), "--domains", "finances,housing", "--json", *TODAY])
    assert {r["domain"] for r in json.loads(two.stdout)["tables"]["change"]} == {"finances", "housing"}
    costs = runner.invoke(app, ["costs", str(sample_dir), "--programme", "Home-Start", "--draws", "0"])
    assert costs.exit_code == 1  # the programme costs cannot be split by programme: a clear refusal
    assert "programme_costs table has no programme column" in " ".join(costs.output.split())
