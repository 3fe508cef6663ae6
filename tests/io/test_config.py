"""The mapping file impactkit.toml: parsing, file discovery, column and value vocabularies, --config."""

from __future__ import annotations

import shutil

import pandas as pd
import pytest
from typer.testing import CliRunner

import impactkit as ik
from impactkit.cli import app
from impactkit.io._columns import ID_ALIASES
from impactkit.io._config import Config
from impactkit.io._tables import SPECS

TODAY = "2026-11-01"
runner = CliRunner()


def _export(folder, *, waves=("1", "2", "3"), id_header="Dossiernr."):
    """A small Dutch export: metingen.xlsx (wide, numbered waves), gezinnen.csv, Opmerking column."""
    folder.mkdir(parents=True, exist_ok=True)
    rows = []
    for i in range(12):
        for w, wave in enumerate(waves):
            rows.append(
                {
                    id_header: f"D{i:02d}",
                    "Meetmoment": wave,
                    "Datum afname": f"0{w + 1}-03-202{w + 2}",
                    "Geldzaken": 1 + (i + w) % 5,
                    "Wonen": 1 + (2 * i + w) % 5,
                    "Opmerking": "vrije tekst",
                }
            )
    pd.DataFrame(rows).to_excel(folder / "Metingen.xlsx", index=False)
    pd.DataFrame(
        {
            id_header: [f"D{i:02d}" for i in range(12)],
            "Gemeente": "Tiel",
            "Startdatum": "01-02-2022",
            "Gezinssituatie": ["Eenoudergezin", "Nieuwkomer", "Anders"] * 4,
        }
    ).to_csv(folder / "gezinnen.csv", sep=";", index=False)
    return folder


MAPPING = """
ignore = ["Opmerking"]
[waves]
intake = ["1"]
year1 = ["2"]
year2 = ["3"]
[domains]
finances = "Geldzaken"
[household_types]
single_parent = ["Eenoudergezin"]
newcomer = "Nieuwkomer"
"""


def test_a_dutch_export_reads_with_one_mapping_file(tmp_path):
    folder = _export(tmp_path / "export")
    (folder / "impactkit.toml").write_text(MAPPING, encoding="utf-8")
    report = ik.validate(folder, today=TODAY)
    assert report.valid, report.problems
    ds = report.dataset
    assert ds.instrument.domain_ids == ["finances", "housing"]  # the rest is never scored: left out, noted
    assert any("7 of the instrument's 9 domains are never scored" in n for n in report.notes)
    assert ds.assessments["wave"].value_counts().to_dict() == {"intake": 24, "year1": 24, "year2": 24}
    # family D00, wave "1" = intake, Geldzaken = 1 + (0 + 0) % 5 = 1
    row = ds.assessments.query("family_id == 'D00' and wave == 'intake' and domain == 'finances'")
    assert row["score"].tolist() == [1.0]
    # "Anders" is on impactkit's own household-type code list (other_multi_problem): a categorical
    # column holds codes only, never the export's free text (issue 11)
    assert ds.families["household_type"].tolist()[:3] == ["single_parent", "newcomer", "other_multi_problem"]
    assert ds.files["config"] == folder / "impactkit.toml"


def test_numbered_waves_without_an_alias_are_one_problem_each_never_a_guess(tmp_path):
    folder = _export(tmp_path / "export")
    (folder / "impactkit.toml").write_text('ignore = ["Opmerking"]\n[domains]\nfinances = "Geldzaken"\n')
    p = ik.validate(folder, today=TODAY).problems
    assert p["code"].tolist() == ["numeric_wave"] * 3  # values 1, 2 and 3: one problem each, not 36
    assert p["value"].tolist() == ["1", "2", "3"]
    assert p["row"].tolist() == [2, 3, 4]
    assert "also in 11 more row(s)" in p["message"].iloc[0]
    assert "[waves]" in p["message"].iloc[0]


def test_config_flag_points_at_a_mapping_file_elsewhere(tmp_path):
    folder = _export(tmp_path / "export")
    cfg = tmp_path / "org" / "impactkit.toml"
    cfg.parent.mkdir()
    cfg.write_text(MAPPING, encoding="utf-8")
    assert not ik.validate(folder, today=TODAY).valid
    assert ik.validate(folder, today=TODAY, config=cfg).valid
    assert (
        ik.read_dataset(cfg.parent / ".." / "export", config=Config.from_file(cfg), today=TODAY).n_families
        == 12
    )
    for command in (["validate"], ["analyse"], ["costs", "--draws", "0"]):
        result = runner.invoke(app, [*command, str(folder), "--config", str(cfg), "--today", TODAY])
        assert result.exit_code == 0, (command, result.output)


def test_the_mapping_file_as_the_path(tmp_path):
    folder = _export(tmp_path / "export")
    (folder / "impactkit.toml").write_text(MAPPING, encoding="utf-8")
    assert ik.read_dataset(folder / "impactkit.toml", today=TODAY).n_families == 12


