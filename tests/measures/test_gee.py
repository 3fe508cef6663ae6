"""gee against geepack.

R: tests/results/mixed/reference.R, geepack::geeglm(score ~ wave, id = family, corstr =
"exchangeable", family = gaussian) with summary() (robust SE), $corr, $dispersion and anova() (Wald).
Tolerances: estimates 1e-6, SEs / working correlation / scale 1e-4 relative, Wald χ² 1e-6 relative.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import impactkit as ik
from impactkit.instruments import Instrument
from impactkit.measures import MixedModelResult, gee

RES = Path(__file__).parents[1] / "results" / "mixed"
REF = pd.read_csv(RES / "ref_gee.csv")
SAMPLE_DOMAINS = ik.builtin("default").domain_ids


def _sleep() -> pd.DataFrame:
    inst = Instrument.from_dict(
        {"id": "sleep", "domains": [{"id": "reaction"}], "scale": {"min": 0, "max": 1000, "integer": False},
         "waves": [{"id": f"day{d}"} for d in (0, 3, 6, 9)]}
    )  # fmt: skip
    return ik.canonical(pd.read_csv(RES / "sleepstudy_long.csv"), inst)


def _sample() -> pd.DataFrame:
    wide = pd.read_csv(RES / "sample_assessments.csv")
    return ik.canonical(
        wide.melt(id_vars=["family_id", "wave", "assessed_on"], var_name="domain", value_name="score")
    )


def _check(res: MixedModelResult, dataset: str, domain: str) -> None:
    ref = REF[(REF.dataset == dataset) & (REF.domain == domain)].set_index("term")
    mine = res[res.domain == domain]
    coefs = ref.drop(index=["alpha", "scale", "wald_wave"])
    assert len(coefs) == len(mine)
    for (_, got), (name, want) in zip(mine.iterrows(), coefs.iterrows(), strict=True):
        assert got.estimate == pytest.approx(want.estimate, abs=1e-6), name
        assert got.se == pytest.approx(want.se, rel=1e-4), name
    assert mine.working_corr.iloc[0] == pytest.approx(ref.loc["alpha", "estimate"], rel=1e-4)
    assert mine.scale.iloc[0] == pytest.approx(ref.loc["scale", "estimate"], rel=1e-4)
    omni = res.omnibus[res.omnibus.domain == domain].iloc[0]
    assert omni.chi2 == pytest.approx(ref.loc["wald_wave", "estimate"], rel=1e-6)


def test_sleepstudy_matches_geeglm() -> None:
    """R: geeglm(score ~ wave, corstr = "exchangeable") on the unbalanced sleepstudy subset."""
    _check(gee(_sleep()), "sleepstudy", "reaction")


@pytest.mark.parametrize("domain", ["finances", "housing", "social_network"])
def test_synthetic_matches_geeglm(domain: str) -> None:
    """R: geeglm(score ~ wave, corstr = "exchangeable") per domain of the synthetic cohort."""
    _check(gee(ik.canonical(pd.read_csv(RES / "synthetic_cohort.csv"))), "synthetic", domain)


def test_sample_matches_geeglm() -> None:
    """R: geeglm per domain of data/sample/assessments.csv (copied to tests/results/mixed)."""
    res = gee(_sample())
    for domain in SAMPLE_DOMAINS:
        _check(res, "sample", domain)


def test_columns_wald_and_robust_z() -> None:
    res = gee(ik.canonical(pd.read_csv(RES / "synthetic_cohort.csv")))
    assert list(res.columns) == [
        "domain", "term", "reference", "estimate", "se", "z", "p_value", "p_adjusted", "adjust_method",
        "ci_low", "ci_high",
        "working_corr", "scale", "n_families", "n_obs", "status",
    ]  # fmt: skip
    assert set(res.reference) == {"intake"}  # the reference wave is named in the table
    # Wald z and its normal CI, by hand from estimate and se
    row = res.iloc[1]
    assert row.z == pytest.approx(row.estimate / row.se)
    assert row.ci_high - row.estimate == pytest.approx(1.959963984540054 * row.se)
    assert res.figure().data


@pytest.mark.parametrize("domain", ["finances", "housing", "social_network"])
def test_by_municipality_matches_geeglm(domain: str) -> None:
    """R: geeglm(score ~ wave * municipality, corstr = "exchangeable"); within-group contrasts
    L b with se sqrt(L V L'), and anova()'s Wald χ² of wave:municipality."""
    syn = pd.read_csv(RES / "synthetic_cohort.csv")
    fam = syn.drop_duplicates("family_id")[["family_id", "municipality"]]
    res = gee(ik.canonical(syn), by="municipality", families=fam)
    ref = REF[(REF.dataset == "synthetic_by_municipality") & (REF.domain == domain)].set_index("term")
    mine = res[res.domain == domain].set_index(["group", "term"])
    for name, want in ref.drop(index="wald_interaction").iterrows():
        group, term = str(name).split("/")
        got = mine.loc[(group, _TERMS[term])]
        assert got.estimate == pytest.approx(want.estimate, abs=1e-6), name
        assert got.se == pytest.approx(want.se, rel=1e-4), name
    omni = res.omnibus[(res.omnibus.domain == domain) & (res.omnibus.term == "wave:municipality")]
    assert omni.chi2.iloc[0] == pytest.approx(ref.loc["wald_interaction", "estimate"], rel=1e-6)


_TERMS = {"(Intercept)": "intercept", "waveyear1": "year1", "waveyear2": "year2"}


def test_too_few_raises() -> None:
    one = ik.canonical(
        pd.DataFrame({"family_id": "a", "wave": ["intake", "year1"], "domain": "finances", "score": [1, 2]})
    )
    with pytest.raises(ik.DesignError, match="gee: no domain"):
        gee(one)


def test_implicit_and_explicit_missing_agree() -> None:
    data = ik.canonical(pd.read_csv(RES / "synthetic_cohort.csv"))
    assert data.score.isna().any()
    a, b = gee(data), gee(ik.canonical(data[data.score.notna()]))
    pd.testing.assert_frame_equal(pd.DataFrame(a), pd.DataFrame(b))


def test_qic_matches_geepack() -> None:
    """R: geepack::QIC(geeglm(...)) (tests/results/models/reference_gee_qic.R): QIC, QICu, the
    Gaussian quasi-likelihood and CIC; tolerance 1e-6 relative (geepack's iteration tolerance)."""
    ref = pd.read_csv(Path(__file__).parents[1] / "results" / "models" / "gee_qic.csv")
    fits = {
        "synthetic": gee(ik.canonical(pd.read_csv(RES / "synthetic_cohort.csv"))),
        "sample": gee(_sample()),
    }
    for row in ref.itertuples():
        got = fits[row.dataset].fit_statistics.set_index("domain").loc[row.domain]
        for col in ("qic", "qicu", "quasi_loglik", "cic"):
            assert got[col] == pytest.approx(getattr(row, col), rel=1e-6), (row.dataset, row.domain, col)
        assert got.n_par == row.n_par
