"""A realistic synthetic cohort, seeded, for demos, tests and the committed ``data/sample/``.

The generator is a simple, documented simulation, not an estimate of any real programme:

* families start between 2021-01 and 2024-06 in six municipalities and two programmes;
* household types (single parents, newcomers with a residence permit, families in poverty, parental
  psychiatric problems, other multi-problem families) shift the intake profile of the domains they touch;
* a latent family severity plus domain means give the intake scores (lowest in social network and mental
  wellbeing, as Samen Oplopen reports); scores are rounded and clipped to 1–5 (floor and ceiling);
* improvement is domain-specific (largest in mental wellbeing and finances) and varies by family;
* dropout before year 1 and before year 2 (about 25% in all) is more likely for a worse intake;
* about 1.5% of scores are missing, a share of families have counterfactual judgements recorded at intake,
  some used care during the programme, and the programme costs per municipality and year are listed;
* events (reports, crisis contacts, orders, placements, school absence) and care use in the year
  before, during and after support (:mod:`impactkit._sample_outcomes`).

``make_sample`` returns the tables; ``write_sample`` writes them as CSV so that rerunning with the same
arguments reproduces the files byte for byte.
"""

from __future__ import annotations

import shutil
from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd

from impactkit._sample_outcomes import mapping_file, sample_outcomes
from impactkit.errors import ParameterError
from impactkit.instruments import builtin

__all__ = ["make_sample", "write_sample"]

MUNICIPALITIES = {
    "Arnhem": 0.26,
    "Nijmegen": 0.24,
    "Ede": 0.16,
    "Apeldoorn": 0.16,
    "Zutphen": 0.09,
    "Tiel": 0.09,
}
PROGRAMMES = {"Samen Oplopen": 0.8, "Home-Start": 0.2}
HOUSEHOLD_TYPES = {
    "single_parent": 0.32,
    "newcomer": 0.2,
    "poverty": 0.2,
    "parental_mental_illness": 0.14,
    "other_multi_problem": 0.14,
}
REFERRAL = {
    "social_district_team": 0.42,
    "school": 0.14,
    "youth_health_care": 0.14,
    "gp": 0.1,
    "social_work": 0.1,
    "self_referral": 0.1,
}
DOMAINS = builtin("default").domain_ids  # the sample is scored on the default instrument
# latent intake mean per domain (before household effects) and mean gain after one / two years
INTAKE_MEAN = dict(zip(DOMAINS, [2.6, 3.1, 2.3, 2.4, 3.2, 2.8, 3.0, 2.6, 2.8], strict=True))
GAIN_Y1 = dict(zip(DOMAINS, [0.50, 0.20, 0.35, 0.60, 0.10, 0.35, 0.25, 0.25, 0.35], strict=True))
GAIN_Y2 = dict(zip(DOMAINS, [0.75, 0.30, 0.50, 0.85, 0.15, 0.50, 0.35, 0.40, 0.55], strict=True))
HOUSEHOLD_EFFECT = {
    "single_parent": {"finances": -0.4, "social_network": -0.3, "participation": -0.3},
    "newcomer": {"paperwork": -1.0, "participation": -0.5, "social_network": -0.4, "finances": -0.3},
    "poverty": {"finances": -0.8, "housing": -0.4},
    "parental_mental_illness": {"mental_wellbeing": -0.8, "parenting": -0.4, "child_development": -0.3},
    "other_multi_problem": {"parenting": -0.3, "housing": -0.2},
}
CARE_PATHS = [
    "social_work",
    "parenting_support",
    "debt_assistance",
    "youth_care",
    "supervision_order",
    "out_of_home_placement",
]
# Local tariffs as a municipality would list them. Since the Jeugdwet (2015) municipalities pay for
# supervision orders; the societal cost of problematic debt is not a tariff and stays in the scenario,
# with its Regioplan (2011) split over payers.
PRICES = [  # care_type, unit, price, price_year, payer, source (English), source_nl (Dutch)
    ("social_work", "contact", 127.00, 2022, "municipality_prevention",
     "Kostenhandleiding 2024 (Hakkaart-van Roijen et al.), social work per contact",
     "Kostenhandleiding 2024 (Hakkaart-van Roijen e.a.), maatschappelijk werk per contact"),
    ("home_guidance", "hour", 64.00, 2022, "municipality_youth",
     "Kostenhandleiding 2024, home-based guidance per hour (proxy for parenting support)",
     "Kostenhandleiding 2024, ambulante begeleiding thuis per uur (als prijsmaat voor opvoedondersteuning)"),
    ("volunteer_time", "hour", 18.80, 2022, "volunteers",
     "Kostenhandleiding 2024, informal care, replacement cost per hour",
     "Kostenhandleiding 2024, informele zorg, vervangingskosten per uur"),
    ("supervision_order_first_year", "year", 8758.00, 2014, "municipality_youth",
     "Regeling normbedragen jeugdzorg 2014, art. 3 (supervision order, first 12 months); paid by "
     "municipalities since the Jeugdwet (2015)",
     "Regeling normbedragen jeugdzorg 2014, art. 3 (OTS, eerste 12 maanden); sinds de Jeugdwet (2015) "
     "betaald door gemeenten"),
    ("supervision_order_later_year", "year", 7323.00, 2014, "municipality_youth",
     "Regeling normbedragen jeugdzorg 2014, art. 4 (supervision order after 12 months); paid by "
     "municipalities since the Jeugdwet (2015)",
     "Regeling normbedragen jeugdzorg 2014, art. 4 (OTS na 12 maanden); sinds de Jeugdwet (2015) betaald "
     "door gemeenten"),
    ("foster_care_allowance", "day", 17.50, 2014, "municipality_youth",
     "Regeling pleegvergoeding 2014 (allowance only; range 17.50-21.51 per day; lower end, conservative)",
     "Regeling pleegvergoeding 2014 (alleen de vergoeding; 17,50-21,51 per dag; de onderkant, voorzichtig)"),
    ("family_home", "year", 60327.00, 2015, "municipality_youth",
     "Maatschappelijke Business Case Gezinshuizen (Sinzer 2015)",
     "Maatschappelijke Business Case Gezinshuizen (Sinzer 2015)"),
    ("residential_youth_care", "year", 100000.00, 2017, "municipality_youth",
     "NRC 2017, nine municipalities (range 100,000-150,000 per child-year; lower end, conservative)",
     "NRC 2017, negen gemeenten (100.000-150.000 per kindjaar; de onderkant, voorzichtig)"),
    ("debt_assistance", "trajectory", 2400.00, 2015, "municipality_income",
     "Nijmegen, Maatschappelijke opbrengst van schuldhulpverlening (2016), illustrative",
     "Nijmegen, Maatschappelijke opbrengst van schuldhulpverlening (2016), illustratief"),
]  # fmt: skip


