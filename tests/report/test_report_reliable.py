"""The report's reliable-change headline and its small-sample status (issue 12 items 4 and 6).

References: a simulated no-effect cohort (rounded true score plus error, no true change: the
reliably improved and deteriorated shares must sit at the chance level the headline states,
within four binomial SEs); Cronbach's alpha by hand (k/(k-1) (1 - Σ var_i / var_sum)); the exact
sign test from scipy.stats.binomtest; the measures' own tables (the report shows their numbers).
"""

from __future__ import annotations

import dataclasses
import json

import numpy as np
import pandas as pd
import pytest
from scipy import stats
from typer.testing import CliRunner

import impactkit as ik
from impactkit.cli import app
from impactkit.io import Dataset
from impactkit.report import build_report
from tests.report._report_data import GENERATED, ROOT, sample

DRAWS = 100


def _kf(rep, start: str):
    summary = next(s for s in rep.sections if s.id == "summary")
    return [kf for kf in summary.key_figures if kf.label.startswith(start)]


def _no_effect(n: int, seed: int) -> Dataset:
    """Three domains, scores round(true + error) clipped to 1-5 at intake and year 1, no change;
    the instrument's reliability per domain is the cohort's test-retest correlation (measured,
    so not a placeholder)."""
    rng = np.random.default_rng(seed)
    sds = {"finances": (1.0, 0.2), "housing": (0.8, 0.5), "social_network": (0.6, 0.7)}  # SD(true), SD(error)
    fam = np.array([f"F{i:05d}" for i in range(n)])
    frames, rel = [], {}
    for dom, (sd_t, sd_e) in sds.items():
        true = rng.normal(3.0, sd_t, n)
        x = [np.clip(np.rint(true + rng.normal(0, sd_e, n)), 1, 5) for _ in range(2)]
        rel[dom] = float(np.corrcoef(x[0], x[1])[0, 1])
        for w, xs in zip(("intake", "year1"), x, strict=True):
            frames.append(pd.DataFrame({"family_id": fam, "wave": w, "domain": dom, "score": xs}))
    inst = ik.Instrument.from_dict(
        {"id": "sim", "scale": {"min": 1, "max": 5}, "waves": [{"id": "intake"}, {"id": "year1"}],
         "domains": [{"id": d, "reliability": r} for d, r in rel.items()]}
    )  # fmt: skip
    data = ik.canonical(pd.concat(frames, ignore_index=True), inst)
    return Dataset(assessments=data, instrument=inst)


def test_no_effect_cohort_headline_reads_the_chance_level() -> None:
    """Simulation: with no true change the two headline tiles (improved / deteriorated on at least
    one domain) both sit at the chance level they state; the one-sided tile of before read the same share as a result."""
    ds = _no_effect(1200, seed=20261201)
    rep = build_report(ds, kind="annual", draws=DRAWS, generated_at=GENERATED)
    (up,), (down,) = _kf(rep, "reliably improved"), _kf(rep, "reliably deteriorated")
    row = rep.tables["reliable-chance"].iloc[-1]
    chance = ik.reliable_change_summary(ds.assessments).set_index("domain").loc["at_least_one_domain"]
    assert row.iloc[0] == "At least one domain"
    se = np.sqrt(chance.chance_improved * (1 - chance.chance_improved) / chance.n)
    assert chance.chance_improved > 1.5 * (1 - 0.975**3)  # not 2.5% per domain as on a continuous scale
    for kf in (up, down):
        assert abs(kf.number - chance.chance_improved) < 4 * se, (kf.number, chance.chance_improved)
        assert kf.detail == f"expected by chance with no true change: {round(100 * chance.chance_improved)}%"
    assert "placeholder" not in up.detail  # measured reliabilities are not called placeholders
    cap = next(c for s in rep.sections for c in s.charts if c.id == "reliable-chance").caption
    assert f"about {round(100 * chance.chance_improved)}% would cross the threshold" in cap


@pytest.fixture(scope="module")
def sample_report():
    return build_report(sample(), kind="annual", draws=DRAWS, generated_at=GENERATED)


def test_sample_headline_is_symmetric_and_names_the_placeholder(sample_report) -> None:
    s = ik.reliable_change_summary(sample().assessments).set_index("domain")
    anyd = s.loc["at_least_one_domain"]
    (up,), (down,) = _kf(sample_report, "reliably improved"), _kf(sample_report, "reliably deteriorated")
    # published as printed: a share to whole percent (0.7255 -> 73%)
    assert up.number == round(anyd.share_improved, 2)
    assert down.number == round(anyd.share_deteriorated, 2)
    for kf in (up, down):
        assert "reliability a placeholder on 9 of 9 domains" in kf.detail
        assert f"{round(100 * anyd.chance_improved)}%" in kf.detail
    tab = sample_report.tables["reliable-chance"]
    assert len(tab) == 10  # nine domains and "at least one domain"
    sec = next(s for s in sample_report.sections if s.id == "reliable")
    assert any("placeholder from the instrument file" in p and "every domain" in p for p in sec.paragraphs)
    fig = next(c for c in sec.charts if c.id == "reliable-chance").figure
    drawn = list(fig.data[1].x)  # deteriorated to the left; a count under k is not drawn
    for i, (x, (_, r)) in enumerate(zip(drawn, s.iterrows(), strict=True)):
        if x is None:  # hidden in the table too (under k, or to protect another figure of the release)
            assert tab.iloc[i, 4] in ("<10", "x")
        else:
            assert x == pytest.approx(-round(r.share_deteriorated, 2))
    assert fig.data[0].y[-1] == "at least one domain"


