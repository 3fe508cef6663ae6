"""Bounds of hidden shares that the published figures imply (issue 12 item 5, report/_bounds.py).

Reference: hand calculations written out below, on hand-built ledgers decided by the real
:func:`impactkit.privacy.protect` (41 families, 34 improved, 7 unchanged, nobody worse).  The
linear-programming check against a second solver (scipy linprog over the whole release) is in
tests/corpus/test_corpus.py, on the Samen Oplopen release the corpus test builds anyway.
"""

from __future__ import annotations

from types import SimpleNamespace

import pandas as pd
import pytest
from _report_data import sample

from impactkit.i18n import Formatter
from impactkit.privacy import PRIMARY, SECONDARY, Ledger, protect
from impactkit.report._bounds import ShareBound, bound_text, share_bound
from impactkit.report._change import _shares
from impactkit.report._publish import PublishedFormatter, Publisher

COST = {"improved": 8.0, "unchanged": 1.0, "worse": 4.0, "not_improved": 3.0, "not_worse": 2.0}


def _release(n: int, n_unchanged: int, lang: str = "en") -> tuple[Publisher, dict[str, object]]:
    """One domain of ``n`` pairs: ``n - n_unchanged`` improved, ``n_unchanged`` unchanged, none
    worse, with the five parts of the shares chart, protected at k = 10."""
    fam = [f"F{i}" for i in range(n)]
    led = Ledger(fam)
    pub = Publisher(led, "funder", 10, Formatter(lang))
    pairs = pub.count(("pairs",), fam, cost=20.0, dim="pairs")
    up, same = fam[: n - n_unchanged], fam[n - n_unchanged :]
    members = {"improved": up, "unchanged": same, "worse": [], "not_improved": same, "not_worse": fam}
    cnt = {
        p: pub.count(("change", p), m, dim="moved" if p in ("improved", "unchanged", "worse") else "", cost=COST[p])
        for p, m in members.items()
    }  # fmt: skip
    audit = protect(led, k=10, atoms=False, withhold=True)
    assert audit.ok
    out = Publisher(led, "funder", 10, Formatter(lang), protected=True, ranges=audit.count_range)
    row: dict[str, object] = {"domain": "housing", "label": "Housing" if lang == "en" else "Wonen"}
    row |= {"baseline": "intake", "followup": "y1", "n": pairs}
    for p, v in cnt.items():
        row[f"n_{p}"] = v
        row[f"share_{p}"] = v / pairs
    return out, row


def test_the_hand_calculation_41_families() -> None:
    """41 pairs, "unchanged" marked <10 (so 1 to 9 families), "worse" published as 0: improved is
    hidden (it is 41 - unchanged), yet it is at least 41 - 9 = 32 families = 78.05%, printed 78%
    (rounded down), and at most 41 - 1 = 40 = 97.56%, printed 98% (rounded up)."""
    pub, row = _release(41, 7)
    assert pub.status(row["n_improved"]) == SECONDARY
    assert pub.status(row["n_unchanged"]) == PRIMARY
    assert pub.shown(row["n_worse"], row["n_not_worse"], row["n"])
    b = share_bound(pub, row["n_improved"], row["n"])
    assert b == ShareBound(n_low=32, n_high=40, n=41)
    assert (b.low, b.high) == (0.78, 0.98)
    assert bound_text(Formatter("en"), b) == "≥ 78%"
    assert bound_text(Formatter("nl"), b) == "≥ 78%"


def test_a_lower_bound_rounds_down_and_an_upper_bound_up() -> None:
    """39 pairs: improved >= 39 - 9 = 30 = 76.92%: nearest rounding would print 77%, more than is
    implied; the bound prints 76%.  At most 38 = 97.44%: nearest 97%, the bound 98%."""
    pub, row = _release(39, 5)
    b = share_bound(pub, row["n_improved"], row["n"])
    assert b is not None
    assert (b.n_low, b.n_high) == (30, 38)
    assert (b.low, b.high) == (0.76, 0.98)


