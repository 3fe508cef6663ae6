"""Sentences built from published values only.

A caption states a finding.  When the figure behind it is suppressed it must neither print the
figure nor state something the figure would contradict, nor quietly name a lesser domain because
the best one is hidden.  Every sentence with a number therefore has three forms in the catalogue:

* ``<key>``: the value as published;
* ``<key>_few``: the value rests on fewer than k families (primary suppression: "fewer than k"
  is true and already published as the marker ``<k``);
* ``<key>_hidden``: the value is hidden to protect another one (secondary suppression), or its
  whole split is withheld: nothing about its size may be said;
* ``<key>_at_least`` / ``<key>_at_most`` (where the catalogue has them): the value is hidden to
  protect another one, but the published figures imply a bound on it (``{low}`` / ``{high}``,
  :mod:`impactkit.report._bounds`): "at least 78% of the 41 families improved".

:func:`say` picks the form from the values' status.  :func:`best_of` finds the best row on the
raw numbers and reports whether it is publishable, so a caption says "the best is not shown"
rather than citing the runner-up.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from impactkit.privacy import PRIMARY, SECONDARY
from impactkit.report._publish import Publisher, Value

__all__ = ["best_of", "form", "say"]


def form(pub: Publisher, *values: Value) -> str:
    """``""`` (published), ``"_few"`` (primary) or ``"_hidden"`` (secondary) for these values."""
    st = pub.status(*values)
    return "" if not st else ("_few" if st == PRIMARY else "_hidden")


def say(
    t: Callable[..., str],
    pub: Publisher,
    key: str,
    values: Sequence[Value],
    *,
    at_least: str | None = None,
    at_most: str | None = None,
    **texts: Any,
) -> str:
    """The sentence ``key`` in the form the status of ``values`` allows (see the module docstring).

    ``at_least`` / ``at_most``: the printed bound of a value hidden to protect another one (only a
    bound the release implies: :func:`impactkit.report._bounds.share_bound`); used instead of the
    ``_hidden`` form, the lower bound first."""
    f = form(pub, *values)
    if f == "_hidden" and pub.status(*values) == SECONDARY:
        if at_least is not None:
            return t(key + "_at_least", low=at_least, **texts)
        if at_most is not None:
            return t(key + "_at_most", high=at_most, **texts)
    return t(key + f, **texts)


def best_of(pub: Publisher, rows: Sequence[tuple[float, Value, Any]]) -> tuple[Any, bool] | None:
    """The row with the largest raw score, and whether its value may be shown.

    ``rows`` are ``(score, value, payload)``; NaN scores are ignored.  None when there is none.
    """
    cand = [r for r in rows if r[0] == r[0]]
    if not cand:
        return None
    _score, value, payload = max(cand, key=lambda r: r[0])
    return payload, pub.shown(value)
