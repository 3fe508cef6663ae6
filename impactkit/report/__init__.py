"""Reports: the annual impact report and the municipal business case as self-contained HTML.

>>> from impactkit.report import build_report
>>> rep = build_report("data/sample", lang="nl", draws=200, generated_at="2026-11-23")
>>> rep.html.startswith("<!DOCTYPE html>"), '<html lang="nl">' in rep.html
(True, True)
"""

from impactkit.i18n import Formatter
from impactkit.report._build import (
    CONFIDENTIAL_KINDS,
    KINDS,
    RELEASE_KINDS,
    Report,
    build_report,
    check_release_kinds,
)
from impactkit.report._publish import Publisher, Value
from impactkit.report._release import Release

__all__ = [
    "CONFIDENTIAL_KINDS",
    "KINDS",
    "RELEASE_KINDS",
    "Formatter",
    "Publisher",
    "Release",
    "Report",
    "Value",
    "build_report",
    "check_release_kinds",
]
