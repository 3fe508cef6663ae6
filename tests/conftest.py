"""Shared fixtures: the committed sample, a fixed 'today', a seeded rng, and one release per distinct
dataset and options for the whole session (tests/_shared.py)."""

from __future__ import annotations

import inspect
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from _shared import SESSION_SHARED, SharedReleases, process_stats, write_durations
from hypothesis import settings

# Hypothesis: no deadline for a test without its own settings (a loaded 2-core machine is slow, not
# wrong); every property test sizes its max_examples itself
settings.register_profile("impactkit", deadline=None)
settings.load_profile("impactkit")

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


@pytest.fixture(scope="session")
def _shared_releases() -> Iterator[SharedReleases]:
    """Equal data and options share one release for the whole session (tests/_shared.py)."""
    from impactkit.report import _build

    shared = SharedReleases(_build._cached_release)
    SESSION_SHARED.append(shared)
    _build._cached_release = shared  # type: ignore[assignment]
    yield shared
    _build._cached_release = shared.original  # type: ignore[assignment]


@pytest.fixture(autouse=True)
def _release_sharing(request: pytest.FixtureRequest, _shared_releases: SharedReleases) -> Iterator[None]:
    """A test that changes what a release is built from (``monkeypatch``, or marked
    ``fresh_release``) gets the library's own per-object cache only, as without sharing."""
    fn = getattr(request.node, "function", None)
    own = request.node.get_closest_marker("fresh_release") is not None or (
        fn is not None and "monkeypatch" in inspect.signature(fn).parameters
    )
    _shared_releases.enabled = not own
    yield
    _shared_releases.enabled = True


# ------------------------------------------------------------------ keeping the suite fast
def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--durations-file",
        default=None,
        metavar="PATH",
        help="write the 20 slowest tests (setup + call + teardown) and the slowest modules to PATH",
    )


_DURATIONS: dict[str, float] = {}


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    # on the controller under xdist too: every worker's reports come through here
    _DURATIONS[report.nodeid] = _DURATIONS.get(report.nodeid, 0.0) + report.duration


_WORKERS: dict[str, dict[str, float]] = {}


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node: Any, error: Any) -> None:
    """xdist: a worker's CPU, memory and shared releases (sent by its pytest_sessionfinish)."""
    stats = getattr(node, "workeroutput", {}).get("suite_stats")
    if stats:
        _WORKERS[node.gateway.id] = stats


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    config = session.config
    if hasattr(config, "workerinput"):  # an xdist worker: its numbers go to the controller
        config.workeroutput["suite_stats"] = process_stats()  # type: ignore[attr-defined]
        return
    path = config.getoption("--durations-file")
    if path:  # the controller (or the only process) writes it, once
        write_durations(Path(path), _DURATIONS, _WORKERS or {"main": process_stats()})
