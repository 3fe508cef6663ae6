"""Numbers, money, shares and dates as a Dutch or English reader expects them (babel).

Every rounding and label decision of a report is made here, in tested Python; templates only
print the strings.  A missing value prints as an en dash.

>>> f = Formatter("nl")
>>> f.currency(1234.5, decimals=2)
'€ 1.234,50'
>>> Formatter("en").currency(1234.5, decimals=2)
'€1,234.50'
>>> f.percent(0.257), f.number(0.4312, 2), f.ci(0.1, 0.25, 2)
('26%', '0,43', '0,10 tot 0,25')
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import Any

import pandas as pd
from babel.dates import format_date
from babel.numbers import format_currency, format_decimal, format_percent

from impactkit.errors import ParameterError, check_choice
from impactkit.report._texts import TEXTS

__all__ = ["LANGS", "Formatter"]

LANGS = ("en", "nl")
_LOCALE = {"nl": "nl_NL", "en": "en_GB"}
MISSING = "–"


def _missing(x: Any) -> bool:
    if x is None or x is pd.NA or x is pd.NaT:
        return True
    try:
        return bool(math.isnan(x))
    except TypeError:
        return False


@dataclass(frozen=True)
class Formatter:
    """Formats for one language: ``"nl"`` (nl_NL) or ``"en"`` (en_GB)."""

    lang: str = "en"

    def __post_init__(self) -> None:
        check_choice("lang", "Formatter", self.lang, LANGS)

    @property
    def locale(self) -> str:
        return _LOCALE[self.lang]

    # ----------------------------------------------------------------- numbers
    def number(self, x: Any, decimals: int = 1) -> str:
        """A decimal number rounded to ``decimals`` places (half away from zero, as babel does)."""
        if _missing(x):
            return MISSING
        pattern = "#,##0" + ("." + "0" * decimals if decimals > 0 else "")
        return format_decimal(float(x), format=pattern, locale=self.locale, decimal_quantization=True)

    def integer(self, x: Any) -> str:
        """A whole number with thousands separators."""
        return self.number(x, 0)

    def general(self, x: Any) -> str:
        """A parameter value with up to four significant digits: ``0,0225``, ``127``, ``80.000``."""
        if _missing(x):
            return MISSING
        v = float(x)
        if v == 0:
            return self.number(0, 0)
        digits = max(0, 3 - math.floor(math.log10(abs(v))))
        v = round(v, digits)
        return format_decimal(v, format="#,##0." + "#" * digits if digits else "#,##0", locale=self.locale)

    def signed(self, x: Any, decimals: int = 2) -> str:
        """A difference with its sign: ``+0,41`` / ``−0,12`` (a true minus sign)."""
        if _missing(x):
            return MISSING
        body = self.number(abs(float(x)), decimals)
        if body == self.number(0.0, decimals):
            return body
        return ("+" if x > 0 else "\u2212") + body

    def currency(self, x: Any, decimals: int = 0) -> str:
        """Euros: ``€ 1.234`` (nl) or ``€1,234`` (en); negative amounts keep babel's placement."""
        if _missing(x):
            return MISSING
        digits = "#,##0" + ("." + "0" * decimals if decimals else "")
        # CLDR nl: "¤ #,##0.00;¤ -#,##0.00" (minus after the symbol); en: "-¤#,##0.00"
        pattern = f"¤\xa0{digits};¤\xa0-{digits}" if self.lang == "nl" else f"¤{digits}"
        out = format_currency(float(x), "EUR", format=pattern, locale=self.locale, currency_digits=False)
        return out.replace("\xa0", " ")

    def percent(self, share: Any, decimals: int = 0) -> str:
        """A share (0–1) as a percentage: ``26%``."""
        if _missing(share):
            return MISSING
        pattern = "#,##0" + ("." + "0" * decimals if decimals else "") + "%"
        return format_percent(float(share), format=pattern, locale=self.locale, decimal_quantization=True)

    def probability(self, p: Any) -> str:
        """A probability from simulation draws: ``< 1%`` / ``> 99%`` rather than a rounded 0% or 100%
        unless no draw at all fell on the other side."""
        if _missing(p):
            return MISSING
        p = float(p)
        if 0 < p < 0.005:
            return "< " + self.percent(0.01)
        if 0.995 < p < 1:
            return "> " + self.percent(0.99)
        return self.percent(p)

    def p_value(self, p: Any) -> str:
        """A p-value: three decimals, ``< 0,001`` below that."""
        if _missing(p):
            return MISSING
        if p < 0.001:
            return "< " + self.number(0.001, 3)
        return self.number(p, 3)

    def ci(self, low: Any, high: Any, decimals: int = 2, *, money: bool = False) -> str:
        """An interval: ``0,10 tot 0,25`` / ``0.10 to 0.25``."""
        f = (lambda v: self.currency(v)) if money else (lambda v: self.number(v, decimals))
        if _missing(low) or _missing(high):
            return MISSING
        return f"{f(low)} {self.text('ci_to')} {f(high)}"

    def months(self, x: Any) -> str:
        """A number of months, or "not within the horizon" for a missing payback."""
        if _missing(x) or (isinstance(x, float) and math.isinf(x)):
            return self.text("payback_never")
        return f"{self.number(x, 0)} {self.text('unit_months')}"

    def date(self, d: Any) -> str:
        """A long date: ``23 november 2026`` / ``23 November 2026``."""
        if _missing(d):
            return MISSING
        if isinstance(d, str):
            d = dt.date.fromisoformat(d[:10])
        if isinstance(d, pd.Timestamp | dt.datetime):
            d = d.date()
        return format_date(d, format="long", locale=self.locale)

    # ------------------------------------------------------------------- texts
    def text(self, key: str, **values: Any) -> str:
        """The text ``key`` in this language, with ``{placeholders}`` filled in."""
        try:
            entry = TEXTS[key]
        except KeyError as err:
            raise ParameterError(
                f"No report text named {key!r}; add it to impactkit/report/_texts.py."
            ) from err
        return entry[self.lang].format(**values) if values else entry[self.lang]
