"""Benchmark: the costs stage at national scale (issue 18) and the PSA with every source of
uncertainty (issue 12: judgements drawn, families resampled, the spread split by source).

Targets (2-core reference machine):

* PSA with all sources and the spread by source, 100,000 families × 10,000 draws: under 5 s;
* ``impactkit costs DIR --json`` (read + validate + evaluate + JSON, one process) at 1,000,000
  families: well under 200 s and under 4 GiB peak resident memory;
* growth stays linear: the exponent log(t_1M / t_100k) / log(10) of every stage is printed;
* the 350-family sample: ``evaluate`` with 10,000 draws (no target; printed for reference) and
  the business case a notebook slider recomputes (``business_case``, 10,000 draws,
  ``spread=False``): under 0.2 s (the issue-4 target, now for the PSA without the spread).

Every figure is the median of ``--repeats`` runs (default 3; the command at 1M runs twice), in CPU
seconds (user + system; the machine is shared).  Cohorts are bench_pipeline's (``write_sample``, seed 1,
cached).  Run with ``make bench`` (100,000 families; ``IMPACTKIT_BENCH_1M=1 make bench`` adds 1,000,000)
or ``python benchmarks/bench_costs.py [--sizes 100000,1000000] [--repeats 3]``.
"""

from __future__ import annotations

import argparse
import math
import os
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from _measure import target_line
from bench_pipeline import cohort

from impactkit._canonical import instrument_of
from impactkit.costs import Scenario, business_case, evaluate
from impactkit.costs._evaluate import _override_prices, _programme_amounts, _programme_table
from impactkit.costs._need import data_need
from impactkit.costs._uncertainty import psa
from impactkit.io import read_dataset

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "sample"
TODAY = "2026-11-01"


def _median(f: Callable[[], object], repeats: int) -> float:
    """Median CPU seconds (user + system of this process, every thread) of ``f()``."""
    times = []
    for _ in range(repeats):
        t = time.process_time()
        f()
        times.append(time.process_time() - t)
    return statistics.median(times)


def _need(ds):  # type: ignore[no-untyped-def]
    s = _override_prices(
        Scenario.from_file(ds.scenario_path) if ds.scenario_path else Scenario.default(), ds.prices
    )
    table, years = _programme_table(ds.programme_costs, s)
    need = data_need(ds.assessments, s, instrument_of(ds.assessments), families=ds.families,
                     counterfactuals=ds.counterfactuals, care_used=ds.care_used, programme_years=years)  # fmt: skip
    need.model.programme_amounts = _programme_amounts(table, need)
    return need


def _command(path: Path) -> tuple[float, float]:
    """CPU seconds and peak resident memory (GiB) of ``impactkit costs PATH --json`` in a fresh process."""
    from _measure import IMPACTKIT, run

    r = run([IMPACTKIT, "costs", str(path), "--json", "--today", TODAY])
    return r.cpu, r.peak_gib


def stage_times(path: Path, repeats: int) -> dict[str, float]:
    out: dict[str, float] = {}
    out["read + validate"] = _median(lambda: read_dataset(path, today=TODAY), repeats)
    ds = read_dataset(path, today=TODAY)
    out["need (who needs what)"] = _median(lambda: _need(ds), repeats)
    model = _need(ds).model
    out["PSA, all sources + spread"] = _median(lambda: psa(model, 10_000, 0), repeats)
    out["evaluate (10,000 draws)"] = _median(lambda: evaluate(ds, draws=10_000, seed=0), repeats)
    return out


def main(sizes: list[int], repeats: int, cache: Path) -> None:
    print("costs stage, median of repeats (CPU seconds)")
    ds = read_dataset(SAMPLE, today=TODAY)
    sample = _median(lambda: evaluate(ds, draws=10_000, seed=0), repeats)
    bc = _median(
        lambda: business_case(families_per_year=40, years=3, draws=10_000, seed=0, spread=False), repeats
    )
    print(
        f"  sample, 350 families: evaluate with 10,000 draws and the spread by source {sample:.2f} s (no target)"
    )
    print(target_line("business case, 10,000 draws, no spread (a notebook slider)", bc, 0.2))
    results: dict[int, dict[str, float]] = {}
    for n in sizes:
        folder = cohort(cache, n)
        results[n] = stage_times(folder, repeats)
        runs = [_command(folder) for _ in range(2 if n >= 1_000_000 else repeats)]
        results[n]["command: impactkit costs --json"] = statistics.median(r[0] for r in runs)
        peak = max(r[1] for r in runs)
        print(f"\n  {n:,} families")
        for stage, secs in results[n].items():
            if stage.startswith("PSA") and n == 100_000:
                print(target_line("PSA, all sources + spread, 100,000 families x 10,000 draws", secs, 5.0))
            else:
                print(f"    {stage:<34} {secs:8.2f} s")
        print(f"    {'command peak resident memory':<34} {peak:8.2f} GiB")
    if len(sizes) >= 2:
        lo, hi = sizes[0], sizes[-1]
        print(f"\n  growth exponent {lo:,} → {hi:,} families (1 = linear)")
        for stage in results[lo]:
            k = math.log(results[hi][stage] / results[lo][stage]) / math.log(hi / lo)
            print(f"    {stage:<34} {k:8.2f}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    big = os.environ.get("IMPACTKIT_BENCH_1M", "") not in ("", "0")
    parser.add_argument(
        "--sizes", default="100000,1000000" if big else "100000", help="comma-separated sizes"
    )
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "impactkit-bench-cohorts")
    args = parser.parse_args()
    args.cache.mkdir(parents=True, exist_ok=True)
    main([int(x) for x in args.sizes.split(",")], args.repeats, args.cache)
