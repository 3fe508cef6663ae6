"""Generated export folders for the command-line property suite.

Hypothesis draws a :class:`Spec` (sizes, scale, waves, which tables exist, how small the small groups
are, a seed); :func:`write_cohort` turns it into files deterministically, so that a failing example
shrinks on the spec, not on thousands of cells.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

DOMAINS = ["finances", "housing", "social_network", "mental_wellbeing", "physical_health", "parenting",
           "child_development", "participation", "paperwork"]  # fmt: skip
RULE_DOMAINS = [
    "finances",
    "parenting",
    "mental_wellbeing",
    "child_development",
]  # the default scenario's rules
WAVES = ["intake", "year1", "year2"]
PATHS = ["social_work", "parenting_support", "debt_assistance", "youth_care", "supervision_order",
         "out_of_home_placement"]  # fmt: skip
OPTIONAL = ("families", "counterfactuals", "care_used", "programme_costs", "prices")


@dataclass(frozen=True)
class Spec:
    """What a generated export looks like."""

    n_families: int
    scale: tuple[int, int]
    n_waves: int
    n_domains: int  # the first n of DOMAINS, rule domains always kept
    tables: frozenset[str]  # which optional tables exist
    small_municipality: int  # families in the smallest municipality (1..k-1 for k = 10)
    small_programme: int  # families in the smallest programme
    small_path: int  # families with a recorded judgement on the rarest care path
    missing_share: float
    dropout: float
    wide: bool
    seed: int


def write_cohort(spec: Spec, folder: Path) -> Path:
    """Write the export ``spec`` describes to ``folder`` and return it."""
    rng = np.random.default_rng(spec.seed)
    folder.mkdir(parents=True, exist_ok=True)
    lo, hi = spec.scale
    waves = WAVES[: spec.n_waves]
    domains = list(dict.fromkeys(RULE_DOMAINS + DOMAINS[: spec.n_domains]))
    domains = [d for d in DOMAINS if d in domains]
    n = spec.n_families
    ids = [f"G{i:05d}" for i in range(1, n + 1)]
    _instrument(folder, domains, (lo, hi), waves)

    small_m = min(spec.small_municipality, n)
    municipality = np.array(["Tiel"] * small_m + list(rng.choice(["Arnhem", "Ede", "Zutphen"], n - small_m)))
    small_p = min(spec.small_programme, n)
    programme = np.array(["Home-Start"] * small_p + ["Samen Oplopen"] * (n - small_p))
    rng.shuffle(programme)
    start = pd.Timestamp("2021-01-01") + pd.to_timedelta(rng.integers(0, 900, n), unit="D")

    rows = []
    severity = rng.normal(0, 1, n)
    for i, fid in enumerate(ids):
        last = len(waves)
        for w in range(1, len(waves)):
            if rng.random() < spec.dropout:
                last = w
                break
        for w in range(last):
            date = start[i] + pd.Timedelta(days=365 * w + int(rng.integers(0, 20)))
            base = (lo + hi) / 2 + severity[i] * (hi - lo) / 6
            scores = {}
            for d in domains:
                value = base + w * (hi - lo) / 10 + rng.normal(0, (hi - lo) / 5)
                score = int(np.clip(round(value), lo, hi))
                scores[d] = "" if rng.random() < spec.missing_share else str(score)
            rows.append(
                {"family_id": fid, "wave": waves[w], "assessed_on": date.date().isoformat(), **scores}
            )
    wide = pd.DataFrame(rows)
    if spec.wide:
        wide.to_csv(folder / "assessments.csv", index=False)
    else:
        long = wide.melt(["family_id", "wave", "assessed_on"], var_name="domain", value_name="score")
        long.to_csv(folder / "assessments.csv", index=False)

    if "families" in spec.tables:
        ended = rng.random(n) < 0.5
        pd.DataFrame(
            {
                "family_id": ids,
                "programme": programme,
                "municipality": municipality,
                "start_date": [d.date().isoformat() for d in start],
                "end_date": [
                    (d + pd.Timedelta(days=800)).date().isoformat() if e else ""
                    for d, e in zip(start, ended, strict=True)
                ],
                "end_reason": [rng.choice(["completed", "dropped_out", "moved"]) if e else "" for e in ended],
                "household_type": rng.choice(["single_parent", "newcomer", "poverty"], n),
                "n_children": rng.integers(1, 5, n),
            }
        ).to_csv(folder / "families.csv", index=False)
    if "counterfactuals" in spec.tables and "families" in spec.tables:
        judged = []
        for j, fid in enumerate(ids):
            path = PATHS[int(rng.integers(0, 4))]
            judged.append((fid, path, round(float(rng.uniform(0.05, 0.9)), 2), "coordinator"))
            if j < spec.small_path:
                judged.append((fid, "supervision_order", round(float(rng.uniform(0.05, 0.5)), 2), "referrer"))
        pd.DataFrame(judged, columns=["family_id", "care_path", "likelihood", "judged_by"]).to_csv(
            folder / "counterfactuals.csv", index=False
        )
    if "care_used" in spec.tables and "families" in spec.tables:
        used = [
            (fid, "social_work", int(rng.integers(1, 12)), start[i].date().isoformat())
            for i, fid in enumerate(ids[: max(1, n // 3)])
        ]
        pd.DataFrame(used, columns=["family_id", "care_type", "units", "start"]).to_csv(
            folder / "care_used.csv", index=False
        )
    if "programme_costs" in spec.tables:
        years = sorted({d.year for d in start})
        pd.DataFrame(
            [(y, m, item, round(float(rng.uniform(1000, 30000)), 2)) for y in years for m in sorted(set(municipality))
             for item in ("coordinator", "training")],
            columns=["year", "municipality", "item", "amount"],
        ).to_csv(folder / "programme_costs.csv", index=False)  # fmt: skip
    if "prices" in spec.tables:
        pd.DataFrame(
            [("social_work", "contact", 127, 2022, "municipality_prevention", "generated")],
            columns=["care_type", "unit", "price", "price_year", "payer", "source"],
        ).to_csv(folder / "prices.csv", index=False)
    return folder


def _instrument(folder: Path, domains: list[str], scale: tuple[int, int], waves: list[str]) -> None:
    lo, hi = scale
    lines = [
        'id = "generated"',
        f"sufficient = {lo + (hi - lo) * 3 // 4}",
        "reliability = 0.8",
        "[scale]",
        f"min = {lo}",
        f"max = {hi}",
        "integer = true",
        "higher_is_better = true",
    ]
    for d in domains:
        lines += ["[[domains]]", f'id = "{d}"', f'label_nl = "{d} (nl)"', f'label_en = "{d} (en)"']
    for w in waves:
        lines += ["[[waves]]", f'id = "{w}"']
    (folder / "instrument.toml").write_text("\n".join(lines) + "\n", encoding="utf-8")
