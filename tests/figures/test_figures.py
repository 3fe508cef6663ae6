"""One figure per concept: every figure in every language, suppressed cells as gaps, ids in words,
and the fixes of the drifted copies (radar orientation and range, tornado colours and labels)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest

import impactkit as ik
from impactkit import figures
from impactkit.costs import Scenario, business_case
from tests.conftest import SAMPLE, TODAY


@pytest.fixture(scope="module")
def ds():
    return ik.read_dataset(SAMPLE, today=TODAY)


@pytest.fixture(scope="module")
def bc():
    return business_case(Scenario.default(), families_per_year=40, years=3, draws=500, seed=2)


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_every_figure_in_every_language(ds, bc, lang):
    a = ds.assessments
    made = [
        figures.radar(ik.describe(a), lang=lang),
        figures.distance_travelled(ik.change(a), lang=lang),
        figures.change_shares(ik.change(a), lang=lang),
        figures.transitions_sankey(ik.measures.transitions(a), lang=lang),
        figures.rci_categories(ik.reliable_change(a), lang=lang),
        figures.omnibus_effects(ik.measures.omnibus(a), lang=lang),
        figures.attrition_flow(ik.measures.attrition(a).flow, lang=lang),
        *(
            bc.figure(kind, lang=lang)
            for kind in ("waterfall", "by_payer", "by_year", "psa", "tornado", "acceptability")
        ),
        bc.figure("by_year", by="payer", lang=lang),
    ]
    seps = {"en": ".,", "nl": ",."}[lang]
    for fig in made:
        assert isinstance(fig, go.Figure)
        assert fig.layout.separators == seps
        assert fig.layout.title.text  # a default title in the language
    assert figures.radar(ik.describe(a), lang=lang, title="").layout.title.text is None


def test_dutch_words_not_ids(bc):
    wf = bc.figure("waterfall", lang="nl")
    assert wf.data[0].x[0] == "Programmakosten"
    assert "Opvoedon-dersteuning" in [
        x.replace("<br>", "") for x in wf.data[0].x
    ]  # wrapped between syllables
    assert wf.data[0].text[0] == "€ -" + wf.data[0].text[0].removeprefix("€ -")  # babel nl: "€ -12.345"
    tor = bc.figure("tornado", lang="nl")
    labels = list(tor.data[0].y)
    assert any(lab_.startswith("Deadweight") for lab_ in labels)  # the costs label (en/nl) of the tornado row
    assert not any(
        "." in lab_ and lab_.split(".")[0] in ("adjustments", "prices", "paths", "rules") for lab_ in labels
    )
    payers = bc.figure("by_payer", lang="nl")
    assert "Gemeente: preventie" in payers.data[0].y


def test_radar_is_clockwise_from_the_top_and_spans_the_scale(ds):
    """The library's copy ran counter-clockwise from three o'clock and clipped nothing to the scale."""
    fig = figures.radar(ik.describe(ds.assessments))
    assert fig.layout.polar.angularaxis.direction == "clockwise"
    assert list(fig.layout.polar.radialaxis.range) == [1, 5]
    # the polygon is closed and follows the instrument's domain order
    assert fig.data[0].theta[0] == fig.data[0].theta[-1] == "Finances"
    table = ik.describe(ds.assessments)
    two = table[table["domain"].isin(["finances", "housing"])]
    assert isinstance(figures.radar(two).data[0], go.Bar)  # no polygon from two axes


def test_suppressed_cells_are_gaps_with_the_marker(ds):
    table = ik.describe(ds.assessments)
    hidden = table.assign(mean=table["mean"].where(table["domain"] != "housing"))
    fig = figures.radar(hidden, k=10)
    i = list(ds.instrument.domain_ids).index("housing")
    assert fig.data[0].r[i] is None
    assert fig.data[0].text[i].endswith("<10")
    ch = ik.change(ds.assessments)
    ch = ch.assign(mean_diff=ch["mean_diff"].where(ch["domain"] != "finances"))
    dots = figures.distance_travelled(ch, k=10, instrument=ds.instrument)  # assign() drops .meta
    assert dots.data[0].x[0] is None
    assert dots.data[0].text[0] == "Finances: <10"


def test_tornado_low_and_high_are_a_neutral_pair(bc):
    """A parameter's low value is not a loss: no vermillion/blue loss-saving colours (the report's
    copy used them, the library's the other way round)."""
    tor = bc.figure("tornado")
    low, high = tor.data
    assert {low.marker.color, high.marker.color} == {figures.PALETTE[1], figures.PALETTE[0]}
    assert low.marker.pattern.shape == "x"
    base = bc.headline["net_benefit"]
    np.testing.assert_allclose(np.asarray(low.x) + base, bc.tornado["net_low"].head(12))


def test_psa_histogram_bins_never_straddle_zero_and_sum_to_one(bc):
    fig = bc.figure("psa", lang="nl")
    centres = np.concatenate([np.asarray(bar.x) for bar in fig.data])
    width = fig.data[0].width
    edges_low = centres - width / 2
    assert np.all((edges_low >= -1e-6) | (edges_low + width <= 1e-6))  # every bin on one side of 0
    assert sum(np.sum(bar.y) for bar in fig.data) == pytest.approx(1.0)
    # one colour per trace, losses hatched: plotly.js derives the theme's hatch colour from the bar
    # colour and fails on an array of them ("Invalid color specifier: Array" in the browser console)
    assert [(bar.marker.color, bar.marker.pattern.shape) for bar in fig.data] == [
        (figures.NEGATIVE, "x"),
        (figures.POSITIVE, ""),
    ][: len(fig.data)]
    assert all(np.all(np.asarray(b.x) < 0) for b in fig.data if b.marker.pattern.shape == "x")
    assert any(a.text.startswith("Kans op besparing = ") for a in fig.layout.annotations)


def test_sankey_hidden_flows_go_to_one_grey_node(ds):
    flows = pd.DataFrame(
        {
            "from_level": ["low", "low", "high"],
            "to_level": ["high", figures.HIDDEN, "high"],
            "n": [30, 12, 40],
        }
    )
    fig = figures.transitions_sankey(flows, levels=["low", "high"], k=10)
    node = fig.data[0].node
    assert "Not shown: flows under 10 families or that would reveal them" in node.label
    assert sum(fig.data[0].link.value) == 82
