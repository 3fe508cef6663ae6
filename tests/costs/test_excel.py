"""Excel export of a business case: numbers stay numbers and match the tables."""

from __future__ import annotations

import re

import openpyxl
import pytest

import impactkit as ik


def test_business_case_to_excel(tmp_path):
    bc = ik.costs.business_case(families_per_year=40, years=3, draws=300, seed=2)
    path = bc.to_excel(tmp_path / "bc.xlsx")
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == [
        "Read me", "Inputs", "Model", "Results", "PSA at report values",  # the live model (test_workbook.py)
        "headline", "by_payer", "by_year", "by_path", "by_basis", "psa", "spread", "acceptability", "tornado",
        "scenarios", "assumptions", "notes",
    ]  # fmt: skip
    ws = wb["by_payer"]
    header = [c.value for c in ws[1]]
    net = header.index("net")
    values = [row[net] for row in ws.iter_rows(min_row=2, values_only=True)]
    assert all(isinstance(v, int | float) for v in values)
    assert values == pytest.approx(bc.by_payer["net"].tolist())
    assert ws.cell(row=2, column=net + 1).number_format == '"€" #,##0;"€" -#,##0'
    head = {
        r[0]: (r[1], c.number_format)
        for r, c in zip(
            wb["headline"].iter_rows(min_row=2, values_only=True), wb["headline"]["B"][1:], strict=True
        )
    }
    assert head["benefit_cost_ratio"] == (pytest.approx(bc.headline["benefit_cost_ratio"]), "0.00")
    assert head["p_net_benefit_positive"][1] == "0.0%"  # a probability of 0.98 reads 98.0%, never "1"
    assert wb["by_payer"].freeze_panes == "A2"
    assumptions = [c.value for c in wb["assumptions"][1]]
    assert "source" in assumptions
    assert "per_family" not in wb.sheetnames


def test_model_sheet_steps_are_in_the_workbook_language(tmp_path, sample_dir):
    """The Model sheet's step column reads in the workbook's language (catalogue notes), with paths,
    care types and payers by their words in that language, never their ids."""
    ds = ik.read_dataset(sample_dir, today="2026-11-01")
    bc = ik.costs.business_case(data=ds, years=2, draws=0)
    steps = {}
    for lang in ("nl", "en"):
        wb = openpyxl.load_workbook(bc.to_excel(tmp_path / f"bc_{lang}.xlsx", lang=lang))
        ws = wb["Berekening" if lang == "nl" else "Model"]
        rows = list(ws.iter_rows(values_only=True))
        head = next(i for i, r in enumerate(rows) if r[2] == "id")  # step, value, id
        steps[lang] = [str(r[0]) for r in rows[head + 1 :] if r[0] is not None]
    nl, en = steps["nl"], steps["en"]
    assert len(nl) == len(en) > 100
    assert not [s for s in nl + en if "_" in s]  # no id (social_work, municipality_youth ...)
    english = re.compile(r"\b(?:funded|year|Saves|Invests|Net|PV|Discount|One case|step|of|the|cost)\b")
    assert not [s for s in nl if english.search(s)]
    # hand-checked against notes.po: one case of a path, by payer; a step inside payback's formula
    assert (
        "Eén geval van Schuldhulp en problematische schulden: kosten voor Woningcorporaties in jaar 1" in nl
    )
    assert "One case of Debt assistance and problematic debt: cost to Housing corporations in year 1" in en
    assert "(Terugverdientijd (maanden))" in nl
    assert "(Payback (months))" in en
