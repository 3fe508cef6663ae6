"""A report's tables as a workbook for municipalities, through the package's one Excel writer.

Sheets: "Contents" (title, key figures as numbers, every section's text and a list of the table
sheets), for a business case its live model (read me, inputs, formulas, results, PSA: see
:mod:`impactkit.costs._workbook`), one sheet per table (header frozen and filtered, numbers typed, suppressed cells as
their marker), and "Method" (what reproduces the report).  Sheet names are designed per language
in the report catalogue (``sheet.<table id>``), never cut.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from impactkit.excel import Sheet, SheetTable, write_workbook
from impactkit.i18n import text
from impactkit.i18n._catalog import has

if TYPE_CHECKING:  # pragma: no cover
    from impactkit.report._report import Report

__all__ = ["workbook_sheets", "write_excel"]


def _t(report: Report, key: str, **values: Any) -> str:
    return text("report", key, report.lang, **values)


def workbook_sheets(report: Report) -> list[Sheet]:
    """The sheets of ``report``'s workbook (see the module docstring)."""
    contents_texts = [report.title, report.subtitle]
    figures = [(kf.label, kf.number, kf.kind, kf.detail) for s in report.sections for kf in s.key_figures]
    tables: list[Sheet] = []
    index_rows = []
    for sec in report.sections:
        contents_texts += ["", sec.title, *sec.paragraphs]
        for lead, items in sec.lists:
            contents_texts += [lead, *(f"• {i}" for i in items)]
        contents_texts += sec.after
        for t in sec.tables:
            key = f"sheet.{t.id.removeprefix('tbl-')}"
            # tables of the annual run (period, comparison) keep their texts in the run catalogue
            name = _t(report, key) if has("report", key) else text("run", key, report.lang)
            frame, types = t.excel_frame()
            tables.append(Sheet(name, [SheetTable(frame, types=types, title=t.caption, notes=t.notes)]))
            index_rows.append({"sheet": name, "table": t.caption, "section": sec.title})
    from impactkit.report._model import KINDS

    kf = pd.DataFrame(
        {
            _t(report, "xl_figure"): [f[0] for f in figures],
            _t(report, "xl_value"): [f[1] for f in figures],
            _t(report, "xl_detail"): [f[3] for f in figures],
        }
    )
    kf_types: dict[str, Any] = {kf.columns[1]: [KINDS[f[2]][1] for f in figures]}
    index = pd.DataFrame(index_rows).rename(
        columns={
            "sheet": _t(report, "xl_sheet"),
            "table": _t(report, "xl_table"),
            "section": _t(report, "xl_section"),
        }
    )
    contents = Sheet(
        _t(report, "sheet.contents"),
        [
            SheetTable(kf, types=kf_types, title=_t(report, "xl_key_figures")),
            SheetTable(index, title=_t(report, "xl_tables")),
        ],
        texts=[],
    )
    notes = Sheet(_t(report, "sheet.text"), [], texts=[t for t in contents_texts if t is not None])
    footer = report.footer
    method_rows = [(k, str(v)) for k, v in footer.items() if k != "files"]
    method_rows += [(f"SHA-256 {name}", digest) for name, digest in footer["files"]]
    method = Sheet(
        _t(report, "sheet.method"),
        [SheetTable(pd.DataFrame(method_rows, columns=["impactkit", ""]), types={"": "text"})],
    )
    live: list[Sheet] = []
    costs = getattr(report, "costs", None)
    if costs is not None and getattr(costs, "case", None) is not None:  # a business case: its live model
        from impactkit.costs._workbook import live_sheets

        live = live_sheets(costs, report.lang)
    return [contents, *live, *tables, notes, method]


def write_excel(report: Report, path: Path) -> Path:
    """Write the workbook of ``report`` to ``path``; the same report gives the same bytes."""
    when = pd.Timestamp(report.footer["generated_at"]).to_pydatetime()
    write_workbook(workbook_sheets(report), path, title=report.title, created=when)
    return path
