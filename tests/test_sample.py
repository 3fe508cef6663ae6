"""The synthetic cohort: reproducible byte for byte, and realistic in the ways the issue names."""

from __future__ import annotations

import filecmp

import numpy as np
import pytest

import impactkit as ik
from impactkit._sample import make_sample, write_sample


def test_rerun_reproduces_the_committed_sample_byte_for_byte(tmp_path, sample_dir):
    written = write_sample(tmp_path, 350, seed=20241)
    for path in written:
        assert filecmp.cmp(path, sample_dir / path.name, shallow=False), path.name


@pytest.fixture(scope="module")
def tables():
    return make_sample(350, seed=20241)


def test_structure(tables):
    fam = tables["families"]
    assert fam["municipality"].nunique() >= 5
    assert {"newcomer", "single_parent", "poverty", "parental_mental_illness"} <= set(fam["household_type"])
    assert fam["youngest_child_age"].min() >= 0
    assert fam["oldest_child_age"].max() <= 23
    assert fam["start_date"].str[:4].nunique() >= 3
    assert fam["referral_source"].nunique() >= 4


def test_dropout_between_15_and_30_percent_and_worse_intake_drops_more(tables):
    a, fam = tables["assessments"], tables["families"]
    domains = ik.builtin().domain_ids
    completers = set(a.loc[a["wave"] == "year2", "family_id"])
    share_drop = 1 - len(completers) / len(fam)
    assert 0.15 <= share_drop <= 0.30
    intake = a[a["wave"] == "intake"].set_index("family_id")[domains].astype(float).mean(axis=1)
    assert intake[~intake.index.isin(completers)].mean() < intake[intake.index.isin(completers)].mean()


def test_largest_gains_in_mental_wellbeing_and_finances(tables):
    a = tables["assessments"]
    domains = ik.builtin().domain_ids
    means = a.groupby("wave")[domains].mean()
    gain = (means.loc["year2"] - means.loc["intake"]).sort_values(ascending=False)
    assert set(gain.index[:2]) == {"mental_wellbeing", "finances"}
    assert (gain > 0).all()


def test_floor_ceiling_and_a_few_missing(tables):
    a = tables["assessments"][ik.builtin().domain_ids]
    values = a.to_numpy(dtype=float)
    assert np.nanmin(values) == 1
    assert np.nanmax(values) == 5
    assert 0.005 < np.isnan(values).mean() < 0.03


def test_counterfactuals_for_part_of_the_families(tables):
    share = tables["counterfactuals"]["family_id"].nunique() / len(tables["families"])
    assert 0.3 < share < 0.6


def test_small_cohorts_are_refused():
    with pytest.raises(ik.ParameterError, match="n_families"):
        make_sample(5)
