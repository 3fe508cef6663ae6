"""Benchmark: build both reports for the 350-family sample and open them in chromium.

Prints, per report (kind x language): build time (read + analyses + 10,000-draw PSA + HTML), size
of the HTML, and the time chromium takes from navigation to every chart drawn.  Not a test.
Run with ``python benchmarks/bench_report.py [draws]``.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from impactkit.report import build_report

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "sample"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]


def main(draws: int = 10_000) -> None:
    from playwright.sync_api import sync_playwright

    out = Path(tempfile.mkdtemp(prefix="ik-bench-"))
    rows = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        for kind in ("annual", "business-case"):
            for lang in ("en", "nl"):
                t0 = time.perf_counter()
                rep = build_report(SAMPLE, kind=kind, lang=lang, draws=draws, generated_at="2026-11-23")
                build = time.perf_counter() - t0
                path = rep.save(out / f"{kind}_{lang}.html")
                page = browser.new_page(viewport={"width": 1100, "height": 900})
                t0 = time.perf_counter()
                page.goto(path.as_uri(), wait_until="load")
                page.wait_for_function(
                    f"document.querySelectorAll('.js-plotly-plot .main-svg').length >= {rep.n_charts}"
                )
                render = time.perf_counter() - t0
                page.close()
                rows.append((kind, lang, build, path.stat().st_size, render, rep.n_charts))
        browser.close()
    print(f"{'report':<16}{'lang':<6}{'build s':>9}{'size MB':>9}{'render s':>10}{'charts':>8}")
    for kind, lang, build, size, render, n in rows:
        print(f"{kind:<16}{lang:<6}{build:>9.2f}{size / 1e6:>9.2f}{render:>10.2f}{n:>8}")
    print(
        f"plotly.js alone is {len(__import__('plotly.offline').offline.get_plotlyjs()) / 1e6:.2f} MB of each file"
    )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10_000)
