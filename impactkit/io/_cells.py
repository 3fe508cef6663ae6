"""Vectorised parsing of raw text cells into typed values, recording every cell that fails.

Each parser returns the parsed values and a :class:`CellFailures` (positions, codes) so the caller
can report file, row and column; a failing cell never hides another one in the same column.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

__all__ = ["CellFailures", "parse_date", "parse_number"]

ISO = r"^\d{4}-\d{1,2}-\d{1,2}$"
DMY = r"^\d{1,2}[-/.]\d{1,2}[-/.]\d{4}$"
NUMBER = r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?"


@dataclass
class CellFailures:
    """Positions (into the parsed column) that failed, with one problem code per position."""

    positions: list[np.ndarray] = field(default_factory=list)
    codes: list[str] = field(default_factory=list)

    def add(self, mask: np.ndarray, code: str) -> None:
        idx = np.flatnonzero(mask)
        if idx.size:
            self.positions.append(idx)
            self.codes.append(code)

    def __iter__(self) -> Iterator[tuple[np.ndarray, str]]:
        return iter(zip(self.positions, self.codes, strict=True))


def parse_number(
    raw: pd.Series,
    *,
    integer: bool = False,
    low: float | None = None,
    high: float | None = None,
    check_range: bool = True,
) -> tuple[np.ndarray, CellFailures]:
    """Parse numbers written with a decimal point or a decimal comma ("4,5").

    Empty cells become NaN without a failure. Codes: ``not_a_number``, ``not_integer``,
    ``out_of_range`` (only when ``check_range``). Failed cells become NaN.
    """
    fails = CellFailures()
    s = (
        raw
        if raw.dtype == "string[pyarrow]"
        else raw.astype(object).where(raw.notna(), None).astype("string[pyarrow]")
    )
    present = s.notna().to_numpy()
    values = np.full(len(s), np.nan)
    if present.any():
        # a decimal comma ("4,5") is a decimal, never a thousands separator, in score data
        text = s.str.replace(",", ".", regex=False)
        ok = text.str.fullmatch(NUMBER).fillna(False).to_numpy(dtype=bool)
        if ok.any():
            values[ok] = text[ok].astype("float64").to_numpy()
    nan = np.isnan(values)
    fails.add(present & nan, "not_a_number")
    finite = ~nan
    if integer:
        bad = finite & (values != np.round(values))
        fails.add(bad, "not_integer")
        values[bad] = np.nan
        finite &= ~bad
    if check_range and (low is not None or high is not None):
        bad = finite & (
            ((values < low) if low is not None else False) | ((values > high) if high is not None else False)
        )
        fails.add(bad, "out_of_range")
        values[bad] = np.nan
    values[present & nan] = np.nan
    return values, fails


def parse_date(
    raw: pd.Series, *, required: bool = True, today: pd.Timestamp | None = None
) -> tuple[np.ndarray, CellFailures]:
    """Parse ISO (2024-03-01) or Dutch (01-03-2024, 1/3/2024, 01.03.2024) dates.

    Codes: ``missing_date`` (when ``required``), ``bad_date`` (unrecognised), ``impossible_date``
    ("31-02-2024"), ``future_date`` (after ``today``). Failed cells become NaT.
    """
    fails = CellFailures()
    s = raw.astype(object)
    out = np.full(len(s), np.datetime64("NaT"), dtype="datetime64[ns]")
    present = s.notna().to_numpy()
    if required:
        fails.add(~present, "missing_date")
    if present.any():
        text = s[present].astype(str).str.replace(r"[ T]00:00(:00)?$", "", regex=True)
        iso = text.str.match(ISO).to_numpy()
        dmy = text.str.match(DMY).to_numpy()
        parsed = np.full(len(text), np.datetime64("NaT"), dtype="datetime64[ns]")
        if iso.any():
            parsed[iso] = pd.to_datetime(text[iso], format="%Y-%m-%d", errors="coerce").to_numpy()
        if dmy.any():
            norm = text[dmy].str.replace(r"[/.]", "-", regex=True)
            parsed[dmy] = pd.to_datetime(norm, format="%d-%m-%Y", errors="coerce").to_numpy()
        pos = np.flatnonzero(present)
        nat = np.isnat(parsed)
        bad = np.zeros(len(s), bool)
        bad[pos[~(iso | dmy)]] = True
        fails.add(bad, "bad_date")
        impossible = np.zeros(len(s), bool)
        impossible[pos[(iso | dmy) & nat]] = True
        fails.add(impossible, "impossible_date")
        out[pos] = parsed
        if today is not None:
            future = np.zeros(len(s), bool)
            future[pos] = ~nat & (parsed > np.datetime64(today.normalize(), "ns"))
            fails.add(future, "future_date")
            out[future] = np.datetime64("NaT")
    return out, fails
