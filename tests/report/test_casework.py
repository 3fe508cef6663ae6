"""The coordinator's family view: confidential, pseudonymised, never a funder report."""

from __future__ import annotations

import hashlib
import hmac
import re
import shutil
import subprocess
from pathlib import Path

import pandas as pd
import pytest
from _report_data import GENERATED, SAMPLE, sample
from typer.testing import CliRunner

import impactkit as ik
from impactkit.cli import app
from impactkit.errors import DesignError, ParameterError
from impactkit.report import build_report, check_release_kinds

KEY = "0f3a9c7e5b1d2468ace13579bdf02468"
runner = CliRunner()


def _pseudonym(fid: str) -> str:
    """HMAC-SHA256 by hand (RFC 2104 via the standard library), as impactkit.pseudonymise defines it."""
    return "P" + hmac.new(KEY.encode(), fid.encode(), hashlib.sha256).hexdigest()[:20]


@pytest.fixture(scope="module")
def view():
    return build_report(sample(), kind="casework", lang="nl", family=["F00002", "F00004"], pseudonym_key=KEY,
                        generated_at=GENERATED)  # fmt: skip


def test_pseudonyms_not_ids_and_marked_confidential(view) -> None:
    html = view.html
    for fid in ("F00002", "F00004"):
        assert fid not in html
        assert _pseudonym(fid) in html
    assert "confidential-banner" in html
    assert "Vertrouwelijk · alleen voor de coördinator".upper() in html.upper()
    assert [s.id for s in view.sections] == ["confidential", "family-1", "family-2"]
    assert view.n_charts == 6  # radar, lines and timeline per family


def test_the_view_shows_the_familys_own_records(view) -> None:
    ds = sample()
    a = ds.assessments[ds.assessments["family_id"] == "F00002"]
    scores = view.tables["cw-scores-1"].set_index("Leefgebied")
    fin = a[(a["domain"] == "finances")].set_index(a.loc[a["domain"] == "finances", "wave"].astype(str))[
        "score"
    ]
    assert scores.loc["Financiën", "Intake"] == fin["intake"]
    assert scores.loc["Financiën", "Jaar 2"] == fin["year2"]
    counts = ik.outcomes.phase_counts(ds)
    mine = counts[(counts["family_id"] == "F00002") & (counts["outcome"] == "crisis_contact")].set_index(
        "phase"
    )
    events = view.tables["cw-events-1"].set_index("Wat")
    assert events.loc["Crisiscontacten", "Voor"] == mine.loc["before", "count"]
    assert events.loc["Crisiscontacten", "Tijdens de steun"] == mine.loc["during", "count"]


def test_never_a_funder_report() -> None:
    with pytest.raises(ParameterError, match="takes no funder options; got k, draws"):
        build_report(sample(), kind="casework", family="F00002", pseudonym_key=KEY, k=5, draws=100)
    with pytest.raises(ParameterError, match="belong to kind='casework'"):
        build_report(sample(), kind="annual", family="F00002", draws=0)
    with pytest.raises(ParameterError, match="never part of a release"):
        check_release_kinds(["annual", "casework"])
    check_release_kinds(["annual", "business-case"])  # a release without it is fine


def test_no_spreadsheet_and_no_key_no_view(view, tmp_path) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ParameterError, match="no spreadsheet"):
        view.to_excel(tmp_path / "x.xlsx")
    with pytest.raises(ParameterError, match="No pseudonymisation key"):
        build_report(sample(), kind="casework", family="F00002")


def test_which_families(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(DesignError, match="shows at most 25"):
        build_report(sample(), kind="casework", pseudonym_key=KEY)
    with pytest.raises(ParameterError, match="not in the data: \\['nobody'\\]"):
        build_report(sample(), kind="casework", family=["F00002", "nobody"], pseudonym_key=KEY)


def test_cli(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("IMPACTKIT_PSEUDONYM_KEY", KEY)
    out = tmp_path / "family.html"
    args = ["report", str(SAMPLE), "--kind", "casework", "--family", "F00002", "--out", str(out),
            "--today", "2026-11-01", "--generated-at", GENERATED]  # fmt: skip
    res = runner.invoke(app, args)
    assert res.exit_code == 0, res.output
    assert _pseudonym("F00002") in out.read_text(encoding="utf-8")
    res = runner.invoke(app, [*args, "--xlsx", str(tmp_path / "f.xlsx")])
    assert res.exit_code == 2
    assert "no spreadsheet" in " ".join(res.output.split())
    assert not (tmp_path / "f.xlsx").exists()
    res = runner.invoke(app, [*args, "--draws", "100"])
    assert res.exit_code == 2
    assert "Traceback" not in res.output


def test_a_family_without_events_or_care() -> None:
    ds = sample()
    import dataclasses

    bare = dataclasses.replace(ds, events=None, care_used=None)
    rep = build_report(bare, kind="casework", family="F00001", pseudonym_key=KEY, generated_at=GENERATED)
    assert rep.n_charts == 2  # scores only
    assert isinstance(rep.tables["cw-scores-1"], pd.DataFrame)


@pytest.mark.browser
def test_every_printed_page_is_marked_confidential(view, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """The PDF for the conversation: the banner is each page's top margin box (not over the content),
    read back page by page with poppler's pdftotext."""
    if not Path("/usr/bin/chromium").exists() or shutil.which("pdftotext") is None:  # pragma: no cover
        pytest.skip("needs Debian's chromium and poppler-utils (.ci/run installs both)")
    pdf = view.to_pdf(tmp_path / "family.pdf", chromium="/usr/bin/chromium")
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    pages = int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))
    assert pages >= 4  # two families: several pages
    for page in range(1, pages + 1):
        text = subprocess.run(["pdftotext", "-f", str(page), "-l", str(page), str(pdf), "-"],
                              capture_output=True, text=True, check=True).stdout  # fmt: skip
        # the banner is set in capitals (text-transform), the page label at the foot (the report's
        # print margins) in the catalogue's own case: the capitals appear once, i.e. the on-screen
        # banner is not printed as well
        assert text.count("VERTROUWELIJK · ALLEEN VOOR DE COÖRDINATOR") == 1, page
        # and above everything else on the page, not drawn over it (word boxes from pdftotext -bbox)
        xml = subprocess.run(["pdftotext", "-bbox", "-f", str(page), "-l", str(page), str(pdf), "-"],
                             capture_output=True, text=True, check=True).stdout  # fmt: skip
        words = [
            (float(a), float(b), w)
            for a, b, w in re.findall(r'yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">([^<]*)<', xml)
        ]
        top = min(w for w in words if w[2] == "VERTROUWELIJK")  # the banner's line
        banner = [w for w in words if abs(w[0] - top[0]) < 1]
        rest = [w for w in words if abs(w[0] - top[0]) >= 1]
        assert rest, page
        assert max(b for _, b, _ in banner) < min(a for a, _, _ in rest), page
