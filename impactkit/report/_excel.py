"""Excel export of a report's tables (openpyxl): a sheet per section, numbers as numbers."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

if TYPE_CHECKING:  # pragma: no cover
    from impactkit.report._build import Report

__all__ = ["write_excel"]

_BOLD = Font(bold=True)
_CAPTION = Font(bold=True, size=12)
_NOTE = Font(italic=True, size=9, color="555555")


def _sheet_name(name: str, used: set[str]) -> str:
    base = "".join(c for c in name if c not in "[]:*?/\\")[:31] or "sheet"
    out, i = base, 2
    while out in used:
        out = f"{base[:28]}_{i}"
        i += 1
    used.add(out)
    return out


def write_excel(report: Report, path: Path) -> Path:
    """Write every table of ``report``; sections become sheets, the assumptions and the method
    statement a sheet of their own.  Suppressed cells hold their marker text ("<10", "x")."""
    wb = Workbook()
    wb.remove(wb.active)
    used: set[str] = set()
    for sec in report.sections:
        tables = sec.tables
        texts = [*sec.paragraphs, *(f"{lead} {' '.join(items)}" for lead, items in sec.lists), *sec.after]
        if not tables and not texts:
            continue
        ws = wb.create_sheet(_sheet_name(sec.title, used))
        row = 1
        ws.cell(row, 1, sec.title).font = Font(bold=True, size=14)
        row += 1
        for kf in sec.key_figures:
            ws.cell(row, 1, kf.label)
            ws.cell(row, 2, kf.value)
            row += 1
        for p in texts:
            c = ws.cell(row, 1, p)
            c.alignment = Alignment(wrap_text=False)
            row += 1
        for t in tables:
            row += 1
            ws.cell(row, 1, t.caption).font = _CAPTION
            row += 1
            frame, formats = t.excel_frame()
            for j, col in enumerate(frame.columns, start=1):
                ws.cell(row, j, col).font = _BOLD
            row += 1
            for values in frame.itertuples(index=False):
                for j, (col, v) in enumerate(zip(frame.columns, values, strict=True), start=1):
                    cell = ws.cell(row, j, v)
                    if isinstance(v, float):
                        cell.number_format = formats[col]
                    elif isinstance(v, str) and formats[col] != "@":
                        cell.alignment = Alignment(horizontal="right")
                row += 1
            for note in t.notes:
                ws.cell(row, 1, note).font = _NOTE
                row += 1
        for j in range(1, 12):
            ws.column_dimensions[get_column_letter(j)].width = 18 if j > 1 else 42
    ws = wb.create_sheet(_sheet_name("method", used))
    ws.cell(1, 1, "impactkit").font = _BOLD
    for i, (key, value) in enumerate(
        [(k, v) for k, v in report.footer.items() if k != "files"] + list(report.footer["files"]), start=2
    ):
        ws.cell(i, 1, str(key))
        ws.cell(i, 2, str(value))
    ws.column_dimensions["A"].width = 24
    ws.column_dimensions["B"].width = 90
    wb.properties.creator = "impactkit"
    wb.save(path)
    return path
