"""Uncertainty: probabilistic sensitivity analysis, spread by source, acceptability, tornado, scenarios.

* **PSA**: each draw takes every scenario parameter from its distribution (``_params``), *and*
  what we do not know about the cohort itself:

  - **recorded judgements**: each judged likelihood m is drawn from Beta(κ m, κ (1 − m)), the
    judgement counted as κ observations (``[uncertainty] judgement_strength``); judgements of 0
    or 1 stay as they are.  Judges' errors are taken as independent between families.  The sum
    over the families of one cohort and path is drawn as a scaled beta with its exact conditional
    mean and variance (see :class:`_Cohort`): exact for one family;
  - **which families** (sampling error of the cohort): the families are resampled inside each draw
    by a **Bayesian bootstrap** (Rubin 1981; Dirichlet(1, …, 1) weights) by default.  It is chosen
    over the ordinary bootstrap because with five families the ordinary one has only 126 distinct
    resamples (a lumpy P(saving)) and gives whole families zero weight, while the Dirichlet weights
    are smooth and read as a posterior over the population the families come from, like the other
    draws.  ``bootstrap = "ordinary"`` (multinomial counts) and ``"none"`` are available.  Above
    :data:`MAX_ROWS` families only those with a rare feature (fewer than :data:`RARE_BELOW`
    families share it, e.g. a judged placement) keep their own weight; the weighted total of the
    others is drawn from the normal distribution with the bootstrap's exact mean and covariance
    (central limit theorem; a test checks the variance against the analytic n/(n + 1) Σ (x − x̄)²),
    so 100,000 families cost no more than 1,000.  Neither bootstrap can show families unlike the
    ones seen: with very few families the spread is a floor.

  The programme cost is what was spent on these families and is not resampled.
* **Spread by source**: first-order and total Sobol indices of the net benefit for seven groups of
  inputs (:data:`SOURCES`), estimated from two independent PSA samples A and B and one mixed sample
  per source (Saltelli et al. 2010, Comput. Phys. Commun. 181:259, eq. (b) of Table 2 for the
  first order; Jansen 1999 for the total).  The first-order index is the share of the variance the
  source causes on its own; the total index adds its interactions.  Estimates carry Monte-Carlo
  error (about ±0.02 at 10,000 draws) and are clipped to 0–1.
* **Acceptability**: P(net benefit > 0) and P(BCR > 1) with deadweight fixed at each value of a
  grid while every other input keeps its draws (net benefit is linear in 1 − deadweight).
* **Tornado**: each parameter with a range set to its low and high value, all others at base.
* **Named scenarios**: *pessimistic* puts every varied parameter at the end of its range that
  lowers the net benefit, *optimistic* at the end that raises it, *base* at the base values.

Draws are made in chunks (memory is bounded whatever the number of draws); the same seed gives the
same draws.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from impactkit.costs._engine import CohortDraws, FamilyDetail, Model, Outcome, base_theta, run
from impactkit.costs._params import Param, sample
from impactkit.costs._scenario import Scenario

__all__ = [
    "MAX_DRAWS",
    "MAX_ROWS",
    "SOURCES",
    "SOURCE_LABELS",
    "acceptability",
    "named_scenarios",
    "psa",
    "source_of",
    "tornado",
]

QUANTILES = (0.025, 0.05, 0.25, 0.5, 0.75, 0.95, 0.975)
MAX_DRAWS = 1_000_000  # P(saving) is then known to ±0.1 percentage point; more only costs memory
MAX_ROWS = 1000  # families with their own bootstrap weight (all up to this many; the rare ones above)
RARE_BELOW = 20  # above MAX_ROWS, families with a feature fewer than this many share keep their own weight
_BUDGET = 2.5e7  # array elements per chunk of draws (about 200 MB of float64)

SOURCES = ("judgements", "need", "care", "prices", "adjustments", "programme", "cohort")
SOURCE_LABELS: dict[str, dict[str, str]] = {
    "judgements": {"en": "Recorded judgements (likelihoods judged at intake)",
                   "nl": "Vastgelegde oordelen (bij de intake ingeschatte kansen)"},
    "need": {"en": "Intake rules and assumed prevalences", "nl": "Intakeregels en aangenomen prevalenties"},
    "care": {"en": "Care per case: units, durations, escalations",
             "nl": "Zorg per casus: eenheden, duur, escalaties"},
    "prices": {"en": "Unit prices", "nl": "Eenheidsprijzen"},
    "adjustments": {"en": "Deadweight, attribution, displacement, drop-off and discounting",
                    "nl": "Deadweight, attributie, verplaatsing, afname en disconteren"},
    "programme": {"en": "Programme cost", "nl": "Programmakosten"},
    "cohort": {"en": "Which families (sampling error of the cohort)",
               "nl": "Welke gezinnen (steekproefonzekerheid van de groep)"},
}  # fmt: skip


def source_of(name: str) -> str:
    """The source group of a scenario parameter (by its dotted key)."""
    if name.startswith("prices."):
        return "prices"
    if name.startswith("paths."):
        return "need" if name.endswith(".prevalence") else "care"
    if name.startswith(("programmes.", "rules.")):
        return "need"
    if name.startswith(("adjustments.", "discount.")):
        return "adjustments"
    return "programme"


def varies(p: Param) -> bool:
    """Whether the PSA draws ``p`` (a distribution with a spread)."""
    if p.dist == "fixed":
        return False
    if p.dist == "triangular":
        return p.low != p.high
    return bool(p.sd)


# --------------------------------------------------------------------------- the cohort sampler
class _Cohort:
    """Per-draw cohort totals: bootstrap weights over families and the judgement draws.

    Families are *rows* with their own bootstrap weight (all of them up to :data:`MAX_ROWS`; above
    it only those carrying a rare feature, i.e. one fewer than :data:`RARE_BELOW` families share)
    plus a *bulk* whose weighted total is drawn from the normal distribution with the bootstrap's
    exact mean and covariance (n_b/(n_b + 1) Σ (f − f̄)(f − f̄)ᵀ Bayesian, Σ (f − f̄)(f − f̄)ᵀ ordinary).
    Features per family: recorded likelihood per cohort × variant × path, membership of each
    rule/prevalence group, units of care used per cohort × year × care type.

    Judgement draws, per cell (cohort × variant × path) and draw: given the weights w, the cell's sum
    S = Σ w_i X_i of independent X_i ~ Beta(κ m_i, κ (1 − m_i)) has mean μ = Σ w_i m_i and variance
    σ² = Σ w_i² m_i (1 − m_i) / (κ + 1); S is drawn as W × Beta with W = Σ w_i and that mean and
    variance (moment matching: exact for one family, bounded and skewed like the sum for more).
    The draw is kept as z = (S − μ) / σ, so the spread analysis can pair one sample's judgement
    draws with another sample's weights.
    """

    def __init__(self, model: Model, detail: FamilyDetail) -> None:
        from scipy import sparse

        s = model.scenario
        self.model = model
        n, n_c, n_p, n_h, n_k = (
            detail.n,
            model.n_cohorts,
            len(model.paths),
            model.horizon,
            len(model.care_types),
        )
        self.n_v = n_v = len(model.variants)
        self.n_cp = n_c * n_v * n_p
        self.n_g = len(model.groups)
        self.bootstrap = s.bootstrap
        self.kappa = kappa = s.judgement_strength.value
        jf, jp, jm = detail.judged_family, detail.judged_path, detail.judged_value
        jcell = (detail.cohort[jf] * n_v + detail.variant[jf]) * n_p + jp
        gf, gp = np.nonzero(detail.group_of >= 0)
        uf, uh, uk, uu = detail.used
        ucol = (detail.cohort[uf] * n_h + uh) * n_k + uk
        self.used_cols = np.unique(ucol)
        self.used_shape = (n_c, n_h, n_k)
        n_f = self.n_cp + self.n_g + len(self.used_cols)
        fam = np.concatenate([jf, gf, uf])
        col = np.concatenate([jcell, self.n_cp + detail.group_of[gf, gp], self.n_cp + self.n_g +
                              np.searchsorted(self.used_cols, ucol)])  # fmt: skip
        val = np.concatenate([jm, np.ones(len(gf)), uu])
        feats = sparse.csr_matrix((val, (fam, col)), shape=(n, n_f))  # duplicates are summed
        self.base = np.asarray(feats.sum(axis=0)).reshape(-1)
        # which families keep their own weight
        if n <= MAX_ROWS:
            own = np.ones(n, dtype=bool)
        else:
            support = np.bincount(feats.indices, minlength=n_f)
            rare = np.flatnonzero((support > 0) & (support < RARE_BELOW))
            own = np.zeros(n, dtype=bool)
            if len(rare):
                own[np.unique(feats[:, rare].nonzero()[0])] = True
            if own.sum() > MAX_ROWS:  # the rest joins the bulk
                own[np.flatnonzero(own)[MAX_ROWS:]] = False
        row_of = np.full(n, -1, dtype=np.int64)
        row_of[own] = np.arange(int(own.sum()))
        self.rows = int(own.sum())
        self.features = np.asarray(feats[own].todense())  # (R, F)
        self.n_bulk = n - self.rows
        bulk = feats[~own]
        self.bulk_mean = np.asarray(bulk.sum(axis=0)).reshape(-1)
        self.bulk_root = np.zeros((n_f, 0))
        if self.n_bulk > 1 and self.bootstrap != "none":
            gram = np.asarray((bulk.T @ bulk).todense())
            cov = gram - np.outer(self.bulk_mean, self.bulk_mean) / self.n_bulk
            if self.bootstrap == "bayesian":
                cov *= self.n_bulk / (self.n_bulk + 1)
            vals, vecs = np.linalg.eigh((cov + cov.T) / 2)
            keep = vals > vals.max(initial=0.0) * 1e-12
            self.bulk_root = vecs[:, keep] * np.sqrt(vals[keep])  # cov = root @ root.T
        # judgement draws: per cell, the count, Σ m and Σ m (1 − m) / (κ + 1) of noisy judgements
        noisy = (jm > 0) & (jm < 1)
        self.n_judged = int(noisy.sum())
        self.cells = np.unique(jcell[noisy])
        ci = np.searchsorted(self.cells, jcell[noisy])
        rr, mm = row_of[jf[noisy]], jm[noisy]
        vv = mm * (1 - mm) / (kappa + 1)
        mine = rr >= 0
        shape = (self.rows, len(self.cells))
        self.j_one, self.j_m, self.j_v = np.zeros(shape), np.zeros(shape), np.zeros(shape)
        for arr, x in ((self.j_one, 1.0), (self.j_m, mm), (self.j_v, vv)):
            np.add.at(arr, (rr[mine], ci[mine]), (x * np.ones(len(mm)))[mine])
        nb = len(self.cells)
        self.b_one = np.bincount(ci[~mine], minlength=nb).astype(float)
        self.b_m = np.bincount(ci[~mine], weights=mm[~mine], minlength=nb)
        self.b_v = np.bincount(ci[~mine], weights=vv[~mine], minlength=nb)
        self.w2 = 2 * n / (n + 1)  # E[w²] of one family's bootstrap weight (bulk families)

    @property
    def varies(self) -> bool:
        return self.bootstrap != "none" and (self.rows + self.n_bulk) > 1

    @property
    def per_draw(self) -> int:
        return (self.rows * 3 + self.features.shape[1] + self.bulk_root.shape[1] + int(np.prod(self.used_shape))
                + 6 * len(self.cells))  # fmt: skip

    def weights(self, rng: np.random.Generator, d: int) -> tuple[np.ndarray, np.ndarray] | None:
        """Bootstrap draw: weights of the own rows (D, R) and the bulk's standard normals (D, k)."""
        if not self.varies:
            return None
        r, n = self.rows, self.rows + self.n_bulk
        z = rng.standard_normal((d, self.bulk_root.shape[1]))
        if self.bootstrap == "ordinary":
            if self.n_bulk == 0:
                return rng.multinomial(r, np.full(r, 1.0 / r), size=d).astype(float), z
            return rng.poisson(1.0, (d, r)).astype(float), z  # counts of one family among many
        g = rng.standard_exponential((d, r))
        if self.n_bulk == 0:
            return g * (n / g.sum(axis=1, keepdims=True)), z
        return g, z  # Exp(1): the normalising total of n weights is 1 + O(n^-1/2)

    def _moments(self, w: tuple[np.ndarray, np.ndarray] | None, d: int) -> tuple[np.ndarray, ...]:
        """Per draw and cell: total weight W, mean μ and standard deviation σ of the judged sum
        (remembered for the last two weight draws: the spread analysis asks for each twice)."""
        cache: list[tuple[object, int, tuple[np.ndarray, ...]]] = self.__dict__.setdefault("_cache", [])
        for held, size, out in cache:  # identity, not equality: the cache holds the draw itself
            if held is w and size == d:
                return out
        out = self._compute_moments(w, d)
        cache.append((w, d, out))
        del cache[:-2]
        return out

    def _compute_moments(self, w: tuple[np.ndarray, np.ndarray] | None, d: int) -> tuple[np.ndarray, ...]:
        shape = (d, len(self.cells))
        if w is None:  # every weight 1
            one = np.broadcast_to(self.j_one.sum(axis=0) + self.b_one, shape)
            mu = np.broadcast_to(self.j_m.sum(axis=0) + self.b_m, shape)
            var = np.broadcast_to(self.j_v.sum(axis=0) + self.b_v, shape)
        else:
            wr = w[0]
            one = wr @ self.j_one + self.b_one
            mu = wr @ self.j_m + self.b_m
            var = (wr * wr) @ self.j_v + self.b_v * self.w2
        return one, mu, np.sqrt(var)

    def noise(self, rng: np.random.Generator, w: tuple[np.ndarray, np.ndarray] | None, d: int) -> np.ndarray:
        """Standardised judgement draws z (D, cells) under the weights ``w`` (see the class doc)."""
        one, mu, sd = self._moments(w, d)
        with np.errstate(invalid="ignore", divide="ignore"):
            mean = mu / one
            var = (sd / one) ** 2
            k = mean * (1 - mean) / var - 1
        ok = (one > 0) & (var > 0) & (k > 0)
        z = np.zeros((d, len(self.cells)))
        x = rng.beta(np.where(ok, mean * k, 1.0), np.where(ok, (1 - mean) * k, 1.0))
        np.divide(x - mean, np.sqrt(var), out=z, where=ok)
        return z

    def totals(
        self, w: tuple[np.ndarray, np.ndarray] | None, noise: np.ndarray | None, d: int
    ) -> CohortDraws:
        if w is None:
            agg = np.broadcast_to(self.base, (d, len(self.base)))
        else:
            wr, zb = w
            agg = wr @ self.features + self.bulk_mean[None, :]
            if self.bulk_root.shape[1]:
                agg += zb @ self.bulk_root.T
        judged = np.array(agg[:, : self.n_cp])
        if noise is not None and len(self.cells):
            _one, _mu, sd = self._moments(w, d)
            judged[:, self.cells] += sd * noise
        np.maximum(judged, 0.0, out=judged)
        n_c, n_h, n_k = self.used_shape
        used = None
        if len(self.used_cols):
            flat = np.zeros((d, n_c * n_h * n_k))
            flat[:, self.used_cols] = np.maximum(agg[:, self.n_cp + self.n_g :], 0.0)
            used = flat.reshape(d, n_c, n_h, n_k)
        n_p = len(self.model.paths)
        return CohortDraws(
            judged=judged.reshape(d, n_c, self.n_v, n_p),
            group_counts=np.maximum(agg[:, self.n_cp : self.n_cp + self.n_g], 0.0),
            used=used,
        )


