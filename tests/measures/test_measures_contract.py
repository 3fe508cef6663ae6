"""Contract tests over every public measures function (STYLE: contract tests, input never modified)."""

from __future__ import annotations

import pandas as pd
import pytest
from _measures_data import load, sample_families

from impactkit._result import ResultFrame
from impactkit.errors import ParameterError
from impactkit.measures import (
    attrition,
    change,
    clm,
    describe,
    gee,
    minimum_detectable_change,
    mixed_model,
    mmrm,
    omnibus,
    reliable_change,
    reliable_change_summary,
    transitions,
)

TABLE_FUNCTIONS = [describe, change, omnibus, reliable_change, transitions, mixed_model, mmrm, clm, gee,
                   reliable_change_summary, minimum_detectable_change]  # fmt: skip


@pytest.fixture(scope="module")
def sample() -> pd.DataFrame:
    return load("sample")


@pytest.mark.parametrize("func", TABLE_FUNCTIONS, ids=lambda f: f.__name__)
def test_returns_result_frame_with_notes_and_html(func, sample) -> None:
    before = sample.copy()
    res = func(sample)
    pd.testing.assert_frame_equal(sample, before)  # input never modified
    assert isinstance(res, ResultFrame)
    assert res.notes
    assert "<table" in res._repr_html_()
    assert res._title in res.summary()
    assert all(c == c.lower() and " " not in c for c in res.columns)  # snake_case, attribute-safe


@pytest.mark.parametrize("func", [*TABLE_FUNCTIONS, attrition], ids=lambda f: f.__name__)
def test_non_frame_input_is_a_parameter_error(func) -> None:
    with pytest.raises(ParameterError, match="'data' parameter"):
        func([1, 2, 3])
    with pytest.raises(ParameterError, match="missing"):
        func(pd.DataFrame({"family_id": ["a"], "score": [1.0]}))


def test_by_may_name_a_column_of_the_long_frame(sample) -> None:
    """A column merged into the long frame works like the same column of the families table."""
    fam = sample_families()
    merged = sample.merge(fam[["family_id", "municipality"]].astype({"family_id": "string"}), on="family_id")
    merged.attrs = sample.attrs
    a = change(merged, by="municipality").to_frame()
    b = change(sample, by="municipality", families=fam).to_frame()
    pd.testing.assert_frame_equal(a, b)


def test_unknown_by_names_the_parameter(sample) -> None:
    with pytest.raises(ParameterError, match="'by' parameter of describe"):
        describe(sample, by="municipality")
