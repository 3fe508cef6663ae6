"""A scenario file's errors, and business-case's own refusals, in the language of the command line.

A municipality that edits its scenario.toml and runs ``impactkit --lang nl costs`` reads what is
wrong in Dutch: file, key and message.  The English text (what a Python caller sees) is unchanged:
the expected sentences below are the ones the f-strings wrote before the messages moved into the
``refusals`` catalogue (checked against main 2136475 on all 24 cases of ``BAD``)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from _costs_data import tiny
from test_costs_scenario import BAD
from typer.testing import CliRunner

from impactkit._refusals import refusal
from impactkit.cli import app
from impactkit.costs import Scenario
from impactkit.costs._params import parse_param
from impactkit.errors import ScenarioError

PACKAGE = Path(__file__).resolve().parents[2] / "impactkit"


def _error(change: dict) -> ScenarioError:
    with pytest.raises(ScenarioError) as info:
        Scenario.from_dict(tiny(**change), source="mine.toml")
    return info.value


@pytest.mark.parametrize(
    ("change", "en", "nl"),
    [
        (
            {"programme.payer": "bank"},
            "mine.toml, key 'programme.payer': unknown payer 'bank'; known: municipality_prevention, "
            "municipality_youth, municipality_income, housing_corporations, health_insurers, state, families, "
            "volunteers",
            "mine.toml, sleutel 'programme.payer': onbekende betaler 'bank'; bekend: municipality_prevention, "
            "municipality_youth, municipality_income, housing_corporations, health_insurers, state, families, "
            "volunteers",
        ),
        (
            {"adjustments.deadweight": {"value": 0.5, "dist": "beta", "sd": 0.6, "source": "t"}},
            "mine.toml, key 'adjustments.deadweight': beta needs 0 < mean < 1 and sd² < mean (1 - mean); "
            "got mean 0.5, sd 0.6",
            "mine.toml, sleutel 'adjustments.deadweight': beta vraagt 0 < gemiddelde < 1 en sd² < gemiddelde "
            "(1 - gemiddelde); gekregen: gemiddelde 0.5, sd 0.6",
        ),
        (
            {"paths.social_work.escalations": [{"to": "social_work", "probability": 0.1}]},
            "mine.toml, key 'paths.social_work.escalations': escalations form a cycle: social_work → social_work",
            "mine.toml, sleutel 'paths.social_work.escalations': de escalaties vormen een kring: "
            "social_work → social_work",
        ),
        (
            {"scenario.colour": "blue"},
            "mine.toml, key 'scenario.colour': unknown key(s) ['colour']; allowed: ['horizon', 'id', "
            "'illustrative', 'name', 'name_en', 'name_nl', 'notes', 'report_year']",
            "mine.toml, sleutel 'scenario.colour': onbekende sleutel(s) ['colour']; toegestaan: ['horizon', "
            "'id', 'illustrative', 'name', 'name_en', 'name_nl', 'notes', 'report_year']",
        ),
        (
            {"prices.social_work.price": {"value": 127.0, "low": 130, "high": 150}},
            "mine.toml, key 'prices.social_work.price': 'low' and 'high' go together and must enclose value 127 "
            "(got low=130.0, high=150.0)",
            "mine.toml, sleutel 'prices.social_work.price': 'low' en 'high' horen bij elkaar en moeten de waarde "
            "127 omsluiten (gekregen: low=130.0, high=150.0)",
        ),
    ],
)
def test_scenario_error_in_english_and_dutch(change: dict, en: str, nl: str) -> None:
    err = _error(change)
    assert str(err) == en
    assert err.text("en") == en
    assert err.text("nl") == nl


@pytest.mark.parametrize(("change", "key", "message"), BAD)
def test_every_bad_scenario_has_a_dutch_text(change: dict, key: str, message: str) -> None:
    """Each of the scenario tests' bad files: a keyed message, Dutch from the Dutch catalogue, the same
    file and key, and not the English sentence."""
    err = _error(change)
    assert err.message_key is not None
    nl = err.text("nl")
    assert nl.startswith(f"mine.toml, sleutel {key!r}: ")
    body = nl.removeprefix(f"mine.toml, sleutel {key!r}: ")
    assert body == refusal(err.message_key, "nl", **err.message_values)
    assert (
        message not in body or message == "factor 1.0"
    )  # the English words are gone ("factor" is Dutch too)
    assert nl != str(err)


@pytest.mark.parametrize(
    ("raw", "en", "nl"),
    [
        ({"value": "x"}, "f.toml, key 'p.value': expected a number, got 'x'",
         "f.toml, sleutel 'p.value': verwacht een getal, gekregen: 'x'"),
        ({"value": 1e300}, "f.toml, key 'p.value': must be at most 1e+12 in size (the limit for any scenario "
         "number), got 1e+300", "f.toml, sleutel 'p.value': mag in grootte hooguit 1e+12 zijn (de grens voor elk "
         "getal in een scenario), gekregen: 1e+300"),
        ({"value": 1, "dist": "gamma"}, "f.toml, key 'p': 'sd' is required for this distribution",
         "f.toml, sleutel 'p': 'sd' is verplicht voor deze verdeling"),
        ({"value": 3}, "f.toml, key 'p.value': must be at most 2, got 3",
         "f.toml, sleutel 'p.value': mag hooguit 2 zijn, gekregen: 3"),
    ],
)  # fmt: skip
def test_parameter_errors_in_english_and_dutch(raw: dict, en: str, nl: str) -> None:
    with pytest.raises(ScenarioError) as info:
        parse_param(raw, name="p", file="f.toml", minimum=0, maximum=2)
    assert (str(info.value), info.value.text("nl")) == (en, nl)


def test_no_scenario_error_is_raised_with_an_english_only_text() -> None:
    """Every ``ScenarioError`` in the package is made by ``ScenarioError.at(key, ...)`` (a catalogue
    text), never ``ScenarioError("...")``: a new English-only message fails here."""
    plain = []
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id == "ScenarioError"
            ):
                plain.append(f"{path.relative_to(PACKAGE.parent)}:{node.lineno}")
    assert plain == []


def test_cli_shows_a_bad_scenario_file_in_dutch(tmp_path: Path) -> None:
    bad = tmp_path / "scenario.toml"
    bad.write_text("x = [\n", encoding="utf-8")
    data = PACKAGE.parent / "data" / "sample"
    res = CliRunner().invoke(
        app,
        ["--lang", "nl", "costs", str(data), "--scenario", str(bad), "--draws", "0"],
        env={"COLUMNS": "1000"},
    )
    assert res.exit_code == 1
    said = " ".join(res.output.split())
    assert f"fout: {bad}: geen geldige TOML: " in said
    assert "not valid" not in said


@pytest.mark.parametrize(
    ("args", "nl", "en"),
    [
        ([], "impactkit business-case heeft zonder gegevensmap --families-per-year nodig (bijvoorbeeld "
         "--families-per-year 40), of een gegevensmap als PAD om het aantal uit de gegevens te halen.",
         "impactkit business-case needs --families-per-year without a data folder (for example "
         "--families-per-year 40), or a data folder as PATH to take it from the data."),
        (["--today", "2026-01-01"], "impactkit business-case: --today leest een gegevensmap; geef er een als PAD, "
         "of laat de optie weg voor een wat-als op het scenario.", "impactkit business-case: --today reads a data "
         "folder; give one as PATH, or leave it out for a what-if on the scenario."),
        (["--today", "2026-01-01", "--municipality", "Zwolle"], "impactkit business-case: --municipality, --today "
         "lezen een gegevensmap; geef er een als PAD, of laat de opties weg voor een wat-als op het scenario.",
         "impactkit business-case: --municipality, --today read a data folder; give one as PATH, or leave them "
         "out for a what-if on the scenario."),
    ],
)  # fmt: skip
def test_business_case_refusals_in_both_languages(args: list[str], nl: str, en: str, tmp_path: Path) -> None:
    out = ["--out", str(tmp_path / "bc.html")]
    for lang, expected in (("nl", nl), ("en", en)):
        res = CliRunner().invoke(app, ["--lang", lang, "business-case", *args, *out], env={"COLUMNS": "1000"})
        assert res.exit_code == 2, res.output
        said = " ".join(res.output.split())
        assert said == f"{'fout' if lang == 'nl' else 'error'}: {expected}", said
