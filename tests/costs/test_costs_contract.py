"""Contract tests over the public cost functions: tidy snake_case tables, notes, HTML, JSON,
input never modified, bad arguments named (STYLE: contract tests)."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from _costs_data import four_families, recorded, tiny

from impactkit.costs import CostEvaluation, CostTable, Scenario, business_case, evaluate
from impactkit.errors import ParameterError

TABLES = ("by_payer", "by_year", "by_path", "psa", "psa_draws", "acceptability", "tornado", "scenarios")


def _results() -> list[CostEvaluation]:
    s = Scenario.from_dict(tiny())
    return [
        evaluate(four_families(), s, counterfactuals=recorded(), draws=200),
        business_case(s, families_per_year=10, years=2, draws=200),
    ]


@pytest.mark.parametrize("res", _results(), ids=["evaluate", "business_case"])
def test_tables_are_tidy_and_render(res: CostEvaluation) -> None:
    for name in TABLES:
        table = getattr(res, name)
        assert isinstance(table, CostTable), name
        assert all(c == c.lower() and " " not in c and c.isidentifier() for c in table.columns), name
        assert table.notes
        assert "<table" in table._repr_html_()
    assert isinstance(res.per_family, pd.DataFrame)
    json.dumps(res.to_dict(), allow_nan=False)
    assert "per_family" not in res.to_dict()  # internal only, never for reports
    assert res.summary().startswith("Cost evaluation")
    assert "<table>" in res._repr_html_()


def test_data_must_be_the_canonical_frame() -> None:
    with pytest.raises(ParameterError, match="'data' parameter of evaluate"):
        evaluate([1, 2, 3])  # type: ignore[arg-type]
    with pytest.raises(ParameterError, match="missing"):
        evaluate(pd.DataFrame({"family_id": ["a"], "score": [1.0]}))


def test_scenario_argument_types(tmp_path) -> None:
    with pytest.raises(ParameterError, match="'scenario' parameter"):
        business_case(42, families_per_year=5)  # type: ignore[arg-type]
    from importlib import resources

    p = tmp_path / "s.toml"
    p.write_text((resources.files("impactkit.costs") / "data" / "default.toml").read_text(encoding="utf-8"))
    by_path = business_case(p, families_per_year=5, draws=0)
    by_default = business_case(None, families_per_year=5, draws=0)
    a, b = by_path.to_dict(), by_default.to_dict()
    assert json.dumps({**a, "meta": None}) == json.dumps({**b, "meta": None})
    assert by_path.meta["scenario_source"] == str(p)