@pytest.mark.parametrize("table", ["families", "counterfactuals", "care_used", "events"])
@pytest.mark.parametrize(
    "header", ["Gezinsnummer", "gezinscode", "Dossiernummer", "Cliëntnummer", "Casus ID"]
)
def test_every_id_alias_is_accepted_in_every_table(table, header):
    """One id vocabulary: a header accepted in the assessments is accepted in every table."""
    assert SPECS[table].columns["family_id"].aliases == ID_ALIASES
    frames = {
        "families": {header: ["A"], "municipality": ["Tiel"], "start_date": ["2024-01-01"]},
        "counterfactuals": {header: ["A"], "care_path": ["social_work"], "likelihood": ["0.5"]},
        "care_used": {header: ["A"], "care_type": ["social_work"], "units": ["3"]},
        "events": {header: ["A"], "event_type": ["nuisance_report"], "date": ["2024-01-01"]},
    }
    out = ik.read_table(pd.DataFrame(frames[table]), table, today=TODAY)
    assert out["family_id"].tolist() == ["A"]
    wide = pd.DataFrame({header: ["A"], "wave": ["intake"], "finances": ["3"]})
    assert ik.read_assessments(wide, today=TODAY)["family_id"].unique().tolist() == ["A"]


def test_one_workbook_with_a_sheet_per_table_and_dutch_sheet_names(tmp_path, sample_dir):
    folder = tmp_path / "export"
    folder.mkdir()
    with pd.ExcelWriter(folder / "Registratie 2024.xlsx") as xw:
        pd.DataFrame({"Lees mij": ["export van het registratiesysteem"]}).to_excel(
            xw, sheet_name="Toelichting", index=False
        )
        pd.read_csv(sample_dir / "families.csv", dtype=str).to_excel(xw, sheet_name="Gezinnen", index=False)
        pd.read_csv(sample_dir / "assessments.csv", dtype=str).to_excel(
            xw, sheet_name="Metingen", index=False
        )
    ds = ik.read_dataset(folder, today=TODAY)
    assert ds.n_families == 350
    assert {n.split(": ", 1)[1] for n in ds.notes} >= {"read sheet 'Metingen'", "read sheet 'Gezinnen'"}


@pytest.mark.parametrize(
    ("text", "key", "match"),
    [
        ("instrumnet = 'zrm2017'\n", "instrumnet", "did you mean 'instrument'"),
        ("[waves]\nintake = 1.5\n", "waves.intake", "a header or a list"),
        ("[waves]\nintake = ['T0']\nyear1 = ['t0']\n", "waves.year1", "both 'intake' and 'year1'"),
        ("[families]\nfile = 'gezin.xlsx'\n", "families.file", "not found"),
        ("[families]\nfiles = 'x.csv'\n", "families.files", "unknown key"),
        ("decimal = ';'\n", "decimal", 'expected "," or "."'),
        ("encoding = 'klingon'\n", "encoding", "unknown encoding"),
        ("[programme]\nchild_ages = [5, 0]\n", "programme.child_ages", "lowest, highest"),
        ("instrument = 'nope'\n", "instrument", "neither a shipped instrument"),
        ("[waves]\nyear9 = ['T9']\n", "waves.year9", "has no wave 'year9'"),
        ("[waves\n", None, "not valid TOML"),
    ],
)
def test_a_mistake_in_the_mapping_file_names_the_key(tmp_path, sample_dir, text, key, match):
    folder = tmp_path / "export"
    shutil.copytree(sample_dir, folder)
    (folder / "impactkit.toml").write_text(text, encoding="utf-8")
    with pytest.raises(ik.ConfigError, match=match) as err:
        ik.validate(folder, today=TODAY)
    assert err.value.key == key
    assert err.value.source == str(folder / "impactkit.toml")
    result = runner.invoke(app, ["validate", str(folder)])
    assert result.exit_code == 1
    assert "Traceback" not in result.output


def test_one_unknown_header_is_one_problem_and_its_follow_ons_one_note(tmp_path, sample_dir):
    """An id header nobody recognises: one problem (naming the missing column and the fix), and the
    6,000 look-ups in the families table it prevents summarised in one note, not listed."""
    folder = tmp_path / "export"
    shutil.copytree(sample_dir, folder)
    fam = folder / "families.csv"
    fam.write_text(fam.read_text(encoding="utf-8").replace("family_id", "Nummer", 1), encoding="utf-8")
    report = ik.validate(folder, today=TODAY)
    p = report.problems
    assert p[["row", "column", "code"]].to_numpy().tolist() == [[1, "Nummer", "unknown_column_required"]]
    assert '[families] columns = { family_id = "Nummer" }' in p["message"].iloc[0]
    follow = [n for n in report.notes if "further check(s)" in n]
    assert len(follow) == 1
    looked_up = sum(
        len(pd.read_csv(sample_dir / f"{t}.csv")) for t in ("counterfactuals", "care_used", "events")
    )
    assert follow[0].split(": ", 1)[1].startswith(f"{350 + looked_up} further check(s)")
