"""Tables that stay legible at any width: measured first, then fitted, split or laid out as records.

Rich shrinks a table that does not fit by squeezing columns, down to nothing ("zero-width columns")
and by cutting numbers with "…".  Here every cell is formatted first, each column gets the width it
needs (numbers never wrap, text wraps at word boundaries), and a table wider than the terminal is

1. fitted by wrapping its text columns (down to their longest word),
2. else split into parts that repeat the key columns (domain, wave) and carry as many value
   columns as fit, like a printed table continued on the next page,
3. else (a very narrow terminal) laid out as records: one block per row, one line per value.

On a terminal the table has rich's box; piped (not a terminal) it is plain ASCII with a dashed
header rule, so that it reads in a file, an e-mail or ``less``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

__all__ = ["Col", "fit_widths", "print_notes", "print_table"]

PLAIN = box.Box("    \n    \n -  \n    \n    \n    \n    \n    \n", ascii=True)
MIN_TEXT = 8  # narrowest a wrapped text column gets before the table is split
COMFORT = 20  # text columns wrap to this width before numeric headers wrap


@dataclass(frozen=True)
class Col:
    """A column as shown: ``label`` (header), ``numeric`` (right-aligned, never wrapped), ``key``
    (repeated in every part of a split table)."""

    id: str
    label: str
    numeric: bool = False
    key: bool = False


def _longest_word(text: str) -> int:
    return max((len(w) for w in text.split()), default=0)


def _widths(cols: Sequence[Col], rows: Sequence[Sequence[str]]) -> tuple[list[int], list[int]]:
    """Natural and smallest width of each column."""
    natural, smallest = [], []
    for j, col in enumerate(cols):
        cells = [r[j] for r in rows]
        longest = max((len(c) for c in cells), default=0)
        head_word = _longest_word(col.label)
        if col.numeric:
            w = max(longest, head_word, 1)
            natural.append(max(w, len(col.label)) if len(col.label) <= w + 4 else w)
            smallest.append(w)
        else:
            natural.append(max(longest, len(col.label), 1))
            words = max((_longest_word(c) for c in cells), default=0)
            smallest.append(max(min(words, 20), head_word, min(longest, MIN_TEXT), 1))
    return natural, smallest


def _total(widths: Sequence[int]) -> int:
    """Width of a table with these column widths (padding 1 each side, a divider between, edges)."""
    return sum(widths) + 3 * len(widths) + 1


def fit_widths(natural: list[int], smallest: list[int], cols: Sequence[Col], width: int) -> list[int] | None:
    """Column widths that fit ``width``, or None when they cannot.

    Text columns give way first (down to ``COMFORT`` characters), then numeric headers wrap (down to
    the widest number), then text columns wrap down to their longest word.
    """
    widths = list(natural)
    floors = [
        [
            n if c.numeric else max(s, min(n, COMFORT))
            for n, s, c in zip(natural, smallest, cols, strict=True)
        ],
        [
            s if c.numeric else max(s, min(n, COMFORT))
            for n, s, c in zip(natural, smallest, cols, strict=True)
        ],
        list(smallest),
    ]
    for floor in floors:
        excess = _total(widths) - width
        while excess > 0:
            slack = [(widths[j] - floor[j], j) for j in range(len(cols)) if widths[j] > floor[j]]
            if not slack:
                break
            _, j = max(slack)
            widths[j] -= 1
            excess -= 1
        if excess <= 0:
            return widths
    return None


def _table(cols: Sequence[Col], rows: Sequence[Sequence[str]], widths: Sequence[int], plain: bool) -> Table:
    table = Table(
        header_style="bold" if not plain else None,
        box=PLAIN if plain else box.HEAVY_HEAD,
        show_edge=not plain,
        pad_edge=not plain,
        expand=False,
        collapse_padding=False,
    )
    for col, w in zip(cols, widths, strict=True):
        table.add_column(
            col.label,
            justify="right" if col.numeric else "left",
            no_wrap=False,  # numbers never wrap anyway: their column is as wide as the widest
            overflow="fold",
            width=w,
        )
    for row in rows:
        table.add_row(*(Text(c) for c in row))
    return table


def print_table(
    console: Console,
    title: str | None,
    cols: Sequence[Col],
    rows: Sequence[Sequence[str]],
    *,
    part_title: str = "{title} ({part}/{parts})",
) -> None:
    """Print a table that fits the console: whole, wrapped, in parts, or as records."""
    width = max(console.width, 20)
    plain = not console.is_terminal
    natural, smallest = _widths(cols, rows)
    widths = fit_widths(natural, smallest, cols, width)
    if widths is not None:
        _title(console, title)
        console.print(_table(cols, rows, widths, plain))
        return
    keys = [j for j, c in enumerate(cols) if c.key]
    values = [j for j, c in enumerate(cols) if not c.key]
    parts: list[list[int]] = []
    current: list[int] = []
    for j in values:
        trial = [*keys, *current, j]
        fitted = fit_widths(
            [natural[i] for i in trial], [smallest[i] for i in trial], [cols[i] for i in trial], width
        )
        if fitted is None and current:
            parts.append(current)
            current = [j]
        else:
            current.append(j)
    if current:
        parts.append(current)
    plans = []
    for part in parts:
        idx = keys + part
        sub = [cols[i] for i in idx]
        small = [max(min(smallest[i], MIN_TEXT), 1) if cols[i].key else smallest[i] for i in idx]
        fitted = fit_widths([natural[i] for i in idx], small, sub, width)
        if fitted is None:
            _print_records(console, title, cols, rows)
            return
        plans.append((idx, fitted))
    for n, (idx, fitted) in enumerate(plans, start=1):
        _title(console, part_title.format(title=title, part=n, parts=len(plans)) if title else None)
        console.print(_table([cols[i] for i in idx], [[r[i] for i in idx] for r in rows], fitted, plain))


def _title(console: Console, title: str | None) -> None:
    if title:
        console.print(Text(title, style="bold" if console.is_terminal else ""))


def _print_records(
    console: Console, title: str | None, cols: Sequence[Col], rows: Sequence[Sequence[str]]
) -> None:
    """One block per row: the key values as a heading, then ``label: value`` lines (the value on a
    line of its own when both do not fit)."""
    _title(console, title)
    keys = [j for j, c in enumerate(cols) if c.key] or [0]
    width = max(console.width, 20)
    for row in rows:
        console.print(Text(" · ".join(row[j] for j in keys), style="bold" if console.is_terminal else ""))
        for j, col in enumerate(cols):
            if j in keys:
                continue
            line = f"  {col.label}: {row[j]}"
            if len(line) <= width:
                console.print(Text(line), no_wrap=True, crop=False)
            else:
                console.print(Text(f"  {col.label}:"))
                console.print(Text(f"    {row[j]}"), no_wrap=True, crop=False)


def print_notes(console: Console, notes: Sequence[str], lang: str = "en") -> None:
    """Notes as a bulleted list whose wrapped lines stay indented under their text (in ``lang``)."""
    from impactkit.i18n import note_text

    if not notes:
        return
    grid = Table.grid(padding=(0, 1))
    grid.add_column(width=3, justify="right")
    grid.add_column(overflow="fold", style="dim" if console.is_terminal else None)
    for note in notes:
        grid.add_row("-", Text(note_text(note, lang)))
    console.print(grid)
