"""Collecting validation problems, every one of them, before raising once."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from impactkit.errors import ValidationError
from impactkit.io._messages import message

__all__ = ["PROBLEM_COLUMNS", "Problems"]

PROBLEM_COLUMNS = ["file", "row", "column", "value", "message", "code"]


class Problems:
    """An accumulator of problems; ``frame()`` returns them sorted by file, row and column."""

    def __init__(self, lang: str = "en") -> None:
        self.lang = lang
        self._parts: list[pd.DataFrame] = []

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

    def __len__(self) -> int:
        return sum(len(p) for p in self._parts)

    def frame(self) -> pd.DataFrame:
        if not self._parts:
            return pd.DataFrame(
                {c: pd.Series(dtype="int64" if c == "row" else "object") for c in PROBLEM_COLUMNS}
            )
        out = pd.concat(self._parts, ignore_index=True)
        out["row"] = out["row"].astype("int64")
        return out.sort_values(["file", "row", "column"], kind="stable").reset_index(drop=True)[
            PROBLEM_COLUMNS
        ]

    def raise_if_any(self, n_rows: int | None = None) -> None:
        if len(self):
            raise ValidationError(self.frame(), n_rows=n_rows)


def _show(value: Any) -> str:
    if value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NA or value is pd.NaT:
        return ""
    return str(value)
