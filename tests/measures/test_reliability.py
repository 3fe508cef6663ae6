"""ICC, reliability input for reliable change, cut-offs from norms, and reliable change against chance.

R: tests/results/measures/reference_icc.R (psych::ICC(x, lmer = FALSE)) on Shrout & Fleiss (1979)
Table 2 (whose published values the doctest also checks) and a seeded long table; tolerance 1e-9
(closed forms).  Cut-offs a, b, c: hand calculations (Jacobson & Truax 1991, p. 13) written out.
The chance level of reliable change: a simulated no-effect cohort (rounded true score plus error,
no change) and hand limits of the formula.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from _measures_data import RESULTS, load, reference
from scipy import stats

import impactkit as ik
from impactkit.errors import DesignError, ParameterError
from impactkit.measures import chance_share, reliable_change, reliable_change_summary

CLOSED = 1e-9


def test_icc_matches_psych() -> None:
    """R: psych::ICC(x, lmer = FALSE)$results (ICC, F, df, p, bounds) on Shrout & Fleiss Table 2 and on
    a long table by domain with incomplete targets dropped."""
    ref = reference("icc.csv")
    sf = pd.DataFrame({"J1": [9, 6, 8, 7, 10, 6], "J2": [2, 1, 4, 1, 5, 2], "J3": [5, 3, 6, 2, 6, 4],
                       "J4": [8, 2, 8, 6, 9, 7]})  # fmt: skip
    cols = ["icc", "f_value", "df1", "df2", "p_value", "ci_low", "ci_high", "n_targets"]
    got = ik.icc(sf)
    want = ref[ref.dataset == "shrout_fleiss"]
    assert got.type.tolist() == want.type.tolist()
    np.testing.assert_allclose(got[cols].to_numpy(float), want[cols].to_numpy(float), rtol=CLOSED)
    long = ik.icc(pd.read_csv(RESULTS / "icc_long.csv"), raters="rater")
    want = ref[ref.dataset == "long"]
    assert long.domain.tolist() == want.domain.tolist()
    np.testing.assert_allclose(long[cols].to_numpy(float), want[cols].to_numpy(float), rtol=CLOSED)
    assert "2 target(s) without every rating left out (finances)." in long.notes  # rows 5 and 47 in R
    assert set(long.n_raters) == {3}


def test_icc_errors() -> None:
    with pytest.raises(ParameterError, match="must be wide"):
        ik.icc(pd.DataFrame({"family_id": ["a", "b"], "score": [1, 2]}))
    dup = pd.DataFrame({"family_id": ["a", "a"], "rater": ["x", "x"], "score": [1, 2]})
    with pytest.raises(DesignError, match="two ratings from one rater"):
        ik.icc(dup)
    with pytest.raises(DesignError, match="an ICC needs two of each"):
        ik.icc(pd.DataFrame({"a": [1.0, 2.0], "b": [1.0, np.nan]}))


def test_icc_table_is_reliability_input() -> None:
    """reliable_change(reliability=icc(...)) uses the chosen form per domain (ICC2 by default)."""
    inst = ik.Instrument.from_dict({"id": "t", "domains": [{"id": "finances"}, {"id": "housing"}],
                                    "scale": {"min": 1, "max": 5}, "waves": [{"id": "intake"}, {"id": "year1"}]})  # fmt: skip
    tab = ik.icc(pd.read_csv(RESULTS / "icc_long.csv"), raters="rater")
    raw = pd.DataFrame(load("ordinal")).astype({"domain": str, "wave": str})
    data = ik.canonical(raw.query("domain in ['finances', 'housing'] and wave != 'year2'"), inst)
    for form in ("ICC2", "ICC3"):
        res = reliable_change(data, reliability=tab, icc_form=form, cutoff="a")
        want = tab[tab.type == form].set_index("domain")["icc"]
        par = res.meta["parameters"].set_index("domain")
        np.testing.assert_allclose(par["reliability"], want[par.index], rtol=1e-15)
        assert set(par["reliability_source"]) == {"icc"}
        assert not par["reliability_placeholder"].any()
    with pytest.raises(ParameterError, match="'icc_form' parameter of reliable_change must be one of"):
        reliable_change(data, reliability=tab, icc_form="ICC(2,1)", cutoff="a")


def test_cutoffs_from_dysfunctional_and_functional_norms() -> None:
    """Hand calculation (Jacobson & Truax 1991): dysfunctional (M1, SD1) = (2.0, 0.5), functional
    (M0, SD0) = (3.8, 0.7): a = 2.0 + 2·0.5 = 3.0; b = 3.8 - 2·0.7 = 2.4;
    c = (0.7·2.0 + 0.5·3.8) / (0.7 + 0.5) = 3.3 / 1.2 = 2.75."""
    data = load("ordinal")
    kw = {"reliability": 0.75, "dysfunctional_norms": (2.0, 0.5), "functional_norms": (3.8, 0.7)}
    for rule, want in {"a": 3.0, "b": 2.4, "c": 2.75}.items():
        cut = reliable_change(data, cutoff=rule, **kw).meta["parameters"]["cutoff"]
        np.testing.assert_allclose(cut, want, rtol=1e-14)
    # per domain, and the old name 'norms' for the functional population
    per = {"finances": (2.0, 0.5), "housing": (1.0, 1.0), "social_network": (2.0, 0.5)}
    cut = reliable_change(data, cutoff="a", reliability=0.75, dysfunctional_norms=per).meta["parameters"]
    np.testing.assert_allclose(cut["cutoff"], [3.0, 3.0, 3.0], rtol=1e-14)
    old = reliable_change(data, cutoff="c", reliability=0.75, norms=(3.8, 0.7)).meta["parameters"]["cutoff"]
    new = reliable_change(data, cutoff="c", reliability=0.75, functional_norms=(3.8, 0.7)).meta["parameters"][
        "cutoff"
    ]
    np.testing.assert_allclose(old, new, rtol=0)
    with pytest.raises(ParameterError, match="not both"):
        reliable_change(data, cutoff="c", reliability=0.75, norms=(3.8, 0.7), functional_norms=(3.8, 0.7))
    with pytest.raises(ParameterError, match="needs a positive SD"):
        reliable_change(data, cutoff="a", reliability=0.75, dysfunctional_norms=(2.0, 0.0))


def test_placeholder_reliability_is_flagged_and_alpha_wins_where_items_exist() -> None:
    sample = load("sample")
    res = reliable_change(sample)
    par = res.meta["parameters"]
    assert par["reliability_placeholder"].all()
    assert any("is a placeholder from instrument 'default'" in n for n in res.notes)
    given = reliable_change(sample, reliability=0.9).meta["parameters"]
    assert not given["reliability_placeholder"].any()
    assert set(given["reliability_source"]) == {"argument"}
    # an item instrument whose reliability is a placeholder: alpha of the baseline items replaces it
    items = [{"id": f"a{i}", "domain": "area_a", "reverse": i == 4} for i in range(1, 5)]
    items += [{"id": f"b{i}", "domain": "area_b"} for i in range(1, 6)]
    inst = ik.Instrument.from_dict({"id": "items", "domains": [{"id": "area_a"}, {"id": "area_b"}],
                                    "scale": {"min": 1, "max": 4}, "waves": [{"id": "intake"}, {"id": "year1"}],
                                    "items": items, "reliability": 0.7, "reliability_placeholder": True})  # fmt: skip
    wide = pd.read_csv(RESULTS / "items_wide.csv")
    answers = wide.melt(id_vars="family_id", var_name="item", value_name="answer").assign(wave="intake")
    rng = np.random.default_rng(5)
    rows = [{"family_id": f, "wave": w, "domain": d, "score": float(rng.integers(1, 5))}
            for f in wide["family_id"] for w in ("intake", "year1") for d in ("area_a", "area_b")]  # fmt: skip
    data = ik.canonical(pd.DataFrame(rows), inst)
    with_items = reliable_change(data, items=answers, cutoff="a").meta["parameters"]
    np.testing.assert_allclose(with_items["reliability"], reference("alpha_items.csv")["alpha"], rtol=CLOSED)
    assert set(with_items["reliability_source"]) == {"cronbach_alpha"}
    assert not with_items["reliability_placeholder"].any()
    without = reliable_change(data, cutoff="a").meta["parameters"]
    assert without["reliability_placeholder"].all()
    assert (without["reliability"] == 0.7).all()


def test_chance_share_limits_by_hand() -> None:
    """Continuous: 1 - Φ(1.96) = 0.0249979. Large S_diff against the step: Sheppard's latent SD
    √(S² - 1/12). Small S_diff: the three-point law P(d = +1) = S²/2 (here the threshold < 1 step)."""
    assert chance_share(0.7, step=None) == pytest.approx(stats.norm.sf(1.96), rel=1e-15)
    s = 3.0  # threshold 5.88 -> k* = 6
    assert chance_share(s) == pytest.approx(stats.norm.sf(5.5 / np.sqrt(s**2 - 1 / 12)), rel=1e-3)
    s = 0.3  # threshold 0.588 -> k* = 1, almost every non-zero difference is ±1
    assert chance_share(s) == pytest.approx(s**2 / 2, rel=1e-3)


def _no_effect_cohort(n: int, seed: int) -> tuple[pd.DataFrame, dict[str, float]]:
    """Scores = round(true score + error), clipped to 1-5, at two waves with no true change; three
    domains whose error SDs put the RCI threshold below one step, between one and two, and above two."""
    rng = np.random.default_rng(seed)
    params = {
        "finances": (1.0, 0.2),
        "housing": (0.8, 0.5),
        "social_network": (0.6, 0.7),
    }  # SD(true), SD(error)
    inst = ik.Instrument.from_dict({"id": "sim", "domains": [{"id": d} for d in params], "scale": {"min": 1, "max": 5},
                                    "waves": [{"id": "intake"}, {"id": "year1"}]})  # fmt: skip
    frames, rel = [], {}
    fam = np.array([f"F{i:05d}" for i in range(n)])
    for dom, (sd_t, sd_e) in params.items():
        true = rng.normal(3.0, sd_t, n)
        x = [np.clip(np.rint(true + rng.normal(0, sd_e, n)), 1, 5) for _ in range(2)]
        rel[dom] = float(np.corrcoef(x[0], x[1])[0, 1])  # no true change: the test-retest reliability
        for w, xs in zip(("intake", "year1"), x, strict=True):
            frames.append(pd.DataFrame({"family_id": fam, "wave": w, "domain": dom, "score": xs}))
    return ik.canonical(pd.concat(frames, ignore_index=True), inst), rel


def test_no_effect_cohort_shows_change_at_the_chance_level() -> None:
    """Simulation (issue 12): on a cohort without true change the reliably improved and reliably
    deteriorated shares equal the chance level per domain and on at least one domain, to within
    four binomial SEs plus 0.2 percentage points (the model ignores the scale's floor and ceiling)."""
    data, rel = _no_effect_cohort(6000, seed=20261201)
    s = reliable_change_summary(data, reliability=rel, cutoff="a").set_index("domain")
    assert s.loc["finances", "min_change"] == 1.0  # threshold below one step: every move counts
    assert s.loc["social_network", "min_change"] == 3.0
    for dom, row in s.iterrows():
        se = np.sqrt(row.chance_improved * (1 - row.chance_improved) / row.n)
        for side in ("improved", "deteriorated"):
            assert abs(row[f"share_{side}"] - row[f"chance_{side}"]) < 4 * se + 0.002, (dom, side)
    p = s.loc[["finances", "housing", "social_network"], "chance_improved"].to_numpy()
    assert s.loc["at_least_one_domain", "chance_improved"] == pytest.approx(1 - np.prod(1 - p), rel=1e-12)
    # the continuous-scale 2.5% would be wrong by a factor of four on the first domain
    assert s.loc["finances", "chance_improved"] > 0.08


def test_summary_on_the_sample_and_small_samples() -> None:
    sample = load("sample")
    s = reliable_change_summary(sample)
    assert s.domain.iloc[-1] == "at_least_one_domain"
    assert s.reliability_placeholder.all()
    assert any("Placeholder reliability for 9 of 9 domains" in n for n in s.notes)
    last = s.iloc[-1]
    fam = reliable_change(sample, level="family")
    assert last.n == len(fam)
    assert last.n_improved == int(fam[["n_recovered", "n_improved"]].sum(axis=1).gt(0).sum())
    assert last.n_deteriorated == int(fam.n_deteriorated.gt(0).sum())
    assert last.n_both == int((fam.category == "mixed").sum())
    fig = s.figure()  # improved right, deteriorated left, chance markers on both sides
    assert [t.name for t in fig.data][:2] == ["reliably improved", "reliably deteriorated"]
    assert list(fig.data[1].x) == pytest.approx(list(-s.share_deteriorated))
    assert fig.data[0].y[-1] == "at least one domain"
    same = reliable_change_summary(reliable_change(sample))  # a result table works as well
    pd.testing.assert_frame_equal(same.to_frame(), s.to_frame())
    small = ik.canonical(reference("small_long.csv"))
    tiny = reliable_change_summary(small)
    assert (tiny.status == "descriptive (n < 10)").all()
    assert any("claim nothing beyond chance" in n for n in tiny.notes)


def test_instrument_placeholder_flag() -> None:
    """The shipped instruments mark their reliabilities as placeholders; a domain's own value is an
    estimate unless it says otherwise; a bad flag names the key."""
    assert all(ik.builtin(name).reliability_is_placeholder(d) for name in ("default", "zrm2017", "agreement35")
               for d in ik.builtin(name).domain_ids)  # fmt: skip
    spec = {"id": "t", "domains": [{"id": "x"}, {"id": "y", "reliability": 0.9}], "scale": {"min": 1, "max": 5},
            "waves": [{"id": "a"}, {"id": "b"}], "reliability": 0.8, "reliability_placeholder": True}  # fmt: skip
    inst = ik.Instrument.from_dict(spec)
    assert inst.reliability_is_placeholder("x")
    assert not inst.reliability_is_placeholder("y")
    with pytest.raises(ik.InstrumentError, match="reliability_placeholder"):
        ik.Instrument.from_dict(spec | {"reliability_placeholder": "yes"})
