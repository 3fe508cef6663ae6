"""The annual report's events and care before / during / after, and observed next to assumed.

Reference for the numbers: a hand count from the committed CSV files (plain pandas, no impactkit
allocation), written out below.  Suppression: no published count of families from 1 to k − 1, no
total resting on fewer than k families, for several k.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest
from _report_data import DRAWS, GENERATED, SAMPLE, sample

import impactkit as ik
from impactkit import costs as ik_costs
from impactkit.report import Release, build_report


@pytest.fixture(scope="module")
def annual_nl():
    return build_report(sample(), kind="annual", lang="nl", draws=DRAWS, generated_at=GENERATED)


def test_events_before_the_start_counted_by_hand(annual_nl) -> None:
    """Nuisance reports in the 12 months before each family's start, from the CSV files alone."""
    fam = pd.read_csv(SAMPLE / "families.csv", parse_dates=["start_date"])
    ev = pd.read_csv(SAMPLE / "events.csv", parse_dates=["date"])
    ev = ev[ev["event_type"] == "nuisance_report"].merge(fam[["family_id", "start_date"]], on="family_id")
    lo = ev["start_date"] - pd.DateOffset(months=12)
    n_before = int(ev.loc[(ev["date"] >= lo) & (ev["date"] < ev["start_date"]), "count"].sum())
    days = ((fam["start_date"] - (fam["start_date"] - pd.DateOffset(months=12))).dt.days).sum()
    t = annual_nl.tables["outcome-events"]
    row = t[(t["Gebeurtenis"] == "Overlastmeldingen") & (t["Periode"] == "voor")].iloc[0]
    assert row["Aantal"] == n_before
    # as printed (one and two decimals): every family is observed in the year before its start
    assert row["Gezinnen in beeld"] == len(fam)
    assert row["Gezinsjaren"] == round(days / 365.25, 1)
    assert row["Per gezinsjaar"] == round(n_before / (days / 365.25), 2)


def test_observed_and_assumed_are_never_added(annual_nl) -> None:
    ds = sample()
    ev = ik_costs.evaluate(ds, draws=0)
    t = annual_nl.tables["outcome-observed"].set_index("Post")
    t = t[t["Schatting"].map(lambda v: not isinstance(v, str))]  # the published rows
    assumed = t[t["Soort"].str.startswith("aangenomen")]["Schatting"].astype(float).tolist()
    assert len(assumed) == 3  # the model's chain rests on every family: published
    needed, used, avoided = assumed
    assert avoided == pytest.approx(ev.headline["gross_avoided_cost"])
    # (needed − used) × (1 − 0.30 deadweight) × (1 − 0.20 attribution): the model's own chain
    assert (needed + used) * 0.7 * 0.8 == pytest.approx(avoided)
    observed = t[t["Soort"] == "waargenomen"]["Schatting"].astype(float).tolist()
    assert len(observed) == 4  # care cost per family-year before / during / after, and their ratio
    # no published row is a sum of an observed and an assumed figure
    for o in observed:
        for a in assumed:
            assert not np.isclose(t["Schatting"].astype(float), o + a, rtol=0, atol=0.005).any()
    # and the avoided cost in the cost section is the same number, not the sum
    summary = annual_nl.tables["costs-summary"].set_index("Post")
    assert float(summary.iloc[1, 0]) == pytest.approx(avoided)


def test_pre_period_care_does_not_change_the_avoided_cost() -> None:
    """Dropping every care episode that ends before its family's start leaves avoided cost as it is."""
    ds = sample()
    care = ds.care_used.merge(ds.families[["family_id", "start_date"]], on="family_id")
    keep = ~(pd.to_datetime(care["end"]) < pd.to_datetime(care["start_date"]))
    assert (~keep).sum() > 50  # the sample has a real pre-period
    during = dataclasses.replace(ds, care_used=ds.care_used[keep.to_numpy()].reset_index(drop=True))
    a = ik_costs.evaluate(ds, draws=0).headline["gross_avoided_cost"]
    b = ik_costs.evaluate(during, draws=0).headline["gross_avoided_cost"]
    assert a == pytest.approx(b)


def _subset(families: int | None):  # type: ignore[no-untyped-def]
    ds = sample()
    if families is None:
        return ds
    ids = set(ds.families["family_id"].iloc[:families])

    def keep(frame):  # type: ignore[no-untyped-def]
        out = frame[frame["family_id"].isin(ids)].reset_index(drop=True)
        out.attrs = dict(frame.attrs)
        return out

    return dataclasses.replace(ds, assessments=keep(ds.assessments), families=keep(ds.families),
                               counterfactuals=keep(ds.counterfactuals), care_used=keep(ds.care_used),
                               events=keep(ds.events))  # fmt: skip


def _sections(k: int, families: int | None = None) -> list:  # type: ignore[type-arg]
    """The outcomes sections of the funder report of a release of the first ``families`` families."""
    ds = _subset(families)
    rel = Release(ds, k=k, draws=0, municipalities=False, programmes=False, kinds=("annual",))
    sections, *_ = rel._sections("annual", rel.scopes[0], "en", protected=True)
    return [s for s in sections if s.id in ("outcomes", "observed")]


def _published(t, label: str) -> pd.Series:  # type: ignore[no-untyped-def]
    """A column of a table as published: numbers where shown, None where hidden."""
    col = t.excel_frame()[0][label]
    return col.map(lambda v: None if isinstance(v, str) else v)


