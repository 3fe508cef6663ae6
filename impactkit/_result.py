"""Result tables: a tidy :class:`pandas.DataFrame` that also renders and plots itself.

A :class:`ResultFrame` *is* a DataFrame (one row per estimate, snake_case columns), so everything a
researcher does with pandas works; derived frames (slices, ``merge``...) are plain DataFrames.
On top it carries ``meta`` (method notes, options used) and offers ``summary()``, ``figure()`` and
an HTML representation with the notes under the table.  Presentation lives in subclasses'
``figure``; computation never happens here.
"""

from __future__ import annotations

from html import escape
from typing import Any, ClassVar

import pandas as pd

from impactkit._summary import MAX_ROWS, Summary

__all__ = ["ResultFrame"]


class ResultFrame(pd.DataFrame):
    """A tidy result table with method notes (``meta``), ``summary()`` and ``figure()``.

    Subclasses set ``_title`` and override :meth:`figure`.
    """

    _metadata: ClassVar[list[str]] = ["_ik_meta"]
    _title = "impactkit result"

    def __init__(
        self, data: Any = None, *args: Any, meta: dict[str, Any] | None = None, **kwargs: Any
    ) -> None:
        # pandas-stubs declares DataFrame's constructor as __new__, so __init__ looks like object's
        super().__init__(data, *args, **kwargs)  # type: ignore[call-arg]
        object.__setattr__(self, "_ik_meta", dict(meta or {}))

    @property
    def _constructor(self) -> type[pd.DataFrame]:  # derived frames are plain DataFrames
        return pd.DataFrame

    @property
    def meta(self) -> dict[str, Any]:
        """Options used and method notes (e.g. ``{"adjust": "holm", "notes": [...]}``)."""
        return getattr(self, "_ik_meta", {})

    @property
    def notes(self) -> list[str]:
        return list(self.meta.get("notes", []))

    def to_frame(self) -> pd.DataFrame:
        """The table as a plain DataFrame."""
        return pd.DataFrame(self, copy=True)

    def summary(self, *, max_rows: int = MAX_ROWS) -> Summary:
        """A compact summary: title, the table (at most ``max_rows`` rows; long results show
        their :meth:`summary_frame`) and the method notes; prints as text, renders as HTML."""
        table = self.summary_frame()
        return Summary(self._title, table, self.notes, n_rows=len(self), max_rows=max_rows)

    def summary_frame(self) -> pd.DataFrame:
        """The table ``summary()`` shows (subclasses with one row per family give an aggregate)."""
        return pd.DataFrame(self)

    def __repr__(self) -> str:  # pandas' repr, bounded like summary()
        with pd.option_context("display.max_rows", MAX_ROWS, "display.max_columns", 12, "display.width", 120):
            return super().__repr__()

    def figure(self, **kwargs: Any) -> Any:
        """A plotly Figure of this result (returned, never shown)."""
        raise NotImplementedError(f"{type(self).__name__} has no figure")

    def _repr_html_(self) -> str:
        table = pd.DataFrame(self).to_html(index=False, float_format=lambda x: f"{x:.4g}", na_rep="–")
        notes = "".join(f"<li>{escape(n)}</li>" for n in self.notes)
        return (
            f"<div class='impactkit-result'><p><strong>{escape(self._title)}</strong></p>{table}"
            + (f"<ul style='font-size:smaller'>{notes}</ul>" if notes else "")
            + "</div>"
        )
