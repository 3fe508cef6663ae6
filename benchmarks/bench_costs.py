"""Benchmark: probabilistic sensitivity analysis, 10,000 draws on the 350-family sample.

Target (issue 4): under 0.2 s, so a notebook slider feels live. Prints the median of a few runs of
(a) the PSA alone (draw every parameter, evaluate the vectorised model once on (draws, ...) arrays)
and (b) the whole ``evaluate`` call (deterministic tables, PSA, acceptability, tornado, scenarios).
Run with ``python benchmarks/bench_costs.py [draws]``.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

from impactkit._canonical import instrument_of
from impactkit.costs import Scenario, evaluate
from impactkit.costs._evaluate import _override_prices, _programme_amounts, _programme_table
from impactkit.costs._need import data_need
from impactkit.costs._uncertainty import psa
from impactkit.io import read_dataset

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "sample"


def main(draws: int = 10_000, repeats: int = 5) -> None:
    ds = read_dataset(SAMPLE, today="2026-11-01")
    scenario = _override_prices(Scenario.default(), ds.prices)
    table, years = _programme_table(ds.programme_costs, scenario)
    need = data_need(
        ds.assessments,
        scenario,
        instrument_of(ds.assessments),
        families=ds.families,
        counterfactuals=ds.counterfactuals,
        care_used=ds.care_used,
        programme_years=years,
    )
    need.model.programme_amounts = _programme_amounts(table, need)
    psa(need.model, 100, 0)  # warm up
    alone = []
    for seed in range(repeats):
        t = time.perf_counter()
        psa(need.model, draws, seed)
        alone.append(time.perf_counter() - t)
    whole = []
    for seed in range(repeats):
        t = time.perf_counter()
        evaluate(ds, draws=draws, seed=seed)
        whole.append(time.perf_counter() - t)
    n = len(need.likelihoods["family_id"].unique())
    print(
        f"PSA, {draws:,} draws on {n} families: {statistics.median(alone):.3f} s (median of {repeats}; target < 0.2 s)"
    )
    print(
        f"evaluate(..., draws={draws:,}) end to end: {statistics.median(whole):.3f} s (median of {repeats})"
    )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10_000)
