"""What a Dutch user reads at the terminal (``--lang nl``) is Dutch: the hints of ``init``, the kind
of personal data a column holds, and the reliable-change table of ``analyse`` (headers, the chance
level as a percentage, its notes, waves by their labels, statuses naming their threshold).

Independent reference: English function words and phrases that no Dutch text uses, and values
worked out by hand (the Dutch words written in the test).
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from typer.testing import CliRunner

import impactkit as ik
from impactkit.cli import app
from impactkit.cli._texts import value_label
from impactkit.io._draft import draft_config

ROOT = Path(__file__).resolve().parents[2]
EXPORTS = ROOT / "tests" / "corpus" / "exports"
runner = CliRunner()
ENGLISH = re.compile(r"\b(?:the|of|and|with|families|ignored|looks like|shown|share|chance|rows)\b")


def _flat(res) -> str:
    return " ".join(res.output.split())


def test_init_hints_are_dutch(tmp_path):
    raw = tmp_path / "raw"
    shutil.copytree(EXPORTS / "home_start", raw)
    (raw / "impactkit.toml").unlink()
    res = runner.invoke(app, ["init", str(raw), "--out", str(tmp_path / "out"), "--lang", "nl"])
    assert res.exit_code == 0, res.output
    out = _flat(res)  # the hints wrap inside their table cells: words, not sentences
    assert "genegeerd" in out
    assert "programma" in out
    assert "free text" not in out
    assert "programme column" not in out
    nl = draft_config(raw, lang="nl").unmapped.set_index("column")["hint"]
    assert (
        nl["Toelichting"]
        == "vrije tekst of een kolom met onbekende codes: genegeerd (TODO: koppel hem als hij ertoe doet)"
    )
    assert (
        nl["programme"]
        == "geen kolom met het programma: geef de naam van het programma op onder [programme] name"
    )
    # Python callers keep the English hints
    hints = draft_config(raw).unmapped["hint"]
    assert hints.str.startswith(("free text", "no programme column")).all()


def test_personal_data_kind_is_named_in_dutch(tmp_path, sample_wide):
    df = sample_wide.head(6).copy()
    df["dob"] = "2001-02-03"  # a birth date: "geboortedatum" in Dutch
    path = tmp_path / "a.csv"
    df.to_csv(path, index=False)
    nl = ik.validate(path, today="2026-11-01", lang="nl").problems["message"].item()
    en = ik.validate(path, today="2026-11-01").problems["message"].item()
    assert "(geboortedatum)" in nl
    assert "birth date" not in nl
    assert "(birth date)" in en


def test_reliable_change_vs_chance_reads_dutch():
    res = runner.invoke(app, ["analyse", str(EXPORTS / "jeugdbescherming"), "--lang", "nl"])
    assert res.exit_code == 0, res.output
    block = res.output[res.output.index("vergeleken met toeval") :]
    block = block[: block.index("Gemeten gezinnen")]
    head = " ".join(block.splitlines()[1:3])
    assert "slechter" in head
    assert "toevalsniveau" in head
    assert "share_deteriorated" not in block
    assert "chance_improved" not in block
    # 'at least one domain' at intake -> year 2: chance 32.1% (the library's value, as a percentage)
    one = next(line for line in block.splitlines() if line.startswith("minstens één domein"))
    assert one.split()[-1] == "32,1%"
    notes = " ".join(block.split())
    assert "|RCI| > 1,96 (Intake → Jaar 2)" in notes  # waves by their Dutch labels, a decimal comma
    assert "Aangenomen betrouwbaarheid voor 13 van de 13 domeinen (Aanname (vaste waarde 0,80" in notes
    assert ENGLISH.search(notes) is None, ENGLISH.search(notes)
    assert "verborgen (n < 10)" in res.output  # the attrition status of a municipality of 5


def test_status_with_a_threshold_in_every_language():
    assert value_label("suppressed (n < 10)", "nl") == "verborgen (n < 10)"
    assert value_label("descriptive (n < 7)", "nl") == "beschrijvend (n < 7)"
    assert value_label("descriptive (n < 7)", "en") == "descriptive (n < 7)"
    assert value_label("anything else", "nl") == "anything else"


def test_business_case_and_run_help_in_dutch():
    top = runner.invoke(app, ["--help", "--lang", "nl"], env={"COLUMNS": "100"})
    assert top.exit_code == 0, top.output
    assert "De business case die een controller kan aanpassen" in top.output
    assert "Maak het rapport voor de financier" in top.output
    assert "Options" not in top.output  # --help sits in the "Opties" panel with --version and --lang
    for command, words in (
        ("business-case", ("Schrijf ook het levende Excel-model", "[standaard: business_case.html]")),
        ("run", ("Verslagperiode: 2025", "(standaard: [run])")),  # [run] is text, not rich markup
    ):
        res = runner.invoke(app, [command, "--help", "--lang", "nl"], env={"COLUMNS": "100"})
        assert res.exit_code == 0, res.output
        flat = _flat(res)
        for w in words:
            assert w in flat
        assert "help." not in res.output  # no untranslated key leaks
        words_only = " ".join(w for w in flat.split("Gebruik:")[-1].split() if not w.startswith("--"))
        # ("of" is Dutch for "or"; option names are English by design)
        assert re.search(r"\b(?:the|and|with|families|default|file|write|page)\b", words_only) is None


def test_business_case_speaks_the_language_of_the_command_line(tmp_path):
    res = runner.invoke(
        app,
        ["business-case", "--out", str(tmp_path / "bc.html"), "--draws", "0", "--families-per-year", "30"],
        env={"IMPACTKIT_LANG": "nl"},
    )
    assert res.exit_code == 0, res.output
    assert "gezinnen per jaar" in res.output
    assert "families per year" not in res.output


# A usage error is the parser's (click's, vendored by typer) or a converted value's (typer's pydantic
# check); both are shown by their structure, in the language of the command line.  Reference: the
# Dutch sentences written out here by hand, and the English ones the parser used to print.
USAGE_ERRORS = [
    (["report"], "fout: PAD ontbreekt.", "error: missing PATH."),
    (["report", "data/sample", "extra", "--out", "x.html"], "fout: onverwacht extra argument: extra.",
     "error: unexpected extra argument(s): extra."),
    (["report", "data/sample", "--k"], "fout: --k vraagt een waarde.", "error: --k needs a value."),
    (["report", "data/sample", "--k", "abc", "--out", "x.html"],
     "fout: ongeldige waarde voor --k: 'abc' is geen geheel getal.",
     "error: invalid value for --k: 'abc' is not a whole number."),
    (["report", "data/sample", "--seed", "-1", "--out", "x.html"],
     "fout: ongeldige waarde voor --seed: moet minstens 0 zijn; gekregen: -1.",
     "error: invalid value for --seed: must be at least 0; got -1."),
    (["report", "data/sample", "--kind", "foo", "--out", "x.html"],
     "fout: ongeldige waarde voor --kind: 'foo' is niet een van 'annual', 'business-case', 'casework'.",
     "error: invalid value for --kind: 'foo' is not one of 'annual', 'business-case', 'casework'."),
    ([], "fout: commando ontbreekt.", "error: missing command."),
    (["validate", "/no/such/export"], "fout: PAD moet een bestaand bestand of een bestaande map zijn; "
     "gekregen: '/no/such/export'.", "error: PATH must be an existing file or folder. Got '/no/such/export' instead."),
    (["report", "data/sample", "--generated-at", "12-12", "--out", "x.html"],
     "fout: --generated-at moet een ISO-datum (2026-11-23) zijn; gekregen: '12-12'.",
     "error: --generated-at must be an ISO date (2026-11-23). Got '12-12' instead."),
    # business-case starts no session of its own: the guard still names the parameter by its flag
    (["business-case", "--families-per-year", "-3", "--out", "x.html"],
     "fout: --families-per-year moet een positief getal zijn; gekregen: -3.0.",
     "error: --families-per-year must be a positive number. Got -3.0 instead."),
]  # fmt: skip


def test_usage_errors_read_dutch(tmp_path, monkeypatch):
    monkeypatch.chdir(ROOT)
    for args, nl, en in USAGE_ERRORS:
        for lang, expected in (("nl", nl), ("en", en)):
            res = runner.invoke(app, ["--lang", lang, *args], env={"COLUMNS": "300"})
            assert res.exit_code != 0, (args, res.output)
            assert expected in _flat(res), (args, lang, res.output)
        res = runner.invoke(app, ["--lang", "nl", *args], env={"COLUMNS": "300"})
        assert "Usage" not in res.output, res.output
        assert "[OPTIONS]" not in res.output, res.output
        assert not re.search(r"\b(?:Got|instead|Input should|requires|Missing|unexpected)\b", res.output), (
            res.output
        )


def test_usage_line_reads_dutch():
    res = runner.invoke(app, ["--lang", "nl", "report", "--help"], env={"COLUMNS": "100"})
    assert "Gebruik: impactkit report [OPTIES] {PAD}" in res.output
    top = runner.invoke(app, ["--lang", "nl", "--help"], env={"COLUMNS": "100"})
    assert "Gebruik: impactkit [OPTIES] COMMANDO [ARGUMENTEN]..." in top.output
    en = runner.invoke(app, ["--lang", "en", "report", "--help"], env={"COLUMNS": "100"})
    assert "Usage: impactkit report [OPTIONS] {PATH}" in en.output


# English words of the drafts' comments that none of their Dutch comments uses ("of" is Dutch too)
_COMMENT_ENGLISH = re.compile(
    r"\b(?:the|and|with|every|fix|read|drafted|guessed|order|split|suggests|unused|free text|personal data)\b"
)


def _comments(toml_text: str) -> list[str]:
    return [line.split("#", 1)[1].strip() for line in toml_text.splitlines() if "#" in line]


def _without_comments(toml_text: str) -> str:
    return "\n".join(line.split("  #", 1)[0] for line in toml_text.splitlines() if not line.startswith("#"))


def test_drafted_files_carry_dutch_comments(tmp_path):
    """``impactkit --lang nl init``: the drafted impactkit.toml and instrument.toml explain themselves
    in Dutch; their keys and values are the English draft's, and the markers TODO and CHECK stay."""
    drafted_instrument = 0
    for export in sorted(p for p in (ROOT / "tests" / "corpus").glob("*/*") if p.is_dir()):
        raw = tmp_path / export.parent.name / export.name
        shutil.copytree(export, raw)
        (raw / "impactkit.toml").unlink(missing_ok=True)
        en, nl = draft_config(raw, lang="en"), draft_config(raw, lang="nl")
        for en_text, nl_text in ((en.text, nl.text), (en.instrument_text or "", nl.instrument_text or "")):
            assert _without_comments(nl_text) == _without_comments(en_text), export
            said = _comments(nl_text)
            assert len(said) == len(_comments(en_text)), export
            for line in said:
                assert not _COMMENT_ENGLISH.search(line), (export, line)
            assert sum(c.count("TODO") + c.count("CHECK") for c in said) == sum(
                c.count("TODO") + c.count("CHECK") for c in _comments(en_text)
            )
        assert nl.text.startswith(
            "# impactkit-koppelbestand, opgesteld door `impactkit init` uit de kolomkoppen en waarden van deze "
            "export.\n# Lees het, los elke TODO op, controleer elke CHECK en draai dan `impactkit validate` op de "
            "map.\n"
        )
        if nl.instrument_text:
            drafted_instrument += 1
            assert nl.instrument_text.startswith(
                "# Instrument opgesteld door `impactkit init` uit de scores in deze export: CHECK elke regel.\n"
            )
            assert "# CHECK: de volgorde" in nl.instrument_text
    assert drafted_instrument >= 1  # the corpus holds an export with an instrument of its own
