"""The score cube's kept layout (impactkit.measures._cube): one factorisation of ``family_id`` per
frame, never a stale cube.  Reference: the cube built afresh with nothing kept."""

from __future__ import annotations

import numpy as np
import pandas as pd

import impactkit as ik
from impactkit.measures import _cube


def _fresh(data: pd.DataFrame) -> _cube.Cube:
    _cube._LAYOUTS.clear()
    return _cube.cube(data, "test")


def _same(a: _cube.Cube, b: _cube.Cube) -> None:
    np.testing.assert_array_equal(a.values, b.values)  # NaN == NaN here
    pd.testing.assert_index_equal(a.families, b.families)


def test_layout_kept_for_the_same_frame_and_rebuilt_when_it_changes() -> None:
    wide = ik.sample(n_families=20, seed=3)["assessments"]
    long = wide.melt(["family_id", "wave", "assessed_on"], var_name="domain", value_name="score")
    data = ik.canonical(long)
    assert isinstance(data["family_id"].array, pd.arrays.ArrowExtensionArray)
    first = _fresh(data)
    again = _cube.cube(data, "test")
    assert again.families is first.families  # the kept layout
    _same(again, first)

    data.loc[data.index[0], "score"] = 99.0  # scores are read afresh every time
    assert _cube.cube(data, "test").values.reshape(-1)[np.isclose(_fresh(data).values.reshape(-1), 99.0)].size
    _same(_cube.cube(data, "test"), _fresh(data))

    kept = _cube.cube(data, "test")
    # two rows of one family and wave with different scores swap their domains in place: the codes
    # of the column change, not the array object; the digest sees it
    rows = data[(data["family_id"] == data["family_id"].iloc[0]) & (data["wave"] == "intake")]
    rows = rows.drop_duplicates("score").index[:2]
    assert len(rows) == 2
    swapped = data.loc[rows[::-1], "domain"].to_numpy()
    data.loc[rows, "domain"] = swapped
    changed = _cube.cube(data, "test")
    assert not np.array_equal(changed.values, kept.values, equal_nan=True)
    _same(changed, _fresh(data))

    renamed = data.assign(family_id=data["family_id"].str.replace("F", "G"))  # another id array
    _same(_cube.cube(renamed, "test"), _fresh(renamed))
    assert list(_cube.cube(renamed, "test").families[:1]) == [str(renamed["family_id"].min())]
