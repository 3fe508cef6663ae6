"""Parquet files: flat columns only, dates as written (also outside pandas' nanosecond range)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from impactkit.io._source import MAX_COLUMNS, RawTable, Unreadable, stringify

__all__ = ["read_parquet"]


def read_parquet(path: Path) -> RawTable:
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    try:
        schema = pq.read_schema(path)
    except (pa.ArrowException, OSError, ValueError) as err:
        raise Unreadable("corrupt_parquet", reason=str(err).splitlines()[0][:160]) from err
    if len(schema) > MAX_COLUMNS:
        raise Unreadable("too_many_columns", n=len(schema), limit=MAX_COLUMNS)
    for fld in schema:
        t = fld.type
        if pa.types.is_nested(t) or (pa.types.is_dictionary(t) and pa.types.is_nested(t.value_type)):
            raise Unreadable("nested_column", column=fld.name, value=str(t), type=str(t))
        if pa.types.is_binary(t) or pa.types.is_large_binary(t) or pa.types.is_fixed_size_binary(t):
            raise Unreadable("nested_column", column=fld.name, value=str(t), type=str(t))
    try:
        table = pq.read_table(path)
    except (pa.ArrowException, OSError, ValueError) as err:
        raise Unreadable("corrupt_parquet", reason=str(err).splitlines()[0][:160]) from err
    cols = {}
    for name, col in zip(table.column_names, table.columns, strict=True):
        t = col.type
        if pa.types.is_dictionary(t):
            col = col.cast(t.value_type)
            t = col.type
        if pa.types.is_date(t) or pa.types.is_timestamp(t):
            fmt = "%Y-%m-%d" if pa.types.is_date(t) else "%Y-%m-%d %H:%M:%S"
            text = pc.strftime(col, format=fmt)
            if pa.types.is_timestamp(t):  # midnight stays a date, as in Excel
                text = pc.replace_substring_regex(text, pattern=r" 00:00:00(\.0+)?$", replacement="")
            cols[str(name)] = pd.Series(text.to_pylist(), dtype=object)
        elif (
            pa.types.is_floating(t)
            or pa.types.is_integer(t)
            or pa.types.is_boolean(t)
            or pa.types.is_decimal(t)
        ):
            cols[str(name)] = col.to_pandas()
        else:
            cols[str(name)] = pd.Series(col.cast(pa.string()).to_pylist(), dtype=object)
    frame = stringify(pd.DataFrame(cols))
    return RawTable(frame, np.arange(len(frame)) + 2, str(path), path, kind="parquet")
