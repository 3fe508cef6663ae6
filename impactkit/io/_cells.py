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


# a number as written: plain, or with a decimal comma/point and optional thousands groups
PLAIN = r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?"
COMMA_SYNTAX = r"[+-]?(\d+|\d{1,3}(\.\d{3})+)(,\d+)?"
POINT_SYNTAX = r"[+-]?(\d+|\d{1,3}(,\d{3})+)(\.\d+)?"
# one separator, three digits after it and 1-3 (not starting with 0) before: 1.500 or 1,500
AMBIGUOUS = r"[+-]?[1-9]\d{0,2}[.,]\d{3}"


def parse_number(
    raw: pd.Series,
    *,
    integer: bool = False,
    low: float | None = None,
    high: float | None = None,
    check_range: bool = True,
    decimal: str | None = ".",
) -> tuple[np.ndarray, CellFailures]:
    """Parse numbers written with a decimal point or a decimal comma.

    A cell that can be read one way only is read that way: ``4,5`` and ``1.500,25`` (decimal
    comma), ``4.5`` and ``1,500.25`` (decimal point).  A cell such as ``1.500`` or ``1,500`` follows
    ``decimal``, the file's decimal separator (``","``: 1.500 is 1500; ``"."``: 1.500 is 1.5), and is
    reported as ``ambiguous_number`` when ``decimal`` is None (unknown).

    Empty cells become NaN without a failure. Codes: ``not_a_number``, ``ambiguous_number``,
    ``not_integer``, ``out_of_range`` (only when ``check_range``). Failed cells become NaN.

    Each distinct cell is parsed once (an export's score or count column holds a handful of
    distinct texts in hundreds of thousands of rows): the values and failures are those of
    :func:`_parse_numbers` on every cell, mapped back through the column's codes.
    """
    s = (
        raw
        if raw.dtype == "string[pyarrow]"
        else raw.astype(object).where(raw.notna(), None).astype("string[pyarrow]")
    )

    def parse(cells: pd.Series) -> tuple[np.ndarray, CellFailures]:
        return _parse_numbers(
            cells, integer=integer, low=low, high=high, check_range=check_range, decimal=decimal
        )

    codes, uniques = pd.factorize(s, use_na_sentinel=True)
    if 2 * len(uniques) > len(s):  # mostly distinct (amounts): parsing the cells is cheaper
        return parse(s)
    each, each_fails = parse(pd.Series(uniques, dtype="string[pyarrow]"))
    # code -1 (an empty cell) reads the extra last slot: NaN, no failure
    values = np.append(each, np.nan)[codes]
    fails = CellFailures()
    for pos, code in each_fails:
        hit = np.zeros(len(uniques) + 1, dtype=bool)
        hit[pos] = True
        fails.add(hit[codes], code)
    return values, fails


def _parse_numbers(
    s: pd.Series,
    *,
    integer: bool,
    low: float | None,
    high: float | None,
    check_range: bool,
    decimal: str | None,
) -> tuple[np.ndarray, CellFailures]:
    """:func:`parse_number` of each cell of ``s`` (Arrow-backed text)."""
    fails = CellFailures()
    present = s.notna().to_numpy()
    values = np.full(len(s), np.nan)
    ambiguous = np.zeros(len(s), bool)
    if present.any():
        plain = s.str.fullmatch(PLAIN).fillna(False).to_numpy(dtype=bool)
        if plain.any():  # "1.500" is plain to the regex but ambiguous to a reader (needs 5+ characters)
            sep = plain & (s.str.len().fillna(0).to_numpy() >= 5)
            if sep.any():
                sep[sep] = s[sep].str.contains(r"[.,]", regex=True).fillna(False).to_numpy(dtype=bool)
            if sep.any():
                idx = np.flatnonzero(sep)
                plain[idx[s[sep].str.fullmatch(AMBIGUOUS).fillna(False).to_numpy(dtype=bool)]] = False
        if plain.all():
            values[:] = s.astype("float64").to_numpy()
        else:
            if plain.any():
                values[plain] = s[plain].astype("float64").to_numpy()
            rest = present & ~plain
            text = s[rest]
            amb = text.str.fullmatch(AMBIGUOUS).fillna(False).to_numpy(dtype=bool)
            comma = ~amb & text.str.fullmatch(COMMA_SYNTAX).fillna(False).to_numpy(dtype=bool)
            point = ~amb & ~comma & text.str.fullmatch(POINT_SYNTAX).fillna(False).to_numpy(dtype=bool)
            if decimal == ",":
                comma |= amb
            elif decimal == ".":
                point |= amb
            else:
                ambiguous[np.flatnonzero(rest)[amb]] = True
            parsed = np.full(len(text), np.nan)
            if comma.any():
                t = text[comma].str.replace(".", "", regex=False).str.replace(",", ".", regex=False)
                parsed[comma] = t.astype("float64").to_numpy()
            if point.any():
                parsed[point] = text[point].str.replace(",", "", regex=False).astype("float64").to_numpy()
            values[rest] = parsed
    nan = np.isnan(values)
    fails.add(present & nan & ~ambiguous, "not_a_number")
    fails.add(ambiguous, "ambiguous_number")
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


