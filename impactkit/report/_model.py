"""The parts a report is made of: sections holding paragraphs, key figures, tables and charts.

Everything a template prints is already a string here: a :class:`Table` is built from a numeric
frame, a column spec and (optionally) a suppression status, and formats every cell in Python.  The
numeric frame is kept for the Excel export (numbers stay numbers, suppressed cells carry their
marker).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from impactkit.errors import ParameterError
from impactkit.i18n import MISSING, Formatter
from impactkit.report._suppress import PUBLISHED, marker

__all__ = ["KINDS", "Cell", "Chart", "Column", "KeyFigure", "Section", "Table"]

# kind -> (HTML formatter, spreadsheet column type of impactkit.excel)
KINDS: dict[str, tuple[Callable[[Formatter, Any], str], str]] = {
    "text": (lambda f, v: MISSING if v is None or v != v else str(v), "text"),
    "count": (lambda f, v: f.integer(v), "count"),
    "number1": (lambda f, v: f.number(v, 1), "number"),
    "number2": (lambda f, v: f.number(v, 2), "score"),
    "number3": (lambda f, v: f.number(v, 3), "statistic"),
    "general": (lambda f, v: f.general(v), "number"),
    "signed2": (lambda f, v: f.signed(v, 2), "estimate"),
    "signed0": (lambda f, v: f.signed(v, 0), "estimate"),
    "money": (lambda f, v: f.currency(v), "money"),
    "share": (lambda f, v: f.percent(v), "share"),
    "share1": (lambda f, v: f.percent(v, 1), "share"),
    "probability": (lambda f, v: f.probability(v), "probability"),
    "p": (lambda f, v: f.p_value(v), "p_value"),
    "months": (lambda f, v: f.months(v), "months"),
}


@dataclass(frozen=True)
class Column:
    """A table column: the frame column(s) it shows, its header and its kind.

    ``key`` may be a pair ``(low, high)``: the HTML shows one interval column, Excel two columns.
    """

    key: str | tuple[str, str]
    label: str
    kind: str = "text"

    def __post_init__(self) -> None:
        base = self.kind.removeprefix("ci:")
        if base not in KINDS:
            raise ParameterError(f"Unknown column kind {self.kind!r}; expected one of {sorted(KINDS)}.")


@dataclass(frozen=True)
class Cell:
    text: str
    numeric: bool = False
    status: str = PUBLISHED

    @property
    def css(self) -> str:
        return " ".join(c for c in ("num" if self.numeric else "", "suppressed" if self.status else "") if c)


@dataclass
class Table:
    """A formatted table with its numeric source (for Excel).

    Build with :meth:`build`.
    """

    id: str
    caption: str
    header: list[str]
    rows: list[list[Cell]]
    frame: pd.DataFrame
    columns: list[Column]
    status: pd.DataFrame | None
    k: int
    notes: list[str] = field(default_factory=list)
    sheet: str = ""
    kind: str = "table"
    bounds: tuple[str, str] = ("low", "high")  # words for an interval's two spreadsheet columns
    excel: tuple[pd.DataFrame, dict[str, Any]] | None = None  # a spreadsheet form of its own

    @classmethod
    def build(
        cls,
        id: str,
        caption: str,
        frame: pd.DataFrame,
        columns: Sequence[Column],
        fmt: Formatter,
        *,
        status: pd.DataFrame | None = None,
        k: int = 10,
        notes: Sequence[str] = (),
        sheet: str = "",
    ) -> Table:
        frame = frame.reset_index(drop=True)
        if status is not None:
            status = status.reset_index(drop=True)
        rows: list[list[Cell]] = []
        for i in range(len(frame)):
            row: list[Cell] = []
            for col in columns:
                keys = col.key if isinstance(col.key, tuple) else (col.key,)
                st = next((status.at[i, k_] for k_ in keys if status is not None and status.at[i, k_]), "")
                numeric = col.kind != "text"
                if st:
                    row.append(Cell(marker(str(st), k), numeric, str(st)))
                    continue
                kind = col.kind.removeprefix("ci:")
                f = KINDS[kind][0]
                if isinstance(col.key, tuple):
                    lo, hi = (frame.at[i, k_] for k_ in col.key)
                    text = fmt.ci(lo, hi, money=kind == "money", decimals=2 if kind != "number1" else 1)
                else:
                    text = f(fmt, frame.at[i, col.key])
                row.append(Cell(text, numeric))
            rows.append(row)
        any_suppressed = status is not None and bool((status != PUBLISHED).to_numpy().any())
        notes = list(notes)
        if any_suppressed:
            notes.append(fmt.text("suppression_note", k=k))
        return cls(
            id=id,
            caption=caption,
            header=[c.label for c in columns],
            rows=rows,
            frame=frame,
            columns=list(columns),
            status=status,
            k=k,
            notes=notes,
            sheet=sheet,
            bounds=(fmt.text("low").lower(), fmt.text("high").lower()),
        )

    @property
    def header_cells(self) -> list[Cell]:
        return [Cell(label, c.kind != "text") for label, c in zip(self.header, self.columns, strict=True)]

    def excel_frame(self) -> tuple[pd.DataFrame, dict[str, Any]]:
        """The table for a spreadsheet: numbers as numbers, suppressed cells as their marker text,
        intervals as two columns; plus the column type of each column (``impactkit.excel``)."""
        if self.excel is not None:
            return self.excel
        out: dict[str, list[Any]] = {}
        formats: dict[str, Any] = {}
        for col in self.columns:
            keys = col.key if isinstance(col.key, tuple) else (col.key,)
            labels = [col.label] if len(keys) == 1 else [f"{col.label} ({b})" for b in self.bounds]
            kind = col.kind.removeprefix("ci:")
            for key, label in zip(keys, labels, strict=True):
                values: list[Any] = []
                for i in range(len(self.frame)):
                    st = str(self.status.at[i, key]) if self.status is not None else ""
                    v: Any = self.frame.at[i, key]
                    if st:
                        values.append(marker(st, self.k))
                    elif kind == "text":
                        values.append(None if v is None or pd.isna(v) else str(v))
                    else:
                        values.append(None if v is None or pd.isna(v) else float(v))
                out[label] = values
                # an interval's bounds are estimates (signed, three decimals), whatever the point's kind
                numeric_bound = len(keys) == 2 and kind not in ("money", "text")
                formats[label] = "estimate" if numeric_bound else KINDS[kind][1]
        return pd.DataFrame(out), formats


@dataclass
class Chart:
    """A chart: its plotly figure, a caption stating the finding, and its numbers as a table."""

    id: str
    title: str
    caption: str
    figure: Any
    table: Table
    kind: str = "chart"


@dataclass(frozen=True)
class KeyFigure:
    """One headline number with its label (and an optional qualifier such as an interval).

    ``value`` is the text shown; ``number`` and ``kind`` keep the number for the spreadsheet.
    """

    value: str
    label: str
    detail: str = ""
    number: float | None = None
    kind: str = "text"

    @classmethod
    def of(cls, fmt: Formatter, number: Any, kind: str, label: str, detail: str = "") -> KeyFigure:
        """Format ``number`` as a ``kind`` of :data:`KINDS` and keep it."""
        value = None if number is None or pd.isna(number) else float(number)
        return cls(KINDS[kind][0](fmt, number), label, detail, value, kind)


@dataclass
class Section:
    id: str
    title: str
    paragraphs: list[str] = field(default_factory=list)
    blocks: list[Table | Chart] = field(default_factory=list)
    key_figures: list[KeyFigure] = field(default_factory=list)
    lists: list[tuple[str, list[str]]] = field(default_factory=list)  # (lead sentence, items)
    after: list[str] = field(default_factory=list)  # paragraphs after the lists
    appendix: bool = False

    @property
    def tables(self) -> list[Table]:
        return [b.table if isinstance(b, Chart) else b for b in self.blocks]

    @property
    def charts(self) -> list[Chart]:
        return [b for b in self.blocks if isinstance(b, Chart)]
