"""Figures of the measures tables: built from the tables, labelled per language, colour-blind safe."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
import pytest
from _measures_data import load, sample_families

from impactkit.errors import ParameterError
from impactkit.figures import (
    PALETTE,
    attrition_flow,
    distance_travelled,
    radar,
    rci_categories,
    transitions_sankey,
)
from impactkit.figures._measures import CATEGORY_COLOURS
from impactkit.measures import attrition, change, describe, omnibus, reliable_change, transitions


@pytest.fixture(scope="module")
def data():
    return load("sample")


def test_radar_traces_are_the_wave_means(data) -> None:
    table = describe(data)
    fig = table.figure(lang="nl")
    assert isinstance(fig, go.Figure)
    assert [t.name for t in fig.data] == ["Intake", "Jaar 1", "Jaar 2"]
    intake = table[table["wave"] == "intake"]
    np.testing.assert_allclose(fig.data[0].r[:-1], intake["mean"])
    assert fig.data[0].theta[0] == "Financiën"
    assert radar(table, lang="en").data[0].theta[0] == "Finances"


def test_radar_with_groups_needs_a_group(data) -> None:
    table = describe(data, by="municipality", families=sample_families())
    with pytest.raises(ParameterError, match="'group' parameter of radar"):
        radar(table)
    assert len(radar(table, group="Arnhem").data) == 3


def test_distance_travelled_uses_change_cis(data) -> None:
    table = change(data)
    fig = distance_travelled(table)
    trace = fig.data[0]
    np.testing.assert_allclose(trace.x, table["mean_diff"])  # the table's order, top to bottom
    np.testing.assert_allclose(trace.error_x.array, table["ci_high"] - table["mean_diff"])
    assert trace.y[0] == "Finances"
    assert fig.layout.yaxis.autorange == "reversed"
    assert "95% CI" in fig.layout.title.text
    assert isinstance(table.figure(), go.Figure)


def test_sankey_flows_are_the_transition_counts(data) -> None:
    table = transitions(data)
    fig = transitions_sankey(table, domain="housing", lang="nl")
    housing = table[(table["domain"] == "housing") & (table["n"] > 0)]
    assert sum(fig.data[0].link.value) == housing["n"].sum()
    assert "Wonen" in fig.layout.title.text
    with pytest.raises(ParameterError, match="'domain' parameter of transitions_sankey"):
        transitions_sankey(table, domain="nope")


def test_rci_bars_show_shares_with_labels_and_safe_colours(data) -> None:
    table = reliable_change(data)
    fig = rci_categories(table)
    assert [t.name for t in fig.data] == [
        "Recovered",
        "Reliably improved",
        "No reliable change",
        "Reliably worse",
    ]
    total = np.sum([t.x for t in fig.data], axis=0)
    np.testing.assert_allclose(total, 1.0)
    assert {t.marker.color for t in fig.data} <= set(CATEGORY_COLOURS.values())
    assert set(CATEGORY_COLOURS.values()) - {"#999999"} <= set(PALETTE)
    fam = reliable_change(data, level="family").figure(lang="nl")
    assert "Gemengd" in [t.name for t in fam.data]


def test_other_figures_and_language_check(data) -> None:
    assert isinstance(omnibus(data).figure(), go.Figure)
    assert isinstance(attrition(data, sample_families()).figure(), go.Figure)
    assert isinstance(attrition_flow(attrition(data).flow), go.Figure)
    with pytest.raises(ParameterError, match="'lang' parameter of radar"):
        radar(describe(data), lang="de")
