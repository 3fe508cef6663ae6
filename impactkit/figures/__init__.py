"""Plotly figures built from impactkit's result tables; returned, never shown."""

from impactkit.figures._costs import (
    costs_acceptability,
    costs_by_payer,
    costs_by_year,
    costs_psa_histogram,
    costs_tornado,
    costs_waterfall,
)
from impactkit.figures._theme import NEGATIVE, NEUTRAL, PALETTE, POSITIVE, apply_theme

__all__ = [
    "NEGATIVE",
    "NEUTRAL",
    "PALETTE",
    "POSITIVE",
    "apply_theme",
    "costs_acceptability",
    "costs_by_payer",
    "costs_by_year",
    "costs_psa_histogram",
    "costs_tornado",
    "costs_waterfall",
]
