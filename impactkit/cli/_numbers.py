"""How a number reads in a terminal table, per language (1,234.56 / 1.234,56); JSON keeps full precision."""

from __future__ import annotations

import math
import sys
from typing import Any

import numpy as np
from babel.numbers import format_decimal, format_percent

__all__ = ["cell"]

LOCALES = {"en": "en_GB", "nl": "nl_NL"}
MISSING = "–"


def _missing(value: Any) -> bool:
    if value is None:
        return True
    pd = sys.modules.get("pandas")  # not imported for --help: then no value is one of pandas'
    if pd is not None and (value is pd.NA or value is pd.NaT):
        return True
    return isinstance(value, float | np.floating) and math.isnan(float(value))


def number(value: float, lang: str, decimals: int = 2) -> str:
    """A float with ``decimals`` decimals and grouping; ±inf as ∞, huge values in scientific notation."""
    loc = LOCALES.get(lang, "en_GB")
    if math.isinf(value):
        return "∞" if value > 0 else "−∞"
    if abs(value) >= 1e15:
        return format_decimal(value, format="0.0E0", locale=loc)
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    return format_decimal(value, format=pattern, locale=loc)


def cell(value: Any, column: str, lang: str = "en") -> str:
    """The text of one table cell; ``column`` decides the format (p-values, shares, counts)."""
    if _missing(value):
        return MISSING
    if isinstance(value, bool | np.bool_):
        return str(bool(value)).lower()
    if isinstance(value, int | np.integer):
        return format_decimal(int(value), format="#,##0", locale=LOCALES.get(lang, "en_GB"))
    if isinstance(value, float | np.floating):
        v = float(value)
        if column.startswith("p_") or column.endswith("_p"):
            if v < 0.001:
                return "<" + number(0.001, lang, 3)
            return number(v, lang, 3)
        if column.startswith(("share", "chance")) and math.isfinite(v):
            return format_percent(v, format="#,##0.0%", locale=LOCALES.get(lang, "en_GB"))
        if column.startswith("n_") or column == "n":
            return number(v, lang, 0)
        if math.isfinite(v) and abs(v) >= 1000:
            return number(v, lang, 0)
        return number(
            v, lang, 3 if column in ("cohen_dz", "kendall_w", "gg_epsilon", "eta2_generalized") else 2
        )
    pd = sys.modules.get("pandas")
    if pd is not None and isinstance(value, pd.Timestamp):
        return value.date().isoformat()
    return str(value)
