"""Checks across the columns of each row (e.g. "a date, or a period"), run by pandera.

pandera evaluates every check on the parsed frame at once (lazy validation); each failing row is
reported once, in the user's file, row and column, with a stable problem code.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pandera.pandas as pa

from impactkit.io._problems import Problems
from impactkit.io._source import RawTable
from impactkit.io._staging import run_pandera

__all__ = ["RowCheck", "run_row_checks"]


@dataclass(frozen=True)
class RowCheck:
    """A check across the columns of each row, run by pandera; failing rows get problem ``code``.

    ``test`` returns True for valid rows of the parsed frame (absent columns are all missing);
    ``column`` is the column the problem is reported in.  The check applies when at least one of
    ``needs`` is in the file; when none is and the check is ``required``, one ``missing_column``
    problem is reported instead of one per row.
    """

    name: str
    test: Callable[[pd.DataFrame], pd.Series]
    code: str
    column: str
    needs: tuple[str, ...]
    expected: Mapping[str, str] = field(default_factory=dict)  # lang -> text for {expected}
    required: bool = False


def run_row_checks(
    row_checks: tuple[RowCheck, ...],
    frame: pd.DataFrame,
    raw: RawTable,
    problems: Problems,
    by_target: Mapping[str, str],
    lang: str,
) -> None:
    """Run cross-column checks through pandera; report every failing row of every check.

    A row whose cell in one of the check's columns could not be parsed is reported for that cell
    already, so the check skips it (no follow-on problem).
    """
    checks = []
    for c in row_checks:
        if any(n in by_target for n in c.needs):
            checks.append(c)
        elif c.required:
            problems.add(raw.file, 1, c.column, "", "missing_column", expected=c.expected.get(lang, ""))
    if not checks:
        return
    schema = pa.DataFrameSchema(checks=[pa.Check(c.test, name=c.name) for c in checks])
    failures = run_pandera(frame, schema)
    if failures.empty:
        return
    unparsed = {
        name: (raw.frame[header].notna() & frame[name].isna()).to_numpy()
        for name, header in by_target.items()
        if name in frame
    }
    for c in checks:
        pos = np.unique(failures.loc[failures["check"].astype(str) == c.name, "index"].astype("int64"))
        for name in (*c.needs, c.column):
            if name in unparsed:
                pos = pos[~unparsed[name][pos]]
        if not pos.size:
            continue
        header = by_target.get(c.column, c.column)
        values = raw.frame[header].to_numpy()[pos] if header in raw.frame else [""] * len(pos)
        problems.add_many(raw.file, raw.rows[pos], header, values, c.code, expected=c.expected.get(lang, ""))