@pytest.mark.parametrize(("k", "families"), [(10, None), (40, None), (10, 30), (10, 12)])
def test_no_published_figure_rests_on_fewer_than_k_families(k: int, families: int | None) -> None:
    sections = _sections(k, families)
    tables = {t.id: t for s in sections for t in s.tables}
    for tid, n_any in (
        ("tbl-outcome-events", "Families with at least one"),
        ("tbl-outcome-care", "Families using it"),
    ):
        t = tables[tid]
        n = _published(t, "Families observed")
        anyf = _published(t, n_any)
        total = _published(t, "Events" if tid.endswith("events") else "Units")
        assert n.dropna().ge(k).all(), tid
        assert anyf.dropna().map(lambda x: x == 0 or x >= k).all(), tid  # never 1 .. k-1
        both = n.notna() & anyf.notna()
        assert (n - anyf)[both].map(lambda x: x == 0 or x >= k).all(), tid  # nor its complement
        assert anyf[total.notna()].notna().all(), tid  # a published total: its families are published
    # a published rate ratio: at least k families had an event in one of its two periods (counted
    # from impactkit.outcomes.phase_counts, outside the report)
    pc = ik.outcomes.phase_counts(_subset(families))
    pc = pc[pc["count"].fillna(0) > 0]
    ratios = tables["tbl-outcome-ratios"]
    frame = ratios.excel_frame()[0]
    for i in np.flatnonzero(_published(ratios, "Rate ratio").notna()):
        label = str(frame.iloc[i, 0])
        phases = [p.strip() for p in str(frame.iloc[i, 1]).split("/")]
        words = {ik.figures.phase_label(p, "en"): p for p in ("before", "during", "after")}
        mine = pc[
            (pc["label"].str.lower() == label.lower())
            & pc["phase"].astype(str).isin([words[p] for p in phases])
        ]
        assert mine["family_id"].nunique() >= k, label
    # the charts draw the same suppressed numbers
    charts = [c for s in sections for c in s.charts]
    bars = charts[0].figure
    drawn = [v for tr in bars.data if tr.type == "bar" for v in tr.y if v is not None]
    published = _published(tables["tbl-outcome-events"], "Per family-year").dropna().astype(float).tolist()
    assert sorted(np.round(drawn, 12)) == sorted(np.round(published, 12))


def test_small_project_publishes_nothing_about_events() -> None:
    """12 families: each event type rests on fewer than 10 families with an event; the captions say so."""
    sections = _sections(10, 12)
    charts = {c.id: c for s in sections for c in s.charts}
    assert charts["outcome-ratios"].caption.startswith("No rate ratio rests on at least 10 families")


def test_the_assumed_avoided_cost_carries_its_psa_interval(annual_nl) -> None:
    """The model's avoided cost is shown with its uncertainty: the 2.5% and 97.5% quantiles of the PSA
    draws (numpy.quantile of the same draws, seed as the report's), never a bare number."""
    t = annual_nl.tables["outcome-observed"]
    row = t[t["Post"].str.startswith("Vermeden kosten")].iloc[0]
    lo_col, hi_col = [c for c in t.columns if c.startswith("95%")]
    ev = ik_costs.evaluate(sample(), draws=DRAWS, seed=0)  # build_report's default seed is 0
    draws = ev.psa_draws["gross_avoided_cost"].to_numpy()
    assert row[lo_col] == pytest.approx(np.quantile(draws, 0.025))
    assert row[hi_col] == pytest.approx(np.quantile(draws, 0.975))
    assert row[lo_col] < row["Schatting"] < row[hi_col]
    assert "gevoeligheidsanalyse, 500 trekkingen" in row["Gebaseerd op"]


def test_rate_ratios_fitted_once_for_both_languages_are_a_fresh_fit() -> None:
    """The release fits the rate ratios once (collecting pass, English counts) and the Dutch
    report takes them with its own labels: the same table as rate_ratios on the Dutch counts
    (the reference: the fit the rendering pass made before)."""
    from impactkit import outcomes
    from impactkit.report._outcomes import _rate_ratios

    ds = sample()
    path = getattr(ds, "scenario_path", None)
    scen = ik_costs.Scenario.from_file(path) if path else ik_costs.Scenario.default()

    def events(lang: str) -> pd.DataFrame:
        c = pd.DataFrame(outcomes.phase_counts(ds, scenario=scen, lang=lang))
        c = c[(c["source"] == "events") & (c["exposure_years"] > 0)].reset_index(drop=True)
        return c.assign(family_id=c["family_id"].astype(str), phase=c["phase"].astype(str))

    class Memo:  # the part of a report's Ctx that _rate_ratios uses: its analyses between passes
        def __init__(self) -> None:
            self.memo: dict[str, object] = {}

        def cached(self, name: str, make):  # type: ignore[no-untyped-def]
            if name not in self.memo:
                self.memo[name] = make()
            return self.memo[name]

    en, nl = events("en"), events("nl")
    assert set(en["label"]) != set(nl["label"])  # the two languages' counts differ in their labels
    ctx = Memo()
    first = _rate_ratios(ctx, en)  # type: ignore[arg-type]
    again = _rate_ratios(ctx, nl)  # type: ignore[arg-type]
    pd.testing.assert_frame_equal(first, pd.DataFrame(outcomes.rate_ratios(en, method="negbin")))
    pd.testing.assert_frame_equal(again, pd.DataFrame(outcomes.rate_ratios(nl, method="negbin")))
    assert len(ctx.memo) == 1
