"""The mapping-file examples in README.md and data/sample/README.md, run as written.

README: the Samen Oplopen export of the corpus read with the README's impactkit.toml.
data/sample/README.md: the sample rewritten as a Dutch registration system would export it (Dutch
file names and headers, numbered waves, Dutch codes, a free-text column) and read back with the
README's mapping file into exactly the sample's canonical tables.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pandas as pd
import pandas.testing as pdt

import impactkit as ik

ROOT = Path(__file__).resolve().parents[1]
TODAY = "2026-11-01"


def _block(readme: Path, name: str) -> str:
    text = readme.read_text(encoding="utf-8")
    m = re.search(rf"<!-- mapping-example: {name} -->\s*```toml\n(.*?)```", text, flags=re.S)
    assert m, f"no mapping example {name!r} in {readme}"
    return m.group(1)


def test_the_readme_example_reads_the_samen_oplopen_export(tmp_path):
    folder = tmp_path / "export"
    shutil.copytree(ROOT / "tests" / "corpus" / "exports" / "samen_oplopen", folder)
    (folder / "impactkit.toml").write_text(_block(ROOT / "README.md", "samen_oplopen"), encoding="utf-8")
    report = ik.validate(folder, today=TODAY)
    assert report.valid, report.problems
    assert report.dataset.n_families == 60
    assert set(report.dataset.counterfactuals["care_path"]) <= set(ik.costs.Scenario.default().paths)


DUTCH_HOUSEHOLDS = {
    "single_parent": "Eenoudergezin",
    "newcomer": "Nieuwkomer",
    "poverty": "Armoede",
    "parental_mental_illness": "Ouder met psychische problemen",
    "other_multi_problem": "Multiprobleem",
}


def dutch_sample(folder: Path) -> None:
    """The committed sample as a Dutch registration system would export it."""
    sample = ROOT / "data" / "sample"
    inst = ik.builtin("default")
    a = pd.read_csv(sample / "assessments.csv", dtype=str, keep_default_na=False)
    a["wave"] = a["wave"].map({"intake": "1", "year1": "2", "year2": "3"})
    a["assessed_on"] = pd.to_datetime(a["assessed_on"]).dt.strftime("%d-%m-%Y")
    a = a.rename(columns={"family_id": "Gezinsnummer", "wave": "Meting", "assessed_on": "Datum"}
                 | {d.id: d.label_nl for d in inst.domains})  # fmt: skip
    a["Opmerking"] = ""
    (folder / "metingen.csv").write_bytes(
        a.to_csv(sep=";", index=False, lineterminator="\r\n").encode("cp1252")
    )
    f = pd.read_csv(sample / "families.csv", dtype=str, keep_default_na=False)
    f["household_type"] = f["household_type"].map(DUTCH_HOUSEHOLDS)
    f = f.rename(columns={"family_id": "Gezinsnummer", "municipality": "Gemeente", "start_date": "Startdatum",
                          "end_date": "Einddatum", "household_type": "Gezinssituatie"})  # fmt: skip
    (folder / "gezinnen.csv").write_bytes(
        f.to_csv(sep=";", index=False, lineterminator="\r\n").encode("cp1252")
    )
    for name in ("counterfactuals", "care_used", "prices", "programme_costs", "scenario"):
        src = sample / (f"{name}.toml" if name == "scenario" else f"{name}.csv")
        shutil.copy(src, folder / src.name)


def test_the_sample_readme_example_gives_back_the_sample(tmp_path):
    folder = tmp_path / "export"
    folder.mkdir()
    dutch_sample(folder)
    (folder / "impactkit.toml").write_text(
        _block(ROOT / "data" / "sample" / "README.md", "sample"), encoding="utf-8"
    )
    ds = ik.read_dataset(folder, today=TODAY)
    ref = ik.read_dataset(ROOT / "data" / "sample", today=TODAY)
    pdt.assert_frame_equal(ds.assessments, ref.assessments)
    cols = ["family_id", "municipality", "start_date", "end_date", "household_type", "n_children"]
    pdt.assert_frame_equal(ds.families[cols], ref.families[cols])
