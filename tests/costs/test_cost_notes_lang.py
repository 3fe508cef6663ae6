"""The notes under a cost result read in the chosen language (issue 10 item 2: --lang nl is Dutch
everywhere), with numbers in that language's format; Python callers keep English strings."""

from __future__ import annotations

from typer.testing import CliRunner

import impactkit as ik
from impactkit.cli import app
from impactkit.i18n import Note, Percent, note_text


def test_percent_in_a_note_follows_the_language():
    # hand check: 2.25% is "2.25%" in English and "2,25%" in Dutch (CLDR nl decimal comma)
    n = Note("costs.money", year=2024, effects=Percent(0.0225, 2), costs=Percent(0.0225, 2))
    assert "2.25% (effects)" in str(n)
    assert "2,25% (effecten)" in n.text("nl")


def test_cost_notes_in_python_are_english_and_translate(sample_dir):
    ev = ik.costs.evaluate(ik.read_dataset(sample_dir), draws=0)
    assert all(isinstance(n, str) for n in ev.notes)
    assert any(n.startswith("Money in 2024 euros") for n in ev.notes)
    dutch = [note_text(n, "nl") for n in ev.notes]
    assert any(n.startswith("Bedragen in euro's van 2024") for n in dutch)
    # every cost note is a catalogue note, none stays English in Dutch
    assert all(isinstance(n, Note) for n in ev.notes)
    assert not any("families" in n for n in dutch)
    assert not any("Programme cost" in n for n in dutch)


def test_costs_cli_in_dutch_prints_dutch_notes(sample_dir):
    res = CliRunner().invoke(app, ["costs", str(sample_dir), "--lang", "nl", "--draws", "200", "--seed", "1"])
    assert res.exit_code == 0, res.output
    out = " ".join(res.output.split())
    assert "Programmakosten uit de tabel programmakosten" in out or "Programmakosten uit het scenario" in out
    assert "verdisconteerd tegen 2,25%" in out
    assert "Money in" not in out
    assert "Avoided care counted" not in out


def test_business_case_data_notes_translate(sample_dir):
    """The data-dependent notes of a business case on data (a path or a care type resting on fewer
    than k families) are catalogue notes that name paths and care types in the reader's language."""
    ds = ik.read_dataset(sample_dir, today="2026-11-01")
    ev = ik.costs.business_case(data=ds, k=150, draws=0)  # k above the sample's rarer paths and care
    few = [n for n in ev.notes if isinstance(n, Note) and n.key.startswith("costs.case_few")]
    assert {n.key for n in few} == {"costs.case_few_path", "costs.case_few_care", "costs.case_few_years"}
    assert not [n for n in ev.notes if not isinstance(n, Note)]  # every note translates
    dutch = [note_text(n, "nl") for n in few]
    english = [str(n) for n in few]
    assert all(n.startswith(("Fewer than 150 families", "Care used of type")) for n in english)
    assert not any(w in n for n in dutch for w in ("Fewer", "families", "Care used", "counted"))
    # paths and care types by their Dutch labels (the scenario's label_nl), never by their ids
    assert any("een kans op Ondertoezichtstelling (OTS)" in n for n in dutch)
    assert any(n.startswith("Gebruikte zorg van het type Pleegvergoeding (") for n in dutch)
    assert not any("_" in n for n in dutch + english)
