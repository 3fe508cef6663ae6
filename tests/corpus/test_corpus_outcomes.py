"""Events and care before / during / after in two programme-shaped exports, from the raw files.

Samen Oplopen's workbook has sheets "Meldingen" and "Zorggebruik"; the five-family youth-protection
pilot has a nuisance register whose only finding is "no reports since support started".  The
reference counts are read with openpyxl / the csv module, not impactkit's readers.
"""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

import impactkit as ik
from impactkit.report import build_report

EXPORTS = Path(__file__).resolve().parent / "exports"
TODAY = "2026-11-01"
KEY = "6f1e2d3c4b5a69788796a5b4c3d2e1f0"


def _sheet(path: Path, name: str) -> pd.DataFrame:
    wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    rows = list(wb[name].iter_rows(values_only=True))
    wb.close()
    return pd.DataFrame(rows[1:], columns=rows[0])


@pytest.fixture(scope="module")
def samen() -> ik.Dataset:
    return ik.read_dataset(EXPORTS / "samen_oplopen", today=TODAY)


def test_samen_oplopen_reports_before_the_start_by_hand(samen) -> None:
    book = EXPORTS / "samen_oplopen" / "Export Samen Oplopen 2024.xlsx"
    fam = _sheet(book, "Gezinnen")[["Gezinscode", "Startdatum"]]
    ev = _sheet(book, "Meldingen").merge(fam, on="Gezinscode")
    start = pd.to_datetime(ev["Startdatum"])
    before = ev[(ev["Soort melding"] == "Overlast") & (pd.to_datetime(ev["Datum"]) >= start - pd.DateOffset(months=12))
                & (pd.to_datetime(ev["Datum"]) < start)]  # fmt: skip
    counts = ik.outcomes.phase_counts(samen)
    got = counts[(counts["outcome"] == "nuisance_report") & (counts["phase"] == "before")]["count"].sum()
    assert got == len(before) > 0
    care = _sheet(book, "Zorggebruik")
    assert set(samen.care_used["care_type"]) == {"social_work", "home_guidance"}
    assert samen.care_used["units"].sum() == care["Aantal"].sum()


def test_samen_oplopen_annual_report_and_casework(samen, monkeypatch) -> None:
    annual = build_report(samen, kind="annual", lang="nl", draws=200, generated_at="2026-11-23")
    ids = [s.id for s in annual.sections]
    assert "outcomes" in ids
    assert "observed" in ids
    events = annual.tables["outcome-events"]
    assert set(events["Periode"]) == {"voor", "tijdens de steun", "na"}
    assert "Waargenomen en aangenomen zorgkosten" in annual.html
    view = build_report(samen, kind="casework", lang="nl", family="SO-1000", pseudonym_key=KEY,
                        generated_at="2026-11-23")  # fmt: skip
    assert "SO-1000" not in view.html
    assert view.n_charts == 3


def test_the_pilot_without_reports_since_the_start() -> None:
    """Five families, 10 nuisance reports in the 12 months before the start and none since.

    Exact interval by hand (Clopper-Pearson, as poisson.test): with 0 of n = 10 reports in the
    support period, π_upper = 1 − 0.025^(1/10), so RR_upper = π/(1 − π) × t_before / t_during.
    """
    folder = EXPORTS / "jeugdbescherming"
    with (folder / "meldingen.csv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh, delimiter=";"))
    assert len(rows) == 10
    ds = ik.read_dataset(folder, today=TODAY)
    counts = ik.outcomes.phase_counts(ds)
    nuis = counts[counts["outcome"] == "nuisance_report"]
    totals = nuis.groupby("phase", observed=True)[["count", "exposure_years"]].sum()
    assert totals.loc["before", "count"] == 10
    assert totals.loc["during", "count"] == 0
    assert "after" not in totals.index  # still in support on the day of the export
    starts = pd.to_datetime(ds.families["start_date"])
    t_during = ((pd.Timestamp("2024-12-01") - starts).dt.days + 1).sum() / 365.25
    assert totals.loc["during", "exposure_years"] == pytest.approx(t_during)
    row = ik.outcomes.rate_ratios(nuis, method="exact").iloc[0]
    pi = 1 - 0.025 ** (1 / 10)
    assert row.rate_ratio == 0
    assert row.ci_high == pytest.approx(pi / (1 - pi) * totals.loc["before", "exposure_years"] / t_during)
    assert ik.outcomes.rate_ratios(nuis).iloc[0].status == "no_events"
    # nothing is published at k = 10 for five families, but the coordinator's view works
    view = build_report(ds, kind="casework", lang="nl", pseudonym_key=KEY, generated_at="2026-11-23")
    assert len(view.sections) == 6  # the notice and one page per family
    first = view.tables["cw-events-1"].set_index("Wat")
    assert first.loc["Overlastmeldingen", "Voor"] == 3
    assert first.loc["Overlastmeldingen", "Tijdens de steun"] == 0
    assert dt.date.fromisoformat(view.footer["generated_at"]) == dt.date(2026, 11, 23)
