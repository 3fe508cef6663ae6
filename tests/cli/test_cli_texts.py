"""Every CLI text the code names is in the cli catalogue of every language (placeholders: tests/i18n);
help and messages follow the language of the command line (--lang, else $IMPACTKIT_LANG, else the locale)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

import impactkit.cli as cli_package
from impactkit.cli import app
from impactkit.cli._texts import LANGS, column_label, is_text, lang_from, t, value_label
from impactkit.i18n import catalogue

runner = CliRunner()
CLI_DIR = Path(cli_package.__file__).parent


def _keys_in_code() -> set[str]:
    """Every text key the command-line modules name literally (t("..."), help="...", panels, steps)."""
    found: set[str] = set()
    for path in CLI_DIR.glob("*.py"):
        src = path.read_text(encoding="utf-8")
        if "from impactkit.cli._texts import" not in src and "@app.command(cls=Command" not in src:
            continue  # a command with its own catalogue (impactkit run: the run texts)
        found |= set(re.findall(r'\bt\(\s*"([a-z_][\w.]*)"', src))
        found |= set(re.findall(r'"((?:help|panel|meta|step|title|kind)\.[\w.]+)"', src))
    return {k for k in found if not k.endswith(".")}


def test_every_key_the_code_names_is_in_the_catalogue_in_every_language():
    keys = _keys_in_code()
    assert len(keys) > 80  # the scan finds the texts (help, panels, titles, messages)
    for lang in LANGS:
        have = catalogue(lang, "cli")
        missing = sorted(k for k in keys if k not in have)
        assert not missing, (lang, missing)


def test_texts_labels_and_kinds_come_from_the_catalogue():
    assert t("panel.selection", "nl") == "Selectie"
    assert t("title.part", "nl", title="X", part=1, parts=2) == "X (1 van 2)"
    assert column_label("column", "nl") == "kolom"
    assert column_label("quantity", "nl") == ""  # a header that says nothing
    assert column_label("not_a_label", "nl") == "not_a_label"
    assert value_label("recovered", "nl") == "hersteld"
    assert is_text("kind.not_a_number")
    assert t("kind.not_a_number", "nl") == "geen getal"
    assert not is_text("Just an English help text.")


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


def test_a_note_is_english_text_that_knows_its_key():
    import copy
    import pickle

    from impactkit.i18n import Note, note_text

    n = Note("change.adjusted", method="Holm", family=Note("change.family_domains", n=9))
    assert n == "p_adjusted (paired t) and wilcoxon_p_adjusted: Holm over the 9 domains of each comparison."
    assert (
        n.text("nl")
        == "De gecorrigeerde p-waarden (p_adjusted voor de gepaarde t, wilcoxon_p_adjusted): Holm over de 9 "
        "leefgebieden van elke vergelijking."
    )
    for twin in (copy.deepcopy(n), pickle.loads(pickle.dumps(n))):
        assert twin == n
        assert twin.text("nl") == n.text("nl")
    assert note_text("a plain note", "nl") == "a plain note"


def test_analyse_notes_follow_the_language(sample_dir):
    res = runner.invoke(app, ["analyse", str(sample_dir), "--lang", "nl"], env={"COLUMNS": "100"})
    assert res.exit_code == 0, res.output
    flat = " ".join(res.output.split())
    for dutch in (
        "niets aangevuld",
        "Wilcoxon-rangtekentoets",
        "Friedman-toets",
        "Aandelen van de ingedeelde",
    ):
        assert dutch in flat
    for english in ("nothing imputed", "Wilcoxon signed-rank", "Shares of the families"):
        assert english not in flat
