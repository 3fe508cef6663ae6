"""What ``summary()`` returns: a compact text (at most ``max_rows`` table rows) that also renders
as HTML in Jupyter.

A :class:`Summary` *is* a ``str`` (so ``print``, ``in`` and ``startswith`` work as before), with
the title, the compact table and the method notes kept as attributes.  A long result (reliable
change has one row per family × domain) is summarised by its ``summary_frame`` (e.g. the shares
per category) or shown as its first and last rows with the number left out.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

import pandas as pd

__all__ = ["MAX_ROWS", "Summary"]

MAX_ROWS = 20


def _text_table(table: pd.DataFrame, max_rows: int) -> str:
    with pd.option_context("display.precision", 3, "display.width", 100, "display.max_colwidth", 40):
        return table.to_string(index=False, max_rows=max_rows, max_cols=12, line_width=100)


class Summary(str):
    """A compact, printable and renderable summary of a result."""

    heading: str
    table: pd.DataFrame | None
    notes: list[str]
    n_rows: int
    _body: str
    _max_rows: int

    def __new__(
        cls,
        title: str,
        table: pd.DataFrame | None = None,
        notes: Sequence[str] = (),
        *,
        body: str = "",
        n_rows: int | None = None,
        max_rows: int = MAX_ROWS,
    ) -> Summary:
        parts = [title]
        if body:
            parts.append(body)
        if table is not None:
            parts.append(_text_table(pd.DataFrame(table), max_rows))
            total = len(table) if n_rows is None else n_rows
            shown = min(len(table), max_rows)
            if total != len(table):
                parts.append(f"(the result has {total:,} rows; this summary {len(table):,}, {shown} shown)")
            elif total > shown:
                parts.append(f"({total:,} rows; {shown} shown)")
        if notes:
            parts.append("Notes\n" + "\n".join(f"- {n}" for n in notes))
        obj = super().__new__(cls, "\n\n".join(parts))
        obj.heading, obj.table, obj.notes = title, table, list(notes)
        obj.n_rows = len(table) if table is not None and n_rows is None else int(n_rows or 0)
        obj._body, obj._max_rows = body, max_rows
        return obj

    def __repr__(self) -> str:
        return str(self)

    def _repr_html_(self) -> str:
        html = f"<div class='impactkit-summary'><p><strong>{escape(self.heading)}</strong></p>"
        if self._body:
            html += f"<pre>{escape(self._body)}</pre>"
        if self.table is not None:
            html += pd.DataFrame(self.table).to_html(
                index=False, max_rows=self._max_rows, float_format=lambda x: f"{x:.4g}", na_rep="–"
            )
        if self.notes:
            html += (
                "<ul style='font-size:smaller'>"
                + "".join(f"<li>{escape(n)}</li>" for n in self.notes)
                + "</ul>"
            )
        return html + "</div>"
