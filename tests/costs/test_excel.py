"""Excel export of a business case: numbers stay numbers and match the tables."""

from __future__ import annotations

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
