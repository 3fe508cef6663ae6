"""Small-cell suppression for subgroup tables: no count or statistic is published below ``min_n``."""

from __future__ import annotations

import numpy as np
import pandas as pd

from impactkit.errors import ParameterError

__all__ = ["check_min_n", "suppress"]


def check_min_n(min_n: object, func: str) -> int:
    if isinstance(min_n, bool) or not isinstance(min_n, int | np.integer) or int(min_n) < 1:
        raise ParameterError(
            f"The 'min_n' parameter of {func} must be a positive integer. Got {min_n!r} instead."
        )
    return int(min_n)


def suppress(table: pd.DataFrame, *, n_col: str, keep: list[str], min_n: int) -> pd.DataFrame:
    """Blank every column but ``keep`` in rows whose ``n_col`` is below ``min_n``; set ``status``.

    ``n_col`` itself is blanked too (a count under the threshold is not published).
    """
    small = table[n_col].to_numpy(dtype=float) < min_n
    if not small.any():
        return table
    out = table.copy()
    for col in out.columns:
        if col in keep or col == "status":
            continue
        if pd.api.types.is_integer_dtype(out[col].dtype):
            out[col] = out[col].astype("Int64")
            out.loc[small, col] = pd.NA
        elif pd.api.types.is_float_dtype(out[col].dtype):
            out.loc[small, col] = np.nan
        else:
            out[col] = out[col].astype(object)
            out.loc[small, col] = None
    out.loc[small, "status"] = f"suppressed (n < {min_n})"
    return out
