"""Shared helpers of the benchmarks: CPU time and peak memory of a command in a fresh process.

The benchmarks run on shared machines, where wall time depends on what else runs; CPU time (user +
system of the child process, from ``os.wait4``) and the median of repeats are what they report.
"""

from __future__ import annotations

import math
import os
import statistics
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

IMPACTKIT = str(Path(sys.executable).with_name("impactkit"))


@dataclass(frozen=True)
class Run:
    cpu: float  # user + system seconds of the process
    wall: float  # seconds from start to exit
    peak_gib: float  # peak resident set size
    finished: bool = True  # False: stopped at its CPU limit (cpu is then a lower bound)


def run(
    args: list[str],
    *,
    cwd: Path | None = None,
    env: dict[str, str] | None = None,
    cpu_limit: float | None = None,
) -> Run:
    """Run ``args`` in a fresh process (output discarded); its own CPU time and peak RSS.

    ``env``: variables set for the process on top of this one's environment.  ``cpu_limit``: the
    process is stopped (RLIMIT_CPU) after that many CPU seconds and the run is not ``finished``."""
    import resource
    import signal
    import time

    def limit() -> None:
        if cpu_limit is not None:
            soft = max(1, math.ceil(cpu_limit))
            resource.setrlimit(resource.RLIMIT_CPU, (soft, soft + 10))

    t = time.perf_counter()
    full = {**os.environ, **env} if env else None
    proc = subprocess.Popen(
        args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=cwd, env=full, preexec_fn=limit
    )
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t
    err = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
    proc.returncode = os.waitstatus_to_exitcode(status)
    cpu = usage.ru_utime + usage.ru_stime
    if cpu_limit is not None and proc.returncode in (-signal.SIGXCPU, -signal.SIGKILL):
        return Run(cpu, wall, usage.ru_maxrss / 2**20, finished=False)
    if proc.returncode not in (0, 1):  # 1: validate found problems, still a full run
        raise RuntimeError(f"{' '.join(args)} exited {proc.returncode}:\n{err[-2000:]}")
    return Run(cpu, wall, usage.ru_maxrss / 2**20)


def median_run(args: list[str], repeats: int, cpu_limit: float | None = None) -> Run:
    runs = [run(args, cpu_limit=cpu_limit)]
    if runs[0].finished:  # a run stopped at its limit is not repeated
        runs += [run(args, cpu_limit=cpu_limit) for _ in range(repeats - 1)]
    return Run(
        statistics.median(r.cpu for r in runs),
        statistics.median(r.wall for r in runs),
        max(r.peak_gib for r in runs),
        finished=all(r.finished for r in runs),
    )


def target_line(name: str, value: float, limit: float, unit: str = "s", *, finished: bool = True) -> str:
    """One line: the measured figure, the target and their ratio (under 1 meets the target).

    ``finished`` False: a command was stopped at its CPU limit, so the figure is a lower bound (≥)."""
    ratio = value / limit
    verdict = "ok" if ratio < 1 and finished else "MISSED"
    mark = " " if finished else "≥"
    return (
        f"  {name:<58}{mark}{value:9.2f} {unit:<3} target < {limit:g} {unit:<3} ratio {ratio:5.2f}  {verdict}"
        + ("" if finished else "  (a command did not finish)")
    )


def exponent(sizes: list[int], values: list[float]) -> float:
    """Least-squares slope of log(value) on log(size): 1 is linear growth."""
    xs = [math.log(s) for s in sizes]
    ys = [math.log(max(v, 1e-9)) for v in values]
    mx, my = statistics.fmean(xs), statistics.fmean(ys)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / sum((x - mx) ** 2 for x in xs)
