"""Report.n_charts counts the charts the page draws (the business case's live chart only when
its changeable page is published)."""

from __future__ import annotations

from impactkit.report._model import Section
from impactkit.report._report import Report


def _report(case: object) -> Report:
    rep = Report(html="", sections=[Section("case", "Change the case", ["not published"])], kind="business-case",
                 lang="en", footer={})  # fmt: skip
    rep.case = case
    return rep


def test_a_withheld_case_page_draws_no_live_chart():
    assert _report(None).n_charts == 0  # the section is a sentence (before: 1, from its id)
    assert _report(object()).n_charts == 1
