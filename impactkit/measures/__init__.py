"""Repeated-measures statistics on the canonical long frame, matching R.

Every function takes the canonical long assessment frame first and keyword-only options after,
and returns a tidy result table (a DataFrame with ``summary()``, ``figure()`` and notes).
"""

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
from impactkit.measures._planning import PlanningResult, minimum_detectable_change, power_mixed, power_paired
from impactkit.measures._reliable import cronbach_alpha, reliable_change, reliable_change_shares
from impactkit.measures._reliable_summary import ReliableChangeSummary, chance_share, reliable_change_summary
from impactkit.measures._results import (
    ChangeResult,
    DescribeResult,
    OmnibusResult,
    ReliableChangeResult,
    TransitionsResult,
)

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
