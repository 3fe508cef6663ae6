"""A corpus of malformed files, each with the exit code and the message a user must see.

``KINDS`` maps a kind to ``(build, exit code, message fragment)``: ``build(folder)`` writes the
file(s) into ``folder`` and returns the CLI arguments after ``impactkit``.  Exit 1 is invalid input
(one clear problem or message), exit 2 a usage error, exit 0 a file impactkit reads after all
(UTF-16, old-Mac line ends, a pipe separator, a workbook claiming XFD1048576).
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

TODAY = "2026-11-01"
DOMAINS = ["finances", "housing", "social_network", "mental_wellbeing", "physical_health", "parenting",
           "child_development", "participation", "paperwork"]  # fmt: skip
HEADER = "family_id,wave,assessed_on," + ",".join(DOMAINS)
ROWS = [
    "A,intake,2024-01-10,2,3,2,2,4,3,3,2,3",
    "A,year1,2025-01-12,3,3,3,3,4,3,4,3,3",
    "B,intake,2024-02-01,1,2,2,1,3,2,3,2,2",
    "B,year1,2025-02-03,2,3,3,2,3,3,3,3,3",
]
GOOD = (HEADER + "\n" + "\n".join(ROWS) + "\n").encode("utf-8")
Build = Callable[[Path], list[str]]


def _file(name: str, data: bytes, *extra: str) -> Build:
    def build(folder: Path) -> list[str]:
        p = folder / name
        p.write_bytes(data)
        return ["validate", str(p), "--today", TODAY, *extra]

    return build


def _frame() -> pd.DataFrame:
    return pd.read_csv(io.BytesIO(GOOD), dtype=str)


def _xlsx_bytes(
    frame: pd.DataFrame | None = None, edit: Callable[[openpyxl.Workbook], None] | None = None
) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Metingen"
    f = _frame() if frame is None else frame
    ws.append(list(f.columns))
    for row in f.itertuples(index=False):
        ws.append([int(v) if str(v).isdigit() else v for v in row])
    if edit is not None:
        edit(wb)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _zip_edit(data: bytes, member: str, fn: Callable[[bytes], bytes]) -> bytes:
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info.filename)
            dst.writestr(info, fn(body) if info.filename == member else body)
    return out.getvalue()


def _parquet(table: pa.Table) -> bytes:
    buf = io.BytesIO()
    pq.write_table(table, buf)
    return buf.getvalue()


def _good_parquet() -> bytes:
    return _parquet(pa.Table.from_pandas(_frame(), preserve_index=False))


def _cfb(encrypted: bool) -> bytes:
    """An OLE compound file header (what an encrypted .xlsx or a legacy .xls starts with)."""
    head = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504
    body = (
        ("EncryptedPackage".encode("utf-16-le") + b"\x00" * 64 + b"EncryptionInfo")
        if encrypted
        else b"Workbook"
    )
    return head + body + b"\x00" * 2048


def _with(name: str, build: Callable[[Path], None], args: list[str]) -> Build:
    def run(folder: Path) -> list[str]:
        build(folder)
        return [a.replace("{}", str(folder)) for a in args]

    return run


def _sample_with(file: str, data: bytes, flag: str) -> Build:
    """The committed sample plus a broken definition file passed with ``flag``."""

    def run(folder: Path) -> list[str]:
        p = folder / file
        p.write_bytes(data)
        return ["validate", "data/sample", "--today", TODAY, flag, str(p)]

    return run


def _mapping(data: bytes) -> Build:
    def run(folder: Path) -> list[str]:
        import shutil

        shutil.copytree("data/sample", folder / "export")
        (folder / "export" / "impactkit.toml").write_bytes(data)
        return ["validate", str(folder / "export"), "--today", TODAY]

    return run


def _nested_parquet(kind: str) -> bytes:
    f = _frame()
    cols = {c: pa.array(f[c].tolist()) for c in f.columns}
    if kind == "list":
        cols["finances"] = pa.array([[1, 2], [3], [2], [1]])
    elif kind == "struct":
        cols["finances"] = pa.array([{"a": 1}, {"a": 2}, {"a": 3}, {"a": 4}])
    elif kind == "binary":
        cols["finances"] = pa.array([b"\x01", b"\x02", b"\x03", b"\x04"])
    return _parquet(pa.table(cols))


def _xfd(wb: openpyxl.Workbook) -> None:
    wb.active["XFD1048576"] = None  # nothing there, but the sheet will claim A1:XFD1048576


def _claims_xfd() -> bytes:
    data = _xlsx_bytes()
    return _zip_edit(data, "xl/worksheets/sheet1.xml",
                     lambda b: b.replace(b'<dimension ref="A1:L5"/>', b'<dimension ref="A1:XFD1048576"/>'))  # fmt: skip


def _all_hidden() -> bytes:
    return _zip_edit(
        _xlsx_bytes(), "xl/workbook.xml", lambda b: b.replace(b'state="visible"', b'state="hidden"')
    )


def _lines(*rows: str) -> bytes:
    return (HEADER + "\n" + "\n".join(rows) + "\n").encode("utf-8")


def _plain_zip() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("notes.txt", "not a workbook")
    return buf.getvalue()


def _error_cell(xml: bytes) -> bytes:
    """Turn the first score cell (D2) into an Excel error value #DIV/0!."""
    import re

    return re.sub(rb'<c r="D2"([^>]*)><v>[^<]*</v></c>', rb'<c r="D2" t="e"><v>#DIV/0!</v></c>', xml, count=1)


