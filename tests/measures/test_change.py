"""impactkit.measures.change against R (tests/results/measures/reference_change.R).

R: t.test(y, x, paired = TRUE); wilcox.test(y, x, paired = TRUE) (defaults, and exact = FALSE,
correct = FALSE); d_z, d_av, g_av written out as Lakens (2013); d_z interval by uniroot on
pt(t, df, ncp); p.adjust(method = "holm" / "BH").
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from _measures_data import instrument, load, reference, sample_families
from hypothesis import given, settings
from hypothesis import strategies as st

import impactkit as ik
from impactkit.errors import DesignError, ParameterError
from impactkit.measures import change

CLOSED = 1e-9  # closed forms (issue 3)
ROOT_FINDING = 1e-7  # noncentral-t interval: both sides solve numerically

CLOSED_COLUMNS = [
    "n", "mean_baseline", "mean_followup", "mean_diff", "ci_low", "ci_high", "t", "df", "p_value",
    "wilcoxon_v", "wilcoxon_p", "cohen_dz", "cohen_dav", "hedges_gav", "rank_biserial", "share_improved",
    "share_unchanged", "share_worse", "wilcoxon_v_minus", "n_zero", "median_baseline", "median_followup",
    "median_diff", "n_improved", "n_unchanged", "n_worse", "sign_test_p",
]  # fmt: skip
DESCRIPTIVE_COLUMNS = [
    "n", "mean_baseline", "mean_followup", "mean_diff", "wilcoxon_v", "wilcoxon_v_minus", "n_zero",
    "rank_biserial", "share_improved", "share_unchanged", "share_worse", "median_baseline",
    "median_followup", "median_diff", "n_improved", "n_unchanged", "n_worse", "sign_test_p",
]  # fmt: skip


def _ours(name: str, **kw: object) -> pd.DataFrame:
    data = load(name)
    waves = data["wave"].cat.categories.tolist()
    parts = []
    for k in range(len(waves) - 1):
        for m in range(k + 1, len(waves)):
            parts.append(change(data, baseline=waves[k], followup=waves[m], **kw).to_frame())
    return pd.concat(parts, ignore_index=True)


@pytest.mark.parametrize("name", ["ordinal", "continuous", "sleep", "sample"])
def test_change_matches_r(name: str) -> None:
    """R: t.test(paired=TRUE), wilcox.test(paired=TRUE), Lakens (2013) effect sizes, p.adjust."""
    ours = _ours(name)
    ref = reference(f"change_{name}.csv")
    assert list(ours["domain"]) == list(ref["domain"])
    assert list(ours["followup"]) == list(ref["followup"])
    for col in CLOSED_COLUMNS:
        np.testing.assert_allclose(ours[col], ref[col], rtol=CLOSED, atol=1e-300, err_msg=col)
    np.testing.assert_allclose(ours["p_adjusted"], ref["p_holm"], rtol=CLOSED, err_msg="holm")
    np.testing.assert_allclose(ours["dz_ci_low"], ref["dz_ci_low"], rtol=ROOT_FINDING)
    np.testing.assert_allclose(ours["dz_ci_high"], ref["dz_ci_high"], rtol=ROOT_FINDING)


@pytest.mark.parametrize("name", ["ordinal", "continuous", "sample"])
def test_all_pairs_adjusted_over_domains_and_comparisons(name: str) -> None:
    """R: p.adjust(p, "holm") over every domain × wave pair (p_holm_all), and of the Wilcoxon p-values
    per comparison (wilcoxon_holm) and over the whole table (wilcoxon_holm_all)."""
    data = load(name)
    ref = reference(f"change_{name}.csv")
    per_pair = change(data, pairs="all")
    pd.testing.assert_frame_equal(per_pair.to_frame(), _ours(name))  # one call equals one call per pair
    np.testing.assert_allclose(per_pair["wilcoxon_p_adjusted"], ref["wilcoxon_holm"], rtol=CLOSED)
    over_all = change(data, pairs="all", adjust_over="all")
    np.testing.assert_allclose(over_all["p_adjusted"], ref["p_holm_all"], rtol=CLOSED)
    np.testing.assert_allclose(over_all["wilcoxon_p_adjusted"], ref["wilcoxon_holm_all"], rtol=CLOSED)
    assert "over all" in " ".join(over_all.notes)


def test_hedges_exact_correction_matches_r() -> None:
    """R: d_av × gamma((n-1)/2) / (sqrt((n-1)/2) gamma((n-2)/2)) (Hedges 1981), written out."""
    for name in ("ordinal", "sleep"):
        ours = _ours(name, hedges_correction="exact")
        np.testing.assert_allclose(ours["hedges_gav"], reference(f"change_{name}.csv")["hedges_gav_exact"],
                                   rtol=CLOSED)  # fmt: skip
    res = change(load("sleep"), hedges_correction="exact")
    assert "Hedges 1981" in " ".join(res.notes)
    assert "Hedges & Olkin 1985" in " ".join(change(load("sleep")).notes)


def test_small_sample_is_descriptive_and_matches_r() -> None:
    """Eight families of the sample (small_long.csv): every row descriptive. R: medians, counts,
    binom.test (sign test) and the exact signed-rank p conditional on ties, by enumerating 2^n signs."""
    inst = ik.builtin("default")
    small = ik.canonical(reference("small_long.csv"), inst)
    ours = change(small, pairs="all")
    ref = reference("change_small.csv")
    assert (ours["status"] == "descriptive (n < 10)").all()
    for col in DESCRIPTIVE_COLUMNS:
        np.testing.assert_allclose(ours[col].astype(float), ref[col], rtol=CLOSED, err_msg=col)
    np.testing.assert_allclose(ours["wilcoxon_p"], ref["wilcoxon_p_exact_conditional"], rtol=1e-12)
    assert (ours["wilcoxon_method"] == "exact_conditional").all()
    blank = ["t", "df", "p_value", "ci_low", "ci_high", "cohen_dz", "cohen_dav", "hedges_gav", "dz_ci_low",
             "p_adjusted"]  # fmt: skip
    assert ours[blank].isna().all().all()
    assert "no claim that a change is beyond chance" in ours.summary()
    full = change(small, pairs="all", min_pairs=2)  # the full analysis on request, as R's t.test
    np.testing.assert_allclose(full["p_value"], ref["p_value"], rtol=CLOSED)
    assert (full["status"] == "ok").all()


@pytest.mark.parametrize("name", ["ordinal", "sample"])
def test_bh_matches_r_p_adjust(name: str) -> None:
    """R: p.adjust(p, "BH")."""
    ours = _ours(name, adjust="bh")
    np.testing.assert_allclose(ours["p_adjusted"], reference(f"change_{name}.csv")["p_bh"], rtol=CLOSED)
    assert (ours["adjust_method"] == "bh").all()


def test_holm_is_not_holm_sidak() -> None:
    """Hand calculation: Holm on (0.01, 0.02, 0.03) is (0.03, 0.04, 0.04); Holm-Šidák gives 0.0297..."""
    from impactkit.measures._adjust import adjust_pvalues

    np.testing.assert_allclose(adjust_pvalues(np.array([0.01, 0.02, 0.03]), "holm"), [0.03, 0.04, 0.04])
    np.testing.assert_allclose(adjust_pvalues(np.array([0.01, 0.02, 0.03]), "none"), [0.01, 0.02, 0.03])


def test_wilcoxon_normal_without_correction_matches_r() -> None:
    """R: wilcox.test(y, x, paired = TRUE, exact = FALSE, correct = FALSE)."""
    ours = _ours("continuous", wilcoxon_exact=False, wilcoxon_correct=False)
    ref = reference("change_continuous.csv")
    np.testing.assert_allclose(ours["wilcoxon_p"], ref["wilcoxon_p_nocorrect_normal"], rtol=CLOSED)
    assert set(ours["wilcoxon_method"]) == {"normal"}


def test_exact_used_only_without_ties_and_zeros() -> None:
    """R's rule: exact for n < 50 without ties/zeros (continuous data), normal otherwise (sleep has both)."""
    assert set(_ours("continuous")["wilcoxon_method"]) == {"exact"}
    assert set(_ours("sleep")["wilcoxon_method"]) == {"normal"}


