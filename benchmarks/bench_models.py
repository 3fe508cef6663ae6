"""Benchmark: the issue-17 models on 100k families × 3 waves (30% missing at year 2), nine domains.

Targets (issue 17): the nine-domain mixed model under 2 s (also in bench_mixed.py) and MMRM
(unstructured covariance, REML, Satterthwaite df) under 10 s.  Also timed, without a target:
Kenward-Roger df, marginal means with all pairwise contrasts, clm, a random-slope model on
months since intake (Satterthwaite and Kenward-Roger), and GEE on one domain.  Wall time is the best of ``--repeat`` runs; CPU time (process_time) is shown
too, since a shared 2-core machine inflates wall time.

    python benchmarks/bench_models.py [--families 100000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd
from bench_mixed import make_data

import impactkit as ik


def best(func: Callable[..., Any], *args: Any, repeat: int = 3, **kwargs: Any) -> tuple[float, float, Any]:
    wall, cpu, out = np.inf, np.inf, None
    for _ in range(repeat):
        t0, c0 = time.perf_counter(), time.process_time()
        out = func(*args, **kwargs)
        wall, cpu = min(wall, time.perf_counter() - t0), min(cpu, time.process_time() - c0)
    return wall, cpu, out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--families", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    data = make_data(args.families)
    print(f"data: {len(data):,} rows, {args.families:,} families, 9 domains")
    rng = np.random.default_rng(3)  # assessment dates: intake, then about a year apart
    day = {"intake": 0, "year1": 365, "year2": 730}
    start = pd.Timestamp("2022-01-01") + pd.to_timedelta(rng.integers(0, 700, args.families), unit="D")
    fam = data["family_id"].str.slice(1).astype(int).to_numpy()
    jitter = rng.normal(0, 20, len(data)).round() * (data["wave"].to_numpy() != "intake")
    offset = data["wave"].astype(str).map(day).to_numpy() + jitter
    dated = data.assign(assessed_on=start[fam] + pd.to_timedelta(offset, unit="D"))
    dated.attrs = data.attrs
    ik.mixed_model(data.iloc[:3000])  # warm-up (imports)
    ik.mmrm(data.iloc[:3000])
    rows = [
        ("mixed_model, 9 domains", "< 2 s", lambda: ik.mixed_model(data)),
        ("mmrm (unstructured, REML), 9 domains", "< 10 s", lambda: ik.mmrm(data)),
        ("mixed_model ddf='kenward-roger', 9 domains", "", lambda: ik.mixed_model(data, ddf="kenward-roger")),
        ("clm, 9 domains", "", lambda: ik.clm(data)),
        (
            "mixed_model months + (1 + months | family), 1 domain",
            "",
            lambda: ik.mixed_model(dated[dated.domain == "finances"], time="months", random_slope=True),
        ),
        (
            "the same, ddf='kenward-roger'",
            "",
            lambda: ik.mixed_model(
                dated[dated.domain == "finances"], time="months", random_slope=True, ddf="kenward-roger"
            ),
        ),
        ("gee, 1 domain (group contrasts need by=)", "", lambda: ik.gee(data[data.domain == "finances"])),
    ]
    fitted: dict[str, Any] = {}
    for name, target, func in rows:
        wall, cpu, out = best(func, repeat=args.repeat)
        fitted[name] = out
        statuses = out.drop_duplicates("domain").status.value_counts().to_dict()
        print(
            f"{name:45s} wall {wall:6.2f} s  cpu {cpu:6.2f} s  {('target ' + target) if target else ''}  {statuses}"
        )
    wall, cpu, _ = best(ik.marginal_means, fitted["mixed_model, 9 domains"], repeat=args.repeat)
    print(f"{'marginal_means + pairs (from the fit)':45s} wall {wall:6.2f} s  cpu {cpu:6.2f} s")


if __name__ == "__main__":
    main()
