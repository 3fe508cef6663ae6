"""The :class:`Report` that ``build_report`` returns: its HTML, tables and ways to save it
(HTML, Excel, PDF through a headless chromium), and how it shows itself in Jupyter."""

from __future__ import annotations

import html
import os
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

import pandas as pd

from impactkit import progress
from impactkit.errors import ParameterError
from impactkit.report._model import Section

__all__ = ["Report"]


class Report:
    """A rendered report: ``html``, its ``tables``, and ways to save it.

    Attributes
    ----------
    html : str
        The self-contained HTML page.
    sections : list of Section
    kind, lang : str
    inputs : list of (name, Path)
        The files and folders the report was built from; ``save``, ``to_excel`` and ``to_pdf``
        refuse to write onto or inside any of them.
    """

    def __init__(
        self,
        *,
        html: str,
        sections: list[Section],
        kind: str,
        lang: str,
        footer: dict[str, Any],
        title: str = "",
        subtitle: str = "",
        inputs: list[tuple[str, Path]] | None = None,
        selection: Any = None,
    ) -> None:
        self.selection = selection  # the families and domains the report rests on (Dataset.selection)
        self.html = html
        self.sections = sections
        self.kind = kind
        self.lang = lang
        self.footer = footer
        self.title = title
        self.subtitle = subtitle
        self.inputs = list(inputs or [])
        self.costs: Any = None  # a business case's evaluation (its live workbook is written from it)
        self.case: Any = None  # the changeable business-case page drawn on it (None: not published)

    def __repr__(self) -> str:
        n_tables = sum(len(s.tables) for s in self.sections)
        return (
            f"<Report {self.kind} ({self.lang}) {self.title!r}: {len(self.sections)} sections, "
            f"{self.n_charts} charts, {n_tables} tables, {len(self.html) / 1e6:.1f} MB HTML>"
        )

    def _check(self, path: str | Path, func: str) -> None:
        from impactkit._write import check_outputs

        check_outputs([("path", path)], self.inputs, func=f"Report.{func}")

    @property
    def tables(self) -> dict[str, pd.DataFrame]:
        """Every table of the report as published (suppressed cells hold their marker text)."""
        out: dict[str, pd.DataFrame] = {}
        for sec in self.sections:
            for t in sec.tables:
                out[t.id.removeprefix("tbl-")] = t.excel_frame()[0]
        return out

    @property
    def n_charts(self) -> int:
        """Charts on the page (a business case's changeable page, when published, also draws its
        live chart; withheld, its section is a sentence and draws nothing)."""
        live = 1 if self.case is not None else 0
        return sum(len(s.charts) for s in self.sections) + live

    def save(self, path: str | Path) -> Path:
        """Write the HTML (UTF-8) atomically, creating missing parent folders, and return the path.

        A failed write (full disk, a signal) leaves the previous file at ``path`` unchanged."""
        from impactkit._write import atomic_write

        self._check(path, "save")
        return atomic_write(Path(path), self.html)

    def _repr_html_(self) -> str:
        """A compact card in Jupyter: title, key figures and contents (``preview()`` shows the
        whole report; a notebook output then carries ~5 MB of HTML)."""
        e = html.escape
        figures = "".join(
            f"<tr><td>{e(kf.label)}</td><td style='text-align:right'><b>{e(kf.value)}</b></td>"
            f"<td>{e(kf.detail)}</td></tr>"
            for s in self.sections
            for kf in s.key_figures
        )
        contents = "".join(
            f"<li>{e(s.title)} <span style='color:#666'>({len(s.tables)} tables, {len(s.charts)} charts)</span></li>"
            for s in self.sections
        )
        return (
            f"<div class='impactkit-report' title='impactkit report'><p><b>{e(self.title)}</b><br>"
            f"<span style='color:#555'>{e(self.subtitle)}</span></p>"
            f"<table>{figures}</table><ol>{contents}</ol>"
            f"<p style='font-size:smaller;color:#555'>{e(self.kind)} report ({e(self.lang)}), "
            f"{len(self.html) / 1e6:.1f} MB of self-contained HTML: <code>report.save(path)</code>, "
            "<code>report.to_excel(path)</code>, <code>report.preview()</code> to read it here.</p></div>"
        )

    def preview(self, height: int = 720) -> _Preview:
        """The whole report in a sandboxed frame, for a notebook (``display(report.preview())``)."""
        return _Preview(self.html, height)

    def to_excel(self, path: str | Path) -> Path:
        """One sheet per section (numbers as numbers, with formats) and a sheet of assumptions and method."""
        from impactkit.report._excel import write_excel

        if self.kind == "casework":
            raise ParameterError(
                "The casework view has no spreadsheet: its tables are one family's data, and a workbook is too "
                "easily forwarded. Save the HTML (or print it to PDF) for the conversation with the family."
            )
        self._check(path, "to_excel")
        return write_excel(self, Path(path))

    def to_pdf(self, path: str | Path, *, chromium: str | None = None) -> Path:
        """Print the report to an A4 PDF with a headless chromium (found on PATH or ``$IMPACTKIT_CHROMIUM``)."""
        exe = (
            chromium
            or os.environ.get("IMPACTKIT_CHROMIUM")
            or next(
                (
                    p
                    for p in (shutil.which(n) for n in ("chromium", "chromium-browser", "google-chrome"))
                    if p
                ),
                None,
            )
        )
        if exe is None:
            raise ParameterError(
                "to_pdf needs chromium: install it (apt-get install chromium) or set IMPACTKIT_CHROMIUM."
            )
        from impactkit._write import atomic_write

        self._check(path, "to_pdf")
        target = Path(path)
        with tempfile.TemporaryDirectory() as tmp:
            out = Path(tmp) / "report.pdf"
            src = Path(tmp) / "report.html"
            src.write_text(self.html, encoding="utf-8")
            cmd = [
                exe,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--no-first-run",
                "--disable-sync",
                "--no-pdf-header-footer",
                "--run-all-compositor-stages-before-draw",
                "--virtual-time-budget=15000",
                f"--user-data-dir={tmp}/profile",
                f"--print-to-pdf={out}",
                src.as_uri(),
            ]
            with progress.step("pdf"):
                proc = subprocess.run(cmd, capture_output=True, text=True, timeout=180, check=False)
            if proc.returncode != 0 or not out.is_file():
                raise ParameterError(
                    f"chromium could not print the PDF (exit {proc.returncode}): {proc.stderr[-500:]}"
                )
            return atomic_write(target, out.read_bytes())


class _Preview:
    """The report as an iframe (``srcdoc``), rendered by Jupyter."""

    def __init__(self, page: str, height: int) -> None:
        self._page, self._height = page, height

    def _repr_html_(self) -> str:
        doc = html.escape(self._page, quote=True)
        return (
            f'<iframe srcdoc="{doc}" style="width:100%;height:{self._height}px;border:1px solid #ccc" '
            'sandbox="allow-scripts" title="impactkit report"></iframe>'
        )
