"""The report's rendering of the cost model's honest numbers (issue 12 items 1-3): avoided cost by
basis of need with suppression, the sentence under it built from published values only, the spread
by source, and the used-only assumptions in the tornado's order with the programme-cost origin."""

from __future__ import annotations

import functools
import re
from html import unescape

import pandas as pd
import pytest
from _report_data import DRAWS, GENERATED, sample

import impactkit as ik
from impactkit.costs import evaluate
from impactkit.privacy import Ledger, Scope, protect
from impactkit.report._context import Ctx, basis_values
from impactkit.report._costs import basis_table, paths
from impactkit.report._publish import PublishedFormatter, Publisher

RAW = re.compile(r"\b(paths|prices|rules|adjustments|programme|programmes|discount|uncertainty)\.|\[\d+\]")


@functools.cache
def report(kind: str = "annual", lang: str = "en", k: int = 10) -> ik.Report:
    return ik.build_report(sample(), kind=kind, lang=lang, draws=DRAWS, k=k, generated_at=GENERATED)


@functools.cache
def costs() -> ik.costs.CostEvaluation:
    return evaluate(sample(), draws=DRAWS, seed=0)


def _published(dataset: object, ev: ik.costs.CostEvaluation, instrument: object, k: int, lang: str = "en"):
    """The cost model's basis table and the counts per basis as one report publishes them: its
    populations declared in a ledger of their own, protected with k, then written (the two passes
    of a release, for this one table)."""
    led = Ledger(list(pd.Index(ev.per_family["family_id"].astype(str)).unique()))

    def ctx(protected: bool) -> Ctx:
        pub = Publisher(led, "funder", k, ik.i18n.Formatter(lang), protected=protected)
        return Ctx(dataset=dataset, costs=ev, instrument=instrument, fmt=PublishedFormatter(pub), k=k, seed=0,
                   draws=0, pub=pub, scope=Scope("funder", "", 0, True))  # fmt: skip

    first = ctx(False)
    basis_table(first, paths(first))
    basis_values(first)
    protect(led, k=k, atoms=False)
    done = ctx(True)
    table = basis_table(done, paths(done))
    _n, parts = basis_values(done)
    return done, table, parts


def _ctx(k: int, lang: str = "en"):
    ds = sample()
    return _published(ds, costs(), ds.instrument, k, lang)


def _text(html: str) -> str:
    return unescape(re.sub(r"<[^>]+>", " ", html))


def test_basis_table_protects_a_path_with_one_small_basis() -> None:
    """At k = 20 the supervision orders placed by an intake rule rest on fewer than 20 families:
    that row reads <20, and since the path's families are published in the waterfall, the release
    hides a second figure of the path (its other basis, or the path itself) so that the small row
    is not the path minus the others; paths with every basis at or above k are published."""
    rep = report(k=20)
    t = rep.tables["basis"].set_index(["Care path", "Need rests on"])
    ev = costs()
    bb = pd.DataFrame(ev.by_basis).set_index(["path", "basis"])
    assert (
        bb.loc[("supervision_order", "rule"), "families"]
        < 20
        <= bb.loc[("supervision_order", "recorded"), "families"]
    )
    ots = t.loc["Supervision order (OTS)"]
    assert ots.loc["intake rule", "Avoided costs (gross)"] == "<20"
    other = ots.loc["judgement recorded at intake"]
    path = rep.tables["waterfall"].set_index("Care path").loc["Supervision order (OTS)"]
    assert "x" in (
        other["Avoided costs (gross)"],
        other.iloc[0],
        path.iloc[0],
        path.iloc[1],
    )
    debt = t.loc["Debt assistance and problematic debt"]
    assert float(debt.loc["intake rule", "Avoided costs (gross)"]) == round(  # whole euros, as printed
        bb.loc[("debt_assistance", "rule"), "avoided_cost"]
    )


@pytest.mark.parametrize("k", [3, 10, 150, 155, 160, 300])
def test_basis_sentence_states_only_published_values(k: int) -> None:
    """Every suppression pattern of the three bases: an amount appears only where its family count
    is published, hidden counts never appear, a lone hidden amount takes the smallest shown one
    with it when nothing else unpublished enters the total, and the sentence parses in both
    languages (no stray placeholder, no 'families of families')."""
    ctx, table, parts = _ctx(k)
    pub = ctx.pub
    sentence = table.notes[0]
    bb = pd.DataFrame(costs().by_basis)
    amounts = bb.groupby("basis")["avoided_cost"].sum()
    f = ctx.fmt.base
    for b in ("recorded", "rule", "prevalence"):
        if pub.raw(parts[b]) == 0:
            continue
        amount = f.currency(float(amounts.get(b, 0.0)))
        count = f"{f.integer(pub.raw(parts[b]))} families"
        if pub.status(parts[b]) == "primary":
            assert amount not in sentence, (b, sentence)
            assert count not in sentence
            assert f"fewer than {k} families" in sentence
        elif pub.status(parts[b]):  # hidden to protect another: neither its size nor "fewer than k"
            assert amount not in sentence
            assert count not in sentence
        elif amount not in sentence:  # its amount rests on a hidden row of the table
            assert "so that a hidden amount cannot be worked out" in sentence
    assert "{" not in sentence
    assert "families of families" not in sentence
    nl = _ctx(k, "nl")[1].notes[0]
    assert nl.startswith("De vermeden kosten van")
    assert "{" not in nl
    assert " en " in nl or nl.count(":") <= 2  # babel's Dutch list: "a, b en c"


