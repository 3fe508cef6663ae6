"""Result tables of :mod:`impactkit.measures`; each knows which figure draws it.

Figures are imported inside ``figure()`` so that measures never depend on plotly at import time
(dependencies point one way: measures <- figures).
"""

from __future__ import annotations

from typing import Any

from impactkit._result import ResultFrame

__all__ = [
    "ChangeResult",
    "DescribeResult",
    "OmnibusResult",
    "ReliableChangeResult",
    "TransitionsResult",
]


class DescribeResult(ResultFrame):
    """Per domain × wave: n, mean, sd, median, n_missing, share_sufficient and level shares."""

    _title = "Scores per domain and wave"

    def figure(self, **kwargs: Any) -> Any:
        from impactkit.figures._measures import radar

        return radar(self, **kwargs)


class ChangeResult(ResultFrame):
    """Paired change per domain between two waves."""

    _title = "Paired change per domain"

    def figure(self, **kwargs: Any) -> Any:
        from impactkit.figures._measures import distance_travelled

        return distance_travelled(self, **kwargs)


class OmnibusResult(ResultFrame):
    """Friedman and repeated-measures ANOVA across all waves per domain."""

    _title = "Change across all waves (complete cases)"

    def figure(self, **kwargs: Any) -> Any:
        from impactkit.figures._measures import omnibus_effects

        return omnibus_effects(self, **kwargs)


class ReliableChangeResult(ResultFrame):
    """Jacobson-Truax reliable change per family × domain (or per family)."""

    _title = "Reliable change (Jacobson & Truax 1991)"

    def summary_frame(self) -> Any:
        """Share of families per category and domain (not one row per family)."""
        from impactkit.measures import reliable_change_shares

        return reliable_change_shares(self)

    def figure(self, **kwargs: Any) -> Any:
        from impactkit.figures._measures import rci_categories

        return rci_categories(self, **kwargs)


class TransitionsResult(ResultFrame):
    """Counts of families moving from each level to each level between two waves."""

    _title = "Level transitions"

    def figure(self, **kwargs: Any) -> Any:
        from impactkit.figures._flows import transitions_sankey

        return transitions_sankey(self, **kwargs)