def test_signed_rank_exact_hand_calculation() -> None:
    """Hand calculation: d = (1, 2, 3) gives V = 6, the largest of 2^3 equally likely sums: p = 2/8."""
    from impactkit.measures._signrank import signed_rank

    v, v_minus, p, method = signed_rank(np.array([1.0, 2.0, 3.0]))
    assert (v, v_minus, method) == (6.0, 0.0, "exact")
    assert p == pytest.approx(0.25, rel=1e-15)


def test_implicit_and_explicit_missing_identical() -> None:
    """Dropping the NaN rows (implicit missing) changes nothing."""
    data = load("ordinal")
    implicit = ik.canonical(data.dropna(subset=["score"]), data.attrs["instrument"])
    pd.testing.assert_frame_equal(change(data).to_frame(), change(implicit).to_frame())


@settings(max_examples=15, deadline=None)
@given(st.lists(st.booleans(), min_size=30, max_size=30), st.integers(0, 2**31 - 1))
def test_missing_kind_never_matters(explicit: list[bool], seed: int) -> None:
    """Property: any mix of deleted rows and NaN scores for the same cells gives the same table."""
    rng = np.random.default_rng(seed)
    inst = instrument(["intake", "year1"], ["d1", "d2"])
    n = 15
    frame = pd.DataFrame(
        {
            "family_id": np.repeat([f"f{i}" for i in range(n)], 4),
            "wave": np.tile(["intake", "intake", "year1", "year1"], n),
            "domain": np.tile(["d1", "d2"], 2 * n),
            "score": rng.integers(1, 6, 4 * n).astype(float),
        }
    )
    missing = np.flatnonzero(rng.random(4 * n) < 0.2)[:30]
    nan_frame = frame.copy()
    nan_frame.loc[missing, "score"] = np.nan
    mixed = nan_frame.drop(index=[m for m, e in zip(missing, explicit, strict=False) if not e])
    a, b = ik.canonical(nan_frame, inst), ik.canonical(mixed, inst)
    try:
        expected = change(a).to_frame()
    except DesignError:
        with pytest.raises(DesignError):
            change(b)
        return
    pd.testing.assert_frame_equal(expected, change(b).to_frame())


