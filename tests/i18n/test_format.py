"""Formats and texts: Dutch and English conventions written out by hand (CLDR nl_NL / en_GB)."""

from __future__ import annotations

import datetime as dt
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from impactkit.errors import ParameterError
from impactkit.i18n import Formatter

NL, EN = Formatter("nl"), Formatter("en")


def test_currency_in_both_languages():
    """BRIEF §6: "€ 1.234,50" in Dutch; English uses the symbol before the number without a space."""
    assert NL.currency(1234.5, decimals=2) == "€ 1.234,50"
    assert EN.currency(1234.5, decimals=2) == "€1,234.50"
    assert NL.currency(1234567.4) == "€ 1.234.567"
    assert EN.currency(-2500) == "-€2,500"
    assert NL.currency(-2500) == "€ -2.500"
    assert NL.currency(None) == "–"


def test_numbers_percent_and_rounding():
    # 2.345 is stored as 2.34499999...; 0.125 is exact, rounded half-even by CLDR/babel -> 0.12
    assert NL.number(1234.56, 1) == "1.234,6"
    assert EN.number(1234.56, 1) == "1,234.6"
    assert NL.number(0.125, 2) == "0,12"
    assert NL.percent(0.257) == "26%"
    assert EN.percent(0.2575, 1) == "25.8%"
    assert NL.signed(0.4123) == "+0,41"
    assert EN.signed(-0.4163) == "\u22120.42"
    assert EN.signed(0.001) == "0.00"
    assert NL.p_value(0.0004) == "< 0,001"
    assert EN.p_value(0.0234) == "0.023"
    assert NL.ci(0.1, 0.25) == "0,10 tot 0,25"
    assert EN.ci(1000, 2500, money=True) == "€1,000 to €2,500"
    assert NL.months(27.4) == "27 maanden"
    assert EN.months(float("nan")) == "not within the horizon"


def test_dates():
    assert NL.date(dt.date(2026, 11, 23)) == "23 november 2026"
    assert EN.date("2026-11-23") == "23 November 2026"


def test_language_is_checked():
    with pytest.raises(ParameterError, match="'lang' parameter of Formatter"):
        Formatter("de")
    with pytest.raises(ParameterError, match="No report text named"):
        NL.text("no_such_text")


def test_non_finite_and_huge_numbers_format_everywhere():
    """Issue 10: an infinite odds ratio (a separated logistic model) crashed babel's quantize;
    so did a finite 1e300. Written out: ∞ with a true minus sign, scientific from 10^15 on."""
    inf = float("inf")
    assert NL.number(inf, 2) == "∞"
    assert EN.number(-inf, 2) == "\u2212∞"
    assert NL.number(3.2e300, 2) == "3,2E300"
    assert EN.number(-1.2345e20, 1) == "\u22121.234E20"
    assert NL.currency(2.5e16) == "€ 2,5E16"
    assert EN.currency(-inf) == "\u2212∞"
    assert EN.general(inf) == "∞"
    assert EN.signed(inf) == "+∞"
    assert NL.p_value(inf) == "1,000" or NL.p_value(inf)  # any text, never an exception
    assert EN.months(inf) == "not within the horizon"
    assert EN.ci(-inf, 1.0) == "\u2212∞ to 1.00"
    assert NL.number(1e15 - 1, 0) == "999.999.999.999.999"


FORMATS = [
    "number",
    "integer",
    "general",
    "signed",
    "currency",
    "percent",
    "probability",
    "p_value",
    "months",
]


@settings(max_examples=60, deadline=None)
@given(x=st.one_of(st.floats(allow_nan=True, allow_infinity=True), st.integers(-(10**30), 10**30), st.none()))
def test_every_formatter_takes_any_number(x):
    """Property: no float (NaN, ±inf, subnormal, 1e308) or huge integer makes a formatter fail."""
    for f in (NL, EN):
        for name in FORMATS:
            out = getattr(f, name)(x)
            assert isinstance(out, str)
            assert out
        assert f.ci(x, x)
    if x is not None and not (isinstance(x, float) and math.isnan(x)):
        assert NL.number(x, 2) != "–"
