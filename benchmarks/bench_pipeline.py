"""Benchmark: the whole annual pipeline at national scale, one command per stage (issue 18).

Stages, each a fresh ``impactkit`` process as a user runs them: ``validate``, ``analyse``, ``costs``
(10,000 PSA draws) and ``report --kind annual`` (its own read, analyses, 10,000-draw PSA, HTML).
Targets (2-core machine, CPU seconds = user + system of the process, median of repeats):

* whole pipeline (the four stages) at 100,000 families: under 20 s;
* at 1,000,000 families: under 200 s, and every stage under 4 GiB peak resident memory;
* growth stays linear: the exponent of each stage (slope of log CPU on log families, above the
  command's start-up) over the sizes run is printed.

Cohorts: ``impactkit.write_sample`` (seed 1) up to 100,000 families; larger ones are that 100,000
cohort repeated with fresh family ids (and programme costs scaled alike), since generating a million
synthetic families takes ten minutes. They are cached in ``--cache`` (default: the system temp dir).
Run with ``make bench`` (sizes 10,000, 30,000, 100,000; ``IMPACTKIT_BENCH_1M=1 make bench`` adds
1,000,000, run once, ~10 min plus the cohort's first writing) or
``python benchmarks/bench_pipeline.py --sizes 10000,100000,1000000 [--repeats 3]``.

"Whole pipeline" is exactly the sum of the CPU seconds of the four commands above, each a fresh
process that reads and validates the export itself, as a user who runs them one after the other
does (the report computes its own analyses and PSA: it shares nothing with the commands before
it).  A second line runs the same four commands with ``IMPACTKIT_CACHE`` set to a fresh, empty
folder (once per size): ``validate`` reads, validates and stores the result, the other three load
it (``impactkit/io/_cache.py``).  ``impactkit run`` (the annual run in one process) is not one of
the stages: it writes every report of the release (each municipality's and programme's, both
kinds, every language and output), which is more work than these four commands.

Each command is stopped after ``IMPACTKIT_BENCH_CPU_LIMIT`` CPU seconds (default 600): a stage
that does not finish is printed as such, the total as a lower bound (≥) and its target as MISSED,
so ``make bench`` ends even when a stage does not scale.
"""

from __future__ import annotations

import argparse
import os
import shutil
import tempfile
from pathlib import Path

import pandas as pd
from _measure import IMPACTKIT, Run, exponent, median_run, run, target_line

from impactkit import write_sample

TODAY = "2026-11-01"
BASE = 100_000
CPU_LIMIT = float(os.environ.get("IMPACTKIT_BENCH_CPU_LIMIT", "600"))


def stages(folder: Path, out: Path) -> dict[str, list[str]]:
    f = str(folder)
    return {
        "validate": [IMPACTKIT, "validate", f, "--today", TODAY],
        "analyse": [IMPACTKIT, "analyse", f, "--today", TODAY],
        "costs (10,000 draws)": [IMPACTKIT, "costs", f, "--draws", "10000", "--today", TODAY],
        "report --kind annual": [IMPACTKIT, "report", f, "--kind", "annual", "--out", str(out / "annual.html"),
                                 "--generated-at", "2026-11-23", "--today", TODAY],
    }  # fmt: skip


