"""The readable forms of a release manifest: a page per language to print and sign, and a workbook.

``manifest.json`` is the record; these two show the same content for people: what the release
holds (reports published and withheld with the reason), what it was made from (inputs with their
SHA-256, the period's rule and what it left out, options, versions) and the suppression audit a
privacy officer signs: every hidden population with its reason and the feasible range of its
count a reader of the whole release can derive, and every hidden cell of every report.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from impactkit.i18n import Formatter, text

__all__ = ["manifest_tables", "write_manifest_pages"]


def _t(lang: str, key: str, **values: Any) -> str:
    return text("run", key, lang, **values)


def _range(lo: Any, hi: Any) -> str:
    if lo is None and hi is None:
        return "–"
    return f"{'–' if lo is None else int(lo)} … {'∞' if hi is None else int(hi)}"


def _option(v: Any) -> str:
    """An option as the [run] section spells it (true, ["nl", "en"])."""
    import json

    return json.dumps(v, ensure_ascii=False)


def _grouped(cells: list[dict[str, Any]], lang: str) -> list[tuple[tuple[str, str], list[dict[str, Any]]]]:
    """Hidden cells by report and table, in the order they appear (captions in ``lang``)."""
    out: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for c in cells:
        out.setdefault((c["report"], _in(c, "caption", lang)), []).append(c)
    return list(out.items())


def _in(cell: dict[str, Any], what: str, lang: str) -> str:
    """A hidden cell's caption, row or column label in ``lang`` (the cell's own: its first language)."""
    return str(cell.get("words", {}).get(lang, {}).get(what, cell[what]))


def population_label(key: str, label: str, lang: str) -> str:
    """A hidden population of the audit named in ``lang`` from its key (``row:municipality:Ede``,
    ``row:programme:P/municipality:M``, ``municipality:Ede``); other keys keep their label."""
    parts = key.split("/")
    named = []
    for part in parts:
        bits = part.removeprefix("row:").split(":", 1)
        if len(bits) != 2 or bits[0] not in ("municipality", "programme"):
            return label
        value = _t(lang, "m_other") if bits[1] == "other" else bits[1]
        named.append(f"{_t(lang, f'm_scope.{bits[0]}')} {value}")
    what = " × ".join(named)
    return _t(lang, "m_pop_row", what=what) if key.startswith("row:") else _t(lang, "m_pop_report", what=what)


def manifest_tables(manifest: dict[str, Any], lang: str) -> dict[str, tuple[str, pd.DataFrame]]:
    """The manifest as titled tables (id -> (title, frame)) in ``lang``."""
    fmt = Formatter(lang)
    yes, no = _t(lang, "yes"), _t(lang, "no")
    per = manifest["period"]
    release = pd.DataFrame(
        [
            (_t(lang, "m_period"), per["definition"].get(lang, per["label"])),
            (
                _t(lang, "m_families"),
                _t(
                    lang,
                    "m_families_value",
                    counted=str(manifest["families"]["counted"]),
                    export=str(manifest["families"]["export"]),
                ),
            ),
            (_t(lang, "m_generated"), manifest["generated_at"]),
            ("impactkit", manifest["impactkit_version"]),
            (_t(lang, "m_k"), str(manifest["options"]["k"])),
            (
                _t(lang, "m_options"),
                ", ".join(f"{k} = {_option(v)}" for k, v in manifest["options"].items() if k != "period"),
            ),
            (
                _t(lang, "m_instrument"),
                f"{manifest['instrument']['id']} ({manifest['instrument']['file']}) "
                f"SHA-256 {manifest['instrument']['sha256']}",
            ),
            (
                _t(lang, "m_scenario"),
                f"{manifest['scenario']['id']} ({manifest['scenario']['file']}) "
                f"SHA-256 {manifest['scenario']['sha256']}",
            ),
            (_t(lang, "m_data"), manifest["data_sha256"]),
        ],
        columns=[_t(lang, "m_item"), _t(lang, "m_value")],
    )
    reports = pd.DataFrame(
        [
            (
                _t(lang, f"m_scope.{r['kind']}"),
                r["name"] or "–",
                "" if r["families"] is None else fmt.integer(r["families"]),
                yes if r["published"] else no,
                (r["reason_text"] or {}).get(lang, r["reason"] or ""),
            )
            for r in manifest["reports"]
        ],
        columns=[
            _t(lang, "m_kind"),
            _t(lang, "m_name"),
            _t(lang, "col_families"),
            _t(lang, "m_published"),
            _t(lang, "col_reason"),
        ],
    )
    excl = pd.DataFrame(
        [
            (
                _t(lang, f"period_table.{r['table']}"),
                _t(lang, f"period_reason.{r['reason']}"),
                _t(lang, f"period_action.{r['action']}"),
                r["detail"],
                r["rows"],
                r["families"] if r["table"] != "programme_costs" else "",
                "" if r["amount"] is None else fmt.currency(r["amount"]),
            )
            for r in manifest["exclusions"]
        ],
        columns=[
            _t(lang, "col_table"),
            _t(lang, "col_reason"),
            _t(lang, "col_action"),
            _t(lang, "col_detail"),
            _t(lang, "col_rows"),
            _t(lang, "col_families"),
            _t(lang, "col_amount"),
        ],
    )
    sup = manifest["suppression"]
    pops = pd.DataFrame(
        [
            (
                population_label(p["key"], p["label"], lang),
                _t(lang, f"m_status.{p['status']}"),
                # in the page's language (the audit's own reason is English, kept in manifest.json)
                _t(lang, "m_reason.fewer_than_k", k=sup["k"], what="")
                if p["status"] == "primary"
                else _t(
                    lang, f"m_reason.{'withheld' if p['status'] == 'withheld' else 'secondary'}", k=sup["k"]
                ),
                _range(p["n_low"], p["n_high"]),
                yes if p["protected"] else no,
            )
            for p in sup["populations"]
        ],
        columns=[
            _t(lang, "m_population"),
            _t(lang, "m_status"),
            _t(lang, "col_reason"),
            _t(lang, "m_range"),
            _t(lang, "m_protected"),
        ],
    )
    by_table = pd.DataFrame(
        [
            (
                report,
                caption,
                sum(c["status"] == "primary" for c in group),
                sum(c["status"] == "secondary" for c in group),
            )
            for (report, caption), group in _grouped(sup["hidden_cells"], lang)
        ],
        columns=[
            _t(lang, "m_report"),
            _t(lang, "col_table"),
            _t(lang, "m_n_primary"),
            _t(lang, "m_n_secondary"),
        ],
    )
    cells = pd.DataFrame(
        [
            (
                c["report"],
                _in(c, "caption", lang),
                _in(c, "row_label", lang),
                _in(c, "column_label", lang),
                c["marker"],
                _t(lang, f"m_status.{c['status']}"),
            )
            for c in sup["hidden_cells"]
        ],
        columns=[
            _t(lang, "m_report"),
            _t(lang, "col_table"),
            _t(lang, "m_row"),
            _t(lang, "m_column"),
            _t(lang, "m_marker"),
            _t(lang, "m_status"),
        ],
    )
    inputs = pd.DataFrame(
        [(i["name"], i["file"], i["sha256"], fmt.integer(i["bytes"])) for i in manifest["inputs"]],
        columns=[_t(lang, "m_name"), _t(lang, "m_file"), "SHA-256", _t(lang, "m_bytes")],
    )
    outputs = pd.DataFrame(
        [
            (o["file"], o["format"], o["lang"], o["sha256"], fmt.integer(o["bytes"]))
            for o in manifest["outputs"]
        ],
        columns=[
            _t(lang, "m_file"),
            _t(lang, "m_format"),
            _t(lang, "m_lang"),
            "SHA-256",
            _t(lang, "m_bytes"),
        ],
    )
    out = {
        "release": (_t(lang, "m_sec_release"), release),
        "reports": (_t(lang, "m_sec_reports"), reports),
        "period": (_t(lang, "tbl_period"), excl),
        "populations": (_t(lang, "m_sec_populations"), pops),
        "cells_by_table": (_t(lang, "m_sec_cells_by_table"), by_table),
        "cells": (_t(lang, "m_sec_cells"), cells),
        "inputs": (_t(lang, "m_sec_inputs"), inputs),
        "outputs": (_t(lang, "m_sec_outputs"), outputs),
    }
    comp = manifest.get("comparison")
    if comp:
        out["comparison"] = (
            _t(lang, "m_sec_comparison"),
            pd.DataFrame(
                [
                    (
                        _t(lang, "m_previous"),
                        f"{comp['label']} ({comp['previous']}, manifest SHA-256 {comp['manifest_sha256']})",
                    ),
                    (_t(lang, "m_same_instrument"), yes if comp["same_instrument"] else no),
                    (_t(lang, "m_same_scenario"), yes if comp["same_scenario"] else no),
                    (_t(lang, "m_same_rule"), yes if comp["same_rule"] else no),
                ],
                columns=[_t(lang, "m_item"), _t(lang, "m_value")],
            ),
        )
    return out


def write_manifest_pages(manifest: dict[str, Any], folder: Path, langs: tuple[str, ...]) -> list[Path]:
    """``manifest-<lang>.html`` for each language and ``manifest.xlsx`` (first language)."""
    from impactkit._write import atomic_write
    from impactkit.excel import Sheet, SheetTable, write_workbook
    from impactkit.report._html import render

    written = []
    for lang in langs:
        tables = manifest_tables(manifest, lang)
        sup = manifest["suppression"]
        context = {
            "lang": lang,
            "title": _t(lang, "m_title", label=manifest["period"]["label"]),
            "subtitle": manifest["period"]["definition"].get(lang, ""),
            "tables": [
                (key, title, frame.columns.tolist(), frame.astype(str).values.tolist())
                for key, (title, frame) in tables.items()
                if key != "cells"  # cell by cell: in manifest.xlsx and manifest.json (the page sums them up)
            ],
            "audit_text": _t(
                lang,
                "m_audit",
                k=str(sup["k"]),
                n_pop=str(len(sup["populations"])),
                n_cells=str(len(sup["hidden_cells"])),
            ),
            "audit_ok": _t(lang, "m_audit_ok")
            if sup["audit_ok"]
            else _t(lang, "m_audit_exposed", what="; ".join(sup["exposed"])),
            "sign": [_t(lang, "m_sign_name"), _t(lang, "m_sign_date"), _t(lang, "m_sign_signature")],
            "sign_title": _t(lang, "m_sign_title"),
            "sign_text": _t(lang, "m_sign_text"),
            "note": _t(lang, "m_note"),
        }
        written.append(atomic_write(folder / f"manifest-{lang}.html", render("manifest.html.j2", context)))
    lang = langs[0]
    sheets = [
        Sheet(key[:31], [SheetTable(frame, title=title)])
        for key, (title, frame) in manifest_tables(manifest, lang).items()
    ]
    written.append(Path(write_workbook(sheets, folder / "manifest.xlsx")))  # type: ignore[arg-type]
    return written
