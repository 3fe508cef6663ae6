"""The release's lean collecting pass declares exactly the ledger of the full one.

``Release.lean`` (the default) skips in the collecting pass what only reaches the page: formatting
tables, building the business case's page.  The reference is the same pass with everything
rendered (``lean = False``, the path before the lean pass existed): same populations in the same
order, with the same members, statistics, dimensions, costs, labels and bases, and the same
declared statistics and figures.  Both ledgers are taken before protection (``weigh`` is the
first step after the collecting pass), so the test costs two collecting passes, not two audits.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

import impactkit.report._release as release_module
from impactkit.io import read_dataset
from impactkit.report import Release


class _Collected(Exception):
    """Raised in place of ``weigh``: carries the ledger the collecting pass declared."""


def _ledger_rows(ledger: Any) -> list[tuple[Any, ...]]:
    return [
        (p.key, np.asarray(p.members).tolist(), tuple(p.stats), p.dim, p.cost, p.label, p.scope, p.base)
        for p in ledger
    ]


def _statistics(ledger: Any) -> dict[str, Any]:
    return {
        "values": {  # NaN (no value) as None: NaN != NaN
            name: [None if np.isnan(x) else x for x in np.asarray(v, float).tolist()]
            for name, v in ledger._values.items()
        },
        "bounds": dict(ledger._bounds),
        "support": dict(ledger._support),
        "figures": {name: dict(w) for name, w in ledger._figures.items()},
    }


def _collect(monkeypatch: pytest.MonkeyPatch, ds: Any, *, lean: bool) -> Any:
    def stop(ledger: Any) -> None:
        raise _Collected(ledger)

    class Reference(Release):
        pass

    Reference.lean = lean
    monkeypatch.setattr(release_module, "weigh", stop)
    with pytest.raises(_Collected) as got:
        Reference(ds, draws=0)
    monkeypatch.undo()
    return got.value.args[0]


def test_lean_collecting_pass_declares_the_full_passes_ledger(monkeypatch: pytest.MonkeyPatch) -> None:
    ds = read_dataset("data/sample", today="2026-11-01")
    full = _collect(monkeypatch, ds, lean=False)
    lean = _collect(monkeypatch, ds, lean=True)
    assert len(full) > 1000  # every report of the sample's release: annual and business case
    assert {p.key.split("/", 1)[0] for p in full} >= {"funder", "municipality:Ede"}
    assert _ledger_rows(lean) == _ledger_rows(full)
    assert _statistics(lean) == _statistics(full)


def test_lean_collecting_pass_still_checks_table_cells() -> None:
    """A bare number in a numeric column is refused in the collecting pass too."""
    import pandas as pd

    from impactkit.i18n import Formatter
    from impactkit.privacy import Ledger
    from impactkit.report._model import CollectingFormatter, Column, Table
    from impactkit.report._publish import Publisher

    pub = Publisher(Ledger(["a"]), "funder", 10, Formatter("en"))
    fmt = CollectingFormatter(pub)
    frame = pd.DataFrame({"label": ["x"], "n": [pub.const(3)]})
    table = Table.build("t", "T", frame, [Column("label", "L"), Column("n", "N", "count")], fmt)
    assert table.rows == []
    assert table.excel is None
    with pytest.raises(TypeError, match="published Value"):
        Table.build("t", "T", frame.assign(n=[3]), [Column("label", "L"), Column("n", "N", "count")], fmt)
    with pytest.raises(TypeError, match="is text but holds a Value"):
        Table.build("t", "T", frame.assign(label=[pub.const(1)]), [Column("label", "L")], fmt)