DATE_RANGE = (1900, 2100)


def parse_date(
    raw: pd.Series, *, required: bool = True, today: pd.Timestamp | None = None
) -> tuple[np.ndarray, CellFailures]:
    """Parse ISO (2024-03-01) or Dutch (01-03-2024, 1/3/2024, 01.03.2024) dates.

    Codes: ``missing_date`` (when ``required``), ``bad_date`` (unrecognised), ``impossible_date``
    ("31-02-2024"), ``date_out_of_range`` (a year outside 1900–2100, such as 0024-01-15 or the
    placeholder 9999-12-31: reported, never wrapped), ``future_date`` (after ``today``). Failed cells
    become NaT.
    """
    codes, uniques = pd.factorize(raw, use_na_sentinel=True)  # each distinct cell parsed once
    missing = codes < 0
    fails = CellFailures()
    if required:
        fails.add(missing, "missing_date")
    parsed, each = _parse_dates(pd.Series(np.asarray(uniques, dtype=object), dtype=object), today)
    for pos, code in each:
        fails.add(np.isin(codes, pos), code)
    out = (
        parsed[np.where(missing, 0, codes)]
        if len(parsed)
        else np.full(len(codes), np.datetime64("NaT"), "M8[ns]")
    )
    out[missing] = np.datetime64("NaT")
    return out, fails


def _parse_dates(raw: pd.Series, today: pd.Timestamp | None) -> tuple[np.ndarray, CellFailures]:
    """:func:`parse_date` of each cell (missing cells are not reported here)."""
    fails = CellFailures()
    s = raw.astype(object)
    out = np.full(len(s), np.datetime64("NaT"), dtype="datetime64[ns]")
    present = s.notna().to_numpy()
    if present.any():
        text = s[present].astype(str).str.replace(r"[ T]00:00(:00(\.0+)?)?$", "", regex=True)
        iso = text.str.match(ISO).to_numpy()
        dmy = text.str.match(DMY).to_numpy()
        year = np.full(len(text), -1)
        if iso.any():
            year[iso] = text[iso].str.slice(0, 4).astype(int).to_numpy()
        if dmy.any():
            year[dmy] = text[dmy].str.slice(-4).astype(int).to_numpy()
        outside = (iso | dmy) & ((year < DATE_RANGE[0]) | (year > DATE_RANGE[1]))
        parsed = np.full(len(text), np.datetime64("NaT"), dtype="datetime64[ns]")
        ok_iso, ok_dmy = iso & ~outside, dmy & ~outside
        if ok_iso.any():
            parsed[ok_iso] = pd.to_datetime(text[ok_iso], format="%Y-%m-%d", errors="coerce").to_numpy()
        if ok_dmy.any():
            norm = text[ok_dmy].str.replace(r"[/.]", "-", regex=True)
            parsed[ok_dmy] = pd.to_datetime(norm, format="%d-%m-%Y", errors="coerce").to_numpy()
        pos = np.flatnonzero(present)
        nat = np.isnat(parsed)
        bad = np.zeros(len(s), bool)
        bad[pos[~(iso | dmy)]] = True
        fails.add(bad, "bad_date")
        far = np.zeros(len(s), bool)
        far[pos[outside]] = True
        fails.add(far, "date_out_of_range")
        impossible = np.zeros(len(s), bool)
        impossible[pos[(ok_iso | ok_dmy) & nat]] = True
        fails.add(impossible, "impossible_date")
        out[pos] = parsed
        if today is not None:
            future = np.zeros(len(s), bool)
            future[pos] = ~nat & (parsed > np.datetime64(today.normalize(), "ns"))
            fails.add(future, "future_date")
            out[future] = np.datetime64("NaT")
    return out, fails
