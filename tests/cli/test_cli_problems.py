"""Long problem lists: a summary by column and kind first, then the first problems; --all for every
one; --json streams them all (the memory check for 100,000 bad cells is a benchmark)."""

from __future__ import annotations

import io
import json

import pandas as pd
import pytest
from typer.testing import CliRunner

from impactkit.cli import app
from impactkit.cli._problems import FIRST, TABLE_LIMIT, stream_problems_json, summarise

runner = CliRunner()
TODAY = ["--today", "2026-11-01"]


@pytest.fixture(scope="module")
def many_bad(tmp_path_factory, sample_wide):
    """600 rows: every finances score 9 (out of range), every tenth housing score 'x' (not a number)."""
    df = pd.concat([sample_wide] * 1, ignore_index=True).head(600).copy()
    df["finances"] = "9"
    df.loc[df.index % 10 == 0, "housing"] = "x"
    path = tmp_path_factory.mktemp("bad") / "assessments.csv"
    df.to_csv(path, index=False)
    return path


def _flat(text):
    return " ".join(text.split())


def test_summary_then_the_first_problems(many_bad):
    res = runner.invoke(app, ["validate", str(many_bad), *TODAY], env={"COLUMNS": "80"})
    assert res.exit_code == 1
    out = _flat(res.stdout)
    assert "660 problems in assessments.csv" in out
    assert "Problems by column and kind" in out
    assert "finances outside the range 600 rows 2–601" in out  # short kind, count and where
    assert "housing not a number 60 rows 2–592" in out  # every tenth row
    assert "outside the allowed range; expected an integer from 1 to 5" in out  # in the first problems
    assert f"The first {FIRST} problems" in out
    assert f"… and {660 - FIRST} more. --all lists every problem" in out
    assert max(len(line) for line in res.stdout.splitlines()) <= 80


def test_all_lists_every_problem_as_lines_beyond_the_table_limit(many_bad):
    res = runner.invoke(app, ["analyse", str(many_bad), "--all", *TODAY], env={"COLUMNS": "80"})
    assert res.exit_code == 1
    lines = [line for line in res.stderr.splitlines() if line.startswith("assessments.csv:")]
    assert TABLE_LIMIT < 660
    assert len(lines) == 660
    assert (
        lines[0]
        == "assessments.csv:2: finances = '9': outside the allowed range; expected an integer from 1 to 5"
    )
    assert "more." not in res.stderr


def test_json_streams_every_problem_with_the_summary(many_bad):
    res = runner.invoke(app, ["validate", str(many_bad), "--json", *TODAY])
    assert res.exit_code == 1
    payload = json.loads(res.stdout)
    assert payload["n_problems"] == len(payload["problems"]) == 660
    counts = {(s["column"], s["code"]): s["count"] for s in payload["summary"]}
    assert counts == {("finances", "out_of_range"): 600, ("housing", "not_a_number"): 60}
    assert payload["problems"][0] == {
        "file": str(many_bad), "row": 2, "column": "finances", "value": "9",
        "message": "outside the allowed range; expected an integer from 1 to 5", "code": "out_of_range",
    }  # fmt: skip


def test_dutch_problem_table():
    problems = pd.DataFrame(
        {"file": ["a.csv"] * 2, "row": [2, 3], "column": ["wave", "wave"], "value": ["x", "y"],
         "message": ["onbekend meetmoment", "onbekend meetmoment"], "code": ["unknown_wave"] * 2}
    )  # fmt: skip
    from rich.console import Console

    from impactkit.cli._problems import print_problems

    buf = io.StringIO()
    print_problems(Console(file=buf, width=80), problems, lang="nl", show_all=False)
    text = buf.getvalue()
    assert "2 problemen in a.csv" in text
    for header in ("rij", "kolom", "waarde", "probleem"):
        assert header in text


def test_summary_and_stream_on_an_empty_list():
    empty = pd.DataFrame(columns=["file", "row", "column", "value", "message", "code"])
    assert summarise(empty).empty
    buf = io.StringIO()
    stream_problems_json(empty, {"valid": True})
    stream_problems_json(empty, {"valid": True}, buf)
    assert json.loads(buf.getvalue()) == {"valid": True, "n_problems": 0, "summary": [], "problems": []}
