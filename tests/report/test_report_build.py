"""build_report on the committed sample: offline, deterministic, private, escaped, both languages.

Reference numbers are recomputed here from the raw CSV files with the csv module (independent
of impactkit's readers and analyses).
"""

from __future__ import annotations

import csv
import re
from collections import Counter

import pytest
from _report_data import DRAWS, GENERATED, HOSTILE, SAMPLE, hostile, sample
from openpyxl import load_workbook

from impactkit.errors import DesignError, ParameterError
from impactkit.report import build_report


@pytest.fixture(scope="module")
def annual_en():
    return build_report(hostile(), kind="annual", lang="en", draws=DRAWS, generated_at=GENERATED)


@pytest.fixture(scope="module")
def business_nl():
    return build_report(sample(), kind="business-case", lang="nl", draws=DRAWS, generated_at=GENERATED)


def _families_csv() -> list[dict[str, str]]:
    with open(SAMPLE / "families.csv", encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def test_same_inputs_give_a_byte_identical_report(annual_en):
    again = build_report(hostile(), kind="annual", lang="en", draws=DRAWS, generated_at=GENERATED)
    assert again.html == annual_en.html


@pytest.mark.parametrize("fixture", ["annual_en", "business_nl"])
def test_offline_plotly_once_and_lang(fixture, request):
    rep = request.getfixturevalue(fixture)
    html = rep.html
    assert f'<html lang="{rep.lang}">' in html
    # plotly.js embedded exactly once (its licence banner opens the bundle), no external script
    assert html.count("plotly.js v") == 1
    assert not re.search(r"<script[^>]+src=", html)
    # outside the plotly.js bundle (which names its CDN for geo maps we never draw): no URL at all
    rest = html.split("</script>", 1)[1]
    assert "cdn.plot.ly" not in rest
    assert "mathjax" not in rest.lower()
    assert not re.search(r"https?://", rest)
    assert html.count("Plotly.newPlot(") == rep.n_charts
    # each chart sits in a <figure> with a <figcaption> and its numbers as a table
    assert html.count('<figure class="chart"') == rep.n_charts
    assert html.count("<figcaption>") == rep.n_charts
    ids = re.findall(r'<div id="(chart-[a-z-]+)"', html)
    assert len(ids) == rep.n_charts == len(set(ids))


def test_no_family_id_anywhere(annual_en, business_nl):
    """Privacy: not one family id of the input, in text or in plotly's embedded data."""
    ids = [row["family_id"] for row in _families_csv()]
    assert len(ids) == 350
    for rep in (annual_en, business_nl):
        body = rep.html.split("</script>", 1)[1]  # after plotly.js itself
        found = [i for i in ids if i in body]
        assert found == []


def test_hostile_municipality_is_escaped(annual_en):
    """The hostile group has 6 families (< 10): the release gives it no row of its own (it counts in
    "Other municipalities"), so its name is in no file of the release, escaped or not."""
    assert HOSTILE not in annual_en.html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" not in annual_en.html
    assert "alert(1)" not in annual_en.html
    assert all(HOSTILE not in str(t.to_dict()) for t in annual_en.tables.values())


def test_reach_matches_the_csv_and_small_cells_read_marker(annual_en):
    """Reference: families and children per municipality counted from families.csv by hand.  Tiel
    lost 6 families to the hostile group (22 - 6 = 16): its report is withheld (publishing it would
    leave the 6 as the remainder of the funder report), so Tiel and the 6 form "Other
    municipalities" (22) in every breakdown of the release."""
    rows = _families_csv()
    per_mun = Counter(r["municipality"] for r in rows)
    children = Counter()
    for r in rows:
        children[r["municipality"]] += int(r["n_children"])
    t = annual_en.tables["reach-municipality"]
    got = dict(zip(t["Municipality"], t["Families"], strict=True))
    assert got["Apeldoorn"] == per_mun["Apeldoorn"] == 53
    assert got["Arnhem"] == per_mun["Arnhem"] == 100
    assert "Tiel" not in got
    assert HOSTILE not in got
    assert got["Other municipalities"] == per_mun["Tiel"] == 22
    assert got["Total"] == 350
    kids = dict(zip(t["Municipality"], t["Children"], strict=True))
    assert kids["Arnhem"] == children["Arnhem"]
    assert kids["Other municipalities"] == children["Tiel"]
    # every row rests on at least 22 families here: every one is published, none hidden
    assert all(not isinstance(v, str) and v >= 10 for v in t["Families"]), list(t["Families"])
    assert got["Ede"] == per_mun["Ede"]
    assert got["Nijmegen"] == per_mun["Nijmegen"]
    assert got["Zutphen"] == per_mun["Zutphen"]


def test_flow_matches_the_csv(annual_en):
    """Reference: families with any score per wave, counted from assessments.csv by hand."""
    with open(SAMPLE / "assessments.csv", encoding="utf-8-sig", newline="") as fh:
        waves = Counter()
        for r in csv.DictReader(fh):
            scores = [v for k, v in r.items() if k not in ("family_id", "wave", "assessed_on") and v != ""]
            if scores:
                waves[r["wave"]] += 1
    t = annual_en.tables["flow"]
    assert list(t["Families"]) == [waves["intake"], waves["year1"], waves["year2"]] == [350, 293, 255]


def test_dutch_formats_in_the_business_case(business_nl):
    html = business_nl.html
    assert re.search(r"€ \d{1,3}(\.\d{3})+", html)  # € 3.665.037
    assert "Wie investeert en wie bespaart" in html
    assert "verkeerde zak" in html
    # the sample's need projected onto its 350 families / 4 start years = 87.5 families a year: each
    # funded year costs 87.5 / 25 = 3.5 FTE × €80,000 + 87.5 × (€300 + €250) = €328,125 (hand
    # calculation, default scenario), more than it avoids, so the balance never turns positive
    years = business_nl.tables["years"]
    assert years["Jaar"].iloc[0] == "2025"  # calendar years from the year after the price year
    assert years["Investeert"].iloc[:3].tolist() == [328125.0] * 3
    cum = years["Cumulatief netto"]
    assert cum.iloc[0] < 0
    assert cum.iloc[-1] < 0
    assert "Aan het eind van de horizon van 5 jaar is het cumulatieve netto resultaat negatief." in html


def test_sections_of_both_reports(annual_en, business_nl):
    ids = [s.id for s in annual_en.sections]
    assert ids == [
        "summary",
        "reach",
        "flow",
        "change",
        "transitions",
        "reliable",
        "costs",
        "outcomes",
        "observed",
        "assumptions",
        "design",
        "methods",
    ]
    assert [c.id for s in annual_en.sections for c in s.charts] == [
        "flow",
        "radar",
        "distance",
        "shares",
        "sankey",
        "reliable",
        "reliable-chance",
        "waterfall",
        "spread",
        "outcome-events",
        "outcome-ratios",
        "outcome-care",
    ]
    ids = [s.id for s in business_nl.sections]
    assert ids == [
        "bc-summary",
        "case",
        "payers",
        "years",
        "breakeven",
        "uncertainty",
        "scenarios",
        "assumptions",
        "design",
    ]
    assert "no comparison group" not in business_nl.html  # Dutch only
    assert "zonder vergelijkingsgroep" in business_nl.html


def test_excel_numbers_stay_numbers(business_nl, tmp_path):
    path = business_nl.to_excel(tmp_path / "bc.xlsx")
    wb = load_workbook(path)
    assert wb.sheetnames[0] == "Inhoud"
    assert "Methode en reproductie" in wb.sheetnames
    ws = wb["Investeert en bespaart"]
    assert ws["A1"].value == "Investering en vermeden kosten per betaler"  # the caption
    assert ws.freeze_panes == "A3"  # the header row below it stays in view
    header = [c.value for c in ws[2]]
    assert header[:3] == ["Betaler", "Investeert", "Bespaart"]
    cells = [c for row in ws.iter_rows(min_row=3) for c in row[1:] if c.value is not None]
    assert cells
    assert all(isinstance(c.value, int | float) for c in cells)
    assert {c.number_format for c in cells} == {'"€" #,##0;"€" -#,##0'}
    # key figures are numbers with their own formats, not text
    kf = {r[0].value: r[1] for r in wb["Inhoud"].iter_rows(min_row=3, max_row=9) if r[0].value}
    bcr = kf["baten-kostenverhouding"]
    assert isinstance(bcr.value, float)
    assert bcr.number_format == "0.00"
    assert kf["programmakosten over de horizon"].number_format == '"€" #,##0;"€" -#,##0'


def test_excel_is_reproducible_and_names_fit(business_nl, tmp_path):
    """Same report, same bytes (zip timestamps and document dates fixed); every designed sheet name
    fits Excel's 31 characters in both languages, nothing cut."""
    import time

    a = business_nl.to_excel(tmp_path / "a.xlsx").read_bytes()
    time.sleep(1.1)  # openpyxl stamps the clock (to the second) into every zip entry
    b = business_nl.to_excel(tmp_path / "b.xlsx").read_bytes()
    assert a == b
    from impactkit.i18n import catalogue

    for lang in ("en", "nl"):
        names = {k: v for k, v in catalogue(lang, "report").items() if k.startswith("sheet.")}
        assert all(len(v) <= 31 for v in names.values()), names


def test_user_templates_take_precedence(tmp_path):
    (tmp_path / "style.css").write_text("/* BRANDED-BY-TEST */ body { color: #123; }", encoding="utf-8")
    rep = build_report(sample(), kind="business-case", draws=0, generated_at=GENERATED, templates=tmp_path)
    assert "BRANDED-BY-TEST" in rep.html
    with pytest.raises(ParameterError, match="'templates' parameter"):
        build_report(sample(), draws=0, templates=tmp_path / "missing")


def test_parameters_are_checked():
    with pytest.raises(ParameterError, match="'kind' parameter of build_report"):
        build_report(sample(), kind="monthly")
    with pytest.raises(ParameterError, match="'lang' parameter of build_report"):
        build_report(sample(), lang="de")
    with pytest.raises(ParameterError, match="'k' parameter of build_report"):
        build_report(sample(), k=2)
    with pytest.raises(DesignError, match="nothing can be published"):
        build_report(sample(), k=400)


def test_repr_is_compact_and_preview_is_an_iframe(business_nl):
    card = business_nl._repr_html_()
    assert len(card) < 10_000  # not the 5 MB page in every notebook output
    assert "baten-kostenverhouding" in card  # key figures
    assert repr(business_nl).startswith("<Report business-case (nl)")
    out = business_nl.preview()._repr_html_()
    assert out.startswith("<iframe srcdoc=")
    assert "<script" not in out.split("srcdoc=", 1)[1][:200]


def test_templates_found_inside_the_package_first(tmp_path, monkeypatch):
    """A wheel ships the templates as impactkit/report/templates; that copy wins over the repo's."""
    from importlib import resources

    from impactkit.report import _html

    pkg = tmp_path / "impactkit_report"
    (pkg / "templates").mkdir(parents=True)
    monkeypatch.setattr(resources, "files", lambda name: pkg)
    assert _html.shipped_templates() == pkg / "templates"
    (pkg / "templates").rmdir()
    assert _html.shipped_templates() == _html.Path(__file__).resolve().parents[2] / "reports" / "templates"


def test_subgroup_rows_are_suppressed_with_a_partner(annual_en):
    """The 6-family municipality has no row (it is inside "Other municipalities"); a domain's
    published rows rest on at least k families, and a domain whose overall n is published never
    hides exactly one municipality (the overall n minus the others would give it away)."""
    t = annual_en.tables["change-municipality"]
    overall = annual_en.tables["distance"].set_index("Life domain")["n"]
    for domain, block in t.groupby("Life domain", sort=False):
        assert HOSTILE not in set(block["Municipality"])
        assert "Tiel" not in set(block["Municipality"])
        assert "Other municipalities" in set(block["Municipality"])
        hidden = block[block["n"].isin(["<10", "x"])]
        shown = block[~block["n"].isin(["<10", "x"])]
        assert (shown["n"].astype(float) >= 10).all()
        if overall.get(domain) not in (None, "<10", "x"):
            assert len(hidden) != 1, domain
            assert shown["n"].astype(float).sum() <= float(overall[domain])


@pytest.mark.parametrize("fixture", ["annual_en", "business_nl"])
def test_charts_hold_aggregates_only(fixture, request):
    """No chart carries one point per family: every trace has at most a few dozen points
    (domains, waves, levels, payers, years, histogram bins), far fewer than the 350 families."""
    rep = request.getfixturevalue(fixture)
    for sec in rep.sections:
        for chart in sec.charts:
            for trace in chart.figure.data:
                for attr in ("x", "y", "r", "theta", "value"):
                    values = getattr(trace, attr, None)
                    if values is not None:
                        assert len(values) <= 60, (chart.id, attr, len(values))
                if trace.type == "sankey":
                    assert min(trace.link.value) >= 10  # every drawn flow rests on >= k families


def test_any_instrument_two_waves_no_families_no_reliability(rng):
    """Instruments are configuration: a two-wave, two-domain instrument without reliabilities and
    an export without a families table still give a full report; reliable change says why not."""
    import numpy as np
    import pandas as pd

    import impactkit as ik
    from impactkit.io import read_dataset

    inst = ik.Instrument.from_dict(
        {
            "id": "homestart",
            "domains": [
                {"id": "parenting", "label_nl": "Opvoeding"},
                {"id": "network", "label_nl": "Netwerk"},
            ],
            "scale": {"min": 1, "max": 5},
            "waves": [{"id": "intake"}, {"id": "end", "label_nl": "Einde"}],
            "sufficient": 4,
        }
    )
    rows = [
        {
            "family_id": f"H{i:03d}",
            "wave": w,
            "domain": d,
            "score": int(np.clip(rng.integers(1, 5) + (w == "end"), 1, 5)),
        }
        for i in range(60)
        for w in ("intake", "end")
        if not (w == "end" and i % 5 == 0)
        for d in ("parenting", "network")
    ]
    ds = read_dataset(pd.DataFrame(rows), instrument=inst)
    rep = build_report(ds, lang="nl", draws=100, generated_at=GENERATED)
    assert rep.n_charts == 7  # no reliable-change chart (the spread by source is one)
    assert "Betrouwbare verandering kan voor deze gegevens niet worden berekend" in rep.html
    assert "Einde" in rep.html
    assert rep.tables["flow"]["Gezinnen"].tolist() == [60, 48]  # 60 at intake, every 5th left


def test_distance_travelled_matches_a_hand_computation(annual_en):
    """Reference: the mean of year2 - intake finances scores over families with both, computed
    from assessments.csv with the csv module (0.812 over 250 pairs)."""
    with open(SAMPLE / "assessments.csv", encoding="utf-8-sig", newline="") as fh:
        scores: dict[str, dict[str, float]] = {}
        for r in csv.DictReader(fh):
            if r["finances"] != "":
                scores.setdefault(r["family_id"], {})[r["wave"]] = float(r["finances"])
    diffs = [s["year2"] - s["intake"] for s in scores.values() if "intake" in s and "year2" in s]
    t = annual_en.tables["distance"].set_index("Life domain")
    assert t.loc["Finances", "n"] == len(diffs) == 250
    # the release publishes the number as printed (two decimals), in the HTML and in Excel alike
    assert t.loc["Finances", "Mean change"] == round(sum(diffs) / len(diffs), 2) == 0.81
    assert sum(diffs) / len(diffs) == pytest.approx(0.812)


def test_business_case_for_one_municipality():
    """Only Arnhem's 100 families (counted from families.csv) and Arnhem's programme costs."""
    rows = [r for r in _families_csv() if r["municipality"] == "Arnhem"]
    rep = build_report(sample(), kind="business-case", municipality="Arnhem", draws=0, generated_at=GENERATED)
    assert len(rows) == 100
    assert "100 families" in rep.html
    assert "Municipal business case · Arnhem" in rep.html
    whole = build_report(sample(), kind="business-case", draws=0, generated_at=GENERATED)
    cost = rep.tables["costs-summary"].set_index("Item").loc["Programme cost", "Estimate"]
    assert cost != whole.tables["costs-summary"].set_index("Item").loc["Programme cost", "Estimate"]
    # Arnhem's 100 families over 4 start years: 25 a year, 1 FTE × €80,000 + 25 × €550 = €93,750 a
    # funded year (hand calculation); the balance stays negative, so no payback is claimed
    table = rep.tables["years"]
    assert table["Invests"].iloc[:3].tolist() == [93750.0] * 3
    assert table["Cumulative net"].iloc[-1] < 0
    assert (
        rep.tables["costs-summary"].set_index("Item").loc["Payback period", "Estimate"]
        == "not within the horizon"
    )
    with pytest.raises(ParameterError, match="'municipality' parameter of build_report must be one of"):
        build_report(sample(), municipality="Atlantis", draws=0)
