"""The SROI chain on a hand-computable cohort; every expected number is written out by hand.

SROI Guide (Social Value UK 2012): value = quantity × financial proxy × (1 − deadweight)
× (1 − displacement) × (1 − attribution), reduced by drop-off each year after the first and
discounted to present value.  Prices: BRIEF §5 (social work €127 per contact, 2022 prices;
CPI factor 2022 → 2024 = 1.073).
"""

from __future__ import annotations

import math

import pandas as pd
import pytest
from _costs_data import four_families, recorded, tiny

from impactkit.costs import Scenario, evaluate

# quantity × proxy: 4 families × likelihood 0.5 = 2 expected cases; 10 contacts × €127 × 1.073
PRICE = 127 * 1.073  # 136.271 euros of 2024 per contact
CASES = 4 * 0.5
GROSS_YEAR = CASES * 10 * PRICE  # 2725.42 a year before adjustment
ATTRIBUTED = (1 - 0.3) * (1 - 0.1) * (1 - 0.2)  # 0.504
AVOIDED = [GROSS_YEAR * ATTRIBUTED * (1 - 0.25) ** t for t in range(3)]  # drop-off from year 2
DF = [1.0, 1 / 1.0225, 1 / 1.0225**2]  # year 1 undiscounted
PV = sum(a * d for a, d in zip(AVOIDED, DF, strict=True))
COST = 4 / 20 * 10000.0  # 0.2 FTE × €10,000 in year 1


@pytest.fixture(scope="module")
def result():
    return evaluate(four_families(), Scenario.from_dict(tiny()), counterfactuals=recorded(), draws=0)


def test_hand_numbers_are_what_we_think() -> None:
    assert pytest.approx(136.271) == PRICE
    assert pytest.approx(2725.42) == GROSS_YEAR
    assert pytest.approx(0.504) == ATTRIBUTED
    assert pytest.approx([1373.61168, 1030.20876, 772.65657]) == AVOIDED
    assert pytest.approx(1373.61168 + 1030.20876 / 1.0225 + 772.65657 / 1.0225**2) == PV


def test_gross_avoided_cost_follows_the_sroi_chain(result) -> None:
    h = result.headline
    assert h["gross_avoided_cost"] == pytest.approx(PV, rel=1e-12)
    assert h["programme_cost"] == pytest.approx(COST)
    assert h["net_benefit"] == pytest.approx(PV - COST)
    assert h["npv"] == pytest.approx(PV - COST)
    assert h["benefit_cost_ratio"] == pytest.approx(PV / COST)
    assert h["roi"] == pytest.approx((PV - COST) / COST)
    assert h["attributed_share"] == pytest.approx(0.504)
    assert h["net_benefit_undiscounted"] == pytest.approx(sum(AVOIDED) - COST)


def test_per_payer_split(result) -> None:
    """Social work is split 60% youth-care budget, 40% state; the prevention budget invests."""
    bp = result.by_payer.set_index("payer")
    assert bp.loc["municipality_youth", "saves"] == pytest.approx(0.6 * PV)
    assert bp.loc["state", "saves"] == pytest.approx(0.4 * PV)
    assert bp.loc["municipality_prevention", "invests"] == pytest.approx(COST)
    assert bp.loc["municipality_prevention", "net"] == pytest.approx(-COST)
    assert bp["saves"].sum() == pytest.approx(PV)
    assert bp["net"].sum() == pytest.approx(PV - COST)


def test_by_year_is_undiscounted_and_cumulates(result) -> None:
    by = result.by_year
    total = by.groupby("year")[["invests", "saves", "net"]].sum()
    assert total["saves"].tolist() == pytest.approx(AVOIDED)
    assert total["invests"].tolist() == pytest.approx([COST, 0, 0])
    assert by["calendar_year"].dropna().unique().tolist() == [2024, 2025, 2026]
    youth = by[by["payer"] == "municipality_youth"]
    assert youth["cumulative_net"].tolist() == pytest.approx(list(pd.Series(AVOIDED).cumsum() * 0.6))
    assert by["discount_factor"].unique() == pytest.approx(DF)


def test_payback_months(result) -> None:
    """Cost €2,000 at the start of year 1; year 1 recovers €1,373.61, the rest in year 2:
    12 + 12 × (2000 − 1373.61168) / 1030.20876 = 19.296 months."""
    assert result.headline["payback_months"] == pytest.approx(12 + 12 * (2000 - 1373.61168) / 1030.20876)
    assert result.headline["payback_months"] == pytest.approx(19.2963, abs=1e-4)


