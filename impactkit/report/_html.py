"""Assembling the self-contained HTML: jinja2 with autoescape, plotly.js embedded once.

Templates are found in a user folder first (``templates=DIR``, for branding), then in the shipped
``impactkit/report/templates`` (inside the wheel) or, for an editable install, the repository's
``reports/templates``.  Every template is autoescaped, whatever its file name, and runs in jinja2's
immutable sandbox: a template cannot call or reach Python internals (``__class__``,
``__subclasses__``, ``__globals__``...) nor change the objects it is given, so a user's template
folder can brand a report but never run code.  Every string of a chart is reduced to plain text
(:func:`impactkit.privacy._plaintext.plain_figure`) before it is written.  Each chart is a
``<div>`` with a deterministic id plus a ``Plotly.newPlot`` call; plotly.js itself is one inline
``<script>`` in the page head: impactkit's own bundle of the plotly.js core and the few trace
types its charts use (:func:`plotly_bundle`).  No CDN, no MathJax, no network.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import jinja2
import jinja2.sandbox
import plotly.io as pio
from markupsafe import Markup

from impactkit.errors import OutputError, ParameterError

__all__ = [
    "PLOTLY_CONFIG",
    "PlotlyBundle",
    "environment",
    "figure_div",
    "plotly_bundle",
    "plotly_js",
    "render",
    "shipped_templates",
]

PLOTLY_CONFIG = {"displaylogo": False, "responsive": True, "modeBarButtonsToRemove": ["sendDataToCloud"]}


def shipped_templates() -> Path:
    """The folder of the shipped templates (wheel first, then the repository for editable installs)."""
    try:
        ref = resources.files("impactkit.report") / "templates"
        if ref.is_dir():
            return Path(str(ref))
    except (ModuleNotFoundError, TypeError):  # pragma: no cover - namespace edge cases
        pass
    repo = Path(__file__).resolve().parents[2] / "reports" / "templates"
    if repo.is_dir():
        return repo
    raise FileNotFoundError(  # pragma: no cover - a broken installation
        "impactkit's report templates are missing: reinstall impactkit (they ship as impactkit/report/templates)."
    )


def environment(templates: str | Path | None = None) -> jinja2.Environment:
    """A sandboxed jinja2 environment: the user's folder before the shipped one, autoescape on."""
    loaders: list[jinja2.BaseLoader] = []
    if templates is not None:
        user = Path(templates)
        if not user.is_dir():
            raise ParameterError(
                f"The 'templates' parameter of build_report must be a folder of templates. Got {str(user)!r}, "
                "which is not a folder."
            )
        loaders.append(jinja2.FileSystemLoader(str(user), encoding="utf-8"))
    loaders.append(jinja2.FileSystemLoader(str(shipped_templates()), encoding="utf-8"))
    env = jinja2.sandbox.ImmutableSandboxedEnvironment(
        loader=jinja2.ChoiceLoader(loaders),
        autoescape=True,  # every template, whatever its extension
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    return env


_BUNDLE = re.compile(
    r"/\*! impactkit plotly\.js bundle: plotly\.js (?P<version>[\w.-]+); traces: (?P<traces>[a-z0-9,]+) \*/"
)


@dataclass(frozen=True)
class PlotlyBundle:
    """impactkit's plotly.js: the core and only the trace types its figures draw.

    Built from npm by ``scripts/plotly_bundle/build.sh`` (``make plotly-bundle``) and shipped as
    ``impactkit/report/js/plotly-impactkit.min.js``: 1.4 MB instead of the 4.8 MB of the full
    plotly.min.js, so a report's charts are drawn in about a third of the time.
    """

    text: str
    version: str  # of plotly.js; the plotly Python package must embed the same
    traces: frozenset[str]


@lru_cache(maxsize=1)
def plotly_bundle() -> PlotlyBundle:
    """The shipped bundle, its plotly.js version and trace types (from its first line)."""
    text = (resources.files("impactkit.report") / "js" / "plotly-impactkit.min.js").read_text(
        encoding="utf-8"
    )
    head = _BUNDLE.match(text)
    if head is None:  # pragma: no cover - a broken installation
        raise OutputError(
            "impactkit/report/js/plotly-impactkit.min.js is not impactkit's plotly.js bundle: reinstall impactkit."
        )
    return PlotlyBundle(text, head["version"], frozenset(head["traces"].split(",")))


# Charts drawn while the page is still being parsed (each inline ``Plotly.newPlot``) make the browser
# lay out the half-built page again for every label plotly measures, and keep the first screen blank
# until every chart is done.  Instead the calls made during parsing are queued: a chart is drawn when
# it comes near the screen (IntersectionObserver), the others one per task once the page is parsed, and
# all at once before printing.  Calls after parsing go straight to plotly.js.
DEFER_CHARTS = """
(function () {
  var plot = Plotly.newPlot, charts = [], done = {};
  function draw(c) {
    if (!done[c[0]]) { done[c[0]] = true; plot.apply(Plotly, c); }
  }
  function next() {
    for (var i = 0; i < charts.length; i++) {
      if (!done[charts[i][0]]) { draw(charts[i]); setTimeout(next, 0); return; }
    }
  }
  var near = "IntersectionObserver" in window && new IntersectionObserver(function (entries) {
    entries.forEach(function (e) {
      if (!e.isIntersecting) return;
      near.unobserve(e.target);
      for (var i = 0; i < charts.length; i++) if (charts[i][0] === e.target.id) draw(charts[i]);
    });
  }, {rootMargin: "50% 0px"});
  Plotly.newPlot = function (id, data, layout, config) {
    var div = typeof id === "string" ? document.getElementById(id) : null;
    if (document.readyState !== "loading" || !div || !near) return plot.apply(Plotly, arguments);
    charts.push([id, data, layout, config]);
    near.observe(div);
    return Promise.resolve(div);
  };
  document.addEventListener("DOMContentLoaded", function () {
    Plotly.newPlot = plot;
    setTimeout(next, 0);
  });
  window.addEventListener("beforeprint", function () { charts.forEach(draw); });
})();
"""


def plotly_js() -> Markup:
    """impactkit's plotly.js bundle (minified) and the deferred drawing of the page's charts
    (:data:`DEFER_CHARTS`), as safe markup for a ``<script>``."""
    return Markup(plotly_bundle().text + "\n" + DEFER_CHARTS)


def figure_div(fig: Any, div_id: str, *, lang: str = "en") -> Markup:
    """One chart as a ``<div>`` and its ``Plotly.newPlot`` call; no plotly.js, no MathJax."""
    from impactkit.privacy._plaintext import plain_figure

    missing = sorted({trace.type for trace in fig.data} - plotly_bundle().traces)
    if missing:  # a new kind of chart: the shipped plotly.js could not draw it
        raise OutputError(
            f"Chart {div_id!r} draws trace type(s) {', '.join(missing)}, which impactkit's plotly.js bundle "
            "does not include: add them to TRACES in scripts/plotly_bundle/build.js and run "
            "`make plotly-bundle`."
        )
    config = dict(PLOTLY_CONFIG)  # number formats come from layout.separators, not a plotly locale file
    html = pio.to_html(
        _lean(plain_figure(fig)),
        full_html=False,
        include_plotlyjs=False,
        include_mathjax=False,
        div_id=div_id,
        config=config,
        validate=True,
        default_width="100%",
        default_height=f"{int(fig.layout.height or 420)}px",
    )
    return Markup(html)


def _lean(out: dict[str, Any]) -> dict[str, Any]:
    """The figure without the parts of its template that cannot apply to it: the trace defaults of
    trace types it does not draw and the subplot defaults (maps, 3-D scenes, ternary and polar axes)
    of subplots it has none of.  plotly.js merges what a template holds into every chart, so a chart
    draws exactly as before, with less to merge (about a tenth of the drawing time of a report).
    ``out`` is :func:`plain_figure`'s copy, changed in place."""
    template = out.get("layout", {}).get("template")
    if not template:
        return out
    used = {trace.get("type", "scatter") for trace in out.get("data", [])}
    template["data"] = {t: v for t, v in template.get("data", {}).items() if t in used}
    polar = bool(used & {"scatterpolar", "scatterpolargl", "barpolar"})
    for key in ("geo", "scene", "ternary", "mapbox", "map", *(() if polar else ("polar",))):
        template.get("layout", {}).pop(key, None)
    return out


def css_string(text: str) -> Markup:
    """``text`` as a CSS string literal safe inside ``<style>``: every character other than an
    ASCII letter or digit is a six-digit CSS escape (``\\00003C``; six digits, so the escape
    never swallows the next character), so no quote, backslash, ``<`` or ``>`` of the text reaches
    the style sheet (a municipality called ``</style><script>`` stays text)."""
    out = "".join(ch if ch.isascii() and ch.isalnum() else f"\\{ord(ch):06X}" for ch in text)
    return Markup(f'"{out}"')


def render(template: str, context: Mapping[str, Any], *, templates: str | Path | None = None) -> str:
    """Render ``template`` with ``context``; the output is a pure function of the inputs."""
    env = environment(templates)
    try:
        tpl = env.get_template(template)
    except jinja2.TemplateNotFound as err:
        raise ParameterError(
            f"Report template {template!r} not found in {templates or shipped_templates()}."
        ) from err
    try:
        return tpl.render(**context)
    except jinja2.exceptions.SecurityError as err:
        raise ParameterError(
            f"A report template tried to reach Python internals, which the template sandbox forbids "
            f"({err}). Templates may only print the values they are given, loop and test; remove that "
            f"expression from the template (folder {str(templates or shipped_templates())!r})."
        ) from err
