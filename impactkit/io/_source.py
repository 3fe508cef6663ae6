"""Reading a file (CSV, Excel, Parquet) or a DataFrame into a frame of raw text cells.

Every cell stays text (empty cells are missing) so that validation can report the value exactly as the
user wrote it; ``rows`` holds the row number as the user sees it (header = row 1; in Excel the sheet row).

What the file *is* is decided from its first bytes, not only its name: a workbook renamed to ``.csv``,
a password-protected workbook, an old ``.xls``, a truncated Parquet file or binary junk each end in one
:class:`Unreadable` with a message saying what to do, never a traceback.  Structural damage inside a
readable file (a ragged or cut-off CSV row, a formula without a saved value) is collected in
``RawTable.issues`` and those rows are left out, so they are reported once as malformed instead of as
missing scores.

Bounds: at most :data:`MAX_COLUMNS` columns; a workbook's claimed used range (``XFD1048576``) is
ignored and only the cells it holds are read.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from impactkit.errors import ParameterError

__all__ = [
    "MAX_COLUMNS",
    "Issue",
    "RawTable",
    "RowNumbers",
    "Unreadable",
    "read_raw",
    "row_numbers",
    "strip_frame",
]

CSV_SUFFIXES = {".csv", ".txt", ".tsv"}
EXCEL_SUFFIXES = {".xlsx", ".xlsm"}
PARQUET_SUFFIXES = {".parquet", ".pq"}
SUFFIXES = (".csv", ".txt", ".tsv", ".xlsx", ".xlsm", ".parquet")
MAX_COLUMNS = 2000

_MAGIC = (
    (b"PK\x03\x04", "zip"),
    (b"PK\x05\x06", "zip"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "cfb"),
    (b"PAR1", "parquet"),
    (b"\x1f\x8b", "gzip"),
    (b"BZh", "bzip2"),
    (b"\xfd7zXZ", "xz"),
    (b"7z\xbc\xaf", "7z"),
    (b"%PDF", "pdf"),
    (b"\x89PNG", "png"),
    (b"\xff\xd8\xff", "jpeg"),
    (b"{\\rtf", "rtf"),
    (b"SQLite format 3", "sqlite"),
)


@dataclass(frozen=True)
class Issue:
    """A structural problem found while reading (reported with the table's other problems)."""

    row: int
    column: str
    value: str
    code: str
    kwargs: dict[str, Any] = field(default_factory=dict)


class Unreadable(Exception):
    """The file cannot be read as a table at all: one problem, with a message from ``_messages``."""

    def __init__(self, code: str, *, row: int = 1, column: str = "", value: str = "", **kwargs: Any) -> None:
        super().__init__(code)
        self.code = code
        self.row = row
        self.column = column
        self.value = value
        self.kwargs = kwargs


class RowNumbers(np.ndarray):
    """The file row of each row of a read table, as kept in ``frame.attrs["rows"]``: read-only and
    never copied.

    pandas deep-copies a frame's ``attrs`` into almost every frame derived from it (a selection, an
    ``assign``, a column): 2,205 copies of the rows (10.3 MB in all) in the sample's annual report,
    about 110 MB each for the events of a million families.  The row numbers are written once, when the table is read, and
    never changed, so a copy is the array itself (``copy.deepcopy`` returns it); it is an ordinary
    integer array otherwise (``np.asarray`` of it, indexing, ``==``).
    """

    def __deepcopy__(self, memo: dict[int, Any] | None = None, /) -> RowNumbers:
        return self


def row_numbers(rows: np.ndarray) -> RowNumbers:
    """``rows`` as :class:`RowNumbers` (a read-only view: no copy of the array)."""
    out = np.asarray(rows).view(RowNumbers)
    out.flags.writeable = False
    return out


@dataclass
class RawTable:
    """Raw text cells of one table with the user's file name and row numbers."""

    frame: pd.DataFrame  # arrow-backed string columns; NA = empty cell; columns as written in the file
    rows: np.ndarray  # file/sheet row number of each frame row
    file: str  # display name of the source
    path: Path | None = None
    sheet: str | None = None
    decimal: str | None = None  # the decimal separator of a CSV file, when known
    issues: list[Issue] = field(default_factory=list)
    notes: list[tuple[str, dict[str, Any]]] = field(default_factory=list)  # (message code, values)
    kind: str = "dataframe"  # csv, xlsx, parquet or dataframe


def read_raw(
    source: str | Path | pd.DataFrame,
    *,
    sheet: str | int | None = None,
    name: str | None = None,
    decimal: str | None = None,
    encoding: str | None = None,
) -> RawTable:
    """Read ``source`` into a :class:`RawTable` (no type conversion beyond text).

    Raises :class:`Unreadable` when the file is not a table impactkit can read, and
    :class:`~impactkit.ParameterError` when ``source`` is not a DataFrame or an existing file.
    """
    if isinstance(source, pd.DataFrame):
        if source.shape[1] > MAX_COLUMNS:
            raise Unreadable("too_many_columns", n=source.shape[1], limit=MAX_COLUMNS)
        frame = stringify(source.reset_index(drop=True))
        return RawTable(frame, np.arange(len(frame)) + 2, name or "<DataFrame>")
    if not isinstance(source, str | Path):
        raise ParameterError(
            f"The 'source' parameter must be a path or a pandas DataFrame. Got {type(source).__name__} instead."
        )
    path = Path(source)
    if not path.is_file():
        raise ParameterError(f"The 'source' parameter must name an existing file. Got {str(path)!r} instead.")
    display = name or str(path)
    suffix = path.suffix.lower()
    try:
        with path.open("rb") as fh:
            head = fh.read(16)
    except OSError as err:
        raise Unreadable("unreadable", reason=err.strerror or type(err).__name__) from err
    kind = next((k for magic, k in _MAGIC if head.startswith(magic)), "text")
    if suffix not in CSV_SUFFIXES | EXCEL_SUFFIXES | PARQUET_SUFFIXES:
        raise Unreadable("unsupported_type", suffix=suffix or path.name, expected=", ".join(SUFFIXES))
    if not head:
        return RawTable(pd.DataFrame(), np.array([], dtype=int), display, path, kind="empty")
    if suffix in CSV_SUFFIXES:
        _expect(kind, "text", suffix)
        from impactkit.io._csv import read_csv

        raw = read_csv(path, decimal=decimal, encoding=encoding)
    elif suffix in EXCEL_SUFFIXES:
        _expect(kind, "zip", suffix, head=head, path=path)
        from impactkit.io._xlsx import read_xlsx

        raw = read_xlsx(path, sheet)
    else:
        _expect(kind, "parquet", suffix)
        from impactkit.io._parquet import read_parquet

        raw = read_parquet(path)
    raw.file, raw.path = display, path
    return raw


def _expect(kind: str, wanted: str, suffix: str, *, head: bytes = b"", path: Path | None = None) -> None:
    """Refuse a file whose content is not what its name says, naming what it is and what to do."""
    if kind == wanted:
        return
    if kind == "cfb":  # OLE compound file: an encrypted OOXML package or a legacy .xls
        raise Unreadable("encrypted_xlsx" if path is not None and _is_encrypted(path) else "legacy_xls")
    if kind == "zip":
        raise Unreadable("is_xlsx", suffix=suffix)
    if kind == "parquet":
        raise Unreadable("is_parquet", suffix=suffix)
    if kind in ("gzip", "bzip2", "xz", "7z"):
        raise Unreadable("compressed", kind=kind)
    if kind != "text":
        raise Unreadable("other_format", kind=kind.upper())
    # text where a binary format was expected
    if wanted == "zip":
        raise Unreadable("text_not_xlsx", suffix=suffix)
    raise Unreadable("corrupt_parquet", reason="no Parquet header (PAR1)")


def _is_encrypted(path: Path) -> bool:
    """An OOXML file encrypted with a password is a compound file holding an ``EncryptedPackage``."""
    try:
        data = path.read_bytes()[: 1 << 20]
    except OSError:
        return False
    return "EncryptedPackage".encode("utf-16-le") in data or b"EncryptionInfo" in data


def stringify(frame: pd.DataFrame) -> pd.DataFrame:
    """A typed frame (DataFrame input, Parquet) as text cells, written as a user would type them."""
    out = {}
    for col in frame.columns:
        s = frame[col]
        if pd.api.types.is_datetime64_any_dtype(s):
            text = s.dt.strftime("%Y-%m-%d").astype(object)
        elif pd.api.types.is_float_dtype(s):
            vals = s.to_numpy(dtype=float, na_value=np.nan)
            integral = np.isfinite(vals) & (vals == np.round(vals)) & (np.abs(vals) < 2**62)
            text = pd.Series(
                np.where(
                    integral,
                    np.char.mod("%d", np.where(integral, vals, 0).astype(np.int64)),
                    s.astype(str),
                ),
                index=s.index,
                dtype=object,
            )
        else:
            text = s.astype(object).map(_cell_text)
        out[str(col).strip()] = text.where(s.notna(), np.nan)
    return strip_frame(pd.DataFrame(out, index=frame.index))


def _cell_text(v: object) -> object:
    if isinstance(v, str):
        return v
    if v is None or v is pd.NA or v is pd.NaT or (isinstance(v, float | np.floating) and np.isnan(v)):
        return None
    if hasattr(v, "isoformat") and not isinstance(v, pd.Timestamp):
        return v.isoformat()  # datetime.date, including years outside pandas' range
    return str(v)


def isin_text(values: pd.Series, known: pd.Series) -> np.ndarray:
    """``values.isin(known)`` for text columns, as a boolean array (missing values: False).

    pandas' ``isin`` on Arrow-backed strings converts every element of ``known`` to a scalar one by
    one (seconds for 100,000 family ids); pyarrow's ``is_in`` takes the column as it is.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    def arrow(s: pd.Series) -> pa.Array | pa.ChunkedArray:
        if s.dtype == "string[pyarrow]":  # already Arrow text (missing = null): no copy
            return s.array._pa_array
        return pa.array(
            s.astype(str).where(s.notna(), None).astype("string[pyarrow]").array, type=pa.large_string()
        )

    hit = pc.is_in(arrow(values), value_set=pc.unique(arrow(known.dropna())), skip_nulls=True)
    return np.asarray(hit.fill_null(False), dtype=bool)


def strip_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """Arrow-backed text columns with surrounding whitespace removed; blank cells become missing."""
    out = {}
    for col in frame.columns:
        s = frame[col]
        if isinstance(s.dtype, pd.StringDtype) and s.dtype.storage == "pyarrow":
            s = s.astype("string[pyarrow]")  # pandas' default str: Arrow to Arrow, no Python objects
        elif s.dtype != "string[pyarrow]":
            s = s.astype(object).where(s.notna(), None).astype("string[pyarrow]")
        out[col] = pd.Series(_strip_arrow(s.array), index=s.index, name=col)
    return pd.DataFrame(out, index=frame.index, columns=frame.columns) if out else frame


def _strip_arrow(values: pd.api.extensions.ExtensionArray) -> pd.api.extensions.ExtensionArray:
    """``s.str.strip()`` with ``""`` as missing, as ``s.str.strip().mask(... == "")`` gives, but the
    column is only rebuilt when a cell changes (a clean column of an export keeps its one copy)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    data = values._pa_array  # type: ignore[attr-defined]
    trimmed = pc.utf8_trim_whitespace(data)
    length = pc.binary_length(trimmed)
    if not pc.any(pc.not_equal(length, pc.binary_length(data))).as_py():
        trimmed = data  # nothing to strip: the stripped copy goes
    blank = pc.equal(length, 0)
    if pc.any(blank).as_py():
        trimmed = pc.if_else(blank, pa.scalar(None, trimmed.type), trimmed)
    return pd.array(trimmed, dtype="string[pyarrow]")


def give_back() -> None:
    """Return the memory freed by a table just read to the system (Arrow's pool and glibc's heap).

    The command line keeps up to 256 MiB of freed memory for reuse (``impactkit._malloc``) and the
    allocators hold on to freed pages of their own; between two tables of a large export that is
    memory the next table cannot use, counted in the peak.  A few milliseconds per table.
    """
    import contextlib
    import ctypes
    import sys

    import pyarrow as pa

    pa.default_memory_pool().release_unused()
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):  # not glibc
            ctypes.CDLL("libc.so.6").malloc_trim(0)


def column_letter(index: int) -> str:
    """Spreadsheet letter of a 0-based column position (0 → A, 26 → AA)."""
    out = ""
    n = index + 1
    while n:
        n, r = divmod(n - 1, 26)
        out = chr(65 + r) + out
    return out
