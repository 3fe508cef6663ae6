"""Distributions parameterised by mean and sd (or low/mode/high) reproduce those moments.

Reference: the moments of scipy.stats' beta, gamma, lognorm and triang distributions (an
independent implementation of the same families), and the textbook triangular mean (l + m + h) / 3.
"""

from __future__ import annotations

import numpy as np
import pytest

from impactkit.costs import Param
from impactkit.costs._params import parse_param, sample
from impactkit.errors import ScenarioError

N = 200_000


@pytest.mark.parametrize(
    "param",
    [
        Param("p", 0.3, "beta", sd=0.1),
        Param("c", 127.0, "gamma", sd=19.05),
        Param("r", 1.5, "lognormal", sd=0.3),
    ],
    ids=["beta", "gamma", "lognormal"],
)
def test_mean_and_sd_are_honoured(param: Param) -> None:
    frozen = param.frozen()
    assert frozen.mean() == pytest.approx(param.value)
    assert frozen.std() == pytest.approx(param.sd)
    x = param.draw(np.random.default_rng(7), N)
    assert abs(x.mean() - param.value) < 4 * param.sd / np.sqrt(N)
    assert x.std() == pytest.approx(param.sd, rel=0.02)


def test_triangular_low_mode_high() -> None:
    p = Param("foster", 17.50, "triangular", low=17.50, high=21.51)
    x = p.draw(np.random.default_rng(7), N)
    assert x.min() >= 17.50
    assert x.max() <= 21.51
    assert x.mean() == pytest.approx((17.50 + 17.50 + 21.51) / 3, rel=1e-3)
    assert p.frozen().mean() == pytest.approx((17.50 + 17.50 + 21.51) / 3)


def test_fixed_and_zero_sd_do_not_vary() -> None:
    rng = np.random.default_rng(0)
    assert (Param("f", 3.0).draw(rng, 5) == 3.0).all()
    assert (Param("g", 3.0, "gamma", sd=0.0).draw(rng, 5) == 3.0).all()
    assert Param("f", 3.0).range is None


def test_range_is_given_or_the_95_percent_interval() -> None:
    assert Param("x", 5.0, low=1.0, high=9.0).range == (1.0, 9.0)
    lo, hi = Param("c", 127.0, "gamma", sd=19.05).range  # type: ignore[misc]
    frozen = Param("c", 127.0, "gamma", sd=19.05).frozen()
    assert frozen.cdf(lo) == pytest.approx(0.025)
    assert frozen.cdf(hi) == pytest.approx(0.975)


def test_sampling_is_seeded() -> None:
    params = [Param("a", 0.3, "beta", sd=0.1), Param("b", 10.0, "gamma", sd=2.0)]
    one, two, other = sample(params, 50, 3), sample(params, 50, 3), sample(params, 50, 4)
    assert all((one[k] == two[k]).all() for k in one)
    assert not (one["a"] == other["a"]).all()


def test_rescaled_keeps_relative_uncertainty() -> None:
    p = Param("c", 100.0, "gamma", sd=20.0, low=60.0, high=150.0).rescaled(1.5, source="local tariff")
    assert (p.value, p.sd, p.low, p.high, p.source) == (150.0, 30.0, 90.0, 225.0, "local tariff")


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ({"value": 0.5, "dist": "beta"}, "'sd' is required"),
        ({"dist": "gamma", "sd": 1}, "'value' is required"),
        ({"value": 1, "sd": -1, "dist": "gamma"}, "non-negative"),
        ({"value": "ten"}, "expected a number"),
        ({"value": 1, "colour": "red"}, "unknown key"),
        ({"value": -1.0, "dist": "lognormal", "sd": 1.0}, "at least 0"),
    ],
)
def test_parse_errors(raw: dict, message: str) -> None:
    with pytest.raises(ScenarioError, match=message):
        parse_param(raw, name="x", file="f.toml", minimum=0.0)


def test_triangular_from_zero() -> None:
    """A triangular range may start at 0 (e.g. displacement 0–10%, mode 0)."""
    x = Param("d", 0.0, "triangular", low=0.0, high=0.1).draw(np.random.default_rng(1), N)
    assert x.min() >= 0.0
    assert x.mean() == pytest.approx(0.1 / 3, rel=0.01)


def test_tornado_range_is_scipy_stats_quantile_to_the_bit() -> None:
    # Param.range computes the 2.5% and 97.5% quantiles from scipy.special (no scipy.stats import);
    # reference: scipy.stats' frozen beta, gamma and lognorm (Param.frozen), which must agree exactly
    from impactkit.costs import Scenario

    params = [p for p in Scenario.default().params() if p.dist in ("beta", "gamma", "lognormal") and p.sd]
    rng = np.random.default_rng(5)
    params += [
        Param("b", m, "beta", sd=m * (1 - m) * f) for m, f in rng.uniform([0.01, 0.05], [0.99, 0.9], (40, 2))
    ]
    params += [
        Param(d, m, d, sd=m * f)
        for d in ("gamma", "lognormal")
        for m, f in rng.uniform([0.1, 0.01], [5e4, 2], (40, 2))
    ]
    assert len(params) > 100
    for p in params:
        frozen = p.frozen()
        assert p.range == (float(frozen.ppf(0.025)), float(frozen.ppf(0.975))), p
