"""Properties (hypothesis): net benefit is monotone in prices and likelihoods, zero discounting is the
plain sum, and the PSA mean converges to the deterministic value where the model is (multi)linear
in independent uncertain parameters."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from _costs_data import four_families, recorded, tiny
from hypothesis import given, settings
from hypothesis import strategies as st

from impactkit.costs import Scenario, business_case, evaluate

DEFAULT = Scenario.default()
CARE_TYPES = sorted(DEFAULT.prices)


def _with_price(s: Scenario, care_type: str, factor: float) -> Scenario:
    price = s.prices[care_type]
    new = replace(price, price=replace(price.price, value=price.price.value * factor))
    return replace(s, prices={**s.prices, care_type: new})


@settings(max_examples=30, deadline=None)
@given(st.sampled_from(CARE_TYPES), st.floats(1.0, 5.0), st.integers(1, 4))
def test_net_benefit_is_monotone_in_prices(care_type: str, factor: float, years: int) -> None:
    base = business_case(DEFAULT, families_per_year=30, years=years, draws=0).headline["net_benefit"]
    dearer = business_case(
        _with_price(DEFAULT, care_type, factor), families_per_year=30, years=years, draws=0
    )
    assert dearer.headline["net_benefit"] >= base - 1e-6 * abs(base)


@settings(max_examples=30, deadline=None)
@given(
    st.lists(st.floats(0.0, 1.0), min_size=4, max_size=4),
    st.lists(st.floats(0.0, 1.0), min_size=4, max_size=4),
)
def test_net_benefit_is_monotone_in_likelihoods(low: list[float], extra: list[float]) -> None:
    s = Scenario.from_dict(tiny())
    high = [min(1.0, a + b) for a, b in zip(low, extra, strict=True)]
    ids = ("F1", "F2", "F3", "F4")

    def net(lik: list[float]) -> float:
        cf = recorded(0.0, ids=ids).assign(likelihood=lik)
        return evaluate(four_families(), s, counterfactuals=cf, draws=0).headline["net_benefit"]

    assert net(high) >= net(low) - 1e-9


@settings(max_examples=25, deadline=None)
@given(
    st.floats(0.0, 0.9),
    st.floats(0.0, 0.9),
    st.integers(1, 6),
    st.integers(1, 3),
)
def test_zero_discount_equals_the_plain_sum(
    deadweight: float, dropoff: float, horizon: int, years: int
) -> None:
    spec = tiny(
        **{
            "discount.costs": 0.0,
            "discount.effects": 0.0,
            "adjustments.deadweight.value": deadweight,
            "adjustments.dropoff.value": dropoff,
            "scenario.horizon": horizon,
        }
    )
    r = business_case(Scenario.from_dict(spec), families_per_year=25, years=years, draws=0)
    assert r.headline["gross_avoided_cost"] == pytest.approx(r.by_year["saves"].sum())
    assert r.headline["programme_cost"] == pytest.approx(r.by_year["invests"].sum())
    assert r.headline["net_benefit"] == pytest.approx(r.headline["net_benefit_undiscounted"])


LINEAR = tiny(
    **{
        "prices.social_work.price": {"value": 127.0, "dist": "gamma", "sd": 30.0},
        "paths.social_work.prevalence": {"value": 0.3, "dist": "beta", "sd": 0.1},
        "adjustments.deadweight": {"value": 0.3, "dist": "beta", "sd": 0.1, "source": "t"},
        "adjustments.attribution": {"value": 0.2, "dist": "lognormal", "sd": 0.05, "source": "t"},
        "programme.costs.coordinator.amount": {"value": 10000.0, "dist": "gamma", "sd": 2000.0},
    }
)


@settings(max_examples=5, deadline=None)
@given(st.integers(0, 2**32 - 1))
def test_psa_mean_converges_to_the_deterministic_value(seed: int) -> None:
    """Gross avoided cost = price × prevalence × (1 − dw) × (1 − attr) × constants: multilinear in
    independent parameters whose means are the base values, so E[gross] = deterministic gross."""
    r = business_case(Scenario.from_dict(LINEAR), families_per_year=40, years=2, draws=20000, seed=seed)
    psa = r.psa.set_index("quantity")
    for q in ("gross_avoided_cost", "programme_cost", "net_benefit"):
        se = psa.loc[q, "sd"] / np.sqrt(20000)
        assert abs(psa.loc[q, "mean"] - r.headline[q]) < 5 * se, q
