"""Shared report inputs for the tests: the committed sample with a small, hostile municipality.

Six families of the sample move to a municipality called ``<script>alert(1)</script>``: it must
render as text, and its reach row (6 families, under k = 10) must read "<10".
"""

from __future__ import annotations

import dataclasses
import functools
from pathlib import Path

from impactkit.io import read_dataset

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "data" / "sample"
HOSTILE = "<script>alert(1)</script>"
DRAWS = 500  # fewer PSA draws than the default keep the tests fast
GENERATED = "2026-11-23"


@functools.cache
def sample():
    return read_dataset(SAMPLE, today="2026-11-01")


@functools.cache
def hostile():
    ds = sample()
    fam = ds.families.copy()
    moved = fam.index[fam["municipality"] == "Tiel"][:6]
    fam["municipality"] = fam["municipality"].astype(object)
    fam.loc[moved, "municipality"] = HOSTILE
    return dataclasses.replace(ds, families=fam)
