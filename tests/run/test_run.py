"""``impactkit run``: one small cohort's release in Dutch and English, its manifest and its audit,
then next year's release compared with it.

The cohort is ``impactkit sample`` with 90 families (seed 7); in 2023 (families active in the
period) 68 count: Arnhem 16, Ede 16, Nijmegen 14, Zutphen 9, Apeldoorn 8, Tiel 5.  The release
asks for the municipal reports of Arnhem and Apeldoorn: Arnhem is published, Apeldoorn (8 < k)
is withheld, every other municipality is "not asked for".  What the tests check against is
independent of the code that made the release: the files on disk (their SHA-256 computed here),
the HTML as a browser gets it (suppressed cells counted in the markup), the families table.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

import impactkit as ik
from impactkit.cli import app
from impactkit.errors import OutputError, ParameterError

K = 10
RUN = """
[run]
period = 2023
municipalities = ["Arnhem", "Apeldoorn"]
programmes = false
languages = ["nl", "en"]
outputs = ["html", "xlsx"]
draws = 200
generated_at = 2025-01-20
today = 2026-11-01
"""


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def export(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("export")
    ik.write_sample(root, 90, seed=7)
    with (root / "impactkit.toml").open("a", encoding="utf-8") as fh:
        fh.write(RUN)
    return root


@pytest.fixture(scope="module")
def release(export: Path, tmp_path_factory: pytest.TempPathFactory) -> ik.run.RunResult:
    return ik.run.run(export / "impactkit.toml", out=tmp_path_factory.mktemp("out") / "release-2023")


def test_the_release_holds_what_its_manifest_lists(release: ik.run.RunResult, export: Path) -> None:
    m = json.loads((release.folder / "manifest.json").read_text(encoding="utf-8"))
    assert m == json.loads(json.dumps(release.manifest))
    assert m["impactkit_version"] == ik.__version__
    assert m["period"]["label"] == "2023"
    assert (m["period"]["families"], m["period"]["waves"]) == ("active", "until_end")
    # every output listed with the SHA-256 of the file on disk, and nothing else in the folder
    listed = {o["file"]: o for o in m["outputs"]}
    for name, o in listed.items():
        assert sha(release.folder / name) == o["sha256"]
        assert (release.folder / name).stat().st_size == o["bytes"]
    own = {"manifest.json", "manifest-nl.html", "manifest-en.html", "manifest.xlsx"}
    assert {p.name for p in release.folder.iterdir()} == set(listed) | own
    stems = {"annual-funder", "annual-municipality-arnhem"}
    assert set(listed) == {
        f"{s}-{lang}.{ext}" for s in stems for lang in ("nl", "en") for ext in ("html", "xlsx")
    } | {"results.json"}
    # every input file of the export, by name only, with its SHA-256
    inputs = {i["file"]: i["sha256"] for i in m["inputs"]}
    for f in ("assessments.csv", "families.csv", "programme_costs.csv", "impactkit.toml", "scenario.toml"):
        assert inputs[f] == sha(export / f)
    text = (release.folder / "manifest.json").read_text(encoding="utf-8")
    assert str(export) not in text
    assert str(release.folder) not in text
    assert all("/" not in i["file"] for i in m["inputs"])
    assert len({i["file"] for i in m["inputs"]}) == len(m["inputs"])  # each file once


def test_reports_published_and_withheld(release: ik.run.RunResult) -> None:
    fam = release.dataset.families
    sizes = fam["municipality"].value_counts()
    m = release.manifest
    reports = {(r["kind"], r["name"]): r for r in m["reports"]}
    assert reports[("funder", "")]["families"] == m["families"]["counted"] == len(fam) == 68
    assert reports[("municipality", "Arnhem")]["published"]
    assert reports[("municipality", "Arnhem")]["families"] == sizes["Arnhem"] == 16
    apeldoorn = reports[("municipality", "Apeldoorn")]
    assert sizes["Apeldoorn"] == 8
    assert not apeldoorn["published"]
    assert apeldoorn["reason"] == "fewer_than_k"
    assert apeldoorn["families"] is None  # the size of a withheld report is what must not be published
    assert "8" not in json.dumps(apeldoorn)
    assert apeldoorn["reason_text"]["nl"] == "minder dan k = 10 gezinnen"
    assert reports[("municipality", "Tiel")]["reason"] == "fewer_than_k"  # 5 families: under k first
    assert reports[("municipality", "Nijmegen")]["reason"] == "not_asked"
    page = (release.folder / "manifest-en.html").read_text(encoding="utf-8")
    assert "fewer than k = 10 families" in page
    assert "Privacy officer" in page
    # the page to sign sums the hidden cells up per table (every cell is in the workbook and JSON)
    hidden = release.manifest["suppression"]["hidden_cells"]
    per_table = pd.read_excel(release.folder / "manifest.xlsx", sheet_name="cells_by_table", header=None)
    assert f"{len(hidden)} cells" in page
    assert page.count("<tr>") < len(hidden)
    cells = pd.read_excel(release.folder / "manifest.xlsx", sheet_name="cells", header=None)
    assert len(cells) >= len(hidden)
    assert len(per_table) < len(hidden)
    nl = (release.folder / "manifest-nl.html").read_text(encoding="utf-8")
    assert "uitsplitsingsrij programma Home-Start × gemeente Arnhem" in nl


def test_suppression_audit(release: ik.run.RunResult) -> None:
    sup = release.manifest["suppression"]
    assert sup["k"] == K
    assert sup["audit_ok"]
    assert sup["populations"], "a release of small municipalities hides some groups"
    fam = release.dataset.families
    for p in sup["populations"]:
        assert p["status"] in ("primary", "secondary")
        assert p["reason"]
        if p["status"] == "primary":
            assert 1 <= p["n_low"] <= p["n_high"] <= K - 1
        else:
            assert p["n_low"] >= K
        # the group's true size lies in its feasible range (recomputed from the families table)
        key = p["key"]
        if key.startswith("row:municipality:") and key != "row:municipality:other":
            n = int((fam["municipality"] == key.removeprefix("row:municipality:")).sum())
            assert p["n_low"] <= n <= (p["n_high"] if p["n_high"] is not None else n)
    # the hidden cells listed are the cells a browser shows as suppressed, report by report
    cells = pd.DataFrame(sup["hidden_cells"])
    # "<10" under k, "x" to protect another, "–" a breakdown withheld whole
    assert set(cells["marker"]) <= {f"<{K}", "x", "–"}
    assert (cells["marker"] == f"<{K}").eq(cells["status"] == "primary").all()
    assert (cells["marker"] == "–").eq(cells["status"] == "withheld").all()
    for report, n in cells.groupby("report").size().items():
        html = (release.folder / f"{report}-nl.html").read_text(encoding="utf-8")
        assert len(re.findall(r'class="[^"]*\bsuppressed\b', html)) == n
    # a manifest never prints the count of an exclusion of 1 to k-1 families
    for r in release.manifest["exclusions"]:
        for col in ("rows", "families"):
            assert not (isinstance(r[col], int) and 0 < r[col] < K)
    # nor lets one be recovered by subtraction: the families left out add up to export - counted
    ex = release.exact_exclusions
    left = ex[(ex["table"] == "families") & (ex["action"] == "excluded")]
    assert int(left["families"].sum()) == 90 - 68
    shown = [
        r for r in release.manifest["exclusions"] if r["table"] == "families" and r["action"] == "excluded"
    ]
    hidden = [r for r in shown if isinstance(r["families"], str)]
    assert sorted(r["families"] for r in hidden) == [
        "<10",
        "x",
    ]  # ended before 2023 (6), started after it (16)
    assert release.manifest["families"]["export"] == 90


def test_results_are_the_published_figures_in_both_languages(release: ik.run.RunResult) -> None:
    listed = {o["file"]: o["sha256"] for o in release.manifest["outputs"]}
    assert listed["results.json"] == sha(release.folder / "results.json")
    res = json.loads((release.folder / "results.json").read_text(encoding="utf-8"))["reports"]
    assert set(res) == {
        f"annual/{s}/{lang}" for s in ("funder", "municipality:Arnhem") for lang in ("nl", "en")
    }
    for scope in ("funder", "municipality:Arnhem"):
        nl, en = res[f"annual/{scope}/nl"], res[f"annual/{scope}/en"]
        assert [(k["id"], k["number"]) for k in nl["key_figures"]] == [
            (k["id"], k["number"]) for k in en["key_figures"]
        ]
        a, b = pd.DataFrame(**_split(nl, "distance")), pd.DataFrame(**_split(en, "distance"))
        pd.testing.assert_frame_equal(a.drop(columns="label"), b.drop(columns="label"))
    kf = {k["id"]: k for k in res["annual/funder/en"]["key_figures"]}
    assert kf["kf_families"]["number"] == 68


def _split(result: dict, table: str) -> dict:
    t = result["tables"][table]
    return {"data": t["rows"], "columns": t["columns"]}


def test_a_release_never_holds_the_confidential_view(export: Path) -> None:
    with pytest.raises(ik.ConfigError, match=r"run\.kinds.*confidential family view"):
        ik.run.run(export / "impactkit.toml", kinds=["annual", "casework"])


def test_outputs_never_land_on_inputs(release: ik.run.RunResult, export: Path, tmp_path: Path) -> None:
    cfg = export / "impactkit.toml"
    with pytest.raises(OutputError, match="holds the input"):
        ik.run.run(cfg, out=export.parent)
    foreign = tmp_path / "mine"
    foreign.mkdir()
    (foreign / "notes.txt").write_text("keep me")
    with pytest.raises(OutputError, match="not an impactkit release"):
        ik.run.run(cfg, out=foreign)
    assert [p.name for p in foreign.iterdir()] == ["notes.txt"]
    with pytest.raises(OutputError, match="already holds a release"):
        ik.run.run(cfg, out=release.folder)
    with pytest.raises(OutputError, match="the input previous"):
        ik.run.run(cfg, out=release.folder / "next", previous=str(release.folder))
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no partial folder left


def test_next_year_compared_with_this_one(release: ik.run.RunResult, export: Path, tmp_path: Path) -> None:
    out = tmp_path / "release-2024"
    args = ["run", str(export / "impactkit.toml"), "--period", "2024", "--lang", "en", "--output", "html"]
    done = CliRunner().invoke(app, [*args, "--previous", str(release.folder), "--out", str(out), "--json"])
    assert done.exit_code == 0, done.output
    summary = json.loads(done.output)
    assert summary["comparison"]["label"] == "2023"
    assert summary["comparison"]["same_instrument"]
    assert summary["comparison"]["same_scenario"]
    assert summary["withheld"]["municipality Apeldoorn"] == "fewer_than_k"
    now = json.loads((out / "results.json").read_text(encoding="utf-8"))["reports"]["annual/funder/en"]
    table = pd.DataFrame(**_split(now, "compare-key")).set_index("label")
    before, after = release.manifest["families"]["counted"], json.loads((out / "manifest.json").read_text())
    row = table.loc["families supported"]
    assert (row["before"], row["now"]) == (str(before), str(after["families"]["counted"]))
    assert row["change"] == f"{after['families']['counted'] - before:+d}".replace("-", "−")
    change = pd.DataFrame(**_split(now, "compare-change"))
    assert len(change) == 9  # every domain of the instrument, both years measured


def test_changed_scenario_and_hidden_figures_are_not_compared(
    release: ik.run.RunResult, tmp_path: Path
) -> None:
    doctored = tmp_path / "previous"
    shutil.copytree(release.folder, doctored)
    res = json.loads((doctored / "results.json").read_text(encoding="utf-8"))
    funder = res["reports"]["annual/funder/en"]
    for kf in funder["key_figures"]:
        if kf["id"] == "kf_children":
            kf["number"], kf["text"] = None, "<10"  # as if hidden last year
    (doctored / "results.json").write_text(json.dumps(res), encoding="utf-8")
    with pytest.raises(ParameterError, match="changed after the release was made"):
        ik.report.build_report(release.dataset, previous=doctored)
    m = json.loads((doctored / "manifest.json").read_text(encoding="utf-8"))
    for o in m["outputs"]:
        if o["file"] == "results.json":
            o["sha256"] = sha(doctored / "results.json")
    m["scenario"]["sha256"] = "0" * 64
    m["scenario"]["assumptions"]["adjustments.deadweight"] = 0.5
    (doctored / "manifest.json").write_text(json.dumps(m), encoding="utf-8")
    rep = ik.report.build_report(release.dataset, previous=doctored, draws=20, generated_at="2025-01-20")
    sec = next(s for s in rep.sections if s.id == "compare")
    flags = " ".join(item for _, items in sec.lists for item in items)
    assert "the cost scenario changed" in flags
    assert "adjustments.deadweight: 0.5 → 0.3" in flags
    key = rep.tables["compare-key"].set_index("Figure")
    assert key.loc["children in these families", "Change"] == "<10"
    assert "the earlier release covers the same period (2023)" in flags
    assert key.loc["children in these families", "2023, earlier release"] == "<10"
    assert key.loc["children in these families", "2023"] in ("161", "x")  # 161, or hidden by this release
    assert key.loc["benefit-cost ratio", "Change"] == "not compared: other cost assumptions"
    # a figure last year published and this report does not (no PSA: no benefit-cost ratio)
    bare = ik.report.build_report(release.dataset, previous=doctored, draws=0, generated_at="2025-01-20")
    key = bare.tables["compare-key"].set_index("Figure")
    assert key.loc["benefit-cost ratio", "Change"] == "not in this report"
    assert key.loc["benefit-cost ratio", "2023"] == "–"


def test_console_summary_in_the_release_language(release: ik.run.RunResult) -> None:
    from rich.text import Text

    from impactkit.cli._run import summary_lines

    text = "\n".join(Text.from_markup(line).plain for line in summary_lines(release, "nl"))
    ex = release.exact_exclusions
    started = ex[(ex["table"] == "families") & (ex["reason"] == "started_after")].iloc[0]
    assert f"{int(started['rows'])} regels, {int(started['families'])} gezinnen" in text
    assert "✓ gemeente Arnhem (16)" in text
    assert "gemeente Apeldoorn: minder dan k = 10 gezinnen" in text


def test_manifest_pages_speak_their_language(release: ik.run.RunResult) -> None:
    """Issue 11 item 3: the Dutch page names hidden cells and why in Dutch (no English 'protects ...'
    from the audit), the English page names the tables in English (not the first language's
    captions); the words come from the reports themselves (hidden_cells[].words)."""
    import html as html_lib

    cells = release.manifest["suppression"]["hidden_cells"]
    assert cells
    pages = {
        lang: html_lib.unescape(
            re.sub(r"<[^>]+>", " ", (release.folder / f"manifest-{lang}.html").read_text("utf-8"))
        )
        for lang in ("nl", "en")
    }
    for c in cells:
        nl, en = c["words"]["nl"]["caption"], c["words"]["en"]["caption"]
        assert en in pages["en"]
        if nl != en:
            assert nl not in pages["en"]
            assert nl in pages["nl"]
    assert "protects" not in pages["nl"]
    assert "to protect another" not in pages["nl"]
