"""Benchmark: release-level disclosure control (``impactkit.privacy.protect``) on real ledgers (issue 18).

The ledger is the one a :class:`impactkit.report.Release` builds (every population of every report
of the dataset: funder, programme and municipal reports, annual and business case), captured just
before the release calls ``protect``.  Two datasets:

* the 350-family sample (``data/sample``: 9 scopes x 2 kinds, ~1,200 populations): protect +
  audit under 3 s of CPU;
* a 30-family cohort (the sample's first 30 families): under 0.5 s.

``protect`` is timed alone (primary and secondary suppression, release of implied cells) and the
audit (``Audit.cells`` and ``Audit.sums``: the feasible range of every hidden count and sum) after
it; each the median of ``--repeats`` runs on a fresh copy of the ledger, CPU seconds of this
process (``time.process_time``).  Run with ``make bench`` or
``python benchmarks/bench_protect.py [--repeats 3]``.
"""

from __future__ import annotations

import argparse
import dataclasses
import pickle
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "data" / "sample"
TARGETS = {"sample (350 families)": 3.0, "cohort (30 families)": 0.5}


def target_line(name: str, value: float, limit: float, unit: str = "s") -> str:
    """One line: the measured figure, the target and their ratio (as benchmarks/_measure.py)."""
    ratio = value / limit
    verdict = "ok" if ratio < 1 else "MISSED"
    return f"  {name:<58} {value:9.2f} {unit:<3} target < {limit:g} {unit:<3} ratio {ratio:5.2f}  {verdict}"


class _Captured(Exception):
    pass


def capture(families: int | None) -> tuple[bytes, dict[str, Any]]:
    """The pickled ledger a Release of the sample (or of its first ``families``) hands to protect."""
    import impactkit.report._release as release_module
    from impactkit.io import read_dataset

    ds = read_dataset(SAMPLE, today="2026-11-01")
    if families is not None:
        keep = ds.families.iloc[:families].reset_index(drop=True)
        ids = set(keep["family_id"])

        def cut(frame: Any) -> Any:
            if frame is None or "family_id" not in frame:
                return frame
            out = frame[frame["family_id"].isin(ids)].reset_index(drop=True)
            out.attrs = dict(frame.attrs)
            return out

        ds = dataclasses.replace(
            ds,
            families=keep,
            assessments=cut(ds.assessments),
            counterfactuals=cut(ds.counterfactuals),
            care_used=cut(ds.care_used),
            events=cut(ds.events),
        )
    got: dict[str, Any] = {}
    real = release_module.protect

    def grab(ledger: Any, **kw: Any) -> Any:
        got["ledger"], got["kw"] = pickle.dumps(ledger), kw
        raise _Captured

    release_module.protect = grab  # type: ignore[assignment]
    try:
        release_module.Release(ds, k=10, draws=0)
    except _Captured:
        pass
    finally:
        release_module.protect = real
    return got["ledger"], got["kw"]


def measure(blob: bytes, kw: dict[str, Any], repeats: int) -> tuple[float, float, Any]:
    from impactkit.privacy import protect

    prot, aud = [], []
    audit = None
    for _ in range(repeats):
        ledger = pickle.loads(blob)
        t0 = time.process_time()
        audit = protect(ledger, **kw)
        t1 = time.process_time()
        _ = audit.cells, audit.sums
        t2 = time.process_time()
        prot.append(t1 - t0)
        aud.append(t2 - t1)
    return statistics.median(prot), statistics.median(aud), (ledger, audit)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    print("protect: release-level disclosure control, CPU seconds (median of", args.repeats, "runs)")
    lines = []
    for name, families in (("cohort (30 families)", 30), ("sample (350 families)", None)):
        blob, kw = capture(families)
        prot, aud, (ledger, audit) = measure(blob, kw, args.repeats)
        hidden = sum(1 for p in ledger if p.status)
        print(
            f"  {name}: {len(ledger)} populations, {hidden} hidden, {audit.rounds} rounds, "
            f"{audit.solves} LP solves; protect {prot:.2f} s, audit {aud:.2f} s, ok={audit.ok}"
        )
        lines.append(target_line(f"protect + audit, {name}", prot + aud, TARGETS[name]))
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
