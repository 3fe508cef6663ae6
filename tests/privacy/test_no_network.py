"""A report cannot reach the network or run code, whatever text its inputs hold.

* templates run in jinja2's sandbox: reaching Python internals fails with a clear error;
* every string of a chart is plain text (no ``<a>``, no ``style``, no ``url()``);
* the page carries a Content-Security-Policy that allows no network at all;
* a browser test: a local beacon server counts the requests made by a report whose instrument
  labels, municipality, programme, household type, care paths and payers all hold payloads that
  would each fetch the beacon if they were live markup.  It counts zero.
"""

from __future__ import annotations

import dataclasses
import http.server
import re
import threading
import tomllib
from pathlib import Path

import pytest
from _browser import ARGS, BROWSER_TIMEOUT_MS, CHROMIUM

from impactkit.errors import ParameterError
from impactkit.instruments import Instrument
from impactkit.privacy._plaintext import plain_figure, plain_text
from impactkit.report import build_report
from impactkit.report._html import render

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    "expr",
    [
        "{{ ''.__class__.__mro__[1].__subclasses__() }}",
        "{{ lang.__class__.__init__.__globals__ }}",
        "{{ cycler.__init__.__globals__.os.popen('id').read() }}",
        "{{ footer.update({'version': 'x'}) }}",
    ],
)
def test_a_template_reaching_python_internals_fails_clearly(tmp_path, expr):
    (tmp_path / "annual.html.j2").write_text(f"<p>{expr}</p>", encoding="utf-8")
    with pytest.raises(ParameterError, match=r"tried to reach Python internals.*sandbox"):
        render("annual.html.j2", {"lang": "en", "footer": {"version": "1"}}, templates=tmp_path)


def test_plain_text_keeps_only_bare_formatting():
    assert plain_text("Wonen<br>en werk") == "Wonen<br>en werk"
    assert plain_text("<b>n</b> = 3<extra></extra>") == "<b>n</b> = 3<extra></extra>"
    assert plain_text('<a href="http://x/">x</a>') == '&lt;a href="http://x/">x&lt;/a>'
    assert plain_text('<span style="fill:url(http://x)">y</span>') == (
        '&lt;span style="fill:url (http://x)">y&lt;/span>'
    )
    assert plain_text('<b style="x">') == '&lt;b style="x">'
    assert plain_text("URL( javascript:alert(1)") == "url ( javascript :alert(1)"


def test_plain_figure_reaches_every_string():
    import plotly.graph_objects as go

    fig = go.Figure(go.Bar(x=['<a href="http://x">A</a>'], y=[1], name="<i>n</i>", hovertext=["<img src=x>"]))
    fig.update_layout(title='<span style="x">t</span>')
    data = plain_figure(fig)
    assert data["data"][0]["x"] == ['&lt;a href="http://x">A&lt;/a>']
    assert data["data"][0]["name"] == "<i>n</i>"
    assert data["data"][0]["hovertext"] == ["&lt;img src=x>"]
    assert data["layout"]["title"]["text"] == '&lt;span style="x">t&lt;/span>'


def _payload(port: int, tag: str) -> str:
    u = f"http://127.0.0.1:{port}/{tag}"
    return (
        f'<a href="{u}/a">A</a><img src="{u}/img"><span style="fill:url({u}/css)">S</span>'
        f'<svg><image href="{u}/svg"/></svg><link rel="stylesheet" href="{u}/link">'
        f"<style>@import url({u}/import);</style>{tag}"
    )


def _hostile_inputs(tmp_path: Path, port: int):
    from impactkit.io import read_dataset

    ds = read_dataset(ROOT / "data" / "sample", today="2026-11-01")
    spec = tomllib.loads((ROOT / "impactkit" / "instruments" / "data" / "default.toml").read_text())
    for d in spec["domains"]:
        d["label_en"] = d["label_nl"] = _payload(port, f"domain-{d['id']}")
    for lv in spec["scale"]["levels"]:
        lv["label_en"] = lv["label_nl"] = _payload(port, f"level{lv['value']}")
    for w in spec["waves"]:
        w["label_en"] = w["label_nl"] = _payload(port, f"wave-{w['id']}")
    inst = Instrument.from_dict(spec, source="hostile")
    fam = ds.families.copy()
    for col in ("municipality", "programme", "household_type"):
        fam[col] = fam[col].astype(object)
    fam.loc[fam["municipality"] == "Tiel", "municipality"] = _payload(port, "municipality")
    fam.loc[fam["programme"] == "Home-Start", "programme"] = _payload(port, "programme")
    fam.loc[fam["household_type"] == "newcomer", "household_type"] = _payload(port, "household")
    scen = (ROOT / "data" / "sample" / "scenario.toml").read_text()
    scen = re.sub(
        r'^label = "[^"]*"', lambda m: f"label = {_toml(_payload(port, 'label'))}", scen, flags=re.M
    )
    (tmp_path / "scenario.toml").write_text(scen, encoding="utf-8")
    return dataclasses.replace(ds, instrument=inst, families=fam), tmp_path / "scenario.toml"


def _toml(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


@pytest.mark.browser
def test_beacon_counts_zero_requests(tmp_path):
    if not Path(CHROMIUM).exists():  # pragma: no cover - CI installs chromium
        pytest.skip("Debian's chromium is not installed")
    playwright = pytest.importorskip("playwright.sync_api")
    hits: list[str] = []

    class Beacon(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            hits.append(self.path)
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Beacon)
    port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        ds, scenario = _hostile_inputs(tmp_path, port)
        rep = build_report(ds, scenario=scenario, draws=200, generated_at="2026-11-23")
        assert f"127.0.0.1:{port}" in rep.html  # the payloads are in the page, as text
        assert "Content-Security-Policy" in rep.html
        path = rep.save(tmp_path / "hostile.html")
        with playwright.sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            page = browser.new_page(viewport={"width": 1100, "height": 900})
            page.set_default_timeout(BROWSER_TIMEOUT_MS)  # a loaded 2-core machine is slow, not broken
            page.goto(path.as_uri(), wait_until="load")
            page.wait_for_function(
                # a function, not an expression: playwright polls an expression through eval, which the
                # report's Content-Security-Policy blocks (charts off screen are drawn just after load)
                f"() => document.querySelectorAll('.js-plotly-plot').length >= {rep.n_charts}",
                timeout=BROWSER_TIMEOUT_MS,
            )
            for plot in page.locator(".js-plotly-plot").all():  # hover labels hold the payloads too
                plot.scroll_into_view_if_needed()
                box = plot.bounding_box()
                if box:
                    for fx in (0.3, 0.5, 0.7):
                        page.mouse.move(box["x"] + box["width"] * fx, box["y"] + box["height"] * 0.5)
                        page.wait_for_timeout(30)
            links_in_charts = page.evaluate("document.querySelectorAll('.js-plotly-plot a[href]').length")
            styled = page.evaluate(
                "[...document.querySelectorAll('.js-plotly-plot [style]')]"
                ".filter(e => e.getAttribute('style').includes('127.0.0.1')).length"
            )
            # the policy itself blocks what script might still try
            page.evaluate(
                f"() => {{ const i = new Image(); i.src = 'http://127.0.0.1:{port}/script';"
                " document.body.appendChild(i); }"
            )
            page.wait_for_timeout(500)
            browser.close()
    finally:
        server.shutdown()
        server.server_close()
    assert hits == []
    assert links_in_charts == 0
    assert styled == 0
