"""Excel workbooks (.xlsx, .xlsm): the right sheet, only the cells it holds, and honest values.

* **Sheet**: the named one (matched ignoring case and spaces), else the first *visible* sheet;
  hidden sheets are skipped and named in a note, and the note says which sheet was read.
* **Bounded**: the used range a workbook claims (``A1:XFD1048576`` after a stray format) is ignored;
  the sheet's XML is streamed and only cells that exist are read.
* **Formulas**: a formula cell is read through its saved result; a formula without one (a file
  written by a program that does not calculate) is an :class:`~impactkit.io._source.Issue`, not a
  missing score.  An error cell (``#DIV/0!``, ``#N/A``, a date serial outside Excel's range) is one
  too.
* **Data without a header** to the right of the header row is reported, never cut off silently.

The sheet parser is openpyxl's own (``openpyxl.worksheet._reader.WorkSheetParser``), driven row by
row so that empty padding is never materialised.
"""

from __future__ import annotations

import datetime as dt
import warnings
import zipfile
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from impactkit.instruments import normalise_label
from impactkit.io._source import MAX_COLUMNS, Issue, RawTable, Unreadable, column_letter, strip_frame

__all__ = ["read_xlsx", "sheet_names"]


def _open(path: Path) -> Any:
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about styles and extensions it skips
            return openpyxl.load_workbook(path, read_only=True, data_only=True)
    except zipfile.BadZipFile as err:
        raise Unreadable("corrupt_xlsx", reason=str(err) or "not a complete zip archive") from err
    except (KeyError, InvalidFileException) as err:
        raise Unreadable("not_xlsx", reason=str(err).strip("'\"")[:120]) from err
    except (OSError, ValueError, TypeError, AttributeError, IndexError, zipfile.LargeZipFile) as err:
        raise Unreadable("corrupt_xlsx", reason=f"{type(err).__name__}: {err}"[:160]) from err
    except Exception as err:  # lxml/ElementTree parse errors have no common base with the above
        raise Unreadable("corrupt_xlsx", reason=f"{type(err).__name__}: {err}"[:160]) from err


def sheet_names(path: Path) -> list[tuple[str, str]]:
    """(name, state) of every sheet; state is visible, hidden or veryHidden."""
    wb = _open(path)
    try:
        return [(ws.title, getattr(ws, "sheet_state", "visible")) for ws in wb.worksheets]
    finally:
        wb.close()


def read_xlsx(path: Path, sheet: str | int | None) -> RawTable:
    wb = _open(path)
    notes: list[tuple[str, dict[str, Any]]] = []
    try:
        sheets = list(wb.worksheets)
        if not sheets:
            raise Unreadable("not_xlsx", reason="the workbook has no worksheets")
        hidden = [ws.title for ws in sheets if getattr(ws, "sheet_state", "visible") != "visible"]
        visible = [ws for ws in sheets if ws.title not in hidden]
        if sheet is None or sheet == 0:
            if not visible:
                raise Unreadable("all_hidden", sheets=_names(hidden))
            ws = visible[0]
        elif isinstance(sheet, int):
            if not 0 <= sheet < len(sheets):
                raise Unreadable("no_sheet", sheet=str(sheet), sheets=_names([s.title for s in sheets]))
            ws = sheets[sheet]
        else:
            hits = [s for s in sheets if s.title == sheet] or [
                s for s in sheets if normalise_label(s.title) == normalise_label(sheet)
            ]
            if not hits:
                raise Unreadable("no_sheet", sheet=sheet, sheets=_names([s.title for s in sheets]))
            ws = hits[0]
        if len(sheets) > 1 or hidden:
            notes.append(("note_sheet", {"sheet": ws.title}))
        skipped = [h for h in hidden if h != ws.title]
        if skipped and (sheet is None or sheet == 0):
            notes.append(("note_hidden", {"sheets": _names(skipped)}))
        frame, rows, issues = _read_sheet(wb, ws)
    finally:
        wb.close()
    return RawTable(frame, rows, str(path), path, sheet=ws.title, issues=issues, notes=notes, kind="xlsx")


def _names(names: list[str]) -> str:
    return ", ".join(repr(n) for n in names)


