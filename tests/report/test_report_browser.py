"""Both reports in both languages, opened from file:// in Debian's chromium through playwright.

Asserted per report: no request leaves the file (anything but file:/data:/about: is recorded),
no console error or warning, every chart drawn (one ``.js-plotly-plot`` per chart), suppressed cells read
"<10" (or "x" for secondary suppression), the hostile municipality shows as text and no dialog
opens, and a full-page screenshot is written (to ``$IMPACTKIT_SCREENSHOTS`` when set).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from _browser import ARGS, BROWSER_TIMEOUT_MS, CHROMIUM, CONSOLE_PROBLEMS
from _report_data import DRAWS, GENERATED, HOSTILE, hostile

from impactkit.report import build_report

pytestmark = pytest.mark.browser

CASES = [("annual", "en"), ("annual", "nl"), ("business-case", "en"), ("business-case", "nl")]


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():  # pragma: no cover - CI installs chromium
        pytest.skip("Debian's chromium is not installed (apt-get install -y chromium)")
    playwright = pytest.importorskip("playwright.sync_api")
    with playwright.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


@pytest.fixture(scope="module")
def rendered(browser, tmp_path_factory):
    """Each report rendered once and opened once; what the page did is recorded."""
    out_dir = tmp_path_factory.mktemp("reports")
    shots = Path(os.environ.get("IMPACTKIT_SCREENSHOTS", out_dir))
    shots.mkdir(parents=True, exist_ok=True)
    results = {}
    for kind, lang in CASES:
        rep = build_report(hostile(), kind=kind, lang=lang, draws=DRAWS, generated_at=GENERATED)
        path = rep.save(out_dir / f"{kind}_{lang}.html")
        page = browser.new_page(viewport={"width": 1100, "height": 900})
        page.set_default_timeout(BROWSER_TIMEOUT_MS)  # a loaded 2-core machine is slow, not broken
        requests, errors, dialogs, console = [], [], [], []
        page.on(
            "request",
            lambda r, acc=requests: (
                acc.append(r.url) if not r.url.startswith(("file:", "data:", "about:")) else None
            ),
        )
        page.on("console", lambda m, acc=errors: acc.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e, acc=errors: acc.append(str(e)))
        page.on(
            "console",
            lambda m, acc=console: acc.append(f"{m.type}: {m.text}") if m.type in CONSOLE_PROBLEMS else None,
        )
        page.on("dialog", lambda d, acc=dialogs: (acc.append(d.message), d.dismiss()))
        page.goto(path.as_uri(), wait_until="load")
        page.wait_for_function(
            # a function, not an expression: playwright polls an expression through eval, which the
            # report's Content-Security-Policy blocks (charts off screen are drawn just after load)
            f"() => document.querySelectorAll('.js-plotly-plot').length >= {rep.n_charts}",
            timeout=BROWSER_TIMEOUT_MS,
        )
        page.wait_for_timeout(300)
        shot = shots / f"report_{kind}_{lang}.png"
        page.screenshot(path=str(shot), full_page=True)
        results[(kind, lang)] = {
            "report": rep,
            "requests": requests,
            "errors": errors,
            "dialogs": dialogs,
            "console": console,
            "plots": page.locator(".js-plotly-plot").count(),
            "svg": page.locator(".js-plotly-plot .main-svg").count(),
            "suppressed": page.locator("td.suppressed").all_inner_texts(),
            "hostile_text": page.get_by_text(HOSTILE, exact=False).count(),
            "html": path.read_text(encoding="utf-8"),
            "shot": shot,
        }
        page.close()
    yield results
    if "IMPACTKIT_SCREENSHOTS" not in os.environ:
        shutil.rmtree(out_dir, ignore_errors=True)


@pytest.mark.parametrize(("kind", "lang"), CASES)
def test_offline_and_without_errors(rendered, kind, lang):
    r = rendered[(kind, lang)]
    assert r["requests"] == []
    assert r["errors"] == []
    assert r["dialogs"] == []
    assert r["console"] == []  # no warning either (plotly.js: "Invalid color specifier: Array(39)")


@pytest.mark.parametrize(("kind", "lang"), CASES)
def test_every_chart_is_drawn(rendered, kind, lang):
    r = rendered[(kind, lang)]
    assert r["report"].n_charts >= 6
    assert r["plots"] == r["report"].n_charts
    assert r["svg"] >= r["report"].n_charts  # plotly drew an SVG in every chart


@pytest.mark.parametrize(("kind", "lang"), CASES)
def test_screenshot_written(rendered, kind, lang):
    shot = rendered[(kind, lang)]["shot"]
    assert shot.is_file()
    assert shot.stat().st_size > 50_000


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_suppressed_cells_and_the_hostile_name(rendered, lang):
    """The 6-family municipality named <script>...: under k, so the release gives it no row of its
    own: it counts in "other municipalities" and its name appears nowhere, neither as text nor as
    markup (escaped or not); suppressed cells read <10 or x."""
    r = rendered[("annual", lang)]
    texts = r["suppressed"]
    assert "<10" in texts
    assert set(texts) <= {"<10", "x", "–"}  # "–": a breakdown the release withholds whole
    assert r["hostile_text"] == 0
    assert HOSTILE not in r["html"]
    assert "&lt;script&gt;alert" not in r["html"]
    assert "alert(1)" not in r["html"]
    assert {"en": "Other municipalities", "nl": "Overige gemeenten"}[lang] in r["html"]


def test_pdf_through_chromium(tmp_path):
    if not Path(CHROMIUM).exists():  # pragma: no cover
        pytest.skip("Debian's chromium is not installed")
    rep = build_report(hostile(), kind="business-case", lang="nl", draws=200, generated_at=GENERATED)
    pdf = rep.to_pdf(tmp_path / "bc.pdf", chromium=CHROMIUM)
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF")
    assert data.count(b"/Type /Page") >= 3 or data.count(b"/Type/Page") >= 3
