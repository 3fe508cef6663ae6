"""Benchmark: the report on the 350-family sample, built and opened in chromium (issue 18).

Targets (2-core machine):

* building the annual report of the sample (read + analyses + 10,000-draw PSA + HTML), in one
  process: under 3 s of CPU (user + system, median of ``--repeats``); the business case is printed
  beside it;
* opening it in headless chromium until every chart is drawn: under 1.5 s (median of
  ``--repeats`` fresh pages; the page's own clock, ``performance.now()`` from navigation start to
  the moment every chart's ``div`` holds its SVG).  This is wall time: on a loaded machine it is noisy,
  so the CPU seconds chromium's renderer processes spent until then are printed too.

It also prints the size of each file and of the plotly.js bundle embedded in it.  Run with
``make bench`` or ``python benchmarks/bench_report.py [--repeats 5] [--html FILE ...]`` (``--html``:
only open the given files, e.g. a report built by another version).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from pathlib import Path

from _measure import IMPACTKIT, median_run, target_line

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "sample"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
_DRAWN = """n => {
  const drawn = [...document.querySelectorAll('.plotly-graph-div')].filter(d => d.querySelector('.main-svg'));
  return drawn.length >= n ? performance.now() : false;
}"""
# the first screen: the page parsed and every chart in the first viewport drawn (charts further down
# are drawn after it, one per task, see report._html.DEFER_CHARTS)
_FIRST = """() => {
  if (document.readyState === 'loading') return false;
  const inView = [...document.querySelectorAll('.plotly-graph-div')].filter(d => d.getBoundingClientRect().top < innerHeight);
  return inView.every(d => d.querySelector('.main-svg')) ? performance.now() : false;
}"""


def open_times(path: Path, repeats: int) -> tuple[list[float], list[float], int, list[float]]:
    """Per fresh page: seconds from navigation to every chart drawn, the CPU seconds chromium's
    renderer processes used until then (SystemInfo.getProcessInfo; less sensitive to other load), and
    seconds until the first screen is ready."""
    from playwright.sync_api import sync_playwright

    n = path.read_text(encoding="utf-8").count('class="plotly-graph-div"')
    times, busy, first = [], [], []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        info = browser.new_browser_cdp_session()

        def renderer_cpu() -> float:
            procs = info.send("SystemInfo.getProcessInfo")["processInfo"]
            return sum(float(q["cpuTime"]) for q in procs if q["type"] == "renderer")

        for _ in range(repeats + 1):  # the first opening warms chromium's caches: not counted
            page = browser.new_page(viewport={"width": 1100, "height": 900})
            page.goto("about:blank")
            cpu0 = renderer_cpu()
            page.goto(path.as_uri(), wait_until="commit")
            first.append(
                float(page.wait_for_function(_FIRST, polling=10, timeout=300_000).json_value()) / 1000
            )
            handle = page.wait_for_function(_DRAWN, arg=n, polling=10, timeout=300_000)
            busy.append(renderer_cpu() - cpu0)
            times.append(float(handle.json_value()) / 1000)
            page.close()
        browser.close()
    return times[1:], busy[1:], n, first[1:]


def main(repeats: int, html: list[Path]) -> None:
    out = Path(tempfile.mkdtemp(prefix="ik-bench-"))
    if not html:
        print(f"report on the 350-family sample, CPU seconds of the command, median of {repeats}")
        for kind in ("annual", "business-case"):
            path = out / f"{kind}.html"
            args = [IMPACTKIT, "report", str(SAMPLE), "--kind", kind, "--lang", "en", "--out", str(path),
                    "--generated-at", "2026-11-23", "--today", "2026-11-01"]  # fmt: skip
            r = median_run(args, repeats)
            if kind == "annual":
                print(target_line("impactkit report --kind annual, 350 families", r.cpu, 3.0))
            else:
                print(f"  {'impactkit report --kind business-case, 350 families':<58} {r.cpu:9.2f} s")
            html.append(path)
    print(f"\nopening in headless chromium until every chart is drawn, median of {repeats}")
    for path in html:
        times, busy, n, first = open_times(path, repeats)
        size = path.stat().st_size / 1e6
        print(f"  {path.name + ': first screen ready (parsed, charts in view drawn)':<58} "
              f"{statistics.median(first):9.2f} s")  # fmt: skip
        print(
            target_line(f"{path.name}: {n} charts, {size:.1f} MB, until drawn", statistics.median(times), 1.5)
        )
        print(target_line("  CPU of chromium's renderer until drawn", statistics.median(busy), 1.5))
        print(f"  {'':<58} each: {', '.join(f'{t:.2f}' for t in times)}")
    from impactkit.report._html import plotly_js

    print(f"\nplotly.js bundle embedded in each report: {len(plotly_js()) / 1e6:.2f} MB")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--html", type=Path, nargs="*", default=[])
    args = parser.parse_args()
    main(args.repeats, list(args.html))
    sys.exit(0)
