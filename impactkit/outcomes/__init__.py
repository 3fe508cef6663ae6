"""Outcomes beyond domain scores: events and care use before, during and after support.

Per family, the year before the start, the support itself and the year after are windows with an
exposure time; events (nuisance and police reports, school absence, supervision orders, placements,
crisis contacts) and professional care use are counted in them, care is priced at the scenario's
tariffs, and rate ratios between the windows come from a count model with a family effect.

>>> import impactkit as ik
>>> ds = ik.read_dataset("data/sample", today="2026-11-01")
>>> counts = ik.outcomes.phase_counts(ds)
>>> sorted(counts["phase"].unique().astype(str))
['after', 'before', 'during']
"""

from impactkit.outcomes._counts import phase_counts
from impactkit.outcomes._glmm import GlmmFit, fit_count_glmm
from impactkit.outcomes._models import METHODS, exact_rate_ratio, rate_ratios
from impactkit.outcomes._phases import PHASES, phase_windows
from impactkit.outcomes._rates import phase_rates
from impactkit.outcomes._results import PhaseCounts, PhaseRates, RateRatios

__all__ = [
    "METHODS",
    "PHASES",
    "GlmmFit",
    "PhaseCounts",
    "PhaseRates",
    "RateRatios",
    "exact_rate_ratio",
    "fit_count_glmm",
    "phase_counts",
    "phase_rates",
    "phase_windows",
    "rate_ratios",
]
