"""The live workbook of a business case, recalculated headless by LibreOffice, against Python.

The workbook's formulas are written from the model's one definition; LibreOffice (Debian's
libreoffice-calc-nogui, installed by .ci/run) recalculates them, first at the report's inputs and
then after several input cells were changed as a user would (families, years, horizon, salary, a
tariff, a duration, deadweight, drop-off, the discount rate, the FTE tie).  Every result must equal
Python's engine (``business_case`` re-run at those inputs) to a relative 1e-9 (LibreOffice writes
15 significant digits).  No data and the sample.
"""

from __future__ import annotations

import dataclasses
import math
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest

import impactkit as ik
from impactkit.costs._case import scenario_with

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
CHANGES = {
    "case.families_per_year": 65.0,
    "case.years": 4.0,
    "scenario.horizon": 6.0,
    "case.fte_from_caseload": 0.0,
    "case.coordinator_fte": 2.2,
    "programme.costs.coordinator.amount": 88000.0,
    "prices.social_work.price": 141.5,
    "paths.debt_assistance.components[1].years": 2.0,
    "adjustments.deadweight": 0.35,
    "adjustments.dropoff": 0.15,
    "discount.effects": 0.03,
    "case.start_year": 2026.0,
}


def _recalculate(out: Path, *src: Path) -> list[Path]:
    """LibreOffice opens each workbook (no cached values: it computes every formula) and saves it.

    One LibreOffice start for all the workbooks (starting it is most of the time).
    """
    out.mkdir(parents=True, exist_ok=True)
    profile = (out / "lo-profile").as_uri()
    subprocess.run(
        [SOFFICE, f"-env:UserInstallation={profile}", "--headless", "--calc", "--convert-to", "xlsx",
         "--outdir", str(out), *map(str, src)],
        check=True, capture_output=True, timeout=240,
    )  # fmt: skip
    return [out / p.name for p in src]


def _results(path: Path, sheet: str) -> dict[str, float]:
    ws = openpyxl.load_workbook(path, data_only=True)[sheet]
    out = {}
    for row in ws.iter_rows(min_row=1):
        key, value = row[0].value, row[2].value
        if (isinstance(key, str) and "." in key) or key in (
            "programme_cost",
            "net_benefit",
            "payback_months",
        ):
            out[key] = math.nan if value in ("#N/A", None) else float(value)
        elif isinstance(key, str) and isinstance(value, int | float):
            out[key] = float(value)
    return out


def _python(ev, ds, values):
    s = scenario_with(ev.scenario, values)
    fte = None if values["case.fte_from_caseload"] else values["case.coordinator_fte"]
    kw = dict(families_per_year=values["case.families_per_year"], coordinator_fte=fte, years=int(values["case.years"]),
              start_year=int(values["case.start_year"]), draws=0, spread=False)  # fmt: skip
    if ds is None:
        return ik.costs.business_case(s, programme="samen_oplopen", **kw)
    return ik.costs.business_case(s, data=dataclasses.replace(ds, prices=None), **kw)


def _expected(rerun):
    exp = {k: rerun.headline[k] for k in ("programme_cost", "gross_avoided_cost", "net_benefit", "benefit_cost_ratio",
                                          "roi", "payback_months", "break_even_share", "fiscal_net_benefit",
                                          "net_benefit_undiscounted")}  # fmt: skip
    payers = list(rerun.by_payer["payer"])
    for _, r in rerun.by_payer.iterrows():
        y = payers.index(r["payer"])
        exp.update({f"invests_pv.{y}": r["invests"], f"saves_pv.{y}": r["saves"], f"net_pv.{y}": r["net"]})
    tot = rerun.by_year.groupby("year")[["invests", "saves", "net"]].sum()
    cum = 0.0
    for t, r in tot.iterrows():
        n = int(t) - 1
        cum += r["net"]
        exp.update({f"invested_total.{n}": r["invests"], f"saved_total.{n}": r["saves"], f"net_total.{n}": r["net"],
                    f"cumulative_total.{n}": cum, f"year_active.{n}": 1.0,
                    f"calendar_year.{n}": float(rerun.by_year.loc[rerun.by_year["year"] == t, "calendar_year"].iloc[0])})  # fmt: skip
    paths = list(rerun.scenario.paths)
    for _, r in rerun.by_path.iterrows():
        if r["path"] in paths:
            p = paths.index(r["path"])
            exp.update({f"expected_cases.{p}": r["expected_cases"], f"cost_per_case.{p}": r["cost_per_case"],
                        f"break_even_cases.{p}": r["break_even_cases"]})  # fmt: skip
    return exp


