"""The parts a report is made of: sections holding paragraphs, key figures, tables and charts.

Everything a template prints is already a string here.  A :class:`Table` is built from a frame
whose numeric cells are published :class:`~impactkit.report._publish.Value` objects and formats
every cell through the report's :class:`~impactkit.report._publish.PublishedFormatter`, so a
suppressed value can only ever print as its marker.  The spreadsheet form keeps the numbers as the
report prints them (rounded, suppressed cells as their marker); the unrounded numbers are not kept.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from impactkit.errors import ParameterError
from impactkit.i18n import MISSING
from impactkit.report._publish import PUBLISHED, PublishedFormatter, Value, marker

__all__ = [
    "KINDS",
    "UNDRAWN",
    "Cell",
    "Chart",
    "CollectingFormatter",
    "Column",
    "KeyFigure",
    "Section",
    "Table",
]

# kind -> (HTML formatter of a Value, spreadsheet column type of impactkit.excel)
KINDS: dict[str, tuple[Callable[[PublishedFormatter, Any], str], str]] = {
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


def _unique(label: str, taken: dict[str, Any]) -> str:
    """``label``, or ``label (2)``, ``label (3)``... when a column of the sheet already has it."""
    out, i = label, 2
    while out in taken:
        out, i = f"{label} ({i})", i + 1
    return out


def _check_cells(id: str, frame: pd.DataFrame, columns: Sequence[Column]) -> None:
    """The checks :meth:`Table.build` makes of every cell, without formatting any."""
    for col in columns:
        for key_ in col.key if isinstance(col.key, tuple) else (col.key,):
            values = frame[key_].tolist() if len(frame) else []
            if col.kind == "text":
                if any(isinstance(v, Value) for v in values):
                    raise TypeError(f"Table {id}: column {col.key!r} is text but holds a Value.")
                continue
            for v in values:
                _value(v, f"Table {id}, column {key_!r}")


def _value(v: Any, where: str) -> Value:
    if not isinstance(v, Value):
        raise TypeError(
            f"{where}: a numeric cell must be a published Value (pub.count / pub.on / pub.derived / "
            f"pub.const), got {type(v).__name__}."
        )
    return v


class CollectingFormatter(PublishedFormatter):
    """The formatter of the release's collecting pass (:class:`~impactkit.report.Release`), which
    declares populations and renders nothing: its sections are thrown away.  A :class:`Table`
    built with it checks its cells (every numeric cell a published Value) and formats none of
    them (the sample's collecting pass formatted 250 tables, 9,000 numbers, that no one saw)."""


@dataclass
class Table:
    """A formatted table and its spreadsheet form.  Build with :meth:`build`.

    Built with a :class:`CollectingFormatter`, it has no rows and no spreadsheet form."""

    id: str
    caption: str
    header: list[str]
    rows: list[list[Cell]]
    columns: list[Column]
    k: int
    notes: list[str] = field(default_factory=list)
    sheet: str = ""
    kind: str = "table"
    excel: tuple[pd.DataFrame, dict[str, Any]] | None = None  # the spreadsheet form
    n_suppressed: int = 0

    @classmethod
    def build(
        cls,
        id: str,
        caption: str,
        frame: pd.DataFrame,
        columns: Sequence[Column],
        fmt: PublishedFormatter,
        *,
        k: int = 10,
        notes: Sequence[str] = (),
        sheet: str = "",
    ) -> Table:
        pub = fmt.pub
        frame = frame.reset_index(drop=True)
        if isinstance(fmt, CollectingFormatter):
            _check_cells(id, frame, columns)
            return cls(id=id, caption=caption, header=[c.label for c in columns], rows=[], columns=list(columns),
                       k=k, notes=list(notes), sheet=sheet)  # fmt: skip
        rows: list[list[Cell]] = []
        hidden = 0
        bounds = (fmt.base.text("low").lower(), fmt.base.text("high").lower())
        out: dict[str, list[Any]] = {}
        formats: dict[str, Any] = {}
        names: list[list[str]] = []  # each column's spreadsheet headers, unique in the sheet
        for col in columns:
            keys = col.key if isinstance(col.key, tuple) else (col.key,)
            labels = [col.label] if len(keys) == 1 else [f"{col.label} ({b})" for b in bounds]
            labels = [_unique(label, out) for label in labels]
            names.append(labels)
            kind = col.kind.removeprefix("ci:")
            for label in labels:
                out[label] = []
            # an interval's bounds are estimates (signed, three decimals), whatever the point's kind
            numeric_bound = len(keys) == 2 and kind not in ("money", "text")
            for label in labels:
                formats[label] = "estimate" if numeric_bound else KINDS[kind][1]
        for i in range(len(frame)):
            row: list[Cell] = []
            for col, labels in zip(columns, names, strict=True):
                keys = col.key if isinstance(col.key, tuple) else (col.key,)
                kind = col.kind.removeprefix("ci:")
                if col.kind == "text":
                    v: Any = frame.at[i, col.key]
                    if isinstance(v, Value):
                        raise TypeError(f"Table {id}: column {col.key!r} is text but holds a Value.")
                    row.append(Cell(KINDS["text"][0](fmt, v)))
                    out[labels[0]].append(None if v is None or pd.isna(v) else str(v))
                    continue
                vals: list[Any] = [_value(frame.at[i, key_], f"Table {id}, column {key_!r}") for key_ in keys]
                st = pub.status(*vals)
                if st:
                    hidden += 1
                    row.append(Cell(marker(st, k), True, st))
                    for label in labels:
                        out[label].append(marker(st, k))
                    continue
                if len(vals) == 2:
                    text = fmt.ci(
                        vals[0], vals[1], money=kind == "money", decimals=2 if kind != "number1" else 1
                    )
                else:
                    text = KINDS[kind][0](fmt, vals[0])
                row.append(Cell(text, True))
                for label, val in zip(labels, vals, strict=True):
                    x = pub.number(val, "signed2" if len(vals) == 2 and kind != "money" else kind)
                    out[label].append(None if pd.isna(x) else x)
            rows.append(row)
        notes = list(notes)
        if hidden:
            notes.append(fmt.base.text("suppression_note", k=k))
        return cls(
            id=id,
            caption=caption,
            header=[c.label for c in columns],
            rows=rows,
            columns=list(columns),
            k=k,
            notes=notes,
            sheet=sheet,
            excel=(pd.DataFrame(out, columns=list(out)), formats),
            n_suppressed=hidden,
        )

    @classmethod
    def confidential(
        cls, id: str, caption: str, frame: pd.DataFrame, columns: Sequence[Column], fmt: Any, **options: Any
    ) -> Table:
        """A table of the coordinator's confidential view (``casework``: never part of a release,
        refused by :func:`~impactkit.report.check_release_kinds`): its numbers as they are, each a
        constant of a publisher that declares nothing."""
        from impactkit.privacy import Ledger
        from impactkit.report._publish import Publisher

        pub = Publisher(Ledger([]), "casework", int(options.get("k", 3)), fmt)
        out = frame.copy()
        for col in columns:
            if col.kind == "text":
                continue
            for key in col.key if isinstance(col.key, tuple) else (col.key,):
                out[key] = pub.consts(out[key])
        return cls.build(id, caption, out, columns, PublishedFormatter(pub), **options)

    @classmethod
    def stated(
        cls,
        id: str,
        caption: str,
        frame: pd.DataFrame,
        columns: Sequence[Column],
        fmt: Any,
        *,
        status: pd.DataFrame | None = None,
        **options: Any,
    ) -> Table:
        """A table of numbers already published elsewhere, with their statuses as published there
        (``status``: ``""`` / ``"primary"`` / ``"secondary"`` per cell): last year's release next
        to this year's, a period's exclusions protected on their own.  ``fmt`` is the plain
        :class:`~impactkit.i18n.Formatter`; a hidden cell keeps its marker, never its number."""
        pub = stated_publisher(fmt, int(options.get("k", 10)))
        out = frame.copy().reset_index(drop=True)
        st = status.reset_index(drop=True) if status is not None else None
        for col in columns:
            if col.kind == "text":  # a text cell hidden there shows its marker here
                if st is not None and col.key in st:
                    out[col.key] = [
                        marker(str(m), pub.k) if isinstance(m, str) and m else v
                        for v, m in zip(out[col.key], st[col.key], strict=True)
                    ]
                continue
            for key in col.key if isinstance(col.key, tuple) else (col.key,):
                marks = st[key] if st is not None and key in st else [PUBLISHED] * len(out)
                out[key] = [stated_value(pub, x, m) for x, m in zip(out[key], marks, strict=True)]  # type: ignore[assignment]
        return cls.build(id, caption, out, columns, PublishedFormatter(pub), **options)

    @property
    def header_cells(self) -> list[Cell]:
        return [Cell(label, c.kind != "text") for label, c in zip(self.header, self.columns, strict=True)]

    def excel_frame(self) -> tuple[pd.DataFrame, dict[str, Any]]:
        """The table for a spreadsheet: numbers as printed (rounded), suppressed cells as their
        marker text, intervals as two columns; plus the column type of each column
        (``impactkit.excel``)."""
        if self.excel is None:
            raise ParameterError(f"table {self.id!r} was built without its spreadsheet form")
        return self.excel


def stated_publisher(fmt: Any, k: int) -> Any:
    """A publisher of numbers whose statuses were decided elsewhere (:meth:`Table.stated`)."""
    from impactkit.privacy import PRIMARY, SECONDARY, WITHHELD, Ledger
    from impactkit.report._publish import Publisher

    led = Ledger(["-"])
    for status in (PRIMARY, SECONDARY, WITHHELD):
        led.add(f"stated/{status}", [])
        led[f"stated/{status}"].status = status
    return Publisher(led, "stated", k, fmt, protected=True)


def stated_value(pub: Any, x: Any, status: Any) -> Value:
    """``x`` with the status it was published with."""
    if status:
        return Value(x if isinstance(x, int | float) else float("nan"), {f"stated/{status}"})
    return Value(None if x is None else x)


class _Undrawn:
    """The figure of a chart in the release's collecting pass (see ``Ctx.draw``): never rendered."""

    def __repr__(self) -> str:
        return "UNDRAWN"


UNDRAWN = _Undrawn()


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

    ``value`` is the text shown; ``number`` (as published: rounded, None when suppressed) and
    ``kind`` are for the spreadsheet.  ``id`` names the figure the same in every language and
    year (``families``, ``children``, ``bcr``...): comparisons match key figures by it.
    """

    value: str
    label: str
    detail: str = ""
    number: float | None = None
    kind: str = "text"
    id: str = ""

    @classmethod
    def of(
        cls, fmt: PublishedFormatter, number: Value, kind: str, label: str, detail: str = "", *, id: str = ""
    ) -> KeyFigure:
        """Format the published ``number`` as a ``kind`` of :data:`KINDS`."""
        x = fmt.pub.number(_value(number, f"Key figure {label!r}"), kind)
        return cls(KINDS[kind][0](fmt, number), label, detail, None if pd.isna(x) else float(x), kind, id)


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
