"""summary() returns a compact object that prints and renders; result objects have a bounded repr."""

from __future__ import annotations

import impactkit as ik
from impactkit._summary import Summary
from tests.conftest import SAMPLE, TODAY


def test_summary_is_compact_text_and_html():
    """Reliable change has one row per family × domain (2,223 here); its summary used to print them
    all (2,231 lines). Now: the shares per category and domain, 20 rows at most, and the notes."""
    a = ik.read_dataset(SAMPLE, today=TODAY).assessments
    rc = ik.reliable_change(a)
    s = rc.summary()
    assert isinstance(s, Summary)
    assert isinstance(s, str)  # prints, `in` and `startswith` work as before
    assert s.startswith("Reliable change")
    assert len(s.splitlines()) < 40
    assert f"the result has {len(rc):,} rows" in s
    assert set(s.table.columns) == {"domain", "category", "n", "share"}
    html = s._repr_html_()
    assert "<table" in html
    assert "Jacobson-Truax RCI" in html
    assert len(str(ik.change(a).summary()).splitlines()) < 40
    att = ik.measures.attrition(a)
    assert repr(att) == str(att.summary())
    assert len(repr(att).splitlines()) < 120
    assert len(repr(rc).splitlines()) < 30  # pandas' repr, bounded
