"""Benchmark: bounded work on hostile or huge inputs (issue 9 item 7).

* a 50 MB CSV export (wide, ~1M rows): read + validated, with a result;
* the same 50 MB with quoted cells (the csv-module path that finds quoted line breaks);
* an xlsx whose used range claims A1:XFD1048576 (a stray format in the last cell);
* a CSV header of 100,000 columns, and 50 MB of binary junk named .csv: refused.

Target: each finishes in seconds (< 10 s) on the 2-core reference machine with a result or one clear
problem.  Run with ``make bench`` or ``python benchmarks/bench_bounds.py``.
"""

from __future__ import annotations

import io
import tempfile
import time
import zipfile
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd

import impactkit as ik

TODAY = "2026-11-01"


def wide_csv(path: Path, target_mb: float, quoted: bool = False) -> int:
    domains = ik.builtin().domain_ids
    rng = np.random.default_rng(3)
    n = int(target_mb * 1e6 / 52) // 3  # about 52 bytes a row
    ids = np.array([f"F{i:07d}" for i in range(n)])
    parts = []
    for k, wave in enumerate(("intake", "year1", "year2")):
        block = pd.DataFrame(rng.integers(1, 6, (n, len(domains))), columns=domains)
        block.insert(0, "assessed_on", f"202{2 + k}-03-01")
        block.insert(0, "wave", wave)
        block.insert(0, "family_id", ids)
        parts.append(block)
    frame = pd.concat(parts)
    frame.to_csv(path, index=False, quoting=1 if quoted else 0)
    return len(frame)


def xfd_workbook(path: Path, rows: int = 2000) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    domains = ik.builtin().domain_ids
    ws.append(["family_id", "wave", "assessed_on", *domains])
    for i in range(rows // 2):
        for k, w in enumerate(("intake", "year1")):
            ws.append([f"F{i:05d}", w, f"202{3 + k}-01-01", *([3] * len(domains))])
    buf = io.BytesIO()
    wb.save(buf)
    src = zipfile.ZipFile(io.BytesIO(buf.getvalue()))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                import re

                data = re.sub(rb'<dimension ref="[^"]*"/>', b'<dimension ref="A1:XFD1048576"/>', data)
            dst.writestr(info, data)


def timed(label: str, fn) -> None:
    t0 = time.perf_counter()
    out = fn()
    print(f"{label}: {time.perf_counter() - t0:.2f} s ({out}) (target < 10 s)")


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        for quoted in (False, True):
            p = tmp / f"big{int(quoted)}.csv"
            rows = wide_csv(p, 50, quoted)
            size = p.stat().st_size / 1e6

            def run(p: Path = p) -> str:
                rep = ik.validate(p, today=TODAY)
                return f"valid={rep.valid}, {rep.n_rows:,} rows"

            timed(f"validate {size:.0f} MB CSV{' (every cell quoted)' if quoted else ''}, {rows:,} rows", run)
        x = tmp / "xfd.xlsx"
        xfd_workbook(x)
        timed(
            "validate an xlsx claiming A1:XFD1048576 (2,000 rows)",
            lambda: f"valid={ik.validate(x, today=TODAY).valid}",
        )
        wide = tmp / "wide.csv"
        wide.write_text(
            ",".join(f"c{i}" for i in range(100_000)) + "\n" + ",".join("1" for _ in range(100_000)) + "\n"
        )
        timed(
            "validate a 100,000-column header",
            lambda: ik.validate(wide, today=TODAY).problems["code"].tolist(),
        )
        junk = tmp / "junk.csv"
        junk.write_bytes(np.random.default_rng(0).integers(0, 256, 50_000_000, dtype=np.uint8).tobytes())
        timed(
            "validate 50 MB of binary junk named .csv",
            lambda: ik.validate(junk, today=TODAY).problems["code"].tolist(),
        )


if __name__ == "__main__":
    main()
