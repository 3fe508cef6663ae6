"""Instruments: the shipped definitions, the minimal dict, files, and errors naming file and key."""

from __future__ import annotations

import pytest

import impactkit as ik
from impactkit.instruments import builtin, normalise_label


def test_default_instrument_matches_the_issue():
    inst = builtin("default")
    assert inst.domain_ids == [
        "finances",
        "housing",
        "social_network",
        "mental_wellbeing",
        "physical_health",
        "parenting",
        "child_development",
        "participation",
        "paperwork",
    ]
    assert [d.label_nl for d in inst.domains] == [
        "Financiën",
        "Wonen",
        "Sociaal netwerk",
        "Psychisch welbevinden",
        "Lichamelijke gezondheid",
        "Opvoeding en gezinsklimaat",
        "Ontwikkeling en school van de kinderen",
        "Werk, dagbesteding en participatie",
        "Taal, administratie en instanties",
    ]
    assert (inst.scale.min, inst.scale.max, inst.scale.higher_is_better) == (1, 5, True)
    assert [lv.label_nl for lv in inst.scale.levels] == [
        "Acute problematiek",
        "Niet zelfredzaam",
        "Beperkt zelfredzaam",
        "Voldoende zelfredzaam",
        "Volledig zelfredzaam",
    ]
    assert inst.wave_ids == ["intake", "year1", "year2"]
    assert [w.label_nl for w in inst.waves] == ["Intake", "Jaar 1", "Jaar 2"]
    assert inst.sufficient == 4
    assert all(d.reliability == 0.8 for d in inst.domains)


def test_zrm_has_13_domains_and_labels_only():
    inst = builtin("zrm2017")
    assert len(inst.domains) == 13
    assert inst.domain_label("justice", "nl") == "Justitie"
    assert inst.scale.level_label(1, "nl") == "Acute problematiek"
    assert inst.items == ()


def test_agreement35_items_and_report_mark():
    inst = builtin("agreement35")
    assert len(inst.items) == 35
    assert len({i.domain for i in inst.items}) == 9
    assert (inst.scale.min, inst.scale.max, inst.scale.report_mark) == (1, 4, True)
    assert any(i.reverse for i in inst.items)


def test_minimal_dict_from_the_issue_is_complete():
    inst = ik.Instrument.from_dict(
        {
            "id": "panel",
            "domains": [{"id": "housing"}],
            "scale": {"min": 1, "max": 10},
            "waves": [{"id": "intake"}, {"id": "year1"}, {"id": "year2"}],
        }
    )
    assert inst.domain_label("housing", "nl") == "housing"
    assert inst.wave_label("year1", "en") == "year1"
    assert inst.sufficient is None
    assert inst.reliability("housing") is None


@pytest.mark.parametrize(
    ("text", "wave"),
    [
        ("Intake", "intake"),
        ("T0", "intake"),
        ("jaar 1", "year1"),
        ("Jaar_2", "year2"),
        ("T1", "year1"),
        ("x", None),
    ],
)
def test_wave_aliases(text, wave):
    assert builtin("default").match_wave(text) == wave


def test_domain_matching_ignores_case_accents_and_separators():
    inst = builtin("default")
    assert inst.match_domain("FINANCIEN") == "finances"
    assert inst.match_domain("Psychisch_welbevinden") == "mental_wellbeing"
    assert inst.match_domain("Children's development and school") == "child_development"
    assert normalise_label("\ufeffGezin-ID ") == "gezin id"


def test_from_toml_and_yaml(tmp_path):
    (tmp_path / "x.toml").write_text(
        'id = "mine"\nsufficient = 6\n[scale]\nmin = 1\nmax = 10\n'
        '[[domains]]\nid = "housing"\nlabel_nl = "Wonen"\nreliability = 0.7\n'
        '[[waves]]\nid = "t0"\naliases = ["Start"]\n[[waves]]\nid = "t1"\n',
        encoding="utf-8",
    )
    (tmp_path / "x.yaml").write_text(
        "id: mine\nscale: {min: 1, max: 10}\ndomains:\n  - id: housing\n    label_nl: Wonen\n"
        "waves:\n  - {id: t0, aliases: [Start]}\n  - {id: t1}\n",
        encoding="utf-8",
    )
    toml = ik.Instrument.from_file(tmp_path / "x.toml")
    yaml = ik.Instrument.from_file(tmp_path / "x.yaml")
    assert toml.domain_ids == yaml.domain_ids == ["housing"]
    assert toml.match_wave("start") == yaml.match_wave("START") == "t0"
    assert toml.reliability("housing") == 0.7
    assert toml.sufficient == 6