def _choice(rng: np.random.Generator, options: dict[str, float], n: int) -> np.ndarray:
    keys = list(options)
    p = np.array([options[k] for k in keys], dtype=float)
    return np.asarray(keys, dtype=object)[rng.choice(len(keys), size=n, p=p / p.sum())]


def make_sample(n_families: int = 350, *, seed: int = 20241) -> dict[str, pd.DataFrame]:
    """Simulate a cohort.

    Parameters
    ----------
    n_families : int
        Number of families (at least 20).
    seed : int
        Seed of ``numpy.random.default_rng``; the same seed gives the same tables.

    Returns
    -------
    dict of DataFrame
        ``assessments`` (wide: family_id, wave, assessed_on, one column per domain id; blank = missing),
        ``families``, ``counterfactuals``, ``care_used``, ``events``, ``programme_costs`` and ``prices``.

    Examples
    --------
    >>> tables = make_sample(40, seed=1)
    >>> sorted(tables)
    ['assessments', 'care_used', 'counterfactuals', 'events', 'families', 'prices', 'programme_costs']
    >>> tables["families"]["family_id"].is_unique
    True
    """
    if isinstance(n_families, bool) or not isinstance(n_families, int | np.integer) or n_families < 20:
        raise ParameterError(
            f"The 'n_families' parameter of make_sample must be an integer >= 20. Got {n_families!r} instead."
        )
    rng = np.random.default_rng(seed)
    n = int(n_families)
    ids = np.array([f"F{i:05d}" for i in range(1, n + 1)], dtype=object)
    municipality = _choice(rng, MUNICIPALITIES, n)
    programme = _choice(rng, PROGRAMMES, n)
    household = _choice(rng, HOUSEHOLD_TYPES, n)
    referral = _choice(rng, REFERRAL, n)
    start_lo, start_hi = pd.Timestamp("2021-01-04"), pd.Timestamp("2024-06-28")
    start = start_lo + pd.to_timedelta(rng.integers(0, (start_hi - start_lo).days, n), unit="D")
    n_children = np.minimum(1 + rng.poisson(1.3, n), 7)
    youngest = rng.integers(0, 14, n)
    oldest = np.minimum(youngest + rng.integers(0, 6, n) * (n_children > 1), 23)
    n_volunteers = 1 + (rng.random(n) < 0.12)

    # latent severity and intake scores
    severity = rng.normal(0, 0.55, n)
    latent0 = np.empty((n, len(DOMAINS)))
    for j, d in enumerate(DOMAINS):
        eff = np.array([HOUSEHOLD_EFFECT[h].get(d, 0.0) for h in household])
        latent0[:, j] = INTAKE_MEAN[d] + eff - severity + rng.normal(0, 0.6, n)
    responsiveness = rng.normal(1.0, 0.45, n)
    gain1 = np.array([GAIN_Y1[d] for d in DOMAINS]) * responsiveness[:, None] + rng.normal(
        0, 0.55, (n, len(DOMAINS))
    )
    gain2 = np.array([GAIN_Y2[d] for d in DOMAINS]) * responsiveness[:, None] + rng.normal(
        0, 0.6, (n, len(DOMAINS))
    )
    # regression to the mean is part of reality: low intake scores gain a little more
    gain1 += 0.15 * (INTAKE_MEAN["housing"] - latent0).clip(-1, 2) * 0.5
    gain2 += 0.15 * (INTAKE_MEAN["housing"] - latent0).clip(-1, 2) * 0.6

    # dropout, more likely for a worse intake
    intake_mean = latent0.mean(axis=1)
    z = (intake_mean - intake_mean.mean()) / intake_mean.std()
    p_drop1 = 1 / (1 + np.exp(-(-1.85 - 0.55 * z)))
    p_drop2 = 1 / (1 + np.exp(-(-2.2 - 0.45 * z)))
    drop1 = rng.random(n) < p_drop1
    drop2 = ~drop1 & (rng.random(n) < p_drop2)
    has_y1, has_y2 = ~drop1, ~drop1 & ~drop2

    dates = {
        "intake": start,
        "year1": start + pd.to_timedelta(365 + rng.integers(-25, 40, n), unit="D"),
        "year2": start + pd.to_timedelta(730 + rng.integers(-25, 50, n), unit="D"),
    }
    latent = {"intake": latent0, "year1": latent0 + gain1, "year2": latent0 + gain2}
    present = {"intake": np.ones(n, bool), "year1": has_y1, "year2": has_y2}
    frames = []
    for wave in ("intake", "year1", "year2"):
        scores = np.clip(np.rint(latent[wave]), 1, 5)
        scores[rng.random(scores.shape) < 0.015] = np.nan
        block = pd.DataFrame(scores, columns=DOMAINS).astype("Int64")
        block.insert(0, "assessed_on", dates[wave].strftime("%Y-%m-%d"))
        block.insert(0, "wave", wave)
        block.insert(0, "family_id", ids)
        frames.append(block[present[wave]])
    order = {"intake": 0, "year1": 1, "year2": 2}
    assessments = pd.concat(frames, ignore_index=True)
    assessments = assessments.sort_values(
        ["family_id", "wave"], key=lambda s: s.map(order) if s.name == "wave" else s
    ).reset_index(drop=True)

    # how families ended
    reason = np.where(has_y2, "completed", "").astype(object)
    early = ~has_y2
    reason[early] = _choice(rng, {"dropped_out": 0.6, "moved": 0.2, "referred_on": 0.2}, int(early.sum()))
    end = pd.DatetimeIndex(
        np.where(
            has_y2,
            dates["year2"] + pd.to_timedelta(rng.integers(0, 30, n), unit="D"),
            np.where(
                drop1,
                start + pd.to_timedelta(rng.integers(60, 330, n), unit="D"),
                dates["year1"] + pd.to_timedelta(rng.integers(30, 330, n), unit="D"),
            ),
        )
    )
    families = pd.DataFrame(
        {
            "family_id": ids,
            "programme": programme,
            "municipality": municipality,
            "start_date": start.strftime("%Y-%m-%d"),
            "end_date": end.strftime("%Y-%m-%d"),
            "end_reason": reason,
            "household_type": household,
            "n_children": n_children,
            "youngest_child_age": youngest,
            "oldest_child_age": oldest,
            "referral_source": referral,
            "n_volunteers": n_volunteers,
        }
    )

    # counterfactual judgements for part of the families, recorded at intake
    recorded = rng.random(n) < 0.45
    fin, par, mw = latent0[:, 0], latent0[:, 5], latent0[:, 3]
    base = {
        "social_work": 0.55 + 0.1 * (severity > 0),
        "parenting_support": np.clip(0.25 + 0.18 * (3 - par), 0.05, 0.9),
        "debt_assistance": np.clip(0.15 + 0.2 * (3 - fin), 0.02, 0.9),
        "youth_care": np.clip(0.08 + 0.08 * (3 - par) + 0.06 * (3 - mw), 0.01, 0.6),
        "supervision_order": np.clip(0.02 + 0.04 * (2.5 - par), 0.0, 0.25),
        "out_of_home_placement": np.clip(0.01 + 0.03 * (2.2 - par), 0.0, 0.15),
    }
    cf_rows = []
    judged = _choice(rng, {"referrer": 0.6, "coordinator": 0.4}, n)
    for i in np.flatnonzero(recorded).tolist():
        for path in CARE_PATHS:
            p = float(np.clip(base[path][i] + rng.normal(0, 0.05), 0, 1))
            p = round(p * 20) / 20  # judgements are recorded in steps of 5 percentage points
            if p > 0:
                cf_rows.append((ids[i], path, p, judged[i]))
    counterfactuals = pd.DataFrame(cf_rows, columns=["family_id", "care_path", "likelihood", "judged_by"])

    # care actually used during the programme
    cu_rows: list[tuple[object, ...]] = []
    for i in range(n):
        if rng.random() < 0.3:
            s = start[i] + pd.Timedelta(days=int(rng.integers(10, 200)))
            cu_rows.append((ids[i], "social_work", int(rng.integers(2, 9)), s, s + pd.Timedelta(days=90)))
        if rng.random() < 0.08:
            s = start[i] + pd.Timedelta(days=int(rng.integers(30, 300)))
            cu_rows.append(
                (ids[i], "home_guidance", int(rng.integers(10, 60)), s, s + pd.Timedelta(days=180))
            )
        if rng.random() < 0.06:
            s = start[i] + pd.Timedelta(days=int(rng.integers(30, 300)))
            cu_rows.append((ids[i], "debt_assistance", 1, s, s + pd.Timedelta(days=365)))
    care_used = pd.DataFrame(cu_rows, columns=["family_id", "care_type", "units", "start", "end"])
    for col in ("start", "end"):
        care_used[col] = pd.DatetimeIndex(care_used[col]).strftime("%Y-%m-%d")
    # events, and care before and after support (their own generator: the tables above are unchanged)
    events, care_around = sample_outcomes(
        seed, ids, start, end, severity, programme, reason, oldest, youngest
    )
    care_used = (
        pd.concat([care_used.assign(units=care_used["units"].astype(float)), care_around], ignore_index=True)
        .sort_values(["family_id", "start", "care_type"], kind="stable")
        .reset_index(drop=True)
    )

    # programme costs per municipality and year, scaled to the caseload in family-years: a family active
    # for half a year counts 0.5; training is paid once per new family (its volunteer's training)
    years = range(2021, 2027)
    pc_rows = []
    start_ns, end_ns = start.to_numpy(), end.to_numpy()
    for m in MUNICIPALITIES:
        sel = municipality == m
        for y in years:
            y0, y1 = np.datetime64(f"{y}-01-01", "ns"), np.datetime64(f"{y + 1}-01-01", "ns")
            overlap = np.minimum(end_ns[sel], y1) - np.maximum(start_ns[sel], y0)
            family_years = float(np.clip(overlap / np.timedelta64(365, "D"), 0, None).sum())
            new = int(((start_ns[sel] >= y0) & (start_ns[sel] < y1)).sum())
            if family_years == 0:
                continue
            fte = family_years / 30  # one coordinator FTE guides about 30 families at a time
            salary = 78_000 * (1.025 ** (y - 2021))  # incl. employer costs, +2.5% a year
            pc_rows += [
                (y, m, "coordinator", round(fte * salary, 2)),
                (y, m, "training", round(new * 180.0, 2)),
                (y, m, "volunteer_expenses", round(family_years * 260.0, 2)),
                (y, m, "overhead", round(fte * salary * 0.15, 2)),
                (y, m, "licence", 1_500.0),
            ]
    programme_costs = pd.DataFrame(pc_rows, columns=["year", "municipality", "item", "amount"])
    prices = pd.DataFrame(
        PRICES, columns=["care_type", "unit", "price", "price_year", "payer", "source", "source_nl"]
    )
    return {
        "assessments": assessments,
        "families": families,
        "counterfactuals": counterfactuals,
        "care_used": care_used,
        "events": events,
        "programme_costs": programme_costs,
        "prices": prices,
    }


def write_sample(out: str | Path, n_families: int = 350, *, seed: int = 20241) -> list[Path]:
    """Write :func:`make_sample` as CSV files, the default scenario and the mapping file to ``out``.

    Returns the paths written. The same arguments reproduce the files byte for byte.
    """
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, frame in make_sample(n_families, seed=seed).items():
        path = out / f"{name}.csv"
        frame.to_csv(path, index=False, lineterminator="\n", float_format="%.10g")
        written.append(path)
    config = out / "impactkit.toml"
    config.write_text(mapping_file(), encoding="utf-8", newline="\n")
    written.append(config)
    scenario = resources.files("impactkit.costs").joinpath("data/default.toml")
    if scenario.is_file():
        dest = out / "scenario.toml"
        with resources.as_file(scenario) as src:
            shutil.copyfile(src, dest)
        written.append(dest)
    return written
