"""Where each euro rests: the basis of every family's need (judgement, rule, declared prevalence),
programme declarations of which paths apply, and avoided cost split by basis (hand calculations)."""

from __future__ import annotations

import copy

import numpy as np
import pandas as pd
import pytest
from _costs_data import TINY_CASE_PV, intake, tiny

from impactkit._canonical import canonical
from impactkit.costs import Scenario, business_case, evaluate
from impactkit.errors import ParameterError, ScenarioError

ATT = 0.7 * 0.8 * 0.9  # (1 − deadweight)(1 − attribution)(1 − displacement) of the tiny scenario
SHORT_PV = 5 * 127 * 1.073 * ATT  # path "short_help": 5 contacts in year 1 only


def _two_paths(**changes) -> dict:
    spec = tiny(**changes)
    spec["paths"]["short_help"] = {
        "source": "test",
        "prevalence": 0.1,
        "components": [{"care_type": "social_work", "units_per_year": 5, "years": 1}],
    }
    spec["paths"]["social_work"]["prevalence"] = 0.2
    spec["rules"] = [{"id": "fin", "path": "short_help", "domain": "finances", "max_score": 2, "probability": 0.4,
                      "source": "seed case"}]  # fmt: skip
    return spec


def _three_families() -> dict[str, pd.DataFrame]:
    """F1 judged (social work 0.5, nothing else), F2 finances 1 at intake (rule → short help 0.4),
    F3 in the families table only (no intake: the paths' prevalences 0.2 and 0.1)."""
    data = intake({"F1": {"finances": 3.0}, "F2": {"finances": 1.0}})
    families = pd.DataFrame(
        {
            "family_id": ["F1", "F2", "F3"],
            "programme": ["Light", "Light", "Light"],
            "start_date": "2024-01-10",
        }
    )
    cf = pd.DataFrame(
        {"family_id": ["F1"], "care_path": ["social_work"], "likelihood": [0.5], "judged_by": ["gp"]}
    )
    return {"data": data, "families": families, "counterfactuals": cf}


def test_avoided_cost_by_basis_by_hand() -> None:
    """Hand calculation (2 paths, 3 families): one social-work case is worth TINY_CASE_PV after every
    adjustment, one short-help case 5 × €127 × 1.073 × 0.504 = €343.38.
        recorded   social work: 0.5 × TINY_CASE_PV            (F1)
        rule       short help:  0.4 × SHORT_PV                 (F2)
        prevalence social work: 0.2 × TINY_CASE_PV, short help: 0.1 × SHORT_PV   (F3)
    and nothing else; the rows of a path add up to its by_path row."""
    kw = _three_families()
    r = evaluate(kw.pop("data"), Scenario.from_dict(_two_paths()), **kw, draws=0)
    bb = r.by_basis.set_index(["path", "basis"])
    expected = {
        ("social_work", "recorded"): 0.5 * TINY_CASE_PV,
        ("short_help", "rule"): 0.4 * SHORT_PV,
        ("social_work", "prevalence"): 0.2 * TINY_CASE_PV,
        ("short_help", "prevalence"): 0.1 * SHORT_PV,
    }
    assert set(bb.index) == set(expected)
    for key, value in expected.items():
        assert bb.loc[key, "avoided_cost"] == pytest.approx(value)
        assert bb.loc[key, "families"] == 1
    assert bb.loc[("short_help", "rule"), "expected_cases"] == pytest.approx(0.4)
    assert r.by_basis["avoided_cost"].sum() == pytest.approx(r.headline["gross_avoided_cost"])


def test_undeclared_paths_get_no_rule_and_no_prevalence_but_judgements_count() -> None:
    """Programme 'Light' declares only short help: F3's social-work prevalence and any rule on social
    work stop counting; F1's recorded social-work judgement still counts (a person judged it)."""
    spec = _two_paths()
    spec["programmes"] = {"light": {"label": "Light", "paths": ["short_help"], "source": "test"}}
    kw = _three_families()
    r = evaluate(kw.pop("data"), Scenario.from_dict(spec), **kw, draws=0)
    bb = r.by_basis.set_index(["path", "basis"])
    assert ("social_work", "prevalence") not in bb.index
    assert bb.loc[("social_work", "recorded"), "avoided_cost"] == pytest.approx(0.5 * TINY_CASE_PV)
    pf = r.per_family.set_index(["family_id", "path"])
    assert pf.loc[("F3", "social_work"), "basis"] == "not declared"
    assert pf.loc[("F3", "social_work"), "rule"] == "not declared for programme light"
    assert pf.loc[("F3", "short_help"), "basis"] == "prevalence"
    assert any("not declared for their programme" in n for n in r.notes)


