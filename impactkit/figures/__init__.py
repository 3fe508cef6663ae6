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

Importing the package is cheap: each name loads its module on first use (PEP 562, as
:mod:`impactkit`), so the command-line tables that only need :class:`Labels` do not import
plotly.  A new public name goes in the TYPE_CHECKING imports, ``_LAZY`` and ``__all__``
(tests/test_lazy_imports.py checks that they agree).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from impactkit._lazy import load

if TYPE_CHECKING:
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

_LAZY: dict[str, tuple[str, str | None]] = {
    "costs_acceptability": ("impactkit.figures._costs", "costs_acceptability"),
    "costs_by_payer": ("impactkit.figures._costs", "costs_by_payer"),
    "costs_by_year": ("impactkit.figures._costs", "costs_by_year"),
    "costs_psa_histogram": ("impactkit.figures._costs", "costs_psa_histogram"),
    "costs_spread": ("impactkit.figures._costs", "costs_spread"),
    "costs_tornado": ("impactkit.figures._costs", "costs_tornado"),
    "costs_waterfall": ("impactkit.figures._costs", "costs_waterfall"),
    "HIDDEN": ("impactkit.figures._flows", "HIDDEN"),
    "attrition_flow": ("impactkit.figures._flows", "attrition_flow"),
    "transitions_sankey": ("impactkit.figures._flows", "transitions_sankey"),
    "Labels": ("impactkit.figures._labels", "Labels"),
    "change_shares": ("impactkit.figures._measures", "change_shares"),
    "distance_travelled": ("impactkit.figures._measures", "distance_travelled"),
    "omnibus_effects": ("impactkit.figures._measures", "omnibus_effects"),
    "radar": ("impactkit.figures._measures", "radar"),
    "rci_categories": ("impactkit.figures._measures", "rci_categories"),
    "marginal_means_lines": ("impactkit.figures._models", "marginal_means_lines"),
    "reliable_change_chance_bars": ("impactkit.figures._models", "reliable_change_chance_bars"),
    "family_journey_lines": ("impactkit.figures._outcomes", "family_journey_lines"),
    "family_timeline": ("impactkit.figures._outcomes", "family_timeline"),
    "phase_label": ("impactkit.figures._outcomes", "phase_label"),
    "phase_rates_bars": ("impactkit.figures._outcomes", "phase_rates_bars"),
    "rate_ratio_forest": ("impactkit.figures._outcomes", "rate_ratio_forest"),
    "NEGATIVE": ("impactkit.figures._theme", "NEGATIVE"),
    "NEUTRAL": ("impactkit.figures._theme", "NEUTRAL"),
    "PALETTE": ("impactkit.figures._theme", "PALETTE"),
    "POSITIVE": ("impactkit.figures._theme", "POSITIVE"),
    "apply_theme": ("impactkit.figures._theme", "apply_theme"),
    "wrap": ("impactkit.figures._theme", "wrap"),
}


def __getattr__(name: str) -> Any:
    return load(__name__, _LAZY, name, globals())


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))


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
