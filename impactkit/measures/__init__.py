"""Repeated-measures statistics on the canonical long frame, matching R.

Every function takes the canonical long assessment frame first and keyword-only options after,
and returns a tidy result table (a DataFrame with ``summary()``, ``figure()`` and notes).

Importing the package is cheap: each name loads its module on first use (PEP 562, as
:mod:`impactkit`), so a command that runs the paired statistics does not import the GEE, the
mixed models or statsmodels' formula machinery.  A new public name goes in the TYPE_CHECKING
imports, ``_LAZY`` and ``__all__`` (tests/test_lazy_imports.py checks that they agree).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from impactkit._lazy import load

if TYPE_CHECKING:
    from impactkit.measures._adjust import ADJUST_METHODS, p_adjust
    from impactkit.measures._attrition import Attrition, attrition
    from impactkit.measures._change import change
    from impactkit.measures._clm import clm
    from impactkit.measures._describe import describe, transitions
    from impactkit.measures._emmeans import MarginalMeansResult, marginal_means
    from impactkit.measures._gee import gee
    from impactkit.measures._icc import IccResult, icc
    from impactkit.measures._lrt import LikelihoodRatioResult, likelihood_ratio_test
    from impactkit.measures._mixed import MixedModelResult, mixed_model
    from impactkit.measures._mmrm import mmrm
    from impactkit.measures._omnibus import omnibus
    from impactkit.measures._ordinal import clmm
    from impactkit.measures._planning import (
        PlanningResult,
        minimum_detectable_change,
        power_mixed,
        power_paired,
    )
    from impactkit.measures._reliable import cronbach_alpha, reliable_change, reliable_change_shares
    from impactkit.measures._reliable_summary import (
        ReliableChangeSummary,
        chance_share,
        reliable_change_summary,
    )
    from impactkit.measures._results import (
        ChangeResult,
        DescribeResult,
        OmnibusResult,
        ReliableChangeResult,
        TransitionsResult,
    )

_LAZY: dict[str, tuple[str, str | None]] = {
    "ADJUST_METHODS": ("impactkit.measures._adjust", "ADJUST_METHODS"),
    "p_adjust": ("impactkit.measures._adjust", "p_adjust"),
    "Attrition": ("impactkit.measures._attrition", "Attrition"),
    "attrition": ("impactkit.measures._attrition", "attrition"),
    "change": ("impactkit.measures._change", "change"),
    "clm": ("impactkit.measures._clm", "clm"),
    "describe": ("impactkit.measures._describe", "describe"),
    "transitions": ("impactkit.measures._describe", "transitions"),
    "MarginalMeansResult": ("impactkit.measures._emmeans", "MarginalMeansResult"),
    "marginal_means": ("impactkit.measures._emmeans", "marginal_means"),
    "gee": ("impactkit.measures._gee", "gee"),
    "IccResult": ("impactkit.measures._icc", "IccResult"),
    "icc": ("impactkit.measures._icc", "icc"),
    "LikelihoodRatioResult": ("impactkit.measures._lrt", "LikelihoodRatioResult"),
    "likelihood_ratio_test": ("impactkit.measures._lrt", "likelihood_ratio_test"),
    "MixedModelResult": ("impactkit.measures._mixed", "MixedModelResult"),
    "mixed_model": ("impactkit.measures._mixed", "mixed_model"),
    "mmrm": ("impactkit.measures._mmrm", "mmrm"),
    "omnibus": ("impactkit.measures._omnibus", "omnibus"),
    "clmm": ("impactkit.measures._ordinal", "clmm"),
    "PlanningResult": ("impactkit.measures._planning", "PlanningResult"),
    "minimum_detectable_change": ("impactkit.measures._planning", "minimum_detectable_change"),
    "power_mixed": ("impactkit.measures._planning", "power_mixed"),
    "power_paired": ("impactkit.measures._planning", "power_paired"),
    "cronbach_alpha": ("impactkit.measures._reliable", "cronbach_alpha"),
    "reliable_change": ("impactkit.measures._reliable", "reliable_change"),
    "reliable_change_shares": ("impactkit.measures._reliable", "reliable_change_shares"),
    "ReliableChangeSummary": ("impactkit.measures._reliable_summary", "ReliableChangeSummary"),
    "chance_share": ("impactkit.measures._reliable_summary", "chance_share"),
    "reliable_change_summary": ("impactkit.measures._reliable_summary", "reliable_change_summary"),
    "ChangeResult": ("impactkit.measures._results", "ChangeResult"),
    "DescribeResult": ("impactkit.measures._results", "DescribeResult"),
    "OmnibusResult": ("impactkit.measures._results", "OmnibusResult"),
    "ReliableChangeResult": ("impactkit.measures._results", "ReliableChangeResult"),
    "TransitionsResult": ("impactkit.measures._results", "TransitionsResult"),
}


def __getattr__(name: str) -> Any:
    return load(__name__, _LAZY, name, globals())


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))


__all__ = [
    "ADJUST_METHODS",
    "Attrition",
    "ChangeResult",
    "DescribeResult",
    "IccResult",
    "LikelihoodRatioResult",
    "MarginalMeansResult",
    "MixedModelResult",
    "OmnibusResult",
    "PlanningResult",
    "ReliableChangeResult",
    "ReliableChangeSummary",
    "TransitionsResult",
    "attrition",
    "chance_share",
    "change",
    "clm",
    "clmm",
    "cronbach_alpha",
    "describe",
    "gee",
    "icc",
    "likelihood_ratio_test",
    "marginal_means",
    "minimum_detectable_change",
    "mixed_model",
    "mmrm",
    "omnibus",
    "p_adjust",
    "power_mixed",
    "power_paired",
    "reliable_change",
    "reliable_change_shares",
    "reliable_change_summary",
    "transitions",
]
