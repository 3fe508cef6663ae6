"""The one Excel writer: typed columns, frozen headers, designed sheet names, reproducible bytes.

>>> import io, pandas as pd
>>> from impactkit.excel import Sheet, SheetTable, write_workbook
>>> t = SheetTable(pd.DataFrame({"domain": ["finances"], "n": [120], "p_value": [0.98]}))
>>> buf = write_workbook([Sheet("change", [t])], io.BytesIO())
>>> import openpyxl
>>> ws = openpyxl.load_workbook(buf)["change"]
>>> ws["C2"].value, ws["C2"].number_format, ws.freeze_panes
(0.98, '[<0.001]"<0.001";0.000', 'A2')
"""

from impactkit.excel._types import COLUMN_TYPES, FORMATS, column_type, number_format
from impactkit.excel._writer import (
    FORMULA_PREFIXES,
    Formula,
    Sheet,
    SheetTable,
    check_sheet_names,
    data_rows,
    write_workbook,
)

__all__ = [
    "COLUMN_TYPES",
    "FORMATS",
    "FORMULA_PREFIXES",
    "Formula",
    "Sheet",
    "SheetTable",
    "check_sheet_names",
    "column_type",
    "data_rows",
    "number_format",
    "write_workbook",
]