def _read_sheet(wb: Any, ws: Any) -> tuple[pd.DataFrame, np.ndarray, list[Issue]]:
    from openpyxl.worksheet._reader import FORMULA_TAG, VALUE_TAG, WorkSheetParser

    issues: list[Issue] = []
    pending: dict[tuple[int, int], str] = {}  # (row, column) of formulas without a saved result

    class Parser(WorkSheetParser):  # openpyxl's own sheet parser, with formula cells recorded
        def parse_cell(self, element: Any) -> dict[str, Any]:
            cell: dict[str, Any] = super().parse_cell(element)
            f = element.find(FORMULA_TAG)
            if f is not None and element.findtext(VALUE_TAG, None) in (None, ""):
                pending[(cell["row"], cell["column"])] = "=" + (f.text or "")
            return cell

    header: list[str] | None = None
    data: list[list[object]] = []
    rows: list[int] = []
    beyond: dict[int, list[int]] = {}  # column (0-based) beyond the header -> rows holding values
    width = 0
    with warnings.catch_warnings(), ws._get_source() as src:
        warnings.simplefilter("ignore")  # out-of-range date serials warn; they arrive as error cells
        parser = Parser(
            src,
            ws._shared_strings,
            data_only=True,
            epoch=wb.epoch,
            date_formats=wb._date_formats,
            timedelta_formats=wb._timedelta_formats,
        )
        try:
            for r, cells in parser.parse():
                present = [c for c in cells if c["value"] is not None or (c["row"], c["column"]) in pending]
                if _blank(present, pending):
                    continue
                if header is None:
                    last = max(c["column"] for c in present)
                    if last > MAX_COLUMNS:
                        raise Unreadable("too_many_columns", n=last, limit=MAX_COLUMNS)
                    header = [""] * last
                    for c in present:
                        header[c["column"] - 1] = "" if c["value"] is None else str(c["value"]).strip()
                    width = len(header)
                    continue
                row: list[object] = [None] * width
                for c in present:
                    j = c["column"] - 1
                    if (r, c["column"]) in pending:
                        issues.append(
                            Issue(r, _header(header, j), pending[(r, c["column"])], "formula_no_value")
                        )
                        continue
                    if c["data_type"] == "e":  # #DIV/0!, #N/A, or a date serial outside Excel's range
                        issues.append(Issue(r, _header(header, j), str(c["value"]), "excel_error"))
                        continue
                    if j >= width:
                        beyond.setdefault(j, []).append(r)
                        continue
                    row[j] = _cell(c["value"])
                data.append(row)
                rows.append(r)
        except Unreadable:
            raise
        except Exception as err:  # a damaged sheet XML: ElementTree/lxml errors
            raise Unreadable("corrupt_xlsx", reason=f"{type(err).__name__}: {err}"[:160]) from err
    if header is None:
        return pd.DataFrame(), np.array([], dtype=int), issues
    for j, where in sorted(beyond.items()):
        issues.append(Issue(where[0], column_letter(j), "", "unnamed_column", {"letter": column_letter(j)}))
    frame = (
        pd.DataFrame(data, columns=range(width), dtype=object) if data else pd.DataFrame(columns=range(width))
    )
    keep: list[int] = []
    names: list[str] = []
    seen: dict[str, int] = {}
    for j, h in enumerate(header):
        col = frame[j]
        if not h:
            if col.notna().any():
                issues.append(Issue(1, column_letter(j), "", "unnamed_column", {"letter": column_letter(j)}))
            continue
        if h in seen:
            issues.append(
                Issue(
                    1,
                    h,
                    h,
                    "duplicate_header",
                    {"name": h, "first": column_letter(seen[h]), "second": column_letter(j)},
                )
            )
            continue
        seen[h] = j
        keep.append(j)
        names.append(h)
    frame = frame[keep]
    frame.columns = names
    return strip_frame(frame.where(frame.notna(), np.nan)), np.asarray(rows, dtype=int), issues


def _blank(cells: list[dict[str, Any]], pending: dict[tuple[int, int], str]) -> bool:
    """A row with nothing but empty text (and no formula awaiting a value) is skipped."""
    for c in cells:
        if (c["row"], c["column"]) in pending:
            return False
        v = c["value"]
        if not (isinstance(v, str) and not v.strip()):
            return False
    return True


def _header(header: list[str], j: int) -> str:
    return header[j] if j < len(header) and header[j] else column_letter(j)


def _cell(v: object) -> object:
    if v is None:
        return None
    if isinstance(v, dt.datetime):
        day = f"{v.year:04d}-{v.month:02d}-{v.day:02d}"
        return day if v.time() == dt.time(0) else f"{day} {v.time().isoformat()}"
    if isinstance(v, dt.date):
        return f"{v.year:04d}-{v.month:02d}-{v.day:02d}"
    if isinstance(v, bool):
        return str(v).upper()
    if isinstance(v, float) and v.is_integer() and abs(v) < 2**62:
        return str(int(v))
    return str(v)
