"""Numbers, money, shares and dates as a Dutch or English reader expects them (babel).

Every rounding and label decision of a report, a figure's hover text and the CLI is made here, in
tested Python; templates only print the strings.  A missing value prints as an en dash, an
infinite one as ``∞`` / ``−∞``, and a number of 10^15 or more in scientific notation
(``1,23E300``): no value makes a formatter fail.

>>> f = Formatter("nl")
>>> f.currency(1234.5, decimals=2)
'€ 1.234,50'
>>> Formatter("en").currency(1234.5, decimals=2)
'€1,234.50'
>>> f.percent(0.257), f.number(0.4312, 2), f.ci(0.1, 0.25, 2)
('26%', '0,43', '0,10 tot 0,25')
>>> f.number(float("inf"), 2), f.number(3.2e300, 2), f.p_value(float("nan"))
('∞', '3,2E300', '–')
"""

from __future__ import annotations

import datetime as dt
import math
import sys
from dataclasses import dataclass
from typing import Any

from babel import Locale
from babel.dates import format_date
from babel.numbers import (
    format_currency,
    format_decimal,
    format_percent,
    format_scientific,
    get_decimal_symbol,
    get_group_symbol,
)

from impactkit.i18n._catalog import check_lang, locale_of, text

__all__ = ["HUGE", "MISSING", "Formatter", "is_missing"]

MISSING = "–"
INFINITY = "∞"
MINUS = "\u2212"
HUGE = 1e15  # at or above this magnitude numbers print in scientific notation


def is_missing(x: Any) -> bool:
    """None, NA, NaT and NaN (not infinity: that is a value, printed as ∞)."""
    if x is None:
        return True
    pd = sys.modules.get("pandas")  # not imported (CLI start-up): then x is none of pandas' missing values
    if pd is not None and (x is pd.NA or x is pd.NaT):
        return True
    try:
        return bool(math.isnan(x))
    except TypeError:
        return False


