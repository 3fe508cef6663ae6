"""A per-domain direction (lower is better) is honoured by every measure, chart and intake rule.

Reference: the mirror image.  Scoring a lower-is-better domain as s' = min + max - s on a
higher-is-better domain describes the same families, so improved/worse shares, reliable-change
categories and "sufficient" shares must be identical and the mean change must flip sign exactly.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import impactkit as ik
from impactkit.figures import distance_travelled, transitions_sankey


def _instrument(load_lower_is_better: bool) -> ik.Instrument:
    return ik.Instrument.from_dict(
        {
            "id": "marks",
            "scale": {"min": 1, "max": 10},
            "sufficient": 6,
            "reliability": 0.8,
            "waves": [{"id": "intake"}, {"id": "year1"}],
            "domains": [
                {"id": "support", "label_en": "Support"},
                {"id": "load", "label_en": "Parental load", "higher_is_better": not load_lower_is_better},
            ],
        }
    )


@pytest.fixture(scope="module")
def frames() -> tuple[pd.DataFrame, pd.DataFrame]:
    rng = np.random.default_rng(7)
    n = 60
    support = np.stack([rng.integers(2, 8, n), rng.integers(3, 10, n)], axis=1)
    load = np.stack([rng.integers(5, 10, n), rng.integers(2, 9, n)], axis=1)  # load tends to fall: better
    rows = []
    for i in range(n):
        for w, wave in enumerate(("intake", "year1")):
            rows.append((f"F{i:02d}", wave, "support", support[i, w]))
            rows.append((f"F{i:02d}", wave, "load", load[i, w]))
    raw = pd.DataFrame(rows, columns=["family_id", "wave", "domain", "score"])
    lower = ik.canonical(raw, _instrument(True))
    mirrored = raw.assign(score=np.where(raw["domain"] == "load", 1 + 10 - raw["score"], raw["score"]))
    higher = ik.canonical(mirrored, _instrument(False))
    return lower, higher


def test_change_counts_a_fall_in_load_as_improvement(frames):
    lower, higher = frames
    a = ik.change(lower).set_index("domain")
    b = ik.change(higher).set_index("domain")
    for col in ("share_improved", "share_unchanged", "share_worse", "p_value", "n"):
        assert a.loc["load", col] == pytest.approx(b.loc["load", col])
    assert a.loc["load", "mean_diff"] == pytest.approx(-b.loc["load", "mean_diff"])
    assert a.loc["load", "mean_diff"] < 0
    assert a.loc["load", "share_improved"] > a.loc["load", "share_worse"]
    # by hand: improved = families whose load fell
    w = lower.pivot_table(index=["family_id"], columns=["domain", "wave"], values="score", observed=True)
    fell = (w[("load", "year1")] < w[("load", "intake")]).mean()
    assert a.loc["load", "share_improved"] == pytest.approx(fell)


def test_reliable_change_and_sufficient_follow_the_direction(frames):
    lower, higher = frames
    ra = ik.reliable_change(lower)
    rb = ik.reliable_change(higher)
    for col in ("category", "crossed_cutoff") if "crossed_cutoff" in ra else ("category",):
        assert (
            ra.sort_values(["family_id", "domain"])[col].tolist()
            == rb.sort_values(["family_id", "domain"])[col].tolist()
        )
    da = ik.describe(lower).set_index(["domain", "wave"])["share_sufficient"]
    db = ik.describe(higher).set_index(["domain", "wave"])["share_sufficient"]
    # sufficient >= 6 mirrors to load <= 1 + 10 - 6 = 5
    assert da.to_dict() == pytest.approx(db.to_dict())
    by_hand = (lower.query("domain == 'load' and wave == 'intake'")["score"] <= 5).mean()
    assert da.loc[("load", "intake")] == pytest.approx(by_hand)
    assert _instrument(True).sufficient_for("load") == 5


def test_charts_name_the_direction_and_colour_improvement(frames):
    lower, _ = frames
    ch = ik.change(lower)
    fig = distance_travelled(ch, instrument=_instrument(True))
    labels = list(fig.data[0].y)
    assert "Parental load (lower is better)" in labels
    colours = dict(zip(labels, fig.data[0].marker.color, strict=True))
    from impactkit.figures._theme import POSITIVE

    assert colours["Parental load (lower is better)"] == POSITIVE  # load fell: an improvement
    nl = distance_travelled(ch, instrument=_instrument(True), lang="nl")
    assert any("(lager is beter)" in lab for lab in nl.data[0].y)


def test_a_scale_without_level_labels_shows_each_number_once(frames):
    lower, _ = frames
    tr = ik.transitions(lower, domains=["support"])
    fig = transitions_sankey(tr, instrument=_instrument(True))
    assert "intake: 3" in fig.data[0].node.label  # wave labels default to ids
    assert not any(lab.endswith("3 3") for lab in fig.data[0].node.label)
    assert _instrument(True).level_text(3) == "3"
    assert ik.builtin("zrm2017").level_text(3, "nl") == "3 Beperkt zelfredzaam"


def test_intake_rules_look_the_right_way_on_a_lower_is_better_domain():
    scen = ik.costs.Scenario.default()
    import dataclasses

    from impactkit.costs._contract import scenario_problems
    from impactkit.io._problems import Problems

    rule = dataclasses.replace(scen.rules[0], instrument="marks", domain="load", max_score=2.0)
    bad = dataclasses.replace(scen, rules=(rule,))
    problems = Problems()
    scenario_problems({}, bad, _instrument(True), problems)
    p = problems.frame()
    assert p["code"].tolist() == ["rule_direction"]
    assert "use min_score" in p["message"].iloc[0]
    good = dataclasses.replace(bad, rules=(dataclasses.replace(rule, max_score=None, min_score=8.0),))
    problems = Problems()
    scenario_problems({}, good, _instrument(True), problems)
    assert problems.frame().empty
    rule = good.rules[0]
    assert rule.matches(9)
    assert not rule.matches(7)
    assert not rule.matches(float("nan"))
    assert good.rules[0].text.startswith("load ≥ 8")