def test_cost_note_counts_families_by_basis_with_protection() -> None:
    ctx, _, parts = _ctx(160)
    pub = ctx.pub
    assert sum(pub.raw(v) for v in parts.values()) == 350
    hidden = [b for b, v in parts.items() if pub.raw(v) and not pub.shown(v)]
    assert len(hidden) != 1  # a single hidden part of a published total would be derivable


def test_spread_chart_in_both_reports_and_languages() -> None:
    for kind in ("annual", "business-case"):
        for lang in ("en", "nl"):
            r = report(kind, lang)
            t = r.tables["spread"]
            ev = costs() if kind == "annual" else r.costs  # the business case is its own evaluation
            assert len(t) == len(ev.spread)
            assert t.iloc[:, 0].map(lambda x: bool(RAW.search(str(x)))).sum() == 0
    text = _text(report("business-case", "en").html)
    # the source group's legend label mid-sentence: lower case (an acronym would stay as it is)
    assert re.search(r"The largest source of uncertainty is [a-z]{3,}", text), text
    assert "Sobol" in text
    nl = _text(report("annual", "nl").html)
    assert re.search(r"De grootste bron van onzekerheid is [a-z]{3,}", nl)
    assert "onzekerheid is Deadweight" not in nl


def test_assumptions_are_used_only_labelled_and_in_tornado_order() -> None:
    """The sample's programme cost comes from its table: no coordinator, caseload or cost items,
    one row for the table instead, and a sentence saying so; rows in the tornado's order; words,
    not keys, in both languages (Dutch labels in the Dutch report)."""
    ev = costs()
    for lang in ("en", "nl"):
        r = report("annual", lang)
        a = r.tables["assumptions"]
        names = a.iloc[:, 0].astype(str)
        assert not names.map(lambda x: bool(RAW.search(x))).any()
        assert len(a) == len(ev.assumptions)
        ranked = ev.assumptions[ev.assumptions["tornado_rank"].notna()]
        assert names.iloc[: len(ranked)].tolist() == ranked[f"label_{lang}"].tolist()
    nl = report("annual", "nl")
    assert "Deadweight (was ook zonder programma vermeden)" in nl.tables["assumptions"].iloc[:, 0].tolist()
    en_text = _text(report("annual", "en").html)
    assert "The programme cost comes from the programme cost table" in en_text
    assert "Coordinator" not in " ".join(report("annual", "en").tables["assumptions"].iloc[:, 0])
    assert "De programmakosten komen uit de tabel" in _text(nl.html)


def test_only_rules_some_family_met_are_listed(tmp_path) -> None:
    """An extra intake rule nobody meets (parenting ≤ 0 on a 1-5 scale) is not in the rules table."""
    import tomllib
    from importlib import resources

    from impactkit.costs import Scenario

    spec = tomllib.loads((resources.files("impactkit.costs") / "data" / "default.toml").read_text("utf-8"))
    spec["rules"].append({"id": "never", "path": "social_work", "domain": "parenting", "max_score": 0,
                          "probability": 0.9, "source": "nobody meets this", "instrument": "default"})  # fmt: skip
    r = ik.build_report(sample(), kind="annual", lang="en", draws=DRAWS, generated_at=GENERATED,
                        scenario=Scenario.from_dict(spec))  # fmt: skip
    assert "nobody meets this" not in r.tables["rules"].to_string()
    assert len(r.tables["rules"]) == len(Scenario.default().rules)


def _synthetic(
    n_judged: int, n_rule: int, n_prev: int, n_none: int
) -> tuple[object, ik.costs.CostEvaluation]:
    """Families judged (social work 0.5), meeting an intake rule (finances 1), without intake
    (prevalence) and meeting no rule (finances 3, not judged); no care used."""
    import types

    from impactkit._canonical import canonical
    from impactkit.costs import Scenario

    judged = [f"J{i}" for i in range(n_judged)]
    ruled = [f"R{i}" for i in range(n_rule)]
    unscored = [f"P{i}" for i in range(n_prev)]
    nothing = [f"N{i}" for i in range(n_none)]
    rows = [{"family_id": f, "wave": "intake", "assessed_on": "2024-01-10", "domain": "finances",
             "score": 1.0 if f in ruled else 3.0} for f in judged + ruled + nothing]  # fmt: skip
    data = canonical(pd.DataFrame(rows))
    fam = pd.DataFrame({"family_id": judged + ruled + unscored + nothing, "programme": "Samen Oplopen",
                        "start_date": "2024-01-10"})  # fmt: skip
    cf = pd.DataFrame({"family_id": judged, "care_path": "social_work", "likelihood": 0.5, "judged_by": "gp"})
    ev = evaluate(data, Scenario.default(), families=fam, counterfactuals=cf, draws=0)
    return types.SimpleNamespace(families=fam), ev


