"""Figures of events and care before / during / after: traces follow the table, both languages."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import impactkit as ik
from impactkit.figures import phase_rates_bars, rate_ratio_forest
from impactkit.outcomes import phase_rates, rate_ratios

SYN = pd.read_csv(Path(__file__).parents[1] / "results" / "outcomes" / "synthetic_counts.csv").assign(
    source="events", unit="event", label=lambda d: d["outcome"], cost=np.nan
)


def test_phase_rates_bars_one_bar_per_phase_and_outcome() -> None:
    rates = phase_rates(SYN)
    fig = rates.figure(lang="nl")
    assert len(fig.data) == 9  # 3 outcomes × 3 phases
    assert {t.x[0] for t in fig.data} == {"voor", "tijdens de steun", "na"}
    first = rates[(rates.outcome == "crisis_contact") & (rates.phase == "before")]["rate"].item()
    assert fig.data[0].y[0] == pytest.approx(first)
    assert fig.layout.separators == ",."
    assert sum(t.showlegend for t in fig.data) == 3  # one legend entry per phase
    sup = phase_rates(SYN, min_n=500)
    assert all(t.y[0] is None for t in phase_rates_bars(sup).data)  # suppressed: no bar


def test_forest_log_axis_and_no_event_rows_written_out() -> None:
    res = rate_ratios(SYN, method="poisson", n_agq=1)
    fig = rate_ratio_forest(res, lang="en")
    assert fig.layout.xaxis.type == "log"
    assert len(fig.data) == 3  # one trace per contrast
    small = SYN[SYN.outcome == "crisis_contact"].copy()
    small.loc[small.phase == "after", "count"] = 0
    fig = rate_ratio_forest(rate_ratios(small, method="poisson", n_agq=1), lang="nl")
    assert any("geen gebeurtenissen" in a.text for a in fig.layout.annotations)


def test_bad_inputs_name_the_parameter() -> None:
    with pytest.raises(ik.ParameterError, match="'table' parameter of phase_rates_bars"):
        phase_rates_bars(pd.DataFrame({"x": [1]}))
    with pytest.raises(ik.ParameterError, match="'lang' parameter of rate_ratio_forest"):
        rate_ratio_forest(rate_ratios(SYN, method="exact"), lang="fr")
