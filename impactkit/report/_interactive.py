"""The business case you can change: a form and live results, computed in the browser by the
model's own definition.

Nothing here computes a number.  The page's model is the case graph of
:mod:`impactkit.costs._casemodel`, written as two JavaScript functions by
:meth:`impactkit.costs._graph.Graph.javascript`: ``det`` (every figure at the form's values) and
``psa`` (the net benefit of one PSA draw, each draw moved with its input).  The PSA draws of the
report are embedded (base64 of little-endian float64, exact), so P(saving) on the page at the
report's values is the report's.  The user interface (``reports/templates/_case.js``) only reads
the form, calls the functions and writes the numbers; texts come from the report catalogue and
scenario labels are inserted as text (``textContent``), never as markup.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from markupsafe import Markup

from impactkit.costs._casemodel import CaseInput, CaseModel, draw_key
from impactkit.i18n import Formatter

__all__ = ["CasePage", "case_page"]

PERCENT_UNITS = ("share", "rate")
# what the page shows of each kind of number: output name -> format
HEADLINE = (
    ("programme_cost", "money", "kf_investment"),
    ("gross_avoided_cost", "money", "kf_avoided"),
    ("net_benefit", "money", "kf_net"),
    ("benefit_cost_ratio", "ratio", "kf_bcr"),
    ("payback_months", "months", "kf_payback"),
    ("break_even_share", "share", "case_break_even_share"),
)
DET_OUTPUTS = (
    "programme_cost", "gross_avoided_cost", "net_benefit", "benefit_cost_ratio", "roi", "payback_months",
    "break_even_share", "fiscal_net_benefit", "net_benefit_undiscounted", "attributed_share", "fte",
    "saves_pv", "invests_pv", "net_pv", "invested_total", "saved_total", "net_total", "cumulative_total",
    "net_by_year", "calendar_year", "year_active", "expected_cases", "avoided_cost", "cost_per_case",
    "break_even_cases",
)  # fmt: skip


@dataclass
class InputView:
    """One field of the form (in display units: percent for shares and rates)."""

    key: str
    index: int
    label: str
    unit: str
    unit_text: str
    value: float
    low: float
    high: float
    step: float
    editable: bool
    source: str
    scale: float

    @property
    def shown(self) -> str:
        return _plain(self.value * self.scale)

    @property
    def low_text(self) -> str:
        return _plain(self.low)

    @property
    def high_text(self) -> str:
        return _plain(self.high)

    @property
    def step_text(self) -> str:
        return _plain(self.step)


@dataclass
class CasePage:
    """What the template needs: form groups, payers, paths, years, the data and the script."""

    groups: list[tuple[str, str, list[InputView]]]
    payers: list[tuple[int, str]]
    paths: list[tuple[int, str]]
    years: list[int]
    active: list[bool]
    data: Markup
    script: Markup
    n_draws: int
    headline: list[tuple[str, str, str]]
    initial: dict[str, str]
    texts: dict[str, str] = field(default_factory=dict)
    open_groups: tuple[str, ...] = ("programme", "adjustments")


def _plain(x: float) -> str:
    """A number for an <input value=...>: no grouping, a dot, no float noise."""
    if float(x).is_integer():
        return str(int(x))
    return f"{x:.10g}"


def _unit_text(fmt: Formatter, unit: str) -> str:
    if unit in ("year", "flag", "number"):  # a calendar year, a tick box, a number from the data: no unit
        return ""
    return fmt.text(f"case_unit_{unit}")


def _safe_json(obj: Any) -> Markup:
    """JSON for a <script type="application/json">: no "<", ">" or "&" that could end the block."""
    text = json.dumps(obj, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    text = text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return Markup(text)


def _b64(x: np.ndarray) -> str:
    return base64.b64encode(np.ascontiguousarray(x, dtype="<f8").tobytes()).decode("ascii")


def _payers_shown(cm: CaseModel) -> list[int]:
    """Payers with any flow in the model (a structurally zero payer is left out)."""
    keep = []
    for y in range(len(cm.payers)):
        nodes = [cm.outputs["saves_pv"][y], cm.outputs["invests_pv"][y]]
        if not all(n.is_const and n.value == 0.0 for n in nodes):
            keep.append(y)
    return keep


def case_page(ev: Any, fmt: Formatter, *, labels: Any) -> CasePage:
    """The interactive business case of ``ev`` (a business case ``CostEvaluation``)."""
    info = ev.case
    det = info.model()
    psa = info.model(psa=True)
    keys = [i.key for i in det.inputs]
    if [i.key for i in psa.inputs] != keys:  # both come from one builder: a bug otherwise
        raise RuntimeError("the page's two model functions disagree on their inputs")
    draw_keys = list(psa.draws) if info.n_draws else []
    outputs = {k: det.outputs[k] for k in DET_OUTPUTS}
    js_det = det.graph.javascript(keys, outputs, name="ikDet")
    if draw_keys:
        js_psa = psa.graph.javascript(
            keys + [draw_key(k) for k in draw_keys],
            {"net": psa.outputs["net_benefit"], "bcr": psa.outputs["benefit_cost_ratio"]},
            name="ikPsa",
        )
    else:  # no PSA was run: the page shows no chance of a saving
        js_psa = "function ikPsa(x) { return null; }"
    lang = fmt.lang
    views: dict[str, list[InputView]] = {}
    for pos, inp in enumerate(det.inputs):
        views.setdefault(inp.group, []).append(_view(inp, pos, fmt, lang))
    groups = [(g, fmt.text(f"case_group_{g}"), v) for g, v in views.items() if g != "data"]
    if "data" in views:
        groups.append(("data", fmt.text("case_group_data"), views["data"]))
    payers = [(y, labels.payer(det.payers[y], det.scenario.payers[y].label)) for y in _payers_shown(det)]
    paths = [(p, labels.path(pid, det.scenario.paths[pid].label)) for p, pid in enumerate(det.paths)]
    script_texts = ("case_never", "case_months", "case_changed", "case_unchanged", "case_pocket", "case_pocket_none",
                    "case_chart_invested", "case_chart_saved", "case_chart_cumulative")  # fmt: skip
    page_texts = ("case_form", "case_reset", "case_data_note", "case_interval_label", "case_payers_title",
                  "case_payers_note", "case_chart_title", "case_chart_caption", "case_years_title", "case_years_note", "case_net_of", "case_all_payers",
                  "case_breakeven_title", "case_breakeven_note", "case_expected_cases", "case_psa_note", "kf_psaving",
                  "payer", "invests", "saves", "net", "year", "cumulative", "care_path", "cost_per_case",
                  "break_even_cases")  # fmt: skip
    texts = {k: fmt.text(k) for k in script_texts}
    all_texts = {**texts, **{k: fmt.text(k) for k in page_texts}}
    all_texts["case_psa_note"] = fmt.text("case_psa_note", draws=fmt.integer(info.n_draws))
    all_texts["case_years_title"] = fmt.text("case_years_title", year=str(det.scenario.report_year))
    r = det.evaluate(det.values())
    initial = _initial(fmt, r, info, labels_of=payers, texts=all_texts)
    data = {
        "lang": lang,
        "locale": "nl-NL" if lang == "nl" else "en-GB",
        "inputs": [
            {"key": v.key, "index": v.index, "scale": v.scale, "value": v.value, "editable": v.editable}
            for vs in views.values()
            for v in vs
        ],
        "n_inputs": len(keys),
        "draws": [_b64(info.draws[k]) for k in draw_keys],
        "n_draws": int(info.n_draws) if draw_keys else 0,
        "payers": [{"index": y, "label": lab} for y, lab in payers],
        "paths": [{"index": p, "label": lab} for p, lab in paths],
        "n_years": det.n_years,
        "separators": fmt.separators,
        "texts": texts,
    }
    script = Markup(js_det + "\n" + js_psa)
    headline = [(key, kind, fmt.text(label)) for key, kind, label in HEADLINE]
    return CasePage(
        groups=groups, payers=payers, paths=paths, years=list(range(det.n_years)),
        active=[bool(a) for a in np.asarray(r["year_active"]) > 0], data=_safe_json(data), script=script,
        n_draws=int(data["n_draws"]), headline=headline, initial=initial, texts=all_texts,
    )  # fmt: skip


def show(fmt: Formatter, kind: str, v: float) -> str:
    """A number as the page first shows it (the script rewrites it in the browser's words)."""
    if kind == "months":
        return fmt.text("case_never") if not np.isfinite(v) else fmt.text("case_months", n=fmt.number(v, 0))
    if not np.isfinite(v):
        return "–"
    if kind == "money":
        return fmt.currency(v)
    if kind == "ratio":
        return fmt.number(v, 2)
    if kind in ("share", "probability"):
        return fmt.percent(v, 1)
    if kind == "year":
        return str(round(v))
    return fmt.number(v, 1)


def _initial(fmt: Formatter, r: dict[str, Any], info: Any, *, labels_of: list[tuple[int, str]],
             texts: dict[str, str]) -> dict[str, str]:  # fmt: skip
    """Every number of the page at the report's inputs, formatted (before the script runs)."""
    from impactkit.costs._case import what_if

    out: dict[str, str] = {}
    kinds = {key: kind for key, kind, _ in HEADLINE}
    for key, kind in kinds.items():
        out[key] = show(fmt, kind, float(r[key]))
    vectors = {"invests_pv": "money", "saves_pv": "money", "net_pv": "money", "invested_total": "money",
               "saved_total": "money", "net_total": "money", "cumulative_total": "money", "calendar_year": "year",
               "expected_cases": "number", "cost_per_case": "money", "break_even_cases": "number"}  # fmt: skip
    for key, kind in vectors.items():
        for i, v in enumerate(np.asarray(r[key], float)):
            out[f"{key}.{i}"] = show(fmt, kind, float(v))
    for y, row in enumerate(np.asarray(r["net_by_year"], float)):
        for n, v in enumerate(row):
            out[f"net_by_year.{y}.{n}"] = show(fmt, "money", float(v))
    if info.n_draws:
        q = what_if(info, {}).psa
        out["p_net_benefit_positive"] = show(fmt, "probability", q["p_net_benefit_positive"])
        out["net_q025"] = show(fmt, "money", q["net_q025"])
        out["net_q975"] = show(fmt, "money", q["net_q975"])
    inv = max(labels_of, key=lambda t: float(r["invests_pv"][t[0]]), default=None)
    sav = max(labels_of, key=lambda t: float(r["saves_pv"][t[0]]), default=None)
    if inv is not None and sav is not None and float(r["saves_pv"][sav[0]]) > 0:
        out["pocket"] = texts["case_pocket"].format(
            investor=inv[1], invest=show(fmt, "money", float(r["invests_pv"][inv[0]])), saver=sav[1],
            save=show(fmt, "money", float(r["saves_pv"][sav[0]])),
        )  # fmt: skip
    else:
        out["pocket"] = texts["case_pocket_none"]
    return out


def _view(inp: CaseInput, pos: int, fmt: Formatter, lang: str) -> InputView:
    scale = 100.0 if inp.unit in PERCENT_UNITS else 1.0
    return InputView(
        key=inp.key,
        index=pos,
        label=inp.label_in(lang),
        unit=inp.unit,
        unit_text=_unit_text(fmt, inp.unit),
        value=inp.value,
        low=inp.low * scale,
        high=inp.high * scale,
        step=inp.step * scale,
        editable=inp.editable,
        source=(inp.source_nl if lang == "nl" and inp.source_nl else inp.source),
        scale=scale,
    )