def test_dutch_headline() -> None:
    rep = build_report(sample(), kind="annual", draws=DRAWS, generated_at=GENERATED, lang="nl")
    (up,) = _kf(rep, "betrouwbaar vooruit")
    assert up.detail.startswith("door toeval te verwachten zonder echte verandering: ")
    assert "betrouwbaarheid een aanname op 9 van de 9 domeinen" in up.detail


def test_cronbach_alpha_replaces_the_placeholder_where_items_exist() -> None:
    """The self-report corpus export holds item answers (agreement35): the report's reliability is
    the intake items' alpha by hand where it lies in (0, 1), the instrument's value elsewhere, and
    the report says which domains' alphas were unusable."""
    one = ik.read_dataset(ROOT / "tests" / "corpus" / "exports" / "zelfrapportage", today="2026-11-01")
    assert one.items is not None
    # its 30 families four times over (new ids): at 30 the release hides every domain's classified
    # families (27 of 30: the 3 left out would be the difference), at 120 it publishes them
    ds = dataclasses.replace(one, assessments=_copies(one.assessments, 4), items=_copies(one.items, 4),
                             families=_copies(one.families, 4), programme_costs=None)  # fmt: skip
    rep = build_report(ds, kind="annual", draws=0, generated_at=GENERATED, k=5)
    items = ds.items[ds.items["wave"] == "intake"]
    shown = 0
    tab = rep.tables["reliable-chance"].set_index(rep.tables["reliable-chance"].columns[0])
    for dom in ds.instrument.domain_ids:
        wide = (
            items[items["domain"] == dom]
            .pivot_table(index="family_id", columns="item", values="scored")
            .dropna()
        )
        k = wide.shape[1]
        alpha = k / (k - 1) * (1 - wide.var(ddof=1).sum() / wide.sum(axis=1).var(ddof=1))
        row = tab.loc[ds.instrument.domain_label(dom, "en")]
        if 0 < alpha < 1:
            # an alpha rests on the classified families: hidden with them, else as printed
            if isinstance(row["Reliability"], str):
                assert isinstance(row["n"], str), dom
            else:
                assert row["Reliability"] == round(alpha, 2), dom
                shown += 1
            assert row["Source of the reliability"] == "Cronbach's alpha of the intake items"
        else:
            assert row["Reliability"] == pytest.approx(ds.instrument.reliability(dom))
            assert "placeholder" in row["Source of the reliability"]
    assert shown >= 4  # the alphas by hand are compared, not only their markers
    sec = next(s for s in rep.sections if s.id == "reliable")
    assert any(
        p.startswith("Cronbach's alpha of the intake items is no reliability for ") for p in sec.paragraphs
    )


def _copies(t: pd.DataFrame, n: int) -> pd.DataFrame:
    """``n`` copies of a table's families, ids suffixed ``-0`` ... ``-{n-1}`` (attributes kept)."""
    attrs, parts = t.attrs, []
    for c in range(n):
        x = t.copy()
        x.attrs = {}
        x["family_id"] = x["family_id"].astype(str) + f"-{c}"
        parts.append(x)
    out = pd.concat(parts, ignore_index=True)
    out.attrs = attrs
    return out


# ------------------------------------------------------------------------- small samples (12.6)
def _few(n: int) -> Dataset:
    ds = sample()
    a = ds.assessments
    ids = set(a.loc[a["wave"] == ds.instrument.wave_ids[-1], "family_id"].astype(str).unique()[:n])

    def cut(t):
        return None if t is None else t[t["family_id"].astype(str).isin(ids)].copy()

    return dataclasses.replace(ds, assessments=cut(a), families=cut(ds.families), counterfactuals=cut(ds.counterfactuals),
                               care_used=cut(ds.care_used), events=cut(ds.events), programme_costs=None)  # fmt: skip


