"""Shared steps of reading any table: header matching, personal-data and unknown-column checks,
and turning pandera's lazy failure cases into problems with the user's file, row and column."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np
import pandas as pd
import pandera.pandas as pa

from impactkit.io._cells import CellFailures
from impactkit.io._columns import match_columns, personal_data_kind
from impactkit.io._problems import Problems
from impactkit.io._source import RawTable

__all__ = ["check_headers", "report_cells", "run_pandera"]


def check_headers(
    raw: RawTable,
    targets: Mapping[str, Iterable[str]],
    problems: Problems,
    *,
    column_map: Mapping[str, str] | None,
    ignore_columns: Iterable[str],
    allow_personal_data: bool,
    expected: str,
) -> dict[str, str]:
    """Map headers to targets; report personal-data, unknown and clashing columns at row 1."""
    mapping, unmatched, clashes = match_columns(raw.frame.columns, targets, column_map=column_map)
    ignore = {str(c) for c in ignore_columns}
    for header in unmatched:
        kind = personal_data_kind(header)
        if kind and not allow_personal_data:
            problems.add(raw.file, 1, header, header, "personal_data", kind=kind)
        elif header not in ignore and not kind:
            problems.add(raw.file, 1, header, header, "unknown_column", expected=expected)
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
        problems.add_many(raw.file, raw.rows[where], column, values.to_numpy()[pos], code, **kw)


def run_pandera(
    staged: pd.DataFrame,
    schema: pa.DataFrameSchema,
) -> pd.DataFrame:
    """Validate ``staged`` lazily; return pandera's failure cases (empty when valid).

    ``staged`` must be indexed by position into the raw table so that ``index`` maps back to rows.
    """
    try:
        schema.validate(staged, lazy=True)
    except pa.errors.SchemaErrors as err:
        fc = err.failure_cases
        return fc[fc["index"].notna()].copy()
    return pd.DataFrame(
        columns=["schema_context", "column", "check", "check_number", "failure_case", "index"]
    )
