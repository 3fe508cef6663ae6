"""Plotly figures built from impactkit's result tables; returned, never shown."""

from impactkit.figures._costs import (
    costs_acceptability,
    costs_by_payer,
    costs_by_year,
    costs_psa_histogram,
    costs_tornado,
    costs_waterfall,
)
from impactkit.figures._measures import (
    attrition_flow,
    distance_travelled,
    omnibus_effects,
    radar,
    rci_categories,
    transitions_sankey,
)
from impactkit.figures._models import marginal_means_lines
from impactkit.figures._outcomes import phase_rates_bars, rate_ratio_forest
from impactkit.figures._theme import NEGATIVE, NEUTRAL, PALETTE, POSITIVE, apply_theme

__all__ = [
    "NEGATIVE",
    "NEUTRAL",
    "PALETTE",
    "POSITIVE",
    "apply_theme",
    "attrition_flow",
    "costs_acceptability",
    "costs_by_payer",
    "costs_by_year",
    "costs_psa_histogram",
    "costs_tornado",
    "costs_waterfall",
    "distance_travelled",
    "marginal_means_lines",
    "omnibus_effects",
    "phase_rates_bars",
    "radar",
    "rate_ratio_forest",
    "rci_categories",
    "transitions_sankey",
]
