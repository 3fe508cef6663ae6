"""Who would have needed what: recorded judgements, intake rules (with their text and source),
prevalence; data errors arrive as ValidationError problems."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from _costs_data import four_families, intake, recorded, tiny

from impactkit._canonical import canonical
from impactkit.costs import Scenario, evaluate
from impactkit.errors import ParameterError, ScenarioError, ValidationError

RULES = [
    {"id": "fin", "path": "social_work", "domain": "finances", "max_score": 2, "probability": 0.3,
     "source": "seed case A"},
    {"id": "par", "path": "social_work", "domain": "parenting", "max_score": 2, "probability": 0.5,
     "source": "seed case B"},
]  # fmt: skip


def _cohort() -> pd.DataFrame:
    """F1 finances 2 (rule fin), F2 both low (fin and par: max 0.5), F3 nothing low, F4 only housing
    scored (no rule can match), F5 only a year1 row (no intake: prevalence 0.2)."""
    a = intake(
        {
            "F1": {"finances": 2.0, "parenting": 3.0},
            "F2": {"finances": 1.0, "parenting": 1.0},
            "F3": {"finances": 3.0, "parenting": 4.0},
            "F4": {"housing": 3.0, "finances": np.nan},
        }
    )
    late = intake({"F5": {"finances": 1.0}}, wave="year1", on="2025-01-10")
    return canonical(pd.concat([a, late], ignore_index=True))


def test_rules_prevalence_and_their_sources_are_carried() -> None:
    r = evaluate(_cohort(), Scenario.from_dict(tiny(rules=RULES)), draws=0)
    pf = r.per_family.set_index("family_id")
    assert pf.loc["F1", "likelihood"] == 0.3
    assert pf.loc["F1", "rule"] == "finances ≤ 2 → social_work (p = 0.3)"
    assert pf.loc["F1", "source"] == "seed case A"
    assert pf.loc["F2", "likelihood"] == 0.5  # two rules match: the maximum
    assert "finances ≤ 2" in pf.loc["F2", "rule"]
    assert "parenting ≤ 2" in pf.loc["F2", "rule"]
    assert pf.loc["F3", "likelihood"] == 0.0
    assert pf.loc["F3", "basis"] == "no rule matched"
    assert pf.loc["F4", "likelihood"] == 0.0  # a missing score never matches
    assert pf.loc["F5", "basis"] == "prevalence"
    assert pf.loc["F5", "likelihood"] == 0.2
    assert r.by_path.loc[0, "expected_cases"] == pytest.approx(0.3 + 0.5 + 0 + 0 + 0.2)


def test_recorded_judgements_win_and_judges_are_averaged() -> None:
    cf = pd.DataFrame(
        {
            "family_id": ["F1", "F2", "F2"],
            "care_path": "social_work",
            "likelihood": [0.9, 0.4, 0.6],
            "judged_by": ["referrer", "referrer", "coordinator"],
        }
    )
    r = evaluate(_cohort(), Scenario.from_dict(tiny(rules=RULES)), counterfactuals=cf, draws=0)
    pf = r.per_family.set_index("family_id")
    assert pf.loc["F1", "likelihood"] == 0.9  # recorded, although the finances rule matches
    assert pf.loc["F1", "basis"] == "recorded"
    assert pf.loc["F2", "likelihood"] == pytest.approx(0.5)  # (0.4 + 0.6) / 2
    assert pf.loc["F2", "rule"] == "judged by coordinator, referrer"
    assert r.by_path.loc[0, "expected_cases"] == pytest.approx(0.9 + 0.5 + 0 + 0 + 0.2)


def test_expected_cost_per_family_is_likelihood_times_case_pv() -> None:
    r = evaluate(four_families(), Scenario.from_dict(tiny()), counterfactuals=recorded(0.5), draws=0)
    case_pv = 10 * 127 * 1.073 * (1 + 1 / 1.0225 + 1 / 1.0225**2)
    assert r.per_family["expected_cost"].tolist() == pytest.approx([0.5 * case_pv] * 4)


def test_rule_on_unknown_domain_is_a_scenario_error() -> None:
    rules = [{**RULES[0], "domain": "astrology"}]
    with pytest.raises(ScenarioError, match="unknown domain 'astrology'") as info:
        evaluate(four_families(), Scenario.from_dict(tiny(rules=rules)), draws=0)
    assert info.value.key == "rules[0].domain"


def test_bad_counterfactuals_are_all_reported() -> None:
    cf = pd.DataFrame(
        {"family_id": ["F1", "F2"], "care_path": ["social_work", "astrology"], "likelihood": [1.5, 0.2]}
    )
    with pytest.raises(ValidationError) as info:
        evaluate(four_families(), Scenario.from_dict(tiny()), counterfactuals=cf, draws=0)
    p = info.value.problems
    assert set(zip(p["row"], p["column"], strict=True)) == {(3, "care_path"), (2, "likelihood")}
    assert (p["file"] == "counterfactuals").all()


def test_bad_care_used_and_prices_are_reported() -> None:
    care = pd.DataFrame(
        {"family_id": ["F1", "F1"], "care_type": ["therapy", "social_work"], "units": [1, -2]}
    )
    with pytest.raises(ValidationError) as info:
        evaluate(four_families(), Scenario.from_dict(tiny()), care_used=care, draws=0)
    assert info.value.problems["column"].tolist() == ["care_type", "units"]
    prices = pd.DataFrame(
        {"care_type": ["social_work"], "unit": ["hour"], "price": [-1], "price_year": [1999], "payer": ["x"],
         "source": [""]}
    )  # fmt: skip
    with pytest.raises(ValidationError) as info:
        evaluate(four_families(), Scenario.from_dict(tiny()), prices=prices, draws=0)
    assert info.value.problems["column"].tolist() == ["unit", "price", "payer", "price_year", "source"]
    table = pd.DataFrame({"year": [1990], "amount": [10]})
    with pytest.raises(ValidationError, match="no index factor"):
        evaluate(four_families(), Scenario.from_dict(tiny()), programme_costs=table, draws=0)


def test_missing_columns_are_reported() -> None:
    with pytest.raises(ValidationError, match="likelihood"):
        evaluate(four_families(), Scenario.from_dict(tiny()), counterfactuals=pd.DataFrame({"family_id": ["F1"],
                 "care_path": ["social_work"]}), draws=0)  # fmt: skip


@pytest.mark.parametrize(("kw", "value"), [("draws", -1), ("seed", 1.5), ("draws", True)])
def test_bad_options(kw: str, value: object) -> None:
    with pytest.raises(ParameterError, match=f"'{kw}' parameter of evaluate"):
        evaluate(four_families(), Scenario.from_dict(tiny()), **{kw: value})


def test_input_is_not_modified() -> None:
    data, cf = four_families(), recorded()
    before_data, before_cf = data.copy(), cf.copy()
    evaluate(data, Scenario.from_dict(tiny()), counterfactuals=cf, draws=10)
    pd.testing.assert_frame_equal(data, before_data)
    pd.testing.assert_frame_equal(cf, before_cf)


def test_unknown_families_are_ignored_with_a_warning() -> None:
    from impactkit.errors import ImpactkitWarning

    cf = recorded(0.5, ids=("F1", "F9"))
    with pytest.warns(ImpactkitWarning, match="1 family id.*counterfactuals.*F9"):
        r = evaluate(four_families(), Scenario.from_dict(tiny()), counterfactuals=cf, draws=0)
    assert r.per_family["family_id"].nunique() == 4


def test_rules_for_another_instrument_do_not_apply() -> None:
    """Rules naming instrument 'default' do not judge ZRM data: families fall back to prevalence."""
    import impactkit as ik

    rules = [{**r, "instrument": "default"} for r in RULES]
    zrm = ik.builtin("zrm2017")
    data = canonical(
        pd.DataFrame(
            {"family_id": ["F1", "F2"], "wave": "intake", "domain": "finances", "score": [1.0, 5.0]}
        ),
        zrm,
    )
    r = evaluate(data, Scenario.from_dict(tiny(rules=rules)), draws=0)
    assert set(r.per_family["basis"]) == {"prevalence"}
    assert r.by_path.loc[0, "expected_cases"] == pytest.approx(2 * 0.2)
    # the same rules without an instrument do judge ZRM finances
    r2 = evaluate(data, Scenario.from_dict(tiny(rules=RULES[:1])), draws=0)
    assert r2.per_family.set_index("family_id").loc["F1", "likelihood"] == 0.3
