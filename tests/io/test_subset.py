"""Dataset.subset and the selection parameters of read_dataset: what is kept, what is counted.

Reference: the files of data/sample read with the csv module, counted by hand in the test."""

from __future__ import annotations

import csv

import pytest

import impactkit as ik

TODAY = "2026-11-01"


def _rows(sample_dir, name):
    with (sample_dir / f"{name}.csv").open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture(scope="module")
def ds(sample_dir):
    return ik.read_dataset(sample_dir, today=TODAY)


def test_a_municipality_keeps_its_families_their_rows_and_its_programme_costs(ds, sample_dir):
    fam = _rows(sample_dir, "families")
    tiel = {r["family_id"] for r in fam if r["municipality"] == "Tiel"}
    sub = ds.subset(municipality="Tiel")
    assert set(sub.families["family_id"]) == tiel
    assert set(sub.assessments["family_id"]) == tiel
    n_rows = sum(1 for r in _rows(sample_dir, "assessments") if r["family_id"] in tiel) * 9  # nine domains
    assert len(sub.assessments) == n_rows
    assert len(sub.counterfactuals) == sum(
        1 for r in _rows(sample_dir, "counterfactuals") if r["family_id"] in tiel
    )
    assert len(sub.programme_costs) == sum(
        1 for r in _rows(sample_dir, "programme_costs") if r["municipality"] == "Tiel"
    )
    assert sub.selection.families_before == len(fam)
    assert sub.selection.families_after == len(tiel)
    assert sub.selection.describe() == f"municipality = Tiel; {len(tiel)} of {len(fam)} families"
    assert sub.selection.unsplit == ()
    assert len(ds.assessments) > len(sub.assessments)  # the original is untouched


def test_programme_and_municipality_together_and_chained(ds, sample_dir):
    fam = _rows(sample_dir, "families")
    both = {
        r["family_id"] for r in fam if r["municipality"] in ("Tiel", "Ede") and r["programme"] == "Home-Start"
    }
    sub = ds.subset(municipality=["Tiel", "Ede"], programme="Home-Start")
    assert set(sub.families["family_id"]) == both
    chained = ds.subset(municipality=["Tiel", "Ede"]).subset(programme="Home-Start")
    assert set(chained.families["family_id"]) == both
    assert chained.selection.families_before == len(fam)
    assert chained.selection.unsplit == ("programme_costs:programme",)


def test_programme_costs_that_cannot_be_split_make_costs_refuse(ds):
    sub = ds.subset(programme="Home-Start")
    with pytest.raises(ik.DesignError, match="programme_costs table has no programme column"):
        ik.costs.evaluate(sub, draws=0)
    sub.programme_costs = None  # the user's way out: no table, the scenario's programme cost per family
    assert ik.costs.evaluate(sub, draws=0).meta["families"] == sub.n_families


def test_domains_narrow_the_analyses_not_the_costs(ds):
    sub = ds.subset(domains=["finances", "housing"])
    assert sub.instrument.domain_ids == ["finances", "housing"]
    assert set(sub.assessments["domain"].cat.categories) == {"finances", "housing"}
    assert set(ik.change(sub.assessments)["domain"]) == {"finances", "housing"}
    full, narrow = ik.costs.evaluate(ds, draws=0), ik.costs.evaluate(sub, draws=0)
    assert (
        narrow.headline["net_benefit"] == full.headline["net_benefit"]
    )  # intake rules still see every domain


def test_the_same_selection_through_read_dataset(sample_dir, ds):
    via_read = ik.read_dataset(sample_dir, today=TODAY, municipality="Tiel", domains=["finances"])
    assert via_read.selection == ds.subset(municipality="Tiel", domains=["finances"]).selection


@pytest.mark.parametrize(
    ("selection", "message"),
    [
        (
            {"municipality": "Atlantis"},
            r"The 'municipality' parameter of Dataset.subset must be one of \['Apeldoorn'",
        ),
        ({"programme": "Kangaroo"}, r"The 'programme' parameter of Dataset.subset must be one of"),
        ({"domains": ["astrology"]}, r"The 'domains' parameter of Dataset.subset must name domains"),
    ],
)
def test_unknown_values_are_parameter_errors(ds, selection, message):
    with pytest.raises(ik.ParameterError, match=message) as info:
        ds.subset(**selection)
    assert info.value.parameter == next(iter(selection))


def test_a_selection_needs_the_families_table(sample_dir):
    alone = ik.read_dataset(sample_dir / "assessments.csv", today=TODAY)
    with pytest.raises(ik.ParameterError, match="needs a families table"):
        alone.subset(municipality="Tiel")
