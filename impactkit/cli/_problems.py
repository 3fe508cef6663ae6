"""Showing validation problems: a summary by column and kind, the first problems, or all of them.

A file can hold 100,000 bad cells.  The terminal gets a summary first (one row per file, column and
kind of problem, with its count and rows), then the first problems; ``--all`` lists every one (as
lines once there are too many for a table).  ``--json`` streams the problems one record at a time,
so memory stays that of the problems table the library already holds.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from rich.console import Console
from rich.text import Text

from impactkit.cli._layout import Col, print_table
from impactkit.cli._numbers import cell
from impactkit.cli._texts import column_label, is_text, t, tn

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["FIRST", "print_problems", "print_read_notes", "stream_problems_json", "summarise"]

FIRST = 20  # problems listed before "... and N more"
TABLE_LIMIT = 500  # beyond this, --all prints one line per problem instead of a table


def summarise(problems: pd.DataFrame) -> pd.DataFrame:
    """One row per file × column × code: ``file, column, code, n, first_row, last_row, message``.

    ``message`` is the kind's message when all its problems share it, else the first one's.
    """
    import pandas as pd  # here, not at the top: `impactkit --help` stays free of pandas

    if problems.empty:
        return pd.DataFrame(
            columns=["file", "column", "code", "n", "first_row", "last_row", "message", "varied"]
        )
    code = problems["code"] if "code" in problems else pd.Series("", index=problems.index)
    frame = problems.assign(code=code.astype(str))
    g = frame.groupby(["file", "column", "code"], sort=False, observed=True)
    out = g.agg(
        n=("row", "size"),
        first_row=("row", "min"),
        last_row=("row", "max"),
        message=("message", "first"),
        messages=("message", "nunique"),
    ).reset_index()
    out["varied"] = out.pop("messages") > 1
    return out.sort_values("n", ascending=False, kind="stable").reset_index(drop=True)


def _kind(code: str, message: str, varied: bool, lang: str) -> str:
    """A short name of the kind of problem (``kind.<code>`` in the cli catalogue), else its message."""
    key = f"kind.{code}"
    if code and is_text(key):
        return t(key, lang)
    return message + (" …" if varied else "")


def _where(first: int, last: int, lang: str) -> str:
    if first == last:
        return t("row_one", lang, first=cell(int(first), "row", lang))
    return t("rows_range", lang, first=cell(int(first), "row", lang), last=cell(int(last), "row", lang))


def _files(problems: pd.DataFrame) -> list[str]:
    return [Path(str(f)).name for f in problems["file"].astype(str).unique()]


def print_problems(console: Console, problems: pd.DataFrame, *, lang: str, show_all: bool) -> None:
    """Print the problems: summary and first ones, or every one with ``show_all``."""
    n = len(problems)
    files = _files(problems)
    many_files = len(files) > 1
    console.print(
        Text(tn("problems_title", n, lang, n=cell(n, "n", lang), where=", ".join(files)), style="bold red"),
        soft_wrap=True,
    )
    if n > FIRST:
        summary = summarise(problems)
        cols = [
            *([Col("file", column_label("file", lang), key=True)] if many_files else []),
            Col("column", column_label("column", lang), key=True),
            Col("kind", column_label("kind", lang)),
            Col("count", column_label("count", lang), numeric=True),
            Col("rows", column_label("rows", lang)),
        ]
        rows = [
            [
                *([Path(str(r["file"])).name] if many_files else []),
                str(r["column"]),
                _kind(str(r["code"]), str(r["message"]), bool(r["varied"]), lang),
                cell(int(r["n"]), "n", lang),
                _where(int(r["first_row"]), int(r["last_row"]), lang),
            ]
            for r in summary.to_dict("records")
        ]
        print_table(console, t("problems_summary_title", lang), cols, rows, part_title=t("title.part", lang))
    shown = problems if show_all else problems.head(FIRST)
    if show_all and n > TABLE_LIMIT:
        _print_lines(console, shown)
    else:
        cols = [
            *([Col("file", column_label("file", lang), key=True)] if many_files else []),
            Col("row", column_label("row", lang), numeric=True, key=True),
            Col("column", column_label("column", lang)),
            Col("value", column_label("value", lang)),
            Col("message", column_label("message", lang)),
        ]
        rows = [
            [
                *([Path(str(r.file)).name] if many_files else []),
                str(r.row),
                str(r.column),
                str(r.value),
                str(r.message),
            ]
            for r in shown.itertuples(index=False)
        ]
        title = t("problems_first", lang, n=len(shown)) if n > FIRST and not show_all else None
        print_table(console, title, cols, rows, part_title=t("title.part", lang))
    if n > len(shown):
        console.print(Text(t("problems_more", lang, n=cell(n - len(shown), "n", lang))), soft_wrap=True)


def _print_lines(console: Console, problems: pd.DataFrame) -> None:
    """``file:row: column = 'value': message``, one line per problem (for very long lists)."""
    write = console.file.write
    for r in problems.itertuples(index=False):
        write(f"{Path(str(r.file)).name}:{r.row}: {r.column} = {str(r.value)!r}: {r.message}\n")


def _records(problems: pd.DataFrame) -> Iterator[dict[str, Any]]:
    cols = [c for c in ("file", "row", "column", "value", "message", "code") if c in problems]
    for values in problems[cols].itertuples(index=False, name=None):
        rec = dict(zip(cols, values, strict=True))
        rec["row"] = int(rec["row"])
        for k in ("file", "column", "value", "message", "code"):
            if k in rec:
                rec[k] = str(rec[k])
        yield rec


def stream_problems_json(problems: pd.DataFrame, head: dict[str, Any], out: TextIO | None = None) -> None:
    """Write ``head`` plus ``n_problems``, ``summary`` and every problem as one JSON object, streamed."""
    out = out or sys.stdout
    summary = [
        {
            "file": str(r["file"]),
            "column": str(r["column"]),
            "code": str(r["code"]),
            "count": int(r["n"]),
            "first_row": int(r["first_row"]),
            "last_row": int(r["last_row"]),
            "message": str(r["message"]),
        }
        for r in summarise(problems).to_dict("records")
    ]
    body = {**head, "n_problems": len(problems), "summary": summary}
    text = json.dumps(body, ensure_ascii=False, indent=2)
    out.write(text[:-2] + ',\n  "problems": [')
    first = True
    chunk: list[str] = []  # a thousand records per write: memory stays small, writes stay few
    for rec in _records(problems):
        chunk.append(("\n    " if first else ",\n    ") + json.dumps(rec, ensure_ascii=False))
        first = False
        if len(chunk) >= 1000:
            out.write("".join(chunk))
            chunk.clear()
    out.write("".join(chunk))
    out.write("\n  ]\n}\n" if not first else "]\n}\n")
    out.flush()


def print_read_notes(console: Console, notes: list[str], warnings: pd.DataFrame | None, *, lang: str) -> None:
    """How the files were read (sheet, encoding, layout, unused domains) and warnings, before results."""
    for note in notes:
        console.print(
            Text(t("note", lang, note=note), style="dim" if console.is_terminal else ""), soft_wrap=True
        )
    if warnings is not None and len(warnings):
        console.print(
            Text(tn("warnings_title", len(warnings), lang, n=cell(len(warnings), "n", lang)), style="bold"),
            soft_wrap=True,
        )
        cols = [
            Col("row", column_label("row", lang), numeric=True, key=True),
            Col("column", column_label("column", lang)),
            Col("value", column_label("value", lang)),
            Col("message", column_label("message", lang)),
        ]
        shown = warnings.head(FIRST)
        rows = [
            [str(r["row"]), str(r["column"]), str(r["value"]), str(r["message"])]
            for r in shown.to_dict("records")
        ]
        print_table(console, None, cols, rows)
        if len(warnings) > FIRST:
            console.print(
                Text(t("problems_more", lang, n=cell(len(warnings) - FIRST, "n", lang))), soft_wrap=True
            )
