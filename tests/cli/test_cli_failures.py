"""One failure policy for every command: the exit codes of the README, one message, no traceback."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

import impactkit as ik
from impactkit.cli import _failures as failures
from impactkit.cli import app

runner = CliRunner()
ROOT = Path(__file__).resolve().parents[2]
TODAY = ["--today", "2026-11-01"]
# each data command with the options it needs to run quickly
COMMANDS = {
    "validate": [],
    "analyse": [],
    "costs": ["--draws", "0"],
    "report": ["--draws", "0", "--out", "{tmp}/r.html"],
}


def _run(name, path, tmp_path, *extra, env=None):
    options = [o.format(tmp=tmp_path) for o in COMMANDS[name]]
    return runner.invoke(app, [name, str(path), *options, *TODAY, *extra], env=env or {})


def _flat(res):
    """The output with its line wrapping undone."""
    return " ".join(res.output.split())


def _no_traceback(res):
    assert "Traceback" not in res.output
    assert res.exception is None or isinstance(res.exception, SystemExit), repr(res.exception)


def test_the_readme_table_is_the_code_table():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    rows = dict(re.findall(r"^\| `(\d+)` \| (.+?) \|$", readme, flags=re.M))
    assert {int(c) for c in rows} == {
        failures.EXIT_OK, failures.EXIT_INVALID, failures.EXIT_USAGE, failures.EXIT_INTERNAL,
        failures.EXIT_INTERRUPTED, failures.EXIT_PIPE,
    }  # fmt: skip
    assert "invalid" in rows["1"]
    assert "usage" in rows["2"]
    assert "--debug" in rows["3"]


@pytest.fixture(scope="module")
def bad_export(tmp_path_factory):
    folder = tmp_path_factory.mktemp("bad") / "export"
    shutil.copytree(ROOT / "data" / "sample", folder)
    wide = pd.read_csv(folder / "assessments.csv", dtype=str, keep_default_na=False)
    wide.loc[3, "finances"] = "9"
    wide.to_csv(folder / "assessments.csv", index=False)
    return folder


@pytest.mark.parametrize("name", list(COMMANDS))
def test_invalid_input_is_1_in_every_command(name, bad_export, tmp_path):
    res = _run(name, bad_export, tmp_path)
    assert res.exit_code == failures.EXIT_INVALID
    assert "finances" in res.output
    assert "9" in res.output
    _no_traceback(res)


@pytest.mark.parametrize("name", list(COMMANDS))
def test_usage_errors_are_2_in_every_command(name, tmp_path):
    missing = _run(name, tmp_path / "missing", tmp_path)
    assert missing.exit_code == failures.EXIT_USAGE
    assert "PATH must be an existing file or folder" in _flat(missing)
    unknown = _run(name, ROOT / "data" / "sample", tmp_path, "--no-such-option")
    assert unknown.exit_code == failures.EXIT_USAGE
    bad_lang = _run(name, ROOT / "data" / "sample", tmp_path, "--lang", "fr")
    assert bad_lang.exit_code == failures.EXIT_USAGE
    assert "--lang must be one of" in _flat(bad_lang)
    town = _run(name, ROOT / "data" / "sample", tmp_path, "--municipality", "Atlantis")
    assert town.exit_code == failures.EXIT_USAGE
    assert "--municipality must be one of" in _flat(town)
    for res in (missing, unknown, bad_lang, town):
        _no_traceback(res)


@pytest.mark.parametrize("name", list(COMMANDS))
def test_an_internal_error_is_3_with_a_hint_and_debug_shows_it(name, tmp_path, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("something impactkit did not expect")

    monkeypatch.setattr(ik, "read_dataset", broken)
    monkeypatch.setattr(ik, "validate", broken)
    res = _run(name, ROOT / "data" / "sample", tmp_path)
    assert res.exit_code == failures.EXIT_INTERNAL
    assert "internal error (RuntimeError: something impactkit did not expect)" in _flat(res)
    assert "--debug" in _flat(res)
    _no_traceback(res)
    debug = _run(name, ROOT / "data" / "sample", tmp_path, "--debug")
    assert isinstance(debug.exception, RuntimeError)  # --debug lets the traceback through
    nl = _run(name, ROOT / "data" / "sample", tmp_path, "--lang", "nl")
    assert "interne fout" in _flat(nl)


@pytest.mark.parametrize(
    ("error", "code", "text"),
    [
        (KeyboardInterrupt(), failures.EXIT_INTERRUPTED, "interrupted"),
        (MemoryError(), failures.EXIT_INVALID, "not enough memory"),
        (
            PermissionError(13, "Permission denied", "/out/r.html"),
            failures.EXIT_INVALID,
            "/out/r.html: Permission denied",
        ),
        (BrokenPipeError(32, "Broken pipe"), failures.EXIT_PIPE, ""),
        (ik.DesignError("no family has both waves"), failures.EXIT_INVALID, "no family has both waves"),
        (
            ik.ScenarioError("must be at least 0", source="s.toml", key="price"),
            failures.EXIT_INVALID,
            "s.toml, key 'price'",
        ),
    ],
)
def test_each_kind_of_failure_has_its_code(error, code, text, tmp_path, monkeypatch):
    def fail(*args, **kwargs):
        raise error

    monkeypatch.setattr(ik, "read_dataset", fail)
    res = _run("analyse", ROOT / "data" / "sample", tmp_path)
    assert res.exit_code == code
    assert text in _flat(res)
    _no_traceback(res)


def test_json_failures_are_json_on_stdout(bad_export, tmp_path):
    res = _run("analyse", bad_export, tmp_path, "--json")
    assert res.exit_code == 1
    payload = json.loads(res.stdout)
    assert payload["valid"] is False
    assert payload["n_problems"] == 1
    assert payload["problems"][0]["column"] == "finances"
    usage = _run("report", ROOT / "data" / "sample", tmp_path, "--k", "2", "--json")
    assert usage.exit_code == 2
    error = json.loads(usage.stdout)["error"]
    assert error["parameter"] == "k"
    assert error["exit_code"] == 2
    parse = runner.invoke(app, ["analyse", "--json", "--no-such-option"])
    assert parse.exit_code == 2
    assert json.loads(parse.stdout)["error"]["type"] == "UsageError"


def test_version():
    res = runner.invoke(app, ["--version"])
    assert res.exit_code == 0
    assert res.stdout.strip() == f"impactkit {ik.__version__}"


def test_a_refusal_in_dutch(tmp_path):
    res = _run("report", ROOT / "data" / "sample", tmp_path, "--k", "400", "--lang", "nl")
    assert res.exit_code == 1
    assert "maar 350 gezinnen; met k = 400 kan niets gepubliceerd worden" in _flat(res)
    assert "verlaag --k" in _flat(res)  # the library's hint, as the flag


def test_limits_refused_before_allocating(tmp_path):
    """The issue's two memory bombs end at once with the limit named (no 71 GiB, no OOM kill)."""
    sample = ROOT / "data" / "sample"
    res = runner.invoke(app, ["costs", str(sample), "--draws", "100000000", *TODAY])
    _no_traceback(res)
    assert res.exit_code == 2
    assert "--draws must be at most 1,000,000 (the limit)" in _flat(res)
    scen = tmp_path / "s.toml"
    scen.write_text('[scenario]\nid = "x"\nreport_year = 2024\nhorizon = 1000000\n', encoding="utf-8")
    for cmd in ("costs", "report"):
        res = _run(cmd, sample, tmp_path, "--scenario", str(scen))
        _no_traceback(res)
        assert res.exit_code == 1
        assert "limit on the horizon" in _flat(res)


def test_a_separated_attrition_model_is_a_status_not_an_overflow(tmp_path):
    """A cohort (found by test_cli_cohorts.py) whose dropout model is separated: exp() of the runaway
    estimate overflowed (a RuntimeWarning, an internal error under -W error); now the odds ratio is
    inf and the model's status says why."""
    import sys
    import warnings

    sys.path.insert(0, str(Path(__file__).parent))
    from _cohorts import Spec, write_cohort

    spec = Spec(n_families=31, scale=(1, 5), n_waves=3, n_domains=8,
                tables=frozenset({"programme_costs", "counterfactuals", "prices", "care_used", "families"}),
                small_municipality=4, small_programme=5, small_path=3, missing_share=0.05, dropout=0.6,
                wide=False, seed=5361)  # fmt: skip
    folder = write_cohort(spec, tmp_path / "export")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        res = runner.invoke(
            app, ["analyse", str(folder), "--instrument", str(folder / "instrument.toml"), *TODAY]
        )
    _no_traceback(res)
    assert res.exit_code == 0, res.output[-1500:]
