"""The library's progress hook: steps tell an observer, nothing happens without one."""

from __future__ import annotations

import impactkit as ik
from impactkit import progress


def test_without_an_observer_a_step_is_silent_and_runs_its_block():
    ran = []
    with progress.step("psa", total=3) as s:
        s.advance(3)
        ran.append(s.done)
    assert ran == [3]


def test_events_arrive_in_order_with_nesting_depth():
    seen: list[progress.Event] = []
    with progress.observe(seen.append), progress.step("costs"), progress.step("psa", total=10) as s:
        s.advance(4, detail="half")
        s.advance(6)
    assert [(e.kind, e.step, e.depth, e.done) for e in seen] == [
        ("start", "costs", 0, 0),
        ("start", "psa", 1, 0),
        ("advance", "psa", 1, 4),
        ("advance", "psa", 1, 10),
        ("end", "psa", 1, 10),
        ("end", "costs", 0, 0),
    ]
    assert seen[2].detail == "half"
    assert seen[2].total == 10


def test_an_exception_still_ends_the_step():
    seen: list[progress.Event] = []
    try:
        with progress.observe(seen.append), progress.step("read"):
            raise ValueError("boom")
    except ValueError:
        pass
    assert [e.kind for e in seen] == ["start", "end"]


def test_the_library_reports_its_long_steps(sample_dir):
    """Reading each table, the cost evaluation, the PSA and the report's sections and rendering."""
    seen: list[progress.Event] = []
    with progress.observe(seen.append):
        ds = ik.read_dataset(sample_dir, today="2026-11-01")
        ik.build_report(ds, draws=50, generated_at="2026-11-01")
    started = [(e.step, e.detail) for e in seen if e.kind == "start"]
    assert ("read", "assessments.csv") in started
    assert ("read", "families.csv") in started
    steps = [s for s, _ in started]
    for name in ("costs", "psa", "tornado", "sections", "render"):
        assert name in steps
    psa_end = next(e for e in seen if e.step == "psa" and e.kind == "end")
    assert (psa_end.done, psa_end.total) == (50, 50)
