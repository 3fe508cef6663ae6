"""Reading a file (CSV, Excel, Parquet) or a DataFrame into a frame of raw text cells.

Every cell stays text (empty cells are missing) so that validation can report the value exactly as the
user wrote it; ``rows`` holds the row number as the user sees it (header = row 1; in Excel the sheet row).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from impactkit.errors import ParameterError

__all__ = ["RawTable", "read_raw"]

CSV_SUFFIXES = {".csv", ".txt", ".tsv"}
EXCEL_SUFFIXES = {".xlsx", ".xlsm"}
PARQUET_SUFFIXES = {".parquet", ".pq"}


@dataclass
class RawTable:
    """Raw text cells of one table with the user's file name and row numbers."""

    frame: pd.DataFrame  # object/str columns; NaN = empty cell; columns as written in the file
    rows: np.ndarray  # file/sheet row number of each frame row
    file: str  # display name of the source
    path: Path | None = None


def read_raw(
    source: str | Path | pd.DataFrame, *, sheet: str | int | None = None, name: str | None = None
) -> RawTable:
    """Read ``source`` into a :class:`RawTable` (no type conversion beyond text)."""
    if isinstance(source, pd.DataFrame):
        frame = _stringify(source.reset_index(drop=True))
        return RawTable(frame, np.arange(len(frame)) + 2, name or "<DataFrame>")
    if not isinstance(source, str | Path):
        raise ParameterError(
            f"The 'source' parameter must be a path or a pandas DataFrame. Got {type(source).__name__} instead."
        )
    path = Path(source)
    if not path.is_file():
        raise ParameterError(f"The 'source' parameter must name an existing file. Got {str(path)!r} instead.")
    suffix = path.suffix.lower()
    display = name or str(path)
    if suffix in CSV_SUFFIXES:
        frame, rows = _read_csv(path)
    elif suffix in EXCEL_SUFFIXES:
        frame, rows = _read_excel(path, sheet)
    elif suffix in PARQUET_SUFFIXES:
        frame = _stringify(pd.read_parquet(path))
        rows = np.arange(len(frame)) + 2
    else:
        raise ParameterError(
            f"The 'source' parameter must be a .csv, .txt, .tsv, .xlsx, .xlsm or .parquet file. "
            f"Got {path.name!r} instead."
        )
    return RawTable(frame, rows, display, path)


def _decode(path: Path) -> str:
    data = path.read_bytes()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Excel's "CSV (gescheiden door lijstscheidingsteken)" on Dutch Windows writes cp1252
        return data.decode("cp1252")


def _read_csv(path: Path) -> tuple[pd.DataFrame, np.ndarray]:
    text = _decode(path)
    first = text.split("\n", 1)[0]
    counts = {sep: first.count(sep) for sep in (";", ",", "\t")}
    sep = max(counts, key=lambda k: counts[k]) if any(counts.values()) else ","
    frame = pd.read_csv(
        io.StringIO(text),
        sep=sep,
        dtype=str,
        keep_default_na=False,
        na_values=[""],
        skip_blank_lines=False,
        quoting=csv.QUOTE_MINIMAL,
        engine="c",
    )
    frame.columns = [str(c).strip() for c in frame.columns]
    rows = np.arange(len(frame)) + 2
    blank = frame.isna().all(axis=1).to_numpy()
    if blank.any():
        frame, rows = frame.loc[~blank].reset_index(drop=True), rows[~blank]
    return _strip(frame), rows


def _read_excel(path: Path, sheet: str | int | None) -> tuple[pd.DataFrame, np.ndarray]:
    import openpyxl

    wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        if sheet is None or sheet == 0:
            ws = wb.worksheets[0]
        elif isinstance(sheet, int):
            ws = wb.worksheets[sheet]
        else:
            if sheet not in wb.sheetnames:
                raise ParameterError(
                    f"The 'sheet' parameter must be one of {wb.sheetnames} for {path.name}. Got {sheet!r} instead."
                )
            ws = wb[sheet]
        header: list[str] | None = None
        header_row = 0
        data: list[list[object]] = []
        rows: list[int] = []
        for r, values in enumerate(ws.iter_rows(values_only=True), start=1):
            if all(v is None or (isinstance(v, str) and not v.strip()) for v in values):
                continue
            if header is None:
                header = [("" if v is None else str(v).strip()) for v in values]
                header_row = r
                continue
            data.append([_excel_cell(v) for v in values])
            rows.append(r)
    finally:
        wb.close()
    if header is None:
        return pd.DataFrame(), np.array([], dtype=int)
    width = len(header)
    while width and not header[width - 1]:
        width -= 1
    header = header[:width]
    frame = pd.DataFrame(
        [row[:width] + [None] * (width - len(row)) for row in data], columns=header, dtype=object
    )
    _ = header_row
    return _strip(frame.where(frame.notna(), np.nan)), np.asarray(rows, dtype=int)


def _excel_cell(v: object) -> object:
    if v is None:
        return None
    if isinstance(v, dt.datetime):
        return v.strftime("%Y-%m-%d") if v.time() == dt.time(0) else v.isoformat(sep=" ")
    if isinstance(v, dt.date):
        return v.isoformat()
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


def _stringify(frame: pd.DataFrame) -> pd.DataFrame:
    out = {}
    for col in frame.columns:
        s = frame[col]
        if pd.api.types.is_datetime64_any_dtype(s):
            text = s.dt.strftime("%Y-%m-%d").astype(object)
        elif pd.api.types.is_float_dtype(s):
            vals = s.to_numpy(dtype=float, na_value=np.nan)
            integral = np.isfinite(vals) & (vals == np.round(vals))
            text = pd.Series(
                np.where(integral, np.char.mod("%d", np.nan_to_num(vals).astype(np.int64)), s.astype(str)),
                index=s.index,
                dtype=object,
            )
        else:
            text = s.astype(object).map(
                lambda v: v if isinstance(v, str) else (None if pd.isna(v) else str(v))
            )
        out[str(col).strip()] = text.where(s.notna(), np.nan)
    return _strip(pd.DataFrame(out, index=frame.index))


def _strip(frame: pd.DataFrame) -> pd.DataFrame:
    """Arrow-backed text columns with surrounding whitespace removed; blank cells become missing."""
    out = {}
    for col in frame.columns:
        s = frame[col]
        if s.dtype != "string[pyarrow]":
            s = s.astype(object).where(s.notna(), None).astype("string[pyarrow]")
        s = s.str.strip()
        out[col] = s.mask(s == "")
    return pd.DataFrame(out, index=frame.index, columns=frame.columns) if out else frame
