"""Benchmark: change + omnibus + reliable_change on 100k families × 3 waves × 9 domains.

30% of families have no year2 assessment (implicit missing). Target: under 2 s together.
Run: ``.venv/bin/python benchmarks/bench_measures.py [n_families]``.
"""

from __future__ import annotations

import sys
import time

import numpy as np
import pandas as pd

import impactkit as ik
from impactkit.measures import change, omnibus, reliable_change


def make(n_families: int = 100_000, *, seed: int = 1) -> pd.DataFrame:
    """A canonical long frame: ordinal 1-5 scores, 30% of families missing at year2."""
    rng = np.random.default_rng(seed)
    inst = ik.builtin("default")
    nd, nw = len(inst.domain_ids), len(inst.wave_ids)
    base = rng.normal(2.7, 0.9, (n_families, nd, 1))
    gain = np.array([0.0, 0.4, 0.6])[None, None, :]
    scores = np.clip(np.rint(base + gain + rng.normal(0, 0.6, (n_families, nd, nw))), 1, 5)
    fam = np.repeat(np.array([f"F{i:06d}" for i in range(n_families)], dtype=object), nd * nw)
    frame = pd.DataFrame(
        {
            "family_id": fam,
            "wave": np.tile(np.repeat(inst.wave_ids, 1), n_families * nd).reshape(-1),
            "domain": np.tile(np.repeat(inst.domain_ids, nw), n_families),
            "score": scores.reshape(-1),
        }
    )
    dropped = rng.random(n_families) < 0.3
    keep = ~((frame["wave"] == "year2").to_numpy() & np.repeat(dropped, nd * nw))
    return ik.canonical(frame[keep].reset_index(drop=True), inst)


def main(n_families: int = 100_000) -> dict[str, float]:
    t0 = time.perf_counter()
    data = make(n_families)
    print(f"data: {len(data):,} rows, built in {time.perf_counter() - t0:.2f} s")
    times: dict[str, float] = {}
    for name, func in (("change", change), ("omnibus", omnibus), ("reliable_change", reliable_change)):
        t = time.perf_counter()
        func(data)
        times[name] = time.perf_counter() - t
        print(f"{name:16s} {times[name]:6.2f} s")
    total = sum(times.values())
    print(f"{'total':16s} {total:6.2f} s  (target < 2 s)")
    return times


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000)
