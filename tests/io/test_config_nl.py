"""Mistakes in the mapping file (impactkit.toml, its [run] table included) in the command line's
language.  English is what a Python caller sees and is unchanged: the expected English sentences
below are those the f-strings wrote before the texts moved into the ``refusals`` catalogue (39 bad
mapping files compared string by string against main 2136475)."""

from __future__ import annotations

import ast
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

import impactkit as ik
from impactkit.cli import app

TODAY = "2026-11-01"
PACKAGE = Path(__file__).resolve().parents[2] / "impactkit"

CASES = [
    (
        "instrumnet = 'zrm2017'\n",
        "key 'instrumnet': unknown key ['instrumnet'] (did you mean 'instrument'?); allowed: ",
        "sleutel 'instrumnet': onbekende sleutel ['instrumnet'] (bedoel je 'instrument'?); toegestaan: ",
    ),
    (
        "[waves]\nintake = ['T0']\nyear1 = ['t0']\n",
        "key 'waves.year1': 't0' is given for both 'intake' and 'year1'",
        "sleutel 'waves.year1': 't0' staat zowel bij 'intake' als bij 'year1'",
    ),
    (
        "[waves]\nyear9 = ['T9']\n",
        "key 'waves.year9': instrument 'default' has no wave 'year9' (did you mean 'year2'?); its waves: intake, "
        "year1, year2",
        "sleutel 'waves.year9': instrument 'default' heeft geen meetmoment 'year9' (bedoel je 'year2'?); zijn "
        "meetmomenten: intake, year1, year2",
    ),
    (
        "[outcomes]\npost_months = -1\n",
        "key 'outcomes.post_months': expected whole months 0–120 or \"open\", got -1",
        "sleutel 'outcomes.post_months': verwacht hele maanden 0–120 of \"open\", gekregen: -1",
    ),
    (
        "encoding = 'klingon'\n",
        "key 'encoding': unknown encoding 'klingon' (e.g. utf-8, cp1252, utf-16)",
        "sleutel 'encoding': onbekende tekenset 'klingon' (bijvoorbeeld utf-8, cp1252, utf-16)",
    ),
    (
        "[families]\nfile = 'gezin.xlsx'\n",
        "key 'families.file': file 'gezin.xlsx' not found in {folder} (files there: README.md, assessments.csv",
        "sleutel 'families.file': bestand 'gezin.xlsx' niet gevonden in {folder} (bestanden daar: README.md, "
        "assessments.csv",
    ),
]


@pytest.fixture
def export(tmp_path: Path, sample_dir: Path) -> Path:
    folder = tmp_path / "export"
    shutil.copytree(sample_dir, folder)
    return folder


@pytest.mark.parametrize(("text", "en", "nl"), CASES)
def test_mapping_file_mistake_in_english_and_dutch(export: Path, text: str, en: str, nl: str) -> None:
    (export / "impactkit.toml").write_text(text, encoding="utf-8")
    with pytest.raises(ik.ConfigError) as info:
        ik.validate(export, today=TODAY)
    where = f"{export / 'impactkit.toml'}, "
    assert str(info.value).startswith(where + en.format(folder=export))
    assert info.value.text("nl").startswith(where + nl.format(folder=export))
    result = CliRunner().invoke(app, ["--lang", "nl", "validate", str(export)], env={"COLUMNS": "1000"})
    assert result.exit_code == 1
    said = " ".join(result.output.split())
    assert said.startswith(f"fout: {where}{nl.format(folder=export)}"), said


def test_run_table_mistakes_in_dutch(export: Path) -> None:
    cases = {
        "[run]\nlanguages = ['nl']\n": "sleutel 'run.period': de rapportageperiode ontbreekt: voeg bijvoorbeeld "
        "period = 2025 toe",
        "[run]\nperiod = 2025\ndraws = -1\n": "sleutel 'run.draws': verwacht een geheel getal van minstens 0, "
        "gekregen: -1",
        "[run]\nperiod = 2025\nlanguages = ['de']\n": "sleutel 'run.languages': verwacht en, nl, gekregen: 'de'",
    }
    for text, nl in cases.items():
        (export / "impactkit.toml").write_text(text, encoding="utf-8")
        with pytest.raises(ik.ConfigError) as info:
            ik.run.RunConfig.from_file(export / "impactkit.toml")
        assert info.value.text("nl") == f"{export / 'impactkit.toml'}, {nl}"
        assert info.value.text("nl") != str(info.value)


def test_config_errors_are_made_from_catalogue_texts() -> None:
    """``ConfigError("...")`` only where it passes on another error's text (``str(err)``); every
    other mapping-file error is ``ConfigError.at(key, ...)`` or a ``fail(key, ...)`` helper."""
    plain = []
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id == "ConfigError"
            ):
                continue
            arg = node.args[0] if node.args else None
            passed_on = any(
                isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and n.func.id == "str"
                for n in ast.walk(arg or ast.Constant(None))
            )
            if not passed_on:
                plain.append(f"{path.relative_to(PACKAGE.parent)}:{node.lineno}")
    assert plain == []
