"""The result of :func:`evaluate` and :func:`business_case`: tables, headline, text and HTML.

Presentation only: every number here was computed in ``_evaluate``; figures are built lazily by
:mod:`impactkit.figures._costs` from the tables.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from html import escape
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from impactkit._result import ResultFrame
from impactkit._summary import Summary
from impactkit.costs._scenario import Scenario

__all__ = ["CostEvaluation", "CostTable"]

HEADLINE_KEYS = (
    "programme_cost",
    "gross_avoided_cost",
    "net_benefit",
    "benefit_cost_ratio",
    "roi",
    "npv",
    "net_benefit_undiscounted",
    "payback_months",
    "break_even_share",
    "attributed_share",
    "fiscal_net_benefit",
    "p_net_benefit_positive",
    "p_bcr_above_1",
)


class CostTable(ResultFrame):
    """One table of a cost evaluation; ``figure()`` draws the matching chart."""

    _title = "impactkit cost table"

    def figure(self, **kwargs: Any) -> Any:
        from impactkit.figures import _costs

        kind = self.meta.get("table")
        draws: dict[str, Callable[..., Any]] = {
            "by_payer": _costs.costs_by_payer,
            "by_year": _costs.costs_by_year,
            "tornado": _costs.costs_tornado,
            "acceptability": _costs.costs_acceptability,
            "psa_draws": _costs.costs_psa_histogram,
        }
        draw = draws.get(str(kind))
        if draw is None:
            raise NotImplementedError(f"the {kind} table has no figure")
        return draw(self, **kwargs)


def _required(frame: pd.DataFrame, name: str, title: str, notes: list[str]) -> CostTable:
    out = CostTable(frame, meta={"table": name, "notes": notes})
    object.__setattr__(out, "_title", title)
    return out


def _table(frame: pd.DataFrame | None, name: str, title: str, notes: list[str]) -> CostTable | None:
    return None if frame is None else _required(frame, name, title, notes)


def _clean(value: Any) -> Any:
    """JSON-safe scalars: NaN → None, numpy scalars → Python."""
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if value is pd.NA or value is pd.NaT:
        return None
    return value


def _records(frame: pd.DataFrame | None) -> list[dict[str, Any]] | None:
    if frame is None:
        return None
    return [{str(k): _clean(v) for k, v in row.items()} for row in frame.to_dict(orient="records")]


class CostEvaluation:
    """Avoided cost versus programme cost, per payer and per year, with uncertainty.

    Attributes
    ----------
    headline : dict
        ``programme_cost, gross_avoided_cost, net_benefit, benefit_cost_ratio, roi, npv,
        net_benefit_undiscounted, payback_months, break_even_share, attributed_share,
        fiscal_net_benefit, p_net_benefit_positive, p_bcr_above_1`` (money: present value,
        report-year euros; ``fiscal_net_benefit`` counts only payers marked fiscal, so neither
        families nor volunteers' time).
    by_payer, by_year, by_path, psa, psa_draws, acceptability, tornado, scenarios : CostTable
    by_basis : CostTable
        Avoided cost per care path and basis of need (``recorded``, ``rule``, ``prevalence``; care
        used by families whose path counts no need under ``no rule matched`` / ``not declared``).
    assumptions : CostTable
        Every parameter that drove this result (used-only), labelled in English and Dutch, in the
        tornado's order; see :func:`impactkit.costs._assumptions.assumptions_table`.
    spread : CostTable or None
        Share of the PSA variance of the net benefit per source (first-order and total Sobol
        indices); None without a PSA.
    per_family : pandas.DataFrame
        Internal only (never for reports): likelihood, basis, rule and source per family × path.
    scenario : Scenario
    meta : dict
        kind, scenario id and source, report year, horizon, draws, seed, families,
        ``programme_cost_origin`` ("scenario" or "programme_costs table"), bootstrap and
        judgement_strength.
    notes : list of str
    """

    def __init__(
        self,
        *,
        scenario: Scenario,
        headline: dict[str, Any],
        by_payer: pd.DataFrame,
        by_year: pd.DataFrame,
        by_path: pd.DataFrame,
        per_family: pd.DataFrame,
        psa: pd.DataFrame | None,
        psa_draws: pd.DataFrame | None,
        acceptability: pd.DataFrame | None,
        tornado: pd.DataFrame,
        scenarios: pd.DataFrame,
        meta: dict[str, Any],
        notes: list[str],
        by_basis: pd.DataFrame | None = None,
        assumptions: pd.DataFrame | None = None,
        spread: pd.DataFrame | None = None,
    ) -> None:
        self.scenario = scenario
        self.headline = headline
        self.meta = meta
        self.notes = notes
        self.case: Any = (
            None  # a business case: its definition and PSA draws (impactkit.costs._case.CaseInfo)
        )
        self.by_payer = _required(by_payer, "by_payer", "Invests and saves per payer (present value)", notes)
        self.by_year = _required(by_year, "by_year", "Budget per payer and year (undiscounted)", notes)
        self.by_path = _required(by_path, "by_path", "Avoided cost per care path (present value)", notes)
        self.per_family = per_family
        self.psa = _table(psa, "psa", f"Probabilistic sensitivity analysis ({meta['draws']} draws)", notes)
        self.psa_draws = _table(psa_draws, "psa_draws", "PSA draws", notes)
        self.acceptability = _table(acceptability, "acceptability", "P(saving) against deadweight", notes)
        self.tornado = _required(tornado, "tornado", "One-way sensitivity of the net benefit", notes)
        self.scenarios = _required(scenarios, "scenarios", "Named scenarios", notes)
        self.by_basis = _required(
            by_basis if by_basis is not None else pd.DataFrame(),
            "by_basis",
            "Avoided cost by basis of need",
            notes,
        )
        self.assumptions = _required(
            assumptions if assumptions is not None else scenario.assumptions(),
            "assumptions",
            "Assumptions that drove this result (tornado order)",
            notes,
        )
        self.spread = _table(
            spread, "spread", "Where the spread comes from (share of the PSA variance)", notes
        )

    # ------------------------------------------------------------------ business case: inputs and what-if
    @property
    def inputs(self) -> pd.DataFrame:
        """The inputs of a business case: ``key, label_en, label_nl, group, unit, value, low, high,
        step, kind, editable, source`` (what the page's form and the workbook's input sheet show)."""
        info = self._case("inputs")
        frame = pd.DataFrame([vars(i) for i in info.model().inputs])
        return frame.drop(columns=["source_nl"])

    def what_if(self, **values: float) -> Any:
        """The business case with some inputs changed, as the page and the workbook compute it.

        Keywords are input keys with dots as double underscores or given as a dict:
        ``bc.what_if(**{"adjustments.deadweight": 0.4, "case.families_per_year": 60})``.
        Returns a ``WhatIf`` (``headline``, ``by_payer``, ``by_year``, ``by_path`` and ``psa``:
        P(net benefit > 0), P(BCR > 1) and the 95% interval on the evaluation's own PSA draws,
        each draw moved with its input).

        >>> import impactkit as ik
        >>> bc = ik.costs.business_case(families_per_year=40, years=2, draws=500, seed=1)
        >>> w = bc.what_if(**{"case.families_per_year": 40})
        >>> round(w.headline["net_benefit"]) == round(bc.headline["net_benefit"])
        True
        """
        from impactkit.costs._case import what_if

        info = self._case("what_if")
        return what_if(info, {k.replace("__", "."): v for k, v in values.items()})

    def _case(self, what: str) -> Any:
        if self.case is None:
            from impactkit.errors import DesignError

            raise DesignError(
                f"CostEvaluation.{what} exists for a business case only (ik.costs.business_case); this is an "
                "evaluation of the families in the data."
            )
        return self.case

    def figure(self, kind: str = "waterfall", **kwargs: Any) -> Any:
        """A plotly figure: waterfall, by_payer, by_year, psa, tornado or acceptability.

        Keyword arguments go to the figure function in :mod:`impactkit.figures` (``lang="nl"``,
        ``title=""``, ``by="payer"`` for the budget by year, ...).
        """
        from impactkit.errors import check_choice
        from impactkit.figures import _costs

        kinds = ("waterfall", "by_payer", "by_year", "psa", "tornado", "acceptability")
        check_choice("kind", "CostEvaluation.figure", kind, kinds)
        if kind == "waterfall":
            return _costs.costs_waterfall(
                self.by_path,
                programme_cost=self.headline["programme_cost"],
                net_benefit=self.headline["net_benefit"],
                scenario=self.scenario,
                **kwargs,
            )
        if kind == "tornado":
            return _costs.costs_tornado(
                self.tornado, base=self.headline["net_benefit"], scenario=self.scenario, **kwargs
            )
        if kind == "psa":
            if self.psa_draws is None:
                raise NotImplementedError("no PSA was run (draws=0)")
            return _costs.costs_psa_histogram(self.psa_draws, **kwargs)
        if kind == "by_year" and "label" in self.by_payer.columns and "label" not in self.by_year.columns:
            labels = self.by_payer[["payer", "label"]]
            table = self.by_year.merge(labels, on="payer", how="left")
            return _costs.costs_by_year(table, **kwargs)
        table = getattr(self, kind)
        if table is None:
            raise NotImplementedError(f"no {kind} table (draws=0)")
        return table.figure(**kwargs)

    def to_dict(self) -> dict[str, Any]:
        """Everything but the per-family table, JSON-safe (NaN → None); same seed, same dict."""
        by_payer = self.by_payer
        return {
            **{k: _clean(self.headline[k]) for k in HEADLINE_KEYS},
            "by_payer": _records(by_payer[["payer", "label", "fiscal", "invests", "saves", "net"]]),
            "by_year": _records(self.by_year),
            "by_path": _records(self.by_path),
            "by_basis": _records(self.by_basis),
            "assumptions": _records(self.assumptions),
            "psa": _records(self.psa),
            "spread": _records(self.spread),
            "acceptability": _records(self.acceptability),
            "tornado": _records(self.tornado),
            "scenarios": _records(self.scenarios),
            "meta": {k: _clean(v) for k, v in self.meta.items()},
            "notes": list(self.notes),
        }

    def to_excel(self, path: str | Path, *, lang: str = "en") -> Path:
        """Write the tables a municipality works with to an Excel workbook, one sheet per table.

        A business case starts with its live model (``Read me``, ``Inputs``, ``Model``,
        ``Results``, ``PSA at report values``; in ``lang``): change an input cell and every result
        follows, through formulas written from the model's one definition.

        Sheets: ``headline``, ``by_payer``, ``by_year``, ``by_path``, ``by_basis``, ``psa``,
        ``spread``, ``acceptability``, ``tornado``, ``scenarios``, ``assumptions`` (every parameter
        that drove the result, with its source) and ``notes``.
        Numbers stay numbers (euro amounts formatted ``#,##0``); the per-family table is never written.

        Examples
        --------
        >>> import tempfile, pathlib, openpyxl
        >>> import impactkit as ik
        >>> bc = ik.costs.business_case(families_per_year=40, years=2, draws=200, seed=1)
        >>> out = bc.to_excel(pathlib.Path(tempfile.mkdtemp()) / "business_case.xlsx")
        >>> openpyxl.load_workbook(out).sheetnames[:6]
        ['Read me', 'Inputs', 'Model', 'Results', 'PSA at report values', 'headline']
        """
        from impactkit.excel import COLUMN_TYPES, Sheet, SheetTable, write_workbook

        path = Path(path)
        headline = pd.DataFrame(
            {"measure": list(HEADLINE_KEYS), "value": [_clean(self.headline[k]) for k in HEADLINE_KEYS]}
        )
        tables: dict[str, pd.DataFrame | None] = {
            "headline": headline,
            "by_payer": self.by_payer,
            "by_year": self.by_year,
            "by_path": self.by_path,
            "by_basis": self.by_basis,
            "psa": self.psa,
            "spread": self.spread,
            "acceptability": self.acceptability,
            "tornado": self.tornado,
            "scenarios": self.scenarios,
            "assumptions": self.assumptions,
            "notes": pd.DataFrame({"note": list(self.notes)}),
        }
        sheets = []
        for name, frame in tables.items():
            if frame is None:
                continue
            plain = pd.DataFrame(frame)
            types: dict[str, str | list[str]] = {}
            if name == "headline":  # one quantity per row: each row its own type
                types["value"] = [COLUMN_TYPES.get(k, "number") for k in HEADLINE_KEYS]
            if name == "psa":  # money quantities and the benefit-cost ratio share the columns
                row_types = [COLUMN_TYPES.get(str(q), "number") for q in plain["quantity"]]
                types |= {c: row_types for c in plain.columns if c not in ("quantity", "p_favourable")}
            sheets.append(Sheet(name, [SheetTable(plain, types=types)]))
        if self.case is not None:  # a business case: its live model first
            from impactkit.costs._workbook import live_sheets
            from impactkit.i18n import check_lang

            check_lang(lang, "CostEvaluation.to_excel")
            sheets = [*live_sheets(self, lang), *sheets]
        write_workbook(sheets, path, title=f"impactkit cost evaluation ({self.scenario.id})")
        return path

    def summary(self) -> Summary:
        """Headline, per-payer table and notes (prints as text, renders as HTML)."""
        h = self.headline
        lines = [
            f"Cost evaluation ({self.meta['kind']}, scenario {self.scenario.id!r}, "
            f"{self.scenario.report_year} euros)",
            f"  programme cost (PV)       {h['programme_cost']:>14,.0f}",
            f"  gross avoided cost (PV)   {h['gross_avoided_cost']:>14,.0f}",
            f"  net benefit (PV)          {h['net_benefit']:>14,.0f}",
            f"  benefit-cost ratio        {h['benefit_cost_ratio']:>14.2f}",
            f"  payback (months)          {_months(h['payback_months']):>14}",
            f"  break-even share avoided  {h['break_even_share']:>14.1%}",
        ]
        if not math.isnan(h["p_net_benefit_positive"]):
            lines.append(f"  P(net benefit > 0)        {h['p_net_benefit_positive']:>14.1%}")
        if self.psa is not None:
            net = self.psa.set_index("quantity").loc["net_benefit"]
            lines.append(f"  net benefit 95% interval  {net['q025']:>14,.0f} to {net['q975']:,.0f}")
        table = pd.DataFrame(self.by_payer)[["label", "invests", "saves", "net"]].to_string(
            index=False, float_format=lambda x: f"{x:,.0f}"
        )
        parts = [*lines[1:], "", table]
        if self.spread is not None and len(self.spread):
            sp = pd.DataFrame(self.spread)
            parts += ["", "Where the spread comes from (share of the PSA variance of the net benefit)"]
            for label, first, total in zip(sp["label_en"], sp["first_order"], sp["total_order"], strict=True):
                parts.append(
                    f"  {label!s:<62} {_share(first):>6} alone, {_share(total):>6} with interactions"
                )
        return Summary(lines[0], None, self.notes, body="\n".join(parts))

    def __repr__(self) -> str:
        return str(self.summary())

    def _repr_html_(self) -> str:
        h = self.headline
        cells = "".join(
            f"<tr><th style='text-align:left'>{escape(k)}</th><td>{_fmt(h[k])}</td></tr>"
            for k in HEADLINE_KEYS
        )
        payers = self.by_payer._repr_html_()
        notes = "".join(f"<li>{escape(n)}</li>" for n in self.notes)
        return (
            f"<div class='impactkit-costs'><p><strong>Cost evaluation</strong> "
            f"({escape(str(self.meta['kind']))}, scenario {escape(self.scenario.id)})</p>"
            f"<table>{cells}</table>{payers}<ul style='font-size:smaller'>{notes}</ul></div>"
        )


def _share(v: Any) -> str:
    return "–" if v is None or not math.isfinite(float(v)) else f"{float(v):.0%}"


def _months(v: float) -> str:
    return "not reached" if math.isnan(v) else f"{v:.1f}"


def _fmt(v: Any) -> str:
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return "–"
    return f"{v:,.4g}" if abs(v) < 100 else f"{v:,.0f}"