def _tiny(scores: dict[str, list[float]]) -> pd.DataFrame:
    rows = [
        {"family_id": f"f{i}", "wave": w, "domain": "d1", "score": s}
        for w, vals in scores.items()
        for i, s in enumerate(vals)
    ]
    return ik.canonical(pd.DataFrame(rows), instrument(["intake", "year1"], ["d1"]))


@pytest.mark.parametrize(
    ("scores", "message"),
    [
        ({"intake": [2.0], "year1": [3.0]}, "1 complete pair"),
        ({"intake": [2.0, 3.0, np.nan], "year1": [np.nan, np.nan, 4.0]}, "0 complete pair"),
        ({"intake": [2.0, 3.0, 4.0], "year1": [3.0, 4.0, 5.0]}, "constant differences"),
        ({"intake": [3.0, 3.0, 3.0], "year1": [3.0, 3.0, 3.0]}, "constant differences"),
    ],
)
def test_degenerate_input_is_a_design_error(scores: dict[str, list[float]], message: str) -> None:
    """With min_pairs=2 every test is asked for: fewer than two pairs or constant differences fail."""
    with pytest.raises(DesignError, match=message):
        change(_tiny(scores), min_pairs=2)


def test_constant_differences_on_few_pairs_are_described() -> None:
    """Below min_pairs (default 10) constant differences are a finding to describe, not an error:
    three families each +1 -> sign test p = 2 * 0.5^3 = 0.25 (hand), exact signed-rank p = 0.25."""
    res = change(_tiny({"intake": [2.0, 3.0, 4.0], "year1": [3.0, 4.0, 5.0]})).iloc[0]
    assert res["status"] == "descriptive (n < 10)"
    assert (res["n_improved"], res["n_unchanged"], res["n_worse"]) == (3, 0, 0)
    assert res["sign_test_p"] == pytest.approx(0.25, rel=1e-15)
    assert res["wilcoxon_p"] == pytest.approx(0.25, rel=1e-15)
    assert res[["t", "cohen_dz", "p_value"]].isna().all()


def test_parameter_errors_name_parameter() -> None:
    data = load("ordinal")
    with pytest.raises(ParameterError, match="'adjust' parameter of change"):
        change(data, adjust="tukey")
    with pytest.raises(ParameterError, match="'followup' parameter of change"):
        change(data, followup="year3")
    with pytest.raises(ParameterError, match="must differ"):
        change(data, baseline="year1", followup="year1")


