"""Formats and texts: Dutch and English conventions written out by hand (CLDR nl_NL / en_GB)."""

from __future__ import annotations

import datetime as dt
import string

import pytest

from impactkit.errors import ParameterError
from impactkit.report._format import Formatter
from impactkit.report._texts import HOUSEHOLD_LABELS, PATH_LABELS, PAYER_LABELS, PROGRAMME_LABELS, TEXTS

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


@pytest.mark.parametrize(
    "table",
    [TEXTS, PAYER_LABELS, PATH_LABELS, HOUSEHOLD_LABELS, PROGRAMME_LABELS],
    ids=["texts", "payers", "paths", "households", "programme"],
)
def test_every_text_in_both_languages_with_the_same_placeholders(table):
    fields = string.Formatter()
    for key, entry in table.items():
        assert set(entry) == {"en", "nl"}, key
        assert entry["en"].strip(), key
        assert entry["nl"].strip(), key
        ph = [{f for _, f, _, _ in fields.parse(entry[lang]) if f} for lang in ("en", "nl")]
        assert ph[0] == ph[1], (key, ph)
