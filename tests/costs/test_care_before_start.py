"""Care used before a family's start (its pre-period) is not subtracted from avoided cost.

Hand calculation: F1 starts 2024-01-10. An episode of 10 contacts over 2023-12-01..2024-01-09 lies
wholly before the start (0 subtracted); one of 8 contacts over 2024-01-01..2024-01-16 (16 days) has
7 days from the start on: 8 × 7/16 = 3.5 contacts subtracted in year 1, at €127 × 1.073 = €136.271.
"""

from __future__ import annotations

import pandas as pd
import pytest
from _costs_data import four_families, recorded, tiny

from impactkit.costs import Scenario, evaluate

# as in test_costs_chain: 4 families × likelihood 0.5 × 10 contacts × €127 × 1.073, adjusted
PRICE = 127 * 1.073
GROSS_YEAR = 4 * 0.5 * 10 * PRICE
ATTRIBUTED = (1 - 0.3) * (1 - 0.1) * (1 - 0.2)


def _run(care: pd.DataFrame):  # type: ignore[no-untyped-def]
    fam = pd.DataFrame(
        {"family_id": ["F1", "F2", "F3", "F4"], "start_date": pd.to_datetime(["2024-01-10"] * 4)}
    )
    return evaluate(four_families(), Scenario.from_dict(tiny()), families=fam, counterfactuals=recorded(),
                    care_used=care, draws=0)  # fmt: skip


def test_pre_period_care_is_not_subtracted() -> None:
    care = pd.DataFrame(
        {"family_id": ["F1", "F1"], "care_type": ["social_work"] * 2, "units": [10.0, 8.0],
         "start": pd.to_datetime(["2023-12-01", "2024-01-01"]), "end": pd.to_datetime(["2024-01-09", "2024-01-16"])}
    )  # fmt: skip
    r = _run(care)
    year1 = r.by_year.groupby("year")["saves"].sum().iloc[0]
    assert year1 == pytest.approx((GROSS_YEAR - 3.5 * PRICE) * ATTRIBUTED)
    alone = _run(care.iloc[:1])  # only the episode before the start: nothing subtracted
    none = _run(care.iloc[:0])
    assert alone.headline["gross_avoided_cost"] == pytest.approx(none.headline["gross_avoided_cost"])
