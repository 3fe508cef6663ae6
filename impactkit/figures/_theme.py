"""Shared look of every impactkit figure: a colour-blind-safe palette and a plain template.

Okabe & Ito (2008), "Color Universal Design": distinguishable under the common colour-vision
deficiencies. Never encode meaning by red versus green alone; pair colour with labels or patterns.
"""

from __future__ import annotations

import plotly.graph_objects as go

__all__ = ["NEGATIVE", "NEUTRAL", "PALETTE", "POSITIVE", "apply_theme"]

PALETTE = [
    "#0072B2",  # blue
    "#E69F00",  # orange
    "#009E73",  # bluish green
    "#CC79A7",  # reddish purple
    "#56B4E9",  # sky blue
    "#D55E00",  # vermillion
    "#F0E442",  # yellow
    "#000000",  # black
]
POSITIVE = "#0072B2"  # gains, savings: blue (not green)
NEGATIVE = "#D55E00"  # losses, costs: vermillion (not red)
NEUTRAL = "#999999"


def apply_theme(fig: go.Figure, *, title: str | None = None) -> go.Figure:
    """Apply impactkit's layout (font, white background, palette) and return the figure."""
    fig.update_layout(
        template="plotly_white",
        colorway=PALETTE,
        font={"family": "Source Sans Pro, Segoe UI, Helvetica, Arial, sans-serif", "size": 13},
        margin={"l": 60, "r": 30, "t": 60 if title else 30, "b": 50},
        title={"text": title} if title else None,
        legend={"orientation": "h", "y": -0.15},
    )
    return fig
