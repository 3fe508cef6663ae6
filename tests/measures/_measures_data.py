"""Reference datasets of the measures tests (written by tests/results/measures/make_data.R)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

import impactkit as ik

ROOT = Path(__file__).resolve().parents[2]
RESULTS = ROOT / "tests" / "results" / "measures"
SAMPLE = ROOT / "data" / "sample"


def instrument(
    waves: list[str],
    domains: list[str],
    *,
    lo: float = 1,
    hi: float = 5,
    integer: bool = True,
    sufficient: float | None = None,
    reliability: float | None = None,
) -> ik.Instrument:
    spec: dict[str, object] = {
        "id": "test",
        "domains": [{"id": d} for d in domains],
        "scale": {"min": lo, "max": hi, "integer": integer},
        "waves": [{"id": w} for w in waves],
    }
    if sufficient is not None:
        spec["sufficient"] = sufficient
    if reliability is not None:
        spec["reliability"] = reliability
    return ik.Instrument.from_dict(spec)


W3 = ["intake", "year1", "year2"]

DATASETS = {
    # name: (csv, waves, domains, scale min, max, integer)
    "ordinal": ("long_ordinal.csv", W3, ["finances", "housing", "social_network"], 1, 5, True),
    "continuous": ("long_continuous.csv", W3, ["alpha", "beta"], -100, 200, False),
    "sleep": ("sleep.csv", ["drug1", "drug2"], ["extra"], -10, 10, False),
    "obk_phase": ("obk_phase.csv", ["pre", "post", "fup"], ["value"], 0, 10, False),
    "obk_hour_pre": ("obk_hour_pre.csv", [f"h{i}" for i in range(1, 6)], ["value"], 0, 10, False),
}


def load(name: str) -> pd.DataFrame:
    """A reference dataset as a canonical long frame (``sample``: data/sample with the default instrument)."""
    if name == "sample":
        return sample_long()
    csv, waves, domains, lo, hi, integer = DATASETS[name]
    raw = pd.read_csv(RESULTS / csv)
    return ik.canonical(raw, instrument(waves, domains, lo=lo, hi=hi, integer=integer))


def sample_long() -> pd.DataFrame:
    wide = pd.read_csv(SAMPLE / "assessments.csv")
    long = wide.melt(id_vars=["family_id", "wave", "assessed_on"], var_name="domain", value_name="score")
    return ik.canonical(long)


def sample_families() -> pd.DataFrame:
    return pd.read_csv(SAMPLE / "families.csv", dtype={"family_id": str})


def reference(name: str) -> pd.DataFrame:
    return pd.read_csv(RESULTS / name)
