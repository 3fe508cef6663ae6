"""Bounds of hidden shares that follow from what a release publishes (issue 12 item 5).

Secondary suppression may hide the largest category of a split because it is the complement of
a small one: 41 families, "unchanged" under 10, nobody worse, so "improved" (32 to 40 families)
is hidden too.  Yet every reader knows it is at least 41 - 9 = 32.  Such a bound tells no reader
anything new, so the report prints it ("at least 78%") instead of hiding the finding.

The bound is the feasible range the release's audit computes for the hidden count
(:meth:`impactkit.privacy.Audit.count_range`: a linear programme over every count and marker the
whole release publishes, the attacker the suppression is audited against: published counts
exact, ``<k`` = 1 to k-1 families, ``x`` = at least k, withheld splits free).  The range of the
linear relaxation contains every integer solution, so its minimum rounded up to a whole family
is still implied (counts are whole), and so is its maximum rounded down.  Printed shares round
the safe way: the lower bound down, the upper bound up, to the printed precision (whole
percents).

Only a SECONDARY cell gets a bound: a primary one already says "<k" (1 to k-1 families), and a
withheld split publishes nothing at all, not even how it is bounded.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from impactkit.privacy import SECONDARY
from impactkit.report._publish import Publisher, Value

__all__ = ["ShareBound", "share_bound"]

TOL = 1e-6  # LP optima are floating point: 31.9999999 is 32 families


@dataclass(frozen=True)
class ShareBound:
    """What the published figures imply about a hidden count out of a published whole.

    ``n_low`` / ``n_high``: whole families; ``low`` / ``high``: the shares as printed (whole
    percents as fractions, rounded down / up); ``n``: the whole.
    """

    n_low: int
    n_high: int
    n: int

    @property
    def low(self) -> float:
        return (100 * self.n_low // self.n) / 100

    @property
    def high(self) -> float:
        return -(-100 * self.n_high // self.n) / 100

    @property
    def has_low(self) -> bool:
        """The lower bound says more than "at least 0%"."""
        return self.low > 0

    @property
    def has_high(self) -> bool:
        """The upper bound says more than "at most 100%"."""
        return self.high < 1


def share_bound(pub: Publisher, count: Value, whole: Value) -> ShareBound | None:
    """The bound of ``count / whole`` when ``count`` is hidden as secondary and ``whole`` is
    published; None otherwise, or when the bound says nothing (0% to 100%)."""
    if not pub.protected or pub.status(count) != SECONDARY or not pub.shown(whole):
        return None
    n = pub.raw(whole)
    rng = pub.range(count)
    if rng is None or not n or not math.isfinite(n):
        return None
    lo, hi = rng
    n_low = max(0, math.ceil(lo - TOL)) if math.isfinite(lo) else 0
    n_high = min(int(n), math.floor(hi + TOL)) if math.isfinite(hi) else int(n)
    b = ShareBound(n_low, n_high, int(n))
    return b if b.has_low or b.has_high else None


def bound_text(f: Any, b: ShareBound) -> str:
    """``≥ 78%`` (a lower bound), else ``≤ 12%``: the table cell of a bounded share (``f`` the
    plain :class:`~impactkit.i18n.Formatter`)."""
    if b.has_low:
        return f"≥ {f.percent(b.low)}"
    return f"≤ {f.percent(b.high)}"
