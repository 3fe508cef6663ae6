"""Saving a report creates the folders it needs (a user's --out seldom exists yet)."""

from __future__ import annotations

import openpyxl

import impactkit as ik


def test_save_and_excel_create_parent_folders(tmp_path):
    rep = ik.build_report("data/sample", draws=200, generated_at="2026-11-23")
    html = rep.save(tmp_path / "a" / "b" / "report.html")
    xlsx = rep.to_excel(tmp_path / "c" / "report.xlsx")
    assert html.read_text(encoding="utf-8") == rep.html
    assert openpyxl.load_workbook(xlsx).sheetnames