def test_break_even(result) -> None:
    """Share: cost / PV of care before deadweight, attribution, displacement (drop-off applied).
    Cases: cost / PV of one family's path (10 contacts for 3 years, no drop-off)."""
    before = GROSS_YEAR * (1 + 0.75 / 1.0225 + 0.5625 / 1.0225**2)
    assert result.headline["break_even_share"] == pytest.approx(COST / before)
    per_case = 10 * PRICE * (1 + 1 / 1.0225 + 1 / 1.0225**2)
    row = result.by_path.set_index("path").loc["social_work"]
    assert row["cost_per_case"] == pytest.approx(per_case)
    assert row["break_even_cases"] == pytest.approx(COST / per_case)
    assert row["expected_cases"] == pytest.approx(2.0)
    assert row["avoided_cost"] == pytest.approx(PV)
    assert row["counterfactual_cost"] == pytest.approx(before)


def test_no_payback_is_nan() -> None:
    spec = tiny(**{"programme.costs.coordinator.amount": 1e6})
    r = evaluate(four_families(), Scenario.from_dict(spec), counterfactuals=recorded(), draws=0)
    assert math.isnan(r.headline["payback_months"])
    assert r.to_dict()["payback_months"] is None


def test_care_used_is_subtracted() -> None:
    """F1 used 5 contacts in its first year and 5 more in its second (hand: 5 × 136.271 = 681.355)."""
    care = pd.DataFrame(
        {
            "family_id": ["F1", "F1"],
            "care_type": ["social_work", "social_work"],
            "units": [5, 5],
            "start": pd.to_datetime(["2024-03-01", "2025-02-01"]),
        }
    )
    fam = pd.DataFrame(
        {"family_id": ["F1", "F2", "F3", "F4"], "start_date": pd.to_datetime(["2024-01-10"] * 4)}
    )
    r = evaluate(
        four_families(),
        Scenario.from_dict(tiny()),
        families=fam,
        counterfactuals=recorded(),
        care_used=care,
        draws=0,
    )
    used = 5 * PRICE
    expected = [
        (GROSS_YEAR - used) * ATTRIBUTED,
        (GROSS_YEAR - used) * ATTRIBUTED * 0.75,
        GROSS_YEAR * ATTRIBUTED * 0.5625,
    ]
    assert r.by_year.groupby("year")["saves"].sum().tolist() == pytest.approx(expected)
    row = r.by_path.set_index("path").loc["social_work"]
    assert row["used_cost"] == pytest.approx(used + used * 0.75 / 1.0225)


def test_cohorts_by_start_year() -> None:
    """F1, F2 start in 2022, F3, F4 in 2023: two cohorts of one expected case, four calendar years."""
    fam = pd.DataFrame(
        {
            "family_id": ["F1", "F2", "F3", "F4"],
            "start_date": pd.to_datetime(["2022-05-01", "2022-06-01", "2023-03-01", "2023-04-01"]),
        }
    )
    r = evaluate(
        four_families(), Scenario.from_dict(tiny()), families=fam, counterfactuals=recorded(), draws=0
    )
    one = 10 * PRICE * ATTRIBUTED  # one expected case, year 1: 686.80584
    by = r.by_year.groupby("calendar_year")[["saves", "invests"]].sum()
    assert by.index.tolist() == [2022, 2023, 2024, 2025]
    assert by["saves"].tolist() == pytest.approx(
        [one, one * 0.75 + one, one * 0.5625 + one * 0.75, one * 0.5625]
    )
    assert by["invests"].tolist() == pytest.approx([1000.0, 1000.0, 0.0, 0.0])  # 2/20 FTE × €10,000 a year


