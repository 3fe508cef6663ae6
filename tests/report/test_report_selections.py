"""The report's selections of families by mask or position (report/_change ``text_in``,
report/_publish ``take`` and ``Publisher.ids``, report/_methods ``_SubCohort``).

References: the paths before, kept here (``astype(str).isin``, a Python loop over the ids with a
set, the ledger's text lookup of the selected ids); and values written out by hand.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from impactkit.privacy import Ledger
from impactkit.privacy._disclosure import FamilyIds
from impactkit.report._change import text_in
from impactkit.report._methods import _SubCohort
from impactkit.report._publish import take

IDS = [f"F{i:03d}" for i in range(12)]


def _columns() -> dict[str, pd.Series]:
    values = ["recovered", "improved", None, "deteriorated", "no_change", "recovered", "improved", None]
    cats = ["recovered", "improved", "no_change", "deteriorated"]
    return {
        "categorical": pd.Series(pd.Categorical(values, categories=cats)),
        "categorical_unused": pd.Series(pd.Categorical(values, categories=[*cats, "nan"])),
        "object": pd.Series(values, dtype=object),
        "arrow": pd.Series(values, dtype="string[pyarrow]"),
    }


@pytest.mark.parametrize("kind", list(_columns()))
@pytest.mark.parametrize(
    "values", [("recovered",), ("recovered", "improved"), ("no_change",), ("absent",), ("nan",)]
)
def test_text_in_equals_astype_str_isin(kind: str, values: tuple[str, ...]) -> None:
    col = _columns()[kind]
    got = text_in(col, values)
    want = col.astype(str).isin(values).to_numpy(bool)
    assert got.dtype == bool
    if kind.startswith("categorical") and values == ("nan",):
        # the reference's text of a missing category is "nan"; a category that is no category is
        # never one of CATEGORIES (the report asks only for those), so only the unused one agrees
        assert not got[[2, 7]].any()
        assert (got == (col.astype(str).isin(values) & col.notna()).to_numpy(bool)).all()
        return
    np.testing.assert_array_equal(got, want)


def test_text_in_by_hand() -> None:
    col = _columns()["categorical"]
    np.testing.assert_array_equal(
        text_in(col, ("recovered", "improved")), [True, True, False, False, False, True, True, False]
    )


def test_take_carries_the_codes_of_the_ledgers_lookup() -> None:
    led = Ledger(IDS)
    col = pd.Series(["F003", "F001", "F011", "F001", "F007"], dtype="string[pyarrow]")
    ids = led.family_ids_of(col)
    assert ids.codes is not None
    for at in ([0, 2, 3], [], [4, 1, 1, 0], [2]):
        got = take(ids, np.asarray(at, dtype=np.intp))
        want = [col.iloc[i] for i in at]
        assert isinstance(got, FamilyIds)
        assert got.ledger is led
        assert list(got) == want
        np.testing.assert_array_equal(got.codes, led.codes(want))  # the reference: lookup as text
        np.testing.assert_array_equal(got.codes, [IDS.index(x) for x in want])  # by hand


def test_take_without_codes_stays_text() -> None:
    led = Ledger(IDS)
    ids = led.family_ids_of(["F001", "X9"])  # a family outside the ledger: no codes
    assert ids.codes is None
    got = take(ids, np.array([1, 0]))
    assert got.codes is None
    assert list(got) == ["X9", "F001"]


class _Cohort:
    def __init__(self, led: Ledger) -> None:
        self.ids = led.family_ids_of(IDS)

    def pairs(self, step: int) -> FamilyIds:
        return self.ids.where(np.arange(len(IDS)) % step == 0)

    def plain(self, step: int) -> np.ndarray:
        return np.asarray(IDS, dtype=object)[::step]


def _reference(got: object, ids: set[str]) -> np.ndarray:
    """The selection before: a loop over the ids, kept when in the group's set."""
    return np.array([x for x in got if x in ids])  # type: ignore[attr-defined]


@pytest.mark.parametrize("group", [{"F000", "F003", "F004", "F010"}, set(), {"F005"}, set(IDS)])
@pytest.mark.parametrize("method", ["pairs", "plain"])
@pytest.mark.parametrize("step", [1, 2, 3])
def test_sub_cohort_equals_the_loop(group: set[str], method: str, step: int) -> None:
    led = Ledger(IDS)
    co = _Cohort(led)
    sub = _SubCohort(co, group)
    got = getattr(sub, method)(step)
    want = _reference(getattr(co, method)(step), group)
    assert list(got) == list(want)
    if method == "pairs":
        assert isinstance(got, FamilyIds)
        assert got.codes is not None
        np.testing.assert_array_equal(got.codes, led.codes(list(want)))
    # the ledger counts them alike
    assert led.distinct(got) == led.distinct(list(want)) == len(set(want))
