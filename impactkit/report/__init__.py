"""Reports: the annual impact report and the municipal business case as self-contained HTML.

>>> from impactkit.report import build_report
>>> rep = build_report("data/sample", lang="nl", draws=200, generated_at="2026-11-23")
>>> rep.html.startswith("<!DOCTYPE html>"), '<html lang="nl">' in rep.html
(True, True)
"""

from impactkit.i18n import Formatter
from impactkit.report._build import KINDS, Report, build_report
from impactkit.report._suppress import Protected, protect, suppress_counts, suppress_links, suppress_rows

__all__ = [
    "KINDS",
    "Formatter",
    "Protected",
    "Report",
    "build_report",
    "protect",
    "suppress_counts",
    "suppress_links",
    "suppress_rows",
]
