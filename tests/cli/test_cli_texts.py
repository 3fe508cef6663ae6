"""Every CLI text in every language with the same placeholders; help and messages follow the
language of the command line (--lang, else $IMPACTKIT_LANG, else the locale)."""

from __future__ import annotations

import string

import pytest
from typer.testing import CliRunner

from impactkit.cli import app
from impactkit.cli._texts import COLUMN_LABELS, LANGS, TEXTS, VALUE_LABELS, lang_from

runner = CliRunner()


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


@pytest.mark.parametrize("table", [TEXTS, COLUMN_LABELS, VALUE_LABELS], ids=["texts", "columns", "values"])
def test_every_key_in_every_language_with_the_same_placeholders(table):
    for key, entry in table.items():
        assert set(entry) == set(LANGS), key
        assert len({frozenset(_fields(entry[lang])) for lang in LANGS}) == 1, key


@pytest.mark.parametrize(
    ("args", "env", "expected"),
    [
        (["analyse", "--lang", "nl"], {}, "nl"),
        (["analyse", "--lang=nl"], {"IMPACTKIT_LANG": "en"}, "nl"),
        (["analyse"], {"IMPACTKIT_LANG": "nl"}, "nl"),
        (["analyse"], {"LANG": "nl_NL.UTF-8"}, "nl"),
        (["analyse"], {"LANG": "nl_BE.UTF-8", "LC_ALL": "en_GB.UTF-8"}, "en"),
        (["analyse"], {"LANG": "C.UTF-8"}, "en"),
        (["analyse"], {}, "en"),
        (["analyse", "--lang", "fr"], {"IMPACTKIT_LANG": "nl"}, "nl"),  # --lang fr is refused later
    ],
)
def test_language_of_a_command_line(args, env, expected):
    assert lang_from(args, env) == expected


def test_help_in_dutch_with_lang_nl_or_the_environment():
    for args, env in (
        (["analyse", "--help", "--lang", "nl"], {}),
        (["analyse", "--help"], {"IMPACTKIT_LANG": "nl"}),
    ):
        res = runner.invoke(app, args, env={**env, "COLUMNS": "100"})
        assert res.exit_code == 0, res.output
        assert "Beschrijving, gepaarde verandering" in res.output
        assert "Alleen de gezinnen van deze gemeente" in res.output
        assert "Invoer" in res.output
        assert "Selectie" in res.output
        assert "Uitvoer" in res.output
        assert "Toon deze hulp en stop." in res.output
        assert "help." not in res.output  # no untranslated key leaks


def test_help_in_english_by_default():
    res = runner.invoke(app, ["--help"], env={"IMPACTKIT_LANG": "en", "COLUMNS": "100"})
    assert res.exit_code == 0
    assert "Does informal family support work" in res.output
    for command in ("validate", "analyse", "costs", "report", "sample"):
        assert command in res.output
    assert "help." not in res.output


def test_usage_errors_speak_dutch():
    res = runner.invoke(app, ["analyse", "data/sample", "--drws", "3", "--lang", "nl"])
    assert res.exit_code == 2
    assert "fout: onbekende optie: --drws." in res.output
    res = runner.invoke(app, ["analse", "--lang", "nl"])
    assert res.exit_code == 2
    assert "onbekend commando 'analse'" in res.output
    assert "Bedoel je analyse?" in res.output
    res = runner.invoke(app, ["report", "data/sample", "--lang", "nl"])
    assert res.exit_code == 2
    assert "--out ontbreekt" in res.output
