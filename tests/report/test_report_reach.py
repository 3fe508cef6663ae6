"""The reach table's children per row: summed over the row's mask of the families table.

Reference: the path before (an ``isin`` of the row's family ids per row), kept here.  A family id is
unique in the families table (io's schema), so both select the same rows in the same order.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest

from impactkit.report._reach import _row
from tests.report._report_data import hostile, sample


class _Pub:
    def on(self, n: Any, total: Any, stats: list[str]) -> Any:
        return total


class _Ctx:
    def __init__(self, fam: pd.DataFrame) -> None:
        self._fam, self.pub = fam, _Pub()

    def family_table(self) -> pd.DataFrame:
        return self._fam


def _reference(fam: pd.DataFrame, ids: pd.Series) -> Any:
    """The children of a row before: the families whose id is among the row's ids."""
    return pd.to_numeric(fam.loc[fam["family_id"].astype(str).isin(set(ids)), "n_children"]).sum()


@pytest.mark.parametrize("data", [sample, hostile])
@pytest.mark.parametrize("col", ["municipality", "household_type"])
def test_children_per_row_equal_the_isin_reference(data: Any, col: str) -> None:
    fam = data().families
    assert fam["family_id"].is_unique
    ctx = _Ctx(fam)
    keys = fam[col].astype("string").fillna("")
    values = sorted(keys.unique())
    assert len(values) > 2
    for value in values:
        mask = (keys == value).to_numpy(bool)
        ids = fam.loc[mask, "family_id"].astype(str)
        got = _row(ctx, col, value, 0, True, mask)["children"]  # type: ignore[arg-type]
        want = _reference(fam, ids)
        assert got == want
        assert type(got) is type(want)
        assert got == sum(int(x) for x, m in zip(fam["n_children"], mask, strict=True) if m)  # by hand
    total = _row(ctx, col, "total", 0, True, None)["children"]  # type: ignore[arg-type]
    assert total == _reference(fam, fam["family_id"].astype(str)) == int(np.sum(fam["n_children"]))
