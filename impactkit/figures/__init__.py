"""Plotly figures of impactkit's tables: the one place charts are drawn (returned, never shown).

Every function takes a tidy table (a result table, or the same columns with suppressed cells as
NaN), ``lang`` (any language with catalogues) and, where labels need it, the instrument or the
scenario; ``title=""`` leaves the title out (a report puts its own heading above).  The report,
the result objects' ``figure()`` and the notebooks all call these.

>>> import impactkit as ik
>>> ds = ik.read_dataset("data/sample", today="2026-11-01")
>>> fig = ik.figures.radar(ik.describe(ds.assessments), lang="nl")
>>> fig.data[0].name, fig.layout.polar.angularaxis.direction
('Intake', 'clockwise')
"""

from impactkit.figures._costs import (
    costs_acceptability,
    costs_by_payer,
    costs_by_year,
    costs_psa_histogram,
    costs_spread,
    costs_tornado,
    costs_waterfall,
)
from impactkit.figures._flows import HIDDEN, attrition_flow, transitions_sankey
from impactkit.figures._labels import Labels
from impactkit.figures._measures import (
    change_shares,
    distance_travelled,
    omnibus_effects,
    radar,
    rci_categories,
)
from impactkit.figures._models import marginal_means_lines, reliable_change_chance_bars
from impactkit.figures._outcomes import (
    family_journey_lines,
    family_timeline,
    phase_label,
    phase_rates_bars,
    rate_ratio_forest,
)
from impactkit.figures._theme import NEGATIVE, NEUTRAL, PALETTE, POSITIVE, apply_theme, wrap

__all__ = [
    "HIDDEN",
    "NEGATIVE",
    "NEUTRAL",
    "PALETTE",
    "POSITIVE",
    "Labels",
    "apply_theme",
    "attrition_flow",
    "change_shares",
    "costs_acceptability",
    "costs_by_payer",
    "costs_by_year",
    "costs_psa_histogram",
    "costs_spread",
    "costs_tornado",
    "costs_waterfall",
    "distance_travelled",
    "family_journey_lines",
    "family_timeline",
    "marginal_means_lines",
    "omnibus_effects",
    "phase_label",
    "phase_rates_bars",
    "radar",
    "rate_ratio_forest",
    "rci_categories",
    "reliable_change_chance_bars",
    "transitions_sankey",
    "wrap",
]