@pytest.mark.parametrize(
    ("body", "key"),
    [
        ('id = "x"\n[scale]\nmin = 1\nmax = 5\n[[waves]]\nid = "a"\n[[waves]]\nid = "b"\n', "domains"),
        (
            'id = "x"\n[scale]\nmin = 5\nmax = 1\n[[domains]]\nid = "d"\n[[waves]]\nid = "a"\n[[waves]]\nid = "b"\n',
            "scale.max",
        ),
        ('id = "x"\n[scale]\nmin = 1\nmax = 5\n[[domains]]\nid = "d"\n[[waves]]\nid = "a"\n', "waves"),
        (
            'id = "x"\n[scale]\nmin = 1\nmax = 5\nmaxx = 3\n[[domains]]\nid = "d"\n[[waves]]\nid = "a"\n[[waves]]\nid = "b"\n',
            "scale.maxx",
        ),
        (
            'id = "x"\n[scale]\nmin = 1\nmax = 5\n[[domains]]\nid = "d"\nreliability = 1.5\n'
            '[[waves]]\nid = "a"\n[[waves]]\nid = "b"\n',
            "domains[0].reliability",
        ),
        (
            'id = "x"\n[scale]\nmin = 1\nmax = 5\n[[domains]]\nid = "Bad Id"\n[[waves]]\nid = "a"\n[[waves]]\nid = "b"\n',
            "domains[0].id",
        ),
        (
            'id = "x"\nsufficient = 9\n[scale]\nmin = 1\nmax = 5\n[[domains]]\nid = "d"\n'
            '[[waves]]\nid = "a"\n[[waves]]\nid = "b"\n',
            "sufficient",
        ),
        (
            'id = "x"\n[scale]\nmin = 1\nmax = 5\n[[domains]]\nid = "d"\n[[waves]]\nid = "a"\n[[waves]]\nid = "b"\n'
            '[[items]]\nid = "q1"\ndomain = "nope"\n',
            "items[0].domain",
        ),
        (
            'id = "x"\n[scale]\nmin = 1\nmax = 5\n[[domains]]\nid = "d"\n[[domains]]\nid = "d"\n'
            '[[waves]]\nid = "a"\n[[waves]]\nid = "b"\n',
            "domains",
        ),
    ],
)
def test_bad_instrument_file_names_file_and_key(tmp_path, body, key):
    path = tmp_path / "bad.toml"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(ik.InstrumentError) as info:
        ik.Instrument.from_file(path)
    assert info.value.key == key
    assert str(path) in str(info.value)
    assert isinstance(info.value, ValueError)


def test_unparsable_toml_names_the_file(tmp_path):
    path = tmp_path / "broken.toml"
    path.write_text("id = [", encoding="utf-8")
    with pytest.raises(ik.InstrumentError, match=r"broken\.toml"):
        ik.Instrument.from_file(path)


def test_unknown_builtin_is_a_parameter_error():
    with pytest.raises(ik.ParameterError, match="'name' parameter of builtin"):
        builtin("outcomes_star")


def test_an_instrument_is_its_own_deep_copy():
    """Immutable, so deepcopy (which pandas applies to a frame's attrs after nearly every
    operation) returns it; a copied frame still carries an equal, working instrument."""
    import copy

    import pandas as pd

    inst = builtin("default")
    assert copy.deepcopy(inst) is inst
    assert copy.deepcopy({"instrument": inst})["instrument"] is inst
    frame = pd.DataFrame({"score": [1.0, 2.0]})
    frame.attrs["instrument"] = inst
    derived = frame[frame["score"] > 1] + 1
    assert derived.attrs["instrument"] is inst
    assert derived.attrs["instrument"].domain_ids == builtin("default").domain_ids
    assert copy.copy(inst) == inst