def test_only_a_cell_hidden_for_another_one_gets_a_bound() -> None:
    """Primary (already "<10"), published and withheld cells get none; nor does a bound that says
    0% to 100%."""
    pub, row = _release(41, 7)
    assert share_bound(pub, row["n_unchanged"], row["n"]) is None  # primary
    assert share_bound(pub, row["n_not_worse"], row["n"]) is None  # published
    assert share_bound(pub, row["n_improved"], row["n_improved"]) is None  # a hidden whole
    fam = [f"F{i}" for i in range(30)]
    led = Ledger(fam)
    p = Publisher(led, "funder", 10, Formatter("en"))
    whole, part = p.count("all", fam), p.count("part", fam[:15])
    led["funder/part"].status = SECONDARY
    wide = Publisher(led, "funder", 10, Formatter("en"), protected=True, ranges=lambda key: (0.0, 30.0))
    assert share_bound(wide, part, whole) is None
    unprotected = Publisher(
        led, "funder", 10, Formatter("en"), protected=False, ranges=lambda key: (20.0, 30.0)
    )
    assert share_bound(unprotected, part, whole) is None


def _ctx(lang: str, pub: Publisher) -> SimpleNamespace:
    return SimpleNamespace(
        pub=pub, fmt=PublishedFormatter(pub), instrument=sample().instrument, lang=lang, k=10,
        wave=lambda w: {"intake": "Intake", "y1": "Year 1" if lang == "en" else "Jaar 1"}[w],
        t=PublishedFormatter(pub).text, collecting=False,
    )  # fmt: skip


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_the_shares_chart_table_and_caption_show_the_bound(lang: str) -> None:
    """The chart draws improved up to 78% ("≥ 78%") and the rest of "not worse" (22%) hatched;
    the table and its spreadsheet form print "≥ 78%" with a note; the caption says "at least 78% of
    the 41 families"."""
    pub, row = _release(41, 7, lang)
    chart = _shares(_ctx(lang, pub), pd.DataFrame([row]))  # type: ignore[arg-type]
    at_least = {
        "en": "In Housing, at least 78% of the 41 families",
        "nl": "Op Wonen scoorde minstens 78% van de 41 gezinnen",
    }
    assert chart.caption.startswith(at_least[lang]), chart.caption
    bars = {tr.name: tr for tr in chart.figure.data if tr.type == "bar"}
    f = Formatter(lang)
    up = bars[f.text_of("figures", "part_improved")]
    assert list(up.x) == [0.78]
    assert list(up.text) == ["≥ 78%"]
    assert "98%" in up.hovertext[0]  # the upper bound, in the hover
    rest = bars[f.text_of("figures", "part_not_worse")]
    assert list(rest.x) == [pytest.approx(0.22)]
    assert list(rest.text) == [""]
    table = chart.table
    header = table.header.index(f.text("improved"))
    assert table.rows[0][header].text == "≥ 78%"
    excel, _ = table.excel_frame()
    assert excel.iat[0, header] == "≥ 78%"
    assert f.text("shares_bound_note") in table.notes


def test_the_reliable_change_chart_draws_a_bound() -> None:
    """A suppressed category with a published lower bound is drawn up to it, labelled "≥ 92%",
    both bounds in the hover; the other categories as published."""
    from impactkit import figures

    cats = ["recovered", "improved", "unchanged", "deteriorated"]
    table = pd.DataFrame(
        {
            "domain": "housing",
            "category": pd.Categorical(cats, categories=cats),
            "share": [float("nan"), 0.0, float("nan"), 0.0],
            "share_low": [float("nan"), float("nan"), 0.92, float("nan")],
            "share_high": [float("nan"), float("nan"), 0.99, float("nan")],
        }
    )
    fig = figures.rci_categories(table, lang="en", instrument=sample().instrument, k=10, title="")
    bars = {tr.name: tr for tr in fig.data if tr.type == "bar"}
    same = bars["No reliable change"]
    assert list(same.x) == [0.92]
    assert list(same.text) == ["≥ 92%"]
    assert "at least 92%, at most 99%" in same.hovertext[0]
    assert list(bars["Recovered"].x) == [None]  # suppressed, no bound: a gap
