"""Shared steps of reading any table: header matching, personal-data and unknown-column checks,
and turning pandera's lazy failure cases into problems with the user's file, row and column."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pandera.pandas as pa

from impactkit.errors import option
from impactkit.io._cells import DATE_RANGE, CellFailures
from impactkit.io._columns import match_columns, personal_data_kind, personal_kind_text
from impactkit.io._messages import message
from impactkit.io._problems import Problems
from impactkit.io._source import RawTable, Unreadable, read_raw

__all__ = ["check_headers", "open_raw", "report_cells", "run_pandera"]


def open_raw(
    source: str | Path | pd.DataFrame | RawTable,
    problems: Problems,
    *,
    sheet: str | int | None = None,
    decimal: str | None = None,
    encoding: str | None = None,
) -> RawTable | None:
    """Read ``source``; an unreadable file becomes one problem (and None), damaged rows problems each."""
    if isinstance(source, RawTable):
        raw = source
    else:
        try:
            raw = read_raw(source, sheet=sheet, decimal=decimal, encoding=encoding)
        except Unreadable as err:
            name = str(source) if isinstance(source, str | Path) else "<DataFrame>"
            problems.add(name, err.row, err.column, err.value, err.code, **err.kwargs)
            return None
    for code, kw in raw.notes:
        problems.note(raw.file, code, **kw)
    for issue in raw.issues:
        problems.add(raw.file, issue.row, issue.column, issue.value, issue.code, **issue.kwargs)
    return raw


def check_headers(
    raw: RawTable,
    targets: Mapping[str, Iterable[str]],
    problems: Problems,
    *,
    column_map: Mapping[str, str] | None,
    ignore_columns: Iterable[str],
    allow_personal_data: bool,
    expected: str,
    required: Mapping[str, str] | None = None,
    table: str = "",
) -> dict[str, str]:
    """Map headers to targets; report personal-data, unknown and clashing columns at row 1.

    ``required`` (impactkit name → the headers expected, for the message): a required column that
    is missing while a header is unknown is most likely that header, so the unknown header is one
    problem that names the missing column, not two problems; without unknown headers the missing
    column is reported on its own.
    """
    mapping, unmatched, clashes = match_columns(raw.frame.columns, targets, column_map=column_map)
    ignore = {str(c) for c in ignore_columns}
    missing = [t for t in (required or {}) if t not in mapping.values()]
    unknown = []
    for header in unmatched:
        kind = personal_data_kind(header)
        if kind and not allow_personal_data:
            problems.add(
                raw.file,
                1,
                header,
                header,
                "personal_data",
                kind=personal_kind_text(kind, problems.lang),
                option=option("allow_personal_data", True),
            )
        elif header not in ignore and not kind:
            unknown.append(header)
    for header in unknown:
        if missing:
            problems.add(
                raw.file, 1, header, header, "unknown_column_required",
                missing=" / ".join(missing), target=missing[0], header=header, table=table or "assessments",
            )  # fmt: skip
        else:
            problems.add(
                raw.file, 1, header, header, "unknown_column", expected=expected,
                option=option("ignore_columns", header),
            )  # fmt: skip
    if not unknown:
        for t in missing:
            problems.add(raw.file, 1, t, "", "missing_column", expected=(required or {})[t])
    for header, target in clashes:
        problems.add(raw.file, 1, header, header, "duplicate_column", target=target)
    return mapping


def report_cells(
    raw: RawTable,
    problems: Problems,
    fails: CellFailures,
    column: str,
    values: pd.Series,
    *,
    positions: np.ndarray | None = None,
    **kw: Any,
) -> None:
    """Report parse failures of one column; ``positions`` maps parsed positions to raw rows."""
    for pos, code in fails:
        where = pos if positions is None else positions[pos]
        cells = values.to_numpy()[pos]
        if code == "ambiguous_number":  # name both readings of each cell
            msgs = [message(code, problems.lang, **_readings(str(v), problems.lang)) for v in cells]
            problems.add_many(raw.file, raw.rows[where], column, cells, code, messages=msgs)
            continue
        extra = {"low": DATE_RANGE[0], "high": DATE_RANGE[1]} if code == "date_out_of_range" else {}
        problems.add_many(raw.file, raw.rows[where], column, cells, code, **kw, **extra)


def _readings(text: str, lang: str) -> dict[str, str]:
    """The two numbers "1.500" can mean: a decimal (1.5) and a thousands grouping (1500)."""
    body = text.strip()
    sign = "-" if body.startswith("-") else ""
    head, _, tail = body.lstrip("+-").replace(",", ".").partition(".")
    small = f"{sign}{head}.{tail.rstrip('0') or '0'}"
    return {"a": small.replace(".", ",") if lang == "nl" else small, "b": f"{sign}{head}{tail}"}


def run_pandera(
    staged: pd.DataFrame,
    schema: pa.DataFrameSchema,
) -> pd.DataFrame:
    """Validate ``staged`` lazily; return pandera's failure cases (empty when valid).

    ``staged`` must be indexed by position into the raw table so that ``index`` maps back to rows.
    """
    try:
        schema.validate(staged, lazy=True, inplace=True)  # checks only (no coercion): no copy of the frame
    except pa.errors.SchemaErrors as err:
        fc = err.failure_cases
        return fc[fc["index"].notna()].copy()
    return pd.DataFrame(
        columns=["schema_context", "column", "check", "check_number", "failure_case", "index"]
    )