@pytest.mark.parametrize(
    "sizes", [(30, 12, 4, 0), (30, 40, 4, 11), (30, 40, 12, 4), (5, 40, 20, 12), (3, 4, 5, 2)]
)
def test_sentence_under_every_suppression_pattern_of_the_parts(sizes: tuple[int, int, int, int]) -> None:
    """Synthetic cohorts that hide different parts: a part hidden because it rests on fewer than k
    families says so; a part hidden only to protect another never claims 'fewer than k'; an amount
    is shown only with its count and only when every row of the table it sums is published (the
    rows are populations of the release, protected by its audit: total − shown amounts is a sum
    of hidden rows, never of one)."""
    ds, ev = _synthetic(*sizes)
    ctx, table, parts = _published(ds, ev, ik.builtin(), 10)
    pub = ctx.pub
    counts = {b: int(pub.raw(v)) for b, v in parts.items()}
    status = {b: pub.status(v) for b, v in parts.items()}
    assert list(counts.values()) == list(sizes)
    sentence = table.notes[0]
    f = ctx.fmt.base
    amounts = pd.DataFrame(ev.by_basis).groupby("basis")["avoided_cost"].sum()
    names = {"recorded": "judgements recorded at intake", "rule": "intake rules",
             "prevalence": "the prevalence the scenario assumes for the programme"}  # fmt: skip
    shown = []
    for b, name in names.items():
        if counts[b] == 0:
            assert name not in sentence
            continue
        n = f.integer(counts[b])
        forms = {
            "primary": f"{name}: fewer than 10 families (amount not shown)",
            "protected": f"{name}: not shown, so that a hidden figure cannot be worked out",
            "shown": f"{name}: {f.currency(amounts[b])} ({n} families)",
            "withheld": f"{name}: {n} families (amount not shown, so that a hidden amount cannot be worked out)",
        }
        found = [k for k, v in forms.items() if v in sentence]
        assert len(found) == 1, (b, sentence)
        expected = {"primary": ["primary"], "secondary": ["protected"]}.get(status[b], ["shown", "withheld"])
        assert found[0] in expected, (b, status[b], sentence)
        if found[0] == "shown":
            shown.append(b)
    assert "{" not in sentence


def test_home_start_report_attributes_no_placements_unless_declared() -> None:
    """Issue 12: the Home-Start corpus export (40 families, no judgements) under the shipped
    scenario avoids social work and parenting support only (the paths it declares for Home-Start);
    the same export with out-of-home placement declared for Home-Start gets it back, on the basis
    'assumed prevalence' and at the path's prevalence (0.01 per family, the shipped value)."""
    import copy
    import tomllib
    from importlib import resources

    from tests.report._report_data import ROOT

    ds = ik.read_dataset(ROOT / "tests" / "corpus" / "exports" / "home_start", today="2026-11-01")
    rep = ik.build_report(ds, kind="annual", draws=DRAWS, generated_at=GENERATED, k=5)
    water = rep.tables["waterfall"].set_index("Care path")
    assert water.loc["Out-of-home placement", "Avoided costs (gross)"] == 0
    assert water.loc["Supervision order (OTS)", "Avoided costs (gross)"] == 0
    assert set(rep.tables["basis"]["Care path"]) == {"Social work", "Parenting support"}
    spec = copy.deepcopy(
        tomllib.loads((resources.files("impactkit.costs") / "data" / "default.toml").read_text("utf-8"))
    )
    spec["programmes"]["home_start"]["paths"] += ["out_of_home_placement"]
    declared = ik.build_report(
        ds,
        kind="annual",
        draws=DRAWS,
        generated_at=GENERATED,
        k=5,
        scenario=ik.costs.Scenario.from_dict(spec),
    )
    basis = declared.tables["basis"].set_index("Care path")
    assert basis.loc["Out-of-home placement", "Need rests on"] == "assumed prevalence"
    ev = evaluate(ds, ik.costs.Scenario.from_dict(spec), draws=0).by_path.set_index("path")
    assert ev.loc["out_of_home_placement", "expected_cases"] == pytest.approx(
        40 * spec["paths"]["out_of_home_placement"]["prevalence"]["value"]
    )
    # published as printed: whole euros
    assert basis.loc["Out-of-home placement", "Avoided costs (gross)"] == round(
        ev.loc["out_of_home_placement", "avoided_cost"]
    )
