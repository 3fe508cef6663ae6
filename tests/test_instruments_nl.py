"""Mistakes in an instrument definition (a user's own instrument.toml) in the command line's
language.  English is what a Python caller sees and is unchanged: the English sentences below are
those the f-strings of impactkit/instruments/_instrument.py wrote before the texts moved into the
``refusals`` catalogue (44 bad instruments compared string by string against main 4360290; the one
difference is deliberate: a bad top-level id is now at key 'id', it was at key '.id')."""

from __future__ import annotations

import ast
import copy
import shutil
import tomllib
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

import impactkit as ik
from impactkit.cli import app

TODAY = "2026-11-01"
PACKAGE = Path(__file__).resolve().parents[1] / "impactkit"
DEFAULT = tomllib.loads(
    resources.files("impactkit.instruments").joinpath("data/default.toml").read_text("utf-8")
)


def _spec(**top: Any) -> dict[str, Any]:
    spec = copy.deepcopy(DEFAULT)
    spec.update(top)
    return spec


def _first_domain(**changes: Any) -> dict[str, Any]:
    spec = copy.deepcopy(DEFAULT)
    spec["domains"][0].update(changes)
    return spec


CASES = [
    (
        _spec(id="Bad Id"),
        "key 'id': expected a lower-case identifier (letters, digits, '_'), got 'Bad Id'",
        "sleutel 'id': verwacht een naam in kleine letters (letters, cijfers, '_'), gekregen: 'Bad Id'",
    ),
    (
        _spec(reliability=1.5),
        "key 'reliability': a reliability must lie strictly between 0 and 1, got 1.5",
        "sleutel 'reliability': een betrouwbaarheid moet tussen 0 en 1 liggen (0 en 1 zelf niet), gekregen: 1.5",
    ),
    (
        _first_domain(sufficient=99),
        "key 'domains[0].sufficient': must lie within the scale 1–5, got 99",
        "sleutel 'domains[0].sufficient': moet binnen de schaal 1–5 liggen, gekregen: 99",
    ),
    (
        _spec(scale={**DEFAULT["scale"], "min": 5, "max": 1}),
        "key 'scale.max': scale.min (5) must be below scale.max (1)",
        "sleutel 'scale.max': scale.min (5) moet kleiner zijn dan scale.max (1)",
    ),
    (
        _spec(waves=DEFAULT["waves"][:1]),
        "key 'waves': an instrument needs two or more waves, got 1",
        "sleutel 'waves': een meetinstrument heeft twee of meer meetmomenten nodig, gekregen: 1",
    ),
    (
        _spec(items=[{"id": "q1", "domain": "mars"}]),
        "key 'items[0].domain': unknown domain 'mars'; expected one of ['child_development', ",
        "sleutel 'items[0].domain': onbekend domein 'mars'; verwacht een van ['child_development', ",
    ),
    (
        _spec(min_share_answered=0),
        "key 'min_share_answered': must lie in (0, 1], got 0",
        "sleutel 'min_share_answered': moet groter dan 0 en hoogstens 1 zijn, gekregen: 0",
    ),
    (
        _first_domain(aliases="fin"),
        "key 'domains[0].aliases': expected a list of strings, got 'fin'",
        "sleutel 'domains[0].aliases': verwacht een lijst van teksten, gekregen: 'fin'",
    ),
]


@pytest.mark.parametrize(("spec", "en", "nl"), CASES)
def test_instrument_mistake_in_english_and_dutch(spec: dict[str, Any], en: str, nl: str) -> None:
    with pytest.raises(ik.InstrumentError) as info:
        ik.Instrument.from_dict(spec, source="mijn.toml")
    assert str(info.value).startswith("mijn.toml, " + en)
    assert info.value.text("nl").startswith("mijn.toml, " + nl)


