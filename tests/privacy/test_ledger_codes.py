"""A ledger takes families as int codes (their positions in ``Ledger.family_ids``).

Every fast path (codes carried by :class:`FamilyIds`, the codes of a pandas Index kept, the
distinct codes without sorting, a statistic scattered by code) is checked against the text
definition it replaces, computed here with Python dicts and sets or with pandas' groupby.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from impactkit.errors import ParameterError
from impactkit.i18n import Formatter
from impactkit.privacy import Ledger
from impactkit.privacy._disclosure import text_ids
from impactkit.report._publish import Publisher

FAMS = [f"F{i:03d}" for i in range(60)]


def _positions(ids: list[str], members: list[object]) -> list[int]:
    at = {f: i for i, f in enumerate(ids)}
    return [at[str(m)] for m in members]


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.integers(0, 59), max_size=80), st.sampled_from(["list", "array", "series", "index", "ids"])
)
def test_codes_are_the_positions_of_the_text(picks, kind):
    led = Ledger(list(reversed(FAMS)))  # codes are positions, not the order of the ids
    members = [FAMS[i] for i in picks]
    arg = {
        "list": members,
        "array": np.array(members, dtype=object),
        "series": pd.Series(members, dtype="string"),
        "index": pd.Index(members),
        "ids": led.family_ids_of(members),
    }[kind]
    want = _positions(list(led.family_ids), members)
    assert led.codes(arg).tolist() == want
    assert led.codes(arg).tolist() == want  # asked again (an Index: its codes kept)
    assert led.distinct(arg) == len(set(members))
    pop = led.add("p", arg)
    assert pop.members.tolist() == sorted(set(want))


def test_family_ids_carry_codes_only_where_they_are_made():
    led = Ledger(FAMS)
    ids = led.family_ids_of(FAMS[::-1])
    assert ids.codes is not None
    assert ids.codes.tolist() == list(range(59, -1, -1))
    mask = np.arange(60) % 3 == 0
    sel = ids.where(mask)
    assert sel.codes is not None
    assert sel.codes.tolist() == _positions(FAMS, list(np.asarray(ids)[mask]))
    assert list(sel) == [FAMS[59 - i] for i in range(0, 60, 3)]
    for derived in (ids[:5], ids[mask], ids.copy()):  # NumPy's own selections: plain text
        assert derived.codes is None
    # codes of another ledger are never taken as this one's: looked up as text
    other = Ledger(FAMS[::-1])
    assert other.codes(sel).tolist() == _positions(FAMS[::-1], list(sel))
    # a family outside the ledger: no codes, so the text path reports it
    partial = Ledger(FAMS[:10]).family_ids_of(FAMS[:12])
    assert partial.codes is None
    with pytest.raises(ParameterError, match="not in the ledger"):
        Ledger(FAMS[:10]).add("p", partial)


def test_unknown_families_are_an_error_or_minus_one():
    led = Ledger(FAMS[:5])
    with pytest.raises(ParameterError):
        led.codes(["F000", "nobody"])
    assert led.codes(["F000", "nobody", "F004"], missing=True).tolist() == [0, -1, 4]
    # distinct counts families outside the ledger too (as the text did)
    assert led.distinct(["F000", "nobody", "nobody", "F000", "x"]) == 3


@pytest.mark.parametrize("ordered", [True, False])
def test_distinct_codes_many_and_few(ordered):
    rng = np.random.default_rng(1)
    n = 5000
    led = Ledger([f"F{i}" for i in range(n)])
    for size in (3, 40, 4000, 20000):  # few of many (sorted), many (counted), with repeats
        codes = rng.integers(0, n, size=size)
        if ordered:
            codes = np.unique(codes)
        members = [f"F{c}" for c in codes]
        assert led.add(f"p{size}", members).members.tolist() == sorted(set(codes.tolist()))


def test_a_statistic_is_each_familys_first_value_as_groupby_first():
    led = Ledger(FAMS[:6])
    index = pd.Index(["F002", "F000", "F002", "F005", "zz", "F000", "F003"])
    values = pd.Series([np.nan, 1.0, 7.0, "5", 3.0, 9.0, "no"], index=index, dtype=object)
    led.statistic("s", values, low=0)
    v = pd.to_numeric(values, errors="coerce")
    v.index = v.index.astype(str)
    want = v.groupby(level=0).first().reindex(led.family_ids).to_numpy(dtype=float)
    np.testing.assert_array_equal(led._values["s"], want)
    assert np.isnan(led._values["s"][[1, 3, 4]]).all()
    assert led._values["s"][2] == 7.0


def test_a_publisher_counts_distinct_families_in_both_passes():
    led = Ledger(FAMS)
    pub = Publisher(led, "funder", 10, Formatter("en"))
    ids = led.family_ids_of(FAMS)
    mask = np.arange(60) < 25
    first = pub.count("a", ids.where(mask))
    assert led["funder/a"].n == 25
    assert pub.raw(first) == 25
    # the rendering pass: the same key, counted again from what it is given
    again = pub.count("a", list(np.asarray(ids)[mask]) * 2)
    assert pub.raw(again) == 25
    assert led["funder/a"].members.tolist() == list(range(25))


def test_text_looked_up_in_pyarrow_is_the_text_of_each_member():
    """Members that are text already are looked up by pyarrow; anything else by ``str`` of each
    (``text_ids``): both against a dict of the ledger's ids."""
    ids = ["1", "2", "3", "None", "<NA>", "nan", "é", "4"]
    led = Ledger(ids)
    at = {f: i for i, f in enumerate(ids)}
    cases = [
        pd.Series(["é", "1", "1"], dtype="str"),
        pd.Series(["é", "1"], dtype="string"),
        pd.Series(["2", None], dtype="string"),  # a missing value: its text "<NA>"
        pd.Index(["4", "2"], dtype=object),
        np.array(["1", 2, b"3"], dtype=object),  # numbers and bytes: str() of each
        np.array(["None", None], dtype=object),
        np.array([np.str_("4"), "1"], dtype=object),
        np.array(["4", "é", "4"]),  # NumPy's own text (dtype <U1)
        pd.Series([1, 2]),
    ]
    for members in cases:
        # the text path as it was: text_ids (pandas' str conversion: bytes decoded, NA as "<NA>")
        text = list(text_ids(members, unique=False))
        assert led.codes(members).tolist() == [at[t] for t in text], members
        assert led.distinct(members) == len(text_ids(members)), members
    assert list(text_ids(cases[4], unique=False)) == ["1", "2", "3"]
    assert list(text_ids(cases[2], unique=False)) == ["2", "<NA>"]


def test_a_ledger_without_families_knows_none():
    """A report outside a release (a business case without data) has an empty ledger."""
    led = Ledger([])
    assert led.codes(pd.Series(["F1", "F2"], dtype="str"), missing=True).tolist() == [-1, -1]
    assert led.codes(np.array([], dtype=object), missing=True).tolist() == []
    assert led.distinct(pd.Series(["F1", "F1"], dtype="str")) == 1
    assert led.family_ids_of(["F1"]).codes is None
    with pytest.raises(ParameterError):
        led.add("p", pd.Series(["F1"], dtype="str"))
