"""What every browser test shares: Debian's chromium, its launch flags and the wait budget.

Importable from any test (``from _browser import BROWSER_TIMEOUT_MS``): pytest puts ``tests/`` on
``sys.path`` for ``tests/conftest.py``.
"""

from __future__ import annotations

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
# Every playwright wait (page loads, wait_for_function, default timeouts) gets up to 3 minutes: on a
# loaded 2-core machine (8 parallel jobs) chromium took > 30 s to load a report; a timeout there is
# slowness, not a failure of the report.
BROWSER_TIMEOUT_MS = 180_000
# console message types that mean something is wrong with the page: plotly.js reports its warnings
# (an invalid colour, an unknown attribute) through console.trace
CONSOLE_PROBLEMS = ("error", "warning", "trace", "assert")