@dataclass(frozen=True)
class Formatter:
    """Formats for one language (``"nl"`` → nl_NL, ``"en"`` → en_GB; any language with catalogues)."""

    lang: str = "en"

    def __post_init__(self) -> None:
        check_lang(self.lang, "Formatter")

    @property
    def locale(self) -> str:
        return locale_of(self.lang)

    @property
    def separators(self) -> str:
        """Decimal and group symbol for plotly's ``layout.separators`` (``",."`` for nl)."""
        return get_decimal_symbol(self.locale) + get_group_symbol(self.locale).replace("\xa0", " ")

    # --------------------------------------------------------------- the edge cases, once
    def _special(self, x: Any, *, prefix: str = "", suffix: str = "") -> str | None:
        """The text of a missing, infinite or huge value, or None for an ordinary number."""
        if is_missing(x):
            return MISSING
        v = float(x)
        if math.isinf(v):
            return (MINUS if v < 0 else "") + INFINITY
        if abs(v) >= HUGE:
            body = format_scientific(abs(v), format="0.0##E0", locale=self.locale)
            return (MINUS if v < 0 else "") + prefix + body + suffix
        return None

    # ----------------------------------------------------------------- numbers
    def number(self, x: Any, decimals: int = 1) -> str:
        """A decimal number rounded to ``decimals`` places (half away from zero, as babel does)."""
        special = self._special(x)
        if special is not None:
            return special
        pattern = "#,##0" + ("." + "0" * decimals if decimals > 0 else "")
        return format_decimal(float(x), format=pattern, locale=self.locale, decimal_quantization=True)

    def integer(self, x: Any) -> str:
        """A whole number with thousands separators."""
        return self.number(x, 0)

    def general(self, x: Any) -> str:
        """A parameter value with up to four significant digits: ``0,0225``, ``127``, ``80.000``."""
        special = self._special(x)
        if special is not None:
            return special
        v = float(x)
        if v == 0:
            return self.number(0, 0)
        digits = max(0, 3 - math.floor(math.log10(abs(v))))
        v = round(v, digits)
        return format_decimal(v, format="#,##0." + "#" * digits if digits else "#,##0", locale=self.locale)

    def signed(self, x: Any, decimals: int = 2) -> str:
        """A difference with its sign: ``+0,41`` / ``−0,12`` (a true minus sign)."""
        if is_missing(x):
            return MISSING
        v = float(x)
        body = self.number(abs(v), decimals)
        if body == self.number(0.0, decimals):
            return body
        return ("+" if v > 0 else MINUS) + body

    def currency(self, x: Any, decimals: int = 0) -> str:
        """Euros in the locale's own pattern (CLDR): ``€ 1.234`` and ``€ -1.234`` (nl), ``€1,234``
        and ``-€1,234`` (en), ``1.234 €`` (de); only the number of decimals is ours."""
        pattern = Locale.parse(self.locale).currency_formats["standard"].pattern
        digits = "#,##0" + ("." + "0" * decimals if decimals else "")
        if is_missing(x) or math.isinf(float(x)) or abs(float(x)) >= HUGE:
            body = self._special(x)
            if body == MISSING or body is None or INFINITY in body:
                return body or MISSING
            sign, body = (MINUS, body[1:]) if body.startswith(MINUS) else ("", body)
            return sign + pattern.split(";")[0].replace("#,##0.00", body).replace("¤", "€").replace(
                "\xa0", " "
            )
        out = format_currency(
            float(x),
            "EUR",
            format=pattern.replace("#,##0.00", digits),
            locale=self.locale,
            currency_digits=False,
        )
        return out.replace("\xa0", " ")

    def percent(self, share: Any, decimals: int = 0) -> str:
        """A share (0–1) as a percentage: ``26%``."""
        special = self._special(share * 100 if not is_missing(share) else share, suffix="%")
        if special is not None:
            return special
        pattern = "#,##0" + ("." + "0" * decimals if decimals else "") + "%"
        return format_percent(float(share), format=pattern, locale=self.locale, decimal_quantization=True)

    def probability(self, p: Any) -> str:
        """A probability from simulation draws: ``< 1%`` / ``> 99%`` rather than a rounded 0% or 100%
        unless no draw at all fell on the other side."""
        if is_missing(p):
            return MISSING
        p = float(p)
        if 0 < p < 0.005:
            return "< " + self.percent(0.01)
        if 0.995 < p < 1:
            return "> " + self.percent(0.99)
        return self.percent(p)

    def p_value(self, p: Any) -> str:
        """A p-value: three decimals, ``< 0,001`` below that."""
        if is_missing(p):
            return MISSING
        if float(p) < 0.001:
            return "< " + self.number(0.001, 3)
        return self.number(p, 3)

    def ci(self, low: Any, high: Any, decimals: int = 2, *, money: bool = False) -> str:
        """An interval: ``0,10 tot 0,25`` / ``0.10 to 0.25``."""
        f = (lambda v: self.currency(v)) if money else (lambda v: self.number(v, decimals))
        if is_missing(low) or is_missing(high):
            return MISSING
        return f"{f(low)} {self.text('ci_to')} {f(high)}"

    def months(self, x: Any) -> str:
        """A number of months, or "not within the horizon" for a missing or infinite payback."""
        if is_missing(x) or math.isinf(float(x)):
            return self.text("payback_never")
        return f"{self.number(x, 0)} {self.text('unit_months')}"

    def date(self, d: Any) -> str:
        """A long date: ``23 november 2026`` / ``23 November 2026``."""
        if is_missing(d):
            return MISSING
        if isinstance(d, str):
            d = dt.date.fromisoformat(d[:10])
        if isinstance(d, dt.datetime):  # pandas' Timestamp too
            d = d.date()
        return format_date(d, format="long", locale=self.locale)

    # ------------------------------------------------------------------- texts
    def text(self, key: str, **values: Any) -> str:
        """The report text ``key`` in this language, ``{placeholders}`` filled from ``values``."""
        return text("report", key, self.lang, **values)

    def text_of(self, catalogue: str, key: str, **values: Any) -> str:
        """The text ``key`` of another catalogue (``"figures"``, ``"cli"``, ``"io"``)."""
        return text(catalogue, key, self.lang, **values)
