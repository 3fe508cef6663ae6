"""CSV and text exports: encoding, separator, decimal separator and row structure.

* **Encoding**: UTF-8 (with or without BOM), UTF-16 (Excel's "Unicode text"), else Windows-1252
  (Excel's CSV on Dutch Windows), said in a note.  A file mixing UTF-8 and Windows-1252 text is
  refused with the rows of both, since either reading would garble part of it.
* **Separator**: the most frequent of ``;``, ``,``, tab and ``|`` in the header line.
* **Decimal separator**: ``,`` when a cell can only be a decimal comma (``4,5``, ``1.500,25``),
  ``.`` when a cell can only be a decimal point (``4.5``); without such evidence the list separator
  decides as Excel does (``;`` goes with a decimal comma, ``,`` with a decimal point).  Cells such as
  ``1.500`` follow the file's decimal separator, and are reported as ambiguous when it is unknown.
* **Structure**: a row with more fields than the header, fewer fields (cut off), or a quote that is
  never closed is an :class:`~impactkit.io._source.Issue`; such rows are left out of the frame so
  they are reported once, as malformed, and not again as missing scores.

Rows are numbered as a spreadsheet shows them: the header is row 1 and a quoted cell holding a line
break does not start a new row.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from pathlib import Path
from typing import Any, Literal, overload

import numpy as np
import pandas as pd

from impactkit.io._source import MAX_COLUMNS, Issue, RawTable, Unreadable, column_letter, strip_frame

__all__ = ["detect_decimal", "read_csv"]

_CONTROL = re.compile("[\x01-\x08\x0b\x0c\x0e-\x1f\x7f\x80-\x9f\ud800-\udfff\ue000-\uf8ff]")
_UTF8_MULTIBYTE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")
# cells that can only be read one way (see parse_number in _cells)
_COMMA_CERTAIN = re.compile(
    r"(?:^|[;\t])\s*[+-]?(?:\d+,\d{1,2}|\d+,\d{4,}|0,\d+|\d{4,},\d+|\d{1,3}(?:\.\d{3})+,\d+)\s*(?=$|[;\t])",
    re.M,
)
_POINT_CERTAIN = re.compile(
    r"(?:^|[;\t])\s*[+-]?(?:\d+\.\d{1,2}|\d+\.\d{4,}|0\.\d+|\d{4,}\.\d+)\s*(?=$|[;\t])", re.M
)

# the same patterns on ASCII bytes (\s of a str pattern also matches \x1c-\x1f)
_COMMA_CERTAIN_B = re.compile(_COMMA_CERTAIN.pattern.replace(r"\s", r"[\s\x1c-\x1f]").encode(), re.M)
_POINT_CERTAIN_B = re.compile(_POINT_CERTAIN.pattern.replace(r"\s", r"[\s\x1c-\x1f]").encode(), re.M)


def read_csv(path: Path, *, decimal: str | None = None, encoding: str | None = None) -> RawTable:
    data = path.read_bytes()
    utf16 = data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or _looks_utf16(data)
    if b"\x00" in data[:1_000_000] and not utf16:
        raise Unreadable("not_text")
    if encoding is None and _plain_ascii(data):
        head = _ascii_head(data, path, decimal)
        if isinstance(head, RawTable):
            return head
        sep, dec = head
        issues: list[Issue] = []
        frame, rows = _read_plain(data, sep, issues)
        padded = _has_white_cells(data, sep)
        del data  # parsed: the file's bytes are not held while the frame is cleaned
        frame, rows = _finish_frame(frame, rows, issues, strip=padded)
        return RawTable(frame, rows, str(path), path, decimal=dec, issues=issues, kind="csv")
    text, notes = _decode(data, encoding)
    del data  # the text replaces it (a file's size less in memory while it is parsed)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    _check_text(text)
    if not text or text.isspace():  # nothing but blank lines (or a BOM); no stripped copy of the text
        return RawTable(pd.DataFrame(), np.array([], dtype=int), str(path), path, kind="empty")
    text = text.lstrip("\n")  # blank lines before the header
    first = _first_line(text)
    counts = {sep: first.count(sep) for sep in (";", ",", "\t", "|")}
    sep = max(counts, key=lambda k: counts[k]) if any(counts.values()) else ","
    if counts[sep] + 1 > MAX_COLUMNS:
        raise Unreadable("too_many_columns", n=counts[sep] + 1, limit=MAX_COLUMNS)
    issues = []
    body = text.find("\n") + 1 if "\n" in text else len(text)  # no copy of the text for the body
    dec = decimal or detect_decimal(text, sep, start=body)
    if '"' in text:
        frame, rows = _read_quoted(text, sep, issues)
        del text
    else:
        raw = text.encode("utf-8")
        del text  # parsed from the bytes: not held while the frame is built and cleaned
        frame, rows = _read_plain(raw, sep, issues)
        del raw
    frame, rows = _finish_frame(frame, rows, issues)
    return RawTable(frame, rows, str(path), path, decimal=dec, issues=issues, notes=notes, kind="csv")


_WHITE = rb"[ \t\n\r\x0b\x0c\x1c-\x1f]"  # what str.isspace() and a str pattern's \s match in ASCII


def _plain_ascii(data: bytes) -> bool:
    """ASCII without quotes, carriage returns or leading blank lines: readable from the bytes alone.

    Such a file decodes to the same text under every encoding tried, so the general path would only
    copy it twice (bytes to text and back); the checks below are the same, done on the bytes.
    """
    return data.isascii() and b'"' not in data and b"\r" not in data and not data.startswith(b"\n")


def _has_white_cells(data: bytes, sep: str) -> bool:
    """Whether a :func:`_plain_ascii` file holds any whitespace a cell could carry (a space, a tab
    that does not separate, ...: what :func:`~impactkit.io._source.strip_frame` removes).

    Without any, every cell is already stripped and no blank-only cell exists, so the frame is not
    stripped column by column (a text copy of each column).  Line breaks end rows, never cells.
    """
    white = [c for c in b" \t\x0b\x0c\x1c\x1d\x1e\x1f" if chr(c) != sep]
    return any(bytes([c]) in data for c in white)


def _ascii_head(data: bytes, path: Path, decimal: str | None) -> RawTable | tuple[str, str | None]:
    """The separator and decimal separator of a :func:`_plain_ascii` file (the general path's checks
    on the bytes, without a text copy of the file), or the empty table it is."""
    if b"\x00" in data:
        raise Unreadable("not_text")
    _check_text(data[:100_000].decode("ascii"))
    if re.fullmatch(_WHITE + rb"*", data):
        return RawTable(pd.DataFrame(), np.array([], dtype=int), str(path), path, kind="empty")
    end = data.find(b"\n")
    first = (data if end < 0 else data[:end]).decode("ascii")
    counts = {sep: first.count(sep) for sep in (";", ",", "\t", "|")}
    sep = max(counts, key=lambda k: counts[k]) if any(counts.values()) else ","
    if counts[sep] + 1 > MAX_COLUMNS:
        raise Unreadable("too_many_columns", n=counts[sep] + 1, limit=MAX_COLUMNS)
    return sep, decimal or _detect_decimal_bytes(data, sep, end + 1 if end >= 0 else len(data))


def _first_line(text: str) -> str:
    """The header line (``text.split("\\n", 1)[0]`` without copying the rest of the text)."""
    end = text.find("\n")
    return text if end < 0 else text[:end]


def detect_decimal(body: str, sep: str, start: int = 0) -> str | None:
    """The decimal separator of a CSV body (see the module docstring); None when it cannot be told.

    ``start``: where the body begins in ``body`` (the start of a line: the text after the header)."""
    if sep == ",":
        return "."
    return _decide(
        _COMMA_CERTAIN.search(body, start) is not None, _POINT_CERTAIN.search(body, start) is not None, sep
    )


def _detect_decimal_bytes(data: bytes, sep: str, start: int) -> str | None:
    """:func:`detect_decimal` on ASCII bytes (same patterns, same decision)."""
    if sep == ",":
        return "."
    return _decide(
        _COMMA_CERTAIN_B.search(data, start) is not None,
        _POINT_CERTAIN_B.search(data, start) is not None,
        sep,
    )


def _decide(comma: bool, point: bool, sep: str) -> str | None:
    if comma and not point:
        return ","
    if point and not comma:
        return "."
    if comma and point:
        return None
    return "," if sep == ";" else None


# ----------------------------------------------------------------------------- decoding
def _decode(data: bytes, encoding: str | None) -> tuple[str, list[tuple[str, dict[str, object]]]]:
    if encoding is not None:
        try:
            return data.decode(encoding), []
        except UnicodeDecodeError as err:
            raise Unreadable(
                "bad_encoding",
                row=_line_of(data, err.start),
                byte=f"0x{data[err.start]:02X}",
                encoding=encoding,
            ) from err
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or _looks_utf16(data):
        enc = "utf-16" if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) else _utf16_order(data)
        try:
            return data.decode(enc), [("note_encoding", {"encoding": "UTF-16"})]
        except UnicodeDecodeError as err:
            raise Unreadable(
                "bad_encoding", row=1, byte=f"0x{data[err.start]:02X}", encoding="UTF-16"
            ) from err
    try:
        return data.decode("utf-8-sig"), []
    except UnicodeDecodeError as err:
        bad = err.start
        good = _UTF8_MULTIBYTE.search(data)
        if good is not None:
            odd = (m.start() for m, _ in zip(re.finditer(rb"[\x80-\xff]", data), range(10_000), strict=False))
            n_lines = len({_line_of(data, p) for p in odd if not _in_utf8(data, p)})
            raise Unreadable(
                "mixed_encoding",
                row=_line_of(data, bad),
                value=data.splitlines()[_line_of(data, bad) - 1].decode("cp1252", "replace")[:60],
                utf8_row=_line_of(data, good.start()),
                n=n_lines,
            ) from err
        try:
            return data.decode("cp1252"), [("note_encoding", {"encoding": "Windows-1252"})]
        except UnicodeDecodeError as err2:
            raise Unreadable(
                "bad_encoding",
                row=_line_of(data, err2.start),
                byte=f"0x{data[err2.start]:02X}",
                encoding="UTF-8",
            ) from err2


def _in_utf8(data: bytes, pos: int) -> bool:
    """Whether the byte at ``pos`` belongs to a valid UTF-8 multibyte sequence."""
    start = max(0, pos - 3)
    return any(m.start() <= pos < m.end() for m in _UTF8_MULTIBYTE.finditer(data, start, pos + 4))


def _looks_utf16(data: bytes) -> bool:
    head = data[:200]
    return len(head) >= 4 and (
        head[1::2].count(0) > 0.4 * len(head) / 2 or head[0::2].count(0) > 0.4 * len(head) / 2
    )


def _utf16_order(data: bytes) -> str:
    head = data[:200]
    return "utf-16-le" if head[1::2].count(0) >= head[0::2].count(0) else "utf-16-be"


def _line_of(data: bytes, pos: int) -> int:
    return data.count(b"\n", 0, pos) + 1


def _check_text(text: str) -> None:
    """Refuse binary junk that happened to decode (NUL bytes, many control characters)."""
    if "\x00" in text:
        raise Unreadable("not_text")
    sample = text[:100_000]
    if sample:
        control = len(_CONTROL.findall(sample))
        if control > max(3, 0.01 * len(sample)):
            raise Unreadable("not_text")


# ----------------------------------------------------------------------------- structure
def _read_plain(raw: bytes, sep: str, issues: list[Issue]) -> tuple[pd.DataFrame, np.ndarray]:
    """No quote anywhere (``raw``: the text as UTF-8 bytes, ``\\n`` line breaks): count fields per line
    with numpy, drop malformed lines, parse with pandas.

    Without blank lines, Arrow's reader parses first and reports any line whose number of fields is
    not the header's; only then are fields counted line by line (arrays of a few times the file's size).
    """
    end = raw.find(b"\n")
    header = (raw if end < 0 else raw[:end]).decode("utf-8").split(sep)
    if b"\n\n" not in raw:  # no blank line: data row i is line i + 1
        frame = _parse_arrow(raw, sep, header, strict=True)
        if frame is not None:
            return frame, np.arange(2, len(frame) + 2)
    arr = np.frombuffer(raw, dtype=np.uint8)
    newlines = np.flatnonzero(arr == 10)
    ends = np.append(newlines, arr.size)
    starts = np.concatenate(([0], newlines + 1))
    if ends.size and starts[-1] == arr.size:  # the file ends with a line break
        starts, ends = starts[:-1], ends[:-1]
    sep_pos = np.flatnonzero(arr == ord(sep))  # separators between each line's start and end
    fields = np.searchsorted(sep_pos, ends) - np.searchsorted(sep_pos, starts) + 1
    length = ends - starts
    n_header = int(fields[0])
    core = len(header)
    while core > 1 and not header[core - 1].strip():
        core -= 1
    bad = np.flatnonzero(((fields > n_header) | (fields < core)) & (length > 0))
    filled = length[1:] > 0
    if not bad.size and np.all(fields[1:][filled] == n_header):  # the usual case: Arrow's reader
        return _parse_arrow(raw, sep, header), np.flatnonzero(filled) + 2
    text = raw.decode("utf-8")
    if not bad.size:  # lines short of trailing columns without a header: pandas pads them
        return _parse_plain(text, sep, header, np.arange(2, len(starts) + 1))
    lines = text.split("\n")
    del text
    drop: set[int] = set()
    for i in bad.tolist():
        cells = lines[i].split(sep)
        if _report_row(cells, i + 1, n_header, core, sep, issues):
            drop.add(i)
        elif len(cells) > n_header:  # only empty fields beyond the header: harmless, trimmed
            lines[i] = sep.join(cells[:n_header])
    kept = [ln for j, ln in enumerate(lines) if j not in drop]
    rows = np.array([j + 1 for j in range(len(lines)) if j not in drop][1:], dtype=int)
    return _parse_plain("\n".join(kept), sep, header, rows)


@overload
def _parse_arrow(
    raw: bytes, sep: str, header: list[str], *, strict: Literal[False] = ...
) -> pd.DataFrame: ...
@overload
def _parse_arrow(
    raw: bytes, sep: str, header: list[str], *, strict: Literal[True]
) -> pd.DataFrame | None: ...
def _parse_arrow(raw: bytes, sep: str, header: list[str], *, strict: bool = False) -> pd.DataFrame | None:
    """No quote: pyarrow's CSV reader, every cell as text (None with ``strict`` when a line's number of
    fields is not the header's: the caller then counts fields itself and reports those lines).

    Blank lines are skipped by the reader (the caller numbers the rows without them); an empty
    cell is missing, as in :func:`_parse_plain`.  About three times faster than pandas' C reader
    under pandas 3, which builds a Python string per cell before converting the column to Arrow.
    """
    import pyarrow as pa
    import pyarrow.csv as pacsv

    wrong: list[object] = []

    def invalid(row: object) -> str:
        wrong.append(row)
        return "skip"

    names = [str(i) for i in range(len(header))]
    table = pacsv.read_csv(
        pa.BufferReader(raw),
        read_options=pacsv.ReadOptions(column_names=names, skip_rows=1, use_threads=False),
        parse_options=pacsv.ParseOptions(
            delimiter=sep,
            quote_char=False,
            ignore_empty_lines=True,
            invalid_row_handler=invalid if strict else None,
        ),
        convert_options=pacsv.ConvertOptions(
            column_types=dict.fromkeys(names, pa.large_string()),  # pandas' storage: no cast
            null_values=[""],
            strings_can_be_null=True,
        ),
    )
    if wrong:
        return None
    frame = pd.DataFrame({i: pd.array(table.column(i), dtype="string[pyarrow]") for i in range(len(names))})
    frame.columns = header  # as written (duplicates and blanks are settled in _finish_frame)
    return frame


def _parse_plain(text: str, sep: str, header: list[str], rows: np.ndarray) -> tuple[pd.DataFrame, np.ndarray]:
    frame = pd.read_csv(
        io.StringIO(text),
        sep=sep,
        dtype=str,
        header=None,
        skiprows=1,
        keep_default_na=False,
        na_values=[""],
        skip_blank_lines=False,
        quoting=csv.QUOTE_NONE,
        engine="c",
        names=range(len(header)),
    )
    frame.columns = header  # as written (duplicates and blanks are settled in _finish_frame)
    return frame, rows[: len(frame)]


def _read_quoted(text: str, sep: str, issues: list[Issue]) -> tuple[pd.DataFrame, np.ndarray]:
    """Quotes present: the csv module finds records (quoted line breaks) and unclosed quotes.

    Record numbers are the rows a spreadsheet shows (a quoted line break stays inside its row).
    """

    def reader() -> Any:
        return csv.reader(io.StringIO(text, newline=""), delimiter=sep, quotechar='"', strict=True)

    try:
        cells = list(reader())  # one pass in C; the careful loop below only when something is wrong
        rows = np.arange(1, len(cells) + 1)
    except csv.Error:
        numbered = _records_one_by_one(reader(), issues)
        cells = [r for _, r in numbered]
        rows = np.fromiter((n for n, _ in numbered), dtype=np.int64, count=len(numbered))
    if not cells:
        return pd.DataFrame(), np.array([], dtype=int)
    header = cells[0]
    n_header = core = len(header)
    while core > 1 and not header[core - 1].strip():
        core -= 1
    cells, rows = cells[1:], rows[1:]
    lengths = np.fromiter((len(r) for r in cells), dtype=np.int64, count=len(cells))
    keep = lengths == n_header
    for i in np.flatnonzero(~keep).tolist():
        r = cells[i]
        if not r or (len(r) == 1 and not r[0].strip()):
            continue  # a blank line
        if (len(r) > n_header or len(r) < core) and _report_row(r, int(rows[i]), n_header, core, sep, issues):
            continue
        cells[i] = (r + [""] * n_header)[:n_header]
        keep[i] = True
    good = [cells[i] for i in np.flatnonzero(keep)]
    columns = list(zip(*good, strict=True)) if good else [()] * n_header
    frame = pd.DataFrame({i: pd.array(col, dtype="string[pyarrow]") for i, col in enumerate(columns)})
    frame.columns = [str(h) for h in header]
    return frame, rows[keep]


def _records_one_by_one(reader: Any, issues: list[Issue]) -> list[tuple[int, list[str]]]:
    """Every readable record with its row number; an unclosed or misplaced quote becomes an issue."""
    out: list[tuple[int, list[str]]] = []
    record = 0
    while True:
        record += 1
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as err:
            if "end of data" in str(err) or "EOF" in str(err):
                issues.append(Issue(record, "", "", "unbalanced_quote"))
                break
            issues.append(Issue(record, "", "", "bad_quote", {"reason": str(err)}))
            continue
        out.append((record, cells))
    return out


def _report_row(cells: list[str], row: int, n_header: int, core: int, sep: str, issues: list[Issue]) -> bool:
    """Record a ragged or cut-off row; False when the extra fields are all empty (harmless)."""
    n = len(cells)
    if n > n_header:
        extra = [c for c in cells[n_header:] if c.strip()]
        if not extra:
            return False
        issues.append(
            Issue(
                row, "", sep.join(extra)[:60], "ragged_row", {"n": n, "expected": n_header, "sep": repr(sep)}
            )
        )
        return True
    if all(not c.strip() for c in cells):
        return False
    issues.append(Issue(row, "", sep.join(cells)[:60], "truncated_row", {"n": n, "expected": core}))
    return True


def _finish_frame(
    frame: pd.DataFrame, rows: np.ndarray, issues: list[Issue], *, strip: bool = True
) -> tuple[pd.DataFrame, np.ndarray]:
    """Strip cells, drop blank rows, and settle columns without a header or with a repeated one.

    ``strip=False``: the caller knows no cell holds whitespace (:func:`_has_white_cells`)."""
    if frame.shape[1] == 0:
        return frame, rows
    headers = [str(c).strip() for c in frame.columns]
    keep: list[int] = []
    seen: dict[str, int] = {}
    for i, h in enumerate(headers):
        if not h:
            col = frame.iloc[:, i]
            if bool(col.notna().any() and col.astype(str).str.strip().ne("").any()):
                issues.append(Issue(1, column_letter(i), "", "unnamed_column", {"letter": column_letter(i)}))
            continue
        if h in seen:
            issues.append(
                Issue(
                    1,
                    h,
                    h,
                    "duplicate_header",
                    {"name": h, "first": column_letter(seen[h]), "second": column_letter(i)},
                )
            )
            continue
        seen[h] = i
        keep.append(i)
    frame = frame.iloc[:, keep]
    frame.columns = [headers[i] for i in keep]
    if strip or not all(t == "string[pyarrow]" for t in frame.dtypes):  # strip_frame also types them
        frame = strip_frame(frame)
    blank = frame.isna().all(axis=1).to_numpy() if frame.shape[1] else np.zeros(len(frame), bool)
    if blank.any():
        frame, rows = frame.loc[~blank].reset_index(drop=True), rows[~blank]
    return frame, rows
