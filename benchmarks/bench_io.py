"""Benchmark: read + validate 100,000 families × 3 waves (wide CSV, 300k rows, 2.7M scores).

Target (issue 2): under 2 s on the 2-core reference machine. Run with ``make bench`` or
``python benchmarks/bench_io.py [n_families]``.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

import impactkit as ik


def make_export(path: Path, n_families: int, seed: int = 1) -> None:
    rng = np.random.default_rng(seed)
    domains = ik.builtin().domain_ids
    ids = np.array([f"F{i:06d}" for i in range(n_families)])
    frames = []
    start = pd.Timestamp("2021-01-01") + pd.to_timedelta(rng.integers(0, 1200, n_families), unit="D")
    for k, wave in enumerate(("intake", "year1", "year2")):
        scores = rng.integers(1, 6, (n_families, len(domains))).astype(float)
        scores[rng.random(scores.shape) < 0.01] = np.nan
        block = pd.DataFrame(scores, columns=domains).astype("Int64")
        block.insert(0, "assessed_on", (start + pd.Timedelta(days=365 * k)).strftime("%Y-%m-%d"))
        block.insert(0, "wave", wave)
        block.insert(0, "family_id", ids)
        frames.append(block)
    pd.concat(frames).to_csv(path, index=False)


def main(n_families: int = 100_000, repeats: int = 3) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "assessments.csv"
        make_export(path, n_families)
        times = []
        for _ in range(repeats):
            t0 = time.perf_counter()
            data = ik.read_assessments(path, today="2026-11-01")
            times.append(time.perf_counter() - t0)
        print(
            f"read_assessments + validate: {n_families:,} families, {len(data):,} long rows: "
            f"best {min(times):.2f} s, median {sorted(times)[len(times) // 2]:.2f} s (target < 2 s)"
        )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000)