def test_escalation_adds_the_escalated_path_later() -> None:
    """Path A (10 social-work contacts, year 1) escalates to B (€1,000 a year for 2 years) with
    p = 0.1 one year later; no adjustments, no discounting: 1362.71 + 0.1 × 1000 + 0.1 × 1000."""
    spec = tiny(
        **{
            "discount.costs": 0.0,
            "discount.effects": 0.0,
            "prices.ots": {
                "unit": "year",
                "price": 1000.0,
                "price_year": 2024,
                "payer": "state",
                "source": "t",
            },
            "paths.social_work.components": [{"care_type": "social_work", "units_per_year": 10, "years": 1}],
            "paths.social_work.escalations": [{"to": "ots", "probability": 0.1, "after_years": 1}],
            "paths.social_work.prevalence": 0.0,
            "paths.ots": {
                "source": "t",
                "components": [{"care_type": "ots", "units_per_year": 1, "years": 2}],
            },
            "adjustments.deadweight.value": 0.0,
            "adjustments.attribution.value": 0.0,
            "adjustments.displacement.value": 0.0,
            "adjustments.dropoff.value": 0.0,
        }
    )
    s = Scenario.from_dict(spec)
    r = evaluate(four_families(), s, counterfactuals=recorded(1.0, ids=("F1",)), draws=0)
    # F2..F4 have no judgement and no rule applies: prevalence, here 0; F1: one certain case
    assert r.by_year.groupby("year")["saves"].sum().tolist() == pytest.approx([1362.71, 100.0, 100.0])
    assert r.headline["gross_avoided_cost"] == pytest.approx(1562.71)
    short = Scenario.from_dict({**spec, "scenario": {**spec["scenario"], "horizon": 2}})
    r2 = evaluate(four_families(), short, counterfactuals=recorded(1.0, ids=("F1",)), draws=0)
    assert r2.headline["gross_avoided_cost"] == pytest.approx(1462.71)  # year 3 beyond the horizon


def test_programme_costs_table_is_indexed() -> None:
    """€1,000 spent in 2022 is €1,073 of 2024 (CBS factor 1.073); €500 of 2024 two years later."""
    table = pd.DataFrame(
        {"year": [2022, 2024], "municipality": "Ede", "item": "coordinator", "amount": [1000, 500]}
    )
    fam = pd.DataFrame(
        {"family_id": ["F1", "F2", "F3", "F4"], "start_date": pd.to_datetime(["2024-02-01"] * 4)}
    )
    r = evaluate(
        four_families(),
        Scenario.from_dict(tiny()),
        families=fam,
        counterfactuals=recorded(),
        programme_costs=table,
        draws=0,
    )
    assert r.headline["programme_cost"] == pytest.approx(1073 + 500 / 1.0225**2)
    # the cohort starts in 2024, two years after the first programme year: its avoided care is
    # discounted by two more years
    assert r.headline["gross_avoided_cost"] == pytest.approx(PV / 1.0225**2)


def test_local_prices_replace_the_scenario() -> None:
    prices = pd.DataFrame(
        {
            "care_type": ["social_work", "volunteer_time"],
            "unit": ["contact", "hour"],
            "price": [150.0, 18.8],
            "price_year": [2024, 2022],
            "payer": ["state", "families"],
            "source": ["local tariff", "Kostenhandleiding 2024"],
        }
    )
    r = evaluate(
        four_families(), Scenario.from_dict(tiny()), counterfactuals=recorded(), prices=prices, draws=0
    )
    expected = sum(CASES * 10 * 150.0 * ATTRIBUTED * 0.75**t * DF[t] for t in range(3))
    assert r.headline["gross_avoided_cost"] == pytest.approx(expected)
    assert r.by_payer.set_index("payer").loc["state", "saves"] == pytest.approx(expected)


def test_volunteer_time_is_a_societal_cost() -> None:
    """92 hours × €18.80 (2022) × 1.073 per family, on the volunteers' (non-fiscal) account."""
    spec = tiny(
        **{
            "programme.volunteer_time": {
                "include": True,
                "hours_per_family": 92.0,
                "hour_value": 18.80,
                "price_year": 2022,
                "source": "Kostenhandleiding 2024",
            }
        }
    )
    r = evaluate(four_families(), Scenario.from_dict(spec), counterfactuals=recorded(), draws=0)
    volunteer = 4 * 92.0 * 18.80 * 1.073  # 7423.3 for four families
    bp = r.by_payer.set_index("payer")
    assert bp.loc["volunteers", "invests"] == pytest.approx(volunteer)
    assert not bp.loc["volunteers", "fiscal"]
    assert r.headline["programme_cost"] == pytest.approx(COST + volunteer)
    assert r.headline["fiscal_net_benefit"] == pytest.approx(PV - COST)  # volunteers' time is not fiscal
    off = evaluate(four_families(), Scenario.from_dict(tiny()), counterfactuals=recorded(), draws=0)
    assert off.by_payer.set_index("payer").loc["volunteers", "invests"] == 0.0
