"""Plotly figures built from impactkit's result tables; returned, never shown."""

from impactkit.figures._theme import NEGATIVE, NEUTRAL, PALETTE, POSITIVE, apply_theme

__all__ = ["NEGATIVE", "NEUTRAL", "PALETTE", "POSITIVE", "apply_theme"]