def _home_start_cohort(programme: str) -> dict[str, pd.DataFrame]:
    """12 families of one programme, none judged: 6 with acute parenting problems at intake (the
    default rules: parenting ≤ 1 → supervision order 5%, parenting ≤ 2 → parenting support 40%),
    6 without intake scores (the paths' prevalence)."""
    scored = {f"H{i}": {"parenting": 1.0, "finances": 1.0, "child_development": 1.0} for i in range(6)}
    data = intake(scored)
    ids = [f"H{i}" for i in range(12)]
    families = pd.DataFrame({"family_id": ids, "programme": programme, "start_date": "2024-01-10"})
    return {"data": data, "families": families}


def test_a_home_start_like_programme_is_credited_with_no_placements() -> None:
    """Issue 12: Home-Start (light parenting questions) must not 'avoid' supervision orders or
    out-of-home placements nobody judged likely. The default scenario declares only social work and
    parenting support for it; the same families under Samen Oplopen do get the severe paths."""
    kw = _home_start_cohort("Home-Start")
    r = evaluate(kw.pop("data"), Scenario.default(), **kw, draws=0)
    bp = r.by_path.set_index("path")
    for path in ("supervision_order", "out_of_home_placement", "debt_assistance", "youth_care"):
        assert bp.loc[path, "expected_cases"] == 0
        assert bp.loc[path, "avoided_cost"] == 0
    assert not r.by_basis["path"].isin(["supervision_order", "out_of_home_placement"]).any()
    assert bp.loc["parenting_support", "expected_cases"] == pytest.approx(6 * 0.4 + 6 * 0.3)
    # nor through escalations: a parenting-support case is its 60 hours of home guidance only
    assert bp.loc["parenting_support", "cost_per_case"] == pytest.approx(60 * 64 * 1.073)
    kw = _home_start_cohort("Samen Oplopen")
    severe = evaluate(kw.pop("data"), Scenario.default(), **kw, draws=0).by_path.set_index("path")
    assert severe.loc["supervision_order", "expected_cases"] > 0
    assert severe.loc["out_of_home_placement", "avoided_cost"] > 0  # via prevalence and escalation
    # 5% escalate to a supervision order a year later (the OTS case's PV discounted one more year)
    assert severe.loc["parenting_support", "cost_per_case"] > 60 * 64 * 1.073 + 0.05 * 8758 * 1.311 / 1.0225


def test_declaring_the_severe_paths_brings_them_back() -> None:
    """The same Home-Start families with supervision orders declared for Home-Start: six families
    match the OTS rule (p 0.05) and six get its prevalence (0.02)."""
    spec = copy.deepcopy(_default_spec())
    spec["programmes"]["home_start"]["paths"] += ["supervision_order"]
    kw = _home_start_cohort("home start")  # names match case-, space- and hyphen-insensitively
    r = evaluate(kw.pop("data"), Scenario.from_dict(spec), **kw, draws=0)
    assert r.by_path.set_index("path").loc["supervision_order", "expected_cases"] == pytest.approx(
        6 * 0.05 + 6 * 0.02
    )


def _default_spec() -> dict:
    import tomllib
    from importlib import resources

    return tomllib.loads((resources.files("impactkit.costs") / "data" / "default.toml").read_text("utf-8"))


def test_families_of_an_undeclared_programme_fall_back_to_default() -> None:
    kw = _home_start_cohort("Some new programme")
    r = evaluate(kw.pop("data"), Scenario.default(), **kw, draws=0)
    bp = r.by_path.set_index("path")
    assert bp.loc["supervision_order", "expected_cases"] == 0
    assert bp.loc["debt_assistance", "expected_cases"] > 0  # declared for 'default'
    spec = _default_spec()
    del spec["programmes"]["default"]
    kw = _home_start_cohort("Some new programme")
    none = evaluate(kw.pop("data"), Scenario.from_dict(spec), **kw, draws=0)
    assert none.headline["gross_avoided_cost"] == 0
    assert set(none.per_family["basis"]) == {"not declared"}


def test_business_case_counts_only_declared_paths() -> None:
    light = business_case(families_per_year=40, draws=0)
    full = business_case(families_per_year=40, programme="Samen Oplopen", draws=0)
    lb, fb = light.by_path.set_index("path"), full.by_path.set_index("path")
    assert lb.loc["supervision_order", "expected_cases"] == 0
    assert fb.loc["supervision_order", "expected_cases"] == pytest.approx(40 * 0.02)
    assert fb.loc["social_work", "expected_cases"] == lb.loc["social_work", "expected_cases"] == 40 * 0.4
    assert light.by_basis.set_index(["path", "basis"]).loc[("social_work", "prevalence"), "families"] == 40
    with pytest.raises(ParameterError, match=r"'programme' parameter of business_case.*samen_oplopen"):
        business_case(families_per_year=40, programme="Steunmoeder", draws=0)