def _nine(diffs: dict[str, list[int]]) -> Dataset:
    """Nine families, one score change each per domain (from 2 up or from 4 down), two waves."""
    inst = ik.Instrument.from_dict(
        {"id": "tiny", "scale": {"min": 1, "max": 5}, "waves": [{"id": "intake"}, {"id": "year1"}],
         "domains": [{"id": d, "reliability": 0.8} for d in diffs]}
    )  # fmt: skip
    frames = []
    for d, diff in diffs.items():
        fam = [f"F{i}" for i in range(len(diff))]
        base = np.array([2 if x >= 0 else 4 for x in diff])
        frames.append(pd.DataFrame({"family_id": fam, "wave": "intake", "domain": d, "score": base}))
        frames.append(
            pd.DataFrame({"family_id": fam, "wave": "year1", "domain": d, "score": base + np.array(diff)})
        )
    return Dataset(assessments=ik.canonical(pd.concat(frames, ignore_index=True), inst), instrument=inst)


def test_below_ten_pairs_the_report_describes_and_claims_nothing() -> None:
    ds = _few(7)
    rep = build_report(ds, kind="annual", draws=DRAWS, generated_at=GENERATED, k=5)
    summary = next(s for s in rep.sections if s.id == "summary")
    text = " ".join(summary.paragraphs)
    assert "makes no claim that any change is larger than chance" in text
    assert "improved beyond chance" not in rep.html
    assert "95% CI" not in text
    ch = ik.change(ds.assessments)
    described = rep.tables["described"]
    assert len(described) == len(ch)  # every domain described, none tested
    shown = 0
    for i, row in ch.reset_index(drop=True).iterrows():
        out = described.iloc[i]
        if isinstance(out["n"], str):  # the pairs are hidden by the release: everything on them too
            assert isinstance(out["Median change"], str)
            continue
        assert out["Median change"] == pytest.approx(row.median_diff)
        if out["Better"] in ("<5", "x") or out["Worse"] in ("<5", "x"):  # a p-value would reveal them
            assert out["Sign test, exact p"] == "x"
            assert out["Signed-rank test, exact p"] == "x"
        else:
            shown += 1
            sign_p = stats.binomtest(int(row.n_improved), int(row.n_improved + row.n_worse), 0.5).pvalue
            assert out["Sign test, exact p"] == pytest.approx(sign_p)
    assert shown == 0  # 7 families: some part of every domain is under k = 5
    # the exact sign test where the release publishes it: nine families on three domains at k = 3,
    # better / worse 5 / 4, 4 / 5 and 6 / 3 (the release shows the last two; reference scipy's binomtest)
    tiny = _nine({"a": [1] * 5 + [-1] * 4, "b": [1] * 4 + [-1] * 5, "c": [1] * 6 + [-1] * 3})
    big = build_report(tiny, kind="annual", draws=0, generated_at=GENERATED, k=3).tables["described"]
    ch9 = ik.change(tiny.assessments).reset_index(drop=True)
    ok = big[~big["Sign test, exact p"].isin(["x", "<3", "–"])].index
    assert list(big.loc[ok, "Life domain"]) == ["b", "c"]
    for i in ok:
        r = ch9.iloc[i]
        assert (big.loc[i, "Better"], big.loc[i, "Worse"]) == (r.n_improved, r.n_worse)
        ref = stats.binomtest(int(r.n_improved), int(r.n_improved + r.n_worse), 0.5).pvalue
        assert big.loc[i, "Sign test, exact p"] == pytest.approx(ref, abs=5e-4)  # printed to 3 decimals
    assert big.loc[ok[0], "Sign test, exact p"] == pytest.approx(1.0)  # 4 of 9: p = 1
    assert big.loc[ok[1], "Sign test, exact p"] == pytest.approx(0.508)  # 6 of 9: 2 x 130/512 = 0.5078
    assert "distance" not in rep.tables  # no chart of mean change with intervals
    assert set(rep.tables["change"]["Status"]) == {"described (fewer than 10 pairs)"}
    assert rep.tables["change"]["Wilcoxon p"].isna().all()  # its exact p is in the protected table
    kfs = _kf(rep, "of 7 families reliably")
    assert kfs
    assert all("no comparison with chance" in kf.detail for kf in kfs)


def test_cli_carries_the_same_status(tmp_path) -> None:
    ds = _few(8)
    wide = ds.assessments.pivot_table(index=["family_id", "wave"], columns="domain", values="score",
                                      observed=True).reset_index()  # fmt: skip
    path = tmp_path / "assessments.csv"
    wide.to_csv(path, index=False)
    res = CliRunner().invoke(app, ["analyse", str(path), "--json", "--today", "2026-11-01"])
    assert res.exit_code == 0, res.output
    out = json.loads(res.output)["tables"]
    data = ik.read_assessments(path, today="2026-11-01")
    assert [r["status"] for r in out["change"]] == list(ik.change(data)["status"])
    assert [r["status"] for r in out["reliable_summary"]] == list(ik.reliable_change_summary(data)["status"])
    assert {r["status"] for r in out["change"]} == {"descriptive (n < 10)"}
    term = CliRunner().invoke(app, ["analyse", str(path), "--today", "2026-11-01"], env={"COLUMNS": "80"})
    assert "described, not tested" in term.output
    assert "against chance" in term.output
