"""impactkit's plotly.js bundle: the core and only the trace types impactkit's charts draw (issue 18).

The bundle (impactkit/report/js/plotly-impactkit.min.js, built from npm by scripts/plotly_bundle)
must (1) be the plotly.js version the plotly Python package embeds, since figures are validated and
serialised by plotly.py against that version's schema; (2) register every trace type a chart of
impactkit builds, found here independently by reading the source for ``go.<Trace>(`` calls; and (3)
register what its first line claims, checked in chromium through ``Plotly.PlotSchema``.  The
browser tests (test_report_browser.py) check every chart of each report is drawn with it.
"""

from __future__ import annotations

import ast
import copy
from pathlib import Path

import plotly.graph_objects as go
import pytest
from _browser import ARGS, BROWSER_TIMEOUT_MS, CHROMIUM
from plotly.basedatatypes import BaseTraceType
from plotly.offline import get_plotlyjs_version

from impactkit.errors import OutputError
from impactkit.report._html import _lean, figure_div, plotly_bundle, plotly_js

PACKAGE = Path(__file__).resolve().parents[2] / "impactkit"


def _traces_built_by_impactkit() -> set[str]:
    """Trace types of every ``go.X(...)`` call in impactkit's source (X a plotly trace class)."""
    found: set[str] = set()
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            func = node.func if isinstance(node, ast.Call) else None
            if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id == "go":
                cls = getattr(go, func.attr, None)
                if isinstance(cls, type) and issubclass(cls, BaseTraceType):
                    found.add(cls().type)
    return found


def test_bundle_is_the_plotly_js_of_plotly_py() -> None:
    bundle = plotly_bundle()
    assert bundle.version == get_plotlyjs_version()
    assert plotly_js().startswith(bundle.text)  # then the deferred drawing of the charts (DEFER_CHARTS)
    assert "</script" not in bundle.text.lower()  # safe inline in a <script> element
    assert 1_000_000 < len(bundle.text) < 2_000_000  # the full plotly.min.js is 4.8 MB


def test_bundle_holds_every_trace_type_impactkit_draws() -> None:
    used = _traces_built_by_impactkit()
    assert {"bar", "scatter"} <= used  # the reading of the source works
    assert used <= plotly_bundle().traces


def test_a_chart_the_bundle_cannot_draw_is_refused() -> None:
    fig = go.Figure(go.Histogram(x=[1, 2, 2, 3]))
    with pytest.raises(OutputError, match=r"histogram.*make plotly-bundle"):
        figure_div(fig, "chart-x")
    assert "Plotly.newPlot" in figure_div(go.Figure(go.Bar(x=["a"], y=[1])), "chart-y")


@pytest.mark.browser
def test_bundle_registers_what_it_claims(tmp_path: Path) -> None:
    if not Path(CHROMIUM).exists():  # pragma: no cover - CI installs chromium
        pytest.skip("Debian's chromium is not installed (apt-get install -y chromium)")
    playwright = pytest.importorskip("playwright.sync_api")
    page_file = tmp_path / "bundle.html"
    page_file.write_text(
        f"<!doctype html><html><head><script>{plotly_js()}</script></head><body></body></html>"
    )
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page()
        page.goto(page_file.as_uri(), timeout=BROWSER_TIMEOUT_MS)
        traces = page.evaluate("Object.keys(Plotly.PlotSchema.get().traces)")
        version = page.evaluate("Plotly.version")
        browser.close()
    assert set(traces) == plotly_bundle().traces
    assert version == plotly_bundle().version


def test_lean_template_keeps_what_applies() -> None:
    fig = go.Figure(go.Bar(x=["a"], y=[1]), layout={"template": "plotly_white"}).to_plotly_json()
    lean = _lean(copy.deepcopy(fig))["layout"]["template"]
    assert set(lean["data"]) == {"bar"}
    assert set(fig["layout"]["template"]["data"]) > {"bar", "scatter", "heatmap"}
    assert "scene" not in lean["layout"]
    assert "polar" not in lean["layout"]
    assert lean["layout"]["xaxis"] == fig["layout"]["template"]["layout"]["xaxis"]


@pytest.mark.browser
def test_charts_draw_as_before_and_all_of_them(tmp_path: Path) -> None:
    """The same figure drawn from its full template and from the lean one gives the same pixels
    (plotly.js only merges the template's parts that apply); charts queued while the page is parsed are
    all drawn without scrolling, and Plotly.newPlot is plotly's own again after parsing."""
    if not Path(CHROMIUM).exists():  # pragma: no cover - CI installs chromium
        pytest.skip("Debian's chromium is not installed (apt-get install -y chromium)")
    import json

    playwright = pytest.importorskip("playwright.sync_api")
    fig = go.Figure(go.Bar(x=["one", "two"], y=[3, 1]), layout={"template": "plotly_white", "width": 400,
                                                                "height": 300, "title": {"text": "t"}})  # fmt: skip
    full, lean = json.dumps(fig.to_plotly_json()), json.dumps(_lean(fig.to_plotly_json()))
    spacer = '<div style="height:3000px"></div>'
    charts = "".join(f'{spacer}<div id="c{i}"></div><script>Plotly.newPlot("c{i}", {f}.data, {f}.layout, '
                     '{"staticPlot": true})</script>' for i, f in enumerate([full, lean, lean]))  # fmt: skip
    page_file = tmp_path / "charts.html"
    page_file.write_text(
        f"<!doctype html><html><head><script>{plotly_js()}</script></head><body>{charts}</body></html>"
    )
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": 500, "height": 400})
        page.goto(page_file.as_uri(), wait_until="load", timeout=BROWSER_TIMEOUT_MS)
        page.wait_for_function(
            "document.querySelectorAll('.main-svg').length >= 6", timeout=BROWSER_TIMEOUT_MS
        )
        own = page.evaluate("Plotly.newPlot.toString().includes('readyState')")
        shots = [page.locator(f"#c{i}").screenshot() for i in range(2)]
        browser.close()
    assert not own
    assert shots[0] == shots[1]
