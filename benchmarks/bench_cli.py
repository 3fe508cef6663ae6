"""Benchmark: the command line on an export with 100,000 bad cells (issue 10, item 5).

``impactkit validate FILE --json`` streams its problems: its peak memory must stay within
``JSON_EXTRA_MB`` of the same command on a clean file of the same size, and the human summary
(by column and problem type, then the first problems) within ``SUMMARY_EXTRA_MB``.  Each run is a
fresh interpreter (``python -m impactkit``); peak RSS from ``getrusage(RUSAGE_CHILDREN)`` of a
child that runs one command.  Run with ``make bench`` or ``python benchmarks/bench_cli.py [n_bad]``.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

DOMAINS = ["finances", "housing", "social_network", "mental_wellbeing", "physical_health", "parenting",
           "child_development", "participation", "paperwork"]  # fmt: skip
JSON_EXTRA_MB = 150.0
SUMMARY_EXTRA_MB = 150.0
MAX_SECONDS = 60.0  # a loaded 2-core machine; ~20 s each when idle, most of it the import

_CHILD = """
import resource, subprocess, sys
with open(sys.argv[1], "wb") as out:
    code = subprocess.call([sys.executable, "-m", "impactkit", *sys.argv[2:]], stdout=out,
                           stderr=subprocess.DEVNULL)
print(code, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024)
"""


def make_export(path: Path, n_families: int, bad: bool, seed: int = 1) -> int:
    """Two waves of ``n_families``; with ``bad``, half the scores are not numbers: returns the bad cells."""
    rng = np.random.default_rng(seed)
    lines = ["family_id,wave,assessed_on," + ",".join(DOMAINS)]
    n_bad = 0
    for i in range(n_families):
        for w, (wave, date) in enumerate((("intake", "2024-01-10"), ("year1", "2025-01-12"))):
            scores = rng.integers(1, 6, len(DOMAINS)).astype(str)
            if bad:
                broken = rng.random(len(DOMAINS)) < 0.5
                scores = np.where(broken, "x", scores)
                n_bad += int(broken.sum())
            lines.append(f"F{i:06d},{wave},{date}," + ",".join(scores))
            del w
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return n_bad


def run(out: Path, *args: str) -> tuple[int, float, float]:
    """Exit code, peak RSS (MB) and wall time of one ``impactkit`` command."""
    t0 = time.perf_counter()
    res = subprocess.run([sys.executable, "-c", _CHILD, str(out), *args], capture_output=True, text=True)
    code, rss = res.stdout.split()
    return int(code), float(rss), time.perf_counter() - t0


def main(n_bad: int = 100_000) -> None:
    n_families = -(-n_bad // len(DOMAINS))  # two rows a family, half the cells bad
    with tempfile.TemporaryDirectory() as tmp:
        good, bad, out = Path(tmp) / "good.csv", Path(tmp) / "bad.csv", Path(tmp) / "out"
        make_export(good, n_families, bad=False)
        cells = make_export(bad, n_families, bad=True)
        assert cells >= n_bad
        base_code, base_rss, base_s = run(out, "validate", str(good), "--json", "--today", "2026-11-01")
        code, rss, secs = run(out, "validate", str(bad), "--json", "--today", "2026-11-01")
        payload = json.loads(out.read_text(encoding="utf-8"))
        human_code, human_rss, human_s = run(out, "validate", str(bad), "--today", "2026-11-01")
    print(f"{cells:,} bad cells in {n_families * 2:,} rows ({n_families:,} families)")
    print(f"  clean file --json      exit {base_code}  peak {base_rss:7.1f} MB  {base_s:5.1f} s")
    print(f"  bad file --json        exit {code}  peak {rss:7.1f} MB  {secs:5.1f} s  "
          f"({len(payload['problems']):,} problems streamed)")  # fmt: skip
    print(f"  bad file summary       exit {human_code}  peak {human_rss:7.1f} MB  {human_s:5.1f} s")
    assert base_code == 0
    assert code == human_code == 1
    assert len(payload["problems"]) == cells, "every bad cell is one problem in the JSON"
    assert rss - base_rss < JSON_EXTRA_MB, f"--json took {rss - base_rss:.0f} MB more than a clean file"
    assert human_rss - base_rss < SUMMARY_EXTRA_MB, f"summary took {human_rss - base_rss:.0f} MB more"
    assert max(secs, human_s) < MAX_SECONDS


if __name__ == "__main__":
    main(*(int(a) for a in sys.argv[1:2]))
