"""The one Excel writer of the package (openpyxl): every workbook impactkit writes goes through here.

- numbers are written as numbers, with the number format of their column type (``_types``);
  missing values are empty cells; a suppressed cell is the marker text (``"<10"``, ``"x"``);
- each sheet's table header is bold, frozen and filtered; column widths follow the content;
- sheet names are designed by the caller and checked (at most 31 characters, none of ``[]:*?/\\``,
  unique), never cut;
- a text cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is written
  as a string with Excel's quote prefix, never as a formula (OWASP, CSV/formula injection);
- a formula is written only when the cell holds a :class:`Formula` (impactkit generates those
  from its own model definition, never from text it read);
- columns a table declares ``editable`` are the workbook's inputs: filled light yellow and
  unlocked, every other cell of that sheet locked (sheet protection without a password, so a
  reader sees what to change and cannot overwrite a formula by accident);
- the bytes are a pure function of the content: fixed document dates and zip timestamps.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter

from impactkit.errors import ParameterError
from impactkit.excel._types import column_type, number_format

__all__ = [
    "FORMULA_PREFIXES",
    "Formula",
    "Sheet",
    "SheetTable",
    "check_sheet_names",
    "data_rows",
    "write_workbook",
]

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
_EPOCH = dt.datetime(2000, 1, 1)  # document dates when the caller gives none
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
_BAD_SHEET_CHARS = set("[]:*?/\\")
_TITLE = Font(bold=True, size=13)
_BOLD = Font(bold=True)
_NOTE = Font(italic=True, size=9, color="555555")
_INPUT_FILL = PatternFill("solid", fgColor="FFF2CC")


@dataclass(frozen=True)
class Formula:
    """A spreadsheet formula (``"=B2*C2"``) that impactkit generated; shown with ``cached`` until
    the spreadsheet program recalculates (None: no cached value)."""

    text: str
    cached: float | None = None

    def __post_init__(self) -> None:
        if not self.text.startswith("="):
            raise ParameterError(f"A Formula must start with '='. Got {self.text[:20]!r} instead.")


@dataclass(frozen=True)
class SheetTable:
    """One table: a frame, the type of each column, and its headers, title and notes.

    ``types`` maps a column to a type name (``"count"``, ``"share"``, ``"money"``, ``"p_value"``,
    ``"estimate"``, ... see ``impactkit.excel.FORMATS``) or to one type per row (a column of
    mixed quantities, e.g. a headline table).  Undeclared columns use the package vocabulary.
    """

    frame: pd.DataFrame
    types: Mapping[str, str | Sequence[str]] = field(default_factory=dict)
    headers: Mapping[str, str] = field(default_factory=dict)
    title: str = ""
    notes: Sequence[str] = ()
    editable: Sequence[str] = ()


@dataclass(frozen=True)
class Sheet:
    """A worksheet: a designed name (at most 31 characters), paragraphs, then tables."""

    name: str
    tables: Sequence[SheetTable] = ()
    texts: Sequence[str] = ()


def check_sheet_names(names: Sequence[str]) -> None:
    """Every problem with the sheet names at once (Excel's rules), as one ParameterError."""
    problems = []
    for name in names:
        if not name or len(name) > 31:
            problems.append(f"{name!r} has {len(name)} characters (1 to 31 allowed)")
        if bad := sorted(set(name) & _BAD_SHEET_CHARS):
            problems.append(f"{name!r} contains {''.join(bad)!r}")
        if name.startswith("'") or name.endswith("'"):
            problems.append(f"{name!r} starts or ends with an apostrophe")
    lowered = [n.lower() for n in names]
    problems += [
        f"{n!r} is used twice (names are case-insensitive)"
        for n in sorted(set(lowered))
        if lowered.count(n) > 1
    ]
    if problems:
        raise ParameterError("Sheet names must be designed to fit Excel: " + "; ".join(problems) + ".")


def data_rows(sheet: Sheet) -> list[int]:
    """The worksheet row (1-based) of the first data row of each table of ``sheet``, as
    :func:`write_workbook` lays it out (for formulas that refer to those cells)."""
    row = 1 + len(sheet.texts) + (1 if sheet.texts else 0)
    out = []
    for table in sheet.tables:
        row += (1 if table.title else 0) + len(table.notes) + 1  # title, notes, header
        out.append(row)
        row += len(table.frame) + 1
    return out


def _cell_value(v: Any, kind: str) -> Any:
    if isinstance(v, Formula):
        return v
    if v is None or v is pd.NA or v is pd.NaT:
        return None
    if isinstance(v, float) and math.isnan(v):
        return None
    if isinstance(v, bool):
        return str(v).lower() if kind == "text" else v
    if kind == "date":
        return pd.Timestamp(v).to_pydatetime().replace(tzinfo=None)
    if isinstance(v, str):
        return v
    if kind == "text":
        return str(v)
    if hasattr(v, "item"):  # numpy scalar
        v = v.item()
    if isinstance(v, float) and math.isinf(v):
        return "∞" if v > 0 else "−∞"
    return v


def _write_cell(ws: Worksheet, row: int, col: int, value: Any, fmt: str | None = None) -> Any:
    cell = ws.cell(row, col)
    if isinstance(value, Formula):
        cell.value = value.text
        cell.data_type = "f"
        if fmt:
            cell.number_format = fmt
        return cell
    if isinstance(value, str):
        cell.value = value
        cell.data_type = "s"  # never a formula, whatever the first character
        if value.startswith(FORMULA_PREFIXES):
            cell.quotePrefix = True
        if fmt and fmt != "@":
            cell.alignment = Alignment(horizontal="right")  # a marker in a number column
    else:
        cell.value = value
        if fmt and value is not None:
            cell.number_format = fmt
    return cell


def _width(values: list[Any], header: str) -> float:
    longest = len(header)
    for v in values:
        if isinstance(v, Formula):
            v = v.cached if v.cached is not None else 0.0
        text = f"{v:,.3f}" if isinstance(v, float) else str(v) if v is not None else ""
        longest = max(longest, min(len(text), 60))
    return float(min(max(longest + 2, 8), 62))


def _write_table(ws: Worksheet, row: int, table: SheetTable, *, freeze: bool) -> int:
    frame = pd.DataFrame(table.frame).reset_index(drop=True)
    if table.title:
        _write_cell(ws, row, 1, table.title).font = _TITLE
        row += 1
    for note in table.notes:
        _write_cell(ws, row, 1, note).font = _NOTE
        row += 1
    columns = [str(c) for c in frame.columns]
    header_row = row
    for j, col in enumerate(columns, start=1):
        _write_cell(ws, row, j, table.headers.get(col, col)).font = _BOLD
    row += 1
    for j, col in enumerate(columns, start=1):
        declared = table.types.get(col)
        per_row = None if declared is None or isinstance(declared, str) else list(declared)
        if per_row is not None and len(per_row) != len(frame):
            raise ParameterError(
                f"The types of column {col!r} list {len(per_row)} rows; the table has {len(frame)}."
            )
        kind = column_type(frame, col, table.types) if per_row is None else ""
        values = []
        editable = col in table.editable
        for i, v in enumerate(frame[col].tolist()):
            k = per_row[i] if per_row is not None else kind
            value = _cell_value(v, k)
            cell = _write_cell(ws, row + i, j, value, number_format(k))
            if editable:
                cell.fill = _INPUT_FILL
                cell.protection = Protection(locked=False)
            values.append(value)
        letter = get_column_letter(j)
        ws.column_dimensions[letter].width = max(
            ws.column_dimensions[letter].width or 0, _width(values, table.headers.get(col, col))
        )
    end = row + len(frame) - 1
    if freeze:
        ws.freeze_panes = ws.cell(header_row + 1, 1)
        if len(frame) and columns:
            ws.auto_filter.ref = f"A{header_row}:{get_column_letter(len(columns))}{max(end, header_row)}"
    return end + 2


def write_workbook(
    sheets: Sequence[Sheet],
    path: str | Path | io.BytesIO,
    *,
    title: str = "",
    created: dt.datetime | dt.date | None = None,
) -> Path | io.BytesIO:
    """Write ``sheets`` to ``path`` (xlsx); the same sheets give the same bytes.

    ``created`` fixes the document date (default 2000-01-01, so nothing depends on the clock).
    """
    names = [s.name for s in sheets]
    check_sheet_names(names)
    if not sheets:
        raise ParameterError("write_workbook needs at least one sheet.")
    wb = Workbook()
    wb.remove(wb.active)
    for sheet in sheets:
        ws = wb.create_sheet(sheet.name)
        row = 1
        for text in sheet.texts:
            _write_cell(ws, row, 1, text).alignment = Alignment(wrap_text=False)
            row += 1
        if sheet.texts:
            row += 1
        for i, table in enumerate(sheet.tables):
            row = _write_table(ws, row, table, freeze=i == 0 and len(sheet.tables) == 1)
        if any(t.editable for t in sheet.tables):
            ws.protection.sheet = True  # no password: a guard against overwriting, not a lock
            ws.protection.autoFilter = False
            ws.protection.sort = False
    when = (
        created
        if isinstance(created, dt.datetime)
        else (dt.datetime.combine(created, dt.time()) if isinstance(created, dt.date) else _EPOCH)
    )
    wb.properties.creator = "impactkit"
    wb.properties.lastModifiedBy = "impactkit"
    wb.properties.title = title or None
    wb.properties.created = when
    wb.properties.modified = when
    raw = io.BytesIO()
    # openpyxl's Workbook.save stamps "modified" with the clock; its ExcelWriter does not
    with zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
        ExcelWriter(wb, archive).write_data()
    data = _fixed_zip(raw.getvalue())
    if isinstance(path, io.BytesIO):
        path.write(data)
        return path
    from impactkit._write import atomic_write

    return atomic_write(Path(path), data)  # a full disk or a kill leaves the previous file


def _fixed_zip(data: bytes) -> bytes:
    """The same archive with every entry's timestamp fixed (openpyxl stamps the clock time)."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=_ZIP_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o600 << 16
            dst.writestr(fixed, src.read(info.filename))
    return out.getvalue()
