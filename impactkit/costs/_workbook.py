"""The live workbook of a business case: an input sheet and formula sheets that compute the model.

Every formula is written by :meth:`impactkit.costs._graph.Graph.formulas` from the case graph, the
model's one definition (:mod:`impactkit.costs._casemodel`); nothing is typed by hand.  Sheets:

* **Read me**: what the workbook is and how to use it;
* **Inputs**: one row per input (its label in the workbook's language, the value in a yellow,
  unlocked cell, unit, slider range and source); change a value and every result follows;
* **Model**: one row per step of the calculation, each a formula on the rows above it and on the
  inputs (Excel's "Trace precedents" shows the chain);
* **Results**: the headline, per payer, per budget year and break-even, as formulas on the model;
* **PSA**: the probabilistic sensitivity analysis at the report's inputs (values computed by
  impactkit: a spreadsheet cannot redraw 10,000 draws; the page can).

Verified by recalculating the workbook headless in LibreOffice and comparing every result with
Python (tests/costs/test_workbook.py).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from impactkit.costs._casemodel import CaseModel
from impactkit.costs._graph import Node
from impactkit.excel import Formula, Sheet, SheetTable, data_rows
from impactkit.i18n import note_text, text

__all__ = ["SHEETS", "live_sheets"]

SHEETS = ("readme", "inputs", "model", "results", "psa")
_UNIT_TYPE = {"money": "money_cents", "share": "share2", "rate": "share2", "count": "number", "fte": "number",
              "units": "number", "years": "number", "integer": "integer", "year": "year", "flag": "integer",
              "number": "number"}  # fmt: skip
_RESULT_TYPE = {"money": "money", "ratio": "ratio", "share": "share", "months": "months", "number": "number",
                "year": "year", "flag": "integer"}  # fmt: skip


def _t(lang: str, key: str, **values: Any) -> str:
    return text("report", key, lang, **values)


def sheet_names(lang: str) -> dict[str, str]:
    return {s: _t(lang, f"sheet.case_{s}") for s in SHEETS}


def _ref(sheet: str, col: str, row: int, absolute: bool = True) -> str:
    quoted = "'" + sheet.replace("'", "''") + "'"
    return f"{quoted}!${col}${row}" if absolute else f"{quoted}!{col}{row}"


def _results(cm: CaseModel, lang: str, labels: Any) -> list[tuple[str, str, str, Node]]:
    """(key, label, kind, node) of every result row."""
    s = cm.scenario
    rows: list[tuple[str, str, str, Node]] = []
    head = (("programme_cost", "kf_investment", "money"), ("gross_avoided_cost", "kf_avoided", "money"),
            ("net_benefit", "kf_net", "money"), ("benefit_cost_ratio", "kf_bcr", "ratio"),
            ("roi", "roi", "share"), ("payback_months", "kf_payback", "months"),
            ("break_even_share", "case_break_even_share", "share"),
            ("fiscal_net_benefit", "case_fiscal_net", "money"),
            ("net_benefit_undiscounted", "case_net_undiscounted", "money"))  # fmt: skip
    for key, label, kind in head:
        rows.append((key, _t(lang, label), kind, cm.outputs[key]))
    for y, pid in enumerate(cm.payers):
        nodes = [cm.outputs[k][y] for k in ("invests_pv", "saves_pv")]
        if all(n.is_const and n.value == 0.0 for n in nodes):
            continue
        name = labels.payer(pid, s.payers[y].label)
        for k, word in (("invests_pv", "invests"), ("saves_pv", "saves"), ("net_pv", "net")):
            rows.append((f"{k}.{y}", f"{name}: {_t(lang, word).lower()}", "money", cm.outputs[k][y]))
    for n in range(cm.n_years):
        year = cm.outputs["calendar_year"][n]
        rows.append((f"calendar_year.{n}", _t(lang, "case_xl_year", n=str(n + 1)), "year", year))
        rows.append(
            (
                f"year_active.{n}",
                _t(lang, "case_xl_active", n=str(n + 1)),
                "flag",
                cm.outputs["year_active"][n],
            )
        )
        for k, word in (("invested_total", "invests"), ("saved_total", "saves"), ("net_total", "net"),
                        ("cumulative_total", "cumulative")):  # fmt: skip
            rows.append((f"{k}.{n}", _t(lang, "case_xl_in_year", what=_t(lang, word), n=str(n + 1)), "money",
                         cm.outputs[k][n]))  # fmt: skip
    for p, pid in enumerate(cm.paths):
        name = labels.path(pid, s.paths[pid].label)
        for k, word, kind in (("expected_cases", "case_expected_cases", "number"), ("cost_per_case", "cost_per_case", "money"),
                              ("break_even_cases", "break_even_cases", "number")):  # fmt: skip
            rows.append((f"{k}.{p}", f"{name}: {_t(lang, word).lower()}", kind, cm.outputs[k][p]))
    return rows


def _step_labels(cm: CaseModel, order: list[Node], lang: str) -> list[str]:
    """A description per step in ``lang``: its own label (a catalogue note), else that of the first
    labelled step using it, in brackets."""
    users: dict[int, list[Node]] = {}
    for node in order:
        for a in node.args:
            users.setdefault(a.index, []).append(node)
    out = []
    for node in order:
        label: str | None = node.label
        seen, frontier = 0, [node]
        while label is None and frontier and seen < 6:
            nxt = [u for f in frontier for u in users.get(f.index, [])]
            label = next((u.label for u in nxt if u.label), None)
            frontier, seen = nxt, seen + 1
        if node.label:
            out.append(note_text(node.label, lang))
        else:
            out.append(f"({note_text(label, lang) if label else _t(lang, 'case_xl_step_part')})")
    return out


def live_sheets(ev: Any, lang: str = "en") -> list[Sheet]:
    """The live sheets of a business-case evaluation (see the module docstring)."""
    from impactkit.figures import Labels
    from impactkit.i18n import Formatter

    info = ev.case
    cm = info.model()
    names = sheet_names(lang)
    labels = Labels(Formatter(lang), info.instrument, cm.scenario)
    # --- inputs
    inputs = pd.DataFrame(
        {
            "key": [i.key for i in cm.inputs],
            "label": [i.label_in(lang) for i in cm.inputs],
            "value": [i.value for i in cm.inputs],
            "unit": [
                _t(lang, f"case_unit_{i.unit}") if i.unit not in ("year", "flag", "number") else ""
                for i in cm.inputs
            ],
            "low": [i.low for i in cm.inputs],
            "high": [i.high for i in cm.inputs],
            "source": [(i.source_nl if lang == "nl" and i.source_nl else i.source) for i in cm.inputs],
        }
    )
    kinds = [_UNIT_TYPE[i.unit] for i in cm.inputs]
    in_headers = {c: _t(lang, f"case_xl_{c}") for c in inputs.columns}
    in_table = SheetTable(inputs, types={"value": kinds, "low": kinds, "high": kinds, "key": "text"}, headers=in_headers,
                          title=_t(lang, "case_xl_inputs_title"), notes=[_t(lang, "case_xl_inputs_note")],
                          editable=[c for c in ("value",) if any(i.editable for i in cm.inputs)])  # fmt: skip
    in_sheet = Sheet(names["inputs"], [in_table])
    first_input = data_rows(in_sheet)[0]
    row_of_input = {i.key: first_input + r for r, i in enumerate(cm.inputs)}
    # --- model steps
    results = _results(cm, lang, labels)
    order = [n for n in cm.graph.needed(n for *_, n in results) if n.op not in ("const", "input")]
    model_title = _t(lang, "case_xl_model_title")
    probe = Sheet(names["model"], [SheetTable(pd.DataFrame({"a": [0] * len(order)}), title=model_title,
                                               notes=[_t(lang, "case_xl_model_note")])])  # fmt: skip
    first_step = data_rows(probe)[0]
    row_of_node = {n.index: first_step + r for r, n in enumerate(order)}
    formulas = dict(
        (node.index, f)
        for node, f in cm.graph.formulas(
            (n for *_, n in results),
            cell_of_input=lambda key: _ref(names["inputs"], "C", row_of_input[key]),
            cell_of_node=lambda node: f"B{row_of_node[node.index]}",
        )
    )
    steps = pd.DataFrame(
        {
            "step": _step_labels(cm, order, lang),
            "value": [Formula(formulas[n.index]) for n in order],
            "id": [f"n{n.index}" for n in order],
        }
    )
    model_sheet = Sheet(names["model"], [SheetTable(steps, types={"value": ["number"] * len(order), "id": "text"},
                                                    headers={"step": _t(lang, "case_xl_step"), "value": _t(lang, "case_xl_value"),
                                                             "id": "id"},
                                                    title=model_title, notes=[_t(lang, "case_xl_model_note")])])  # fmt: skip

    def cell(node: Node) -> Formula:
        if node.op == "const":
            v = float(node.value)  # type: ignore[arg-type]
            return Formula("=NA()") if np.isnan(v) else Formula(f"={v!r}")
        if node.op == "input":
            return Formula("=" + _ref(names["inputs"], "C", row_of_input[str(node.name)]))
        return Formula("=" + _ref(names["model"], "B", row_of_node[node.index]))

    res = pd.DataFrame({"key": [k for k, *_ in results], "label": [lab for _, lab, *_ in results],
                        "value": [cell(n) for *_, n in results]})  # fmt: skip
    res_table = SheetTable(res, types={"key": "text", "value": [_RESULT_TYPE[k] for _, _, k, _ in results]},
                           headers={"key": "key", "label": _t(lang, "case_xl_result"), "value": _t(lang, "case_xl_value")},
                           title=_t(lang, "case_xl_results_title"), notes=[_t(lang, "case_xl_results_note")])  # fmt: skip
    res_sheet = Sheet(names["results"], [res_table])
    # --- PSA (values) and read me
    psa_sheet = Sheet(names["psa"], _psa_tables(ev, lang))
    readme = Sheet(names["readme"], [], texts=[_t(lang, f"case_xl_readme_{i}", inputs=names["inputs"],
                                                  model=names["model"], results=names["results"], psa=names["psa"])
                                               for i in range(1, 6)])  # fmt: skip
    return [readme, in_sheet, model_sheet, res_sheet, psa_sheet]


def _psa_tables(ev: Any, lang: str) -> list[SheetTable]:
    if ev.psa is None:
        return [SheetTable(pd.DataFrame({_t(lang, "case_xl_psa_none"): []}))]
    h = ev.headline
    head = pd.DataFrame(
        {
            "what": [_t(lang, "kf_psaving"), _t(lang, "case_xl_p_bcr")],
            "value": [h["p_net_benefit_positive"], h["p_bcr_above_1"]],
        }
    )
    summary = pd.DataFrame(ev.psa)
    return [
        SheetTable(
            head,
            types={"value": "probability"},
            headers={"what": "", "value": _t(lang, "case_xl_value")},
            title=_t(lang, "case_xl_psa_title", draws=f"{int(ev.meta['draws']):,}"),
            notes=[_t(lang, "case_xl_psa_note")],
        ),
        SheetTable(summary, title=_t(lang, "case_xl_psa_summary")),
    ]