KINDS: dict[str, tuple[Build, int, str]] = {
    # ------------------------------------------------------------------- text files
    "empty csv": (_file("x.csv", b""), 1, "holds no data rows"),
    "header only": (_file("x.csv", (HEADER + "\n").encode()), 1, "holds no data rows"),
    "blank lines only": (_file("x.csv", b"\n\n   \n\n"), 1, "holds no data rows"),
    "BOM only": (_file("x.csv", b"\xef\xbb\xbf"), 1, "holds no data rows"),
    "unbalanced quote": (
        _file("x.csv", _lines(ROWS[0], '"B,intake,2024-02-01,1,2,2,1,3,2,3,2,2', ROWS[2])),
        1,
        "never closed",
    ),
    "quote inside a quoted cell": (
        _file("x.csv", _lines(ROWS[0], '"A"x,year1,2025-01-12,3,3,3,3,4,3,4,3,3')),
        1,
        "malformed quoting",
    ),
    "ragged row": (_file("x.csv", _lines(ROWS[0], ROWS[1] + ",7,8")), 1, "but the header has 12"),
    "truncated row": (
        _file("x.csv", _lines(ROWS[0], ROWS[1], "B,intake,2024-02-01,1,2")),
        1,
        "looks cut off",
    ),
    "file cut inside a quoted cell": (_file("x.csv", GOOD + b'"C,intake,2024'), 1, "never closed"),
    "binary junk as csv": (_file("x.csv", bytes(range(256)) * 40), 1, "binary data"),
    "NUL bytes in text": (_file("x.csv", GOOD.replace(b"A,year1", b"A\x00,year1")), 1, "binary data"),
    "mixed encodings": (
        _file(
            "x.csv",
            GOOD.replace(b"B,intake", "Bé,intake".encode()).replace(b"B,year1", "Bé,year1".encode("cp1252")),
        ),
        1,
        "mixes two encodings",
    ),
    "bytes that are no text encoding": (
        _file("x.csv", GOOD.replace(b"B,intake", b"B\x81\x8d,intake")),
        1,
        "not readable as UTF-8",
    ),
    "workbook named .csv": (_file("x.csv", _xlsx_bytes()), 1, "is an Excel workbook"),
    "parquet named .csv": (_file("x.csv", _good_parquet()), 1, "is a Parquet file"),
    "gzip named .csv": (_file("x.csv", b"\x1f\x8b\x08" + b"\x00" * 40), 1, "compressed"),
    "pdf named .csv": (_file("x.csv", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n"), 1, "PDF file, not a table"),
    "duplicate header": (
        _file("x.csv", GOOD.replace(b",housing,", b",finances,", 1)),
        1,
        "two columns are named 'finances'",
    ),
    "values without a header": (
        _file(
            "x.csv",
            GOOD.replace(b",paperwork", b",paperwork,").replace(
                b"2,3,2,2,4,3,3,2,3\n", b"2,3,2,2,4,3,3,2,3,99\n", 1
            ),
        ),
        1,
        "holds values but has no header",
    ),
    "100k-column header": (
        _file("x.csv", (",".join(f"c{i}" for i in range(100_000)) + "\n1\n").encode()),
        1,
        "impactkit reads at most 2000",
    ),
    "date far in the past": (
        _file("x.csv", GOOD.replace(b"2024-01-10", b"0024-01-15")),
        1,
        "date outside 1900–2100",
    ),
    "placeholder end of time": (_file("x.csv", GOOD.replace(b"2024-01-10", b"9999-12-31")), 1, "placeholder"),
    "wave given as a number": (
        _file("x.csv", GOOD.replace(b",intake,", b",1,")),
        1,
        "needs an explicit alias",
    ),
    # read after all
    "UTF-16 with BOM (Excel Unicode text)": (
        _file("x.txt", "\ufeff".encode("utf-16-le") + GOOD.decode().replace(",", "\t").encode("utf-16-le")),
        0,
        "valid",
    ),
    "Windows-1252": (
        _file("x.csv", GOOD.replace(b"B,", "Bé,".encode("cp1252"))),
        0,
        "read as Windows-1252 text",
    ),
    "old Mac line ends": (_file("x.csv", GOOD.replace(b"\n", b"\r")), 0, "valid"),
    "pipe separated": (_file("x.csv", GOOD.replace(b",", b"|")), 0, "valid"),
    # ------------------------------------------------------------------- workbooks
    "text named .xlsx": (_file("x.xlsx", GOOD), 1, "plain text, not an Excel workbook"),
    "a zip that is no workbook": (_file("x.xlsx", _plain_zip()), 1, "not a readable Excel workbook"),
    "truncated workbook": (_file("x.xlsx", _xlsx_bytes()[:2000]), 1, "damaged or cut off"),
    "password-protected workbook": (_file("x.xlsx", _cfb(encrypted=True)), 1, "password-protected"),
    "old .xls content named .xlsx": (_file("x.xlsx", _cfb(encrypted=False)), 1, "Excel 97–2003"),
    "every sheet hidden": (_file("x.xlsx", _all_hidden()), 1, "every sheet of the workbook is hidden"),
    "empty sheet": (_file("x.xlsx", _xlsx_bytes(pd.DataFrame())), 1, "holds no data rows"),
    "formula without a saved value": (
        _file("x.xlsx", _xlsx_bytes(edit=lambda wb: wb.active.cell(2, 4, "=E2+1"))),
        1,
        "formula without a saved result",
    ),
    "Excel error value": (
        _file("x.xlsx", _zip_edit(_xlsx_bytes(), "xl/worksheets/sheet1.xml", _error_cell)),
        1,
        "Excel error value",
    ),
    "damaged sheet XML": (
        _file("x.xlsx", _zip_edit(_xlsx_bytes(), "xl/worksheets/sheet1.xml", lambda b: b[: len(b) // 2])),
        1,
        "damaged or cut off",
    ),
    "sheet claiming XFD1048576": (_file("x.xlsx", _claims_xfd()), 0, "valid"),
    "values right of the header row": (
        _file("x.xlsx", _xlsx_bytes(edit=lambda wb: wb.active.cell(3, 14, 5))),
        1,
        "holds values but has no header",
    ),
    # ------------------------------------------------------------------- parquet
    "junk named .parquet": (_file("x.parquet", b"not parquet at all" * 20), 1, "not a readable Parquet file"),
    "truncated parquet": (_file("x.parquet", _good_parquet()[:-40]), 1, "not a readable Parquet file"),
    "parquet list column": (
        _file("x.parquet", _nested_parquet("list")),
        1,
        "holds list<element: int64> values",
    ),
    "parquet struct column": (
        _file("x.parquet", _nested_parquet("struct")),
        1,
        "values; impactkit reads one value per cell",
    ),
    "parquet binary column": (_file("x.parquet", _nested_parquet("binary")), 1, "holds binary values"),
    "parquet without rows": (
        _file("x.parquet", _parquet(pa.table({c: pa.array([], pa.string()) for c in HEADER.split(",")}))),
        1,
        "holds no data rows",
    ),
    # ------------------------------------------------------------------- names and paths
    "OpenDocument spreadsheet": (_file("x.ods", b"PK\x03\x04whatever"), 1, "file type .ods is not supported"),
    "JSON file": (_file("x.json", b'{"family_id": "A"}'), 1, "file type .json is not supported"),
    "no extension": (_file("export", GOOD), 1, "is not supported"),
    "a path that does not exist": (lambda folder: ["validate", str(folder / "nope.csv")], 2, "existing file"),
    # ------------------------------------------------------------------- definition files
    "instrument not UTF-8": (
        _sample_with("inst.toml", 'id = "caf\xe9"\n'.encode("cp1252"), "--instrument"),
        1,
        "not UTF-8",
    ),
    "instrument binary junk": (_sample_with("inst.toml", bytes(range(256)), "--instrument"), 1, "inst.toml"),
    "instrument nested too deeply": (
        _sample_with("inst.toml", b"a = " + b"[" * 50_000 + b"]" * 50_000, "--instrument"),
        1,
        "inst.toml",
    ),
    "instrument YAML not a mapping": (
        _sample_with("inst.yaml", b"- just\n- a list\n", "--instrument"),
        1,
        "expected a table/mapping",
    ),
    "scenario not UTF-8": (
        _sample_with("scen.toml", '[scenario]\nname = "caf\xe9"\n'.encode("cp1252"), "--scenario"),
        1,
        "scen.toml",
    ),
    "scenario nested too deeply": (
        _sample_with("scen.toml", b"a = " + b"[" * 50_000 + b"]" * 50_000, "--scenario"),
        1,
        "scen.toml",
    ),
    "mapping file not UTF-8": (_mapping('instrument = "caf\xe9"\n'.encode("cp1252")), 1, "not UTF-8"),
    "mapping file nested too deeply": (
        _mapping(b"a = " + b"{x = " * 20_000 + b"1" + b"}" * 20_000),
        1,
        "impactkit.toml",
    ),
    "mapping file not TOML": (_mapping(b"[assessments\nfile = 3"), 1, "not valid TOML"),
}
