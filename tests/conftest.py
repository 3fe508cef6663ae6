"""Shared fixtures: the committed sample, a fixed 'today', and a seeded rng."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "data" / "sample"
TODAY = "2026-11-01"


@pytest.fixture
def rng() -> np.random.Generator:
    """A fixed-seed generator (never a per-run seed)."""
    return np.random.default_rng(12345)


@pytest.fixture(scope="session")
def sample_dir() -> Path:
    return SAMPLE


@pytest.fixture(scope="session")
def sample_wide() -> pd.DataFrame:
    """The committed sample's assessments as raw text, as a user's export would hold them."""
    return pd.read_csv(SAMPLE / "assessments.csv", dtype=str, keep_default_na=False)


@pytest.fixture(autouse=True)
def _doctest_cwd(doctest_namespace, monkeypatch):  # type: ignore[no-untyped-def]
    """Doctests refer to data/sample relative to the repository root."""
    monkeypatch.chdir(ROOT)
