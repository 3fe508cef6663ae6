"""Benchmark: release-level disclosure control (``impactkit.privacy.protect``) on real ledgers (issue 18).

The ledger is the one a :class:`impactkit.report.Release` builds (every population of every report
of the dataset: funder, programme and municipal reports, annual and business case), captured just
before the release calls ``protect``.  Two datasets:

* the 350-family sample (``data/sample``: 9 scopes x 2 kinds, ~1,300 populations): protect +
  audit under 1 s of CPU (the engine's share of the 3-s report of issue 18);
* a 30-family cohort (the sample's first 30 families): under 0.5 s;
* 10,000 synthetic families (``impactkit.write_sample(n_families=10000, seed=1)``, written once
  into the temp dir): under 4 s (the engine's share of the 20-s pipeline at 100,000 families grows
  with the small cells, not with the families).

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
TARGETS = {"cohort (30 families)": 0.5, "sample (350 families)": 1.0, "10,000 families": 4.0}


def target_line(name: str, value: float, limit: float, unit: str = "s") -> str:
    """One line: the measured figure, the target and their ratio (as benchmarks/_measure.py)."""
    ratio = value / limit
    verdict = "ok" if ratio < 1 else "MISSED"
    return f"  {name:<58} {value:9.2f} {unit:<3} target < {limit:g} {unit:<3} ratio {ratio:5.2f}  {verdict}"


class _Captured(Exception):
    pass


def synthetic(n: int) -> Path:
    """A cohort of ``n`` synthetic families (written once into the temp dir)."""
    import tempfile

    from impactkit import write_sample

    folder = Path(tempfile.gettempdir()) / "impactkit-bench-protect" / f"n{n}"
    if not (folder / "families.csv").exists():
        tmp = folder.with_suffix(".partial")
        write_sample(tmp, n_families=n, seed=1)
        tmp.rename(folder)
    return folder


def capture(families: int | None, folder: Path = SAMPLE) -> tuple[bytes, dict[str, Any]]:
    """The pickled ledger a Release of ``folder`` (or of its first ``families``) hands to protect."""
    import impactkit.report._release as release_module
    from impactkit.io import read_dataset

    ds = read_dataset(folder, today="2026-11-01")
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
    parser.add_argument("--quick", action="store_true", help="the sample and the cohort only")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    print("protect: release-level disclosure control, CPU seconds (median of", args.repeats, "runs)")
    lines = []
    sets: list[tuple[str, int | None, Path | None]] = [
        ("cohort (30 families)", 30, None),
        ("sample (350 families)", None, None),
    ]
    if not args.quick:
        sets.append(("10,000 families", None, synthetic(10_000)))
    for name, families, folder in sets:
        blob, kw = capture(families, folder or SAMPLE)
        prot, aud, (ledger, audit) = measure(blob, kw, args.repeats)
        hidden = sum(1 for p in ledger if p.status)
        print(
            f"  {name}: {len(ledger)} populations, {hidden} hidden, {audit.rounds} rounds, "
            f"{audit.solves} LP solves; protect {prot:.2f} s, audit {aud:.2f} s, ok={audit.ok}"
        )
        lines.append(target_line(f"protect + audit (engine), {name}", prot + aud, TARGETS[name]))
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