def cohort(cache: Path, n: int) -> Path:
    """The cohort of ``n`` families (written once into ``cache``)."""
    folder = cache / f"n{n}"
    if (folder / "families.csv").exists():
        return folder
    tmp = cache / f"n{n}.partial"
    shutil.rmtree(tmp, ignore_errors=True)
    if n <= BASE:
        write_sample(tmp, n_families=n, seed=1)
    else:
        _repeat(cohort(cache, BASE), tmp, -(-n // BASE))
    tmp.rename(folder)
    return folder


def _repeat(src: Path, dst: Path, times: int) -> None:
    """``times`` copies of the cohort in ``src``, with family ids renumbered per copy."""
    dst.mkdir(parents=True)
    families = pd.read_csv(src / "families.csv", dtype=str, keep_default_na=False)
    ids = families["family_id"].tolist()
    width = len(str(len(ids) * times))
    for path in src.iterdir():
        if path.suffix != ".csv":
            shutil.copy(path, dst / path.name)
            continue
        table = pd.read_csv(path, dtype=str, keep_default_na=False)
        if "family_id" in table:
            parts = []
            for k in range(times):
                renumber = {old: f"F{k * len(ids) + i + 1:0{width}d}" for i, old in enumerate(ids)}
                parts.append(table.assign(family_id=table["family_id"].map(renumber)))
            table = pd.concat(parts, ignore_index=True)
        elif path.name == "programme_costs.csv":
            table["amount"] = (table["amount"].astype(float) * times).round(2).astype(str)
        table.to_csv(dst / path.name, index=False)


def main(sizes: list[int], repeats: int, cache: Path) -> None:
    start = median_run([IMPACTKIT, "--help"], repeats).cpu
    print(f"whole pipeline, CPU seconds (user + system) per command, median of {repeats}")
    print(f"  start-up of a command (impactkit --help): {start:.2f} s")
    results: dict[int, dict[str, Run]] = {}
    with tempfile.TemporaryDirectory(prefix="impactkit-bench-") as tmp:
        for n in sizes:
            folder = cohort(cache, n)
            reps = 1 if n >= 1_000_000 else repeats
            results[n] = {
                name: median_run(args, reps, CPU_LIMIT) for name, args in stages(folder, Path(tmp)).items()
            }
            total = sum(r.cpu for r in results[n].values())
            done = all(r.finished for r in results[n].values())
            peak = max(r.peak_gib for r in results[n].values())
            print(f"\n  {n:,} families")
            for name, r in results[n].items():
                stopped = "" if r.finished else f"  did not finish: stopped at {CPU_LIMIT:g} s CPU"
                print(
                    f"    {name:<24} {r.cpu:8.2f} s CPU  {r.wall:8.2f} s wall  {r.peak_gib:6.2f} GiB peak{stopped}"
                )
            with tempfile.TemporaryDirectory(prefix="impactkit-cache-") as where:
                os.chmod(where, 0o700)
                warm = [
                    run(args, env={"IMPACTKIT_CACHE": where}, cpu_limit=CPU_LIMIT)
                    for args in stages(folder, Path(tmp)).values()
                ]
            warm_done = all(r.finished for r in warm)
            print(f"    {'with IMPACTKIT_CACHE':<24} {sum(r.cpu for r in warm):8.2f} s CPU  "
                  f"({', '.join(f'{r.cpu:.2f}' + ('' if r.finished else ' (stopped)') for r in warm)}; "
                  "validate fills the cache, the others load it)")  # fmt: skip
            if n == 100_000:
                print(target_line("whole pipeline, 100,000 families", total, 20.0, finished=done))
                print(
                    target_line(
                        "whole pipeline, 100,000 families, IMPACTKIT_CACHE",
                        sum(r.cpu for r in warm),
                        20.0,
                        finished=warm_done,
                    )
                )
            elif n == 1_000_000:
                print(target_line("whole pipeline, 1,000,000 families", total, 200.0, finished=done))
                print(
                    target_line(
                        "peak resident memory of a stage, 1,000,000 families", peak, 4.0, "GiB", finished=done
                    )
                )
            else:
                print(f"  {'whole pipeline':<58}{' ' if done else '≥'}{total:9.2f} s")
    if len(sizes) >= 2:
        print(
            f"\n  growth exponent per stage, {sizes[0]:,} → {sizes[-1]:,} families (1 = linear; above start-up)"
        )
        for name in results[sizes[0]]:
            k = exponent(sizes, [max(results[n][name].cpu - start, 0.01) for n in sizes])
            stopped = not all(results[n][name].finished for n in sizes)
            print(f"    {name:<24} {k:6.2f}" + ("" if k < 1.2 else "  (super-linear)")
                  + ("  (a run was stopped: not a measured exponent)" if stopped else ""))  # fmt: skip


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    big = os.environ.get("IMPACTKIT_BENCH_1M", "") not in ("", "0")
    default = "10000,30000,100000" + (",1000000" if big else "")
    parser.add_argument("--sizes", default=default, help="comma-separated cohort sizes")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "impactkit-bench-cohorts")
    args = parser.parse_args()
    args.cache.mkdir(parents=True, exist_ok=True)
    main(sorted(int(x) for x in args.sizes.split(",")), args.repeats, args.cache)