def test_programme_declarations_are_validated() -> None:
    spec = _two_paths()
    spec["programmes"] = {"light": {"paths": ["teleportation"], "source": "t"}}
    with pytest.raises(ScenarioError, match="unknown care path 'teleportation'") as info:
        Scenario.from_dict(spec)
    assert info.value.key == "programmes.light.paths"
    spec["programmes"] = {
        "light": {"paths": ["short_help"], "source": "t", "prevalence": {"social_work": 0.3}}
    }
    with pytest.raises(ScenarioError, match="does not declare"):
        Scenario.from_dict(spec)
    spec["programmes"] = {"a": {"paths": [], "source": "t", "names": ["X"]},
                          "b": {"paths": [], "source": "t", "names": ["x"]}}  # fmt: skip
    with pytest.raises(ScenarioError, match="also belongs to programme"):
        Scenario.from_dict(spec)


def test_a_programme_prevalence_overrides_the_path_prevalence() -> None:
    spec = _two_paths()
    spec["programmes"] = {
        "light": {"label": "Light", "paths": ["social_work", "short_help"], "source": "t",
                  "prevalence": {"social_work": {"value": 0.05, "dist": "beta", "sd": 0.02}}}
    }  # fmt: skip
    kw = _three_families()
    r = evaluate(kw.pop("data"), Scenario.from_dict(spec), **kw, draws=200)
    bb = r.by_basis.set_index(["path", "basis"])
    assert bb.loc[("social_work", "prevalence"), "expected_cases"] == pytest.approx(0.05)
    a = r.assumptions.set_index("parameter")
    assert "programmes.light.prevalence.social_work" in a.index
    assert "paths.social_work.prevalence" not in a.index  # nobody rests on it: not listed
    assert (
        a.loc["programmes.light.prevalence.social_work", "label_en"]
        == "Assumed prevalence: social work (Light)"
    )


def test_per_family_table_is_vectorised_and_lean() -> None:
    """10,000 families: categorical text columns, one row per family × path, likelihoods as the
    rules say (a second, plain-Python implementation of the rule logic on a subsample)."""
    rng = np.random.default_rng(4)
    n = 10_000
    ids = [f"X{i:05d}" for i in range(n)]
    fin = rng.integers(1, 6, n).astype(float)
    par = rng.integers(1, 6, n).astype(float)
    fin[rng.random(n) < 0.05] = np.nan
    frame = pd.DataFrame({"family_id": np.repeat(ids, 2), "wave": "intake", "assessed_on": "2024-01-10",
                          "domain": np.tile(["finances", "parenting"], n),
                          "score": np.column_stack([fin, par]).reshape(-1)})  # fmt: skip
    r = evaluate(canonical(frame), Scenario.default(), draws=0)
    pf = r.per_family
    assert len(pf) == n * len(Scenario.default().paths)
    assert isinstance(pf["rule"].dtype, pd.CategoricalDtype)
    got = pf.set_index(["family_id", "path"])["likelihood"]
    s = Scenario.default()
    for i in rng.choice(n, 200, replace=False):
        scores = {"finances": fin[i], "parenting": par[i]}
        for pid in s.paths:
            if pid not in s.declared_paths(None):
                expected = 0.0
            else:
                hits = [
                    rule.probability.value
                    for rule in s.rules
                    if rule.path == pid and rule.domain in scores and scores[rule.domain] <= rule.max_score
                ]
                expected = max(hits, default=0.0)  # fmt: skip
            assert got[(ids[i], pid)] == expected, (ids[i], pid)


def test_a_programme_column_without_any_value_means_the_default_declaration() -> None:
    """Every family's programme missing (an export with an empty column): the 'default' declaration."""
    kw = _home_start_cohort("x")
    kw["families"]["programme"] = None
    r = evaluate(kw.pop("data"), Scenario.default(), **kw, draws=0)
    bp = r.by_path.set_index("path")
    assert bp.loc["supervision_order", "expected_cases"] == 0
    assert bp.loc["debt_assistance", "expected_cases"] > 0


def test_a_label_two_programmes_share_matches_neither() -> None:
    spec = _two_paths()
    spec["programmes"] = {"a": {"label": "Same", "paths": ["short_help"], "source": "t"},
                          "b": {"label": "Same", "paths": ["social_work"], "source": "t"}}  # fmt: skip
    s = Scenario.from_dict(spec)
    assert s.find_programme("Same") is None
    assert s.find_programme("b").id == "b"
    assert s.declared_paths("same") == ()  # no 'default' declared: nothing but judgements counts