def test_unreadable_instrument_files_in_dutch(tmp_path: Path) -> None:
    files = {
        "latin1.toml": ("naam = 'caf\xe9'".encode("latin-1"),
                        "geen UTF-8-tekst (byte 0xE9 op positie 11): sla het bestand op als UTF-8"),
        "bin.toml": (b"id = 1\x00", "het bestand bevat binaire gegevens, geen TOML- of YAML-tekst"),
        "x.json": (b"{}", "bestandstype '.json' wordt niet ondersteund: verwacht .toml, .yaml of .yml"),
        "list.yaml": (b"- 1\n- 2\n", "verwacht een tabel op het hoogste niveau"),
        "deep.toml": (b"a = " + b"[" * 2000 + b"]" * 2000, "te diep genest voor een definitie van een meetinstrument"),
    }  # fmt: skip
    for name, (data, nl) in files.items():
        (tmp_path / name).write_bytes(data)
        with pytest.raises(ik.InstrumentError) as info:
            ik.Instrument.from_file(tmp_path / name)
        assert info.value.text("nl") == f"{tmp_path / name}: {nl}"
    with pytest.raises(ik.InstrumentError) as info:
        ik.Instrument.from_file(tmp_path / "weg.toml")
    assert str(info.value) == f"{tmp_path / 'weg.toml'}: file not found"
    assert info.value.text("nl") == f"{tmp_path / 'weg.toml'}: bestand niet gevonden"


def test_own_instrument_mistake_through_the_dutch_command_line(tmp_path: Path, sample_dir: Path) -> None:
    export = tmp_path / "export"
    shutil.copytree(sample_dir, export)
    spec = copy.deepcopy(DEFAULT)
    spec["id"] = "eigen"
    spec["waves"] = spec["waves"][:1]
    lines = [f"id = {spec['id']!r}", "[scale]", "min = 1", "max = 5"]
    lines += [f"[[domains]]\nid = {d['id']!r}" for d in spec["domains"]]
    lines += [f"[[waves]]\nid = {w['id']!r}" for w in spec["waves"]]
    (export / "eigen.toml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (export / "impactkit.toml").write_text("instrument = 'eigen.toml'\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["--lang", "nl", "validate", str(export)], env={"COLUMNS": "1000"})
    said = " ".join(result.output.split())
    assert result.exit_code == 1, said
    assert (
        f"fout: {export / 'eigen.toml'}, sleutel 'waves': een meetinstrument heeft twee of meer "
        "meetmomenten nodig, gekregen: 1"
    ) in said, said
    english = CliRunner().invoke(app, ["validate", str(export)], env={"COLUMNS": "1000"})
    assert "key 'waves': an instrument needs two or more waves, got 1" in " ".join(english.output.split())


def test_alias_clash_in_the_mapping_file_in_dutch(tmp_path: Path, sample_dir: Path) -> None:
    export = tmp_path / "export"
    shutil.copytree(sample_dir, export)
    inst = ik.Instrument.builtin("default")
    first, second = inst.domains[0], inst.domains[1]
    (export / "impactkit.toml").write_text(
        f"[domains]\n{second.id} = [{first.label_nl!r}]\n", encoding="utf-8"
    )
    with pytest.raises(ik.ConfigError) as info:
        ik.validate(export, today=TODAY)
    cfg = export / "impactkit.toml"
    assert str(info.value) == (
        f"{cfg}, key 'domains': builtin:default, key 'domains': label or alias {first.label_nl!r} refers to "
        f"both {first.id!r} and {second.id!r}"
    )
    assert info.value.text("nl") == (
        f"{cfg}, sleutel 'domains': naam of alias {first.label_nl!r} verwijst zowel naar {first.id!r} als "
        f"naar {second.id!r}"
    )


def test_instrument_errors_are_made_from_catalogue_texts() -> None:
    """No ``InstrumentError("...")`` and no ``_fail("a sentence", ...)``: every instrument error is
    ``InstrumentError.at(key, ...)`` (or ``_fail(key, ...)``) so that it has a Dutch text."""
    keys: list[str] = []
    plain: list[str] = []
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            f = node.func
            if isinstance(f, ast.Name) and f.id == "InstrumentError":
                plain.append(f"{path.relative_to(PACKAGE.parent)}:{node.lineno}")
            at = (
                isinstance(f, ast.Attribute)
                and f.attr == "at"
                and getattr(f.value, "id", "") == "InstrumentError"
            )
            if (at or (isinstance(f, ast.Name) and f.id == "_fail")) and node.args:
                arg = node.args[0]
                if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                    keys.append(arg.value)
                elif not (isinstance(arg, ast.Name) and arg.id == "message_key"):  # _fail passes its key on
                    plain.append(f"{path.relative_to(PACKAGE.parent)}:{node.lineno}")
    assert plain == []
    assert len(keys) >= 35  # the raise sites of instruments/_instrument.py
    from impactkit._refusals import refusal

    for key in set(keys):
        assert refusal(key, "nl") != key  # every key has a catalogue text (not the bare key)
