"""Cost figures: built from the tables, returned (never shown), Okabe-Ito colours with text labels."""

from __future__ import annotations

import plotly.graph_objects as go
import pytest
from _costs_data import tiny

from impactkit import figures
from impactkit.costs import Scenario, business_case
from impactkit.errors import ParameterError
from impactkit.figures import NEGATIVE, PALETTE, POSITIVE


@pytest.fixture(scope="module")
def result():
    return business_case(Scenario.default(), families_per_year=40, years=3, draws=1000, seed=2)


@pytest.mark.parametrize("kind", ["waterfall", "by_payer", "by_year", "psa", "tornado", "acceptability"])
def test_every_figure_is_a_themed_plotly_figure(result, kind: str) -> None:
    fig = result.figure(kind)
    assert isinstance(fig, go.Figure)
    assert fig.layout.template.layout.to_plotly_json()  # plotly_white applied
    assert list(fig.layout.colorway) == PALETTE
    assert fig.layout.title.text


def test_waterfall_ends_at_the_net_benefit(result) -> None:
    fig = figures.costs_waterfall(result.by_path, programme_cost=result.headline["programme_cost"])
    trace = fig.data[0]
    assert trace.measure[-1] == "total"
    assert trace.y[0] == pytest.approx(-result.headline["programme_cost"])
    assert sum(trace.y[:-1]) == pytest.approx(result.headline["net_benefit"])
    assert trace.decreasing.marker.color == NEGATIVE
    assert trace.increasing.marker.color == POSITIVE


def test_payer_bars_label_every_bar(result) -> None:
    fig = figures.costs_by_payer(result.by_payer)
    for trace in fig.data:
        assert all(t.startswith("€") for t in trace.text if t)


def test_psa_histogram_states_p_saving(result) -> None:
    fig = figures.costs_psa_histogram(result.psa_draws)
    texts = [a.text for a in fig.layout.annotations]
    assert any(t.startswith("P(saving) = ") for t in texts)


def test_table_figures_and_errors(result) -> None:
    assert isinstance(result.tornado.figure(), go.Figure)
    with pytest.raises(ParameterError, match="'kind' parameter"):
        result.figure("pie")
    with pytest.raises(NotImplementedError):
        result.scenarios.figure()
    none = business_case(Scenario.from_dict(tiny()), families_per_year=5, draws=0)
    with pytest.raises(NotImplementedError, match="draws=0"):
        none.figure("psa")


def test_result_renders(result) -> None:
    html = result._repr_html_()
    assert "Cost evaluation" in html
    assert "net_benefit" in html
    assert "programme cost (PV)" in result.summary()
    assert "<table" in result.by_payer._repr_html_()