def test_by_subgroup_equals_analysis_of_subset_and_suppresses() -> None:
    """A group's row equals change() on that group's families alone; groups under min_n are blank."""
    data = load("sample")
    fam = sample_families()
    res = change(data, by="municipality", families=fam, min_n=20)
    zutphen = set(fam.loc[fam["municipality"] == "Zutphen", "family_id"])
    alone = change(data[data["family_id"].isin(zutphen)].reset_index(drop=True))
    got = res[res["municipality"] == "Zutphen"].reset_index(drop=True)
    ok = got["status"] == "ok"
    cols = ["mean_diff", "t", "p_value", "wilcoxon_p", "cohen_dz", "p_adjusted"]
    np.testing.assert_allclose(got.loc[ok, cols], alone.loc[ok.to_numpy(), cols], rtol=1e-12)
    small = res["status"].str.startswith("suppressed")
    assert small.any()
    assert res.loc[small, ["n", "mean_diff", "p_value", "share_improved"]].isna().all().all()
    assert (res.loc[~small, "n"] >= 20).all()


def test_input_is_not_modified() -> None:
    data = load("ordinal")
    before = data.copy()
    change(data, by=pd.Series({"F001": "a"}))
    pd.testing.assert_frame_equal(data, before)


@pytest.mark.parametrize("correct", [True, False])
@pytest.mark.parametrize("zero_method", ["wilcox", "pratt"])
def test_wilcoxon_normal_approximation_matches_scipy(zero_method: str, correct: bool) -> None:
    """scipy.stats.wilcoxon(y, x, zero_method=..., correction=..., method="asymptotic") on the
    ordinal data (many zeros and ties), an implementation independent of ours and of R."""
    from scipy import stats

    data = load("ordinal")
    ours = change(data, wilcoxon_exact=False, wilcoxon_correct=correct, wilcoxon_zero_method=zero_method)
    wide = data.pivot_table(index="family_id", columns=["domain", "wave"], values="score", observed=True)
    for row in ours.itertuples():
        pair = wide[[(row.domain, "intake"), (row.domain, "year2")]].dropna().to_numpy()
        ref = stats.wilcoxon(pair[:, 1], pair[:, 0], zero_method=zero_method, correction=correct,
                             method="asymptotic")  # fmt: skip
        assert row.wilcoxon_p == pytest.approx(ref.pvalue, rel=CLOSED)


def test_conf_level_is_the_one_name_and_level_is_deprecated():
    """Every model says conf_level (R: conf.level); change's old `level` still works, with a warning,
    and gives the same table (reliable_change's `level` means domain/family, hence the rename)."""
    import warnings

    from impactkit.errors import ImpactkitDeprecationWarning
    from impactkit.measures import change

    data = load("sample")
    new = change(data, conf_level=0.9)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        old = change(data, level=0.9)
    assert [w.category for w in caught] == [ImpactkitDeprecationWarning]
    assert "use conf_level" in str(caught[0].message)
    pd.testing.assert_frame_equal(pd.DataFrame(new), pd.DataFrame(old))
    wide = change(data)
    assert (new["ci_high"] - new["ci_low"] < wide["ci_high"] - wide["ci_low"]).all()
    assert new.meta["conf_level"] == 0.9


def test_nct_sf_is_scipys_noncentral_t_survival_function_bit_for_bit():
    """The d_z interval's root finding calls measures._change.nct_sf: exactly
    scipy.stats.nct.sf (the reference) for finite t, df >= 1 and finite noncentrality,
    including far tails where it is 0 or 1."""
    from scipy import stats

    from impactkit.measures._change import nct_sf

    rng = np.random.default_rng(20241)
    t = np.concatenate([rng.normal(0, 6, 3000), [-40.0, -12.5, 0.0, 12.5, 40.0]])
    df = np.concatenate([rng.integers(1, 400, 3000), [1, 2, 9, 99, 100000]]).astype(float)
    nc = np.concatenate([rng.normal(0, 20, 3000), [60.0, -60.0, 0.0, 25.0, -25.0]])
    ours = np.array([nct_sf(float(a), float(b), float(c)) for a, b, c in zip(t, df, nc, strict=True)])
    ref = np.asarray(stats.nct.sf(t, df, nc), dtype=float)
    np.testing.assert_array_equal(ours, ref)
