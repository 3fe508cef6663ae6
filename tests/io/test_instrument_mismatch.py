"""An export read with the wrong instrument is one problem that names the right one, not a problem
per column or per score."""

from __future__ import annotations

import shutil
from pathlib import Path

import impactkit as ik

CORPUS = Path(__file__).resolve().parents[1] / "corpus" / "exports"
TODAY = "2026-11-01"


def _without_instrument(tmp_path: Path, name: str) -> Path:
    folder = tmp_path / name
    shutil.copytree(CORPUS / name, folder)
    cfg = folder / "impactkit.toml"
    lines = [ln for ln in cfg.read_text(encoding="utf-8").splitlines() if not ln.startswith("instrument =")]
    cfg.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


def test_zrm_columns_read_with_the_default_instrument(tmp_path):
    """Meeleefgezin's seven ZRM columns: four are not default-instrument domains."""
    p = ik.validate(_without_instrument(tmp_path, "meeleefgezin"), today=TODAY).problems
    assert p["code"].tolist() == ["instrument_mismatch"]
    assert p["row"].tolist() == [1]
    assert "4 columns are domains of instrument 'zrm2017', not of 'default'" in p["message"].iloc[0]
    assert 'instrument = "zrm2017"' in p["message"].iloc[0]


def test_marks_one_to_ten_read_with_a_one_to_five_instrument(tmp_path):
    """Buurtgezinnen's marks 1–10 with the default instrument: one scale problem (and each area and
    wave name the default instrument lacks, once), not one problem per mark above 5."""
    folder = _without_instrument(tmp_path, "buurtgezinnen")
    p = ik.validate(folder, today=TODAY).problems
    assert sorted(p["code"].tolist()) == ["scale_mismatch", *["unknown_domain"] * 3, *["unknown_wave"] * 2]
    assert sorted(p.loc[p["code"] == "unknown_wave", "value"]) == ["Evaluatie 1", "Evaluatie 2"]
    row = p[p["code"] == "scale_mismatch"].iloc[0]
    assert row["column"] == "Cijfer"
    assert "outside 1–5 (they run from 1 to 10)" in row["message"]