# --------------------------------------------------------------------------- the PSA
@dataclass
class PsaResult:
    """Draws table, summary, the quantities acceptability needs, and the spread by source."""

    table: pd.DataFrame
    summary: pd.DataFrame
    theta: dict[str, np.ndarray]
    spread: pd.DataFrame | None
    # with keep=True: the draws of sample A (parameters and cohort totals), in draw order
    inputs: dict[str, np.ndarray] | None = None
    cohort: CohortDraws | None = None


def _chunk(model: Model, cohort: _Cohort | None) -> int:
    n_y, n_p, n_h, n_c = len(model.scenario.payers), len(model.paths), model.horizon, model.n_cohorts
    per = n_p * n_y * n_h * 2 + n_c * n_h * 3 + n_c * n_p * 2 + model.n_years * (n_y + 2) + 100
    if cohort is not None:
        per += cohort.per_draw
    return int(np.clip(_BUDGET // per, 100, 20000))


def psa(
    model: Model,
    draws: int,
    seed: int,
    *,
    sources: tuple[str, ...] = SOURCES,
    spread: bool = True,
    used: set[str] | None = None,
    keep: set[str] | None = None,
) -> PsaResult:
    """Probabilistic sensitivity analysis of ``model`` with ``draws`` draws.

    ``sources`` switches sources of uncertainty on (the others stay at their base or observed
    values); ``spread`` adds the Sobol indices by source (two more samples and one per source);
    ``used`` names the parameters that can move the result (the spread lists only sources with one);
    ``keep`` names parameters whose draws are returned (``inputs``), with the cohort totals
    (``cohort``): the business-case page and workbook evaluate them again.

    Returns
    -------
    PsaResult
        ``table``: ``draw, programme_cost, gross_avoided_cost, net_benefit, benefit_cost_ratio``;
        ``summary``: one row per quantity with ``mean, sd, q025 ... q975, p_favourable``
        (P(net benefit > 0) for money, P(BCR > 1) for the ratio); ``spread``: one row per source
        that varies, with ``source, label_en, label_nl, elements, first_order, total_order``.
    """
    s = model.scenario
    params = s.params()
    streams = [np.random.default_rng(c) for c in np.random.SeedSequence(seed).spawn(6)]
    p_a, w_a, n_a, p_b, w_b, n_b = streams
    detail = model.detail
    cohort = _Cohort(model, detail) if detail is not None and detail.n else None
    use_judged = "judgements" in sources and cohort is not None and cohort.n_judged > 0
    use_cohort = "cohort" in sources and cohort is not None and cohort.varies
    fixed = {p.name: np.array([p.value]) for p in params if source_of(p.name) not in sources}
    groups = {
        src: [
            p.name
            for p in params
            if source_of(p.name) == src and varies(p) and (used is None or p.name in used)
        ]
        for src in SOURCES
    }
    active = [g for g in SOURCES[1:6] if g in sources and groups[g]]
    if use_judged:
        active.insert(0, "judgements")
    if use_cohort:
        active.append("cohort")
    spread = spread and len(active) > 0

    size = _chunk(model, cohort)
    keys = ("cost", "gross", "before", "net", "bcr", "disp", "attr")
    out: dict[str, list[np.ndarray]] = {k: [] for k in keys}
    f_b: list[np.ndarray] = []
    f_mix: dict[str, list[np.ndarray]] = {g: [] for g in active}
    kept: list[tuple[dict[str, np.ndarray], CohortDraws | None]] = []
    done = 0
    while done < draws:
        d = min(size, draws - done)
        done += d
        th_a = {**sample(params, d, p_a), **{k: np.repeat(v, d) for k, v in fixed.items()}}
        wa = cohort.weights(w_a, d) if use_cohort and cohort is not None else None
        na = cohort.noise(n_a, wa, d) if use_judged and cohort is not None else None
        co_a = cohort.totals(wa, na, d) if cohort is not None else None
        res = run(model, th_a, cohort=co_a)
        _collect(out, res, th_a, s)
        if keep is not None:
            kept.append(({n: th_a[n] for n in keep}, co_a))
        if not spread:
            continue
        th_b = {**sample(params, d, p_b), **{k: np.repeat(v, d) for k, v in fixed.items()}}
        wb = cohort.weights(w_b, d) if use_cohort and cohort is not None else None
        nb = cohort.noise(n_b, wb, d) if use_judged and cohort is not None else None
        co_b = cohort.totals(wb, nb, d) if cohort is not None else None
        f_b.append(run(model, th_b, cohort=co_b).net_pv)
        for g in active:
            if g == "judgements" and cohort is not None:
                f = run(model, th_a, cohort=cohort.totals(wa, nb, d)).net_pv
            elif g == "cohort" and cohort is not None:
                f = run(model, th_a, cohort=cohort.totals(wb, na, d)).net_pv
            else:
                mixed = {**th_a, **{k: th_b[k] for k in groups[g]}}
                f = run(model, mixed, cohort=co_a).net_pv
            f_mix[g].append(f)
    cat = {k: np.concatenate(v) for k, v in out.items()}
    table = pd.DataFrame(
        {
            "draw": np.arange(draws),
            "programme_cost": cat["cost"],
            "gross_avoided_cost": cat["gross"],
            "net_benefit": cat["net"],
            "benefit_cost_ratio": cat["bcr"],
        }
    )
    theta = {"_before": cat["before"], "_cost": cat["cost"], "_disp": cat["disp"], "_attr": cat["attr"]}
    spread_table = None
    if spread:
        counts = {g: len(groups[g]) for g in SOURCES}
        if cohort is not None:
            counts["judgements"] = cohort.n_judged
            counts["cohort"] = detail.n if detail is not None else 0
        spread_table = _sobol(
            cat["net"], np.concatenate(f_b), {g: np.concatenate(v) for g, v in f_mix.items()}, counts
        )
    result = PsaResult(table, _summary(table), theta, spread_table)
    if keep is not None:
        result.inputs = {n: np.concatenate([t[n] for t, _ in kept]) for n in sorted(keep)}
        cos = [c for _, c in kept if c is not None]
        if cos:
            result.cohort = CohortDraws(
                judged=np.concatenate([c.judged for c in cos]),
                group_counts=np.concatenate([c.group_counts for c in cos]),
                used=None if cos[0].used is None else np.concatenate([c.used for c in cos]),
            )
    return result


def _collect(
    out: dict[str, list[np.ndarray]], res: Outcome, theta: dict[str, np.ndarray], s: Scenario
) -> None:
    out["cost"].append(res.cost_pv)
    out["gross"].append(res.gross_pv)
    out["before"].append(res.before_adjustment_pv)
    out["net"].append(res.net_pv)
    out["bcr"].append(res.bcr)
    out["disp"].append(theta[s.displacement.name] * np.ones(len(res.cost_pv)))
    out["attr"].append(theta[s.attribution.name] * np.ones(len(res.cost_pv)))


def _summary(table: pd.DataFrame) -> pd.DataFrame:
    rows = []
    for col, favourable in (
        ("programme_cost", None),
        ("gross_avoided_cost", None),
        ("net_benefit", table["net_benefit"] > 0),
        ("benefit_cost_ratio", table["benefit_cost_ratio"] > 1),
    ):
        x = table[col].to_numpy(float)
        q = np.nanquantile(x, QUANTILES)
        row: dict[str, object] = {
            "quantity": col,
            "mean": float(np.nanmean(x)),
            "sd": float(np.nanstd(x, ddof=1)) if len(x) > 1 else np.nan,
        }
        row.update({f"q{round(p * 1000):03d}": float(v) for p, v in zip(QUANTILES, q, strict=True)})
        row["p_favourable"] = float(favourable.mean()) if favourable is not None else np.nan
        rows.append(row)
    return pd.DataFrame(rows)


def _sobol(
    f_a: np.ndarray, f_b: np.ndarray, f_mix: dict[str, np.ndarray], counts: dict[str, int]
) -> pd.DataFrame:
    """First-order (Saltelli 2010) and total (Jansen 1999) indices per source, clipped to 0–1."""
    both = np.concatenate([f_a, f_b])
    var = float(np.var(both, ddof=1))
    centre = float(np.mean(both))  # centring keeps the estimator's expectation, cuts its variance
    f_a, f_b = f_a - centre, f_b - centre
    rows = []
    for g, f_ab in f_mix.items():
        f_ab = f_ab - centre
        if var > 0:
            first = float(np.mean(f_b * (f_ab - f_a)) / var)
            total = float(np.mean((f_a - f_ab) ** 2) / (2 * var))
        else:
            first = total = np.nan
        rows.append(
            {
                "source": g,
                "label_en": SOURCE_LABELS[g]["en"],
                "label_nl": SOURCE_LABELS[g]["nl"],
                "elements": counts.get(g, 0),
                "first_order": float(np.clip(first, 0, 1)) if np.isfinite(first) else np.nan,
                "total_order": float(np.clip(total, 0, 1)) if np.isfinite(total) else np.nan,
            }
        )
    return pd.DataFrame(rows)


def acceptability(model: Model, theta: dict[str, np.ndarray], grid: np.ndarray | None = None) -> pd.DataFrame:
    """P(net benefit > 0) and P(BCR > 1) for deadweight fixed at each grid value (0 to 0.9 by default).

    Returns
    -------
    pandas.DataFrame
        Columns ``deadweight, p_net_benefit_positive, p_bcr_above_1``.
    """
    grid = np.round(np.arange(0.0, 0.91, 0.05), 2) if grid is None else np.asarray(grid, float)
    other = (1 - theta["_disp"]) * (1 - theta["_attr"]) * theta["_before"]
    gross = other[None, :] * (1 - grid[:, None])  # (G, D)
    cost = theta["_cost"][None, :]
    return pd.DataFrame(
        {
            "deadweight": grid,
            "p_net_benefit_positive": (gross - cost > 0).mean(axis=1),
            "p_bcr_above_1": (gross > cost).mean(axis=1),
        }
    )


def _rows(model: Model, settings: list[dict[str, float]]) -> dict[str, np.ndarray]:
    base = base_theta(model.scenario)
    return {k: np.array([row.get(k, float(v[0])) for row in settings]) for k, v in base.items()}


def tornado(
    model: Model, params: list[Param] | None = None, labels: dict[str, tuple[str, str]] | None = None
) -> pd.DataFrame:
    """Net benefit (PV) with each parameter at its low and at its high value, the rest at base.

    ``params`` restricts the tornado to these parameters (the used ones); ``labels`` maps keys to
    (English, Dutch) labels.

    Returns
    -------
    pandas.DataFrame
        Columns ``parameter, label_en, label_nl, source_group, source, base, low, high, net_low,
        net_high, swing``, sorted by ``swing`` (= |net_high − net_low|), largest first; parameters
        without a range are left out.
    """
    cols = ["parameter", "label_en", "label_nl", "source_group", "source", "base", "low", "high", "net_low",
            "net_high", "swing"]  # fmt: skip
    pool = model.scenario.params() if params is None else params
    varied = [(p, p.range) for p in pool if p.range is not None]
    varied = [(p, r) for p, r in varied if r[0] != r[1]]
    if not varied:
        return pd.DataFrame(columns=cols)
    labels = labels or {}
    settings = [{p.name: v} for p, r in varied for v in r]
    net = run(model, _rows(model, settings)).net_pv.reshape(-1, 2)
    table = pd.DataFrame(
        {
            "parameter": [p.name for p, _ in varied],
            "label_en": [labels.get(p.name, (p.name, p.name))[0] for p, _ in varied],
            "label_nl": [labels.get(p.name, (p.name, p.name))[1] for p, _ in varied],
            "source_group": [source_of(p.name) for p, _ in varied],
            "source": [p.source for p, _ in varied],
            "base": [p.value for p, _ in varied],
            "low": [r[0] for _, r in varied],
            "high": [r[1] for _, r in varied],
            "net_low": net[:, 0],
            "net_high": net[:, 1],
        }
    )
    table["swing"] = (table["net_high"] - table["net_low"]).abs()
    return table.sort_values("swing", ascending=False, kind="stable").reset_index(drop=True)[cols]


def named_scenarios(model: Model, tornado_table: pd.DataFrame) -> pd.DataFrame:
    """Pessimistic, base and optimistic results.

    Returns
    -------
    pandas.DataFrame
        Columns ``scenario, programme_cost, gross_avoided_cost, net_benefit, benefit_cost_ratio``.
    """
    t = tornado_table
    low_worse = t["net_low"] <= t["net_high"]
    pess = dict(zip(t["parameter"], np.where(low_worse, t["low"], t["high"]), strict=True))
    opt = dict(zip(t["parameter"], np.where(low_worse, t["high"], t["low"]), strict=True))
    out = run(model, _rows(model, [pess, {}, opt]))
    return pd.DataFrame(
        {
            "scenario": ["pessimistic", "base", "optimistic"],
            "programme_cost": out.cost_pv,
            "gross_avoided_cost": out.gross_pv,
            "net_benefit": out.net_pv,
            "benefit_cost_ratio": out.bcr,
        }
    )