def _check(got: dict[str, float], exp: dict[str, float], scale: float) -> list[str]:
    bad = []
    for key, want in exp.items():
        have = got.get(key)
        if have is None:
            # a payer the model never touches (its nodes are the constant 0) has no rows
            if not (key.split(".")[0] in ("invests_pv", "saves_pv", "net_pv") and want == 0.0):
                bad.append(f"{key}: missing in the workbook")
        elif math.isnan(want) or math.isnan(have):
            if not (math.isnan(want) and math.isnan(have)):
                bad.append(f"{key}: workbook {have!r}, Python {want!r}")
        elif abs(have - want) > 1e-9 * max(abs(want), 1.0) and abs(have - want) > 1e-9 * scale:
            bad.append(f"{key}: workbook {have!r}, Python {want!r}")
    # budget years after the business case are flagged as outside it
    n_years = sum(1 for k in exp if k.startswith("year_active."))
    bad += [f"{k}: {v} (after the business case)" for k, v in got.items()
            if k.startswith("year_active.") and int(k.split(".")[1]) >= n_years and v != 0.0]  # fmt: skip
    return bad


@pytest.mark.skipif(
    SOFFICE is None, reason="LibreOffice is not installed (apt-get install libreoffice-calc-nogui)"
)
@pytest.mark.parametrize("which", ["nodata", "sample"])
def test_workbook_recalculated_by_libreoffice_equals_python(which, tmp_path):
    if which == "nodata":
        ds = None
        ev = ik.costs.business_case(
            families_per_year=40, years=3, programme="samen_oplopen", draws=300, seed=1
        )
    else:
        ds = ik.read_dataset("data/sample", today="2026-11-01")
        ev = ik.costs.business_case(data=ds, years=3, draws=300, seed=1)
    lang = "nl" if which == "nodata" else "en"
    book = ev.to_excel(tmp_path / f"{which}.xlsx", lang=lang)
    wb = openpyxl.load_workbook(book)
    inputs_name, results_name = wb.sheetnames[1], wb.sheetnames[3]
    # the yellow cells: value column C of the inputs sheet, one row per input key (column A)
    ws = wb[inputs_name]
    rows = {r[0].value: r[0].row for r in ws.iter_rows(min_row=1) if isinstance(r[0].value, str)}
    assert ws.cell(rows["case.families_per_year"], 3).protection.locked is False
    assert ws.protection.sheet is True
    values = {
        k: float(ws.cell(rows[k], 3).value) for k in rows if k in {i.key for i in ev.case.model().inputs}
    }
    scale = abs(ev.headline["programme_cost"])
    # a user changes yellow cells (in a copy)
    for key, value in CHANGES.items():
        ws.cell(rows[key], 3).value = value
    changed = tmp_path / f"{which}_changed.xlsx"
    wb.save(changed)
    as_written, after = _recalculate(tmp_path / "recalculated", book, changed)
    # 1. as written: the report's numbers
    got = _results(as_written, results_name)
    assert not _check(got, _expected(_python(ev, ds, values)), scale)
    assert got["programme_cost"] == pytest.approx(ev.headline["programme_cost"], rel=1e-12)
    # 2. after the changes: Python re-run at the changed inputs
    got = _results(after, results_name)
    problems = _check(got, _expected(_python(ev, ds, {**values, **CHANGES})), scale)
    assert not problems, problems[:10]
    assert got["calendar_year.0"] == 2026.0
    assert got["programme_cost"] != pytest.approx(ev.headline["programme_cost"], rel=1e-3)


def test_formulas_are_generated_not_text(tmp_path):
    """Every result and model cell is a formula; text cells stay text (no injection through labels)."""
    ev = ik.costs.business_case(families_per_year=40, years=2, draws=0)
    wb = openpyxl.load_workbook(ev.to_excel(tmp_path / "bc.xlsx"))
    model, results = wb[wb.sheetnames[2]], wb[wb.sheetnames[3]]
    steps = [r[1] for r in model.iter_rows(min_row=4) if r[2].value]
    assert steps
    assert all(c.data_type == "f" and str(c.value).startswith("=") for c in steps)
    res = [r[2] for r in results.iter_rows(min_row=4) if r[0].value]
    assert all(c.data_type == "f" for c in res)
    labels = [r[0] for r in model.iter_rows(min_row=4) if r[2].value]
    assert all(c.data_type == "s" for c in labels)
