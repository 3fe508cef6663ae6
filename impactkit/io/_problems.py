"""Collecting validation problems, every one of them, before raising once."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from impactkit.errors import ValidationError
from impactkit.io._messages import message
from impactkit.privacy._codes import hidden_value

__all__ = ["PROBLEM_COLUMNS", "Problems"]

PROBLEM_COLUMNS = ["file", "row", "column", "value", "message", "code"]


class Problems:
    """An accumulator of problems; ``frame()`` returns them sorted by file, row and column."""

    def __init__(self, lang: str = "en") -> None:
        self.lang = lang
        self._parts: list[pd.DataFrame] = []
        self.warnings: list[pd.DataFrame] = []  # problems that do not make the input invalid
        self.notes: list[str] = []  # what was read and how (sheet, encoding, layout, unused domains)

    def note(self, file: str, code: str, **kw: Any) -> None:
        """A note about how ``file`` was read (in the accumulator's language)."""
        text = f"{file}: {message(code, self.lang, **kw)}" if file else message(code, self.lang, **kw)
        if text not in self.notes:
            self.notes.append(text)

    def warn(
        self, file: str, rows: Any, column: str, values: Any, code: str, messages: Any = None, **kw: Any
    ) -> None:
        """Warnings (same columns as problems) that do not make the input invalid."""
        rows = np.asarray(rows)
        if rows.size == 0:
            return
        msg = messages if messages is not None else message(code, self.lang, **kw)
        self.warnings.append(
            pd.DataFrame(
                {
                    "file": file,
                    "row": rows.astype("int64"),
                    "column": column,
                    "value": [_show(v) for v in np.asarray(values, dtype=object)],
                    "message": msg,
                    "code": code,
                }
            )
        )

    def add_grouped(
        self, file: str, rows: Any, column: str, values: Any, code: str, *, hide: bool = False, **kw: Any
    ) -> None:
        """One problem per distinct value, at its first row, naming the other rows it occurs in.

        For vocabulary problems (an unknown wave, domain or code): a value repeated in 300 rows is
        one thing to fix, so it is one problem, not 300.  ``hide=True`` shows only each value's
        length (a categorical cell may hold free text about a family: never print it).
        """
        rows = np.asarray(rows)
        if rows.size == 0:
            return
        vals = pd.Series(np.asarray(values, dtype=object)).map(_show)
        order = pd.DataFrame({"row": rows.astype("int64"), "value": vals.to_numpy()})
        base = message(code, self.lang, **kw)
        first_rows, shown, msgs = [], [], []
        for value, g in order.groupby("value", sort=False):
            r = g["row"].to_numpy()
            first_rows.append(int(r[0]))
            shown.append(hidden_value(value) if hide else value)
            more = ""
            if r.size > 1:
                listed = ", ".join(str(x) for x in r[1:6]) + (", …" if r.size > 6 else "")
                more = f" ({message('also_rows', self.lang, n=r.size - 1, rows=listed)})"
            msgs.append(base + more)
        self.add_many(file, first_rows, column, shown, code, messages=msgs)

    def warnings_frame(self) -> pd.DataFrame:
        if not self.warnings:
            return _empty()
        out = pd.concat(self.warnings, ignore_index=True)
        return out.sort_values(["file", "row", "column"], kind="stable").reset_index(drop=True)[
            PROBLEM_COLUMNS
        ]

    def add(self, file: str, row: int, column: str, value: Any, code: str, **kw: Any) -> None:
        self._parts.append(
            pd.DataFrame(
                {
                    "file": [file],
                    "row": [int(row)],
                    "column": [str(column)],
                    "value": [_show(value)],
                    "message": [message(code, self.lang, **kw)],
                    "code": [code],
                }
            )
        )

    def add_many(
        self, file: str, rows: Any, column: str | Any, values: Any, code: str, messages: Any = None, **kw: Any
    ) -> None:
        """Add one problem per element of ``rows`` (vectorised); ``messages`` overrides the text."""
        rows = np.asarray(rows)
        if rows.size == 0:
            return
        msg = messages if messages is not None else message(code, self.lang, **kw)
        self._parts.append(
            pd.DataFrame(
                {
                    "file": file,
                    "row": rows.astype("int64"),
                    "column": column,
                    "value": [_show(v) for v in np.asarray(values, dtype=object)],
                    "message": msg,
                    "code": code,
                }
            )
        )

    def extend(self, other: Problems) -> None:
        self._parts.extend(other._parts)
        self.warnings.extend(other.warnings)
        for n in other.notes:
            if n not in self.notes:
                self.notes.append(n)

    def __len__(self) -> int:
        return sum(len(p) for p in self._parts)

    def frame(self) -> pd.DataFrame:
        if not self._parts:
            return _empty()
        out = pd.concat(self._parts, ignore_index=True)
        out["row"] = out["row"].astype("int64")
        return out.sort_values(["file", "row", "column"], kind="stable").reset_index(drop=True)[
            PROBLEM_COLUMNS
        ]

    def raise_if_any(self, n_rows: int | None = None) -> None:
        if len(self):
            raise ValidationError(self.frame(), n_rows=n_rows)


def _empty() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype="int64" if c == "row" else "object") for c in PROBLEM_COLUMNS})


def _show(value: Any) -> str:
    if value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NA or value is pd.NaT:
        return ""
    return str(value)
