"""The published results of one report as data: what next year's comparison reads back.

Only what the report itself publishes is kept: each key figure and each table cell as the report
shows it (a number, or the marker of a suppressed cell), with stable ids (column keys, domain
ids, key-figure ids) so that a comparison matches them across years and languages.  Nothing
here is computed from the families: a result file adds no information to the release.
"""

from __future__ import annotations

import hashlib
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import pandas as pd

__all__ = ["definition_sha256", "key_figure_id", "section_results"]

FORMAT = 1  # results.json format version


def definition_sha256(source: Any) -> str | None:
    """SHA-256 of an instrument or scenario definition file (``builtin:x`` = the shipped file)."""
    text = str(source)
    if text.startswith("builtin:"):
        name = text.removeprefix("builtin:")
        for package in ("impactkit.instruments", "impactkit.costs"):
            res = resources.files(package).joinpath(f"data/{name}.toml")
            if res.is_file():
                return hashlib.sha256(res.read_bytes()).hexdigest()
        return None
    p = Path(text)
    return hashlib.sha256(p.read_bytes()).hexdigest() if p.is_file() else None


@cache
def _label_keys(lang: str) -> dict[str, str]:
    """Report-catalogue text -> key, for key figures whose label is a plain catalogue text."""
    from impactkit.i18n import catalogue

    out: dict[str, str] = {}
    for key, value in catalogue(lang, "report").items():
        if key.startswith("kf_") and "{" not in value:
            out.setdefault(value, key)
    return out


def key_figure_id(kf: Any, lang: str) -> str:
    """A key figure's stable id: its catalogue key (``kf_families``: what earlier releases hold),
    else its own ``id`` (a label with placeholders), else its label."""
    key = _label_keys(lang).get(kf.label)
    if key:
        return key
    return str(getattr(kf, "id", "") or kf.label)


def _cell(v: Any) -> Any:
    if v is None or (isinstance(v, float) and pd.isna(v)):
        return None
    if isinstance(v, str):
        return v
    try:
        return float(v)
    except (TypeError, ValueError):
        return str(v)


def table_frame(table: Any) -> pd.DataFrame:
    """A report table as published, its columns renamed to their ids (an interval's two bounds
    keep their own ids): numbers, suppression markers ("<10", "x") or None."""
    frame, _ = table.excel_frame()
    ids: list[str] = []
    for col in table.columns:
        ids.extend(list(col.key) if isinstance(col.key, tuple) else [col.key])
    frame = frame.copy()
    if len(ids) == len(frame.columns):  # a table with a spreadsheet form of its own keeps its headers
        frame.columns = ids
    return frame


def section_results(sections: list[Any], *, lang: str, instrument: Any, labels: Any) -> dict[str, Any]:
    """Key figures and tables of one report as published (see the module docstring).

    ``labels`` gives the words for domain ids in ``lang`` (``impactkit.figures.Labels``): a row
    whose ``label`` is a domain's word gets that domain's id, so rows match across languages.
    """
    words = {labels.domain(d): d for d in instrument.domain_ids}
    kfs = []
    for sec in sections:
        for kf in sec.key_figures:
            kfs.append(
                {
                    "id": key_figure_id(kf, lang),
                    "section": sec.id,
                    "label": kf.label,
                    "text": kf.value,
                    "number": _cell(getattr(kf, "number", None)),
                    "kind": getattr(kf, "kind", "text"),
                }
            )
    tables: dict[str, Any] = {}
    for sec in sections:
        for t in sec.tables:
            frame = table_frame(t)
            if "label" in frame and "domain" not in frame:
                frame.insert(0, "domain", [words.get(str(w)) for w in frame["label"]])
            tables[t.id.removeprefix("tbl-")] = {
                "caption": t.caption,
                "columns": list(frame.columns),
                "rows": [[_cell(v) for v in row] for row in frame.itertuples(index=False)],
            }
    return {"key_figures": kfs, "tables": tables}


def identity(instrument: Any, scenario: Any, prices: pd.DataFrame | None = None) -> dict[str, Any]:
    """The instrument and cost scenario a release used: id, file name, SHA-256 and (scenario)
    every parameter's value and the SHA-256 of the local prices table that replaces its prices,
    so that next year can say what changed."""
    try:
        table = scenario.assumptions()
        values = {str(r.parameter): _cell(r.value) for r in table.itertuples(index=False)}
    except (AttributeError, TypeError, KeyError):  # pragma: no cover - a scenario without assumptions
        values = {}
    return {
        "instrument": {
            "id": instrument.id,
            "file": _name(instrument.source),
            "sha256": definition_sha256(instrument.source),
        },
        "scenario": {
            "id": scenario.id,
            "file": _name(scenario.source),
            "sha256": definition_sha256(scenario.source),
            "assumptions": values,
            "prices_sha256": (
                hashlib.sha256(prices.to_csv(index=False).encode("utf-8")).hexdigest()
                if prices is not None
                else None
            ),
        },
    }


def _name(source: Any) -> str:
    text = str(source)
    return Path(text).name if ("/" in text or "\\" in text) else text
