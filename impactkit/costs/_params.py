"""Uncertain parameters: a base value, a distribution for the PSA and a range for the tornado.

Every number in a scenario that may vary is a :class:`Param`.  Distributions are parameterised the
way evaluators write them down, never by shape and scale:

==========  ==========================================  =============================================
dist        given as                                     drawn with (numpy Generator)
==========  ==========================================  =============================================
fixed       ``value``                                    (no draw)
beta        ``value`` = mean, ``sd`` (0 < mean < 1)      ``beta(a, b)``, a = m k, b = (1 - m) k,
                                                         k = m (1 - m) / sd² - 1
gamma       ``value`` = mean, ``sd`` (mean > 0)          ``gamma(shape=(m/sd)², scale=sd²/m)``
lognormal   ``value`` = mean, ``sd`` (mean > 0)          ``lognormal(mu, s)``, s² = ln(1 + sd²/m²),
                                                         mu = ln m - s²/2
triangular  ``value`` = mode, ``low``, ``high``          ``triangular(low, mode, high)``
==========  ==========================================  =============================================

The deterministic evaluation uses ``value``: the mean for beta, gamma and lognormal, so the PSA mean
converges to the deterministic result wherever the model is linear in the parameter; the mode for
triangular (the expert's most likely value), whose PSA mean is (low + mode + high) / 3.

The tornado varies a parameter between ``low`` and ``high`` when given, else between the 2.5% and
97.5% quantiles of its distribution; a fixed parameter without ``low``/``high`` is not varied.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any

import numpy as np

from impactkit.errors import ScenarioError

__all__ = ["DISTRIBUTIONS", "Param", "parse_param", "sample"]

DISTRIBUTIONS = ("fixed", "beta", "gamma", "lognormal", "triangular")
_KEYS = {"value", "dist", "sd", "low", "high", "source", "source_nl", "source_en"}
MAX_ABS = 1e12  # no price, count or share in a cost scenario comes near this; larger ones overflow sums


@dataclass(frozen=True)
class Param:
    """One uncertain number.

    Attributes
    ----------
    name : str
        Dotted scenario key, e.g. ``prices.social_work.price``.
    value : float
        Base value (mean for beta/gamma/lognormal, mode for triangular).
    dist : str
        One of :data:`DISTRIBUTIONS`.
    sd : float or None
        Standard deviation (beta, gamma, lognormal).
    low, high : float or None
        Range (triangular bounds; tornado range for every distribution).
    source : str
        Where the number comes from.
    """

    name: str
    value: float
    dist: str = "fixed"
    sd: float | None = None
    low: float | None = None
    high: float | None = None
    source: str = ""
    source_nl: str = ""

    def source_in(self, lang: str) -> str:
        """The source in ``lang``: ``source_nl`` for Dutch when given, else ``source``."""
        return self.source_nl if lang == "nl" and self.source_nl else self.source

    def draw(self, rng: np.random.Generator, n: int) -> np.ndarray:
        """``n`` draws (the base value repeated for ``fixed``)."""
        m = self.value
        if self.dist == "fixed":
            return np.full(n, m)
        if self.dist == "triangular":
            low = m if self.low is None else self.low
            high = m if self.high is None else self.high
            if low == high:
                return np.full(n, m)
            return rng.triangular(low, m, high, n)
        sd = float(self.sd or 0.0)
        if sd == 0.0:
            return np.full(n, m)
        if self.dist == "beta":
            k = m * (1 - m) / sd**2 - 1
            return rng.beta(m * k, (1 - m) * k, n)
        if self.dist == "gamma":
            return rng.gamma((m / sd) ** 2, sd**2 / m, n)
        s2 = math.log1p(sd**2 / m**2)
        return rng.lognormal(math.log(m) - s2 / 2, math.sqrt(s2), n)

    def frozen(self) -> Any:
        """The scipy.stats frozen distribution (None for ``fixed``)."""
        from scipy import stats  # only here: scipy.stats costs ~1 s of start-up

        m, sd = self.value, float(self.sd or 0.0)
        if self.dist == "triangular" and self.high != self.low:
            lo, hi = float(self.low), float(self.high)  # type: ignore[arg-type]
            return stats.triang((m - lo) / (hi - lo), loc=lo, scale=hi - lo)
        if self.dist in ("fixed", "triangular") or sd == 0.0:
            return None
        if self.dist == "beta":
            k = m * (1 - m) / sd**2 - 1
            return stats.beta(m * k, (1 - m) * k)
        if self.dist == "gamma":
            return stats.gamma((m / sd) ** 2, scale=sd**2 / m)
        s2 = math.log1p(sd**2 / m**2)
        return stats.lognorm(math.sqrt(s2), scale=math.exp(math.log(m) - s2 / 2))

    @property
    def range(self) -> tuple[float, float] | None:
        """(low, high) for the tornado, or None when the parameter is not varied."""
        if self.low is not None and self.high is not None:
            return (self.low, self.high)
        return _interval(self.dist, self.value, self.sd)

    def rescaled(self, factor: float, *, source: str | None = None) -> Param:
        """The same relative uncertainty around ``value × factor`` (a price replaced by a local tariff)."""

        def scale(v: float | None) -> float | None:
            return None if v is None else v * factor

        return replace(
            self,
            value=self.value * factor,
            sd=scale(self.sd),
            low=scale(self.low),
            high=scale(self.high),
            source=self.source if source is None else source,
            source_nl=self.source_nl if source is None else "",
        )


@lru_cache(maxsize=4096)
def _interval(dist: str, value: float, sd: float | None) -> tuple[float, float] | None:
    """The central 95% interval of a distribution (cached).

    The quantiles of :meth:`Param.frozen`, computed as scipy.stats computes them (the standard
    form's quantile × scale + loc) from the same scipy.special functions, without importing
    scipy.stats (about a second of the costs command's start-up); tests/costs/test_params.py
    checks that they are the frozen distribution's to the bit.
    """
    from scipy import special

    m, s = value, float(sd or 0.0)
    if dist in ("fixed", "triangular") or s == 0.0:
        return None  # a triangular range is its low and high (Param.range)
    q = np.array([0.025, 0.975])
    if dist == "beta":
        k = m * (1 - m) / s**2 - 1
        x = special.betaincinv(m * k, (1 - m) * k, q) * 1.0 + 0.0
    elif dist == "gamma":
        x = special.gammaincinv((m / s) ** 2, q) * (s**2 / m) + 0.0
    else:  # lognormal
        s2 = math.log1p(s**2 / m**2)
        x = np.exp(math.sqrt(s2) * special.ndtri(q)) * math.exp(math.log(m) - s2 / 2) + 0.0
    return (float(x[0]), float(x[1]))


def parse_param(
    raw: Any,
    *,
    name: str,
    file: str,
    minimum: float | None = None,
    maximum: float | None = None,
    source: str = "",
    source_nl: str = "",
) -> Param:
    """A :class:`Param` from a number or a table ``{value, dist, sd, low, high, source}``.

    Raises :class:`ScenarioError` naming ``file`` and the key when the value, the distribution or
    its parameters are impossible (a beta sd too large for its mean, a mode outside low-high, ...).
    """
    spec: Mapping[str, Any] = raw if isinstance(raw, Mapping) else {"value": raw}
    unknown = sorted(set(spec) - _KEYS)
    if unknown:
        raise ScenarioError.at("unknown_keys", source=file, key=name, unknown=unknown, allowed=sorted(_KEYS))
    if "value" not in spec:
        raise ScenarioError.at("value_required", source=file, key=name)

    def num(key: str, required: bool = False) -> float | None:
        v = spec.get(key)
        if v is None:
            if required:
                raise ScenarioError.at("dist_param_required", source=file, key=name, name=key)
            return None
        if isinstance(v, bool) or not isinstance(v, int | float):
            raise ScenarioError.at("expected_number", source=file, key=f"{name}.{key}", got=repr(v))
        if not math.isfinite(v):
            raise ScenarioError.at("expected_finite_number", source=file, key=f"{name}.{key}", got=repr(v))
        if abs(v) > MAX_ABS:
            raise ScenarioError.at("number_too_large", source=file, key=f"{name}.{key}", max=f"{MAX_ABS:.0e}",
                                   got=f"{v:g}")  # fmt: skip
        return float(v)

    value = num("value", required=True) or 0.0  # required=True: None never reaches here
    dist = spec.get("dist", "fixed")
    if dist not in DISTRIBUTIONS:
        raise ScenarioError.at("unknown_dist", source=file, key=f"{name}.dist", got=repr(dist),
                               allowed=", ".join(DISTRIBUTIONS))  # fmt: skip
    sd, low, high = num("sd", dist in ("beta", "gamma", "lognormal")), num("low"), num("high")
    for key, v in (("value", value), ("low", low), ("high", high)):
        if v is None:
            continue
        if minimum is not None and v < minimum:
            raise ScenarioError.at(
                "at_least", source=file, key=f"{name}.{key}", min=f"{minimum:g}", got=f"{v:g}"
            )
        if maximum is not None and v > maximum:
            raise ScenarioError.at(
                "at_most", source=file, key=f"{name}.{key}", max=f"{maximum:g}", got=f"{v:g}"
            )
    if (low is None) != (high is None) or (low is not None and not low <= value <= high):  # type: ignore[operator]
        raise ScenarioError.at("low_high", source=file, key=name, value=f"{value:g}", low=low, high=high)
    if dist == "triangular" and low is None:
        raise ScenarioError.at("triangular_bounds", source=file, key=name)
    if sd is not None and sd < 0:
        raise ScenarioError.at("sd_negative", source=file, key=f"{name}.sd", got=f"{sd:g}")
    if dist == "beta" and sd and not (0 < value < 1 and sd**2 < value * (1 - value)):
        raise ScenarioError.at("beta_moments", source=file, key=name, mean=f"{value:g}", sd=f"{sd:g}")
    if dist in ("gamma", "lognormal") and sd and value <= 0:
        raise ScenarioError.at("positive_mean", source=file, key=name, dist=dist, got=f"{value:g}")
    texts = {}
    for key, default in (("source", source), ("source_nl", source_nl)):
        val = spec.get(key, default)
        if key == "source" and "source_en" in spec:
            val = spec["source_en"]
        if not isinstance(val, str):
            raise ScenarioError.at("expected_text", source=file, key=f"{name}.{key}", got=repr(val))
        texts[key] = val
    return Param(
        name=name, value=value, dist=dist, sd=sd, low=low, high=high, source=texts["source"],
        source_nl=texts["source_nl"],
    )  # fmt: skip


def sample(params: list[Param], draws: int, seed: int | np.random.Generator) -> dict[str, np.ndarray]:
    """Draw every parameter ``draws`` times from ``np.random.default_rng(seed)``, in list order."""
    rng = seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)
    return {p.name: p.draw(rng, draws) for p in params}
