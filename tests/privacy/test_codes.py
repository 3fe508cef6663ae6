"""Code lists: no free text reaches a table; municipalities checked against the CBS 2025 list."""

from __future__ import annotations

import re

import pandas as pd
import pytest
from typer.testing import CliRunner

import impactkit as ik
from impactkit.cli import app
from impactkit.privacy import code_list, municipalities

FREE_TEXT = "Moeder Fatima E. (verslaafd), Dorpsstraat 12"


def test_cbs_2025_list():
    """CBS, Gemeentelijke indeling op 1 januari 2025: 342 municipalities (the count CBS states)."""
    m = municipalities(2025)
    assert len(m) == 342 == len(set(m.codes)) == len(set(m.names))
    assert all(re.fullmatch(r"GM\d{4}", c) for c in m.codes)
    assert list(m.codes) == sorted(m.codes)
    # formed on 1 January 2022 or 2023 (CBS), present
    assert {"Dijk en Waard", "Land van Cuijk", "Maashorst", "Voorne aan Zee"} <= set(m.names)
    assert m.code_of("Voorne aan Zee") == "GM1992"
    # merged into others by 2023, absent: Weesp (GM0457), Heerhugowaard (GM0398), Brielle (GM0501)
    assert not {"GM0457", "GM0398", "GM0501"} & set(m.codes)
    assert m.source.startswith("CBS, Gemeentelijke indeling op 1 januari 2025")


@pytest.mark.parametrize(
    ("written", "name"),
    [
        ("Den Haag", "'s-Gravenhage"),
        ("den bosch", "'s-Hertogenbosch"),
        ("GM0363", "Amsterdam"),
        ("0202", "Arnhem"),
        ("Hengelo", "Hengelo (O.)"),
        ("Bergen (NH)", "Bergen (NH.)"),
        ("súdwest-fryslân", "Súdwest-Fryslân"),
        ("Bergen", None),  # two municipalities are called Bergen: never guessed
        ("Atlantis", None),
        ("Weesp", None),  # part of Amsterdam since 2022
    ],
)
def test_municipality_spellings(written, name):
    assert municipalities().name_of(written) == name


def test_free_text_in_a_categorical_column_is_reported_and_never_printed(tmp_path):
    fam = pd.read_csv("data/sample/families.csv").head(5)
    fam.loc[1, "household_type"] = FREE_TEXT
    fam.loc[2, "referral_source"] = "buurvrouw mevr. Jansen"
    fam.loc[3, "municipality"] = "Atlantis"
    fam.loc[4, "end_reason"] = "overleden (zie dossier)"
    p = tmp_path / "families.csv"
    fam.to_csv(p, index=False)
    rep = ik.validate("data/sample/assessments.csv", families=p, today="2026-11-01")
    probs = rep.problems
    got = probs[probs["message"].str.contains("unknown value")]
    assert sorted(got["column"]) == ["end_reason", "household_type", "municipality", "referral_source"]
    assert got.loc[got["column"] == "household_type", "row"].item() == 3
    text = probs.to_string() + " ".join(map(str, rep.to_dict().values()))
    for secret in (FREE_TEXT, "Jansen", "Atlantis", "overleden"):
        assert secret not in text
    assert "(not shown: 44 characters)" in text
    assert "single_parent" in text  # the codes expected are listed
    result = CliRunner().invoke(app, ["validate", "data/sample/assessments.csv", "--families", str(p)])
    assert result.exit_code == 1
    assert "Fatima" not in result.output
    assert "Dorpsstraat" not in result.output


def test_spellings_are_mapped_to_codes(tmp_path):
    fam = pd.read_csv("data/sample/families.csv").head(3)
    fam["household_type"] = ["eenoudergezin", "Statushouder", "armoede"]
    fam["municipality"] = ["Den Haag", "GM0202", "nijmegen"]
    fam["referral_source"] = ["Wijkteam", "huisarts", "JGZ"]
    p = tmp_path / "families.csv"
    fam.to_csv(p, index=False)
    out = ik.read_families(p, today="2026-11-01")
    assert out["household_type"].tolist() == ["single_parent", "newcomer", "poverty"]
    assert out["municipality"].tolist() == ["'s-Gravenhage", "Arnhem", "Nijmegen"]
    assert out["referral_source"].tolist() == ["social_district_team", "gp", "youth_health_care"]


def test_a_mapping_file_can_extend_a_code_list():
    hh = code_list("household_type", {"kinship_care": ["netwerkpleeggezin"]})
    assert hh.match("Netwerkpleeggezin") == "kinship_care"
    assert hh.match("eenoudergezin") == "single_parent"
